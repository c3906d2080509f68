//! /panel/recursos/:id: a resource's managers (and administrators) change
//! its profile, weekly hours, date exceptions and booking rules. Every
//! function checks, on the server, that the caller may change the resource.

use crate::domain::booking::BookingStatus;
use crate::domain::profile::{DayForm, ProfileForm, RulesForm, ServiceForm};
use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// Everything the page shows, each form with the values stored now.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EditableResource {
    pub id: i64,
    pub slug: String,
    pub timezone: String,
    /// Today in the resource's zone, "2026-12-01": the earliest exception.
    pub today: String,
    pub profile: ProfileForm,
    /// Monday first.
    pub days: Vec<DayForm>,
    pub exceptions: Vec<DateException>,
    pub rules: RulesForm,
    /// What it offers, each as its form shows it.
    pub services: Vec<ServiceForm>,
    /// The currency a new service starts with: that of the others, else MXN.
    pub currency: String,
    /// Upcoming bookings that the current hours no longer cover.
    pub conflicts: Vec<Conflict>,
}

/// A date with other hours than its weekday's; `hours` empty: closed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DateException {
    pub date: chrono::NaiveDate,
    pub hours: Vec<(String, String)>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Conflict {
    pub id: i64,
    pub guest_name: String,
    pub status: BookingStatus,
    /// Start and end in the resource's zone and the visitor's language, so
    /// the browser needs no zone tables.
    pub when: String,
}

#[server(prefix = "/fn", endpoint = "resource-settings")]
pub async fn resource_settings(resource_id: i64) -> Result<EditableResource, AppError> {
    use crate::server::fn_context;
    fn_context::respond(
        async {
            let db = ssr::editable(resource_id).await?;
            ssr::settings(&db, resource_id, crate::server::clock::now()).await
        }
        .await,
    )
}

/// The profile form; `genres` is for musicians and `seats` for venues.
#[server(prefix = "/fn", endpoint = "save-resource-profile")]
pub async fn save_resource_profile(
    resource_id: i64,
    name: String,
    description: String,
    genres: Option<String>,
    city: Option<String>,
    seats: Option<String>,
) -> Result<(), AppError> {
    use crate::domain::profile::{check_profile, merge_attributes};
    use crate::server::fn_context;
    use crate::server::storage::resources;
    fn_context::respond(
        async {
            let db = ssr::editable(resource_id).await?;
            let detail = resources::find(&db, resource_id).await?.ok_or(AppError::NotFound)?;
            let form = ProfileForm {
                kind: detail.summary.kind.clone(),
                name,
                description,
                genres: genres.unwrap_or_default(),
                city: city.unwrap_or_default(),
                seats: seats.unwrap_or_default(),
            };
            let change = check_profile(&form)?;
            let attributes = merge_attributes(&detail.attributes, &change.attributes);
            resources::update_profile(&db, resource_id, &change.name, &change.description, &attributes).await?;
            ssr::audit(&db, resource_id, serde_json::json!({"profile": change.name})).await
        }
        .await,
    )
}

/// The seven days of the hours form, sent as `days[0][opens]` and so on.
#[server(prefix = "/fn", endpoint = "save-weekly-hours")]
pub async fn save_weekly_hours(resource_id: i64, days: Vec<DayForm>) -> Result<(), AppError> {
    use crate::domain::profile::check_week;
    use crate::server::fn_context;
    use crate::server::storage::calendar;
    fn_context::respond(
        async {
            let db = ssr::editable(resource_id).await?;
            let week = check_week(&days)?;
            calendar::set_weekly_hours(&db, resource_id, &week).await?;
            ssr::audit(&db, resource_id, serde_json::json!({"weekly_hours": days})).await
        }
        .await,
    )
}

/// Closes `date` (`closed`) or opens it `opens`–`closes` instead of its usual hours.
#[server(prefix = "/fn", endpoint = "add-date-exception")]
pub async fn add_date_exception(
    resource_id: i64,
    date: String,
    closed: Option<bool>,
    opens: Option<String>,
    closes: Option<String>,
) -> Result<(), AppError> {
    use crate::domain::profile::check_exception;
    use crate::domain::time::local_date;
    use crate::server::fn_context;
    use crate::server::storage::calendar;
    fn_context::respond(
        async {
            let db = ssr::editable(resource_id).await?;
            let rules = ssr::rules(&db, resource_id).await?;
            let today = local_date(crate::server::clock::now(), rules.zone);
            let (opens, closes) = (opens.unwrap_or_default(), closes.unwrap_or_default());
            let (date, hours) = check_exception(&date, closed.unwrap_or(false), &opens, &closes, today)?;
            calendar::replace_exception(&db, resource_id, date, hours.clone()).await?;
            ssr::audit(&db, resource_id, serde_json::json!({"date_exception": date, "hours": format!("{hours:?}")})).await
        }
        .await,
    )
}

