//! What a resource's managers change, checked before it is stored: the
//! profile people see, the weekly hours, date exceptions and booking rules.
//! Every check names the form field to fix.

use super::account::{FieldError, Problem};
use super::availability::DayHours;
use super::booking::Approval;
use super::payment::DepositPolicy;
use super::resource::{parse_money, Service, TEXT_MAX};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

pub const NAME_MAX: usize = 120;
pub const CITY_MAX: usize = 80;
pub const GENRE_MAX: usize = 40;
pub const GENRES_MAX: usize = 12;
pub const SEATS_MAX: i64 = 100_000;

/// The profile form as typed; `genres` (musicians) is comma-separated,
/// `seats` (venues) a whole number or empty.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProfileForm {
    pub kind: String,
    pub name: String,
    pub description: String,
    pub genres: String,
    pub city: String,
    pub seats: String,
}

/// A checked profile: the attributes listed replace the ones of the same name.
#[derive(Debug, Clone, PartialEq)]
pub struct ProfileChange {
    pub name: String,
    pub description: String,
    pub attributes: Map<String, Value>,
}

/// The attributes people see and managers edit, per kind.
pub fn edited_attributes(kind: &str) -> &'static [&'static str] {
    match kind {
        "musician" => &["genres", "city"],
        "venue" => &["city", "seats"],
        _ => &["city"],
    }
}

pub fn check_profile(form: &ProfileForm) -> Result<ProfileChange, FieldError> {
    let name = form.name.trim();
    if name.is_empty() {
        return Err(FieldError::new("name", Problem::Required));
    }
    at_most("name", name, NAME_MAX)?;
    let description = form.description.trim();
    at_most("description", description, TEXT_MAX)?;
    let mut attributes = Map::new();
    for &field in edited_attributes(&form.kind) {
        let value = match field {
            "genres" => genres(&form.genres)?,
            "seats" => seats(&form.seats)?,
            _ => city(&form.city)?,
        };
        attributes.insert(field.to_string(), value);
    }
    Ok(ProfileChange { name: name.to_string(), description: description.to_string(), attributes })
}

fn at_most(field: &str, text: &str, max: usize) -> Result<(), FieldError> {
    if text.chars().count() > max {
        Err(FieldError::new(field, Problem::TooLong))
    } else {
        Ok(())
    }
}

fn genres(text: &str) -> Result<Value, FieldError> {
    let list: Vec<&str> = text.split(',').map(str::trim).filter(|g| !g.is_empty()).collect();
    if list.len() > GENRES_MAX || list.iter().any(|g| g.chars().count() > GENRE_MAX) {
        return Err(FieldError::new("genres", Problem::TooLong));
    }
    Ok(Value::from(list))
}

fn city(text: &str) -> Result<Value, FieldError> {
    let city = text.trim();
    at_most("city", city, CITY_MAX)?;
    Ok(if city.is_empty() { Value::Null } else { Value::from(city) })
}

fn seats(text: &str) -> Result<Value, FieldError> {
    match whole_number("seats", text)? {
        None => Ok(Value::Null),
        Some(n) if (1..=SEATS_MAX).contains(&n) => Ok(Value::from(n)),
        Some(_) => Err(FieldError::new("seats", Problem::OutOfRange)),
    }
}

fn whole_number(field: &str, text: &str) -> Result<Option<i64>, FieldError> {
    match text.trim() {
        "" => Ok(None),
        text => text.parse().map(Some).map_err(|_| FieldError::new(field, Problem::NotAWholeNumber)),
    }
}

/// `attributes` with `change` written over it; other attributes stay.
pub fn merge_attributes(attributes: &Value, change: &Map<String, Value>) -> Value {
    let mut merged = attributes.as_object().cloned().unwrap_or_default();
    merged.extend(change.clone());
    Value::Object(merged)
}

