//! The public directory: the resources of one kind found by text, genre,
//! city, price and a free date, one page at a time. Text, genre, city and
//! price are decided in SQL; a free date is checked per candidate with the
//! availability engine, the same one that accepts or refuses bookings.

use super::resources::ResourceDetail;
use super::{Db, Engine, StorageError};
use crate::server::availability;
use chrono::{DateTime, Duration, NaiveDate, Utc};
use sqlx::any::AnyRow;
use sqlx::Row;

/// What a visitor asked for; `None` leaves a criterion out. Text, genre and
/// city match without regard to case; prices are minor units and compare
/// with the resource's cheapest service.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Filter {
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
}

/// A resource as the directory lists it.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    pub detail: ResourceDetail,
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

const MIN_PRICE: &str = "(SELECT MIN(s.price_minor) FROM services s WHERE s.resource_id = r.id AND s.active = 1)";

/// The WHERE clause of `filter` without the date, and its arguments ($1...).
fn where_clause(engine: Engine, filter: &Filter) -> (String, Vec<Arg>) {
    let mut args = vec![Arg::Text(filter.kind.clone())];
    let mut clauses = vec!["r.kind = $1".to_string(), "r.archived_at IS NULL".to_string()];
    let next = |args: &mut Vec<Arg>, arg: Arg| {
        args.push(arg);
        format!("${}", args.len())
    };
    let clean = |text: &Option<String>| text.as_deref().map(str::trim).filter(|t| !t.is_empty()).map(str::to_lowercase);
    if let Some(text) = clean(&filter.text) {
        let escaped: String = text.chars().flat_map(|c| if matches!(c, '%' | '_' | '\\') { vec!['\\', c] } else { vec![c] }).collect();
        let n = next(&mut args, Arg::Text(format!("%{escaped}%")));
        clauses.push(format!("(lower(r.name) LIKE {n} ESCAPE '\\' OR lower(r.description) LIKE {n} ESCAPE '\\')"));
    }
    if let Some(genre) = clean(&filter.genre) {
        let n = next(&mut args, Arg::Text(genre));
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
        let n = next(&mut args, Arg::Text(city));
        clauses.push(match engine {
            Engine::Sqlite => format!("lower(json_extract(r.attributes, '$.city')) = {n}"),
            Engine::Postgres => format!("lower(r.attributes::jsonb ->> 'city') = {n}"),
        });
    }
    if let Some(min) = filter.min_price_minor {
        let n = next(&mut args, Arg::Int(min));
        clauses.push(format!("{MIN_PRICE} >= {n}"));
    }
    if let Some(max) = filter.max_price_minor {
        let n = next(&mut args, Arg::Int(max));
        clauses.push(format!("{MIN_PRICE} <= {n}"));
    }
    (clauses.join(" AND "), args)
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
    let attributes: String = row.try_get("attributes")?;
    let photos: String = row.try_get("photos")?;
    let price: Option<i64> = row.try_get("from_price")?;
    let currency: Option<String> = row.try_get("from_currency")?;
    Ok(Entry {
        detail: ResourceDetail {
            summary: super::resources::from_row(row)?,
            attributes: serde_json::from_str(&attributes).unwrap_or_default(),
            photos: serde_json::from_str(&photos).unwrap_or_default(),
            managers: Vec::new(),
            retired: false,
        },
        from_price: price.zip(currency),
    })
}

/// Page `page` (from 1) of `page_size` resources matching `filter`, by name.
pub async fn search(db: &Db, filter: &Filter, page: i64, page_size: i64, now: DateTime<Utc>) -> Result<Page, StorageError> {
    let (clause, args) = where_clause(db.engine(), filter);
    let page_size = page_size.max(1);
    let offset = (page.max(1) - 1).saturating_mul(page_size);
    let select = format!(
        "SELECT r.id, r.kind, r.slug, r.name, r.description, r.timezone, r.capacity, r.attributes, r.photos, \
         {MIN_PRICE} AS from_price, \
         (SELECT s.currency FROM services s WHERE s.resource_id = r.id AND s.active = 1 ORDER BY s.price_minor, s.id LIMIT 1) AS from_currency \
         FROM resources r WHERE {clause} ORDER BY r.name, r.id"
    );
    let Some(date) = filter.free_on else {
        let total: i64 = bind_all(sqlx::query(&format!("SELECT COUNT(*) AS n FROM resources r WHERE {clause}")), &args)
            .fetch_one(db.pool())
            .await?
            .try_get("n")?;
        let rows = bind_all(sqlx::query(&format!("{select} LIMIT {page_size} OFFSET {offset}")), &args).fetch_all(db.pool()).await?;
        let entries = rows.iter().map(entry_of).collect::<Result<_, _>>()?;
        return Ok(Page { entries, total });
    };
    let rows = bind_all(sqlx::query(&select), &args).fetch_all(db.pool()).await?;
    let mut free = Vec::new();
    for row in &rows {
        let entry = entry_of(row)?;
        if is_free_on(db, entry.detail.summary.id, date, now).await? {
            free.push(entry);
        }
    }
    let total = free.len() as i64;
    let entries = free.into_iter().skip(offset.clamp(0, i64::MAX) as usize).take(page_size as usize).collect();
    Ok(Page { entries, total })
}

/// Whether a booking of the resource's shortest service (or default length)
/// could start on local `date`.
async fn is_free_on(db: &Db, resource_id: i64, date: NaiveDate, now: DateTime<Utc>) -> Result<bool, StorageError> {
    let Some(rules) = availability::rules(db, resource_id).await? else { return Ok(false) };
    let shortest = super::services::list_for_resource(db, resource_id).await?.iter().map(|s| s.duration_minutes).min();
    let duration = shortest.map(Duration::minutes).unwrap_or(rules.default_duration);
    Ok(!availability::free_spans(db, &rules, date, date, duration, None, now).await?.is_empty())
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

/// A resource by its slug, as `resources::find` gives it.
pub async fn find_by_slug(db: &Db, slug: &str) -> Result<Option<ResourceDetail>, StorageError> {
    let row = sqlx::query("SELECT id FROM resources WHERE slug = $1 AND archived_at IS NULL").bind(slug).fetch_optional(db.pool()).await?;
    match row {
        Some(row) => super::resources::find(db, row.try_get("id")?).await,
        None => Ok(None),
    }
}
