//! The logged-in person's own account: deleting it. (Their data is
//! downloaded from GET /mi-cuenta/datos.json.)

use crate::error::AppError;
use leptos::prelude::*;

/// Deletes the caller's account once `password` is theirs (422 on the field
/// "password" otherwise, 422 on "account" for the last administrator), ends
/// their session and sends them to the home page.
#[server(prefix = "/fn", endpoint = "delete-account")]
pub async fn delete_account(password: String) -> Result<(), AppError> {
    use crate::server::{auth, fn_context, privacy};
    fn_context::respond(
        async {
            let (state, parts) = (fn_context::state()?, fn_context::parts()?);
            let request = fn_context::auth();
            let user = auth::require_user(&request)?;
            privacy::delete_account(&state, &parts, user, &password, crate::server::clock::now()).await?;
            fn_context::set_cookie(auth::session_cookie(None, 0, auth::is_https(&state, &parts)));
            leptos_axum::redirect("/");
            Ok(())
        }
        .await,
    )
}
