use super::{ApiError, Caller};
use crate::server::auth::{self, new_token, token_hash};
use crate::server::config::Mode;
use crate::server::state::AppState;
use crate::server::storage::seed::DEMO_ACCOUNTS;
use crate::server::storage::{api_tokens, users};
use axum::extract::State;
use axum::http::request::Parts;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Deserialize;
use serde_json::json;

/// What a token may do: everything its account may, or only read (GET).
pub const FULL_SCOPE: &str = "full";
pub const READ_SCOPE: &str = "read";

async fn issue_for(state: &AppState, user: &users::User, scope: &str, status: StatusCode) -> Result<Response, ApiError> {
    let token = new_token();
    api_tokens::create(&state.db, &token_hash(&token), user.id, scope).await?;
    let body = json!({"access_token": token, "token_type": "bearer", "user_id": user.id, "role": user.role, "scope": scope});
    Ok((status, Json(body)).into_response())
}

/// GET /api/get-test-token: a token for the demo administrator, in demo mode only.
pub async fn test_token(State(state): State<AppState>) -> Result<Response, ApiError> {
    if state.config.server.mode != Mode::Demo {
        return Err(ApiError::not_found());
    }
    let admin = users::find_by_email(&state.db, DEMO_ACCOUNTS[0].email).await?.ok_or_else(ApiError::not_found)?;
    issue_for(&state, &admin, FULL_SCOPE, StatusCode::OK).await
}

#[derive(Deserialize)]
pub struct Credentials {
    email: String,
    password: String,
    scope: Option<String>,
}

/// POST /api/auth/token {email, password, scope?}: a token for any account,
/// under the same rate limit as the login form; scope "read" limits it to GET.
pub async fn issue(State(state): State<AppState>, parts: Parts, Json(body): Json<Credentials>) -> Result<Response, ApiError> {
    let scope = match body.scope.as_deref().unwrap_or(FULL_SCOPE) {
        FULL_SCOPE => FULL_SCOPE,
        READ_SCOPE => READ_SCOPE,
        _ => return Err(ApiError::invalid("scope", "scope is \"full\" (the default) or \"read\" (GET requests only)")),
    };
    let user = auth::check_credentials(&state, &parts, &body.email, &body.password).await?;
    issue_for(&state, &user, scope, StatusCode::CREATED).await
}

/// DELETE /api/auth/token: revokes the token the request carries.
pub async fn revoke(State(state): State<AppState>, _caller: Caller, parts: Parts) -> Result<StatusCode, ApiError> {
    let token = super::bearer_token(&parts.headers)
        .filter(|t| !t.is_empty())
        .ok_or_else(|| ApiError::invalid("authorization", "send the token to revoke as Authorization: Bearer <token>"))?;
    api_tokens::revoke(&state.db, &token_hash(token.trim())).await?;
    Ok(StatusCode::NO_CONTENT)
}
