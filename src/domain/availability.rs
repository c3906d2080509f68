//! When a resource can be booked: opening hours in its zone, date exceptions,
//! blackouts, existing bookings plus the buffer after each, capacity, notice,
//! horizon and a daily maximum. `check` decides one request; `free_slots`
//! and `free_ranges` list what `check` would accept.

use super::time::{local_date, local_to_utc_at_or_after};
use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveTime, Utc};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};

/// Half-open `[start, end)` in UTC.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Span {
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
}

impl Span {
    pub fn new(start: DateTime<Utc>, end: DateTime<Utc>) -> Span {
        Span { start, end }
    }

    pub fn contains(&self, other: &Span) -> bool {
        self.start <= other.start && other.end <= self.end
    }

    pub fn overlaps(&self, other: &Span) -> bool {
        self.start < other.end && other.start < self.end
    }
}

/// Opening hours within one day, in minutes after local midnight; `closes`
/// may be 1440 (midnight at the end of the day).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct DayHours {
    pub opens: u16,
    pub closes: u16,
}

impl DayHours {
    pub const ALL_DAY: DayHours = DayHours { opens: 0, closes: 1440 };

    pub fn new(opens: u16, closes: u16) -> Option<DayHours> {
        (opens < closes && closes <= 1440).then_some(DayHours { opens, closes })
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Schedule {
    pub zone: Tz,
    /// Monday first; several intervals per day allowed.
    pub weekly: [Vec<DayHours>; 7],
    /// Dates with other hours than usual; an empty list closes the day.
    pub exceptions: BTreeMap<NaiveDate, Vec<DayHours>>,
    pub blackouts: Vec<Span>,
}

impl Schedule {
    pub fn always_open(zone: Tz) -> Schedule {
        Schedule {
            zone,
            weekly: std::array::from_fn(|_| vec![DayHours::ALL_DAY]),
            exceptions: BTreeMap::new(),
            blackouts: Vec::new(),
        }
    }

    fn hours_on(&self, date: NaiveDate) -> &[DayHours] {
        self.exceptions
            .get(&date)
            .unwrap_or(&self.weekly[date.weekday().num_days_from_monday() as usize])
    }

    fn instant(&self, date: NaiveDate, minute: u16) -> DateTime<Utc> {
        let (date, minute) = if minute >= 1440 { (date.succ_opt().unwrap_or(date), minute - 1440) } else { (date, minute) };
        let time = NaiveTime::from_hms_opt(u32::from(minute / 60), u32::from(minute % 60), 0).expect("minute < 1440");
        local_to_utc_at_or_after(date, time, self.zone)
    }

    /// The open periods touching local dates `from..=to`, merged where they
    /// meet (open until midnight and from midnight is one period), blackouts removed.
    pub fn open_spans(&self, from: NaiveDate, to: NaiveDate) -> Vec<Span> {
        let mut spans: Vec<Span> = Vec::new();
        for date in from.iter_days().take_while(|d| *d <= to) {
            let mut day: Vec<Span> = self
                .hours_on(date)
                .iter()
                .map(|h| Span::new(self.instant(date, h.opens), self.instant(date, h.closes)))
                .filter(|s| s.start < s.end)
                .collect();
            day.sort();
            for span in day {
                match spans.last_mut() {
                    Some(last) if span.start <= last.end => last.end = last.end.max(span.end),
                    _ => spans.push(span),
                }
            }
        }
        subtract(spans, &self.blackouts)
    }

    /// Whether `span` lies wholly inside one open period.
    pub fn covers(&self, span: Span) -> bool {
        let (from, to) = (local_date(span.start, self.zone).pred_opt(), local_date(span.end, self.zone).succ_opt());
        let open = self.open_spans(from.unwrap_or(NaiveDate::MIN), to.unwrap_or(NaiveDate::MAX));
        open.iter().any(|o| o.contains(&span))
    }
}

/// `spans` (sorted, disjoint) minus every span in `holes`.
fn subtract(spans: Vec<Span>, holes: &[Span]) -> Vec<Span> {
    let mut holes: Vec<Span> = holes.to_vec();
    holes.sort();
    let mut out = Vec::new();
    for span in spans {
        let mut rest = span;
        for hole in holes.iter().filter(|h| h.overlaps(&span)) {
            if hole.start > rest.start {
                out.push(Span::new(rest.start, hole.start.min(rest.end)));
            }
            rest.start = rest.start.max(hole.end);
            if rest.start >= rest.end {
                break;
            }
        }
        if rest.start < rest.end {
            out.push(rest);
        }
    }
    out
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Policy {
    /// Kept free after each booking (cleaning, travel, maintenance).
    pub buffer: Duration,
    pub min_notice: Duration,
    pub max_horizon: Duration,
    pub slot_step: Duration,
    /// Bookings that may overlap at any instant.
    pub capacity: u32,
    pub max_per_day: Option<u32>,
    pub max_party: Option<u32>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SlotProblem {
    EndNotAfterStart,
    StartInPast,
    TooSoon,
    BeyondHorizon,
    OutsideHours,
    PartyTooLarge,
    /// Another booking (with its buffer) already takes the time, up to capacity.
    Conflict,
    DayFull,
}

impl SlotProblem {
    /// The request field a person has to change.
    pub fn field(self) -> &'static str {
        match self {
            SlotProblem::EndNotAfterStart => "end",
            SlotProblem::PartyTooLarge => "party_size",
            _ => "start",
        }
    }
}

/// The bookings that already hold time: an index answering "how many overlap
/// this span?" and "how many start on this local date?".
pub struct Occupancy {
    /// (instant, bookings overlapping from this instant on), sorted.
    steps: Vec<(DateTime<Utc>, u32)>,
    per_day: HashMap<NaiveDate, u32>,
    buffer: Duration,
}

impl Occupancy {
    /// `active` are the unpadded times of the active bookings.
    pub fn new(active: &[Span], buffer: Duration, zone: Tz) -> Occupancy {
        let mut events: Vec<(DateTime<Utc>, i32)> = Vec::with_capacity(active.len() * 2);
        let mut per_day = HashMap::new();
        for booking in active {
            events.push((booking.start, 1));
            events.push((booking.end + buffer, -1));
            *per_day.entry(local_date(booking.start, zone)).or_insert(0) += 1;
        }
        events.sort();
        let mut steps: Vec<(DateTime<Utc>, u32)> = Vec::with_capacity(events.len());
        let mut level: i32 = 0;
        for (at, delta) in events {
            level += delta;
            match steps.last_mut() {
                Some(last) if last.0 == at => last.1 = level as u32,
                _ => steps.push((at, level as u32)),
            }
        }
        Occupancy { steps, per_day, buffer }
    }

    /// Most bookings overlapping any instant of the booking `span` with its buffer.
    pub fn peak(&self, span: &Span) -> u32 {
        let padded_end = span.end + self.buffer;
        let first = self.steps.partition_point(|(at, _)| *at <= span.start);
        let level_at_start = if first == 0 { 0 } else { self.steps[first - 1].1 };
        self.steps[first..]
            .iter()
            .take_while(|(at, _)| *at < padded_end)
            .map(|(_, level)| *level)
            .fold(level_at_start, u32::max)
    }

    /// Most bookings overlapping at any one instant.
    pub fn most_at_once(&self) -> u32 {
        self.steps.iter().map(|(_, level)| *level).max().unwrap_or(0)
    }

    pub fn starting_on(&self, date: NaiveDate) -> u32 {
        self.per_day.get(&date).copied().unwrap_or(0)
    }

    /// Spans where fewer than `capacity` bookings overlap, unbounded ends cut to `bounds`.
    fn below(&self, capacity: u32, bounds: Span) -> Vec<Span> {
        if capacity == 0 {
            return Vec::new();
        }
        let mut out = Vec::new();
        let mut open_from = Some(bounds.start);
        let mut level = 0;
        for (at, next) in self.steps.iter().copied() {
            let at = at.clamp(bounds.start, bounds.end);
            match (level < capacity, next < capacity, open_from) {
                (true, false, Some(from)) => {
                    out.push(Span::new(from, at));
                    open_from = None;
                }
                (false, true, None) => open_from = Some(at),
                _ => {}
            }
            level = next;
        }
        if let Some(from) = open_from {
            out.push(Span::new(from, bounds.end));
        }
        out.retain(|s| s.start < s.end);
        out
    }
}

/// Everything about a resource that availability depends on.
pub struct Calendar<'a> {
    pub schedule: &'a Schedule,
    pub policy: &'a Policy,
    pub occupancy: &'a Occupancy,
    pub now: DateTime<Utc>,
}

impl Calendar<'_> {
    /// Whether `span` can be booked for `party` people; the first problem found.
    pub fn check(&self, span: Span, party: u32) -> Result<(), SlotProblem> {
        if span.end <= span.start {
            return Err(SlotProblem::EndNotAfterStart);
        }
        if self.policy.max_party.is_some_and(|max| party > max) || party == 0 {
            return Err(SlotProblem::PartyTooLarge);
        }
        self.check_timing(span.start)?;
        if !self.schedule.covers(span) {
            return Err(SlotProblem::OutsideHours);
        }
        self.check_load(span)
    }

    fn check_timing(&self, start: DateTime<Utc>) -> Result<(), SlotProblem> {
        if start < self.now {
            Err(SlotProblem::StartInPast)
        } else if start < self.now + self.policy.min_notice {
            Err(SlotProblem::TooSoon)
        } else if start > self.now + self.policy.max_horizon {
            Err(SlotProblem::BeyondHorizon)
        } else {
            Ok(())
        }
    }

    fn check_load(&self, span: Span) -> Result<(), SlotProblem> {
        if self.occupancy.peak(&span) >= self.policy.capacity {
            return Err(SlotProblem::Conflict);
        }
        let day = local_date(span.start, self.schedule.zone);
        if self.policy.max_per_day.is_some_and(|max| self.occupancy.starting_on(day) >= max) {
            return Err(SlotProblem::DayFull);
        }
        Ok(())
    }

    /// Every start on local dates `from..=to`, one slot step apart from each
    /// opening, at which a booking of `duration` passes `check` (party of 1).
    pub fn free_slots(&self, from: NaiveDate, to: NaiveDate, duration: Duration) -> Vec<Span> {
        let step = self.policy.slot_step.max(Duration::minutes(1));
        let zone = self.schedule.zone;
        let mut slots = Vec::new();
        for open in self.schedule.open_spans(from, to) {
            let mut start = open.start;
            while start + duration <= open.end {
                let span = Span::new(start, start + duration);
                let date = local_date(start, zone);
                if date >= from && date <= to && self.check_timing(start).is_ok() && self.check_load(span).is_ok() {
                    slots.push(span);
                }
                start += step;
            }
        }
        slots
    }

    /// Periods on local dates `from..=to` in which any stay that starts and
    /// ends inside one period passes `check`: open, under capacity with the
    /// buffer kept before the next booking, and starting within notice and horizon.
    pub fn free_ranges(&self, from: NaiveDate, to: NaiveDate) -> Vec<Span> {
        let open = self.schedule.open_spans(from, to);
        let (Some(first), Some(last)) = (open.first(), open.last()) else { return Vec::new() };
        let bounds = Span::new(first.start, last.end + self.occupancy.buffer);
        let earliest = self.now + self.policy.min_notice;
        let latest_start = self.now + self.policy.max_horizon;
        let mut ranges = Vec::new();
        for free in self.occupancy.below(self.policy.capacity, bounds) {
            let end = if free.end < bounds.end { free.end - self.occupancy.buffer } else { free.end };
            for o in &open {
                let start = o.start.max(free.start).max(earliest);
                let end = o.end.min(end);
                if start < end && start <= latest_start {
                    ranges.push(Span::new(start, end));
                }
            }
        }
        ranges.sort();
        ranges
    }
}

#[cfg(test)]
mod tests;
