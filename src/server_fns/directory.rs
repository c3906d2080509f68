//! The public side: the directory of musicians and venues, a resource's
//! profile, its free times by month, and the booking request a logged-in
//! person sends from the profile. Reading is open to everyone; requesting
//! needs an account.

use crate::domain::booking::BookingStatus;
use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// Resources per directory page.
pub const PAGE_SIZE: i64 = 12;

/// A resource as a directory card shows it; the price already formatted.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DirectoryCard {
    pub slug: String,
    pub name: String,
    pub description: String,
    pub city: Option<String>,
    pub genres: Vec<String>,
    pub photo: Option<String>,
    /// Its cheapest service, e.g. "$8,000.00 MXN".
    pub from_price: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DirectoryView {
    pub cards: Vec<DirectoryCard>,
    pub total: i64,
    /// The page shown, from 1.
    pub page: i64,
    pub pages: i64,
    /// What the genre and city filters offer.
    pub genres: Vec<String>,
    pub cities: Vec<String>,
}

/// One labelled fact of a profile: an attribute's name and its value as text.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Fact {
    pub name: String,
    pub value: String,
}

/// One service a resource offers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Rate {
    pub service_id: i64,
    pub name: String,
    pub duration_minutes: i64,
    /// e.g. "$1,500.00 MXN".
    pub price: String,
    /// The deposit asked before the booking is confirmed, when there is one.
    pub deposit: Option<String>,
}

/// A vehicle the logged-in person booked a workshop for before.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VehicleChoice {
    pub id: i64,
    /// "Nissan Versa 2019".
    pub label: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProfileView {
    pub slug: String,
    pub kind: String,
    pub name: String,
    pub description: String,
    pub photos: Vec<String>,
    pub facts: Vec<Fact>,
    pub rates: Vec<Rate>,
    pub managers: Vec<String>,
    /// IANA zone in which every date and time of the booking form is read.
    pub timezone: String,
    /// Booked by choosing a service for a vehicle (workshops): the form asks
    /// for the service, the vehicle, the problem and a phone.
    pub books_vehicle_service: bool,
    /// The lengths a request may have, in minutes: its services' or its default.
    pub durations: Vec<i64>,
    /// Today in the resource's zone, "2026-12-05": where the calendar opens.
    pub today: String,
    /// The start times the form offers without JavaScript ("14:00"): those
    /// free on some day this month, else every hour.
    pub times: Vec<String>,
    /// Whether the visitor is signed in: the form shows its send button,
    /// else a link to log in. Answered here rather than by reading the
    /// session resource in a second Suspense under the header's, the pattern
    /// behind stalled streamed pages in leptos (issue #4851).
    pub signed_in: bool,
    /// The visitor's remembered vehicles, offered by a workshop's form
    /// (empty elsewhere, or logged out). Sent with the profile: a resource
    /// made inside the profile's Suspense is made again, and fetched again,
    /// whenever the server re-walks it, some 1 render in 100 under load.
    pub saved_vehicles: Vec<VehicleChoice>,
}

