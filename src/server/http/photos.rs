//! Photos over plain HTTP: the images themselves (GET /media/{id}) and the
//! photo forms of the management pages, which post here and come back to the
//! page (so they work without JavaScript; a refusal comes back in the query).

use crate::domain::photo::{self, MAX_PHOTO_BYTES, PHOTO_FIELD};
use crate::error::AppError;
use crate::server::auth::{self, RequestAuth};
use crate::server::photos;
use crate::server::state::AppState;
use crate::server::storage::media;
use axum::extract::{DefaultBodyLimit, Multipart, Path, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Extension, Router};

/// Uploads a little over the photo limit still reach the handler, which
/// refuses them with a message instead of a bare 413.
const FORM_BODY_LIMIT: usize = MAX_PHOTO_BYTES + MAX_PHOTO_BYTES / 2;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/media/{id}", get(serve_media))
        .route("/fotos/{resource}", post(upload).layer(DefaultBodyLimit::max(FORM_BODY_LIMIT)))
        .route("/fotos/{resource}/{index}/quitar", post(remove))
        .route("/fotos/{resource}/{index}/portada", post(make_cover))
}

/// Images never change under an id, so browsers may keep them.
async fn serve_media(State(state): State<AppState>, Path(id): Path<String>) -> Response {
    let Some(id) = id.parse::<i64>().ok().filter(|id| *id > 0) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    match media::get(&state.db, id).await {
        Ok(Some(image)) => (
            [
                (header::CONTENT_TYPE, HeaderValue::from_str(&image.content_type).unwrap_or(HeaderValue::from_static("application/octet-stream"))),
                (header::CACHE_CONTROL, HeaderValue::from_static("public, max-age=31536000, immutable")),
            ],
            image.bytes,
        )
            .into_response(),
        Ok(None) => StatusCode::NOT_FOUND.into_response(),
        Err(e) => {
            tracing::error!(error = %e, "could not read an image");
            StatusCode::SERVICE_UNAVAILABLE.into_response()
        }
    }
}

async fn upload(
    State(state): State<AppState>,
    Extension(request): Extension<RequestAuth>,
    Path(resource): Path<i64>,
    multipart: Multipart,
) -> Response {
    let (back, image) = match read_form(multipart).await {
        Ok(form) => form,
        Err(response) => return response,
    };
    let changed = async {
        let user = auth::require_user(&request)?;
        photos::may_change(&state.db, user, resource).await?;
        photos::add(&state.db, user, resource, &image).await
    };
    come_back(&back, resource, changed.await)
}

/// What the per-photo forms do with the photo at an index.
#[derive(Clone, Copy)]
enum PhotoStep {
    Remove,
    MakeCover,
}

async fn remove(state: State<AppState>, request: Extension<RequestAuth>, path: Path<(i64, usize)>, form: axum::Form<BackForm>) -> Response {
    change_one(state, request, path, form, PhotoStep::Remove).await
}

async fn make_cover(state: State<AppState>, request: Extension<RequestAuth>, path: Path<(i64, usize)>, form: axum::Form<BackForm>) -> Response {
    change_one(state, request, path, form, PhotoStep::MakeCover).await
}

async fn change_one(
    State(state): State<AppState>,
    Extension(request): Extension<RequestAuth>,
    Path((resource, index)): Path<(i64, usize)>,
    axum::Form(form): axum::Form<BackForm>,
    step: PhotoStep,
) -> Response {
    let changed = async {
        let user = auth::require_user(&request)?;
        photos::may_change(&state.db, user, resource).await?;
        match step {
            PhotoStep::Remove => photos::remove(&state.db, user, resource, index).await,
            PhotoStep::MakeCover => photos::make_cover(&state.db, user, resource, index).await,
        }
    };
    come_back(&form.back, resource, changed.await)
}

#[derive(serde::Deserialize)]
struct BackForm {
    #[serde(default)]
    back: String,
}

/// The page to return to and the uploaded file's bytes.
async fn read_form(mut multipart: Multipart) -> Result<(String, Vec<u8>), Response> {
    let unreadable = |e: axum::extract::multipart::MultipartError| (e.status(), e.body_text()).into_response();
    let (mut back, mut image) = (String::new(), Vec::new());
    while let Some(field) = multipart.next_field().await.map_err(unreadable)? {
        match field.name() {
            Some("back") => back = field.text().await.map_err(unreadable)?,
            Some(name) if name == PHOTO_FIELD => image = field.bytes().await.map_err(unreadable)?.to_vec(),
            _ => {}
        }
    }
    Ok((back, image))
}

/// Back to the page that sent the form; a refused value is named in the
/// query for the page to show next to the form, other refusals as a status.
fn come_back(back: &str, resource: i64, changed: Result<Vec<String>, AppError>) -> Response {
    let back = if crate::server_fns::auth::is_local_path(back) { back } else { "/panel" };
    match changed {
        Ok(_) => Redirect::to(back).into_response(),
        Err(AppError::Invalid(refused)) => Redirect::to(&photo::back_with_problem(back, resource, refused.problem)).into_response(),
        Err(AppError::Unauthorized) => Redirect::to(&format!("/login?next={}", url::form_urlencoded::byte_serialize(back.as_bytes()).collect::<String>())).into_response(),
        Err(other) => (StatusCode::from_u16(other.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR), other.to_string()).into_response(),
    }
}