/// "09:30" -> 570 minutes after midnight; "24:00" is the midnight that ends the day.
pub fn parse_clock(text: &str) -> Option<u16> {
    let (hours, minutes) = text.trim().split_once(':')?;
    let digits = |part: &str| part.bytes().all(|b| b.is_ascii_digit());
    // Digits only: `u16::from_str` would also take "+9" for 9.
    if hours.is_empty() || hours.len() > 2 || minutes.len() != 2 || !digits(hours) || !digits(minutes) {
        return None;
    }
    let (hours, minutes): (u16, u16) = (hours.parse().ok()?, minutes.parse().ok()?);
    let total = hours.checked_mul(60)? + minutes;
    (minutes < 60 && total <= 1440).then_some(total)
}

/// 570 -> "09:30", 1440 -> "24:00".
pub fn format_clock(minute: u16) -> String {
    format!("{:02}:{:02}", minute / 60, minute % 60)
}

/// One weekday of the hours form: closed, or open from `opens` to `closes`
/// and, after a break (lunch), optionally again from `reopens` to `closes_again`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DayForm {
    #[serde(default)]
    pub closed: bool,
    #[serde(default)]
    pub opens: String,
    #[serde(default)]
    pub closes: String,
    #[serde(default)]
    pub reopens: String,
    #[serde(default)]
    pub closes_again: String,
}

impl DayForm {
    /// A day's stored hours as the form shows them (the first two periods).
    pub fn showing(hours: &[DayHours]) -> DayForm {
        let clock = |h: Option<&DayHours>| h.map(|h| (format_clock(h.opens), format_clock(h.closes))).unwrap_or_default();
        let ((opens, closes), (reopens, closes_again)) = (clock(hours.first()), clock(hours.get(1)));
        DayForm { closed: hours.is_empty(), opens, closes, reopens, closes_again }
    }
}

/// The form field of weekday `monday0` (0 = Monday) in the hours form.
pub fn day_field(monday0: usize) -> String {
    format!("day{monday0}")
}

/// Open hours from two typed times. A closing time of 00:00 means the
/// midnight that ends the day, so "18:00–00:00" is an evening.
pub fn check_hours(field: &str, opens: &str, closes: &str) -> Result<DayHours, FieldError> {
    if opens.trim().is_empty() || closes.trim().is_empty() {
        return Err(FieldError::new(field, Problem::Required));
    }
    let opens = parse_clock(opens).filter(|m| *m < 1440).ok_or_else(|| FieldError::new(field, Problem::TimeInvalid))?;
    let closes = match parse_clock(closes).ok_or_else(|| FieldError::new(field, Problem::TimeInvalid))? {
        0 => 1440,
        minute => minute,
    };
    DayHours::new(opens, closes).ok_or_else(|| FieldError::new(field, Problem::ClosesBeforeOpens))
}

/// The seven days of the hours form, Monday first, as weekly hours; the
/// first day refused names its own field.
pub fn check_week(days: &[DayForm]) -> Result<Vec<(u8, DayHours)>, FieldError> {
    if days.len() != 7 {
        return Err(FieldError::new("days", Problem::Required));
    }
    let mut week = Vec::new();
    for (monday0, day) in days.iter().enumerate().filter(|(_, day)| !day.closed) {
        let field = day_field(monday0);
        let first = check_hours(&field, &day.opens, &day.closes)?;
        week.push((monday0 as u8, first));
        if !(day.reopens.trim().is_empty() && day.closes_again.trim().is_empty()) {
            let second = check_hours(&field, &day.reopens, &day.closes_again)?;
            if second.opens < first.closes {
                return Err(FieldError::new(&field, Problem::PeriodsOverlap));
            }
            week.push((monday0 as u8, second));
        }
    }
    Ok(week)
}

/// A date exception: on `date` (from today on), closed or open `opens`–`closes`.
pub fn check_exception(date: &str, closed: bool, opens: &str, closes: &str, today: NaiveDate) -> Result<(NaiveDate, Option<DayHours>), FieldError> {
    let date = match date.trim() {
        "" => return Err(FieldError::new("date", Problem::Required)),
        text => text.parse::<NaiveDate>().map_err(|_| FieldError::new("date", Problem::DateInvalid))?,
    };
    if date < today {
        return Err(FieldError::new("date", Problem::DateInPast));
    }
    let hours = if closed { None } else { Some(check_hours("hours", opens, closes)?) };
    Ok((date, hours))
}

