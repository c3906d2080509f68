//! The HTTP surface: Leptos pages and server functions, health check and
//! metrics, and the middleware every request passes (request id, metrics,
//! security headers, CSRF, session, rate limits).

mod account;
mod events;
pub mod limits;
pub mod metrics;
mod middleware;
mod rate_limiter;
mod test_clock;
mod request_id;
pub(crate) mod security;
mod stall;
mod refused_body;
mod payments;
mod photos;
mod reports;

use crate::app::{shell, App};
use crate::domain::account::Lang;
use crate::server::auth;
use crate::server::state::AppState;
use crate::server::storage::users;
use axum::extract::{Form, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::serve::ListenerExt;
use axum::{Json, Router};
use leptos_axum::{generate_route_list, AxumRouteListing, LeptosRoutes};
use serde::Deserialize;
use serde_json::json;
use tokio::net::TcpListener;

/// The page routes, listed once per process. Listing them renders the app with
/// resource loading switched off through a process-wide flag (leptos_server's
/// `SuppressResourceLoad`), so a resource first polled by a render in another
/// thread meanwhile would wait forever; building a second router (tests run
/// many apps in one process) must not list them again.
fn page_routes() -> Vec<AxumRouteListing> {
    static ROUTES: std::sync::OnceLock<Vec<AxumRouteListing>> = std::sync::OnceLock::new();
    ROUTES.get_or_init(|| generate_route_list(App)).clone()
}

pub fn router(state: AppState) -> Router {
    let routes = page_routes();
    let testing = if state.config.testing.controllable_clock { test_clock::routes() } else { Router::new() };
    Router::new()
        .merge(testing)
        .route("/healthz", get(healthz))
        .route("/metrics", get(metrics::metrics))
        .route("/lang", post(switch_language))
        .route("/events", get(events::events))
        .merge(photos::routes())
        .merge(account::routes())
        .merge(reports::routes())
        .merge(payments::routes())
        .nest("/api", crate::server::api::router().layer(axum::middleware::from_fn(crate::server::api::json_errors)))
        .leptos_routes(&state, routes, {
            let options = state.leptos_options.clone();
            move || shell(options.clone())
        })
        .fallback(leptos_axum::file_and_error_handler::<AppState, _>(shell))
        .layer(axum::middleware::from_fn_with_state(state.clone(), limits::enforce))
        .layer(axum::middleware::from_fn_with_state(state.clone(), middleware::resolve_session))
        .layer(axum::middleware::from_fn(middleware::reject_cross_origin_writes))
        .layer(axum::middleware::from_fn_with_state(state.config.clone(), security::security_headers))
        // Outside the layers that refuse requests, so refusals are counted too.
        .layer(axum::middleware::from_fn_with_state(state.metrics.clone(), metrics::track))
        // Every response and log line of a request carries its id.
        .layer(axum::middleware::from_fn_with_state(state.config.clone(), request_id::tag))
        // Outside `tag`, so a stalled page is logged with its id.
        .layer(axum::middleware::from_fn(stall::end_stalled_pages))
        .layer(axum::middleware::from_fn(refused_body::drain_refused_bodies))
        .with_state(state)
}

/// How long a stop waits for the requests in flight.
const SHUTDOWN_GRACE: std::time::Duration = std::time::Duration::from_secs(10);

/// Serves until the process is stopped: Ctrl-C or SIGTERM let in-flight
/// requests finish, for up to `SHUTDOWN_GRACE`. Also runs the background jobs
/// for as long as it serves.
pub async fn serve(state: AppState, listener: TcpListener) -> std::io::Result<()> {
    let jobs = crate::server::jobs::start(&state);
    // Live-update streams never end by themselves; shutting down ends them.
    let (stopping, stopping_rx) = tokio::sync::watch::channel(false);
    let mut stop_seen = stopping_rx.clone();
    let app = router(state)
        .layer(axum::Extension(events::Stopping(stopping_rx)))
        .into_make_service_with_connect_info::<std::net::SocketAddr>();
    let stop = async move {
        shutdown_signal().await;
        let _ = stopping.send(true);
    };
    // Small answers go out at once instead of waiting on the client's delayed ACK (Nagle).
    let listener = listener.tap_io(|tcp| {
        if let Err(e) = tcp.set_nodelay(true) {
            tracing::debug!(error = %e, "could not set TCP_NODELAY");
        }
    });
    let grace_over = async move {
        let _ = stop_seen.wait_for(|stopping| *stopping).await;
        tokio::time::sleep(SHUTDOWN_GRACE).await;
    };
    let served = tokio::select! {
        served = async { axum::serve(listener, app).with_graceful_shutdown(stop).await } => served,
        () = grace_over => {
            tracing::warn!(seconds = SHUTDOWN_GRACE.as_secs(), "requests still open after the stop signal were cut off");
            Ok(())
        }
    };
    jobs.iter().for_each(|job| job.abort());
    // Stopped before the caller closes the database, so none is cut off mid-round.
    for job in jobs {
        let _ = job.await;
    }
    served
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    tokio::select! { _ = ctrl_c => {}, _ = terminate => {} }
}

async fn healthz(State(state): State<AppState>) -> Response {
    let engine = state.db.engine().name();
    match state.db.ping().await {
        Ok(()) => Json(json!({"status": "ok", "database": engine})).into_response(),
        Err(e) => {
            tracing::error!(error = %e, "health check failed");
            (StatusCode::SERVICE_UNAVAILABLE, Json(json!({"status": "unavailable", "database": engine})))
                .into_response()
        }
    }
}

#[derive(Deserialize)]
struct LanguageForm {
    lang: String,
    #[serde(default)]
    next: String,
}

/// The language switch: a plain form post, so it works without JavaScript.
/// Remembered in a cookie, and on the account when someone is logged in.
async fn switch_language(
    State(state): State<AppState>,
    parts: axum::http::request::Parts,
    Form(form): Form<LanguageForm>,
) -> Response {
    let Some(lang) = Lang::parse(&form.lang) else {
        return (StatusCode::UNPROCESSABLE_ENTITY, "lang must be es or en").into_response();
    };
    if let Some(user) = parts.extensions.get::<auth::RequestAuth>().and_then(|a| a.user.as_ref()) {
        if let Err(e) = users::set_lang(&state.db, user.id, lang).await {
            tracing::error!(error = %e, "could not store language");
        }
    }
    let next = safe_local_path(&form.next);
    let mut headers = HeaderMap::new();
    headers.insert(header::SET_COOKIE, auth::lang_cookie(lang, auth::is_https(&state, &parts)));
    (headers, Redirect::to(next)).into_response()
}

/// Only same-site paths, so the switch cannot be used as an open redirect.
fn safe_local_path(next: &str) -> &str {
    if next.starts_with('/') && !next.starts_with("//") && !next.contains('\\') {
        next
    } else {
        "/"
    }
}

#[cfg(test)]
mod tests {
    use super::safe_local_path;

    #[test]
    fn redirects_stay_on_this_site() {
        assert_eq!(safe_local_path("/panel?x=1"), "/panel?x=1");
        for bad in ["", "https://evil.test", "//evil.test", "/\\evil.test", "panel"] {
            assert_eq!(safe_local_path(bad), "/", "{bad}");
        }
    }
}
