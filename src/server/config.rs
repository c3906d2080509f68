//! Configuration: defaults, then reservo.toml, then environment variables.
//! See reservo.toml at the project root for every key and its default.

use figment::providers::{Format, Serialized, Toml};
use figment::Figment;
use serde::{Deserialize, Serialize};
use crate::domain::booking::Approval;
use crate::server::notify::settings::{MailConfig, NotificationsConfig, SmsConfig};
use crate::server::storage::calendar::Settings;
use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::path::Path;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Config {
    pub server: ServerConfig,
    pub database: DatabaseConfig,
    pub auth: AuthConfig,
    pub bookings: BookingsConfig,
    pub notifications: NotificationsConfig,
    pub mail: MailConfig,
    pub sms: SmsConfig,
    pub backups: crate::server::backup::BackupsConfig,
    pub limits: LimitsConfig,
    pub privacy: PrivacyConfig,
    pub payments: crate::server::payments::PaymentsConfig,
    pub testing: TestingConfig,
    /// Booking rules per resource kind, applied when a resource of that kind
    /// is created. A new kind is a new table here, not a schema change.
    pub kinds: BTreeMap<String, KindConfig>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct BookingsConfig {
    /// How often (seconds) the background jobs run: releasing pending requests
    /// whose hold expired, automatic check-in and check-out.
    pub expiry_check_seconds: u64,
}

impl Default for BookingsConfig {
    fn default() -> Self {
        BookingsConfig { expiry_check_seconds: 60 }
    }
}

/// How long personal data is kept ([privacy]).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct PrivacyConfig {
    /// Days after a finished booking ends before a daily job replaces its
    /// guest's personal data; 0 keeps it forever.
    pub retention_days: u32,
}

impl Default for PrivacyConfig {
    fn default() -> Self {
        PrivacyConfig { retention_days: 730 }
    }
}

/// Switches for browser tests only ([testing]); never on in production.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct TestingConfig {
    /// `POST /test/clock {"advance_minutes": N}` moves the server's clock forward.
    pub controllable_clock: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KindConfig {
    pub approval: Approval,
    /// "slots" (appointments, gigs) or "ranges" (stays).
    pub booking_mode: String,
    pub capacity: i64,
    pub buffer_minutes: i64,
    pub min_notice_minutes: i64,
    pub max_horizon_days: i64,
    pub slot_step_minutes: i64,
    pub default_duration_minutes: i64,
    pub cancel_cutoff_hours: i64,
    pub pending_expiry_hours: i64,
    /// Check in at the start time and out at the end time by themselves.
    #[serde(default)]
    pub auto_transitions: bool,
}

impl KindConfig {
    pub fn settings(&self) -> Settings {
        Settings {
            approval: self.approval,
            booking_mode: self.booking_mode.clone(),
            buffer_minutes: self.buffer_minutes,
            min_notice_minutes: self.min_notice_minutes,
            max_horizon_days: self.max_horizon_days,
            slot_step_minutes: self.slot_step_minutes,
            default_duration_minutes: self.default_duration_minutes,
            max_per_day: None,
            max_party: None,
            cancel_cutoff_hours: self.cancel_cutoff_hours,
            pending_expiry_hours: self.pending_expiry_hours,
        }
    }
}

#[allow(clippy::too_many_arguments)]
fn kind(approval: Approval, booking_mode: &str, capacity: i64, buffer: i64, notice: i64, horizon_days: i64, step: i64, duration: i64, cutoff_hours: i64) -> KindConfig {
    KindConfig {
        approval,
        booking_mode: booking_mode.into(),
        capacity,
        buffer_minutes: buffer,
        min_notice_minutes: notice,
        max_horizon_days: horizon_days,
        slot_step_minutes: step,
        default_duration_minutes: duration,
        cancel_cutoff_hours: cutoff_hours,
        pending_expiry_hours: 48,
        auto_transitions: false,
    }
}

