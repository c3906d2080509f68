use crate::domain::account::{Lang, Role};
use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// The logged-in person, as the UI sees them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserInfo {
    pub id: i64,
    pub name: String,
    pub email: String,
    pub role: Role,
    pub lang: Lang,
}

#[cfg(feature = "ssr")]
impl From<&crate::server::storage::users::User> for UserInfo {
    fn from(u: &crate::server::storage::users::User) -> Self {
        UserInfo { id: u.id, name: u.name.clone(), email: u.email.clone(), role: u.role, lang: u.lang }
    }
}

#[server(prefix = "/fn", endpoint = "current-user")]
pub async fn current_user() -> Result<Option<UserInfo>, AppError> {
    use crate::server::fn_context;
    Ok(fn_context::auth().user.as_ref().map(UserInfo::from))
}

/// `next` is where to go after logging in: a path on this site (e.g. the
/// profile the visitor wanted to book from), else /panel.
#[server(prefix = "/fn", endpoint = "login")]
pub async fn login(email: String, password: String, next: Option<String>) -> Result<(), AppError> {
    use crate::server::{auth, fn_context};
    fn_context::respond(
        async {
            let (state, parts) = (fn_context::state()?, fn_context::parts()?);
            let session = auth::login(&state, &parts, &email, &password).await?;
            fn_context::set_cookie(session.set_cookie);
            leptos_axum::redirect(next.as_deref().filter(|p| is_local_path(p)).unwrap_or("/panel"));
            Ok(())
        }
        .await,
    )
}

/// A path on this site: "/r/lucia-ortega", not "//evil.example" or "https://...".
pub fn is_local_path(path: &str) -> bool {
    path.starts_with('/') && !path.starts_with("//") && !path.contains('\\') && !path.chars().any(char::is_control)
}

#[server(prefix = "/fn", endpoint = "register")]
pub async fn register(name: String, email: String, phone: String, password: String) -> Result<(), AppError> {
    use crate::server::{auth, fn_context};
    fn_context::respond(
        async {
            let (state, parts) = (fn_context::state()?, fn_context::parts()?);
            let form = auth::Registration {
                name: &name,
                email: &email,
                phone: &phone,
                password: &password,
                lang: auth::lang_of_request(&parts),
            };
            let session = auth::register(&state, &parts, form).await?;
            fn_context::set_cookie(session.set_cookie);
            leptos_axum::redirect("/panel");
            Ok(())
        }
        .await,
    )
}

#[server(prefix = "/fn", endpoint = "logout")]
pub async fn logout() -> Result<(), AppError> {
    use crate::server::{auth, fn_context};
    fn_context::respond(
        async {
            let (state, parts) = (fn_context::state()?, fn_context::parts()?);
            fn_context::set_cookie(auth::logout(&state, &parts).await?);
            leptos_axum::redirect("/");
            Ok(())
        }
        .await,
    )
}
