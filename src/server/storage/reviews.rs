//! Reviews of completed bookings and the managers' replies. One review per
//! booking (a UNIQUE column, so a race cannot leave two) and one reply per
//! review (written only while it is still NULL).

use super::calendar::from_unix;
use super::{unique_violation, Db, StorageError};
use crate::domain::review::{NewReview, StarCounts};
use chrono::{DateTime, Utc};
use sqlx::any::AnyRow;
use sqlx::Row;

/// What `Duplicate` names when a booking already has its review.
pub const DUPLICATE: &str = "review of this booking";

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Review {
    pub id: i64,
    pub booking_id: i64,
    pub resource_id: i64,
    pub client_id: Option<i64>,
    pub rating: u8,
    pub comment: String,
    pub created_at: DateTime<Utc>,
    pub reply: Option<String>,
    pub replied_at: Option<DateTime<Utc>>,
    /// The full name of whoever wrote it (pages show only the first).
    pub reviewer_name: String,
}

const COLUMNS: &str = "v.id, v.booking_id, v.resource_id, v.client_id, v.rating, v.comment, v.created_at, v.reply, \
                       v.replied_at, COALESCE(u.name, '') AS reviewer_name";
const FROM: &str = "FROM reviews v LEFT JOIN users u ON u.id = v.client_id";

fn from_row(row: &AnyRow) -> Result<Review, sqlx::Error> {
    Ok(Review {
        id: row.try_get("id")?,
        booking_id: row.try_get("booking_id")?,
        resource_id: row.try_get("resource_id")?,
        client_id: row.try_get("client_id")?,
        rating: row.try_get::<i64, _>("rating")?.clamp(0, 5) as u8,
        comment: row.try_get("comment")?,
        created_at: from_unix(row.try_get("created_at")?),
        reply: row.try_get("reply")?,
        replied_at: row.try_get::<Option<i64>, _>("replied_at")?.map(from_unix),
        reviewer_name: row.try_get("reviewer_name")?,
    })
}

/// Stores `client`'s review of a booking; `Duplicate(DUPLICATE)` when the
/// booking already has one. Who may review is the caller's check.
pub async fn create(
    db: &Db,
    booking_id: i64,
    resource_id: i64,
    client_id: i64,
    review: &NewReview,
    now: DateTime<Utc>,
) -> Result<i64, StorageError> {
    let row = sqlx::query(
        "INSERT INTO reviews (booking_id, resource_id, client_id, rating, comment, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
    )
    .bind(booking_id)
    .bind(resource_id)
    .bind(client_id)
    .bind(i64::from(review.rating))
    .bind(&review.comment)
    .bind(now.timestamp())
    .fetch_one(&mut *db.write().await?)
    .await
    .map_err(unique_violation(DUPLICATE))?;
    Ok(row.try_get("id")?)
}

pub async fn get(db: &Db, id: i64) -> Result<Option<Review>, StorageError> {
    let row = sqlx::query(&format!("SELECT {COLUMNS} {FROM} WHERE v.id = $1")).bind(id).fetch_optional(db.pool()).await?;
    Ok(row.as_ref().map(from_row).transpose()?)
}

pub async fn for_booking(db: &Db, booking_id: i64) -> Result<Option<Review>, StorageError> {
    let row = sqlx::query(&format!("SELECT {COLUMNS} {FROM} WHERE v.booking_id = $1"))
        .bind(booking_id)
        .fetch_optional(db.pool())
        .await?;
    Ok(row.as_ref().map(from_row).transpose()?)
}

/// Writes the reply unless the review has one already: false then (or when
/// there is no such review), and nothing changes.
pub async fn reply(db: &Db, id: i64, reply: &str, by: i64, now: DateTime<Utc>) -> Result<bool, StorageError> {
    let done = sqlx::query("UPDATE reviews SET reply = $1, replied_by = $2, replied_at = $3 WHERE id = $4 AND reply IS NULL")
        .bind(reply)
        .bind(by)
        .bind(now.timestamp())
        .bind(id)
        .execute(&mut *db.write().await?)
        .await?;
    Ok(done.rows_affected() == 1)
}

/// A resource's reviews, newest first, `limit` of them after skipping
/// `skip`, and how many of all its reviews gave each number of stars. Each
/// row carries the counts (window sums, taken before the LIMIT), so a page
/// is one query unless it lies past the last review.
pub async fn page_for_resource(db: &Db, resource_id: i64, skip: i64, limit: i64) -> Result<(StarCounts, Vec<Review>), StorageError> {
    let stars: Vec<String> = (1..=5)
        .map(|n| format!("CAST(SUM(CASE WHEN v.rating = {n} THEN 1 ELSE 0 END) OVER () AS BIGINT) AS stars_{n}"))
        .collect();
    let rows = sqlx::query(&format!(
        "SELECT {COLUMNS}, {} {FROM} WHERE v.resource_id = $1 ORDER BY v.created_at DESC, v.id DESC LIMIT $2 OFFSET $3",
        stars.join(", ")
    ))
    .bind(resource_id)
    .bind(limit)
    .bind(skip)
    .fetch_all(db.pool())
    .await?;
    let Some(first) = rows.first() else {
        // An empty first page means no reviews at all; only past the end do the counts need asking.
        let counts = if skip == 0 && limit > 0 { StarCounts::default() } else { star_counts(db, resource_id).await? };
        return Ok((counts, Vec::new()));
    };
    let mut counts = StarCounts::default();
    for n in 1..=5 {
        let count: i64 = first.try_get(format!("stars_{n}").as_str())?;
        counts.add(n, count.max(0) as u64);
    }
    Ok((counts, rows.iter().map(from_row).collect::<Result<_, _>>()?))
}

/// How many reviews of a resource gave each number of stars.
async fn star_counts(db: &Db, resource_id: i64) -> Result<StarCounts, StorageError> {
    let rows = sqlx::query("SELECT rating, COUNT(*) AS n FROM reviews WHERE resource_id = $1 GROUP BY rating")
        .bind(resource_id)
        .fetch_all(db.pool())
        .await?;
    let mut counts = StarCounts::default();
    for row in &rows {
        let n: i64 = row.try_get("n")?;
        counts.add(row.try_get("rating")?, n.max(0) as u64);
    }
    Ok(counts)
}

/// Everything `client_id` reviewed, to mark their bookings.
pub async fn by_client(db: &Db, client_id: i64) -> Result<Vec<Review>, StorageError> {
    let rows = sqlx::query(&format!("SELECT {COLUMNS} {FROM} WHERE v.client_id = $1 ORDER BY v.id"))
        .bind(client_id)
        .fetch_all(db.pool())
        .await?;
    Ok(rows.iter().map(from_row).collect::<Result<_, _>>()?)
}

/// Reviews of the resources `manager_id` manages that have no reply yet,
/// oldest first (the longest waiting come first).
pub async fn unreplied_for_manager(db: &Db, manager_id: i64, limit: i64) -> Result<Vec<Review>, StorageError> {
    let rows = sqlx::query(&format!(
        "SELECT {COLUMNS} {FROM} JOIN resource_managers m ON m.resource_id = v.resource_id \
         WHERE m.user_id = $1 AND v.reply IS NULL ORDER BY v.created_at, v.id LIMIT $2"
    ))
    .bind(manager_id)
    .bind(limit)
    .fetch_all(db.pool())
    .await?;
    Ok(rows.iter().map(from_row).collect::<Result<_, _>>()?)
}
