//! Reading the times people type: a local wall-clock time is read in the
//! resource's IANA zone; an RFC 3339 time with an offset is taken as given.

use chrono::{DateTime, LocalResult, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Utc};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TimeProblem {
    /// Not a date-time in a format we read.
    Unreadable,
    /// The wall-clock time is skipped by a daylight-saving change in the zone.
    DoesNotExist,
}

pub fn parse_zone(name: &str) -> Option<Tz> {
    name.parse().ok()
}

const LOCAL_FORMATS: [&str; 2] = ["%Y-%m-%dT%H:%M:%S", "%Y-%m-%dT%H:%M"];

/// A time as someone typed it: an instant (it had an offset), or a
/// wall-clock time that only means something in a zone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TypedTime {
    Instant(DateTime<Utc>),
    WallClock(NaiveDateTime),
}

impl TypedTime {
    /// "2025-11-20T14:00:00-06:00" is an instant; "2025-11-20T14:00:00" (or
    /// "…T14:00") a wall-clock time.
    pub fn read(input: &str) -> Result<TypedTime, TimeProblem> {
        let input = input.trim();
        if let Ok(with_offset) = DateTime::parse_from_rfc3339(input) {
            return Ok(TypedTime::Instant(with_offset.with_timezone(&Utc)));
        }
        LOCAL_FORMATS
            .iter()
            .find_map(|format| NaiveDateTime::parse_from_str(input, format).ok())
            .map(TypedTime::WallClock)
            .ok_or(TimeProblem::Unreadable)
    }

    pub fn needs_zone(self) -> bool {
        matches!(self, TypedTime::WallClock(_))
    }

    /// The instant, reading a wall-clock time in `zone`.
    pub fn in_zone(self, zone: Tz) -> Result<DateTime<Utc>, TimeProblem> {
        match self {
            TypedTime::Instant(instant) => Ok(instant),
            TypedTime::WallClock(local) => local_to_utc(local, zone).ok_or(TimeProblem::DoesNotExist),
        }
    }
}

/// "2025-11-20T14:00:00" (or "…T14:00") in `zone`, or "2025-11-20T14:00:00-06:00".
/// A wall-clock time repeated when clocks go back is read as its first
/// occurrence; one skipped when they go forward is refused.
pub fn parse_instant(input: &str, zone: Tz) -> Result<DateTime<Utc>, TimeProblem> {
    TypedTime::read(input)?.in_zone(zone)
}

/// `None` when the local time falls in a daylight-saving gap.
pub fn local_to_utc(local: NaiveDateTime, zone: Tz) -> Option<DateTime<Utc>> {
    match zone.from_local_datetime(&local) {
        LocalResult::Single(t) => Some(t.with_timezone(&Utc)),
        LocalResult::Ambiguous(first, _) => Some(first.with_timezone(&Utc)),
        LocalResult::None => None,
    }
}

/// The first instant at or after a local wall-clock time: inside a gap that
/// is the moment the gap ends. Used for opening hours, which are never refused.
pub fn local_to_utc_at_or_after(date: NaiveDate, time: NaiveTime, zone: Tz) -> DateTime<Utc> {
    let mut local = date.and_time(time);
    loop {
        if let Some(instant) = local_to_utc(local, zone) {
            return instant;
        }
        // Gaps are whole minutes (at most a few hours) in every IANA zone.
        local += chrono::Duration::minutes(1);
    }
}

