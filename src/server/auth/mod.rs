//! Who is asking: sessions in cookies, login and registration flows, and the
//! role checks every server function and route makes.

pub mod password;
pub mod rate_limit;

use crate::domain::account::{normalize_email, validate_account, AccountInput, Lang, Role};
use crate::error::AppError;
use crate::i18n::LANG_COOKIE;
use crate::server::state::AppState;
use crate::server::storage::users::User;
use crate::server::storage::{sessions, users, StorageError};
use base64::Engine as _;
use http::header::COOKIE;
use http::request::Parts;
use http::{HeaderMap, HeaderValue};
use rand::RngCore;
use sha2::{Digest, Sha256};
use std::net::SocketAddr;
use std::time::Instant;

pub const SESSION_COOKIE: &str = "reservo_session";

/// Put in each request's extensions by the session middleware.
#[derive(Clone, Debug, Default)]
pub struct RequestAuth {
    pub user: Option<User>,
    pub token_hash: Option<String>,
}

pub fn new_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

pub fn token_hash(token: &str) -> String {
    let digest = Sha256::digest(token.as_bytes());
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(digest)
}

pub fn cookie_value<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(key, _)| *key == name)
        .map(|(_, value)| value)
}

/// `Set-Cookie` for the session; `None` clears it.
pub fn session_cookie(token: Option<&str>, max_age_secs: i64, secure: bool) -> HeaderValue {
    let (value, max_age) = match token {
        Some(token) => (token, max_age_secs),
        None => ("", 0),
    };
    let secure = if secure { "; Secure" } else { "" };
    HeaderValue::from_str(&format!("{SESSION_COOKIE}={value}; Path=/; HttpOnly; SameSite=Lax; Max-Age={max_age}{secure}"))
        .expect("cookie is ASCII")
}

pub fn lang_cookie(lang: Lang, secure: bool) -> HeaderValue {
    let secure = if secure { "; Secure" } else { "" };
    HeaderValue::from_str(&format!("{LANG_COOKIE}={}; Path=/; SameSite=Lax; Max-Age=31536000{secure}", lang.code()))
        .expect("cookie is ASCII")
}

pub fn lang_of_request(parts: &Parts) -> Lang {
    cookie_value(&parts.headers, LANG_COOKIE)
        .and_then(Lang::parse)
        .or_else(|| parts.extensions.get::<RequestAuth>().and_then(|a| a.user.as_ref()).map(|u| u.lang))
        .unwrap_or_default()
}

pub fn client_ip(parts: &Parts, trust_proxy: bool) -> String {
    let forwarded = trust_proxy
        .then(|| parts.headers.get("x-forwarded-for")?.to_str().ok()?.split(',').next().map(|s| s.trim().to_string()))
        .flatten();
    forwarded
        .or_else(|| parts.extensions.get::<axum::extract::ConnectInfo<SocketAddr>>().map(|c| c.0.ip().to_string()))
        .unwrap_or_else(|| "unknown".into())
}

/// Whether the request came over https (directly or through a trusted proxy).
pub fn is_https(state: &AppState, parts: &Parts) -> bool {
    state.config.secure_cookies()
        || (state.config.server.trust_proxy_headers
            && parts.headers.get("x-forwarded-proto").is_some_and(|v| v.as_bytes() == b"https"))
}

/// Looks up the session named by the request's cookie.
pub async fn resolve(state: &AppState, headers: &HeaderMap) -> Result<RequestAuth, StorageError> {
    let Some(token) = cookie_value(headers, SESSION_COOKIE).filter(|t| !t.is_empty()) else {
        return Ok(RequestAuth::default());
    };
    let hash = token_hash(token);
    let user = sessions::user_of(&state.db, &hash).await?;
    Ok(RequestAuth { token_hash: user.as_ref().map(|_| hash), user })
}

pub fn require_user(auth: &RequestAuth) -> Result<&User, AppError> {
    auth.user.as_ref().ok_or(AppError::Unauthorized)
}

pub fn require_role<'a>(auth: &'a RequestAuth, allowed: &[Role]) -> Result<&'a User, AppError> {
    let user = require_user(auth)?;
    if allowed.contains(&user.role) {
        Ok(user)
    } else {
        Err(AppError::Forbidden)
    }
}

/// What a login or registration hands back to the HTTP layer.
pub struct NewSession {
    pub user: User,
    pub set_cookie: HeaderValue,
}

