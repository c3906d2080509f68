//! The public directory: the resources of one kind found by text, genre,
//! city, price and free time, one page at a time. Text, genre, city and
//! price are decided in SQL. "Free at a local date and time" is decided in
//! SQL for all candidates at once (the availability rules restated over the
//! tables, see `free_at_query`), with the pure rules deciding the few cases
//! SQL cannot (touching intervals, days with a clock change, blackouts). "Free
//! on a date" is checked per candidate with the availability engine, the
//! same one that accepts or refuses bookings, once SQL has left out the
//! resources closed that day.

use super::resources::PublicDetail;
use super::{bookings, calendar, Db, Engine, StorageError};
use crate::domain::availability::Span;
use crate::domain::time::{local_to_utc, local_to_utc_at_or_after, parse_zone};
use crate::server::availability;
use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveTime, Offset, TimeZone, Timelike, Utc};
use chrono_tz::Tz;
use sqlx::any::AnyRow;
use sqlx::Row;
use std::collections::HashMap;

/// What a visitor asked for; `None` leaves a criterion out. Text, genre and
/// city match without regard to case; prices are minor units and compare
/// with the resource's cheapest service.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Filter {
    /// Empty for every kind.
    pub kind: String,
    /// Part of the name or the description.
    pub text: Option<String>,
    /// One of the `genres` attribute, whole.
    pub genre: Option<String>,
    /// The `city` attribute, whole.
    pub city: Option<String>,
    pub min_price_minor: Option<i64>,
    pub max_price_minor: Option<i64>,
    /// Has at least one free time starting on this local date, for its
    /// shortest service (or its default length).
    pub free_on: Option<NaiveDate>,
    /// Could be booked (a party of one) at this local date and time.
    pub free_at: Option<FreeAt>,
}

/// A booking's start as a local date and time, read in each resource's own
/// zone, and its length.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FreeAt {
    pub date: NaiveDate,
    pub time: NaiveTime,
    /// `None`: each resource's shortest service (or its default length).
    pub minutes: Option<i64>,
}

/// A resource as the directory lists it.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    pub detail: PublicDetail,
    /// Its cheapest service: price in minor units and currency.
    pub from_price: Option<(i64, String)>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Page {
    pub entries: Vec<Entry>,
    /// How many resources match, over all pages.
    pub total: i64,
}

enum Arg {
    Text(String),
    Int(i64),
}

/// Adds `arg` to `args` and answers its placeholder.
fn push(args: &mut Vec<Arg>, arg: Arg) -> String {
    args.push(arg);
    format!("${}", args.len())
}

const MIN_PRICE: &str = "(SELECT MIN(s.price_minor) FROM services s WHERE s.resource_id = r.id AND s.active = 1)";
/// The length `free_on` and `free_at` look for when none is given.
const SHORTEST: &str =
    "COALESCE((SELECT MIN(s.duration_minutes) FROM services s WHERE s.resource_id = r.id AND s.active = 1), r.default_duration_minutes)";

/// The WHERE clause of `filter` without the free times, and its arguments
/// ($1...); with `free_on`, the resources closed all that day are left out.
fn where_clause(engine: Engine, filter: &Filter) -> (String, Vec<Arg>) {
    let mut args = Vec::new();
    let mut clauses = vec!["r.archived_at IS NULL".to_string()];
    if !filter.kind.is_empty() {
        let n = push(&mut args, Arg::Text(filter.kind.clone()));
        clauses.push(format!("r.kind = {n}"));
    }
    let clean = |text: &Option<String>| text.as_deref().map(str::trim).filter(|t| !t.is_empty()).map(str::to_lowercase);
    if let Some(text) = clean(&filter.text) {
        let escaped: String = text.chars().flat_map(|c| if matches!(c, '%' | '_' | '\\') { vec!['\\', c] } else { vec![c] }).collect();
        let n = push(&mut args, Arg::Text(format!("%{escaped}%")));
        clauses.push(format!("(lower(r.name) LIKE {n} ESCAPE '\\' OR lower(r.description) LIKE {n} ESCAPE '\\')"));
    }
    if let Some(genre) = clean(&filter.genre) {
        let n = push(&mut args, Arg::Text(genre));
        clauses.push(match engine {
            Engine::Sqlite => {
                format!("EXISTS (SELECT 1 FROM json_each(r.attributes, '$.genres') g WHERE lower(g.value) = {n})")
            }
            Engine::Postgres => format!(
                "EXISTS (SELECT 1 FROM jsonb_array_elements_text(CASE WHEN jsonb_typeof(r.attributes::jsonb -> 'genres') = 'array' \
                 THEN r.attributes::jsonb -> 'genres' ELSE '[]'::jsonb END) g WHERE lower(g) = {n})"
            ),
        });
    }
    if let Some(city) = clean(&filter.city) {
        let n = push(&mut args, Arg::Text(city));
        clauses.push(match engine {
            Engine::Sqlite => format!("lower(json_extract(r.attributes, '$.city')) = {n}"),
            Engine::Postgres => format!("lower(r.attributes::jsonb ->> 'city') = {n}"),
        });
    }
    if let Some(min) = filter.min_price_minor {
        let n = push(&mut args, Arg::Int(min));
        clauses.push(format!("{MIN_PRICE} >= {n}"));
    }
    if let Some(max) = filter.max_price_minor {
        let n = push(&mut args, Arg::Int(max));
        clauses.push(format!("{MIN_PRICE} <= {n}"));
    }
    if let Some(date) = filter.free_on {
        let day = DayArgs::new(&mut args, date);
        clauses.push(format!("r.id IN (SELECT h.resource_id FROM {} h)", day.hours()));
    }
    (clauses.join(" AND "), args)
}

