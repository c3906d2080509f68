//! Which days a booking calendar shows: a month as whole weeks (Monday
//! first) or one week, and where "previous" and "next" lead.

use chrono::{Datelike, Days, Months, NaiveDate};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum View {
    Month,
    Week,
}

impl View {
    /// The `vista` query value: "semana" is a week, anything else a month.
    pub fn parse(code: &str) -> View {
        if code == "semana" { View::Week } else { View::Month }
    }

    pub fn code(self) -> &'static str {
        match self {
            View::Month => "mes",
            View::Week => "semana",
        }
    }
}

/// The days shown (`first` a Monday, `last` a Sunday) and the anchors of the
/// previous and next page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Window {
    pub first: NaiveDate,
    pub last: NaiveDate,
    pub prev: NaiveDate,
    pub next: NaiveDate,
}

fn monday_of(date: NaiveDate) -> NaiveDate {
    date - Days::new(u64::from(date.weekday().num_days_from_monday()))
}

pub fn window(view: View, anchor: NaiveDate) -> Window {
    match view {
        View::Week => {
            let first = monday_of(anchor);
            Window { first, last: first + Days::new(6), prev: first - Days::new(7), next: first + Days::new(7) }
        }
        View::Month => {
            let start = anchor.with_day(1).unwrap_or(anchor);
            let next = start + Months::new(1);
            let month_end = next - Days::new(1);
            Window { first: monday_of(start), last: monday_of(month_end) + Days::new(6), prev: start - Months::new(1), next }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Weekday;
    use proptest::prelude::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn a_month_is_shown_as_whole_weeks() {
        let november = window(View::Month, date(2026, 11, 23));
        assert_eq!((november.first, november.last), (date(2026, 10, 26), date(2026, 12, 6)));
        assert_eq!((november.prev, november.next), (date(2026, 10, 1), date(2026, 12, 1)));
        let february = window(View::Month, date(2027, 2, 14));
        assert_eq!((february.first, february.last), (date(2027, 2, 1), date(2027, 2, 28)), "four whole weeks");
    }

    #[test]
    fn a_week_runs_monday_to_sunday() {
        let week = window(View::Week, date(2026, 11, 29));
        assert_eq!((week.first, week.last, week.prev, week.next), (date(2026, 11, 23), date(2026, 11, 29), date(2026, 11, 16), date(2026, 11, 30)));
    }

    #[test]
    fn views_read_their_query_code() {
        assert_eq!(View::parse("semana"), View::Week);
        assert_eq!(View::parse("mes"), View::Month);
        assert_eq!(View::parse("<x>"), View::Month);
        assert_eq!(View::parse(View::Week.code()), View::Week);
    }

    proptest! {
        #[test]
        fn windows_are_whole_weeks_around_the_anchor(days in 0i64..40_000, week in any::<bool>()) {
            let anchor = date(1990, 1, 1) + chrono::Duration::days(days);
            let view = if week { View::Week } else { View::Month };
            let w = window(view, anchor);
            prop_assert_eq!(w.first.weekday(), Weekday::Mon);
            prop_assert_eq!(w.last.weekday(), Weekday::Sun);
            let shown = (w.last - w.first).num_days() + 1;
            prop_assert!(shown % 7 == 0 && (7..=42).contains(&shown));
            prop_assert!(w.first <= anchor && anchor <= w.last);
            prop_assert!(w.prev < anchor && anchor < w.next);
            // Next then previous comes back to the same page.
            prop_assert_eq!(window(view, window(view, w.next).prev), window(view, anchor));
        }
    }
}