#[server(prefix = "/fn", endpoint = "remove-date-exception")]
pub async fn remove_date_exception(resource_id: i64, date: String) -> Result<(), AppError> {
    use crate::domain::account::Problem;
    use crate::server::fn_context;
    use crate::server::storage::calendar;
    fn_context::respond(
        async {
            let db = ssr::editable(resource_id).await?;
            let date = date.trim().parse().map_err(|_| AppError::invalid("date", Problem::DateInvalid))?;
            calendar::remove_exception(&db, resource_id, date).await?;
            ssr::audit(&db, resource_id, serde_json::json!({"date_exception_removed": date})).await
        }
        .await,
    )
}

/// The booking-rules form: minutes and hours as typed, checked on the server.
#[server(prefix = "/fn", endpoint = "save-booking-rules")]
pub async fn save_booking_rules(
    resource_id: i64,
    approval: String,
    default_duration: String,
    min_notice_hours: String,
    cancel_cutoff_hours: String,
    buffer_minutes: String,
    pending_expiry_hours: String,
    #[server(default)] max_per_day: String,
    #[server(default)] capacity: String,
) -> Result<(), AppError> {
    use crate::domain::profile::check_rules;
    use crate::server::fn_context;
    use crate::server::storage::calendar::{self, Settings};
    fn_context::respond(
        async {
            let db = ssr::editable(resource_id).await?;
            let form = RulesForm {
                approval,
                default_duration,
                min_notice_hours,
                cancel_cutoff_hours,
                buffer_minutes,
                pending_expiry_hours,
                max_per_day,
                capacity,
            };
            let change = check_rules(&form)?;
            let settings = Settings {
                approval: change.approval,
                default_duration_minutes: change.default_duration_minutes,
                min_notice_minutes: change.min_notice_minutes,
                cancel_cutoff_hours: change.cancel_cutoff_hours,
                buffer_minutes: change.buffer_minutes,
                pending_expiry_hours: change.pending_expiry_hours,
                max_per_day: change.max_per_day,
                ..ssr::rules(&db, resource_id).await?.settings()
            };
            if let Some(capacity) = change.capacity {
                crate::server::storage::bookings::set_capacity(&db, resource_id, capacity, crate::server::clock::now()).await?;
            }
            calendar::update_settings(&db, resource_id, &settings).await?;
            ssr::audit(&db, resource_id, serde_json::json!({"rules": form})).await
        }
        .await,
    )
}

/// Adds a service (`service_id` empty) or changes one the resource offers.
#[allow(clippy::too_many_arguments)]
#[server(prefix = "/fn", endpoint = "save-service")]
pub async fn save_service(
    resource_id: i64,
    #[server(default)] service_id: Option<i64>,
    name: String,
    duration: String,
    price: String,
    #[server(default)] deposit_kind: String,
    #[server(default)] deposit: String,
    currency: String,
) -> Result<(), AppError> {
    use crate::domain::profile::check_service;
    use crate::server::fn_context;
    use crate::server::storage::services;
    fn_context::respond(
        async {
            let db = ssr::editable(resource_id).await?;
            let form = ServiceForm { id: service_id, name, duration, price, deposit_kind, deposit, currency };
            let service = check_service(&form, resource_id)?;
            match service_id {
                None => services::create(&db, &service).await.map(drop)?,
                Some(_) if services::update(&db, &service).await? => {}
                Some(_) => return Err(AppError::NotFound),
            }
            ssr::audit(&db, resource_id, serde_json::json!({"service": form})).await
        }
        .await,
    )
}

/// Stops offering a service; bookings that name it keep it.
#[server(prefix = "/fn", endpoint = "remove-service")]
pub async fn remove_service(resource_id: i64, service_id: i64) -> Result<(), AppError> {
    use crate::server::fn_context;
    use crate::server::storage::services;
    fn_context::respond(
        async {
            let db = ssr::editable(resource_id).await?;
            if !services::remove(&db, resource_id, service_id).await? {
                return Err(AppError::NotFound);
            }
            ssr::audit(&db, resource_id, serde_json::json!({"service_removed": service_id})).await
        }
        .await,
    )
}

#[cfg(feature = "ssr")]
mod ssr {
    use super::{Conflict, DateException, EditableResource};
    use crate::domain::availability::{Schedule, Span};
    use crate::domain::booking::{Approval, Booking, BookingStatus};
    use crate::domain::profile::{format_clock, DayForm, ProfileForm, RulesForm, ServiceForm};
    use crate::domain::time::local_date;
    use crate::error::AppError;
    use crate::server::storage::bookings::{self, Filter};
    use crate::server::storage::calendar::ResourceRules;
    use crate::domain::audit::{target, AuditAction};
    use crate::server::storage::audit::{self, Act};
    use crate::server::storage::{resources, services, Db};
    use crate::server::{auth, availability, fn_context, photos};
    use chrono::{DateTime, Utc};
    use serde_json::Value;