/// Placeholders of a local date and its weekday (0 = Monday).
struct DayArgs {
    day: String,
    weekday: String,
}

impl DayArgs {
    fn new(args: &mut Vec<Arg>, date: NaiveDate) -> DayArgs {
        let day = push(args, Arg::Text(date.to_string()));
        let weekday = push(args, Arg::Int(i64::from(date.weekday().num_days_from_monday())));
        DayArgs { day, weekday }
    }

    /// The opening hours of every resource on the day as rows (resource_id,
    /// opens, closes), in minutes: what `calendar::load` puts in a schedule
    /// for it, the date's exceptions when it has any (a closed day has no
    /// valid one), else the weekly hours of its weekday.
    fn hours(&self) -> String {
        let DayArgs { day, weekday } = self;
        format!(
            "(SELECT x.resource_id, x.opens_minute AS opens, x.closes_minute AS closes FROM date_exceptions x \
             WHERE x.day = {day} AND x.opens_minute >= 0 AND x.opens_minute < x.closes_minute AND x.closes_minute <= 1440 \
             UNION ALL SELECT w.resource_id, w.opens_minute, w.closes_minute FROM weekly_hours w WHERE w.weekday = {weekday} \
             AND w.resource_id NOT IN (SELECT e.resource_id FROM date_exceptions e WHERE e.day = {day}))"
        )
    }
}

fn bind_all<'q>(
    mut query: sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>>,
    args: &'q [Arg],
) -> sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>> {
    for arg in args {
        query = match arg {
            Arg::Text(text) => query.bind(text.as_str()),
            Arg::Int(n) => query.bind(*n),
        };
    }
    query
}

fn entry_of(row: &AnyRow) -> Result<Entry, sqlx::Error> {
    let price: Option<i64> = row.try_get("from_price")?;
    let currency: Option<String> = row.try_get("from_currency")?;
    Ok(Entry { detail: super::resources::public_of(row)?, from_price: price.zip(currency) })
}

/// The directory's columns of the resources `r` meeting `condition`.
fn select_where(condition: &str) -> String {
    format!(
        "SELECT r.id, r.kind, r.slug, r.name, r.description, r.timezone, r.capacity, r.attributes, r.photos, \
         {MIN_PRICE} AS from_price, \
         (SELECT s.currency FROM services s WHERE s.resource_id = r.id AND s.active = 1 ORDER BY s.price_minor, s.id LIMIT 1) AS from_currency \
         FROM resources r WHERE {condition}"
    )
}