pub fn default_kinds() -> BTreeMap<String, KindConfig> {
    BTreeMap::from([
        ("musician".to_string(), kind(Approval::Manual, "slots", 1, 60, 1440, 365, 30, 120, 48)),
        ("venue".to_string(), kind(Approval::Manual, "slots", 1, 60, 1440, 365, 60, 240, 72)),
        ("workshop".to_string(), kind(Approval::Manual, "slots", 3, 0, 60, 60, 30, 60, 2)),
        ("room".to_string(), KindConfig { auto_transitions: true, ..kind(Approval::Auto, "ranges", 1, 30, 0, 365, 60, 1320, 24) }),
    ])
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Mode {
    /// Loads demo accounts and data into an empty database.
    Demo,
    /// Never loads demo data.
    Production,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ServerConfig {
    pub addr: String,
    pub mode: Mode,
    pub public_url: String,
    pub site_root: String,
    pub trust_proxy_headers: bool,
    pub log_format: LogFormat,
    /// IANA zone for resources created without one.
    pub default_timezone: String,
    /// Bearer token that GET /metrics requires; empty: /metrics answers only
    /// requests from a loopback address.
    pub metrics_token: String,
}

/// Rate limits: requests allowed per client address or account. Counted in
/// memory by each instance, so with several instances each allows this much.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct LimitsConfig {
    /// false lifts every limit below, for test and benchmark servers that
    /// send faster than people do; refused in production mode.
    pub enabled: bool,
    /// Requests to /api per account (bearer token, else browser session).
    pub api_per_account_per_minute: u32,
    /// Requests to /api without an account, per client address.
    pub api_per_address_per_minute: u32,
    /// Login attempts (POST /fn/login, POST /api/auth/token) per client address.
    pub logins_per_address_per_minute: u32,
    /// Registration attempts (POST /fn/register) per client address.
    pub registrations_per_address_per_hour: u32,
    /// Booking requests (POST /api/bookings, /fn/request-booking) per account.
    pub booking_requests_per_account_per_hour: u32,
}

impl Default for LimitsConfig {
    fn default() -> Self {
        LimitsConfig {
            enabled: true,
            api_per_account_per_minute: 600,
            api_per_address_per_minute: 120,
            logins_per_address_per_minute: 30,
            registrations_per_address_per_hour: 10,
            booking_requests_per_account_per_hour: 120,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    Text,
    Json,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct DatabaseConfig {
    pub url: String,
    pub max_connections: u32,
    /// Connections opened at start and reopened in the background, so that a
    /// burst of requests does not wait for new ones (on PostgreSQL a new
    /// connection and its cold caches cost tens of milliseconds). More than
    /// `max_connections` counts as `max_connections`.
    pub min_connections: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct AuthConfig {
    pub session_ttl_hours: u32,
    pub login_max_failures: u32,
    pub login_window_minutes: u32,
    /// Key for the signed links in booking emails; empty: a random key made
    /// once and kept in the database (table app_secrets).
    pub link_secret: String,
    /// How long the links in booking emails work.
    pub link_valid_days: u32,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            server: ServerConfig::default(),
            database: DatabaseConfig::default(),
            auth: AuthConfig::default(),
            bookings: BookingsConfig::default(),
            notifications: NotificationsConfig::default(),
            mail: MailConfig::default(),
            sms: SmsConfig::default(),
            backups: Default::default(),
            limits: LimitsConfig::default(),
            privacy: PrivacyConfig::default(),
            payments: Default::default(),
            testing: TestingConfig::default(),
            kinds: default_kinds(),
        }
    }
}

impl Default for ServerConfig {
    fn default() -> Self {
        ServerConfig {
            addr: "127.0.0.1:3000".into(),
            mode: Mode::Production,
            public_url: "http://127.0.0.1:3000".into(),
            site_root: "target/site".into(),
            trust_proxy_headers: false,
            log_format: LogFormat::Text,
            default_timezone: "America/Mexico_City".into(),
            metrics_token: String::new(),
        }
    }
}

impl Default for DatabaseConfig {
    fn default() -> Self {
        DatabaseConfig { url: "sqlite://data/reservo.db".into(), max_connections: 10, min_connections: 10 }
    }
}

impl Default for AuthConfig {
    fn default() -> Self {
        AuthConfig {
            session_ttl_hours: 24 * 14,
            login_max_failures: 5,
            login_window_minutes: 15,
            link_secret: String::new(),
            link_valid_days: 30,
        }
    }
}

#[derive(Debug, thiserror::Error, PartialEq)]
pub enum ConfigError {
    #[error("invalid setting {setting}: {problem}\n  example of a correct value: {example}")]
    Invalid { setting: String, problem: String, example: &'static str },
}

/// Environment variables with a name of their own; any other key can be set as
/// RESERVO_<SECTION>__<KEY>, e.g. RESERVO_AUTH__SESSION_TTL_HOURS=48.
const ENV_ALIASES: [(&str, &str); 4] = [
    ("DATABASE_URL", "database.url"),
    ("LEPTOS_SITE_ADDR", "server.addr"),
    ("LEPTOS_SITE_ROOT", "server.site_root"),
    ("RESERVO_MODE", "server.mode"),
];

fn example_for(key: &str) -> &'static str {
    match key {
        "database.url" => "DATABASE_URL=sqlite://data/reservo.db or postgres://postgres@127.0.0.1:5432/reservo",
        "database.max_connections" => "max_connections = 10",
        "database.min_connections" => "min_connections = 10",
        "server.addr" => "LEPTOS_SITE_ADDR=127.0.0.1:3000",
        "server.mode" => "RESERVO_MODE=demo (or production)",
        "server.public_url" => "public_url = \"https://reservas.example.com\"",
        "server.log_format" => "log_format = \"json\" (or \"text\")",
        "server.trust_proxy_headers" => "trust_proxy_headers = true",
        "server.default_timezone" => "default_timezone = \"America/Mexico_City\"",
        "server.metrics_token" => "RESERVO_SERVER__METRICS_TOKEN=$(openssl rand -hex 32), or \"\" for loopback-only access",
        "auth.session_ttl_hours" => "session_ttl_hours = 336",
        "auth.login_max_failures" => "login_max_failures = 5",
        "auth.login_window_minutes" => "login_window_minutes = 15",
        "auth.link_secret" => "RESERVO_AUTH__LINK_SECRET=$(openssl rand -hex 32), or \"\" to use the one kept in the database",
        "auth.link_valid_days" => "link_valid_days = 30",
        "bookings.expiry_check_seconds" => "expiry_check_seconds = 60",
        "testing.controllable_clock" => "controllable_clock = false (true only for browser tests, with RESERVO_MODE=demo)",
        "notifications.reminder_offsets_minutes" => "reminder_offsets_minutes = [1440, 120]",
        "mail.from" => "from = \"Reservo <reservas@example.com>\"",
        "mail.smtp_host" => "smtp_host = \"smtp.example.com\" (empty: keep messages for the Sent mail page)",
        "mail.smtp_security" => "smtp_security = \"starttls\" (or \"tls\", \"none\")",
        "sms.from" => "from = \"+15005550006\"",
        "sms.provider" => "provider = \"log\" (or \"twilio\")",
        "sms.account_sid" | "sms.auth_token" => "account_sid = \"AC...\", auth_token = \"...\"",
        key if key.starts_with("backups.") => crate::server::backup::example_for(key),
        "privacy.retention_days" => "retention_days = 730 (0 keeps personal data forever)",
        key if key.starts_with("payments.") => crate::server::payments::example_for(key),
        key if key.starts_with("limits.") => "api_per_account_per_minute = 600 (every limit is a whole number, at least 1)",
        key if key.starts_with("kinds.") => "[kinds.room] approval = \"auto\", booking_mode = \"ranges\", capacity = 1, ... (see reservo.toml)",
        _ => "see reservo.toml for every key and its default",
    }
}

impl Config {
    /// Reads the file (if present) and the environment, then checks the values.
    pub fn load(file: &Path) -> Result<Config, ConfigError> {
        Self::load_from(file, std::env::vars())
    }

    pub fn load_from(file: &Path, env: impl IntoIterator<Item = (String, String)>) -> Result<Config, ConfigError> {
        let env: Vec<(String, String)> = env.into_iter().collect();
        let mut figment = Figment::from(Serialized::defaults(Config::default())).merge(Toml::file(file));
        for (key, value) in &env {
            if let Some(path) = key.strip_prefix("RESERVO_").filter(|k| k.contains("__")) {
                figment = figment.merge(Serialized::global(&path.to_lowercase().replace("__", "."), value_of(value)));
            }
        }
        for (var, path) in ENV_ALIASES {
            if let Some((_, value)) = env.iter().find(|(k, _)| k == var) {
                figment = figment.merge(Serialized::global(path, value_of(value)));
            }
        }
        let config: Config = figment.extract().map_err(|e| {
            let setting = if e.path.is_empty() { "reservo.toml".to_string() } else { e.path.join(".") };
            let example = example_for(&setting);
            ConfigError::Invalid { setting: name_with_env(&setting), problem: e.kind.to_string(), example }
        })?;
        config.validate()?;
        Ok(config)
    }

    fn validate(&self) -> Result<(), ConfigError> {
        let invalid = |key: &str, problem: String| ConfigError::Invalid {
            setting: name_with_env(key),
            problem,
            example: example_for(key),
        };
        if crate::server::storage::Engine::of_url(&self.database.url).is_none() {
            return Err(invalid(
                "database.url",
                format!("{:?} is neither a sqlite:// nor a postgres:// URL", self.database.url),
            ));
        }
        if self.database.max_connections == 0 {
            return Err(invalid("database.max_connections", "must be at least 1".into()));
        }
        self.listen_addr()?;
        if self.testing.controllable_clock && self.server.mode == Mode::Production {
            return Err(invalid("testing.controllable_clock", "lets anyone move the server's clock: never in production mode".into()));
        }
        if !self.limits.enabled && self.server.mode == Mode::Production {
            return Err(invalid("limits.enabled", "false leaves logins and the API open to floods: never in production mode".into()));
        }
        if crate::domain::time::parse_zone(&self.server.default_timezone).is_none() {
            return Err(invalid("server.default_timezone", format!("{:?} is not an IANA time zone", self.server.default_timezone)));
        }
        if !(self.server.public_url.starts_with("http://") || self.server.public_url.starts_with("https://")) {
            return Err(invalid("server.public_url", format!("{:?} must start with http:// or https://", self.server.public_url)));
        }
        for (name, kind) in &self.kinds {
            let key = format!("kinds.{name}");
            if !matches!(kind.booking_mode.as_str(), "slots" | "ranges") {
                return Err(invalid(&key, format!("booking_mode {:?} must be \"slots\" or \"ranges\"", kind.booking_mode)));
            }
            let positive = [kind.capacity, kind.slot_step_minutes, kind.default_duration_minutes, kind.max_horizon_days];
            let non_negative = [kind.buffer_minutes, kind.min_notice_minutes, kind.cancel_cutoff_hours, kind.pending_expiry_hours];
            if positive.iter().any(|v| *v < 1) || non_negative.iter().any(|v| *v < 0) {
                return Err(invalid(&key, "capacity, slot step, duration and horizon must be at least 1; the rest at least 0".into()));
            }
        }
        if self.bookings.expiry_check_seconds == 0 {
            return Err(invalid("bookings.expiry_check_seconds", "must be at least 1".into()));
        }
        for (key, value) in [
            ("auth.session_ttl_hours", self.auth.session_ttl_hours),
            ("auth.login_max_failures", self.auth.login_max_failures),
            ("auth.login_window_minutes", self.auth.login_window_minutes),
            ("auth.link_valid_days", self.auth.link_valid_days),
            ("limits.api_per_account_per_minute", self.limits.api_per_account_per_minute),
            ("limits.api_per_address_per_minute", self.limits.api_per_address_per_minute),
            ("limits.logins_per_address_per_minute", self.limits.logins_per_address_per_minute),
            ("limits.registrations_per_address_per_hour", self.limits.registrations_per_address_per_hour),
            ("limits.booking_requests_per_account_per_hour", self.limits.booking_requests_per_account_per_hour),
        ] {
            if value == 0 {
                return Err(invalid(key, "must be at least 1".into()));
            }
        }
        if !self.auth.link_secret.is_empty() && self.auth.link_secret.chars().count() < 32 {
            return Err(invalid("auth.link_secret", "must be empty or at least 32 characters long".into()));
        }
        crate::server::backup::validate(&self.backups).map_err(|(key, problem)| invalid(key, problem))?;
        crate::server::payments::PaymentProvider::from_config(&self.payments).map_err(|(key, problem)| invalid(key, problem))?;
        self.validate_notifications(invalid)
    }

    fn validate_notifications(&self, invalid: impl Fn(&str, String) -> ConfigError) -> Result<(), ConfigError> {
        use crate::server::notify::{mailer::Mailer, sms::SmsSender};
        let n = &self.notifications;
        if n.reminder_offsets_minutes.contains(&0) {
            return Err(invalid("notifications.reminder_offsets_minutes", "every offset must be at least 1 minute".into()));
        }
        for (key, value) in [
            ("notifications.poll_seconds", n.poll_seconds),
            ("notifications.max_attempts", u64::from(n.max_attempts)),
            ("notifications.retry_base_seconds", u64::from(n.retry_base_seconds)),
            ("notifications.claim_seconds", u64::from(n.claim_seconds)),
        ] {
            if value == 0 {
                return Err(invalid(key, "must be at least 1".into()));
            }
        }
        let key_of = |problem: &str| problem.split_whitespace().next().unwrap_or("mail").trim_end_matches(':').to_string();
        Mailer::from_config(&self.mail).map_err(|problem| invalid(&key_of(&problem), problem))?;
        SmsSender::from_config(&self.sms).map_err(|problem| invalid(&key_of(&problem), problem))?;
        Ok(())
    }

    pub fn listen_addr(&self) -> Result<SocketAddr, ConfigError> {
        self.server.addr.parse().map_err(|_| ConfigError::Invalid {
            setting: name_with_env("server.addr"),
            problem: format!("{:?} is not an IP address with a port", self.server.addr),
            example: example_for("server.addr"),
        })
    }

    /// The kinds whose bookings check in and out by themselves.
    pub fn auto_transition_kinds(&self) -> Vec<String> {
        self.kinds.iter().filter(|(_, k)| k.auto_transitions).map(|(name, _)| name.clone()).collect()
    }

    /// Whether people reach the app over https (`public_url`): its cookies are
    /// then Secure and browsers are told to keep to https (HSTS).
    pub fn served_over_https(&self) -> bool {
        self.server.public_url.starts_with("https://")
    }

    pub fn secure_cookies(&self) -> bool {
        self.served_over_https()
    }
}

/// Values from the environment are read as figment reads them (numbers and
/// booleans typed, anything else a string).
fn value_of(raw: &str) -> figment::value::Value {
    raw.parse().unwrap_or_else(|_| figment::value::Value::from(raw.to_string()))
}

fn name_with_env(key: &str) -> String {
    match ENV_ALIASES.iter().find(|(_, path)| *path == key) {
        Some((var, _)) => format!("{key} (environment variable {var})"),
        None => {
            let env = format!("RESERVO_{}", key.to_uppercase().replace('.', "__"));
            format!("{key} (environment variable {env})")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn env(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    }

    fn no_file() -> &'static Path {
        Path::new("/nonexistent/reservo.toml")
    }

    #[test]
    fn defaults_use_sqlite_under_data() {
        let config = Config::load_from(no_file(), env(&[])).unwrap();
        assert_eq!(config, Config::default());
        assert_eq!(config.database.url, "sqlite://data/reservo.db");
        assert_eq!(config.server.mode, Mode::Production);
    }

    #[test]
    fn file_then_environment_override() {
        let mut file = tempfile::NamedTempFile::new().unwrap();
        writeln!(file, "[server]\naddr = \"0.0.0.0:8080\"\nmode = \"demo\"\n[auth]\nsession_ttl_hours = 2").unwrap();
        let config = Config::load_from(
            file.path(),
            env(&[("LEPTOS_SITE_ADDR", "127.0.0.1:4000"), ("RESERVO_AUTH__LOGIN_MAX_FAILURES", "9")]),
        )
        .unwrap();
        assert_eq!(config.server.addr, "127.0.0.1:4000");
        assert_eq!(config.server.mode, Mode::Demo);
        assert_eq!(config.auth.session_ttl_hours, 2);
        assert_eq!(config.auth.login_max_failures, 9);
    }

    #[test]
    fn a_bad_database_url_names_the_setting_and_shows_an_example() {
        let err = Config::load_from(no_file(), env(&[("DATABASE_URL", "mysql://x")])).unwrap_err();
        let text = err.to_string();
        assert!(text.contains("database.url (environment variable DATABASE_URL)"), "{text}");
        assert!(text.contains("sqlite://data/reservo.db"), "{text}");
    }

    #[test]
    fn the_test_clock_is_refused_in_production() {
        let clock = ("RESERVO_TESTING__CONTROLLABLE_CLOCK", "true");
        let err = Config::load_from(no_file(), env(&[clock, ("RESERVO_MODE", "production")])).unwrap_err();
        assert!(err.to_string().contains("testing.controllable_clock"), "{err}");
        let demo = Config::load_from(no_file(), env(&[clock, ("RESERVO_MODE", "demo")])).unwrap();
        assert!(demo.testing.controllable_clock);
    }

    #[test]
    fn lifting_the_rate_limits_is_refused_in_production() {
        let off = ("RESERVO_LIMITS__ENABLED", "false");
        let err = Config::load_from(no_file(), env(&[off, ("RESERVO_MODE", "production")])).unwrap_err();
        assert!(err.to_string().contains("limits.enabled"), "{err}");
        assert!(!Config::load_from(no_file(), env(&[off, ("RESERVO_MODE", "demo")])).unwrap().limits.enabled);
        assert!(Config::load_from(no_file(), env(&[("RESERVO_MODE", "production")])).unwrap().limits.enabled);
    }

    #[test]
    fn bad_values_are_refused_with_their_setting() {
        let cases = [
            ("LEPTOS_SITE_ADDR", "localhost", "server.addr"),
            ("RESERVO_MODE", "staging", "server.mode"),
            ("RESERVO_AUTH__SESSION_TTL_HOURS", "many", "auth.session_ttl_hours"),
            ("RESERVO_AUTH__LOGIN_MAX_FAILURES", "0", "auth.login_max_failures"),
            ("RESERVO_LIMITS__API_PER_ACCOUNT_PER_MINUTE", "0", "limits.api_per_account_per_minute"),
            ("RESERVO_PAYMENTS__PROVIDER", "stripe", "payments.secret_key"),
            ("RESERVO_PAYMENTS__PROVIDER", "paypal", "payments.provider"),
            ("RESERVO_PAYMENTS__WINDOW_MINUTES", "0", "payments.window_minutes"),
        ];
        for (var, value, setting) in cases {
            let text = Config::load_from(no_file(), env(&[(var, value)])).unwrap_err().to_string();
            assert!(text.contains(setting), "{var}={value}: {text}");
            assert!(text.contains("example"), "{text}");
        }
    }

    #[test]
    fn the_documented_file_matches_the_defaults() {
        let documented = Path::new(env!("CARGO_MANIFEST_DIR")).join("reservo.toml");
        assert_eq!(Config::load_from(&documented, env(&[])).unwrap(), Config::default());
    }

    #[test]
    fn unknown_keys_in_the_file_are_refused() {
        let mut file = tempfile::NamedTempFile::new().unwrap();
        writeln!(file, "[server]\nadress = \"x\"").unwrap();
        let text = Config::load_from(file.path(), env(&[])).unwrap_err().to_string();
        assert!(text.contains("adress"), "{text}");
    }
}
