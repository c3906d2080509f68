//! Reports for managers and administrators over a range of local dates:
//! bookings by status, money collected and booked, how much of the open
//! hours was booked, cancellations and no-shows; and the CSV form of a table.
//!
//! Each booking (and each payment of it) is counted on the local date its
//! start falls on in its resource's zone. Utilization counts the time of
//! confirmed, in-progress and completed bookings inside the open hours of the
//! range (weekly hours, date exceptions and blackouts, see `Schedule`), each
//! instant at most up to the resource's capacity. Pure: the caller loads the data.

use super::account::{FieldError, Problem};
use super::availability::{Schedule, Span};
use super::booking::BookingStatus;
use super::payment::PaymentKind;
use super::time::local_date;
use chrono::{DateTime, Datelike, Days, Duration, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The longest range a report covers, in days.
pub const MAX_RANGE_DAYS: i64 = 366;
/// The form fields of a range.
pub const FROM_FIELD: &str = "desde";
pub const TO_FIELD: &str = "hasta";

/// Local dates `from..=to`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct DateRange {
    pub from: NaiveDate,
    pub to: NaiveDate,
}

impl DateRange {
    /// The whole month `day` is in.
    pub fn month_of(day: NaiveDate) -> DateRange {
        let from = day.with_day(1).unwrap_or(day);
        let to = from.checked_add_months(chrono::Months::new(1)).and_then(|next| next.pred_opt()).unwrap_or(day);
        DateRange { from, to }
    }

    /// The dates typed in the form (YYYY-MM-DD). Both empty: the month of
    /// `today`; one empty: the month of the other. The range may not end
    /// before it starts nor be longer than `MAX_RANGE_DAYS`.
    pub fn parse(from: &str, to: &str, today: NaiveDate) -> Result<DateRange, FieldError> {
        let (from, to) = (parse_optional_date(FROM_FIELD, from)?, parse_optional_date(TO_FIELD, to)?);
        let range = match (from, to) {
            (Some(from), Some(to)) => DateRange { from, to },
            (Some(from), None) => DateRange { from, to: DateRange::month_of(from).to },
            (None, Some(to)) => DateRange { from: DateRange::month_of(to).from, to },
            (None, None) => DateRange::month_of(today),
        };
        if range.to < range.from {
            Err(FieldError::new(TO_FIELD, Problem::EndsBeforeStart))
        } else if range.days() > MAX_RANGE_DAYS {
            Err(FieldError::new(TO_FIELD, Problem::RangeTooLong))
        } else {
            Ok(range)
        }
    }

    /// How many dates the range holds.
    pub fn days(&self) -> i64 {
        (self.to - self.from).num_days() + 1
    }

    pub fn contains(&self, date: NaiveDate) -> bool {
        self.from <= date && date <= self.to
    }

    /// UTC instants that hold every local date of the range in any zone on Earth.
    pub fn utc_window(&self) -> Span {
        let midnight = |date: Option<NaiveDate>| date.and_then(|d| d.and_hms_opt(0, 0, 0)).map(|t| t.and_utc());
        let start = midnight(self.from.checked_sub_days(Days::new(1))).unwrap_or(DateTime::<Utc>::MIN_UTC);
        let end = midnight(self.to.checked_add_days(Days::new(2))).unwrap_or(DateTime::<Utc>::MAX_UTC);
        Span::new(start, end)
    }
}

/// A typed date (YYYY-MM-DD) of the form field `field`; `None` when empty.
pub fn parse_optional_date(field: &str, text: &str) -> Result<Option<NaiveDate>, FieldError> {
    match text.trim() {
        "" => Ok(None),
        text => text.parse().map(Some).map_err(|_| FieldError::new(field, Problem::DateInvalid)),
    }
}

/// A resource in the report, with what its open hours depend on.
#[derive(Debug, Clone)]
pub struct ReportResource {
    pub id: i64,
    pub name: String,
    pub schedule: Schedule,
    /// Bookings it takes at once (a workshop's bays).
    pub capacity: u32,
}

#[derive(Debug, Clone)]
pub struct ReportBooking {
    pub resource_id: i64,
    pub status: BookingStatus,
    pub span: Span,
    pub price_minor: i64,
    pub currency: String,
}

/// One stored payment row, with the start of the booking it belongs to.
#[derive(Debug, Clone)]
pub struct ReportPayment {
    pub resource_id: i64,
    pub booking_start: DateTime<Utc>,
    pub kind: PaymentKind,
    pub amount_minor: i64,
    pub currency: String,
}