    /// The database, once the caller is known to be allowed to change the resource.
    pub async fn editable(resource_id: i64) -> Result<Db, AppError> {
        let request = fn_context::auth();
        let user = auth::require_user(&request)?;
        let db = fn_context::state()?.db;
        photos::may_change(&db, user, resource_id).await?;
        Ok(db)
    }

    /// An administrator's change to the resource goes to the audit log (a
    /// manager's own changes are not audited).
    pub async fn audit(db: &Db, resource_id: i64, detail: Value) -> Result<(), AppError> {
        let user = auth::require_user(&fn_context::auth())?.clone();
        if let Some(act) = Act::by_admin(&user, AuditAction::ResourceSettings, target("resource", resource_id), detail) {
            audit::record(&mut *db.write().await?, &act, crate::server::clock::now()).await?;
        }
        Ok(())
    }

    pub async fn rules(db: &Db, resource_id: i64) -> Result<ResourceRules, AppError> {
        availability::rules(db, resource_id).await?.ok_or(AppError::NotFound)
    }

    pub async fn settings(db: &Db, resource_id: i64, now: DateTime<Utc>) -> Result<EditableResource, AppError> {
        let detail = resources::find(db, resource_id).await?.ok_or(AppError::NotFound)?;
        let rules = rules(db, resource_id).await?;
        let today = local_date(now, rules.zone);
        let exceptions = rules
            .schedule
            .exceptions
            .range(today..)
            .map(|(date, hours)| DateException {
                date: *date,
                hours: hours.iter().map(|h| (format_clock(h.opens), format_clock(h.closes))).collect(),
            })
            .collect();
        let upcoming = bookings::list(db, &Filter { resource_id: Some(resource_id), from: Some(now), ..Filter::default() }, 0, 1000).await?;
        let offered = services::list_for_resource(db, resource_id).await?;
        Ok(EditableResource {
            currency: offered.first().map(|s| s.currency.clone()).unwrap_or_else(|| "MXN".into()),
            services: offered.iter().map(ServiceForm::of).collect(),
            id: resource_id,
            slug: detail.summary.slug.clone(),
            timezone: rules.zone.name().to_string(),
            today: today.to_string(),
            profile: profile_form(&detail.summary.kind, &detail.summary.name, &detail.summary.description, &detail.attributes),
            days: rules.schedule.weekly.iter().map(|hours| DayForm::showing(hours)).collect(),
            exceptions,
            rules: rules_form(&rules),
            conflicts: conflicts(&rules.schedule, &upcoming, crate::i18n::request_lang()),
        })
    }

    fn profile_form(kind: &str, name: &str, description: &str, attributes: &Value) -> ProfileForm {
        let text = |value: &Value| match value {
            Value::String(s) => s.clone(),
            Value::Null => String::new(),
            other => other.to_string(),
        };
        let genres = attributes["genres"].as_array().map(|list| list.iter().map(text).collect::<Vec<_>>().join(", "));
        ProfileForm {
            kind: kind.to_string(),
            name: name.to_string(),
            description: description.to_string(),
            genres: genres.unwrap_or_default(),
            city: text(&attributes["city"]),
            seats: text(&attributes["seats"]),
        }
    }

    fn rules_form(rules: &ResourceRules) -> RulesForm {
        RulesForm {
            approval: if rules.approval == Approval::Auto { "auto" } else { "manual" }.to_string(),
            default_duration: rules.default_duration.num_minutes().to_string(),
            min_notice_hours: rules.policy.min_notice.num_hours().to_string(),
            cancel_cutoff_hours: rules.cancel_cutoff_hours.to_string(),
            buffer_minutes: rules.policy.buffer.num_minutes().to_string(),
            pending_expiry_hours: rules.pending_expiry.num_hours().to_string(),
            max_per_day: rules.policy.max_per_day.map(|n| n.to_string()).unwrap_or_default(),
            capacity: rules.policy.capacity.to_string(),
        }
    }

    /// Held bookings the hours no longer cover; they are shown, never moved.
    fn conflicts(schedule: &Schedule, upcoming: &[Booking], lang: crate::domain::account::Lang) -> Vec<Conflict> {
        upcoming
            .iter()
            .filter(|b| matches!(b.status, BookingStatus::Pending | BookingStatus::Confirmed))
            .filter(|b| !schedule.covers(Span::new(b.start, b.end)))
            .map(|b| Conflict {
                id: b.id,
                guest_name: b.guest_name.clone(),
                status: b.status,
                when: crate::i18n::local_period(lang, b.start, b.end, schedule.zone),
            })
            .collect()
    }
}
