use crate::i18n::{t, use_lang, Key};
use leptos::prelude::*;
use leptos_router::hooks::use_location;

/// A plain form post to /lang: works with or without JavaScript and reloads
/// the page in the other language.
#[component]
pub fn LangSwitch() -> impl IntoView {
    let lang = use_lang();
    let location = use_location();
    let next = move || format!("{}{}", location.pathname.get(), location.search.get());
    view! {
        <form method="post" action="/lang">
            <input type="hidden" name="lang" value=lang.other().code()/>
            <input type="hidden" name="next" value=next/>
            <button type="submit" lang=lang.other().code()
                class="rounded-md border border-slate-300 px-3 py-2 font-medium text-slate-700 hover:bg-slate-100 focus:outline-none focus-visible:ring-2 focus-visible:ring-indigo-500">
                {t(lang, Key::SwitchToOther)}
            </button>
        </form>
    }
}
