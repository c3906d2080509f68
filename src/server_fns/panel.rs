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
    /// The resource's kind: rooms keep check-in and check-out to administrators.
    pub kind: String,
    pub payment_status: crate::domain::payment::PaymentStatus,
    /// The deposit asked when it was booked (e.g. "$500.00 MXN"), if any.
    pub deposit: Option<String>,
    /// Whether that deposit is still owed.
    pub deposit_owed: bool,
}

impl BookingLine {
    /// The workshop job actions (start, complete, no-show) its status allows
    /// here; rooms have their own front desk.
    pub fn job_actions(&self) -> &'static [&'static str] {
        use crate::domain::booking::BookingStatus;
        match (self.kind.as_str(), self.status) {
            ("room", _) => &[],
            (_, BookingStatus::Confirmed) => &["check_in", "mark_no_show"],
            (_, BookingStatus::InProgress) => &["check_out"],
            _ => &[],
        }
    }
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
pub const MANAGE_ACTIONS: [&str; 6] = ["confirm", "reject", "cancel", "check_in", "check_out", "mark_no_show"];

/// The state-machine action a dashboard form names.
pub fn manage_action(name: &str) -> Option<crate::domain::booking::Action> {
    use crate::domain::booking::Action;
    let actions = [Action::Confirm, Action::Reject, Action::Cancel, Action::CheckIn, Action::CheckOut, Action::MarkNoShow];
    MANAGE_ACTIONS.iter().zip(actions).find(|(n, _)| **n == name).map(|(_, action)| action)
}

/// Confirms, rejects or cancels a booking as its resource's manager (or an
/// admin), or moves a workshop job along (started, completed, no-show; for
/// rooms only administrators, at the front desk). Rejecting and cancelling
/// need a reason. A manager's cancellation is not bound by the client's
/// cutoff. 403 for anyone else, 404 for an unknown booking, 409 when the
/// booking's status does not allow the action (or its deposit is unpaid).
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
            let action = manage_action(&action).ok_or_else(|| AppError::invalid("action", Problem::OutOfRange))?;
            let reason = reason.trim();
            if matches!(action, Action::Reject | Action::Cancel) && reason.is_empty() {
                return Err(AppError::invalid("reason", Problem::Required));
            }
            if reason.chars().count() > REASON_MAX_CHARS {
                return Err(AppError::invalid("reason", Problem::TooLong));
            }
            let db = fn_context::state()?.db;
            let (booking, managed) = ssr::managed_booking(&db, user, booking_id).await?;
            let job = matches!(action, Action::CheckIn | Action::CheckOut | Action::MarkNoShow);
            if job && user.role != Role::Admin && managed.kind_of(booking.resource_id) == Some("room") {
                return Err(AppError::Forbidden);
            }
            let actor = Actor { user_id: Some(user.id), role: user.role };
            let updated = bookings::apply(&db, booking.id, action, actor, reason, crate::server::clock::now()).await?;
            ssr::line_for(&db, &managed, &updated).await
        }
        .await,
    )
}

/// The payment kinds and methods a manager records by hand.
pub const PAYMENT_KINDS: [&str; 3] = ["deposit", "payment", "refund"];
pub const PAYMENT_METHODS: [&str; 2] = ["cash", "transfer"];

