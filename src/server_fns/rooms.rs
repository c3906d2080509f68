//! The administrators' rooms board: every room's status and the booking that
//! explains it, with check-in, check-out and end-of-cleaning actions.

use crate::domain::booking::BookingStatus;
use crate::domain::room::RoomStatus;
use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BoardBooking {
    pub id: i64,
    pub guest_name: String,
    pub status: BookingStatus,
    /// Already in the room's zone, e.g. "20/11 14:00".
    pub check_in: String,
    pub check_out: String,
    pub maintenance_until: Option<String>,
}

/// A room's fields as the form shows them.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct RoomFields {
    pub number: String,
    pub room_type: String,
    pub description: String,
    pub beds: String,
    pub guests: String,
    pub nightly_price: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RoomCard {
    pub id: i64,
    pub name: String,
    pub description: String,
    pub fields: RoomFields,
    /// Photo URLs, the cover first.
    pub photos: Vec<String>,
    pub status: RoomStatus,
    /// The booking behind the status: the guest inside, the stay being
    /// cleaned up after, or the next arrival.
    pub booking: Option<BoardBooking>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RoomStep {
    CheckIn,
    CheckOut,
    CompleteMaintenance,
}

#[server(prefix = "/fn", endpoint = "rooms-board")]
pub async fn rooms_board() -> Result<Vec<RoomCard>, AppError> {
    use crate::domain::account::Role;
    use crate::server::{auth, fn_context};
    fn_context::respond(
        async {
            auth::require_role(&fn_context::auth(), &[Role::Admin])?;
            Ok(ssr::board(&fn_context::state()?.db, crate::server::clock::now()).await?)
        }
        .await,
    )
}

#[server(prefix = "/fn", endpoint = "room-action")]
pub async fn room_action(booking_id: i64, action: RoomStep) -> Result<(), AppError> {
    use crate::domain::account::Role;
    use crate::domain::booking::Action;
    use crate::server::storage::bookings::{self, Actor};
    use crate::server::{auth, fn_context};
    fn_context::respond(
        async {
            let request = fn_context::auth();
            let admin = auth::require_role(&request, &[Role::Admin])?;
            let db = fn_context::state()?.db;
            let actor = Actor { user_id: Some(admin.id), role: admin.role };
            let now = crate::server::clock::now();
            match action {
                RoomStep::CheckIn => bookings::apply(&db, booking_id, Action::CheckIn, actor, "", now).await?,
                RoomStep::CheckOut => bookings::apply(&db, booking_id, Action::CheckOut, actor, "", now).await?,
                RoomStep::CompleteMaintenance => bookings::complete_maintenance(&db, booking_id, actor, now).await?,
            };
            Ok(())
        }
        .await,
    )
}

#[cfg(feature = "ssr")]
mod ssr {
    use super::{BoardBooking, RoomCard, RoomFields};
    use crate::domain::booking::{Booking, BookingStatus};
    use crate::domain::time::parse_zone;
    use crate::server::storage::bookings::{self, Filter};
    use crate::server::storage::{resources, Db, StorageError};
    use chrono::{DateTime, Duration, Utc};

    pub async fn board(db: &Db, now: DateTime<Utc>) -> Result<Vec<RoomCard>, StorageError> {
        let mut cards = Vec::new();
        for room in resources::list_of_kind(db, "room").await? {
            let zone = parse_zone(&room.timezone).unwrap_or(chrono_tz::UTC);
            let local = |t: DateTime<Utc>| t.with_timezone(&zone).format("%d/%m %H:%M").to_string();
            let filter = Filter { resource_id: Some(room.id), from: Some(now - Duration::days(2)), ..Filter::default() };
            let near = bookings::list(db, &filter, 0, 50).await?;
            let booking = explaining_booking(&near, now).map(|b| BoardBooking {
                id: b.id,
                guest_name: b.guest_name.clone(),
                status: b.status,
                check_in: local(b.start),
                check_out: local(b.end),
                maintenance_until: b.maintenance_until.filter(|t| *t > now).map(local),
            });
            let detail = resources::find(db, room.id).await?;
            let photos = detail.as_ref().map(|d| d.photos.clone()).unwrap_or_default();
            let attributes = detail.map(|d| d.attributes).unwrap_or_default();
            let text = |name: &str| match &attributes[name] {
                serde_json::Value::Null => String::new(),
                serde_json::Value::String(s) => s.clone(),
                other => other.to_string(),
            };
            let price = attributes["nightly_price_minor"].as_i64().map(|m| format!("{}.{:02}", m / 100, m % 100)).unwrap_or_default();
            let fields = RoomFields {
                number: text("number"),
                room_type: text("type"),
                description: room.description.clone(),
                beds: text("beds"),
                guests: text("guests"),
                nightly_price: price,
            };
            cards.push(RoomCard {
                id: room.id,
                name: room.name,
                description: room.description,
                fields,
                photos,
                status: bookings::room_status_at(db, room.id, now).await?,
                booking,
            });
        }
        Ok(cards)
    }

    /// Same precedence as the room status: inside, being cleaned after, next to arrive.
    fn explaining_booking(near: &[Booking], now: DateTime<Utc>) -> Option<&Booking> {
        near.iter()
            .find(|b| b.status == BookingStatus::InProgress)
            .or_else(|| near.iter().find(|b| b.status == BookingStatus::Completed && b.maintenance_until.is_some_and(|t| t > now)))
            .or_else(|| near.iter().find(|b| matches!(b.status, BookingStatus::Confirmed | BookingStatus::Pending) && b.end > now))
    }
}

/// The room form, to add a room (`id` empty) or change one; numbers arrive
/// as typed and are checked here.
#[server(prefix = "/fn", endpoint = "save-room")]
pub async fn save_room(
    id: String,
    number: String,
    description: String,
    room_type: String,
    beds: String,
    guests: String,
    nightly_price: String,
) -> Result<i64, AppError> {
    use crate::domain::account::{FieldError, Problem, Role};
    use crate::domain::resource::{parse_money, RoomInput};
    use crate::server::{auth, fn_context, rooms};
    fn whole(field: &str, text: &str) -> Result<Option<i64>, FieldError> {
        let text = text.trim();
        if text.is_empty() {
            return Ok(None);
        }
        text.parse().map(Some).map_err(|_| FieldError::new(field, Problem::NotAWholeNumber))
    }
    fn optional(text: String) -> Option<String> {
        Some(text.trim().to_string()).filter(|t| !t.is_empty())
    }
    fn_context::respond(
        async {
            let request = fn_context::auth();
            let admin = auth::require_role(&request, &[Role::Admin])?;
            let price = match nightly_price.trim() {
                "" => None,
                text => Some(parse_money(text).ok_or(FieldError::new("nightly_price", Problem::MoneyInvalid))?),
            };
            let input = RoomInput {
                number: optional(number),
                description: optional(description),
                room_type: optional(room_type),
                beds: whole("beds", &beds)?,
                guests: whole("guests", &guests)?,
                nightly_price_minor: price,
                ..RoomInput::default()
            };
            let state = fn_context::state()?;
            match whole("id", &id)? {
                None => rooms::create_room(&state, admin.id, &input).await,
                Some(id) => rooms::update_room(&state, admin.id, id, &input).await.map(|()| id),
            }
        }
        .await,
    )
}

/// A room taken out of offer, which an administrator may offer again.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RetiredRoom {
    pub id: i64,
    pub name: String,
}

