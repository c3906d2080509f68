use crate::app::use_session;
use crate::components::lang_switch::LangSwitch;
use crate::domain::account::Role;
use crate::i18n::{role_name, t, use_lang, Key};
use crate::server_fns::auth::{Logout, UserInfo};
use leptos::either::Either;
use leptos::prelude::*;
use leptos::server_fn::ServerFn;

#[component]
pub fn Header() -> impl IntoView {
    let lang = use_lang();
    view! {
        <a href="#main" class="sr-only focus:not-sr-only focus:absolute focus:left-4 focus:top-4 focus:rounded focus:bg-white focus:px-3 focus:py-2">
            {t(lang, Key::SkipToContent)}
        </a>
        <header class="border-b border-slate-200 bg-white">
            <div class="mx-auto flex max-w-6xl flex-wrap items-center justify-between gap-3 px-4 py-3 sm:px-6">
                <a href="/" class="flex items-baseline gap-2">
                    <span class="text-xl font-bold tracking-tight text-indigo-700">"Reservo"</span>
                    <span class="hidden text-sm text-slate-500 sm:inline">{t(lang, Key::Tagline)}</span>
                </a>
                <nav aria-label=t(lang, Key::MainNav) class="flex flex-wrap items-center gap-2 text-sm">
                    <a href="/musicos" class=LINK>{t(lang, Key::NavMusicians)}</a>
                    <a href="/salones" class=LINK>{t(lang, Key::NavVenues)}</a>
                    <a href="/talleres" class=LINK>{t(lang, Key::NavWorkshops)}</a>
                    <Transition fallback=|| ()>
                        {move || Suspend::new(async move {
                            let user = use_session().user.await.ok().flatten();
                            match user {
                                Some(user) => Either::Left(view! { <UserNav user/> }),
                                None => Either::Right(view! { <GuestNav/> }),
                            }
                        })}
                    </Transition>
                    <LangSwitch/>
                </nav>
            </div>
        </header>
    }
}

const LINK: &str = "rounded-md px-3 py-2 font-medium text-slate-700 hover:bg-slate-100 focus:outline-none focus-visible:ring-2 focus-visible:ring-indigo-500";
const PRIMARY: &str = "rounded-md bg-indigo-600 px-3 py-2 font-medium text-white hover:bg-indigo-700 focus:outline-none focus-visible:ring-2 focus-visible:ring-indigo-500 focus-visible:ring-offset-2";

#[component]
fn GuestNav() -> impl IntoView {
    let lang = use_lang();
    view! {
        <a href="/login" class=LINK>{t(lang, Key::NavLogin)}</a>
        <a href="/register" class=PRIMARY>{t(lang, Key::NavRegister)}</a>
    }
}

#[component]
fn UserNav(user: UserInfo) -> impl IntoView {
    let lang = use_lang();
    let badge = match user.role {
        Role::Admin => "bg-rose-100 text-rose-800",
        Role::Manager => "bg-amber-100 text-amber-800",
        Role::Client => "bg-emerald-100 text-emerald-800",
    };
    view! {
        <a href="/panel" class=LINK>{t(lang, Key::NavPanel)}</a>
        <a href="/mis-reservas" class=LINK>{t(lang, Key::NavMyBookings)}</a>
        {(user.role == Role::Admin).then(|| view! {
            <a href="/admin/rooms" class=LINK>{t(lang, Key::NavRooms)}</a>
            <a href="/admin/mail" class=LINK>{t(lang, Key::NavMail)}</a>
            <a href="/admin/auditoria" class=LINK>{t(lang, Key::NavAudit)}</a>
        })}
        <a href="/mi-cuenta" class=LINK>{t(lang, Key::NavMyAccount)}</a>
        <span class="flex items-center gap-2 px-2 text-slate-600">
            <span data-testid="current-user" class="font-medium text-slate-900">{user.name.clone()}</span>
            <span class=format!("rounded-full px-2 py-0.5 text-xs font-semibold {badge}")>{role_name(lang, user.role)}</span>
        </span>
        // A plain post and a fresh page, rather than redrawing the current page
        // around a session that just ended: pages torn down mid-render by the
        // session change made the app panic now and then.
        <form method="post" action=Logout::url()>
            <button type="submit" class=LINK>{t(lang, Key::Logout)}</button>
        </form>
    }
}
