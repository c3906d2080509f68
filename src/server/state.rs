//! What every request handler and server function can reach.

use super::auth::rate_limit::FailureLimiter;
use super::config::Config;
use super::http::limits::Limits;
use super::http::metrics::Metrics;
use super::links::{self, LinkSigner};
use super::storage::{Db, StorageError};
use axum::extract::FromRef;
use leptos::config::LeptosOptions;
use std::sync::Arc;
use std::time::Duration;

#[derive(Clone, FromRef)]
pub struct AppState {
    pub leptos_options: LeptosOptions,
    pub db: Db,
    pub config: Arc<Config>,
    pub login_limiter: Arc<FailureLimiter>,
    /// Requests per client address and account ([limits]).
    pub limits: Arc<Limits>,
    pub links: LinkSigner,
    /// Request counts and latencies for GET /metrics.
    pub metrics: Arc<Metrics>,
}

impl AppState {
    /// Loads (or makes, the first time) the link-signing secret.
    pub async fn new(config: Config, db: Db) -> Result<AppState, StorageError> {
        let leptos_options = LeptosOptions::builder()
            .output_name("reservo")
            .site_root(config.server.site_root.as_str())
            .site_pkg_dir("pkg")
            .site_addr(config.listen_addr().expect("validated at load"))
            .env(leptos::config::Env::PROD)
            .build();
        let login_limiter = Arc::new(FailureLimiter::new(
            config.auth.login_max_failures,
            Duration::from_secs(u64::from(config.auth.login_window_minutes) * 60),
        ));
        let limits = Arc::new(Limits::new(&config.limits));
        let links = links::load_signer(&config.auth, &db).await?;
        Ok(AppState { leptos_options, db, config: Arc::new(config), login_limiter, limits, links, metrics: Arc::default() })
    }
}