#[server(prefix = "/fn", endpoint = "retired-rooms")]
pub async fn retired_rooms() -> Result<Vec<RetiredRoom>, AppError> {
    use crate::domain::account::Role;
    use crate::server::storage::resources;
    use crate::server::{auth, fn_context};
    fn_context::respond(
        async {
            auth::require_role(&fn_context::auth(), &[Role::Admin])?;
            let rooms = resources::list_retired_of_kind(&fn_context::state()?.db, "room").await?;
            Ok(rooms.into_iter().map(|r| RetiredRoom { id: r.id, name: r.name }).collect())
        }
        .await,
    )
}

/// Retires a room (refused while it has bookings ahead) or offers it again.
#[server(prefix = "/fn", endpoint = "set-room-offered")]
pub async fn set_room_offered(room_id: i64, offered: bool) -> Result<(), AppError> {
    use crate::domain::account::Role;
    use crate::server::storage::resources;
    use crate::server::{auth, fn_context, rooms};
    fn_context::respond(
        async {
            let request = fn_context::auth();
            let admin = auth::require_role(&request, &[Role::Admin])?;
            let db = fn_context::state()?.db;
            resources::find(&db, room_id).await?.filter(|r| r.summary.kind == "room").ok_or(AppError::NotFound)?;
            rooms::set_offered(&db, admin, room_id, offered, crate::server::clock::now()).await
        }
        .await,
    )
}
