use super::*;
use chrono::TimeZone;
use chrono_tz::Europe::Madrid;
use proptest::prelude::*;

fn at(y: i32, m: u32, d: u32, h: u32, min: u32) -> DateTime<Utc> {
    Madrid.with_ymd_and_hms(y, m, d, h, min, 0).single().unwrap().with_timezone(&Utc)
}

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn hours(opens: u16, closes: u16) -> DayHours {
    DayHours::new(opens, closes).unwrap()
}

/// Monday to Friday 9:00-13:00 and 15:00-19:00, Saturday 10:00-14:00.
fn workshop() -> Schedule {
    let weekday = vec![hours(540, 780), hours(900, 1140)];
    Schedule {
        zone: Madrid,
        weekly: [weekday.clone(), weekday.clone(), weekday.clone(), weekday.clone(), weekday, vec![hours(600, 840)], vec![]],
        exceptions: BTreeMap::new(),
        blackouts: vec![],
    }
}

fn policy(capacity: u32) -> Policy {
    Policy {
        buffer: Duration::minutes(30),
        min_notice: Duration::hours(2),
        max_horizon: Duration::days(90),
        slot_step: Duration::minutes(30),
        capacity,
        max_per_day: None,
        max_party: Some(4),
    }
}

fn calendar<'a>(schedule: &'a Schedule, policy: &'a Policy, occupancy: &'a Occupancy, now: DateTime<Utc>) -> Calendar<'a> {
    Calendar { schedule, policy, occupancy, now }
}

#[test]
fn validation_names_each_problem() {
    let (schedule, policy) = (workshop(), policy(1));
    let occupancy = Occupancy::new(&[Span::new(at(2026, 1, 12, 10, 0), at(2026, 1, 12, 11, 0))], policy.buffer, Madrid);
    let cal = calendar(&schedule, &policy, &occupancy, at(2026, 1, 5, 8, 0)); // a Monday
    let slot = |d, h, m, len| Span::new(at(2026, 1, d, h, m), at(2026, 1, d, h, m) + Duration::minutes(len));
    assert_eq!(cal.check(slot(7, 10, 0, 60), 1), Ok(()));
    assert_eq!(cal.check(Span::new(at(2026, 1, 7, 11, 0), at(2026, 1, 7, 10, 0)), 1), Err(SlotProblem::EndNotAfterStart));
    assert_eq!(cal.check(Span::new(at(2026, 1, 2, 10, 0), at(2026, 1, 2, 11, 0)), 1), Err(SlotProblem::StartInPast));
    assert_eq!(cal.check(slot(5, 9, 0, 60), 1), Err(SlotProblem::TooSoon));
    assert_eq!(cal.check(Span::new(at(2026, 6, 1, 10, 0), at(2026, 6, 1, 11, 0)), 1), Err(SlotProblem::BeyondHorizon));
    assert_eq!(cal.check(slot(7, 12, 30, 60), 1), Err(SlotProblem::OutsideHours), "runs into the lunch break");
    assert_eq!(cal.check(slot(11, 10, 0, 60), 1), Err(SlotProblem::OutsideHours), "closed on Sunday");
    assert_eq!(cal.check(slot(7, 10, 0, 60), 5), Err(SlotProblem::PartyTooLarge));
    assert_eq!(cal.check(slot(12, 10, 30, 30), 1), Err(SlotProblem::Conflict));
    assert_eq!(cal.check(slot(12, 11, 0, 30), 1), Err(SlotProblem::Conflict), "inside the buffer");
    assert_eq!(cal.check(slot(12, 11, 30, 30), 1), Ok(()), "right after the buffer");
    assert_eq!(cal.check(slot(12, 9, 0, 45), 1), Err(SlotProblem::Conflict), "its own buffer runs into the next booking");
    assert_eq!(cal.check(slot(12, 9, 0, 30), 1), Ok(()), "its buffer ends as the next booking starts");
}

#[test]
fn capacity_allows_that_many_overlapping_bookings() {
    let (schedule, policy) = (workshop(), policy(2));
    let one = Span::new(at(2026, 1, 12, 10, 0), at(2026, 1, 12, 11, 0));
    let cal_with = |occupancy: &Occupancy, span| calendar(&schedule, &policy, occupancy, at(2026, 1, 5, 8, 0)).check(span, 1);
    assert_eq!(cal_with(&Occupancy::new(&[one], policy.buffer, Madrid), one), Ok(()));
    assert_eq!(cal_with(&Occupancy::new(&[one, one], policy.buffer, Madrid), one), Err(SlotProblem::Conflict));
}

