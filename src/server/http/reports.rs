//! GET /informes/{table}.csv?desde=…&hasta=…: one table of the report as a
//! CSV download, linked from the report pages. Same access as the pages: a
//! manager gets their resources, an administrator every resource.

use crate::domain::account::{Lang, Role};
use crate::domain::report::to_csv;
use crate::error::AppError;
use crate::i18n::error_text;
use crate::server::auth::{self, RequestAuth};
use crate::server::state::AppState;
use crate::server_fns::reports::{ssr, CSV_PREFIX, REPORT_TABLES};
use axum::extract::{Path, Query, State};
use axum::http::{header, request::Parts, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Extension, Router};
use serde::Deserialize;

pub fn routes() -> Router<AppState> {
    Router::new().route(&format!("{CSV_PREFIX}/{{file}}"), get(download))
}

#[derive(Deserialize)]
struct RangeQuery {
    #[serde(default)]
    desde: String,
    #[serde(default)]
    hasta: String,
}

async fn download(
    State(state): State<AppState>,
    Extension(request): Extension<RequestAuth>,
    Path(file): Path<String>,
    Query(range): Query<RangeQuery>,
    parts: Parts,
) -> Response {
    let lang = auth::lang_of_request(&parts);
    match csv_of(&state, &request, &file, &range, lang).await {
        Ok((name, body)) => (
            [
                (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
                (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{name}\"")),
                (header::CACHE_CONTROL, "no-store".to_string()),
            ],
            body,
        )
            .into_response(),
        Err(e) => (StatusCode::from_u16(e.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR), error_text(lang, &e)).into_response(),
    }
}

/// The download's file name and contents.
async fn csv_of(state: &AppState, request: &RequestAuth, file: &str, range: &RangeQuery, lang: Lang) -> Result<(String, String), AppError> {
    let user = auth::require_role(request, &[Role::Manager, Role::Admin])?;
    let slug = file.strip_suffix(".csv").filter(|s| REPORT_TABLES.contains(s)).ok_or(AppError::NotFound)?;
    let page = ssr::build(state, user, &range.desde, &range.hasta, lang).await?;
    let table = page.tables.iter().find(|t| t.slug == slug).ok_or(AppError::NotFound)?;
    Ok((format!("informe-{slug}-{}-{}.csv", page.desde, page.hasta), to_csv(&table.headers, &table.rows)))
}
