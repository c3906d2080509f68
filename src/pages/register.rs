use crate::app::use_session;
use crate::components::error_notice::ErrorNotice;
use crate::components::field::Field;
use crate::error::AppError;
use crate::i18n::{t, use_lang, Key};
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn RegisterPage() -> impl IntoView {
    let lang = use_lang();
    let register = use_session().register;
    let error = move || register.value().get().and_then(|result| result.err());
    let problem_of = move |field: &'static str| Signal::derive(move || error().and_then(|e| e.field_problem(field)));
    view! {
        <Title text=t(lang, Key::RegisterTitle)/>
        <div class="mx-auto max-w-md rounded-xl border border-slate-200 bg-white p-8 shadow-sm">
            <h1 class="text-2xl font-bold text-slate-900">{t(lang, Key::RegisterTitle)}</h1>
            <ActionForm action=register attr:class="mt-6 space-y-4">
                <Field label=t(lang, Key::Name) name="name" autocomplete="name" required=true problem=problem_of("name")/>
                <Field label=t(lang, Key::Email) name="email" kind="email" autocomplete="email" required=true
                    problem=problem_of("email")/>
                <Field label=t(lang, Key::PhoneOptional) name="phone" kind="tel" autocomplete="tel" problem=problem_of("phone")/>
                <Field label=t(lang, Key::Password) name="password" kind="password" autocomplete="new-password" required=true
                    problem=problem_of("password")/>
                {move || error().filter(|e| !matches!(e, AppError::Invalid(_))).map(|e| view! { <ErrorNotice error=e/> })}
                <button type="submit" disabled=move || register.pending().get()
                    class="w-full rounded-md bg-indigo-600 px-4 py-2 font-semibold text-white hover:bg-indigo-700 focus:outline-none focus-visible:ring-2 focus-visible:ring-indigo-500 focus-visible:ring-offset-2 disabled:opacity-60">
                    {t(lang, Key::RegisterSubmit)}
                </button>
            </ActionForm>
            <p class="mt-6 text-sm text-slate-600">
                {t(lang, Key::HaveAccount)}" "
                <a href="/login" class="font-semibold text-indigo-700 hover:underline">{t(lang, Key::NavLogin)}</a>
            </p>
        </div>
    }
}
