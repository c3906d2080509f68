//! A resource's booking rules: settings, weekly hours, date exceptions and
//! blackouts, loaded into the pure `Schedule` and `Policy`.

use super::{Db, StorageError};
use crate::domain::availability::{DayHours, Policy, Schedule, Span};
use crate::domain::booking::Approval;
use crate::domain::time::parse_zone;
use chrono::{DateTime, Duration, NaiveDate, Utc};
use chrono_tz::Tz;
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};
use std::collections::{BTreeMap, HashMap};

#[derive(Debug, Clone, PartialEq)]
pub struct ResourceRules {
    pub id: i64,
    pub kind: String,
    pub zone: Tz,
    pub approval: Approval,
    /// "slots" (appointments, gigs) or "ranges" (stays).
    pub booking_mode: String,
    pub schedule: Schedule,
    pub policy: Policy,
    pub cancel_cutoff_hours: i64,
    pub pending_expiry: Duration,
    pub default_duration: Duration,
    /// Retired by an administrator: no free times, no new bookings.
    pub retired: bool,
}

impl ResourceRules {
    /// The stored settings these rules were loaded from.
    pub fn settings(&self) -> Settings {
        let optional = |value: Option<u32>| value.map(i64::from);
        Settings {
            approval: self.approval,
            booking_mode: self.booking_mode.clone(),
            buffer_minutes: self.policy.buffer.num_minutes(),
            min_notice_minutes: self.policy.min_notice.num_minutes(),
            max_horizon_days: self.policy.max_horizon.num_days(),
            slot_step_minutes: self.policy.slot_step.num_minutes(),
            default_duration_minutes: self.default_duration.num_minutes(),
            max_per_day: optional(self.policy.max_per_day),
            max_party: optional(self.policy.max_party),
            cancel_cutoff_hours: self.cancel_cutoff_hours,
            pending_expiry_hours: self.pending_expiry.num_hours(),
        }
    }
}

/// The settings an owner can change; stored on the resource row.
#[derive(Debug, Clone, PartialEq)]
pub struct Settings {
    pub approval: Approval,
    pub booking_mode: String,
    pub buffer_minutes: i64,
    pub min_notice_minutes: i64,
    pub max_horizon_days: i64,
    pub slot_step_minutes: i64,
    pub default_duration_minutes: i64,
    pub max_per_day: Option<i64>,
    pub max_party: Option<i64>,
    pub cancel_cutoff_hours: i64,
    pub pending_expiry_hours: i64,
}

pub async fn load(conn: &mut AnyConnection, resource_id: i64) -> Result<Option<ResourceRules>, StorageError> {
    load_locking(conn, resource_id, "").await
}

/// `load`, with `lock` (`Db::for_update_of("r")`) appended: the resource's
/// row stays locked until the transaction ends.
pub async fn load_locking(conn: &mut AnyConnection, resource_id: i64, lock: &str) -> Result<Option<ResourceRules>, StorageError> {
    Ok(load_many_locking(conn, &[resource_id], lock).await?.remove(&resource_id))
}

/// The rules of several resources, those that exist, with `lock` appended;
/// the rows are locked in id order, so two transactions locking overlapping
/// sets wait for each other instead of deadlocking. The rows and their
/// schedules come in one statement, since it runs inside booking
/// transactions, where every round trip holds the lock longer.
pub async fn load_many_locking(
    conn: &mut AnyConnection,
    resource_ids: &[i64],
    lock: &str,
) -> Result<HashMap<i64, ResourceRules>, StorageError> {
    let ids = super::placeholders(1, resource_ids.len());
    let sql = format!(
        "SELECT r.id, r.kind, r.timezone, r.capacity, r.approval, r.booking_mode, r.buffer_minutes, r.min_notice_minutes, \
         r.max_horizon_days, r.slot_step_minutes, r.default_duration_minutes, r.max_per_day, r.max_party, \
         r.cancel_cutoff_hours, r.pending_expiry_hours, r.archived_at, s.part, s.a, s.b, s.c, s.day \
         FROM resources r LEFT JOIN ({}) s ON s.resource_id = r.id WHERE r.id IN ({ids}) ORDER BY r.id, s.part, s.a, s.b{lock}",
        schedule_rows_sql(&format!("resource_id IN ({ids})")),
    );
    let mut query = sqlx::query(&sql);
    for id in resource_ids {
        query = query.bind(*id);
    }
    let rows = query.fetch_all(&mut *conn).await?;
    let mut found: HashMap<i64, ResourceRules> = HashMap::new();
    for row in &rows {
        let id: i64 = row.try_get("id")?;
        let rules = match found.entry(id) {
            std::collections::hash_map::Entry::Occupied(entry) => entry.into_mut(),
            std::collections::hash_map::Entry::Vacant(entry) => entry.insert(rules_of(id, row)?),
        };
        add_schedule_row(&mut rules.schedule, row)?;
    }
    Ok(found)
}

