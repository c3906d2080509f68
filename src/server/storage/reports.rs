//! What reports and the booking history read: the resources a person may
//! report on (a manager's own, or all for an administrator), with their open
//! hours, their bookings and the payments of those bookings. Read only.

use super::bookings::{self, Filter};
use super::calendar::{self, from_unix};
use super::{Db, StorageError};
use crate::domain::availability::Span;
use crate::domain::payment::PaymentKind;
use crate::domain::report::{ReportBooking, ReportPayment, ReportResource};
use crate::domain::time::parse_zone;
use chrono_tz::Tz;
use sqlx::Row;

/// `column` (a resource id) names a resource of the manager bound as `$1`,
/// or any resource when `$1` is NULL.
fn managed(column: &str) -> String {
    format!("($1 IS NULL OR {column} IN (SELECT resource_id FROM resource_managers WHERE user_id = $1))")
}

/// A resource as reports name it.
#[derive(Debug, Clone, PartialEq)]
pub struct NamedResource {
    pub id: i64,
    pub name: String,
    pub zone: Tz,
}

/// The resources in scope (retired ones too: their past still counts), by kind and name.
pub async fn resources(db: &Db, manager_id: Option<i64>) -> Result<Vec<NamedResource>, StorageError> {
    let rows = sqlx::query(&format!("SELECT id, name, timezone FROM resources WHERE {} ORDER BY kind, name, id", managed("id")))
        .bind(manager_id)
        .fetch_all(db.pool())
        .await?;
    rows.iter()
        .map(|row| {
            let zone: String = row.try_get("timezone")?;
            Ok(NamedResource { id: row.try_get("id")?, name: row.try_get("name")?, zone: parse_zone(&zone).unwrap_or(chrono_tz::UTC) })
        })
        .collect()
}

/// The resources in scope with their weekly hours, date exceptions and capacity.
pub async fn report_resources(db: &Db, manager_id: Option<i64>) -> Result<Vec<ReportResource>, StorageError> {
    let mut conn = db.pool().acquire().await?;
    let mut loaded = Vec::new();
    for resource in resources(db, manager_id).await? {
        if let Some(rules) = calendar::load(&mut conn, resource.id).await? {
            loaded.push(ReportResource { id: resource.id, name: resource.name, schedule: rules.schedule, capacity: rules.policy.capacity });
        }
    }
    Ok(loaded)
}

/// Bookings in scope overlapping `window`, whatever their status.
pub async fn bookings_in(db: &Db, manager_id: Option<i64>, window: Span) -> Result<Vec<ReportBooking>, StorageError> {
    let filter = Filter { manager_id, from: Some(window.start), to: Some(window.end), ..Filter::default() };
    let found = bookings::list(db, &filter, 0, i64::MAX).await?;
    Ok(found
        .into_iter()
        .map(|b| ReportBooking {
            resource_id: b.resource_id,
            status: b.status,
            span: Span::new(b.start, b.end),
            price_minor: b.price_minor,
            currency: b.currency,
        })
        .collect())
}

/// Payments and refunds of the bookings in scope that start within `window`.
pub async fn payments_in(db: &Db, manager_id: Option<i64>, window: Span) -> Result<Vec<ReportPayment>, StorageError> {
    let sql = format!(
        "SELECT b.resource_id, b.starts_at, p.kind, p.amount_minor, p.currency FROM payments p \
         JOIN bookings b ON b.id = p.booking_id WHERE b.starts_at >= $2 AND b.starts_at < $3 AND {} ORDER BY p.id",
        managed("b.resource_id")
    );
    let rows = sqlx::query(&sql)
        .bind(manager_id)
        .bind(window.start.timestamp())
        .bind(window.end.timestamp())
        .fetch_all(db.pool())
        .await?;
    rows.iter()
        .map(|row| {
            let kind: String = row.try_get("kind")?;
            Ok(ReportPayment {
                resource_id: row.try_get("resource_id")?,
                booking_start: from_unix(row.try_get("starts_at")?),
                kind: PaymentKind::parse(&kind).ok_or_else(|| super::users::decode_error("kind", &kind))?,
                amount_minor: row.try_get("amount_minor")?,
                currency: row.try_get("currency")?,
            })
        })
        .collect()
}
