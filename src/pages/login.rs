use crate::app::use_session;
use crate::components::error_notice::ErrorNotice;
use crate::components::field::Field;
use crate::i18n::{t, use_lang, Key};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use crate::server_fns::auth::is_local_path;

#[component]
pub fn LoginPage() -> impl IntoView {
    let lang = use_lang();
    let login = use_session().login;
    let error = move || login.value().get().and_then(|result| result.err());
    let problem_of = move |field: &'static str| Signal::derive(move || error().and_then(|e| e.field_problem(field)));
    // Where the visitor was going (?next=/r/...), kept through the login.
    let next = use_query_map().read_untracked().get("next").filter(|p| is_local_path(p));
    view! {
        <Title text=t(lang, Key::LoginTitle)/>
        <div class="mx-auto max-w-md rounded-xl border border-slate-200 bg-white p-8 shadow-sm">
            <h1 class="text-2xl font-bold text-slate-900">{t(lang, Key::LoginTitle)}</h1>
            <ActionForm action=login attr:class="mt-6 space-y-4">
                {next.map(|next| view! { <input type="hidden" name="next" value=next/> })}
                <Field label=t(lang, Key::Email) name="email" kind="email" autocomplete="username" required=true
                    problem=problem_of("email")/>
                <Field label=t(lang, Key::Password) name="password" kind="password" autocomplete="current-password" required=true
                    problem=problem_of("password")/>
                {move || error().filter(|e| !matches!(e, crate::error::AppError::Invalid(_))).map(|e| view! { <ErrorNotice error=e/> })}
                <button type="submit" disabled=move || login.pending().get()
                    class="w-full rounded-md bg-indigo-600 px-4 py-2 font-semibold text-white hover:bg-indigo-700 focus:outline-none focus-visible:ring-2 focus-visible:ring-indigo-500 focus-visible:ring-offset-2 disabled:opacity-60">
                    {t(lang, Key::LoginSubmit)}
                </button>
            </ActionForm>
            <p class="mt-6 text-sm text-slate-600">
                {t(lang, Key::NoAccountYet)}" "
                <a href="/register" class="font-semibold text-indigo-700 hover:underline">{t(lang, Key::NavRegister)}</a>
            </p>
        </div>
    }
}