/// Checks the credentials under the rate limit and opens a new session,
/// closing the one the request came with (the session id rotates at login).
pub async fn login(
    state: &AppState,
    parts: &Parts,
    email: &str,
    password: &str,
) -> Result<NewSession, AppError> {
    let user = check_credentials(state, parts, email, password).await?;
    open_session(state, parts, user).await
}

/// The account for these credentials, under the rate limit; a wrong password
/// and an unknown email get the same answer in the same time.
pub async fn check_credentials(state: &AppState, parts: &Parts, email: &str, password: &str) -> Result<User, AppError> {
    let email = normalize_email(email).unwrap_or_else(|_| email.trim().to_lowercase());
    let keys = [format!("ip:{}", client_ip(parts, state.config.server.trust_proxy_headers)), format!("email:{email}")];
    state
        .login_limiter
        .check(&keys, Instant::now())
        .map_err(|wait| AppError::TooManyAttempts { retry_after_secs: wait.as_secs().max(1) })?;
    let user = users::find_by_email(&state.db, &email).await?;
    let verified =
        password::verify_in_background(password.to_string(), user.as_ref().map(|u| u.password_hash.clone())).await;
    match user.filter(|_| verified) {
        Some(user) => {
            state.login_limiter.clear(&keys[1]);
            Ok(user)
        }
        None => {
            state.login_limiter.record_failure(&keys, Instant::now());
            tracing::info!(%email, "failed login");
            Err(AppError::BadCredentials)
        }
    }
}

pub struct Registration<'a> {
    pub name: &'a str,
    pub email: &'a str,
    pub phone: &'a str,
    pub password: &'a str,
    pub lang: Lang,
}

/// Creates a client account and logs it in.
pub async fn register(state: &AppState, parts: &Parts, form: Registration<'_>) -> Result<NewSession, AppError> {
    let account = validate_account(AccountInput {
        name: form.name,
        email: form.email,
        phone: form.phone,
        lang: form.lang.code(),
        role: Role::Client,
        password: form.password,
    })?;
    let hash = password::hash_in_background(account.password.clone()).await;
    let id = users::create(&state.db, &account, &hash).await?;
    let user = users::find(&state.db, id).await?.ok_or(AppError::Internal)?;
    open_session(state, parts, user).await
}

async fn open_session(state: &AppState, parts: &Parts, user: User) -> Result<NewSession, AppError> {
    if let Some(old) = parts.extensions.get::<RequestAuth>().and_then(|a| a.token_hash.clone()) {
        sessions::delete(&state.db, &old).await?;
    }
    let token = new_token();
    let ttl = i64::from(state.config.auth.session_ttl_hours) * 3600;
    sessions::create(&state.db, &token_hash(&token), user.id, ttl).await?;
    let set_cookie = session_cookie(Some(&token), ttl, is_https(state, parts));
    Ok(NewSession { user, set_cookie })
}

/// Ends the request's session; returns the `Set-Cookie` that clears it.
pub async fn logout(state: &AppState, parts: &Parts) -> Result<HeaderValue, AppError> {
    if let Some(hash) = parts.extensions.get::<RequestAuth>().and_then(|a| a.token_hash.clone()) {
        sessions::delete(&state.db, &hash).await?;
    }
    Ok(session_cookie(None, 0, is_https(state, parts)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_random_and_hashes_stable() {
        let (a, b) = (new_token(), new_token());
        assert_ne!(a, b);
        assert_eq!(a.len(), 43);
        assert_eq!(token_hash(&a), token_hash(&a));
        assert_ne!(token_hash(&a), token_hash(&b));
    }

    #[test]
    fn cookies_are_read_from_any_cookie_header() {
        let mut headers = HeaderMap::new();
        headers.append(COOKIE, HeaderValue::from_static("a=1; lang=en"));
        headers.append(COOKIE, HeaderValue::from_static("reservo_session=tok"));
        assert_eq!(cookie_value(&headers, "lang"), Some("en"));
        assert_eq!(cookie_value(&headers, SESSION_COOKIE), Some("tok"));
        assert_eq!(cookie_value(&headers, "missing"), None);
    }

    #[test]
    fn session_cookie_is_httponly_lax_and_secure_on_https() {
        let cookie = session_cookie(Some("tok"), 60, true);
        let text = cookie.to_str().unwrap();
        assert!(text.contains("HttpOnly") && text.contains("SameSite=Lax") && text.ends_with("; Secure"));
        assert!(!session_cookie(Some("tok"), 60, false).to_str().unwrap().contains("Secure"));
        assert!(session_cookie(None, 60, false).to_str().unwrap().contains("Max-Age=0"));
    }
}
