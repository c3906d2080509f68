//! What a signed link in a booking email lets its holder do, without logging in.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LinkAction {
    ConfirmAttendance,
    Cancel,
    Reschedule,
}

impl LinkAction {
    pub const ALL: [LinkAction; 3] = [LinkAction::ConfirmAttendance, LinkAction::Cancel, LinkAction::Reschedule];

    pub fn as_str(self) -> &'static str {
        match self {
            LinkAction::ConfirmAttendance => "confirm_attendance",
            LinkAction::Cancel => "cancel",
            LinkAction::Reschedule => "reschedule",
        }
    }

    /// The byte that stands for the action inside a signed token; never change one.
    pub fn code(self) -> u8 {
        match self {
            LinkAction::ConfirmAttendance => 1,
            LinkAction::Cancel => 2,
            LinkAction::Reschedule => 3,
        }
    }

    pub fn from_code(code: u8) -> Option<LinkAction> {
        LinkAction::ALL.into_iter().find(|a| a.code() == code)
    }
}