#[test]
fn the_daily_maximum_is_respected() {
    let schedule = workshop();
    let policy = Policy { max_per_day: Some(1), ..policy(3) };
    let occupancy = Occupancy::new(&[Span::new(at(2026, 1, 12, 9, 0), at(2026, 1, 12, 10, 0))], policy.buffer, Madrid);
    let cal = calendar(&schedule, &policy, &occupancy, at(2026, 1, 5, 8, 0));
    assert_eq!(cal.check(Span::new(at(2026, 1, 12, 16, 0), at(2026, 1, 12, 17, 0)), 1), Err(SlotProblem::DayFull));
    assert!(cal.free_slots(date(2026, 1, 12), date(2026, 1, 12), Duration::hours(1)).is_empty());
    assert!(!cal.free_slots(date(2026, 1, 13), date(2026, 1, 13), Duration::hours(1)).is_empty());
}

#[test]
fn exceptions_and_blackouts_close_time() {
    let mut schedule = workshop();
    schedule.exceptions.insert(date(2026, 1, 7), vec![]);
    schedule.exceptions.insert(date(2026, 1, 8), vec![hours(480, 600)]);
    schedule.blackouts.push(Span::new(at(2026, 1, 9, 0, 0), at(2026, 1, 10, 0, 0)));
    let policy = policy(1);
    let occupancy = Occupancy::new(&[], policy.buffer, Madrid);
    let cal = calendar(&schedule, &policy, &occupancy, at(2026, 1, 5, 8, 0));
    let starts = |d| cal.free_slots(date(2026, 1, d), date(2026, 1, d), Duration::hours(1));
    assert!(starts(7).is_empty(), "closed day");
    assert_eq!(starts(8).iter().map(|s| s.start).collect::<Vec<_>>(), vec![at(2026, 1, 8, 8, 0), at(2026, 1, 8, 8, 30), at(2026, 1, 8, 9, 0)]);
    assert!(starts(9).is_empty(), "blackout");
    assert_eq!(starts(6).len(), 14, "7 + 7 one-hour starts on a normal weekday");
}

#[test]
fn free_slots_skip_bookings_and_their_buffers() {
    let (schedule, policy) = (workshop(), policy(1));
    let occupancy = Occupancy::new(&[Span::new(at(2026, 1, 12, 10, 0), at(2026, 1, 12, 11, 0))], policy.buffer, Madrid);
    let cal = calendar(&schedule, &policy, &occupancy, at(2026, 1, 5, 8, 0));
    let morning: Vec<_> = cal
        .free_slots(date(2026, 1, 12), date(2026, 1, 12), Duration::minutes(30))
        .into_iter()
        .filter(|s| s.start < at(2026, 1, 12, 13, 0))
        .map(|s| s.start)
        .collect();
    assert_eq!(morning, vec![at(2026, 1, 12, 9, 0), at(2026, 1, 12, 11, 30), at(2026, 1, 12, 12, 0), at(2026, 1, 12, 12, 30)]);
}

#[test]
fn open_spans_follow_the_zone_across_daylight_saving() {
    // Madrid moves from UTC+1 to UTC+2 on 2026-03-29 at 02:00.
    let schedule = Schedule::always_open(Madrid);
    let spans = schedule.open_spans(date(2026, 3, 28), date(2026, 3, 29));
    assert_eq!(spans, vec![Span::new(at(2026, 3, 28, 0, 0), at(2026, 3, 30, 0, 0))]);
    assert_eq!(spans[0].end - spans[0].start, Duration::hours(47), "the short day has 23 hours");
    let mut early = workshop();
    early.weekly[6] = vec![hours(120, 240)]; // Sunday 02:00-04:00 opens at 03:00 on the change day
    let spans = early.open_spans(date(2026, 3, 29), date(2026, 3, 29));
    assert_eq!(spans, vec![Span::new(at(2026, 3, 29, 3, 0), at(2026, 3, 29, 4, 0))]);
}

#[test]
fn stays_get_free_ranges_between_bookings() {
    let schedule = Schedule::always_open(Madrid);
    let policy = Policy { slot_step: Duration::hours(1), ..policy(1) };
    let booked = Span::new(at(2026, 2, 10, 14, 0), at(2026, 2, 12, 12, 0));
    let occupancy = Occupancy::new(&[booked], policy.buffer, Madrid);
    let cal = calendar(&schedule, &policy, &occupancy, at(2026, 2, 1, 8, 0));
    let ranges = cal.free_ranges(date(2026, 2, 9), date(2026, 2, 13));
    assert_eq!(
        ranges,
        vec![
            Span::new(at(2026, 2, 9, 0, 0), at(2026, 2, 10, 13, 30)),
            Span::new(at(2026, 2, 12, 12, 30), at(2026, 2, 14, 0, 0)),
        ]
    );
}

// ---- properties -------------------------------------------------------------

fn any_hours() -> impl Strategy<Value = Vec<DayHours>> {
    proptest::collection::vec((0u16..1380, 15u16..600), 0..3).prop_map(|pairs| {
        let mut day: Vec<DayHours> = pairs.into_iter().filter_map(|(o, len)| DayHours::new(o, (o + len).min(1440))).collect();
        day.sort_by_key(|h| h.opens);
        day
    })
}

