//! GET /events: booking changes as server-sent events (named `booking`, the
//! data a `BookingChange` in JSON), for the pages that update by themselves.
//! Each person gets only what they may see: administrators every change,
//! managers the changes to the resources they manage, clients their own
//! bookings. The stream ends when the session does or the server stops.

use crate::domain::account::Role;
use crate::domain::live::{BookingChange, BOOKING_EVENT};
use crate::server::auth::RequestAuth;
use crate::server::state::AppState;
use crate::server::storage::{bookings, resources, sessions, Db, StorageError};
use axum::extract::State;
use axum::http::{HeaderValue, StatusCode};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::Extension;
use futures_util::stream::{self, StreamExt};
use std::collections::HashSet;
use std::convert::Infallible;
use std::time::{Duration, Instant};
use tokio::sync::broadcast::error::RecvError;
use tokio::sync::{broadcast, watch};

const KEEP_ALIVE: Duration = Duration::from_secs(15);
/// How long a stream trusts its session before looking it up again.
const SESSION_RECHECK: Duration = Duration::from_secs(60);
/// What the browser waits before reconnecting a dropped stream.
const RETRY: Duration = Duration::from_secs(5);

/// Becomes `true` when the server starts shutting down, so open streams end
/// and the graceful shutdown does not wait for them forever.
#[derive(Clone)]
pub struct Stopping(pub watch::Receiver<bool>);

pub async fn events(
    State(state): State<AppState>,
    auth: Option<Extension<RequestAuth>>,
    stopping: Option<Extension<Stopping>>,
) -> Response {
    let Some((user, token_hash)) = auth.and_then(|Extension(a)| Some((a.user?, a.token_hash?))) else {
        return (StatusCode::UNAUTHORIZED, "log in to follow live updates").into_response();
    };
    // Subscribe before answering: whoever sees the response open sees every later change.
    let changes = state.db.subscribe();
    let mut audience = Audience {
        db: state.db.clone(),
        user_id: user.id,
        role: user.role,
        token_hash,
        session_checked: Instant::now(),
        managed: HashSet::new(),
    };
    if audience.role == Role::Manager {
        // A failure here only means the first change looks them up again.
        audience.managed = resources::managed_ids(&state.db, user.id).await.unwrap_or_default().into_iter().collect();
    }
    let stopping = stopping.map(|Extension(s)| s.0);
    let hello = Event::default().comment("live").retry(RETRY);
    let updates = stream::unfold((changes, audience, stopping), |(mut changes, mut audience, mut stopping)| async move {
        let event = next_event(&mut changes, &mut audience, &mut stopping).await?;
        Some((event, (changes, audience, stopping)))
    });
    let body = stream::once(async move { hello }).chain(updates).map(Ok::<_, Infallible>);
    let mut response = Sse::new(body).keep_alive(KeepAlive::new().interval(KEEP_ALIVE)).into_response();
    // Proxies such as nginx would otherwise hold events back.
    response.headers_mut().insert("x-accel-buffering", HeaderValue::from_static("no"));
    response
}

/// The next change this person may see, or `None` to end the stream.
async fn next_event(
    changes: &mut broadcast::Receiver<BookingChange>,
    audience: &mut Audience,
    stopping: &mut Option<watch::Receiver<bool>>,
) -> Option<Event> {
    loop {
        let received = tokio::select! {
            received = changes.recv() => received,
            () = stopped(stopping) => return None,
        };
        let change = match received {
            Ok(change) => change,
            // Some changes were skipped; pages also refresh slowly by themselves.
            Err(RecvError::Lagged(skipped)) => {
                tracing::debug!(skipped, "live stream fell behind");
                continue;
            }
            Err(RecvError::Closed) => return None,
        };
        if !audience.session_still_valid().await {
            return None;
        }
        match audience.may_see(&change).await {
            Ok(true) => match Event::default().event(BOOKING_EVENT).json_data(&change) {
                Ok(event) => return Some(event),
                Err(e) => tracing::error!(error = %e, "cannot encode a booking change"),
            },
            Ok(false) => {}
            Err(e) => tracing::warn!(error = %e, "cannot tell who may see a booking change; skipped"),
        }
    }
}

async fn stopped(stopping: &mut Option<watch::Receiver<bool>>) {
    match stopping {
        Some(stopping) => {
            // An error means the server is gone: stop as well.
            let _ = stopping.wait_for(|stopping| *stopping).await;
        }
        None => std::future::pending().await,
    }
}

/// Who is listening, and what they may see.
struct Audience {
    db: Db,
    user_id: i64,
    role: Role,
    token_hash: String,
    session_checked: Instant,
    /// The resources a manager manages, as of the last look.
    managed: HashSet<i64>,
}

impl Audience {
    /// After a logout (or expiry) the stream ends instead of going on.
    async fn session_still_valid(&mut self) -> bool {
        if self.session_checked.elapsed() < SESSION_RECHECK {
            return true;
        }
        match sessions::user_of(&self.db, &self.token_hash).await {
            Ok(Some(user)) if user.id == self.user_id && user.role == self.role => {
                self.session_checked = Instant::now();
                true
            }
            Ok(_) => false,
            // A database hiccup does not end the stream; the next change asks again.
            Err(e) => {
                tracing::warn!(error = %e, "cannot check a live stream's session");
                true
            }
        }
    }

    async fn may_see(&mut self, change: &BookingChange) -> Result<bool, StorageError> {
        match self.role {
            Role::Admin => Ok(true),
            Role::Manager => {
                if self.managed.contains(&change.resource_id) {
                    return Ok(true);
                }
                // Perhaps a resource given to them since the last look.
                self.managed = resources::managed_ids(&self.db, self.user_id).await?.into_iter().collect();
                Ok(self.managed.contains(&change.resource_id))
            }
            Role::Client => {
                Ok(bookings::get(&self.db, change.booking_id).await?.is_some_and(|b| b.client_id == Some(self.user_id)))
            }
        }
    }
}