/// The local calendar date of an instant in `zone`.
pub fn local_date(instant: DateTime<Utc>, zone: Tz) -> NaiveDate {
    instant.with_timezone(&zone).date_naive()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono_tz::America::Mexico_City;
    use chrono_tz::Europe::Madrid;
    use proptest::prelude::*;

    fn utc(text: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(text).unwrap().with_timezone(&Utc)
    }

    #[test]
    fn local_times_are_read_in_the_zone() {
        assert_eq!(parse_instant("2025-11-20T14:00:00", Mexico_City), Ok(utc("2025-11-20T20:00:00Z")));
        assert_eq!(parse_instant("2025-11-20T14:00", Madrid), Ok(utc("2025-11-20T13:00:00Z")));
        assert_eq!(parse_instant("2025-11-20T14:00:00+02:00", Mexico_City), Ok(utc("2025-11-20T12:00:00Z")));
        assert_eq!(parse_instant("2025-11-20T14:00:00Z", Madrid), Ok(utc("2025-11-20T14:00:00Z")));
    }

    #[test]
    fn only_wall_clock_times_need_a_zone() {
        let instant = TypedTime::read("2025-11-20T14:00:00-06:00").unwrap();
        assert!(!instant.needs_zone());
        assert_eq!(instant.in_zone(Madrid), instant.in_zone(Mexico_City));
        let wall_clock = TypedTime::read(" 2025-11-20T14:00 ").unwrap();
        assert!(wall_clock.needs_zone());
        assert_eq!(wall_clock.in_zone(Mexico_City), Ok(utc("2025-11-20T20:00:00Z")));
    }

    #[test]
    fn garbage_is_unreadable() {
        for bad in ["", "mañana", "2025-13-01T10:00:00", "2025-11-20 14:00", "2025-11-20T25:00:00"] {
            assert_eq!(parse_instant(bad, Madrid), Err(TimeProblem::Unreadable), "{bad}");
        }
    }

    #[test]
    fn a_skipped_local_time_is_refused_not_shifted() {
        // Madrid jumps from 02:00 to 03:00 on 2026-03-29.
        assert_eq!(parse_instant("2026-03-29T02:30:00", Madrid), Err(TimeProblem::DoesNotExist));
        let date = NaiveDate::from_ymd_opt(2026, 3, 29).unwrap();
        let opening = local_to_utc_at_or_after(date, NaiveTime::from_hms_opt(2, 30, 0).unwrap(), Madrid);
        assert_eq!(opening, utc("2026-03-29T01:00:00Z"), "03:00 CEST");
    }

    #[test]
    fn a_repeated_local_time_is_its_first_occurrence() {
        // Madrid goes back from 03:00 to 02:00 on 2026-10-25; 02:30 happens twice.
        assert_eq!(parse_instant("2026-10-25T02:30:00", Madrid), Ok(utc("2026-10-25T00:30:00Z")));
    }

    #[test]
    fn zones_are_iana_names() {
        assert_eq!(parse_zone("America/Mexico_City"), Some(Mexico_City));
        assert_eq!(parse_zone("Mars/Olympus"), None);
    }

    fn any_zone() -> impl Strategy<Value = Tz> {
        proptest::sample::select(chrono_tz::TZ_VARIANTS.to_vec())
    }

    /// Any wall-clock time chrono can hold, to the minute (years up to ±262,000).
    fn any_local_time() -> impl Strategy<Value = NaiveDateTime> {
        let (first, last) = (NaiveDateTime::MIN.and_utc().timestamp(), NaiveDateTime::MAX.and_utc().timestamp());
        (first / 60..=last / 60).prop_map(|minute| DateTime::from_timestamp(minute * 60, 0).unwrap().naive_utc())
    }

    proptest! {
        #[test]
        fn any_text_is_read_or_refused_without_panicking(text in "\\PC{0,40}", zone in any_zone()) {
            let _ = parse_instant(&text, zone);
            let _ = parse_zone(&text);
        }

        #[test]
        fn date_like_text_is_read_or_refused_without_panicking(
            text in "[+-]?[0-9]{1,7}-[0-9]{1,2}-[0-9]{1,2}T[0-9]{1,2}:[0-9]{1,2}(:[0-9]{1,2})?([+-][0-9]{2}:[0-9]{2}|Z)?",
            zone in any_zone(),
        ) {
            let _ = parse_instant(&text, zone);
        }

        #[test]
        // From 1973: before, some zones' offsets had seconds, which RFC 3339 cannot write.
        fn an_instant_with_its_offset_reads_back_as_itself(seconds in 100_000_000i64..250_000_000_000, zone in any_zone()) {
            let instant = DateTime::from_timestamp(seconds, 0).unwrap();
            let text = instant.with_timezone(&zone).to_rfc3339();
            prop_assert_eq!(parse_instant(&text, Madrid), Ok(instant), "{}", text);
        }

        #[test]
        fn a_wall_clock_time_reads_back_as_itself_or_is_refused(local in any_local_time(), zone in any_zone()) {
            for format in LOCAL_FORMATS {
                let text = local.format(format).to_string();
                match parse_instant(&text, zone) {
                    Ok(instant) => prop_assert_eq!(instant.with_timezone(&zone).naive_local(), local, "{}", text),
                    // A gap in the zone, or an instant beyond what chrono holds.
                    Err(problem) => prop_assert_eq!(problem, TimeProblem::DoesNotExist, "{}", text),
                }
            }
        }

        #[test]
        fn opening_hours_are_never_refused(days in -200_000i64..200_000, minute in 0u32..1440, zone in any_zone()) {
            let date = NaiveDate::from_ymd_opt(2000, 1, 1).unwrap() + chrono::Duration::days(days);
            let time = NaiveTime::from_hms_opt(minute / 60, minute % 60, 0).unwrap();
            let opening = local_to_utc_at_or_after(date, time, zone);
            prop_assert!(opening.with_timezone(&zone).naive_local() >= date.and_time(time));
            prop_assert!(opening.with_timezone(&zone).naive_local() - date.and_time(time) <= chrono::Duration::hours(24));
        }

        #[test]
        fn zones_read_back_by_name(zone in any_zone()) {
            prop_assert_eq!(parse_zone(zone.name()), Some(zone));
        }
    }
}
