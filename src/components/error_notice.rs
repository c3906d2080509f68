use crate::error::AppError;
use crate::i18n::{error_text, use_lang};
use leptos::prelude::*;

/// An error that is not about a single form field, shown as an alert.
#[component]
pub fn ErrorNotice(error: AppError) -> impl IntoView {
    let lang = use_lang();
    view! {
        <div role="alert" class="rounded-md border border-rose-200 bg-rose-50 px-4 py-3 text-sm text-rose-800">
            {error_text(lang, &error)}
        </div>
    }
}

/// Gives the page the HTTP status of `error` when it is rendered on the
/// server (403 for a page the person may not see, and so on).
pub fn set_response_status(error: &AppError) {
    #[cfg(feature = "ssr")]
    if let (Some(response), Ok(status)) =
        (use_context::<leptos_axum::ResponseOptions>(), http::StatusCode::from_u16(error.status()))
    {
        response.set_status(status);
    }
    #[cfg(not(feature = "ssr"))]
    let _ = error;
}