/// Records money taken (or given back) by hand for a booking, as its
/// resource's manager or an administrator; `amount` in whole currency units
/// ("450.00"). 422 with the field at fault, 409 when the booking takes no
/// payments; 403 for anyone else.
#[server(prefix = "/fn", endpoint = "record-payment")]
pub async fn record_payment(booking_id: i64, kind: String, amount: String, method: String) -> Result<BookingLine, AppError> {
    use crate::domain::account::Problem;
    use crate::domain::payment::{NewPayment, PaymentKind, PaymentMethod, PaymentSource};
    use crate::domain::resource::parse_money;
    use crate::server::storage::{bookings::Actor, payments};
    use crate::server::{auth, fn_context};
    fn_context::respond(
        async {
            let request = fn_context::auth();
            let user = auth::require_role(&request, &[Role::Manager, Role::Admin])?;
            let kind = PaymentKind::parse(&kind).ok_or_else(|| AppError::invalid("kind", Problem::OutOfRange))?;
            let amount_minor = parse_money(&amount).ok_or_else(|| AppError::invalid("amount", Problem::MoneyInvalid))?;
            let method = PaymentMethod::parse(&method)
                .filter(|m| PAYMENT_METHODS.contains(&m.as_str()))
                .ok_or_else(|| AppError::invalid("method", Problem::OutOfRange))?;
            let db = fn_context::state()?.db;
            let (booking, managed) = ssr::managed_booking(&db, user, booking_id).await?;
            let payment = NewPayment { kind, amount_minor, currency: booking.currency.clone(), source: PaymentSource::Offline, method, reference: String::new() };
            let actor = Actor { user_id: Some(user.id), role: user.role };
            let updated = payments::record(&db, booking.id, &payment, actor, crate::server::clock::now()).await?;
            ssr::line_for(&db, &managed, &updated).await
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
    use crate::domain::account::Role;
    use crate::domain::booking::Booking;
    use crate::domain::resource::ResourceSummary;
    use crate::domain::time::parse_zone;
    use crate::error::AppError;
    use crate::server::notify::compose::money;
    use crate::server::storage::users::User;
    use crate::server::storage::{bookings, resources, Db, StorageError};
    use chrono_tz::Tz;
    use std::collections::HashMap;

    /// A manager's resources: name, time zone and kind by id.
    pub struct ManagedResources(HashMap<i64, (String, Tz, String)>);

    impl ManagedResources {
        pub async fn load(db: &Db, manager_id: i64) -> Result<Self, StorageError> {
            Ok(ManagedResources(
                resources::list_managed_by(db, manager_id)
                    .await?
                    .into_iter()
                    .map(|r| (r.id, (r.name, parse_zone(&r.timezone).unwrap_or(chrono_tz::UTC), r.kind)))
                    .collect(),
            ))
        }

        fn insert(&mut self, r: ResourceSummary) {
            let zone = parse_zone(&r.timezone).unwrap_or(chrono_tz::UTC);
            self.0.insert(r.id, (r.name, zone, r.kind));
        }

        pub fn contains(&self, resource_id: i64) -> bool {
            self.0.contains_key(&resource_id)
        }

        /// The resource's name and time zone.
        pub fn get(&self, resource_id: i64) -> Option<(&String, &Tz)> {
            self.0.get(&resource_id).map(|(name, zone, _)| (name, zone))
        }

        pub fn kind_of(&self, resource_id: i64) -> Option<&str> {
            self.0.get(&resource_id).map(|(_, _, kind)| kind.as_str())
        }

        /// `None` when the booking is not of one of these resources.
        pub fn line(&self, booking: &Booking) -> Option<BookingLine> {
            let (name, zone, kind) = self.0.get(&booking.resource_id)?;
            let deposit = (booking.deposit_due_minor > 0).then(|| money(booking.deposit_due_minor, &booking.currency));
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
                kind: kind.clone(),
                payment_status: booking.payment_status,
                deposit,
                deposit_owed: booking.deposit_unpaid(),
            })
        }
    }

    /// A booking the user may manage: of a resource they manage, or any for
    /// an administrator (404 unknown, 403 someone else's); with their resources.
    pub async fn managed_booking(db: &Db, user: &User, booking_id: i64) -> Result<(Booking, ManagedResources), AppError> {
        let booking = bookings::get(db, booking_id).await?.ok_or(AppError::NotFound)?;
        let mut managed = ManagedResources::load(db, user.id).await?;
        if !managed.contains(booking.resource_id) {
            if user.role != Role::Admin {
                return Err(AppError::Forbidden);
            }
            // An admin acting on a resource managed by someone else.
            let resource = resources::find(db, booking.resource_id).await?.ok_or(AppError::NotFound)?;
            managed.insert(resource.summary);
        }
        Ok((booking, managed))
    }

    /// The dashboard line of a booking of one of `managed`.
    pub async fn line_for(db: &Db, managed: &ManagedResources, booking: &Booking) -> Result<BookingLine, AppError> {
        match managed.line(booking) {
            Some(line) => Ok(line),
            None => line_of(db, booking).await,
        }
    }

    /// The line of any booking, looking its resource up.
    pub async fn line_of(db: &Db, booking: &Booking) -> Result<BookingLine, AppError> {
        let resource = resources::find(db, booking.resource_id).await?.ok_or(AppError::NotFound)?;
        let mut one = ManagedResources(HashMap::new());
        one.insert(resource.summary);
        one.line(booking).ok_or(AppError::NotFound)
    }
}