/// Page `page` (from 1) of `page_size` resources matching `filter`, by name.
pub async fn search(db: &Db, filter: &Filter, page: i64, page_size: i64, now: DateTime<Utc>) -> Result<Page, StorageError> {
    let page_size = page_size.max(1);
    let offset = (page.max(1) - 1).saturating_mul(page_size);
    if filter.free_on.is_none() && filter.free_at.is_none() {
        let (clause, args) = where_clause(db.engine(), filter);
        let total: i64 = bind_all(sqlx::query(&format!("SELECT COUNT(*) AS n FROM resources r WHERE {clause}")), &args)
            .fetch_one(db.pool())
            .await?
            .try_get("n")?;
        let sql = format!("{} ORDER BY r.name, r.id LIMIT {page_size} OFFSET {offset}", select_where(&clause));
        let rows = bind_all(sqlx::query(&sql), &args).fetch_all(db.pool()).await?;
        let entries = rows.iter().map(entry_of).collect::<Result<_, _>>()?;
        return Ok(Page { entries, total });
    }
    let mut ids = match filter.free_at {
        Some(at) => free_at_ids(db, filter, at, now).await?,
        None => ids_where(db, filter).await?,
    };
    if let Some(date) = filter.free_on {
        let mut free = Vec::new();
        for id in ids {
            if is_free_on(db, id, date, now).await? {
                free.push(id);
            }
        }
        ids = free;
    }
    let total = ids.len() as i64;
    let shown: Vec<i64> = ids.into_iter().skip(offset.clamp(0, i64::MAX) as usize).take(page_size as usize).collect();
    Ok(Page { entries: entries_of(db, &shown).await?, total })
}

/// The ids matching `filter` without its free times, by name.
async fn ids_where(db: &Db, filter: &Filter) -> Result<Vec<i64>, StorageError> {
    let (clause, args) = where_clause(db.engine(), filter);
    let rows = bind_all(sqlx::query(&format!("SELECT r.id FROM resources r WHERE {clause} ORDER BY r.name, r.id")), &args)
        .fetch_all(db.pool())
        .await?;
    Ok(rows.iter().map(|row| row.try_get("id")).collect::<Result<_, _>>()?)
}

/// The entries of `ids`, in that order.
async fn entries_of(db: &Db, ids: &[i64]) -> Result<Vec<Entry>, StorageError> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let list = ids.iter().map(i64::to_string).collect::<Vec<_>>().join(", ");
    let rows = sqlx::query(&select_where(&format!("r.id IN ({list})"))).fetch_all(db.pool()).await?;
    let mut by_id: HashMap<i64, Entry> =
        rows.iter().map(|row| Ok((row.try_get("id")?, entry_of(row)?))).collect::<Result<_, sqlx::Error>>()?;
    Ok(ids.iter().filter_map(|id| by_id.remove(id)).collect())
}

/// Whether a booking of the resource's shortest service (or default length)
/// could start on local `date`.
async fn is_free_on(db: &Db, resource_id: i64, date: NaiveDate, now: DateTime<Utc>) -> Result<bool, StorageError> {
    let Some(rules) = availability::rules(db, resource_id).await? else { return Ok(false) };
    let shortest = super::services::list_for_resource(db, resource_id).await?.iter().map(|s| s.duration_minutes).min();
    let duration = shortest.map(Duration::minutes).unwrap_or(rules.default_duration);
    Ok(!availability::free_spans(db, &rules, date, date, duration, None, now).await?.is_empty())
}

/// What a local date and time is in one zone: the instant (its first
/// occurrence when clocks go back), the instants the local day starts and
/// ends, and whether that day and the next are `regular`.
struct ZoneDay {
    zone: Tz,
    start: DateTime<Utc>,
    day_start: DateTime<Utc>,
    day_end: DateTime<Utc>,
    regular: bool,
}

impl ZoneDay {
    /// `None` when the time does not exist there (skipped by a clock change).
    fn new(zone: Tz, at: FreeAt) -> Option<ZoneDay> {
        let start = local_to_utc(at.date.and_time(at.time), zone)?;
        let midnight = |date: NaiveDate| local_to_utc_at_or_after(date, NaiveTime::MIN, zone);
        let next = at.date.succ_opt()?;
        let (day_start, day_end) = (midnight(at.date), midnight(next));
        let regular = next.succ_opt().is_some_and(|after| regular_day(zone, day_start, day_end) && regular_day(zone, day_end, midnight(after)));
        Some(ZoneDay { zone, start, day_start, day_end, regular })
    }
}

/// Whether the local day from `start` to `end` has 24 hours on one UTC
/// offset: local minutes of it map to instants one to one, so SQL can
/// compare opening hours in minutes.
fn regular_day(zone: Tz, start: DateTime<Utc>, end: DateTime<Utc>) -> bool {
    let offset = |at: DateTime<Utc>| zone.offset_from_utc_datetime(&at.naive_utc()).fix();
    end - start == Duration::days(1) && offset(start) == offset(end - Duration::seconds(1))
}