/// Money in one currency, in minor units.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Money {
    pub currency: String,
    /// Deposits and payments minus refunds.
    pub collected_minor: i64,
    /// The deposits among the money collected.
    pub deposits_minor: i64,
    /// The prices of the completed bookings.
    pub booked_minor: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResourceMoney {
    pub resource_id: i64,
    pub name: String,
    pub money: Money,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Utilization {
    pub resource_id: i64,
    pub name: String,
    pub booked_minutes: i64,
    /// Open minutes times capacity.
    pub open_minutes: i64,
}

impl Utilization {
    /// Booked share of the open time, in tenths of a percent (0 to 1000).
    pub fn tenths(&self) -> u32 {
        tenths_of_percent(self.booked_minutes, self.open_minutes)
    }
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Cancellations {
    /// Every booking in the range, whatever its status.
    pub bookings: i64,
    pub cancelled: i64,
    pub no_shows: i64,
}

impl Cancellations {
    pub fn cancelled_tenths(&self) -> u32 {
        tenths_of_percent(self.cancelled, self.bookings)
    }

    pub fn no_show_tenths(&self) -> u32 {
        tenths_of_percent(self.no_shows, self.bookings)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Report {
    pub range: DateRange,
    /// Every status, in `BookingStatus::ALL` order, zeros included.
    pub by_status: Vec<(BookingStatus, i64)>,
    /// Per resource and currency, for resources with any money.
    pub revenue: Vec<ResourceMoney>,
    /// Per currency, all resources together.
    pub totals: Vec<Money>,
    /// Per resource, every resource of the report.
    pub utilization: Vec<Utilization>,
    pub cancellations: Cancellations,
}

/// `part` of `whole` in tenths of a percent, rounded; 0 when `whole` is 0.
pub fn tenths_of_percent(part: i64, whole: i64) -> u32 {
    if whole <= 0 {
        return 0;
    }
    let tenths = (i128::from(part.clamp(0, whole)) * 1000 + i128::from(whole) / 2) / i128::from(whole);
    tenths as u32
}

/// The report of `resources` over `range`; bookings and payments of other
/// resources are left out.
pub fn compute(range: DateRange, resources: &[ReportResource], bookings: &[ReportBooking], payments: &[ReportPayment]) -> Report {
    let by_id: BTreeMap<i64, &ReportResource> = resources.iter().map(|r| (r.id, r)).collect();
    let starts_in_range = |resource_id: i64, start: DateTime<Utc>| {
        by_id.get(&resource_id).is_some_and(|r| range.contains(local_date(start, r.schedule.zone)))
    };
    let counted: Vec<&ReportBooking> = bookings.iter().filter(|b| starts_in_range(b.resource_id, b.span.start)).collect();
    let paid: Vec<&ReportPayment> = payments.iter().filter(|p| starts_in_range(p.resource_id, p.booking_start)).collect();
    let revenue = revenue_by_resource(resources, &counted, &paid);
    Report {
        range,
        by_status: BookingStatus::ALL.iter().map(|s| (*s, counted.iter().filter(|b| b.status == *s).count() as i64)).collect(),
        totals: totals_by_currency(&revenue),
        revenue,
        utilization: resources.iter().map(|r| utilization(r, range, bookings)).collect(),
        cancellations: cancellations(&counted),
    }
}

fn cancellations(counted: &[&ReportBooking]) -> Cancellations {
    let with = |status: BookingStatus| counted.iter().filter(|b| b.status == status).count() as i64;
    Cancellations { bookings: counted.len() as i64, cancelled: with(BookingStatus::Cancelled), no_shows: with(BookingStatus::NoShow) }
}

fn revenue_by_resource(resources: &[ReportResource], counted: &[&ReportBooking], paid: &[&ReportPayment]) -> Vec<ResourceMoney> {
    let mut money: BTreeMap<(i64, String), Money> = BTreeMap::new();
    for payment in paid {
        let money = money_of(&mut money, payment.resource_id, &payment.currency);
        match payment.kind {
            PaymentKind::Deposit => {
                money.collected_minor += payment.amount_minor;
                money.deposits_minor += payment.amount_minor;
            }
            PaymentKind::Payment => money.collected_minor += payment.amount_minor,
            PaymentKind::Refund => money.collected_minor -= payment.amount_minor,
        }
    }
    for booking in counted.iter().filter(|b| b.status == BookingStatus::Completed) {
        money_of(&mut money, booking.resource_id, &booking.currency).booked_minor += booking.price_minor;
    }
    resources
        .iter()
        .flat_map(|r| {
            let of_resource = money.range((r.id, String::new())..).take_while(move |((id, _), _)| *id == r.id);
            of_resource.map(move |(_, m)| ResourceMoney { resource_id: r.id, name: r.name.clone(), money: m.clone() })
        })
        .collect()
}

fn money_of<'a>(money: &'a mut BTreeMap<(i64, String), Money>, resource_id: i64, currency: &str) -> &'a mut Money {
    money.entry((resource_id, currency.to_string())).or_insert_with(|| Money { currency: currency.to_string(), ..Money::default() })
}

fn totals_by_currency(revenue: &[ResourceMoney]) -> Vec<Money> {
    let mut totals: BTreeMap<&str, Money> = BTreeMap::new();
    for row in revenue {
        let total = totals.entry(&row.money.currency).or_insert_with(|| Money { currency: row.money.currency.clone(), ..Money::default() });
        total.collected_minor += row.money.collected_minor;
        total.deposits_minor += row.money.deposits_minor;
        total.booked_minor += row.money.booked_minor;
    }
    totals.into_values().collect()
}

/// Statuses whose time counts as used.
const USING_TIME: [BookingStatus; 3] = [BookingStatus::Confirmed, BookingStatus::InProgress, BookingStatus::Completed];

fn utilization(resource: &ReportResource, range: DateRange, bookings: &[ReportBooking]) -> Utilization {
    let open = resource.schedule.open_spans(range.from, range.to);
    let used: Vec<Span> = bookings
        .iter()
        .filter(|b| b.resource_id == resource.id && USING_TIME.contains(&b.status))
        .map(|b| b.span)
        .collect();
    let open_seconds: i64 = open.iter().map(|s| (s.end - s.start).num_seconds()).sum::<i64>() * i64::from(resource.capacity);
    Utilization {
        resource_id: resource.id,
        name: resource.name.clone(),
        booked_minutes: booked_seconds(&open, &used, resource.capacity) / 60,
        open_minutes: open_seconds / 60,
    }
}

/// Seconds of `used` inside `open` (disjoint), each instant counted at most `capacity` times.
fn booked_seconds(open: &[Span], used: &[Span], capacity: u32) -> i64 {
    let mut events: Vec<(DateTime<Utc>, i64)> = Vec::new();
    for booking in used {
        for period in open.iter().filter(|o| o.overlaps(booking)) {
            events.push((booking.start.max(period.start), 1));
            events.push((booking.end.min(period.end), -1));
        }
    }
    events.sort();
    let mut level = 0;
    let mut seconds = 0;
    let mut since: Option<DateTime<Utc>> = None;
    for (at, change) in events {
        if let Some(since) = since {
            seconds += (at - since).num_seconds() * level.min(i64::from(capacity));
        }
        level += change;
        since = Some(at);
    }
    seconds
}

/// Whole hours and minutes, "12:30", for a number of minutes.
pub fn hours_and_minutes(minutes: i64) -> String {
    let d = Duration::minutes(minutes.max(0));
    format!("{}:{:02}", d.num_hours(), d.num_minutes() % 60)
}

/// A table as CSV (RFC 4180: comma-separated, CRLF line ends, quoted where
/// needed), with a byte-order mark so spreadsheets read it as UTF-8. A cell
/// a spreadsheet would run as a formula (starting with = + - @, a tab or a
/// carriage return) is prefixed with an apostrophe.
pub fn to_csv(headers: &[String], rows: &[Vec<String>]) -> String {
    let mut out = String::from("\u{feff}");
    for line in std::iter::once(headers).chain(rows.iter().map(Vec::as_slice)) {
        let cells: Vec<String> = line.iter().map(|cell| csv_cell(cell)).collect();
        out.push_str(&cells.join(","));
        out.push_str("\r\n");
    }
    out
}

fn csv_cell(text: &str) -> String {
    let text = if text.starts_with(['=', '+', '-', '@', '\t', '\r']) { format!("'{text}") } else { text.to_string() };
    if text.contains([',', '"', '\n', '\r']) || text.starts_with(' ') || text.ends_with(' ') {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::availability::DayHours;
    use chrono::TimeZone;
    use chrono_tz::America::Mexico_City;
    use proptest::prelude::*;

    fn date(text: &str) -> NaiveDate {
        text.parse().unwrap()
    }

    fn local(text: &str) -> DateTime<Utc> {
        let naive = chrono::NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M").unwrap();
        Mexico_City.from_local_datetime(&naive).single().unwrap().with_timezone(&Utc)
    }

    /// Open 09:00–18:00 every day, in Mexico City.
    fn workshop(capacity: u32) -> ReportResource {
        let mut schedule = Schedule::always_open(Mexico_City);
        schedule.weekly = std::array::from_fn(|_| vec![DayHours::new(9 * 60, 18 * 60).unwrap()]);
        ReportResource { id: 1, name: "Taller".into(), schedule, capacity }
    }

    fn booking(status: BookingStatus, start: &str, hours: i64, price_minor: i64) -> ReportBooking {
        let start = local(start);
        ReportBooking { resource_id: 1, status, span: Span::new(start, start + Duration::hours(hours)), price_minor, currency: "MXN".into() }
    }

    fn payment(kind: PaymentKind, start: &str, amount_minor: i64) -> ReportPayment {
        ReportPayment { resource_id: 1, booking_start: local(start), kind, amount_minor, currency: "MXN".into() }
    }

    const DAYS: DateRange = DateRange {
        from: NaiveDate::from_ymd_opt(2026, 11, 2).unwrap(),
        to: NaiveDate::from_ymd_opt(2026, 11, 3).unwrap(),
    };

    #[test]
    fn a_range_defaults_to_the_month_and_is_checked() {
        let today = date("2026-02-14");
        assert_eq!(DateRange::parse("", "", today), Ok(DateRange { from: date("2026-02-01"), to: date("2026-02-28") }));
        assert_eq!(DateRange::parse("2026-12-05", " ", today), Ok(DateRange { from: date("2026-12-05"), to: date("2026-12-31") }));
        assert_eq!(DateRange::parse("", "2026-03-10", today), Ok(DateRange { from: date("2026-03-01"), to: date("2026-03-10") }));
        assert_eq!(DateRange::parse("2026-01-01", "2026-12-31", today).map(|r| r.days()), Ok(365));
        let problem = |from, to| DateRange::parse(from, to, today).unwrap_err();
        assert_eq!(problem("mañana", ""), FieldError::new("desde", Problem::DateInvalid));
        assert_eq!(problem("", "2026-02-30"), FieldError::new("hasta", Problem::DateInvalid));
        assert_eq!(problem("2026-03-02", "2026-03-01"), FieldError::new("hasta", Problem::EndsBeforeStart));
        assert_eq!(problem("2026-01-01", "2027-01-02"), FieldError::new("hasta", Problem::RangeTooLong));
        assert!(DateRange::parse("2028-01-01", "2028-12-31", today).is_ok(), "a leap year's 366 days");
    }

    #[test]
    fn statuses_money_and_cancellations_of_the_range() {
        let bookings = [
            booking(BookingStatus::Completed, "2026-11-02T10:00", 2, 150_000),
            booking(BookingStatus::Completed, "2026-11-03T10:00", 1, 50_000),
            booking(BookingStatus::Cancelled, "2026-11-03T12:00", 1, 80_000),
            booking(BookingStatus::NoShow, "2026-11-02T15:00", 1, 80_000),
            booking(BookingStatus::Confirmed, "2026-11-04T10:00", 1, 80_000),
        ];
        let payments = [
            payment(PaymentKind::Deposit, "2026-11-02T10:00", 30_000),
            payment(PaymentKind::Payment, "2026-11-02T10:00", 120_000),
            payment(PaymentKind::Deposit, "2026-11-03T12:00", 20_000),
            payment(PaymentKind::Refund, "2026-11-03T12:00", 20_000),
            payment(PaymentKind::Payment, "2026-11-04T10:00", 80_000),
        ];
        let report = compute(DAYS, &[workshop(1)], &bookings, &payments);
        let count = |status| report.by_status.iter().find(|(s, _)| *s == status).unwrap().1;
        assert_eq!((count(BookingStatus::Completed), count(BookingStatus::Cancelled), count(BookingStatus::Confirmed)), (2, 1, 0));
        let expected = Money { currency: "MXN".into(), collected_minor: 150_000, deposits_minor: 50_000, booked_minor: 200_000 };
        assert_eq!(report.totals, vec![expected.clone()]);
        assert_eq!(report.revenue, vec![ResourceMoney { resource_id: 1, name: "Taller".into(), money: expected }]);
        assert_eq!(report.cancellations, Cancellations { bookings: 4, cancelled: 1, no_shows: 1 });
        assert_eq!((report.cancellations.cancelled_tenths(), report.cancellations.no_show_tenths()), (250, 250));
    }

    #[test]
    fn a_booking_counts_on_its_local_start_date() {
        // 23:30 on 3 November in Mexico City is 4 November in UTC.
        let late = booking(BookingStatus::Confirmed, "2026-11-03T23:30", 1, 0);
        let report = compute(DAYS, &[workshop(1)], std::slice::from_ref(&late), &[]);
        assert_eq!(report.cancellations.bookings, 1);
        let next_day = DateRange { from: date("2026-11-04"), to: date("2026-11-04") };
        assert_eq!(compute(next_day, &[workshop(1)], &[late], &[]).cancellations.bookings, 0);
    }

    #[test]
    fn utilization_counts_open_hours_times_capacity() {
        let mut three_bays = workshop(3);
        three_bays.schedule.exceptions.insert(date("2026-11-03"), Vec::new());
        let bookings = [
            booking(BookingStatus::Confirmed, "2026-11-02T09:00", 3, 0),
            // Starts before opening: only 09:00–10:00 is inside the hours.
            booking(BookingStatus::Completed, "2026-11-02T08:00", 2, 0),
            booking(BookingStatus::Pending, "2026-11-02T12:00", 3, 0),
            booking(BookingStatus::Cancelled, "2026-11-02T12:00", 3, 0),
        ];
        let used = &compute(DAYS, &[three_bays], &bookings, &[]).utilization[0];
        assert_eq!(used.open_minutes, 9 * 60 * 3, "one open day (the other closed), three bays");
        assert_eq!(used.booked_minutes, 4 * 60);
        assert_eq!(used.tenths(), 148);
    }

    #[test]
    fn overbooked_time_is_capped_at_capacity() {
        let bookings: Vec<ReportBooking> = (0..3).map(|_| booking(BookingStatus::Confirmed, "2026-11-02T09:00", 9, 0)).collect();
        let used = &compute(DAYS, &[workshop(2)], &bookings, &[]).utilization[0];
        assert_eq!((used.booked_minutes, used.open_minutes, used.tenths()), (9 * 60 * 2, 2 * 9 * 60 * 2, 500));
    }

    #[test]
    fn other_resources_are_left_out() {
        let mut stranger = booking(BookingStatus::Completed, "2026-11-02T10:00", 1, 99_000);
        stranger.resource_id = 2;
        let report = compute(DAYS, &[workshop(1)], &[stranger], &[]);
        assert_eq!(report.cancellations.bookings, 0);
        assert!(report.revenue.is_empty() && report.totals.is_empty());
        assert_eq!(report.utilization[0].booked_minutes, 0);
    }

    #[test]
    fn csv_quotes_and_defuses_formulas() {
        let headers = vec!["Recurso".to_string(), "Total".to_string()];
        let rows = vec![
            vec!["Taller \"Rápido\", Norte".to_string(), "$1,500.00 MXN".to_string()],
            vec!["=HYPERLINK(\"x\")".to_string(), "-5".to_string()],
            vec!["@SUM(A1)".to_string(), "+1".to_string()],
            vec!["dos\nlíneas".to_string(), " ".to_string()],
        ];
        assert_eq!(
            to_csv(&headers, &rows),
            "\u{feff}Recurso,Total\r\n\"Taller \"\"Rápido\"\", Norte\",\"$1,500.00 MXN\"\r\n\
             \"'=HYPERLINK(\"\"x\"\")\",'-5\r\n'@SUM(A1),'+1\r\n\"dos\nlíneas\",\" \"\r\n"
        );
    }

    #[test]
    fn small_helpers() {
        assert_eq!(tenths_of_percent(1, 3), 333);
        assert_eq!(tenths_of_percent(2, 3), 667);
        assert_eq!(tenths_of_percent(5, 0), 0);
        assert_eq!(hours_and_minutes(754), "12:34");
        assert_eq!(DateRange::month_of(date("2028-02-10")), DateRange { from: date("2028-02-01"), to: date("2028-02-29") });
    }

    fn any_status() -> impl Strategy<Value = BookingStatus> {
        (0..BookingStatus::ALL.len()).prop_map(|i| BookingStatus::ALL[i])
    }

    proptest! {
        #[test]
        fn counts_add_up_and_utilization_stays_within_100_percent(
            capacity in 1u32..4,
            closed_day in proptest::bool::ANY,
            picks in proptest::collection::vec((any_status(), 0i64..4 * 24 * 60, 1i64..600), 0..40),
        ) {
            let mut resource = workshop(capacity);
            if closed_day {
                resource.schedule.exceptions.insert(date("2026-11-02"), Vec::new());
            }
            let first = local("2026-11-01T00:00");
            let bookings: Vec<ReportBooking> = picks
                .iter()
                .map(|(status, offset, minutes)| {
                    let start = first + Duration::minutes(*offset);
                    ReportBooking { resource_id: 1, status: *status, span: Span::new(start, start + Duration::minutes(*minutes)), price_minor: 100, currency: "MXN".into() }
                })
                .collect();
            let report = compute(DAYS, &[resource], &bookings, &[]);
            let by_status: i64 = report.by_status.iter().map(|(_, n)| n).sum();
            prop_assert_eq!(by_status, report.cancellations.bookings);
            prop_assert!(report.cancellations.cancelled + report.cancellations.no_shows <= report.cancellations.bookings);
            let used = &report.utilization[0];
            prop_assert!(used.booked_minutes <= used.open_minutes, "{:?}", used);
            prop_assert!(used.tenths() <= 1000);
            let completed = report.by_status.iter().find(|(s, _)| *s == BookingStatus::Completed).unwrap().1;
            prop_assert_eq!(report.totals.first().map_or(0, |m| m.booked_minor), completed * 100);
        }

        #[test]
        fn typed_ranges_are_read_or_refused_without_panicking(
            from in "\\PC{0,12}|[+-]?[0-9]{1,7}-[0-9]{2}-[0-9]{2}",
            to in "\\PC{0,12}|[+-]?[0-9]{1,7}-[0-9]{2}-[0-9]{2}",
        ) {
            if let Ok(range) = DateRange::parse(&from, &to, date("2026-11-15")) {
                prop_assert!(range.from <= range.to && range.days() <= MAX_RANGE_DAYS);
                let window = range.utc_window();
                prop_assert!(window.start < window.end);
            }
        }

        #[test]
        fn a_range_reads_back_from_its_dates(first in -700_000i64..700_000, length in 0i64..500) {
            let from = date("2026-01-01") + Duration::days(first);
            let to = from + Duration::days(length);
            let read = DateRange::parse(&format!(" {from} "), &to.to_string(), date("2026-11-15"));
            if length < MAX_RANGE_DAYS {
                prop_assert_eq!(read, Ok(DateRange { from, to }));
            } else {
                prop_assert_eq!(read, Err(FieldError::new(TO_FIELD, Problem::RangeTooLong)));
            }
            let backwards = DateRange::parse(&to.to_string(), &from.to_string(), date("2026-11-15"));
            if length > 0 {
                prop_assert_eq!(backwards, Err(FieldError::new(TO_FIELD, Problem::EndsBeforeStart)));
            }
        }

        #[test]
        fn a_month_holds_its_day(days in -700_000i64..700_000) {
            let day = date("2026-01-01") + Duration::days(days);
            let month = DateRange::month_of(day);
            prop_assert!(month.contains(day) && month.from.day() == 1 && (28..=31).contains(&month.days()));
        }

        #[test]
        fn csv_cells_never_start_a_formula(cells in proptest::collection::vec("\\PC{0,12}", 1..5)) {
            let csv = to_csv(&cells, &[]);
            let line = csv.trim_start_matches('\u{feff}');
            prop_assert!(line.ends_with("\r\n"));
            for cell in &cells {
                let written = csv_cell(cell);
                let read = match written.strip_prefix('"').and_then(|w| w.strip_suffix('"')) {
                    Some(quoted) => quoted.replace("\"\"", "\""),
                    None => written.clone(),
                };
                prop_assert!(!read.starts_with(['=', '+', '-', '@', '\t', '\r']), "{:?}", written);
                prop_assert_eq!(read.strip_prefix('\'').filter(|_| read != *cell).unwrap_or(&read), cell.as_str());
            }
        }
    }
}
