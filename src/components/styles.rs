//! Tailwind classes shared by several pages, so one look is written once.

pub const PRIMARY_BUTTON: &str = "rounded-md bg-indigo-600 px-4 py-2 font-semibold text-white hover:bg-indigo-700 focus:outline-none \
                                  focus-visible:ring-2 focus-visible:ring-indigo-500 focus-visible:ring-offset-2 disabled:opacity-60";

pub const TEXT_INPUT: &str = "block w-full rounded-md border border-slate-300 px-3 py-2 shadow-sm focus:border-indigo-500 \
                              focus:outline-none focus:ring-2 focus:ring-indigo-500 aria-[invalid=true]:border-rose-500";

/// The colours of a booking status badge.
pub fn booking_status_badge(status: crate::domain::booking::BookingStatus) -> &'static str {
    use crate::domain::booking::BookingStatus::*;
    match status {
        Pending => "bg-amber-100 text-amber-800",
        Confirmed => "bg-emerald-100 text-emerald-800",
        InProgress => "bg-sky-100 text-sky-800",
        Completed => "bg-slate-100 text-slate-700",
        Rejected | Cancelled | NoShow | Expired => "bg-rose-100 text-rose-800",
    }
}