/// The zones of the resources matching `filter`, with the local date and
/// time of `at` in each (zones where it does not exist left out).
async fn zone_days(db: &Db, filter: &Filter, at: FreeAt) -> Result<Vec<ZoneDay>, StorageError> {
    let (clause, args) = where_clause(db.engine(), filter);
    let rows = bind_all(sqlx::query(&format!("SELECT DISTINCT r.timezone FROM resources r WHERE {clause}")), &args)
        .fetch_all(db.pool())
        .await?;
    let mut days = Vec::new();
    for row in rows {
        let name: String = row.try_get("timezone")?;
        days.extend(parse_zone(&name).and_then(|zone| ZoneDay::new(zone, at)));
    }
    Ok(days)
}

/// The query of `free_at_ids` and its arguments. For each candidate `c` it
/// restates what `Calendar::check` asks of a booking of `c.len` minutes at
/// `c.starts` for a party of one: a length, the party size, notice and
/// horizon, opening hours at the start, the bookings overlapping with their
/// buffers under capacity, and the day's limit. Opening hours to the end
/// and blackouts are decided here only for `settled` rows: the day and the
/// next regular, one interval holding the whole booking (or one open to
/// midnight and one from midnight the next day), no blackout near. For the
/// others (touching intervals, a clock change, a blackout) `free_at_ids`
/// asks the schedule. Set-based throughout: each table is read once for all
/// candidates, or by index per candidate.
fn free_at_query(engine: Engine, filter: &Filter, at: FreeAt, next_date: NaiveDate, zones: &[ZoneDay], now: DateTime<Utc>) -> (String, Vec<Arg>) {
    let (clause, mut args) = where_clause(engine, filter);
    let mut values = Vec::new();
    for z in zones {
        let row = [
            push(&mut args, Arg::Text(z.zone.name().to_string())),
            push(&mut args, Arg::Int(z.start.timestamp())),
            push(&mut args, Arg::Int(z.day_start.timestamp())),
            push(&mut args, Arg::Int(z.day_end.timestamp())),
            push(&mut args, Arg::Int(i64::from(z.regular))),
        ];
        values.push(format!("({})", row.join(", ")));
    }
    let starts = zones.iter().map(|z| z.start.timestamp());
    let earliest = push(&mut args, Arg::Int(starts.clone().min().unwrap_or_default()));
    let two_days_after_latest = push(&mut args, Arg::Int(starts.max().unwrap_or_default() + 2 * 86_400));
    let now = push(&mut args, Arg::Int(now.timestamp()));
    let minute = push(&mut args, Arg::Int(i64::from(at.time.hour() * 60 + at.time.minute())));
    let len = match at.minutes {
        Some(minutes) => push(&mut args, Arg::Int(minutes)),
        None => SHORTEST.to_string(),
    };
    let hours = DayArgs::new(&mut args, at.date).hours();
    let next_hours = DayArgs::new(&mut args, next_date).hours();
    let active = bookings::ACTIVE;
    // Where the most bookings overlap: at the start or where one begins.
    let instant = "CASE WHEN p.starts_at > c.starts THEN p.starts_at ELSE c.starts END";
    // In `c`, CROSS JOIN keeps SQLite's order: the resources open then, by
    // key, rather than every resource of the kind once per zone.
    let sql = format!(
        "WITH z (timezone, starts, day_start, day_end, regular) AS (VALUES {values}), \
         open_then AS (SELECT h.resource_id, MAX(h.closes) AS closes FROM {hours} h \
                       WHERE h.opens <= {minute} AND {minute} < h.closes GROUP BY h.resource_id), \
         c AS (SELECT r.id, r.name, r.timezone, r.capacity, r.max_per_day, 60 * r.buffer_minutes AS buffer, \
               z.starts, z.day_start, z.day_end, z.regular, o.closes, {len} AS len \
               FROM open_then o CROSS JOIN resources r CROSS JOIN z WHERE r.id = o.resource_id AND z.timezone = r.timezone \
               AND {clause} AND (r.max_party IS NULL OR r.max_party >= 1) AND z.starts >= {now} \
               AND z.starts >= {now} + 60 * r.min_notice_minutes AND z.starts <= {now} + 86400 * r.max_horizon_days \
               AND (r.max_per_day IS NULL OR r.max_per_day > 0)), \
         busy AS (SELECT p.resource_id FROM c JOIN bookings p ON p.resource_id = c.id WHERE p.{active} \
                  AND p.starts_at < c.starts + 60 * c.len + c.buffer AND p.ends_at + c.buffer > c.starts \
                  AND (c.capacity <= 1 OR (SELECT COUNT(*) FROM bookings q WHERE q.resource_id = c.id AND q.{active} \
                       AND q.starts_at <= {instant} AND q.ends_at + c.buffer > {instant}) >= c.capacity)), \
         day_full AS (SELECT c.id FROM c JOIN bookings d ON d.resource_id = c.id WHERE c.max_per_day IS NOT NULL AND d.{active} \
                      AND d.starts_at >= c.day_start AND d.starts_at < c.day_end GROUP BY c.id, c.max_per_day HAVING COUNT(*) >= c.max_per_day) \
         SELECT c.id, c.timezone, c.starts, c.len, \
         CAST(CASE WHEN c.regular = 1 AND ({minute} + c.len <= c.closes OR (c.closes = 1440 AND {minute} + c.len - 1440 <= \
              (SELECT MAX(n.closes) FROM {next_hours} n WHERE n.resource_id = c.id AND n.opens = 0))) AND c.id NOT IN \
              (SELECT b.resource_id FROM blackouts b WHERE b.ends_at > {earliest} AND b.starts_at < {two_days_after_latest}) \
              THEN 1 ELSE 0 END AS BIGINT) AS settled \
         FROM c WHERE c.len > 0 AND c.id NOT IN (SELECT resource_id FROM busy) AND c.id NOT IN (SELECT id FROM day_full) \
         ORDER BY c.name, c.id",
        values = values.join(", ")
    );
    (sql, args)
}

