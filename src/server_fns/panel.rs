//! The data behind each role's home page. Every function checks the role on
//! the server; the UI hiding a link is never the only guard.

use crate::domain::account::Role;
use crate::domain::resource::ResourceSummary;
use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct KindGroup {
    pub kind: String,
    pub resources: Vec<ResourceSummary>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UserRow {
    pub id: i64,
    pub name: String,
    pub email: String,
    pub role: Role,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AdminSummary {
    pub users_by_role: Vec<(Role, i64)>,
    pub users: Vec<UserRow>,
    pub resources: Vec<KindGroup>,
}

/// Groups resources (already ordered by kind) under their kind.
pub fn group_by_kind(resources: Vec<ResourceSummary>) -> Vec<KindGroup> {
    let mut groups: Vec<KindGroup> = Vec::new();
    for resource in resources {
        match groups.last_mut() {
            Some(group) if group.kind == resource.kind => group.resources.push(resource),
            _ => groups.push(KindGroup { kind: resource.kind.clone(), resources: vec![resource] }),
        }
    }
    groups
}

/// What a client can book, by kind.
#[server(prefix = "/fn", endpoint = "bookable-resources")]
pub async fn bookable_resources() -> Result<Vec<KindGroup>, AppError> {
    use crate::server::{auth, fn_context, storage::resources};
    fn_context::respond(
        async {
            auth::require_user(&fn_context::auth())?;
            Ok(group_by_kind(resources::list_all(&fn_context::state()?.db).await?))
        }
        .await,
    )
}

/// The resources the logged-in manager manages.
#[server(prefix = "/fn", endpoint = "managed-resources")]
pub async fn managed_resources() -> Result<Vec<KindGroup>, AppError> {
    use crate::server::{auth, fn_context, storage::resources};
    fn_context::respond(
        async {
            let request = fn_context::auth();
            let manager = auth::require_role(&request, &[Role::Manager, Role::Admin])?;
            Ok(group_by_kind(resources::list_managed_by(&fn_context::state()?.db, manager.id).await?))
        }
        .await,
    )
}

/// A managed resource's photos, for its managers to change.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ResourcePhotos {
    pub id: i64,
    pub name: String,
    pub photos: Vec<String>,
}

#[server(prefix = "/fn", endpoint = "managed-photos")]
pub async fn managed_photos() -> Result<Vec<ResourcePhotos>, AppError> {
    use crate::server::{auth, fn_context, storage::resources};
    fn_context::respond(
        async {
            let request = fn_context::auth();
            let manager = auth::require_role(&request, &[Role::Manager, Role::Admin])?;
            let db = fn_context::state()?.db;
            let mut all = Vec::new();
            for resource in resources::list_managed_by(&db, manager.id).await? {
                let photos = resources::find(&db, resource.id).await?.map(|d| d.photos).unwrap_or_default();
                all.push(ResourcePhotos { id: resource.id, name: resource.name, photos });
            }
            Ok(all)
        }
        .await,
    )
}

pub const ADMIN_USERS_PAGE: i64 = 50;

#[server(prefix = "/fn", endpoint = "admin-overview")]
pub async fn admin_overview(page: i64) -> Result<AdminSummary, AppError> {
    use crate::server::{auth, fn_context, storage::{resources, users}};
    fn_context::respond(
        async {
            auth::require_role(&fn_context::auth(), &[Role::Admin])?;
            let db = fn_context::state()?.db;
            let offset = page.clamp(0, 1_000_000) * ADMIN_USERS_PAGE;
            let users = users::list(&db, ADMIN_USERS_PAGE, offset)
                .await?
                .into_iter()
                .map(|u| UserRow { id: u.id, name: u.name, email: u.email, role: u.role })
                .collect();
            Ok(AdminSummary {
                users_by_role: users::count_by_role(&db).await?,
                users,
                resources: group_by_kind(resources::list_all(&db).await?),
            })
        }
        .await,
    )
}

/// One booking in a manager's "latest bookings" list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BookingLine {
    pub id: i64,
    pub resource_id: i64,
    pub resource: String,
    /// The start in the resource's zone, e.g. "20/11/2026 14:00".
    pub starts: String,
    pub guest_name: String,
    pub status: crate::domain::booking::BookingStatus,
    /// When the client confirmed attendance through the emailed link, in the resource's zone.
    pub attendance_confirmed: Option<String>,
}

