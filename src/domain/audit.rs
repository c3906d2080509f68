//! The audit log's vocabulary: what administrators do, each named once, and
//! how the thing they did it to is written.

use super::booking::Action;

/// An administrator's action, as the audit log names it ("booking.check_in").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AuditAction {
    RoomCreate,
    RoomUpdate,
    ResourceRetire,
    ResourceRestore,
    ResourceNotifications,
    PhotoAdd,
    PhotoRemove,
    PhotoCover,
    BookingCreate,
    BookingUpdate,
    BookingConfirm,
    BookingReject,
    BookingCancel,
    BookingCheckIn,
    BookingCheckOut,
    BookingNoShow,
    BookingExpire,
    BookingCompleteMaintenance,
    MailRetry,
    AccountDelete,
    PaymentRecord,
    ResourceSettings,
    AccountCreate,
}

impl AuditAction {
    pub const ALL: [AuditAction; 23] = [
        AuditAction::RoomCreate,
        AuditAction::RoomUpdate,
        AuditAction::ResourceRetire,
        AuditAction::ResourceRestore,
        AuditAction::ResourceNotifications,
        AuditAction::PhotoAdd,
        AuditAction::PhotoRemove,
        AuditAction::PhotoCover,
        AuditAction::BookingCreate,
        AuditAction::BookingUpdate,
        AuditAction::BookingConfirm,
        AuditAction::BookingReject,
        AuditAction::BookingCancel,
        AuditAction::BookingCheckIn,
        AuditAction::BookingCheckOut,
        AuditAction::BookingNoShow,
        AuditAction::BookingExpire,
        AuditAction::BookingCompleteMaintenance,
        AuditAction::MailRetry,
        AuditAction::AccountDelete,
        AuditAction::PaymentRecord,
        AuditAction::ResourceSettings,
        AuditAction::AccountCreate,
    ];

    pub fn as_str(self) -> &'static str {
        use AuditAction::*;
        match self {
            RoomCreate => "room.create",
            RoomUpdate => "room.update",
            ResourceRetire => "resource.retire",
            ResourceRestore => "resource.restore",
            ResourceNotifications => "resource.notifications",
            PhotoAdd => "photo.add",
            PhotoRemove => "photo.remove",
            PhotoCover => "photo.cover",
            BookingCreate => "booking.create",
            BookingUpdate => "booking.update",
            BookingConfirm => "booking.confirm",
            BookingReject => "booking.reject",
            BookingCancel => "booking.cancel",
            BookingCheckIn => "booking.check_in",
            BookingCheckOut => "booking.check_out",
            BookingNoShow => "booking.no_show",
            BookingExpire => "booking.expire",
            BookingCompleteMaintenance => "booking.complete_maintenance",
            MailRetry => "mail.retry",
            AccountDelete => "account.delete",
            PaymentRecord => "payment.record",
            ResourceSettings => "resource.settings",
            AccountCreate => "account.create",
        }
    }

    pub fn parse(text: &str) -> Option<AuditAction> {
        AuditAction::ALL.into_iter().find(|a| a.as_str() == text.trim())
    }

    /// The entry for a change made through the booking state machine.
    pub fn of_booking(action: Action) -> AuditAction {
        match action {
            Action::Confirm => AuditAction::BookingConfirm,
            Action::Reject => AuditAction::BookingReject,
            Action::Cancel => AuditAction::BookingCancel,
            Action::CheckIn => AuditAction::BookingCheckIn,
            Action::CheckOut => AuditAction::BookingCheckOut,
            Action::MarkNoShow => AuditAction::BookingNoShow,
            Action::Expire => AuditAction::BookingExpire,
            Action::Reschedule => AuditAction::BookingUpdate,
            Action::CompleteMaintenance => AuditAction::BookingCompleteMaintenance,
        }
    }
}

/// How an entry names what it is about: "booking:12", "resource:3".
pub fn target(kind: &str, id: i64) -> String {
    format!("{kind}:{id}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn every_action_has_its_own_name_and_reads_back() {
        let names: HashSet<&str> = AuditAction::ALL.iter().map(|a| a.as_str()).collect();
        assert_eq!(names.len(), AuditAction::ALL.len());
        for action in AuditAction::ALL {
            assert_eq!(AuditAction::parse(action.as_str()), Some(action));
        }
        assert_eq!(AuditAction::parse("booking.delete_everything"), None);
    }

    #[test]
    fn booking_actions_are_booking_entries() {
        for action in Action::ALL {
            assert!(AuditAction::of_booking(action).as_str().starts_with("booking."), "{action:?}");
        }
        assert_eq!(AuditAction::of_booking(Action::CheckIn), AuditAction::BookingCheckIn);
        assert_eq!(target("booking", 12), "booking:12");
    }
}