/// The free start times of one local date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FreeDate {
    /// "2026-12-05".
    pub date: String,
    /// "14:00", in the resource's zone.
    pub times: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MonthFree {
    /// "2026-12".
    pub month: String,
    /// Only dates with at least one free time.
    pub days: Vec<FreeDate>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct BookingSent {
    pub id: i64,
    pub status: BookingStatus,
}

/// One page of the directory of `kind`. The filters arrive as the query
/// string has them (the page's GET form): text `q`, `genero`, `ciudad`,
/// `fecha` (YYYY-MM-DD), `hora` (HH:MM on `fecha`, read in each resource's
/// zone, for its shortest service), prices in whole currency units, `pagina` from 1.
#[allow(clippy::too_many_arguments)]
#[server(prefix = "/fn", endpoint = "directory")]
pub async fn directory(
    kind: String,
    q: Option<String>,
    genero: Option<String>,
    ciudad: Option<String>,
    fecha: Option<String>,
    precio_min: Option<String>,
    precio_max: Option<String>,
    pagina: Option<String>,
    #[server(default)] hora: Option<String>,
) -> Result<DirectoryView, AppError> {
    use crate::server::fn_context;
    fn_context::respond(
        async {
            let db = fn_context::state()?.db;
            let query = ssr::DirectoryQuery { kind, q, genero, ciudad, fecha, hora, precio_min, precio_max, pagina };
            ssr::directory(&db, query, crate::server::clock::now()).await
        }
        .await,
    )
}

/// A resource's public profile; 404 for an unknown slug.
#[server(prefix = "/fn", endpoint = "resource-profile")]
pub async fn resource_profile(slug: String) -> Result<ProfileView, AppError> {
    use crate::server::fn_context;
    fn_context::respond(
        async {
            let db = fn_context::state()?.db;
            let visitor = fn_context::auth().user.map(|user| user.id);
            ssr::profile(&db, &slug, visitor, crate::server::clock::now()).await
        }
        .await,
    )
}

/// The free start times of a booking of `duration` minutes on each local
/// date of `month` ("2026-12"), from today on.
#[server(prefix = "/fn", endpoint = "month-availability")]
pub async fn month_availability(slug: String, month: String, duration: i64) -> Result<MonthFree, AppError> {
    use crate::server::fn_context;
    fn_context::respond(
        async {
            let db = fn_context::state()?.db;
            ssr::month(&db, &slug, &month, duration, crate::server::clock::now()).await
        }
        .await,
    )
}

/// A booking request from a profile, by a logged-in client, manager or
/// admin for themselves. `date` and `time` are local to the resource
/// ("2026-12-05", "14:00"), `duration` in minutes, or `service` (an id) whose
/// length it takes. Workshops also take the vehicle (`vehicle`, a remembered
/// one's id, or `vehicle_make`, `vehicle_model`, `vehicle_year`), the
/// `problem` and a contact `phone`. Without JavaScript (a
/// plain form post) the answer is a redirect back to the profile, with
/// `?solicitud=ID&estado=STATUS` or `?error=JSON`.
#[allow(clippy::too_many_arguments)]
#[server(prefix = "/fn", endpoint = "request-booking")]
pub async fn request_booking(
    slug: String,
    date: Option<String>,
    time: Option<String>,
    duration: Option<String>,
    #[server(default)] service: Option<String>,
    event_type: Option<String>,
    address: Option<String>,
    notes: Option<String>,
    #[server(default)] vehicle: Option<String>,
    #[server(default)] vehicle_make: Option<String>,
    #[server(default)] vehicle_model: Option<String>,
    #[server(default)] vehicle_year: Option<String>,
    #[server(default)] problem: Option<String>,
    #[server(default)] phone: Option<String>,
) -> Result<BookingSent, AppError> {
    use crate::domain::account::Role;
    use crate::server::{auth, fn_context};
    let result = async {
        let request = fn_context::auth();
        let user = auth::require_role(&request, &[Role::Client, Role::Manager, Role::Admin])?;
        let state = fn_context::state()?;
        let vehicle = ssr::VehicleForm { saved: vehicle, make: vehicle_make, model: vehicle_model, year: vehicle_year, problem, phone };
        let form = ssr::RequestForm { date, time, duration, service, event_type, address, notes, vehicle };
        ssr::request(&state.db, user, &slug, form, state.config.payments.window(), crate::server::clock::now()).await
    }
    .await;
    if ssr::plain_form_post() {
        let target = match &result {
            Ok(sent) => format!("/r/{}?solicitud={}&estado={}", ssr::encode(&slug), sent.id, sent.status.as_str()),
            Err(e) => format!("/r/{}?error={}", ssr::encode(&slug), ssr::encode(&serde_json::to_string(e).unwrap_or_default())),
        };
        leptos_axum::redirect(&target);
    }
    fn_context::respond(result)
}

#[cfg(feature = "ssr")]
pub(crate) mod ssr {
    use super::{BookingSent, DirectoryCard, DirectoryView, Fact, FreeDate, MonthFree, ProfileView, Rate, VehicleChoice, PAGE_SIZE};
    use crate::domain::account::Problem;
    use crate::domain::availability::Span;
    use crate::domain::booking::{BookingError, BookingRequest, TimeField};
    use crate::domain::account::normalize_phone;
    use crate::domain::resource::{books_vehicle_service, Service, TEXT_MAX};
    use crate::domain::vehicle::{parse_problem, parse_vehicle, Vehicle};
    use crate::domain::time::{local_date, parse_instant};
    use crate::error::AppError;
    use crate::server::availability;
    use crate::server::notify::compose::money;
    use crate::server::storage::bookings::{self, Actor};
    use crate::server::storage::calendar::ResourceRules;
    use crate::server::storage::directory::{self, Filter, FreeAt};
    use crate::server::storage::users::User;
    use crate::server::storage::catalog::{self, Offered};
    use crate::server::storage::{services, vehicles, Db};
    use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveTime, Timelike, Utc};
    use serde_json::Value;

    pub struct DirectoryQuery {
        pub kind: String,
        pub q: Option<String>,
        pub genero: Option<String>,
        pub ciudad: Option<String>,
        pub fecha: Option<String>,
        pub hora: Option<String>,
        pub precio_min: Option<String>,
        pub precio_max: Option<String>,
        pub pagina: Option<String>,
    }

    fn given(text: Option<String>) -> Option<String> {
        text.map(|t| t.trim().to_string()).filter(|t| !t.is_empty())
    }

    /// Whole currency units as typed ("1500") -> minor units.
    fn whole_money(field: &str, text: Option<String>) -> Result<Option<i64>, AppError> {
        let Some(text) = given(text) else { return Ok(None) };
        let units: i64 = text.replace(',', "").parse().map_err(|_| AppError::invalid(field, Problem::MoneyInvalid))?;
        if units < 0 {
            return Err(AppError::invalid(field, Problem::OutOfRange));
        }
        units.checked_mul(100).map(Some).ok_or(AppError::invalid(field, Problem::OutOfRange))
    }

    fn text_of(value: &Value) -> Option<String> {
        match value {
            Value::Null => None,
            Value::String(s) => Some(s.clone()).filter(|s| !s.trim().is_empty()),
            Value::Array(items) => {
                let items: Vec<String> = items.iter().filter_map(text_of).collect();
                (!items.is_empty()).then(|| items.join(", "))
            }
            Value::Bool(b) => Some(if *b { "✓".into() } else { "✗".into() }),
            other => Some(other.to_string()),
        }
    }

    fn genres_of(attributes: &Value) -> Vec<String> {
        attributes["genres"].as_array().map(|g| g.iter().filter_map(|g| g.as_str().map(str::to_string)).collect()).unwrap_or_default()
    }

    /// `fecha` alone: free some time that day; with `hora`: free at that time.
    fn free_time(fecha: Option<String>, hora: Option<String>) -> Result<(Option<NaiveDate>, Option<FreeAt>), AppError> {
        let date = match given(fecha) {
            Some(text) => Some(NaiveDate::parse_from_str(&text, "%Y-%m-%d").map_err(|_| AppError::invalid("fecha", Problem::OutOfRange))?),
            None => None,
        };
        let Some(text) = given(hora) else { return Ok((date, None)) };
        let time = NaiveTime::parse_from_str(&text, "%H:%M").map_err(|_| AppError::invalid("hora", Problem::TimeInvalid))?;
        let date = date.ok_or(AppError::invalid("fecha", Problem::Required))?;
        Ok((None, Some(FreeAt { date, time, minutes: None })))
    }

    pub async fn directory(db: &Db, query: DirectoryQuery, now: DateTime<Utc>) -> Result<DirectoryView, AppError> {
        let (free_on, free_at) = free_time(query.fecha, query.hora)?;
        let filter = Filter {
            kind: query.kind.clone(),
            text: given(query.q),
            genre: given(query.genero),
            city: given(query.ciudad),
            min_price_minor: whole_money("precio_min", query.precio_min)?,
            max_price_minor: whole_money("precio_max", query.precio_max)?,
            free_on,
            free_at,
        };
        let page = given(query.pagina).and_then(|p| p.parse::<i64>().ok()).filter(|p| *p >= 1).unwrap_or(1);
        let found = directory::search(db, &filter, page, PAGE_SIZE, now).await?;
        let (genres, cities) = directory::choices(db, &query.kind).await?;
        let cards = found
            .entries
            .into_iter()
            .map(|entry| {
                let d = entry.detail;
                DirectoryCard {
                    city: text_of(&d.attributes["city"]),
                    genres: genres_of(&d.attributes),
                    photo: d.photos.first().cloned(),
                    from_price: entry.from_price.map(|(minor, currency)| money(minor, &currency)),
                    slug: d.summary.slug,
                    name: d.summary.name,
                    description: d.summary.description,
                }
            })
            .collect();
        Ok(DirectoryView { cards, total: found.total, page, pages: (found.total + PAGE_SIZE - 1) / PAGE_SIZE, genres, cities })
    }

    /// The vehicles `owner` booked with before, to choose from.
    async fn saved_vehicles(db: &Db, owner: Option<i64>) -> Result<Vec<VehicleChoice>, AppError> {
        let Some(owner) = owner else { return Ok(Vec::new()) };
        let saved = vehicles::list_for_user(db, owner).await?;
        Ok(saved.into_iter().map(|v| VehicleChoice { id: v.id, label: v.vehicle.label() }).collect())
    }

    /// The lengths a request may have: the services' (shortest first), else the default.
    pub(crate) async fn durations(db: &Db, resource_id: i64, rules: &ResourceRules) -> Result<Vec<i64>, AppError> {
        Ok(lengths_of(&services::list_for_resource(db, resource_id).await?, rules))
    }

    fn lengths_of(offered: &[Service], rules: &ResourceRules) -> Vec<i64> {
        let mut minutes: Vec<i64> = offered.iter().map(|s| s.duration_minutes).collect();
        minutes.sort_unstable();
        minutes.dedup();
        if minutes.is_empty() {
            minutes.push(rules.default_duration.num_minutes().max(1));
        }
        minutes
    }

    /// Attributes a profile does not show as facts: prices are its rates.
    fn hidden_attribute(name: &str) -> bool {
        name.ends_with("_minor") || name == "currency"
    }

    /// `visitor`: the logged-in person's id, if any.
    pub async fn profile(db: &Db, slug: &str, visitor: Option<i64>, now: DateTime<Utc>) -> Result<ProfileView, AppError> {
        let kept = catalog::offered(db, slug).await?.ok_or(AppError::NotFound)?;
        let Offered { detail, rules, services: offered, managers } = &*kept;
        let books_vehicle_service = books_vehicle_service(&detail.summary.kind);
        let vehicle_owner = visitor.filter(|_| books_vehicle_service);
        let facts = match &detail.attributes {
            Value::Object(map) => map
                .iter()
                .filter(|(name, _)| !hidden_attribute(name))
                .filter_map(|(name, value)| Some(Fact { name: name.clone(), value: text_of(value)? }))
                .collect(),
            _ => Vec::new(),
        };
        let durations = lengths_of(offered, rules);
        let today = local_date(now, rules.zone);
        let (this_month, saved_vehicles) = tokio::try_join!(
            free_month(db, rules, today.with_day(1).unwrap_or(today), durations[0], now),
            saved_vehicles(db, vehicle_owner)
        )?;
        let rates = offered
            .iter()
            .map(|s| Rate {
                service_id: s.id,
                price: money(s.price_minor, &s.currency),
                deposit: Some(s.deposit_due()).filter(|d| *d > 0).map(|d| money(d, &s.currency)),
                name: s.name.clone(),
                duration_minutes: s.duration_minutes,
            })
            .collect();
        let mut times: Vec<String> = this_month.days.into_iter().flat_map(|d| d.times).collect();
        times.sort();
        times.dedup();
        if times.is_empty() {
            times = (0..24).map(|h| format!("{h:02}:00")).collect();
        }
        Ok(ProfileView {
            slug: detail.summary.slug.clone(),
            kind: detail.summary.kind.clone(),
            name: detail.summary.name.clone(),
            description: detail.summary.description.clone(),
            photos: detail.photos.clone(),
            facts,
            rates,
            managers: managers.clone(),
            timezone: rules.zone.name().to_string(),
            books_vehicle_service,
            durations,
            today: today.format("%Y-%m-%d").to_string(),
            times,
            signed_in: visitor.is_some(),
            saved_vehicles,
        })
    }

    pub async fn month(db: &Db, slug: &str, month: &str, duration: i64, now: DateTime<Utc>) -> Result<MonthFree, AppError> {
        let kept = catalog::offered(db, slug).await?.ok_or(AppError::NotFound)?;
        let rules = &kept.rules;
        if !lengths_of(&kept.services, rules).contains(&duration) {
            return Err(AppError::invalid("duration", Problem::OutOfRange));
        }
        let first = NaiveDate::parse_from_str(&format!("{}-01", month.trim()), "%Y-%m-%d")
            .map_err(|_| AppError::invalid("month", Problem::OutOfRange))?;
        // Nothing to show before this month or beyond a few years: no work either.
        if first.year() > local_date(now, rules.zone).year() + 5 {
            return Err(AppError::invalid("month", Problem::OutOfRange));
        }
        free_month(db, rules, first, duration, now).await
    }

    /// The free start times of each local date of the month that begins on `first`, from today on.
    async fn free_month(db: &Db, rules: &ResourceRules, first: NaiveDate, duration: i64, now: DateTime<Utc>) -> Result<MonthFree, AppError> {
        let today = local_date(now, rules.zone);
        let last = first.checked_add_months(chrono::Months::new(1)).and_then(|d| d.pred_opt()).unwrap_or(first);
        let from = first.max(today);
        let length = Duration::minutes(duration);
        let mut days: Vec<FreeDate> = Vec::new();
        if from <= last {
            let spans = availability::free_spans(db, rules, from, last, length, None, now).await?;
            let starts: Vec<DateTime<Utc>> = if availability::is_ranges(rules) {
                // Stays: every step-aligned start of a free period with room for the length.
                let step = rules.policy.slot_step.max(Duration::minutes(1));
                spans
                    .iter()
                    .flat_map(|range| {
                        std::iter::successors(Some(range.start), move |s| Some(*s + step)).take_while(move |s| *s + length <= range.end)
                    })
                    .collect()
            } else {
                spans.iter().map(|s: &Span| s.start).collect()
            };
            days = by_local_date(&starts, rules.zone, from, last);
        }
        Ok(MonthFree { month: first.format("%Y-%m").to_string(), days })
    }

    /// `starts` (in order) as local dates `from..=last` and their distinct
    /// local times. A month holds hundreds of starts, so times are written
    /// by hand: chrono's strftime parses its pattern on every call and cost
    /// more than finding the starts did.
    fn by_local_date(starts: &[DateTime<Utc>], zone: chrono_tz::Tz, from: NaiveDate, last: NaiveDate) -> Vec<FreeDate> {
        let mut days: Vec<(NaiveDate, Vec<String>)> = Vec::new();
        for start in starts {
            let local = start.with_timezone(&zone).naive_local();
            let date = local.date();
            if date < from || date > last {
                continue;
            }
            let time = format!("{:02}:{:02}", local.hour(), local.minute());
            match days.last_mut() {
                Some((day, times)) if *day == date => {
                    if !times.contains(&time) {
                        times.push(time)
                    }
                }
                _ => days.push((date, vec![time])),
            }
        }
        days.into_iter().map(|(date, times)| FreeDate { date: date.format("%Y-%m-%d").to_string(), times }).collect()
    }

    pub struct RequestForm {
        pub date: Option<String>,
        pub time: Option<String>,
        pub duration: Option<String>,
        pub service: Option<String>,
        pub event_type: Option<String>,
        pub address: Option<String>,
        pub notes: Option<String>,
        pub vehicle: VehicleForm,
    }

    /// What a workshop booking adds to the request.
    #[derive(Default)]
    pub struct VehicleForm {
        /// A remembered vehicle's id; the typed fields are used when absent.
        pub saved: Option<String>,
        pub make: Option<String>,
        pub model: Option<String>,
        pub year: Option<String>,
        pub problem: Option<String>,
        pub phone: Option<String>,
    }

    fn short_text(field: &str, text: Option<String>, max: usize) -> Result<String, AppError> {
        let text = given(text).unwrap_or_default();
        if text.chars().count() > max {
            return Err(AppError::invalid(field, Problem::TooLong));
        }
        Ok(text)
    }

    /// A local date ("2026-12-05") and time ("14:00") in the resource's zone.
    pub(crate) fn local_start(date: &str, time: &str, zone: chrono_tz::Tz) -> Result<DateTime<Utc>, AppError> {
        parse_instant(&format!("{}T{}", date.trim(), time.trim()), zone)
            .map_err(|problem| AppError::Booking(BookingError::Time { field: TimeField::Start, problem }))
    }

    /// `deposit_window`: see `PaymentsConfig::window`.
    pub async fn request(
        db: &Db,
        user: &User,
        slug: &str,
        form: RequestForm,
        deposit_window: Option<Duration>,
        now: DateTime<Utc>,
    ) -> Result<BookingSent, AppError> {
        let kept = catalog::offered(db, slug).await?.ok_or(AppError::NotFound)?;
        let Offered { detail, rules, services: offered, .. } = &*kept;
        let id = detail.summary.id;
        let for_vehicle = books_vehicle_service(&detail.summary.kind);
        let (service, duration) = match given(form.service) {
            Some(text) => chosen_service(offered, &text)?,
            None if for_vehicle && !offered.is_empty() => return Err(AppError::invalid("service_id", Problem::Required)),
            None => {
                let duration = chosen_duration(offered, rules, form.duration)?;
                // The cheapest service of that length, so the booking carries its price.
                let cheapest = offered.iter().filter(|s| s.duration_minutes == duration).min_by_key(|s| s.price_minor);
                (cheapest.map(|s| s.id), duration)
            }
        };
        let date = given(form.date).ok_or(AppError::invalid("date", Problem::Required))?;
        let time = given(form.time).ok_or(AppError::invalid("time", Problem::Required))?;
        let notes = short_text("notes", form.notes, TEXT_MAX)?;
        let start = local_start(&date, &time, rules.zone)?;
        let (details, phone, vehicle) = if for_vehicle {
            let (vehicle, problem, phone) = workshop_answers(db, user, form.vehicle, local_date(now, rules.zone).year()).await?;
            (serde_json::json!({ "vehicle": vehicle, "problem": problem }), phone, Some(vehicle))
        } else {
            let event_type = short_text("event_type", form.event_type, 200)?;
            let address = short_text("address", form.address, 500)?;
            (serde_json::json!({ "event_type": event_type, "address": address }), user.phone.clone(), None)
        };
        let request = BookingRequest {
            resource_id: id,
            service_id: service,
            client_id: Some(user.id),
            guest_name: user.name.clone(),
            guest_email: user.email.clone(),
            guest_phone: phone,
            start,
            end: start + Duration::minutes(duration),
            party_size: 1,
            notes,
            details,
        };
        let actor = Actor { user_id: Some(user.id), role: user.role };
        let booking = bookings::create_with_window(db, &request, actor, deposit_window, now).await?.booking;
        if let Some(vehicle) = vehicle {
            vehicles::remember(db, user.id, &vehicle, now).await?;
        }
        Ok(BookingSent { id: booking.id, status: booking.status })
    }

    /// One of the offered services, by id as the form sends it, and its length.
    fn chosen_service(offered: &[Service], text: &str) -> Result<(Option<i64>, i64), AppError> {
        let service = text.parse::<i64>().ok().and_then(|id| offered.iter().find(|s| s.id == id));
        let service = service.ok_or(AppError::Booking(BookingError::UnknownService))?;
        Ok((Some(service.id), service.duration_minutes))
    }

    fn chosen_duration(offered: &[Service], rules: &ResourceRules, text: Option<String>) -> Result<i64, AppError> {
        let allowed = lengths_of(offered, rules);
        match given(text) {
            None => Ok(allowed[0]),
            Some(text) => text.parse::<i64>().ok().filter(|d| allowed.contains(d)).ok_or(AppError::invalid("duration", Problem::OutOfRange)),
        }
    }

    /// The vehicle (remembered or typed), the problem and the contact phone
    /// (the account's when none is typed) of a workshop request.
    async fn workshop_answers(db: &Db, user: &User, form: VehicleForm, this_year: i32) -> Result<(Vehicle, String, Option<String>), AppError> {
        let vehicle = match given(form.saved) {
            Some(id) => {
                let saved = match id.parse::<i64>() {
                    Ok(id) => vehicles::get(db, user.id, id).await?,
                    Err(_) => None,
                };
                saved.ok_or(AppError::invalid("vehicle", Problem::OutOfRange))?.vehicle
            }
            None => parse_vehicle(
                &form.make.unwrap_or_default(),
                &form.model.unwrap_or_default(),
                &form.year.unwrap_or_default(),
                this_year,
            )?,
        };
        let problem = parse_problem(&form.problem.unwrap_or_default())?;
        let phone = match normalize_phone(&form.phone.unwrap_or_default())? {
            Some(phone) => Some(phone),
            None => Some(user.phone.clone().ok_or(AppError::invalid("phone", Problem::Required))?),
        };
        Ok((vehicle, problem, phone))
    }

    /// A form posted by the browser itself (no JavaScript), which is answered with a redirect.
    pub fn plain_form_post() -> bool {
        leptos::prelude::use_context::<http::request::Parts>()
            .and_then(|p| p.headers.get(http::header::ACCEPT)?.to_str().ok().map(|a| a.contains("text/html")))
            .unwrap_or(false)
    }

    pub fn encode(text: &str) -> String {
        url::form_urlencoded::byte_serialize(text.as_bytes()).collect()
    }

    #[cfg(test)]
    mod tests {
        use super::by_local_date;
        use chrono::{DateTime, NaiveDate, Utc};

        fn at(text: &str) -> DateTime<Utc> {
            text.parse().unwrap()
        }

        #[test]
        fn starts_are_grouped_by_local_date_with_distinct_local_times() {
            // Madrid moves from UTC+1 to UTC+2 on 2026-03-29.
            let starts = [
                at("2026-03-27T22:30:00Z"), // 23:30 on the 27th: before `from`
                at("2026-03-28T08:00:00Z"),
                at("2026-03-28T23:30:00Z"), // 00:30 on the 29th, local
                at("2026-03-29T08:00:00Z"), // 10:00, summer time
                at("2026-03-29T08:00:00Z"),
                at("2026-03-31T22:05:00Z"), // 00:05 on 1 April: after `last`
            ];
            let day = |d: u32| NaiveDate::from_ymd_opt(2026, 3, d).unwrap();
            let days = by_local_date(&starts, chrono_tz::Europe::Madrid, day(28), day(31));
            let shown: Vec<(&str, Vec<&str>)> = days.iter().map(|d| (d.date.as_str(), d.times.iter().map(String::as_str).collect())).collect();
            assert_eq!(shown, vec![("2026-03-28", vec!["09:00"]), ("2026-03-29", vec!["00:30", "10:00"])]);
        }
    }
}