/// How many upcoming bookings the manager's home lists.
pub const LATEST_BOOKINGS: i64 = 20;

/// A manager's dashboard list: the requests waiting for an answer first,
/// then the other upcoming bookings.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ManagerBookingLists {
    /// Pending requests not yet over, soonest first.
    pub pending: Vec<BookingLine>,
    /// The other bookings not yet over, soonest first, at most `LATEST_BOOKINGS`.
    pub upcoming: Vec<BookingLine>,
}

impl ManagerBookingLists {
    pub fn is_empty(&self) -> bool {
        self.pending.is_empty() && self.upcoming.is_empty()
    }
}

/// How many pending requests the manager's home lists.
pub const PENDING_REQUESTS: i64 = 50;

/// The next bookings (not yet over) of the resources the logged-in manager
/// manages, pending requests apart and first.
#[server(prefix = "/fn", endpoint = "managed-bookings")]
pub async fn managed_bookings() -> Result<ManagerBookingLists, AppError> {
    use crate::domain::booking::BookingStatus;
    use crate::server::storage::bookings::{self, Filter};
    use crate::server::{auth, fn_context};
    fn_context::respond(
        async {
            let request = fn_context::auth();
            let manager = auth::require_role(&request, &[Role::Manager, Role::Admin])?;
            let db = fn_context::state()?.db;
            let resources = ssr::ManagedResources::load(&db, manager.id).await?;
            let now = crate::server::clock::now();
            let mine = Filter { manager_id: Some(manager.id), from: Some(now), ..Filter::default() };
            let pending_filter = Filter { status: Some(BookingStatus::Pending), ..mine.clone() };
            let pending = bookings::list(&db, &pending_filter, 0, PENDING_REQUESTS).await?;
            let upcoming = bookings::list(&db, &mine, 0, LATEST_BOOKINGS + pending.len() as i64).await?;
            Ok(ManagerBookingLists {
                pending: pending.iter().filter_map(|b| resources.line(b)).collect(),
                upcoming: upcoming
                    .iter()
                    .filter(|b| b.status != BookingStatus::Pending)
                    .filter_map(|b| resources.line(b))
                    .take(LATEST_BOOKINGS as usize)
                    .collect(),
            })
        }
        .await,
    )
}

/// What a manager does with one booking from the dashboard.
pub const MANAGE_ACTIONS: [&str; 3] = ["confirm", "reject", "cancel"];

/// Confirms, rejects or cancels a booking as its resource's manager (or an
/// admin). Rejecting and cancelling need a reason. A manager's cancellation
/// is not bound by the client's cutoff. 403 for anyone else, 404 for an
/// unknown booking, 409 when the booking's status does not allow the action.
#[server(prefix = "/fn", endpoint = "manage-booking")]
pub async fn manage_booking(booking_id: i64, action: String, #[server(default)] reason: String) -> Result<BookingLine, AppError> {
    use crate::domain::account::Problem;
    use crate::domain::booking::Action;
    use crate::server::storage::bookings::{self, Actor};
    use crate::server::{auth, fn_context};
    use crate::server_fns::my_bookings::REASON_MAX_CHARS;
    fn_context::respond(
        async {
            let request = fn_context::auth();
            let user = auth::require_role(&request, &[Role::Manager, Role::Admin])?;
            let action = match action.as_str() {
                "confirm" => Action::Confirm,
                "reject" => Action::Reject,
                "cancel" => Action::Cancel,
                _ => return Err(AppError::invalid("action", Problem::OutOfRange)),
            };
            let reason = reason.trim();
            if action != Action::Confirm && reason.is_empty() {
                return Err(AppError::invalid("reason", Problem::Required));
            }
            if reason.chars().count() > REASON_MAX_CHARS {
                return Err(AppError::invalid("reason", Problem::TooLong));
            }
            let db = fn_context::state()?.db;
            let booking = bookings::get(&db, booking_id).await?.ok_or(AppError::NotFound)?;
            let managed = ssr::ManagedResources::load(&db, user.id).await?;
            if user.role != Role::Admin && !managed.contains(booking.resource_id) {
                return Err(AppError::Forbidden);
            }
            let actor = Actor { user_id: Some(user.id), role: user.role };
            let updated = bookings::apply(&db, booking.id, action, actor, reason, crate::server::clock::now()).await?;
            match managed.line(&updated) {
                Some(line) => Ok(line),
                // An admin acting on a resource managed by someone else.
                None => ssr::line_of(&db, &updated).await,
            }
        }
        .await,
    )
}

