use crate::i18n::{t, use_lang, Key};
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn NotFoundPage() -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(http::StatusCode::NOT_FOUND);
    }
    let lang = use_lang();
    view! {
        <Title text=t(lang, Key::NotFoundTitle)/>
        <div class="mx-auto max-w-lg py-16 text-center">
            <p class="text-5xl font-bold text-indigo-600">"404"</p>
            <h1 class="mt-4 text-2xl font-bold text-slate-900">{t(lang, Key::NotFoundTitle)}</h1>
            <p class="mt-2 text-slate-600">{t(lang, Key::NotFoundBody)}</p>
            <a href="/" class="mt-6 inline-block rounded-md bg-indigo-600 px-4 py-2 font-semibold text-white hover:bg-indigo-700">
                {t(lang, Key::BackHome)}
            </a>
        </div>
    }
}
