//! How long the pure availability rules take for one resource over a month
//! with 1,000 existing bookings: what one availability request or one booking
//! check costs the server, minus storage. Run with `make bench` (which writes
//! docs/performance.md) or `cargo bench --bench availability`.
//!
//! Bookings come from a fixed-seed generator, so every run measures the same
//! calendar. They are front-loaded (most in the first days of the month, few at
//! the end, as when near dates fill up first), so capacity-1 calendars are full
//! early in the month and still have free time late in it. Most bookings are
//! 30-90 minutes inside opening hours; one in ten is anywhere in the day.
//! Each benchmark checks its result once, outside the timed loop, and prints
//! a `result:` line, so it cannot silently measure an empty calendar.

use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveTime, TimeZone, Utc};
use chrono_tz::Europe::Madrid;
use chrono_tz::Tz;
use criterion::{criterion_group, criterion_main, Criterion};
use reservo::domain::availability::{Calendar, DayHours, Occupancy, Policy, Schedule, Span};
use reservo::domain::time::{local_date, local_to_utc_at_or_after};
use std::collections::BTreeMap;
use std::hint::black_box;

const ZONE: Tz = Madrid;
const BOOKINGS: usize = 1_000;
const SEED: u64 = 0x5EED_2026;

/// 31 days, March 2026: includes Madrid's change to summer time (Sunday 29th).
fn first_day() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 3, 1).unwrap()
}
fn last_day() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 3, 31).unwrap()
}
fn now() -> DateTime<Utc> {
    ZONE.with_ymd_and_hms(2026, 2, 28, 12, 0, 0).single().unwrap().with_timezone(&Utc)
}

/// Knuth's MMIX linear congruential generator; enough for a fixed spread.
struct Lcg(u64);

impl Lcg {
    fn next_u32(&mut self) -> u32 {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        (self.0 >> 32) as u32
    }
    /// Uniform in `0..n`.
    fn below(&mut self, n: u32) -> u32 {
        ((u64::from(self.next_u32()) * u64::from(n)) >> 32) as u32
    }
    /// Uniform in `[0, 1)`.
    fn unit(&mut self) -> f64 {
        f64::from(self.next_u32()) / 4_294_967_296.0
    }
}

fn hours(opens: u16, closes: u16) -> DayHours {
    DayHours::new(opens, closes).unwrap()
}

/// Monday to Saturday with `day` hours, closed on Sunday.
fn mon_to_sat(day: Vec<DayHours>) -> Schedule {
    let mut weekly: [Vec<DayHours>; 7] = std::array::from_fn(|_| day.clone());
    weekly[6] = Vec::new();
    Schedule { zone: ZONE, weekly, exceptions: BTreeMap::new(), blackouts: Vec::new() }
}

/// Monday to Saturday 08:00-20:00.
fn one_interval() -> Schedule {
    mon_to_sat(vec![hours(8 * 60, 20 * 60)])
}

/// Monday to Saturday 08:00-13:00 and 15:00-20:00.
fn two_intervals() -> Schedule {
    mon_to_sat(vec![hours(8 * 60, 13 * 60), hours(15 * 60, 20 * 60)])
}

fn policy(capacity: u32, max_per_day: Option<u32>) -> Policy {
    Policy {
        buffer: Duration::minutes(30),
        min_notice: Duration::hours(2),
        max_horizon: Duration::days(90),
        slot_step: Duration::minutes(15),
        capacity,
        max_per_day,
        max_party: None,
    }
}

fn local(date: NaiveDate, minute: u32) -> DateTime<Utc> {
    let time = NaiveTime::from_hms_opt(minute / 60, minute % 60, 0).unwrap();
    local_to_utc_at_or_after(date, time, ZONE)
}