/// The booking-rules form as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RulesForm {
    pub approval: String,
    pub default_duration: String,
    pub min_notice_hours: String,
    pub cancel_cutoff_hours: String,
    pub buffer_minutes: String,
    pub pending_expiry_hours: String,
    /// Empty: no daily limit.
    #[serde(default)]
    pub max_per_day: String,
    /// How many bookings may overlap (bays, tables); empty keeps it.
    #[serde(default)]
    pub capacity: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RulesChange {
    pub approval: Approval,
    pub default_duration_minutes: i64,
    pub min_notice_minutes: i64,
    pub cancel_cutoff_hours: i64,
    pub buffer_minutes: i64,
    pub pending_expiry_hours: i64,
    pub max_per_day: Option<i64>,
    pub capacity: Option<i64>,
}

/// The bounds of each rule, in the form's unit. A month at most: longer
/// waits or notices are mistakes more often than wishes.
pub const DURATION_MINUTES: (i64, i64) = (5, 60 * 24 * 31);
pub const NOTICE_HOURS: (i64, i64) = (0, 24 * 31);
pub const CUTOFF_HOURS: (i64, i64) = (0, 24 * 31);
pub const BUFFER_MINUTES: (i64, i64) = (0, 60 * 24);
pub const EXPIRY_HOURS: (i64, i64) = (1, 24 * 31);
pub const PER_DAY: (i64, i64) = (1, 1000);
pub const CAPACITY: (i64, i64) = (1, 100);

pub fn check_rules(form: &RulesForm) -> Result<RulesChange, FieldError> {
    let approval = match form.approval.trim() {
        "manual" => Approval::Manual,
        "auto" => Approval::Auto,
        _ => return Err(FieldError::new("approval", Problem::OutOfRange)),
    };
    Ok(RulesChange {
        approval,
        default_duration_minutes: bounded("default_duration", &form.default_duration, DURATION_MINUTES)?,
        min_notice_minutes: bounded("min_notice_hours", &form.min_notice_hours, NOTICE_HOURS)? * 60,
        cancel_cutoff_hours: bounded("cancel_cutoff_hours", &form.cancel_cutoff_hours, CUTOFF_HOURS)?,
        buffer_minutes: bounded("buffer_minutes", &form.buffer_minutes, BUFFER_MINUTES)?,
        pending_expiry_hours: bounded("pending_expiry_hours", &form.pending_expiry_hours, EXPIRY_HOURS)?,
        max_per_day: match form.max_per_day.trim() {
            "" => None,
            text => Some(bounded("max_per_day", text, PER_DAY)?),
        },
        capacity: match form.capacity.trim() {
            "" => None,
            text => Some(bounded("capacity", text, CAPACITY)?),
        },
    })
}

fn bounded(field: &str, text: &str, (low, high): (i64, i64)) -> Result<i64, FieldError> {
    let n = whole_number(field, text)?.ok_or_else(|| FieldError::new(field, Problem::Required))?;
    if (low..=high).contains(&n) {
        Ok(n)
    } else {
        Err(FieldError::new(field, Problem::OutOfRange))
    }
}

/// A service as its form has it: money in major units ("450.00"); the
/// deposit is `none`, `fixed` (an amount) or `percent` (1 to 100).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServiceForm {
    /// None for a new service.
    pub id: Option<i64>,
    pub name: String,
    pub duration: String,
    pub price: String,
    pub deposit_kind: String,
    pub deposit: String,
    pub currency: String,
}

pub const SERVICE_NAME_MAX: usize = 120;

