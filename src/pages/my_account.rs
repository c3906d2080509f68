//! /mi-cuenta: the logged-in person's account: who they are, a download of
//! their data (GET /mi-cuenta/datos.json) and deleting the account, confirmed
//! with their password. Logged-out visitors are sent to /login.

use crate::app::use_session;
use crate::components::error_notice::ErrorNotice;
use crate::components::field::Field;
use crate::components::styles::PRIMARY_BUTTON;
use crate::i18n::{role_name, t, use_lang, Key};
use crate::server_fns::account::DeleteAccount;
use crate::server_fns::auth::UserInfo;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Redirect;

const CARD: &str = "space-y-3 rounded-lg border border-slate-200 bg-white p-6 shadow-sm";
const DANGER: &str = "rounded-md bg-rose-600 px-4 py-2 text-sm font-semibold text-white hover:bg-rose-700 focus:outline-none \
                      focus-visible:ring-2 focus-visible:ring-rose-500 focus-visible:ring-offset-2 disabled:opacity-60";

#[component]
pub fn MyAccountPage() -> impl IntoView {
    let lang = use_lang();
    view! {
        <Title text=t(lang, Key::NavMyAccount)/>
        <Suspense fallback=move || view! { <p>{t(lang, Key::Loading)}</p> }>
            {move || Suspend::new(async move {
                match use_session().user.await {
                    Ok(Some(user)) => view! { <MyAccount user/> }.into_any(),
                    Ok(None) => view! { <Redirect path="/login"/> }.into_any(),
                    Err(error) => view! { <ErrorNotice error/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn MyAccount(user: UserInfo) -> impl IntoView {
    let lang = use_lang();
    view! {
        <section class="max-w-2xl space-y-8" data-testid="my-account">
            <div class="space-y-2">
                <h1 class="text-3xl font-bold tracking-tight text-slate-900">{t(lang, Key::NavMyAccount)}</h1>
                <dl class="grid grid-cols-[auto_1fr] gap-x-4 gap-y-1 text-sm">
                    <dt class="text-slate-500">{t(lang, Key::Name)}</dt>
                    <dd class="text-slate-900">{user.name.clone()}</dd>
                    <dt class="text-slate-500">{t(lang, Key::Email)}</dt>
                    <dd class="text-slate-900" data-testid="account-email">{user.email.clone()}</dd>
                    <dt class="text-slate-500">{t(lang, Key::Role)}</dt>
                    <dd class="text-slate-900">{role_name(lang, user.role)}</dd>
                </dl>
            </div>
            <section class=CARD aria-labelledby="my-data-heading">
                <h2 id="my-data-heading" class="text-xl font-semibold text-slate-800">{t(lang, Key::MyDataTitle)}</h2>
                <p class="text-sm text-slate-600">{t(lang, Key::MyDataHelp)}</p>
                // rel=external and download: a file, not a page for the router.
                <a href="/mi-cuenta/datos.json" download="reservo-mis-datos.json" rel="external" data-testid="download-data"
                    class=format!("inline-block {PRIMARY_BUTTON}")>{t(lang, Key::DownloadMyData)}</a>
            </section>
            <DeleteAccountSection/>
        </section>
    }
}

/// Deleting needs the password; a wrong one is shown under its field. Once
/// deleted the session is gone: a fresh home page, as after logging out.
#[component]
fn DeleteAccountSection() -> impl IntoView {
    let lang = use_lang();
    let delete = ServerAction::<DeleteAccount>::new();
    Effect::new(move |_| {
        if matches!(delete.value().get(), Some(Ok(()))) {
            let _ = window().location().set_href("/");
        }
    });
    let error = move || delete.value().get().and_then(Result::err);
    let password_problem = Signal::derive(move || error().and_then(|e| e.field_problem("password")));
    view! {
        <section class=CARD aria-labelledby="delete-account-heading" data-testid="delete-account">
            <h2 id="delete-account-heading" class="text-xl font-semibold text-slate-800">{t(lang, Key::DeleteAccountTitle)}</h2>
            <p class="text-sm text-slate-600">{t(lang, Key::DeleteAccountHelp)}</p>
            <ActionForm action=delete attr:class="space-y-4">
                <Field label=t(lang, Key::ConfirmWithPassword) name="password" kind="password" autocomplete="current-password"
                    required=true id_prefix="delete-" problem=password_problem/>
                {move || error().filter(|e| e.field_problem("password").is_none()).map(|error| view! { <ErrorNotice error/> })}
                <button type="submit" disabled=move || delete.pending().get() class=DANGER>{t(lang, Key::DeleteAccountTitle)}</button>
            </ActionForm>
        </section>
    }
}