/// A resource's settings from its row, with an empty schedule.
fn rules_of(id: i64, row: &AnyRow) -> Result<ResourceRules, StorageError> {
    let zone_name: String = row.try_get("timezone")?;
    let zone = parse_zone(&zone_name).ok_or_else(|| super::users::decode_error("timezone", &zone_name))?;
    let approval: String = row.try_get("approval")?;
    let minutes = |column: &str| -> Result<Duration, sqlx::Error> { Ok(Duration::minutes(row.try_get(column)?)) };
    let optional = |column: &str| -> Result<Option<u32>, sqlx::Error> {
        Ok(row.try_get::<Option<i64>, _>(column)?.map(|v| v.clamp(0, u32::MAX as i64) as u32))
    };
    let policy = Policy {
        buffer: minutes("buffer_minutes")?,
        min_notice: minutes("min_notice_minutes")?,
        max_horizon: Duration::days(row.try_get("max_horizon_days")?),
        slot_step: minutes("slot_step_minutes")?,
        capacity: row.try_get::<i64, _>("capacity")?.clamp(1, u32::MAX as i64) as u32,
        max_per_day: optional("max_per_day")?,
        max_party: optional("max_party")?,
    };
    Ok(ResourceRules {
        id,
        kind: row.try_get("kind")?,
        zone,
        approval: if approval == "auto" { Approval::Auto } else { Approval::Manual },
        booking_mode: row.try_get("booking_mode")?,
        schedule: empty_schedule(zone),
        policy,
        cancel_cutoff_hours: row.try_get("cancel_cutoff_hours")?,
        pending_expiry: Duration::hours(row.try_get("pending_expiry_hours")?),
        default_duration: minutes("default_duration_minutes")?,
        retired: row.try_get::<Option<i64>, _>("archived_at")?.is_some(),
    })
}

/// The schedules of several resources (id -> zone) in one query.
pub(crate) async fn load_schedules(conn: &mut AnyConnection, zones: &HashMap<i64, Tz>) -> Result<HashMap<i64, Schedule>, StorageError> {
    let mut found: HashMap<i64, Schedule> = zones.iter().map(|(id, zone)| (*id, empty_schedule(*zone))).collect();
    if zones.is_empty() {
        return Ok(found);
    }
    let ids = zones.keys().map(i64::to_string).collect::<Vec<_>>().join(", ");
    let sql = format!("{} ORDER BY part, a, b", schedule_rows_sql(&format!("resource_id IN ({ids})")));
    for row in sqlx::query(&sql).fetch_all(&mut *conn).await? {
        if let Some(schedule) = found.get_mut(&row.try_get("resource_id")?) {
            add_schedule_row(schedule, &row)?;
        }
    }
    Ok(found)
}

fn empty_schedule(zone: Tz) -> Schedule {
    Schedule { zone, weekly: Default::default(), exceptions: BTreeMap::new(), blackouts: Vec::new() }
}

/// What a schedule row is (its `part`).
const WEEKLY: i64 = 0;
const EXCEPTION: i64 = 1;
const BLACKOUT: i64 = 2;

/// Weekly hours, date exceptions and blackouts of the resources meeting
/// `condition`, as rows of one shape: part, resource_id, a, b, c, day.
fn schedule_rows_sql(condition: &str) -> String {
    format!(
        "SELECT CAST({WEEKLY} AS BIGINT) AS part, resource_id, weekday AS a, opens_minute AS b, closes_minute AS c, '' AS day \
         FROM weekly_hours WHERE {condition} \
         UNION ALL SELECT {EXCEPTION}, resource_id, 0, opens_minute, closes_minute, day FROM date_exceptions WHERE {condition} \
         UNION ALL SELECT {BLACKOUT}, resource_id, starts_at, ends_at, 0, '' FROM blackouts WHERE {condition}"
    )
}

/// Adds a row of `schedule_rows_sql` to its schedule; a row without a part
/// (a resource with no schedule rows, from a LEFT JOIN) adds nothing.
fn add_schedule_row(schedule: &mut Schedule, row: &AnyRow) -> Result<(), StorageError> {
    let Some(part) = row.try_get::<Option<i64>, _>("part")? else { return Ok(()) };
    let (a, b, c): (i64, Option<i64>, Option<i64>) = (row.try_get("a")?, row.try_get("b")?, row.try_get("c")?);
    match part {
        WEEKLY => schedule.weekly[a.clamp(0, 6) as usize].extend(b.zip(c).and_then(|(opens, closes)| day_hours(opens, closes))),
        EXCEPTION => {
            let day: String = row.try_get("day")?;
            let date = day.parse::<NaiveDate>().map_err(|_| super::users::decode_error("day", &day))?;
            let hours = b.zip(c).and_then(|(opens, closes)| day_hours(opens, closes));
            schedule.exceptions.entry(date).or_default().extend(hours);
        }
        _ => schedule.blackouts.push(Span::new(from_unix(a), from_unix(b.unwrap_or(a)))),
    }
    Ok(())
}