impl ServiceForm {
    pub fn of(service: &Service) -> ServiceForm {
        let major = |minor: i64| format!("{}.{:02}", minor / 100, minor % 100);
        let (deposit_kind, deposit) = match service.deposit_policy() {
            DepositPolicy::None => ("none", String::new()),
            DepositPolicy::Fixed(amount) => ("fixed", major(amount)),
            DepositPolicy::Percent(percent) => ("percent", percent.to_string()),
        };
        ServiceForm {
            id: Some(service.id),
            name: service.name.clone(),
            duration: service.duration_minutes.to_string(),
            price: major(service.price_minor),
            deposit_kind: deposit_kind.into(),
            deposit,
            currency: service.currency.clone(),
        }
    }
}

/// The service a form describes, for `resource_id`; each problem names its field.
pub fn check_service(form: &ServiceForm, resource_id: i64) -> Result<Service, FieldError> {
    let name = form.name.trim();
    if name.is_empty() {
        return Err(FieldError::new("name", Problem::Required));
    }
    if name.chars().count() > SERVICE_NAME_MAX {
        return Err(FieldError::new("name", Problem::TooLong));
    }
    let duration_minutes = bounded("duration", &form.duration, DURATION_MINUTES)?;
    let price_minor = money("price", &form.price)?;
    let currency = form.currency.trim().to_ascii_uppercase();
    if currency.len() != 3 || !currency.chars().all(|c| c.is_ascii_uppercase()) {
        return Err(FieldError::new("currency", Problem::CurrencyInvalid));
    }
    let (deposit_minor, deposit_percent) = match form.deposit_kind.trim() {
        "" | "none" => (0, None),
        "fixed" => match money("deposit", &form.deposit)? {
            amount if amount > price_minor => return Err(FieldError::new("deposit", Problem::OutOfRange)),
            amount => (amount, None),
        },
        "percent" => (0, Some(bounded("deposit", &form.deposit, (1, 100))?)),
        _ => return Err(FieldError::new("deposit_kind", Problem::OutOfRange)),
    };
    Ok(Service { id: form.id.unwrap_or(0), resource_id, name: name.to_string(), duration_minutes, price_minor, deposit_minor, deposit_percent, currency })
}

