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