/// `BOOKINGS` bookings on the open days of the month. The day is drawn with
/// an exponential spread (about 1 in 6 fewer per day), so the first days hold
/// over a hundred bookings each and the last ones a handful.
fn bookings(schedule: &Schedule) -> Vec<Span> {
    let open_days: Vec<NaiveDate> = first_day()
        .iter_days()
        .take_while(|d| *d <= last_day())
        .filter(|d| !schedule.weekly[d.weekday().num_days_from_monday() as usize].is_empty())
        .collect();
    let mut rng = Lcg(SEED);
    let mut out = Vec::with_capacity(BOOKINGS);
    while out.len() < BOOKINGS {
        let k = (-(1.0 - rng.unit()).ln() * 6.0) as usize;
        let Some(&date) = open_days.get(k) else { continue };
        let length = 30 + 15 * rng.below(5); // 30..=90 minutes
        let day = &schedule.weekly[date.weekday().num_days_from_monday() as usize];
        let start = if rng.below(10) == 0 {
            15 * rng.below(96) // anywhere in the day, possibly outside hours
        } else {
            let h = day[rng.below(day.len() as u32) as usize];
            let room = (u32::from(h.closes) - u32::from(h.opens)).saturating_sub(length) / 15;
            u32::from(h.opens) + 15 * rng.below(room + 1)
        };
        let start = local(date, start);
        out.push(Span::new(start, start + Duration::minutes(i64::from(length))));
    }
    out
}

fn calendar<'a>(schedule: &'a Schedule, policy: &'a Policy, occupancy: &'a Occupancy) -> Calendar<'a> {
    Calendar { schedule, policy, occupancy, now: now() }
}

/// Free slots agree with `check` both ways: each slot passes it, and each
/// step from an opening that passes it (and starts in the month) is a slot.
fn assert_slots_sane(name: &str, schedule: &Schedule, policy: &Policy, booked: &[Span], slots: &[Span], duration: Duration) {
    assert!(!slots.is_empty(), "{name}: no free slots, the benchmark would measure a full calendar");
    let occupancy = Occupancy::new(booked, policy.buffer, ZONE);
    let cal = calendar(schedule, policy, &occupancy);
    for slot in slots {
        assert_eq!(slot.end - slot.start, duration, "{name}: slot {slot:?} has the wrong length");
        assert_eq!(cal.check(*slot, 1), Ok(()), "{name}: free slot {slot:?} fails check");
        let day = local_date(slot.start, ZONE);
        assert!(first_day() <= day && day <= last_day(), "{name}: slot {slot:?} outside the month");
    }
    assert!(slots.windows(2).all(|w| w[0].start < w[1].start), "{name}: slots not sorted");
    let mut expected = 0;
    for open in schedule.open_spans(first_day(), last_day()) {
        let mut start = open.start;
        while start + duration <= open.end {
            let span = Span::new(start, start + duration);
            let day = local_date(start, ZONE);
            if first_day() <= day && day <= last_day() && cal.check(span, 1).is_ok() {
                expected += 1;
                assert!(slots.binary_search(&span).is_ok(), "{name}: {span:?} passes check but is not a free slot");
            }
            start += policy.slot_step;
        }
    }
    assert_eq!(expected, slots.len(), "{name}: slot count differs from the steps that pass check");
    if policy.capacity == 1 {
        for slot in slots {
            let padded = Span::new(slot.start, slot.end + policy.buffer);
            let hit = booked.iter().find(|b| Span::new(b.start, b.end + policy.buffer).overlaps(&padded));
            assert!(hit.is_none(), "{name}: slot {slot:?} overlaps booking {hit:?} plus buffer");
        }
    }
    let days: std::collections::BTreeSet<NaiveDate> = slots.iter().map(|s| local_date(s.start, ZONE)).collect();
    println!("result: {name}: {} slots on {} of 26 open days, {} bookings", slots.len(), days.len(), booked.len());
}

fn bench_free_slots(c: &mut Criterion, name: &str, schedule: &Schedule, policy: &Policy) {
    let booked = bookings(schedule);
    let duration = Duration::minutes(60);
    let run = |booked: &[Span]| {
        let occupancy = Occupancy::new(booked, policy.buffer, ZONE);
        calendar(schedule, policy, &occupancy).free_slots(first_day(), last_day(), duration)
    };
    assert_slots_sane(name, schedule, policy, &booked, &run(&booked), duration);
    c.benchmark_group("availability").bench_function(name, |b| b.iter(|| run(black_box(&booked))));
}