prop_compose! {
    fn any_schedule()(week in proptest::array::uniform7(any_hours()), blackout in proptest::option::of((0i64..40 * 24, 1i64..48))) -> Schedule {
        let base = at(2026, 3, 10, 0, 0);
        Schedule {
            zone: Madrid,
            weekly: week,
            exceptions: BTreeMap::new(),
            blackouts: blackout.map(|(h, len)| Span::new(base + Duration::hours(h), base + Duration::hours(h + len))).into_iter().collect(),
        }
    }
}

prop_compose! {
    fn any_policy()(buffer in 0i64..120, step in prop::sample::select(vec![15i64, 30, 60]), capacity in 1u32..4,
                    notice in 0i64..48, per_day in proptest::option::of(1u32..6)) -> Policy {
        Policy {
            buffer: Duration::minutes(buffer),
            min_notice: Duration::hours(notice),
            max_horizon: Duration::days(30),
            slot_step: Duration::minutes(step),
            capacity,
            max_per_day: per_day,
            max_party: None,
        }
    }
}

/// Bookings around the DST change of 2026-03-29 in Madrid.
fn any_bookings() -> impl Strategy<Value = Vec<Span>> {
    proptest::collection::vec((0i64..30 * 24 * 4, 1i64..16), 0..60).prop_map(|raw| {
        let base = at(2026, 3, 15, 0, 0);
        raw.into_iter()
            .map(|(quarter, len)| {
                let start = base + Duration::minutes(quarter * 15);
                Span::new(start, start + Duration::minutes(len * 15))
            })
            .collect()
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn every_free_slot_is_bookable_and_clear_of_bookings(
        schedule in any_schedule(), policy in any_policy(), bookings in any_bookings(),
        duration in 1i64..12, now_offset in 0i64..72,
    ) {
        let now = at(2026, 3, 20, 0, 0) + Duration::hours(now_offset);
        let occupancy = Occupancy::new(&bookings, policy.buffer, Madrid);
        let cal = calendar(&schedule, &policy, &occupancy, now);
        let duration = Duration::minutes(duration * 15);
        let open = schedule.open_spans(date(2026, 3, 19), date(2026, 4, 8));
        for slot in cal.free_slots(date(2026, 3, 20), date(2026, 4, 7), duration) {
            prop_assert_eq!(cal.check(slot, 1), Ok(()), "slot {:?}", slot);
            prop_assert!(open.iter().any(|o| o.contains(&slot)), "outside hours: {:?}", slot);
            let padded = Span::new(slot.start, slot.end + policy.buffer);
            let overlapping = bookings.iter().filter(|b| Span::new(b.start, b.end + policy.buffer).overlaps(&padded)).count();
            if policy.capacity == 1 {
                prop_assert_eq!(overlapping, 0, "slot {:?} overlaps a booking plus buffer", slot);
            }
        }
    }

    #[test]
    fn any_stay_inside_a_free_range_is_bookable(
        policy in any_policy(), bookings in any_bookings(), cut in (0.0f64..1.0, 0.0f64..1.0),
    ) {
        let policy = Policy { max_per_day: None, ..policy };
        let schedule = Schedule::always_open(Madrid);
        let now = at(2026, 3, 18, 0, 0);
        let occupancy = Occupancy::new(&bookings, policy.buffer, Madrid);
        let cal = calendar(&schedule, &policy, &occupancy, now);
        for range in cal.free_ranges(date(2026, 3, 20), date(2026, 4, 10)) {
            let length = (range.end - range.start).num_minutes();
            let (a, b) = ((cut.0 * length as f64) as i64, (cut.1 * length as f64) as i64);
            let (a, b) = (a.min(b), a.max(b).max(a + 1).min(length));
            if a < b {
                let stay = Span::new(range.start + Duration::minutes(a), range.start + Duration::minutes(b));
                prop_assert_eq!(cal.check(stay, 1), Ok(()), "stay {:?} in {:?}", stay, range);
            }
        }
    }
}

#[test]
fn most_at_once_counts_the_buffer_too() {
    let span = |h: u32, until: u32| Span::new(at(2026, 3, 2, h, 0), at(2026, 3, 2, until, 0));
    let none = Occupancy::new(&[], Duration::zero(), Madrid);
    assert_eq!(none.most_at_once(), 0);
    let apart = [span(9, 10), span(10, 11), span(11, 12)];
    assert_eq!(Occupancy::new(&apart, Duration::zero(), Madrid).most_at_once(), 1, "back to back");
    assert_eq!(Occupancy::new(&apart, Duration::minutes(30), Madrid).most_at_once(), 2, "the buffer overlaps the next");
    let stacked = [span(9, 12), span(10, 11), span(10, 13), span(12, 13)];
    assert_eq!(Occupancy::new(&stacked, Duration::zero(), Madrid).most_at_once(), 3);
}
