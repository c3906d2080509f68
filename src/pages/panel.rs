//! /panel: each role's home page. Logged-out visitors are sent to /login.

use crate::app::use_session;
use crate::components::error_notice::ErrorNotice;
use crate::domain::account::Role;
use crate::i18n::{t, use_lang, Key};
use crate::pages::{admin_home::AdminHome, client_home::ClientHome, manager_home::ManagerHome};
use leptos::either::{Either, EitherOf3};
use leptos::prelude::*;
use leptos_router::components::Redirect;

#[component]
pub fn PanelPage() -> impl IntoView {
    let lang = use_lang();
    view! {
        <Suspense fallback=move || view! { <p>{t(lang, Key::Loading)}</p> }>
            {move || Suspend::new(async move {
                match use_session().user.await {
                    Ok(Some(user)) => Either::Left(match user.role {
                        Role::Client => EitherOf3::A(view! { <ClientHome user/> }),
                        Role::Manager => EitherOf3::B(view! { <ManagerHome user/> }),
                        Role::Admin => EitherOf3::C(view! { <AdminHome user/> }),
                    }),
                    // Kept erased: `Redirect` renders nothing, which an AnyView marks with a placeholder.
                    Ok(None) => Either::Right(view! { <Redirect path="/login"/> }.into_any()),
                    Err(error) => Either::Right(view! { <ErrorNotice error/> }.into_any()),
                }
            })}
        </Suspense>
    }
}

/// Links to the reports (`reports`: the manager's or the administrators' page) and the booking history.
#[component]
pub fn ReportLinks(reports: &'static str) -> impl IntoView {
    let lang = use_lang();
    let link = "rounded-md border border-slate-200 bg-white px-3 py-1.5 text-sm font-medium text-indigo-700 shadow-sm hover:bg-indigo-50";
    view! {
        <nav class="flex flex-wrap gap-2" aria-label=t(lang, Key::NavReports) data-testid="report-links">
            <a href=reports class=link data-testid="reports-link">{t(lang, Key::NavReports)}</a>
            <a href=crate::pages::history::HISTORY_PATH class=link data-testid="history-link">{t(lang, Key::NavHistory)}</a>
        </nav>
    }
}

/// The heading every role home starts with; `data-role` lets tests and styles
/// tell the homes apart.
#[component]
pub fn RoleHeading<C: IntoView + 'static>(role: Role, title: &'static str, children: TypedChildren<C>) -> impl IntoView {
    // Typed children: `Children` would erase each home into an AnyView, whose
    // hydration code (sync and async) is then kept for every one of them.
    let children = children.into_inner();
    view! {
        <section data-testid="role-home" data-role=role.as_str() class="space-y-8">
            <h1 class="text-3xl font-bold tracking-tight text-slate-900">{title}</h1>
            {(role == Role::Manager).then(|| view! { <ReportLinks reports=crate::pages::reports::PANEL_REPORTS/> })}
            {children()}
        </section>
    }
}
