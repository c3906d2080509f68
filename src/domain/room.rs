//! A room's status is never stored: it follows from its bookings and the clock.

use super::booking::BookingStatus;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RoomStatus {
    Available,
    Reserved,
    Occupied,
    Maintenance,
}

impl RoomStatus {
    pub const ALL: [RoomStatus; 4] = [RoomStatus::Available, RoomStatus::Reserved, RoomStatus::Occupied, RoomStatus::Maintenance];

    pub fn as_str(self) -> &'static str {
        match self {
            RoomStatus::Available => "available",
            RoomStatus::Reserved => "reserved",
            RoomStatus::Occupied => "occupied",
            RoomStatus::Maintenance => "maintenance",
        }
    }

    /// English names and the Spanish ones of the hotel seed.
    pub fn parse(text: &str) -> Option<RoomStatus> {
        let text = text.trim().to_lowercase();
        RoomStatus::ALL.into_iter().find(|s| s.as_str() == text).or(match text.as_str() {
            "disponible" => Some(RoomStatus::Available),
            "reservada" => Some(RoomStatus::Reserved),
            "ocupada" => Some(RoomStatus::Occupied),
            "mantenimiento" => Some(RoomStatus::Maintenance),
            _ => None,
        })
    }
}

/// What the status depends on, per booking of the room.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RoomBooking {
    pub status: BookingStatus,
    pub end: DateTime<Utc>,
    /// Set at check-out: cleaning lasts until then (or until completed by hand).
    pub maintenance_until: Option<DateTime<Utc>>,
}

/// occupied (a guest is in) > maintenance (cleaning after a check-out) >
/// reserved (a confirmed or pending booking still ahead) > available.
pub fn room_status(bookings: &[RoomBooking], now: DateTime<Utc>) -> RoomStatus {
    if bookings.iter().any(|b| b.status == BookingStatus::InProgress) {
        RoomStatus::Occupied
    } else if bookings.iter().any(|b| b.status == BookingStatus::Completed && b.maintenance_until.is_some_and(|t| t > now)) {
        RoomStatus::Maintenance
    } else if bookings
        .iter()
        .any(|b| matches!(b.status, BookingStatus::Confirmed | BookingStatus::Pending) && b.end > now)
    {
        RoomStatus::Reserved
    } else {
        RoomStatus::Available
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Duration;

    fn booking(status: BookingStatus, end_in_hours: i64, maintenance_in_minutes: Option<i64>) -> RoomBooking {
        let now = now();
        RoomBooking {
            status,
            end: now + Duration::hours(end_in_hours),
            maintenance_until: maintenance_in_minutes.map(|m| now + Duration::minutes(m)),
        }
    }

    fn now() -> DateTime<Utc> {
        DateTime::from_timestamp(1_900_000_000, 0).unwrap()
    }

    #[test]
    fn follows_the_seed_flow() {
        use BookingStatus::*;
        assert_eq!(room_status(&[], now()), RoomStatus::Available);
        assert_eq!(room_status(&[booking(Confirmed, 48, None)], now()), RoomStatus::Reserved);
        assert_eq!(room_status(&[booking(InProgress, 2, None)], now()), RoomStatus::Occupied);
        assert_eq!(room_status(&[booking(Completed, -1, Some(20))], now()), RoomStatus::Maintenance);
        assert_eq!(room_status(&[booking(Completed, -1, Some(-5))], now()), RoomStatus::Available);
        assert_eq!(room_status(&[booking(Cancelled, 48, None)], now()), RoomStatus::Available);
    }

    #[test]
    fn consecutive_bookings_leave_the_room_reserved_after_cleaning() {
        use BookingStatus::*;
        let stays = [booking(Completed, 0, Some(30)), booking(Confirmed, 72, None)];
        assert_eq!(room_status(&stays, now()), RoomStatus::Maintenance);
        assert_eq!(room_status(&stays, now() + Duration::minutes(31)), RoomStatus::Reserved);
    }

    #[test]
    fn statuses_read_the_seed_spanish() {
        assert_eq!(RoomStatus::parse("disponible"), Some(RoomStatus::Available));
        assert_eq!(RoomStatus::parse("Mantenimiento"), Some(RoomStatus::Maintenance));
        assert_eq!(RoomStatus::parse("occupied"), Some(RoomStatus::Occupied));
        assert_eq!(RoomStatus::parse("roto"), None);
    }
}