/// The ids matching `filter` that could take a booking at `at`, by name:
/// two queries, plus the schedules of the resources SQL leaves unsettled.
async fn free_at_ids(db: &Db, filter: &Filter, at: FreeAt, now: DateTime<Utc>) -> Result<Vec<i64>, StorageError> {
    let zones = zone_days(db, filter, at).await?;
    let Some(next_date) = at.date.succ_opt().filter(|_| !zones.is_empty()) else { return Ok(Vec::new()) };
    let (sql, args) = free_at_query(db.engine(), filter, at, next_date, &zones, now);
    let rows = bind_all(sqlx::query(&sql), &args).fetch_all(db.pool()).await?;
    let mut ids = Vec::with_capacity(rows.len());
    let mut unsettled = HashMap::new();
    for row in &rows {
        let id: i64 = row.try_get("id")?;
        ids.push(id);
        if row.try_get::<i64, _>("settled")? == 0 {
            let zone: String = row.try_get("timezone")?;
            let start = calendar::from_unix(row.try_get("starts")?);
            let span = Span::new(start, start + Duration::minutes(row.try_get("len")?));
            let zone = parse_zone(&zone).ok_or_else(|| super::users::decode_error("timezone", &zone))?;
            unsettled.insert(id, (zone, span));
        }
    }
    if unsettled.is_empty() {
        return Ok(ids);
    }
    let zones = unsettled.iter().map(|(id, (zone, _))| (*id, *zone)).collect();
    let schedules = calendar::load_schedules(&mut *db.pool().acquire().await?, &zones).await?;
    let open = |id: &i64| unsettled.get(id).is_none_or(|(_, span)| schedules.get(id).is_some_and(|s| s.covers(*span)));
    Ok(ids.into_iter().filter(open).collect())
}

/// The distinct genres and cities among the resources of `kind`, sorted, to
/// offer as filter choices.
pub async fn choices(db: &Db, kind: &str) -> Result<(Vec<String>, Vec<String>), StorageError> {
    let rows = sqlx::query("SELECT attributes FROM resources WHERE kind = $1").bind(kind).fetch_all(db.pool()).await?;
    let (mut genres, mut cities) = (std::collections::BTreeSet::new(), std::collections::BTreeSet::new());
    for row in rows {
        let text: String = row.try_get("attributes")?;
        let attributes: serde_json::Value = serde_json::from_str(&text).unwrap_or_default();
        if let Some(list) = attributes["genres"].as_array() {
            genres.extend(list.iter().filter_map(|g| g.as_str()).map(str::to_string));
        }
        if let Some(city) = attributes["city"].as_str() {
            cities.insert(city.to_string());
        }
    }
    Ok((genres.into_iter().collect(), cities.into_iter().collect()))
}

/// The names of the people who manage a resource.
pub async fn manager_names(db: &Db, resource_id: i64) -> Result<Vec<String>, StorageError> {
    let rows = sqlx::query(
        "SELECT u.name FROM users u JOIN resource_managers m ON m.user_id = u.id WHERE m.resource_id = $1 ORDER BY u.name",
    )
    .bind(resource_id)
    .fetch_all(db.pool())
    .await?;
    Ok(rows.iter().map(|r| r.try_get("name")).collect::<Result<_, _>>()?)
}