/// One booking of a resource the logged-in manager manages, e.g. the one a
/// live "new request" announced.
#[server(prefix = "/fn", endpoint = "managed-booking")]
pub async fn managed_booking(id: i64) -> Result<BookingLine, AppError> {
    use crate::server::storage::bookings;
    use crate::server::{auth, fn_context};
    fn_context::respond(
        async {
            let request = fn_context::auth();
            let manager = auth::require_role(&request, &[Role::Manager, Role::Admin])?;
            let db = fn_context::state()?.db;
            let booking = bookings::get(&db, id).await?.ok_or(AppError::NotFound)?;
            ssr::ManagedResources::load(&db, manager.id).await?.line(&booking).ok_or(AppError::Forbidden)
        }
        .await,
    )
}

#[cfg(feature = "ssr")]
pub(crate) mod ssr {
    use super::BookingLine;
    use crate::domain::booking::Booking;
    use crate::domain::time::parse_zone;
    use crate::server::storage::{resources, Db, StorageError};
    use chrono_tz::Tz;
    use std::collections::HashMap;

    /// A manager's resources: name and time zone by id.
    pub struct ManagedResources(HashMap<i64, (String, Tz)>);

    impl ManagedResources {
        pub async fn load(db: &Db, manager_id: i64) -> Result<Self, StorageError> {
            Ok(ManagedResources(
                resources::list_managed_by(db, manager_id)
                    .await?
                    .into_iter()
                    .map(|r| (r.id, (r.name, parse_zone(&r.timezone).unwrap_or(chrono_tz::UTC))))
                    .collect(),
            ))
        }

        pub fn contains(&self, resource_id: i64) -> bool {
            self.0.contains_key(&resource_id)
        }

        /// The resource's name and time zone.
        pub fn get(&self, resource_id: i64) -> Option<&(String, Tz)> {
            self.0.get(&resource_id)
        }

        /// `None` when the booking is not of one of these resources.
        pub fn line(&self, booking: &Booking) -> Option<BookingLine> {
            let (name, zone) = self.0.get(&booking.resource_id)?;
            Some(BookingLine {
                id: booking.id,
                resource_id: booking.resource_id,
                resource: name.clone(),
                starts: booking.start.with_timezone(zone).format("%d/%m/%Y %H:%M").to_string(),
                guest_name: booking.guest_name.clone(),
                status: booking.status,
                attendance_confirmed: booking
                    .attendance_confirmed_at
                    .map(|at| at.with_timezone(zone).format("%d/%m/%Y %H:%M").to_string()),
            })
        }
    }

    /// The line of any booking, looking its resource up.
    pub async fn line_of(db: &Db, booking: &Booking) -> Result<BookingLine, crate::error::AppError> {
        let resource = resources::find(db, booking.resource_id).await?.ok_or(crate::error::AppError::NotFound)?;
        let zone = parse_zone(&resource.summary.timezone).unwrap_or(chrono_tz::UTC);
        let one = ManagedResources(HashMap::from([(booking.resource_id, (resource.summary.name, zone))]));
        one.line(booking).ok_or(crate::error::AppError::NotFound)
    }
}
