//! GET /api/resources/{id}/reviews: a resource's reviews, newest first, with
//! the average of all of them. Public, like the profile page that shows them.

use super::bookings::parse_count;
use super::resources::parse_id;
use super::ApiError;
use crate::domain::review::first_name;
use crate::server::state::AppState;
use crate::server::storage::reviews::{self, Review};
use crate::server::storage::resources;
use axum::extract::{Path, Query, State};
use axum::Json;
use serde::Deserialize;
use serde_json::{json, Value};

const DEFAULT_LIMIT: i64 = 20;
const MAX_LIMIT: i64 = 100;

#[derive(Debug, Deserialize)]
pub struct PageQuery {
    skip: Option<String>,
    limit: Option<String>,
}

fn review_json(review: &Review) -> Value {
    json!({
        "id": review.id, "rating": review.rating, "comment": review.comment,
        "reviewer": first_name(&review.reviewer_name), "created_at": review.created_at.to_rfc3339(),
        "reply": review.reply, "replied_at": review.replied_at.map(|t| t.to_rfc3339()),
    })
}

pub async fn list(State(state): State<AppState>, Path(id): Path<String>, Query(q): Query<PageQuery>) -> Result<Json<Value>, ApiError> {
    let id = parse_id(&id, "id")?;
    resources::find(&state.db, id).await?.ok_or_else(ApiError::not_found)?;
    let skip = parse_count("skip", q.skip.as_deref(), 0, i64::from(i32::MAX))?;
    let limit = parse_count("limit", q.limit.as_deref(), DEFAULT_LIMIT, MAX_LIMIT)?;
    let (counts, listed) = reviews::page_for_resource(&state.db, id, skip, limit).await?;
    Ok(Json(json!({
        "resource_id": id,
        "count": counts.total(),
        "average": counts.average_tenths().map(|tenths| f64::from(tenths) / 10.0),
        "reviews": listed.iter().map(review_json).collect::<Vec<_>>(),
    })))
}
