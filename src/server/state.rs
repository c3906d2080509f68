//! What every request handler and server function can reach.

use super::auth::rate_limit::FailureLimiter;
use super::config::Config;
use super::storage::Db;
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
}

impl AppState {
    pub fn new(config: Config, db: Db) -> AppState {
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
        AppState { leptos_options, db, config: Arc::new(config), login_limiter }
    }
}