fn money(field: &str, text: &str) -> Result<i64, FieldError> {
    if text.trim().is_empty() {
        return Err(FieldError::new(field, Problem::Required));
    }
    parse_money(text).ok_or_else(|| FieldError::new(field, Problem::MoneyInvalid))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn musician(name: &str, genres: &str, city: &str) -> ProfileForm {
        ProfileForm { kind: "musician".into(), name: name.into(), genres: genres.into(), city: city.into(), ..ProfileForm::default() }
    }

    fn problem<T: std::fmt::Debug>(result: Result<T, FieldError>) -> (String, Problem) {
        let e = result.expect_err("refused");
        (e.field, e.problem)
    }

    #[test]
    fn a_musicians_profile_keeps_genres_as_a_list() {
        let change = check_profile(&musician("  Lucía  ", "jazz, , bolero ,", " Puebla ")).unwrap();
        assert_eq!(change.name, "Lucía");
        assert_eq!(change.attributes["genres"], serde_json::json!(["jazz", "bolero"]));
        assert_eq!(change.attributes["city"], "Puebla");
        assert!(!change.attributes.contains_key("seats"));
    }

    #[test]
    fn profile_problems_name_their_field() {
        assert_eq!(problem(check_profile(&musician(" ", "", ""))), ("name".into(), Problem::Required));
        assert_eq!(problem(check_profile(&musician(&"x".repeat(NAME_MAX + 1), "", ""))), ("name".into(), Problem::TooLong));
        assert_eq!(problem(check_profile(&musician("A", &"g,".repeat(GENRES_MAX + 1), ""))), ("genres".into(), Problem::TooLong));
        assert_eq!(problem(check_profile(&musician("A", "", &"c".repeat(CITY_MAX + 1)))), ("city".into(), Problem::TooLong));
        let venue = |seats: &str| ProfileForm { kind: "venue".into(), name: "Foro".into(), seats: seats.into(), ..ProfileForm::default() };
        assert_eq!(problem(check_profile(&venue("muchos"))), ("seats".into(), Problem::NotAWholeNumber));
        assert_eq!(problem(check_profile(&venue("0"))), ("seats".into(), Problem::OutOfRange));
        assert_eq!(check_profile(&venue(" 300 ")).unwrap().attributes["seats"], 300);
        assert_eq!(check_profile(&venue("")).unwrap().attributes["seats"], Value::Null);
    }

    #[test]
    fn merging_keeps_attributes_not_edited() {
        let before = serde_json::json!({"genres": ["jazz"], "city": "Oaxaca", "rider": "piano"});
        let change = check_profile(&musician("A", "son", "")).unwrap();
        let after = merge_attributes(&before, &change.attributes);
        assert_eq!(after, serde_json::json!({"genres": ["son"], "city": null, "rider": "piano"}));
    }

    #[test]
    fn clock_times_are_read_strictly() {
        assert_eq!(parse_clock("09:30"), Some(570));
        assert_eq!(parse_clock("9:05"), Some(545));
        assert_eq!(parse_clock("24:00"), Some(1440));
        for bad in ["", "9", "24:01", "12:60", "12:5", "123:00", "ab:cd", "-1:00", "12:00:00", "+9:30", "9:+5"] {
            assert_eq!(parse_clock(bad), None, "{bad}");
        }
    }

    #[test]
    fn each_day_is_checked_in_its_own_field() {
        let open = |opens: &str, closes: &str| DayForm { opens: opens.into(), closes: closes.into(), ..DayForm::default() };
        let closed = DayForm { closed: true, ..DayForm::default() };
        let mut week = vec![open("09:00", "18:00"); 5];
        week.extend([open("18:00", "00:00"), closed.clone()]);
        let hours = check_week(&week).unwrap();
        assert_eq!(hours.len(), 6, "Sunday is closed");
        assert_eq!(hours[5], (5, DayHours::new(1080, 1440).unwrap()), "00:00 as the end is midnight");
        week[2] = open("18:00", "09:00");
        assert_eq!(problem(check_week(&week)), ("day2".into(), Problem::ClosesBeforeOpens));
        week[2] = open("10:00", "10:00");
        assert_eq!(problem(check_week(&week)), ("day2".into(), Problem::ClosesBeforeOpens));
        week[2] = open("", "18:00");
        assert_eq!(problem(check_week(&week)), ("day2".into(), Problem::Required));
        week[2] = open("nueve", "18:00");
        assert_eq!(problem(check_week(&week)), ("day2".into(), Problem::TimeInvalid));
        assert_eq!(problem(check_week(&week[..6])), ("days".into(), Problem::Required));
    }

    #[test]
    fn a_day_may_have_a_break() {
        let split = |reopens: &str, closes_again: &str| DayForm {
            opens: "09:00".into(),
            closes: "13:00".into(),
            reopens: reopens.into(),
            closes_again: closes_again.into(),
            ..DayForm::default()
        };
        let week = vec![split("15:00", "19:00"); 7];
        let hours = check_week(&week).unwrap();
        assert_eq!(&hours[..2], &[(0, DayHours::new(540, 780).unwrap()), (0, DayHours::new(900, 1140).unwrap())]);
        assert_eq!(DayForm::showing(&[hours[0].1, hours[1].1]), split("15:00", "19:00"), "shown as typed");
        let mut week = week;
        week[4] = split("12:00", "19:00");
        assert_eq!(problem(check_week(&week)), ("day4".into(), Problem::PeriodsOverlap));
        week[4] = split("15:00", "");
        assert_eq!(problem(check_week(&week)), ("day4".into(), Problem::Required));
    }

    #[test]
    fn exceptions_are_today_or_later() {
        let today = NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();
        let day = NaiveDate::from_ymd_opt(2026, 12, 24).unwrap();
        assert_eq!(check_exception("2026-12-24", true, "", "", today), Ok((day, None)));
        assert_eq!(check_exception("2026-12-24", false, "10:00", "14:00", today), Ok((day, DayHours::new(600, 840))));
        assert_eq!(problem(check_exception("", true, "", "", today)), ("date".into(), Problem::Required));
        assert_eq!(problem(check_exception("24/12/2026", true, "", "", today)), ("date".into(), Problem::DateInvalid));
        assert_eq!(problem(check_exception("2026-11-30", true, "", "", today)), ("date".into(), Problem::DateInPast));
        assert_eq!(problem(check_exception("2026-12-24", false, "14:00", "10:00", today)), ("hours".into(), Problem::ClosesBeforeOpens));
    }

    fn rules() -> RulesForm {
        RulesForm {
            approval: "auto".into(),
            default_duration: "90".into(),
            min_notice_hours: "24".into(),
            cancel_cutoff_hours: "48".into(),
            buffer_minutes: "30".into(),
            pending_expiry_hours: "72".into(),
            max_per_day: "".into(),
            capacity: "".into(),
        }
    }

    #[test]
    fn rules_are_read_in_their_units() {
        let change = check_rules(&rules()).unwrap();
        assert_eq!(change.approval, Approval::Auto);
        assert_eq!((change.default_duration_minutes, change.min_notice_minutes), (90, 24 * 60));
        assert_eq!((change.cancel_cutoff_hours, change.buffer_minutes, change.pending_expiry_hours), (48, 30, 72));
        assert_eq!(change.max_per_day, None, "empty: no daily limit");
        let limited = check_rules(&RulesForm { max_per_day: " 8 ".into(), ..rules() }).unwrap();
        assert_eq!(limited.max_per_day, Some(8));
        assert_eq!(check_rules(&RulesForm { capacity: "3".into(), ..rules() }).unwrap().capacity, Some(3));
    }

    #[test]
    fn rules_out_of_bounds_are_refused() {
        let with = |edit: fn(&mut RulesForm)| {
            let mut form = rules();
            edit(&mut form);
            problem(check_rules(&form))
        };
        assert_eq!(with(|f| f.approval = "maybe".into()), ("approval".into(), Problem::OutOfRange));
        assert_eq!(with(|f| f.default_duration = "0".into()), ("default_duration".into(), Problem::OutOfRange));
        assert_eq!(with(|f| f.default_duration = "".into()), ("default_duration".into(), Problem::Required));
        assert_eq!(with(|f| f.min_notice_hours = "-1".into()), ("min_notice_hours".into(), Problem::OutOfRange));
        assert_eq!(with(|f| f.cancel_cutoff_hours = "1.5".into()), ("cancel_cutoff_hours".into(), Problem::NotAWholeNumber));
        assert_eq!(with(|f| f.buffer_minutes = "1441".into()), ("buffer_minutes".into(), Problem::OutOfRange));
        assert_eq!(with(|f| f.pending_expiry_hours = "0".into()), ("pending_expiry_hours".into(), Problem::OutOfRange));
        assert_eq!(with(|f| f.max_per_day = "0".into()), ("max_per_day".into(), Problem::OutOfRange));
        assert_eq!(with(|f| f.max_per_day = "ocho".into()), ("max_per_day".into(), Problem::NotAWholeNumber));
        assert_eq!(with(|f| f.capacity = "0".into()), ("capacity".into(), Problem::OutOfRange));
    }

    fn brake_check() -> ServiceForm {
        ServiceForm {
            id: None,
            name: " Revisión de frenos ".into(),
            duration: "60".into(),
            price: "450.00".into(),
            deposit_kind: "none".into(),
            deposit: "".into(),
            currency: "mxn".into(),
        }
    }

    #[test]
    fn a_service_form_becomes_a_service() {
        let service = check_service(&brake_check(), 7).unwrap();
        assert_eq!((service.resource_id, service.name.as_str(), service.duration_minutes), (7, "Revisión de frenos", 60));
        assert_eq!((service.price_minor, service.deposit_due(), service.currency.as_str()), (45_000, 0, "MXN"));
        let fixed = check_service(&ServiceForm { deposit_kind: "fixed".into(), deposit: "100".into(), ..brake_check() }, 7).unwrap();
        assert_eq!((fixed.deposit_minor, fixed.deposit_percent, fixed.deposit_due()), (10_000, None, 10_000));
        let percent = check_service(&ServiceForm { deposit_kind: "percent".into(), deposit: "20".into(), ..brake_check() }, 7).unwrap();
        assert_eq!((percent.deposit_percent, percent.deposit_due()), (Some(20), 9_000));
        for service in [fixed, percent] {
            assert_eq!(check_service(&ServiceForm::of(&service), 7).unwrap(), service, "the form shows what is stored");
        }
    }

    #[test]
    fn service_problems_name_their_field() {
        let with = |edit: fn(&mut ServiceForm)| {
            let mut form = brake_check();
            edit(&mut form);
            problem(check_service(&form, 1))
        };
        assert_eq!(with(|f| f.name = " ".into()), ("name".into(), Problem::Required));
        assert_eq!(with(|f| f.duration = "0".into()), ("duration".into(), Problem::OutOfRange));
        assert_eq!(with(|f| f.price = "-5".into()), ("price".into(), Problem::MoneyInvalid));
        assert_eq!(with(|f| f.price = "".into()), ("price".into(), Problem::Required));
        assert_eq!(with(|f| f.currency = "pesos".into()), ("currency".into(), Problem::CurrencyInvalid));
        assert_eq!(with(|f| { f.deposit_kind = "fixed".into(); f.deposit = "500".into() }), ("deposit".into(), Problem::OutOfRange));
        assert_eq!(with(|f| { f.deposit_kind = "percent".into(); f.deposit = "101".into() }), ("deposit".into(), Problem::OutOfRange));
        assert_eq!(with(|f| f.deposit_kind = "mucho".into()), ("deposit_kind".into(), Problem::OutOfRange));
    }

    proptest! {
        #[test]
        fn clock_times_round_trip(minute in 0u16..=1440) {
            prop_assert_eq!(parse_clock(&format_clock(minute)), Some(minute));
        }

        #[test]
        fn shown_hours_read_back_the_same(opens in 0u16..1440, length in 1u16..=1440) {
            let closes = (opens + length).min(1440);
            let hours = DayHours::new(opens, closes).unwrap();
            let form = DayForm::showing(&[hours]);
            prop_assert_eq!(check_hours("day0", &form.opens, &form.closes), Ok(hours));
        }

        #[test]
        fn accepted_clock_times_are_digits_within_the_day(text in "\\PC{0,8}|[+-]?[0-9]{1,3}:[+-]?[0-9]{1,3}") {
            if let Some(minute) = parse_clock(&text) {
                prop_assert!(minute <= 1440);
                prop_assert!(text.trim().chars().all(|c| c.is_ascii_digit() || c == ':'), "{:?} read as {}", text, minute);
                prop_assert_eq!(parse_clock(&format_clock(minute)), Some(minute));
            }
        }

        #[test]
        fn typed_hours_open_before_they_close(opens in "\\PC{0,6}|[0-9]{1,2}:[0-9]{2}", closes in "\\PC{0,6}|[0-9]{1,2}:[0-9]{2}") {
            match check_hours("day0", &opens, &closes) {
                Ok(hours) => prop_assert!(hours.opens < hours.closes && hours.closes <= 1440),
                Err(e) => prop_assert_eq!(e.field, "day0"),
            }
        }

        #[test]
        fn exception_dates_are_read_or_refused_without_panicking(date in "\\PC{0,12}|[+-]?[0-9]{1,7}-[0-9]{2}-[0-9]{2}", closed in any::<bool>()) {
            let today = NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();
            if let Ok((day, hours)) = check_exception(&date, closed, "10:00", "14:00", today) {
                prop_assert!(day >= today);
                prop_assert_eq!(hours.is_none(), closed);
            }
        }

        #[test]
        fn each_rule_takes_exactly_its_bounds(n in -100_000i64..100_000, pick in 0usize..7) {
            let mut form = rules();
            let (field, (low, high)) = [
                ("default_duration", DURATION_MINUTES), ("min_notice_hours", NOTICE_HOURS), ("cancel_cutoff_hours", CUTOFF_HOURS),
                ("buffer_minutes", BUFFER_MINUTES), ("pending_expiry_hours", EXPIRY_HOURS), ("max_per_day", PER_DAY), ("capacity", CAPACITY),
            ][pick];
            let slot = match field {
                "default_duration" => &mut form.default_duration,
                "min_notice_hours" => &mut form.min_notice_hours,
                "cancel_cutoff_hours" => &mut form.cancel_cutoff_hours,
                "buffer_minutes" => &mut form.buffer_minutes,
                "pending_expiry_hours" => &mut form.pending_expiry_hours,
                "max_per_day" => &mut form.max_per_day,
                _ => &mut form.capacity,
            };
            *slot = format!(" {n} ");
            let result = check_rules(&form);
            if (low..=high).contains(&n) {
                prop_assert!(result.is_ok(), "{} = {}: {:?}", field, n, result);
            } else {
                prop_assert_eq!(result, Err(FieldError::new(field, Problem::OutOfRange)));
            }
        }

        #[test]
        fn rules_from_any_text_are_read_or_refused_without_panicking(fields in proptest::array::uniform8("\\PC{0,6}|-?[0-9]{1,20}")) {
            let [approval, default_duration, min_notice_hours, cancel_cutoff_hours, buffer_minutes, pending_expiry_hours, max_per_day, capacity] = fields;
            let form = RulesForm { approval, default_duration, min_notice_hours, cancel_cutoff_hours, buffer_minutes, pending_expiry_hours, max_per_day, capacity };
            let _ = check_rules(&form);
        }

        #[test]
        fn a_service_form_reads_back_as_the_service_it_shows(
            minutes in DURATION_MINUTES.0..=DURATION_MINUTES.1,
            price in 0i64..=crate::domain::payment::MAX_TAKEN_MINOR,
            deposit in 0i64..=crate::domain::payment::MAX_TAKEN_MINOR,
            percent in proptest::option::of(1i64..=100),
        ) {
            let service = Service {
                id: 3, resource_id: 7, name: "Afinación".into(), duration_minutes: minutes, price_minor: price,
                deposit_minor: if percent.is_some() { 0 } else { deposit.min(price) }, deposit_percent: percent, currency: "MXN".into(),
            };
            prop_assert_eq!(check_service(&ServiceForm::of(&service), 7), Ok(service));
        }

        #[test]
        fn service_forms_from_any_text_keep_deposits_within_the_price(
            price in "\\PC{0,6}|[0-9]{1,20}(\\.[0-9]{1,3})?",
            kind in proptest::sample::select(vec!["", "none", "fixed", "percent", "otro"]),
            deposit in "\\PC{0,6}|[0-9]{1,20}(\\.[0-9]{1,3})?",
        ) {
            let form = ServiceForm { price, deposit_kind: kind.into(), deposit, ..brake_check() };
            if let Ok(service) = check_service(&form, 7) {
                prop_assert_eq!(crate::domain::resource::validate_service(&service), Ok(()));
                prop_assert!((0..=service.price_minor).contains(&service.deposit_due()));
            }
        }

        #[test]
        fn profiles_from_any_text_respect_the_limits(
            kind in proptest::sample::select(vec!["musician", "venue", "workshop"]),
            name in "\\PC{0,130}", genres in "[^,]{0,50}(,[^,]{0,50}){0,14}", city in "\\PC{0,90}", seats in "\\PC{0,8}|-?[0-9]{1,20}",
        ) {
            let form = ProfileForm { kind: kind.into(), name, description: String::new(), genres, city, seats };
            if let Ok(change) = check_profile(&form) {
                prop_assert!(!change.name.is_empty() && change.name.chars().count() <= NAME_MAX);
                if let Some(seats) = change.attributes.get("seats").and_then(Value::as_i64) {
                    prop_assert!((1..=SEATS_MAX).contains(&seats));
                }
                if let Some(list) = change.attributes.get("genres").and_then(Value::as_array) {
                    prop_assert!(list.len() <= GENRES_MAX);
                }
            }
        }
    }
}