fn free_slots_capacity_1(c: &mut Criterion) {
    let policy = policy(1, None);
    bench_free_slots(c, "free_slots_31d_1000_one_interval_cap1", &one_interval(), &policy);
    bench_free_slots(c, "free_slots_31d_1000_two_intervals_cap1", &two_intervals(), &policy);
}

fn free_slots_capacity_3(c: &mut Criterion) {
    let policy = policy(3, Some(40));
    bench_free_slots(c, "free_slots_31d_1000_one_interval_cap3_max40", &one_interval(), &policy);
}

fn free_ranges_always_open(c: &mut Criterion) {
    let name = "free_ranges_31d_1000_always_open";
    let schedule = Schedule::always_open(ZONE);
    let policy = policy(1, None);
    let booked = bookings(&schedule);
    let run = |booked: &[Span]| {
        let occupancy = Occupancy::new(booked, policy.buffer, ZONE);
        calendar(&schedule, &policy, &occupancy).free_ranges(first_day(), last_day())
    };
    let ranges = run(&booked);
    assert!(!ranges.is_empty(), "{name}: no free ranges");
    let occupancy = Occupancy::new(&booked, policy.buffer, ZONE);
    let cal = calendar(&schedule, &policy, &occupancy);
    let mut free = Duration::zero();
    for range in &ranges {
        assert!(range.start < range.end, "{name}: empty range {range:?}");
        // The whole range, and a short stay at each end, can be booked.
        let short = Duration::minutes(15).min(range.end - range.start);
        for stay in [*range, Span::new(range.start, range.start + short), Span::new(range.end - short, range.end)] {
            assert_eq!(cal.check(stay, 1), Ok(()), "{name}: stay {stay:?} in free range {range:?} fails check");
        }
        let padded = Span::new(range.start, range.end + policy.buffer);
        let hit = booked.iter().find(|b| Span::new(b.start, b.end + policy.buffer).overlaps(&padded));
        assert!(hit.is_none(), "{name}: range {range:?} overlaps booking {hit:?} plus buffer");
        free += range.end - range.start;
    }
    assert!(ranges.windows(2).all(|w| w[0].end <= w[1].start), "{name}: ranges overlap or are unsorted");
    println!("result: {name}: {} ranges, {} free hours, {} bookings", ranges.len(), free.num_hours(), booked.len());
    c.benchmark_group("availability").bench_function(name, |b| b.iter(|| run(black_box(&booked))));
}

fn check_one_request(c: &mut Criterion) {
    let name = "check_1000_with_occupancy";
    let schedule = one_interval();
    let policy = policy(1, None);
    let booked = bookings(&schedule);
    let occupancy = Occupancy::new(&booked, policy.buffer, ZONE);
    let slots = calendar(&schedule, &policy, &occupancy).free_slots(first_day(), last_day(), Duration::minutes(60));
    // The first free slot: a busy part of the month, where `peak` has most to scan.
    let request = *slots.first().expect("a free slot to request");
    let run = |booked: &[Span], request: Span| {
        let occupancy = Occupancy::new(booked, policy.buffer, ZONE);
        calendar(&schedule, &policy, &occupancy).check(request, 1)
    };
    assert_eq!(run(&booked, request), Ok(()));
    let taken = Span::new(booked[0].start, booked[0].start + Duration::minutes(60));
    assert!(run(&booked, taken).is_err(), "{name}: a booked time passes check");
    println!("result: {name}: {request:?} is free, {} bookings", booked.len());
    c.benchmark_group("availability").bench_function(name, |b| b.iter(|| run(black_box(&booked), black_box(request))));
}

criterion_group!(benches, free_slots_capacity_1, free_slots_capacity_3, free_ranges_always_open, check_one_request);
criterion_main!(benches);