fn day_hours(opens: i64, closes: i64) -> Option<DayHours> {
    DayHours::new(u16::try_from(opens).ok()?, u16::try_from(closes).ok()?)
}

pub fn from_unix(seconds: i64) -> DateTime<Utc> {
    DateTime::from_timestamp(seconds, 0).unwrap_or_default()
}

/// Replaces the weekly hours; `hours` pairs a weekday (0 = Monday) with an interval.
pub async fn set_weekly_hours(db: &Db, resource_id: i64, hours: &[(u8, DayHours)]) -> Result<(), StorageError> {
    let mut tx = db.begin_write().await?;
    sqlx::query("DELETE FROM weekly_hours WHERE resource_id = $1").bind(resource_id).execute(&mut *tx).await?;
    for (weekday, h) in hours {
        sqlx::query("INSERT INTO weekly_hours (resource_id, weekday, opens_minute, closes_minute) VALUES ($1, $2, $3, $4)")
            .bind(resource_id)
            .bind(i64::from(*weekday))
            .bind(i64::from(h.opens))
            .bind(i64::from(h.closes))
            .execute(&mut *tx)
            .await?;
    }
    tx.commit().await?;
    Ok(())
}

/// Other hours on one date; `None` closes the whole day.
pub async fn add_exception(db: &Db, resource_id: i64, date: NaiveDate, hours: Option<DayHours>) -> Result<(), StorageError> {
    sqlx::query("INSERT INTO date_exceptions (resource_id, day, opens_minute, closes_minute) VALUES ($1, $2, $3, $4)")
        .bind(resource_id)
        .bind(date.to_string())
        .bind(hours.map(|h| i64::from(h.opens)))
        .bind(hours.map(|h| i64::from(h.closes)))
        .execute(&mut *db.write().await?)
        .await?;
    Ok(())
}

/// Sets the hours of one date, replacing what it had; `None` closes the day.
pub async fn replace_exception(db: &Db, resource_id: i64, date: NaiveDate, hours: Option<DayHours>) -> Result<(), StorageError> {
    let mut tx = db.begin_write().await?;
    delete_exception(&mut *tx, resource_id, date).await?;
    sqlx::query("INSERT INTO date_exceptions (resource_id, day, opens_minute, closes_minute) VALUES ($1, $2, $3, $4)")
        .bind(resource_id)
        .bind(date.to_string())
        .bind(hours.map(|h| i64::from(h.opens)))
        .bind(hours.map(|h| i64::from(h.closes)))
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(())
}

/// Gives a date back its weekly hours.
pub async fn remove_exception(db: &Db, resource_id: i64, date: NaiveDate) -> Result<(), StorageError> {
    let mut conn = db.write().await?;
    delete_exception(&mut *conn, resource_id, date).await
}

async fn delete_exception(conn: &mut AnyConnection, resource_id: i64, date: NaiveDate) -> Result<(), StorageError> {
    sqlx::query("DELETE FROM date_exceptions WHERE resource_id = $1 AND day = $2")
        .bind(resource_id)
        .bind(date.to_string())
        .execute(&mut *conn)
        .await?;
    Ok(())
}

pub async fn add_blackout(db: &Db, resource_id: i64, span: Span, reason: &str) -> Result<(), StorageError> {
    sqlx::query("INSERT INTO blackouts (resource_id, starts_at, ends_at, reason) VALUES ($1, $2, $3, $4)")
        .bind(resource_id)
        .bind(span.start.timestamp())
        .bind(span.end.timestamp())
        .bind(reason)
        .execute(&mut *db.write().await?)
        .await?;
    Ok(())
}

pub async fn update_settings(db: &Db, resource_id: i64, s: &Settings) -> Result<(), StorageError> {
    sqlx::query(
        "UPDATE resources SET approval = $1, booking_mode = $2, buffer_minutes = $3, min_notice_minutes = $4, \
         max_horizon_days = $5, slot_step_minutes = $6, default_duration_minutes = $7, max_per_day = $8, \
         max_party = $9, cancel_cutoff_hours = $10, pending_expiry_hours = $11 WHERE id = $12",
    )
    .bind(match s.approval {
        Approval::Auto => "auto",
        Approval::Manual => "manual",
    })
    .bind(&s.booking_mode)
    .bind(s.buffer_minutes)
    .bind(s.min_notice_minutes)
    .bind(s.max_horizon_days)
    .bind(s.slot_step_minutes)
    .bind(s.default_duration_minutes)
    .bind(s.max_per_day)
    .bind(s.max_party)
    .bind(s.cancel_cutoff_hours)
    .bind(s.pending_expiry_hours)
    .bind(resource_id)
    .execute(&mut *db.write().await?)
    .await?;
    Ok(())
}

pub async fn set_max_party(db: &Db, resource_id: i64, max_party: Option<i64>) -> Result<(), StorageError> {
    sqlx::query("UPDATE resources SET max_party = $1 WHERE id = $2").bind(max_party).bind(resource_id).execute(&mut *db.write().await?).await?;
    Ok(())
}
