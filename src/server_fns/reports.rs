//! Reports and booking history for managers (their own resources) and
//! administrators (every resource). Tables and charts are built here, on the
//! server, in the reader's language, so the page, its CSV downloads and a
//! browser without JavaScript all show the same figures.

use crate::domain::booking::BookingStatus;
use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// The report's tables, by the name their CSV download has.
pub const REPORT_TABLES: [&str; 4] = ["estados", "ingresos", "ocupacion", "cancelaciones"];
/// Where a table's CSV is downloaded: `/informes/{table}.csv?desde=…&hasta=…`.
pub const CSV_PREFIX: &str = "/informes";

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReportTable {
    /// One of `REPORT_TABLES`.
    pub slug: String,
    pub title: String,
    pub headers: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReportPage {
    /// The range shown, YYYY-MM-DD.
    pub desde: String,
    pub hasta: String,
    /// SVG documents, ready to be placed in the page.
    pub charts: Vec<String>,
    pub tables: Vec<ReportTable>,
}

impl ReportPage {
    pub fn csv_href(&self, slug: &str) -> String {
        format!("{CSV_PREFIX}/{slug}.csv?desde={}&hasta={}", self.desde, self.hasta)
    }
}

/// The report of local dates `desde..=hasta` (YYYY-MM-DD; empty: the current
/// month). `all` is the administrators' page, refused to anyone else; on
/// either page an administrator sees every resource and a manager their own.
#[server(prefix = "/fn", endpoint = "report")]
pub async fn report(
    #[server(default)] desde: String,
    #[server(default)] hasta: String,
    #[server(default)] all: bool,
) -> Result<ReportPage, AppError> {
    use crate::domain::account::Role;
    use crate::server::{auth, fn_context};
    fn_context::respond(
        async {
            let request = fn_context::auth();
            let allowed: &[Role] = if all { &[Role::Admin] } else { &[Role::Manager, Role::Admin] };
            let user = auth::require_role(&request, allowed)?;
            ssr::build(&fn_context::state()?, user, &desde, &hasta, crate::i18n::request_lang()).await
        }
        .await,
    )
}

/// Bookings per page of the history.
pub const HISTORY_PAGE_SIZE: i64 = 25;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HistoryLine {
    pub id: i64,
    pub resource: String,
    /// The start in the resource's zone, "20/11/2026 14:00".
    pub starts: String,
    pub guest_name: String,
    pub guest_email: String,
    pub status: BookingStatus,
    /// The booking's own page.
    pub href: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HistoryPage {
    /// The resources that can be chosen in the filter: id and name.
    pub resources: Vec<(i64, String)>,
    pub lines: Vec<HistoryLine>,
    /// From 1.
    pub page: u32,
    pub has_next: bool,
}

/// The bookings of the resources in scope, newest first, a page (from 1) at
/// a time. Every filter may be empty: `recurso` a resource id, `cliente` text
/// in the guest's name or email, `desde`/`hasta` local dates (YYYY-MM-DD, in
/// the chosen resource's zone or the server's), `estado` a status.
#[server(prefix = "/fn", endpoint = "booking-history")]
pub async fn booking_history(
    #[server(default)] recurso: String,
    #[server(default)] cliente: String,
    #[server(default)] desde: String,
    #[server(default)] hasta: String,
    #[server(default)] estado: String,
    #[server(default)] page: u32,
) -> Result<HistoryPage, AppError> {
    use crate::domain::account::Role;
    use crate::server::{auth, fn_context};
    fn_context::respond(
        async {
            let request = fn_context::auth();
            let user = auth::require_role(&request, &[Role::Manager, Role::Admin])?;
            let query = ssr::HistoryQuery { recurso, cliente, desde, hasta, estado, page };
            ssr::history(&fn_context::state()?, user, &query).await
        }
        .await,
    )
}

#[cfg(feature = "ssr")]
pub mod ssr {
    use super::{HistoryLine, HistoryPage, ReportPage, ReportTable, HISTORY_PAGE_SIZE};
    use crate::domain::account::{Lang, Problem, Role};
    use crate::domain::booking::{Booking, BookingStatus};
    use crate::domain::chart::{Bar, BarChart};
    use crate::domain::report::{self, hours_and_minutes, parse_optional_date, DateRange, Report, FROM_FIELD, TO_FIELD};
    use crate::domain::review::format_tenths;
    use crate::domain::time::{local_date, local_to_utc_at_or_after};
    use crate::error::AppError;
    use crate::i18n::{booking_status_name, t, Key};
    use crate::server::notify::compose::money;
    use crate::server::state::AppState;
    use crate::server::storage::bookings::{self, Filter};
    use crate::server::storage::reports::{self as stored, NamedResource};
    use crate::server::storage::users::User;
    use chrono::{Days, NaiveDate, NaiveTime};
    use chrono_tz::Tz;

    /// Whose resources a person reports on: a manager's own, `None` (all) for an administrator.
    pub fn scope_of(user: &User) -> Option<i64> {
        (user.role != Role::Admin).then_some(user.id)
    }

    fn home_zone(state: &AppState) -> Tz {
        state.config.server.default_timezone.parse().unwrap_or(chrono_tz::UTC)
    }

    /// The whole report of `user`'s resources for the typed range.
    pub async fn build(state: &AppState, user: &User, desde: &str, hasta: &str, lang: Lang) -> Result<ReportPage, AppError> {
        let today = local_date(crate::server::clock::now(), home_zone(state));
        let range = DateRange::parse(desde, hasta, today)?;
        let (scope, window) = (scope_of(user), range.utc_window());
        let resources = stored::report_resources(&state.db, scope).await?;
        let bookings = stored::bookings_in(&state.db, scope, window).await?;
        let payments = stored::payments_in(&state.db, scope, window).await?;
        let report = report::compute(range, &resources, &bookings, &payments);
        Ok(ReportPage {
            desde: range.from.to_string(),
            hasta: range.to.to_string(),
            charts: charts(&report, lang).iter().map(BarChart::to_svg).collect(),
            tables: tables(&report, lang),
        })
    }

    fn percent(lang: Lang, tenths: u32) -> String {
        format!("{} %", format_tenths(tenths, lang == Lang::Es))
    }

    fn texts(lang: Lang, keys: &[Key]) -> Vec<String> {
        keys.iter().map(|k| t(lang, *k).to_string()).collect()
    }

    fn tables(report: &Report, lang: Lang) -> Vec<ReportTable> {
        vec![status_table(report, lang), revenue_table(report, lang), utilization_table(report, lang), cancellation_table(report, lang)]
    }

    fn status_table(report: &Report, lang: Lang) -> ReportTable {
        let mut rows: Vec<Vec<String>> =
            report.by_status.iter().map(|(status, n)| vec![booking_status_name(lang, *status).to_string(), n.to_string()]).collect();
        rows.push(vec![t(lang, Key::TotalWord).to_string(), report.cancellations.bookings.to_string()]);
        ReportTable { slug: "estados".into(), title: t(lang, Key::BookingsByStatus).into(), headers: texts(lang, &[Key::Status, Key::BookingsWord]), rows }
    }

    fn revenue_table(report: &Report, lang: Lang) -> ReportTable {
        let line = |name: &str, m: &report::Money| {
            vec![
                name.to_string(),
                m.currency.clone(),
                money(m.collected_minor, &m.currency),
                money(m.deposits_minor, &m.currency),
                money(m.booked_minor, &m.currency),
            ]
        };
        let mut rows: Vec<Vec<String>> = report.revenue.iter().map(|r| line(&r.name, &r.money)).collect();
        rows.extend(report.totals.iter().map(|m| line(t(lang, Key::TotalWord), m)));
        let headers = texts(lang, &[Key::Resource, Key::CurrencyWord, Key::Collected, Key::OfWhichDeposits, Key::CompletedValue]);
        ReportTable { slug: "ingresos".into(), title: t(lang, Key::Revenue).into(), headers, rows }
    }

    fn utilization_table(report: &Report, lang: Lang) -> ReportTable {
        let rows = report
            .utilization
            .iter()
            .map(|u| vec![u.name.clone(), hours_and_minutes(u.booked_minutes), hours_and_minutes(u.open_minutes), percent(lang, u.tenths())])
            .collect();
        let headers = texts(lang, &[Key::Resource, Key::BookedHours, Key::OpenHours, Key::Utilization]);
        ReportTable { slug: "ocupacion".into(), title: t(lang, Key::Utilization).into(), headers, rows }
    }

    fn cancellation_table(report: &Report, lang: Lang) -> ReportTable {
        let c = report.cancellations;
        let row = vec![
            c.bookings.to_string(),
            c.cancelled.to_string(),
            percent(lang, c.cancelled_tenths()),
            c.no_shows.to_string(),
            percent(lang, c.no_show_tenths()),
        ];
        let headers = texts(lang, &[Key::BookingsWord, Key::CancelledWord, Key::CancellationRate, Key::NoShows, Key::NoShowRate]);
        ReportTable { slug: "cancelaciones".into(), title: t(lang, Key::CancellationsTitle).into(), headers, rows: vec![row] }
    }

    fn charts(report: &Report, lang: Lang) -> Vec<BarChart> {
        let chart = |title: Key, category: Key, value: Key, bars: Vec<Bar>| BarChart {
            title: t(lang, title).into(),
            category_axis: t(lang, category).into(),
            value_axis: t(lang, value).into(),
            bars,
        };
        let statuses = report
            .by_status
            .iter()
            .map(|(s, n)| Bar { label: booking_status_name(lang, *s).into(), value: *n, value_text: n.to_string() })
            .collect();
        let several_currencies = report.totals.len() > 1;
        let revenue = report
            .revenue
            .iter()
            .map(|r| Bar {
                label: if several_currencies { format!("{} ({})", r.name, r.money.currency) } else { r.name.clone() },
                value: r.money.collected_minor,
                value_text: money(r.money.collected_minor, &r.money.currency),
            })
            .collect();
        let utilization = report
            .utilization
            .iter()
            .map(|u| Bar { label: u.name.clone(), value: i64::from(u.tenths()), value_text: percent(lang, u.tenths()) })
            .collect();
        vec![
            chart(Key::BookingsByStatus, Key::Status, Key::BookingsWord, statuses),
            chart(Key::RevenuePerResource, Key::Resource, Key::Collected, revenue),
            chart(Key::UtilizationPerResource, Key::Resource, Key::Utilization, utilization),
        ]
    }

    /// The history's filters as typed.
    pub struct HistoryQuery {
        pub recurso: String,
        pub cliente: String,
        pub desde: String,
        pub hasta: String,
        pub estado: String,
        pub page: u32,
    }

    pub async fn history(state: &AppState, user: &User, query: &HistoryQuery) -> Result<HistoryPage, AppError> {
        let scope = scope_of(user);
        let resources = stored::resources(&state.db, scope).await?;
        let resource = chosen_resource(&resources, &query.recurso)?;
        let zone = resource.map_or_else(|| home_zone(state), |r| r.zone);
        let (from, to) = history_dates(query)?;
        let filter = Filter {
            manager_id: scope,
            resource_id: resource.map(|r| r.id),
            status: chosen_status(&query.estado)?,
            from: from.map(|d| local_midnight(d, zone)),
            to: to.and_then(|d| d.checked_add_days(Days::new(1))).map(|d| local_midnight(d, zone)),
            guest: Some(query.cliente.clone()),
            newest_first: true,
            ..Filter::default()
        };
        let page = query.page.max(1);
        let skip = i64::from(page - 1) * HISTORY_PAGE_SIZE;
        let mut found = bookings::list(&state.db, &filter, skip, HISTORY_PAGE_SIZE + 1).await?;
        let has_next = found.len() as i64 > HISTORY_PAGE_SIZE;
        found.truncate(HISTORY_PAGE_SIZE as usize);
        Ok(HistoryPage {
            lines: found.iter().filter_map(|b| history_line(&resources, b)).collect(),
            resources: resources.into_iter().map(|r| (r.id, r.name)).collect(),
            page,
            has_next,
        })
    }

    fn chosen_resource<'a>(resources: &'a [NamedResource], typed: &str) -> Result<Option<&'a NamedResource>, AppError> {
        match typed.trim() {
            "" => Ok(None),
            text => {
                let id: i64 = text.parse().map_err(|_| AppError::invalid("recurso", Problem::NotAWholeNumber))?;
                resources.iter().find(|r| r.id == id).map(Some).ok_or(AppError::Forbidden)
            }
        }
    }

    fn chosen_status(typed: &str) -> Result<Option<BookingStatus>, AppError> {
        match typed.trim() {
            "" => Ok(None),
            text => BookingStatus::parse(text).map(Some).ok_or_else(|| AppError::invalid("estado", Problem::OutOfRange)),
        }
    }

    fn history_dates(query: &HistoryQuery) -> Result<(Option<NaiveDate>, Option<NaiveDate>), AppError> {
        let from = parse_optional_date(FROM_FIELD, &query.desde)?;
        let to = parse_optional_date(TO_FIELD, &query.hasta)?;
        if let (Some(from), Some(to)) = (from, to) {
            if to < from {
                return Err(AppError::invalid(TO_FIELD, Problem::EndsBeforeStart));
            }
        }
        Ok((from, to))
    }

    fn local_midnight(date: NaiveDate, zone: Tz) -> chrono::DateTime<chrono::Utc> {
        local_to_utc_at_or_after(date, NaiveTime::MIN, zone)
    }

    fn history_line(resources: &[NamedResource], booking: &Booking) -> Option<HistoryLine> {
        let resource = resources.iter().find(|r| r.id == booking.resource_id)?;
        let start = booking.start.with_timezone(&resource.zone);
        Some(HistoryLine {
            id: booking.id,
            resource: resource.name.clone(),
            starts: start.format("%d/%m/%Y %H:%M").to_string(),
            guest_name: booking.guest_name.clone(),
            guest_email: booking.guest_email.clone(),
            status: booking.status,
            href: format!("/panel/reservas/{}", booking.id),
        })
    }
}
