//! /admin/auditoria: the audit log for administrators, newest first, 50 a
//! page, filtered by action. Filter and pages are plain links and a GET form,
//! so the list is rendered on the server and works without JavaScript.

use crate::app::{json_resource, use_session};
use crate::components::error_notice::ErrorNotice;
use crate::domain::audit::AuditAction;
use crate::i18n::{t, use_lang, Key};
use crate::server_fns::audit::{audit_log, AuditPage, AuditRow};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Redirect;
use leptos_router::hooks::use_query_map;

const CELL: &str = "px-3 py-2 align-top";
const PATH: &str = "/admin/auditoria";

#[component]
pub fn AuditLogPage() -> impl IntoView {
    let lang = use_lang();
    view! {
        <Title text=t(lang, Key::AuditTitle)/>
        <Suspense fallback=move || view! { <p>{t(lang, Key::Loading)}</p> }>
            {move || Suspend::new(async move {
                match use_session().user.await {
                    Ok(Some(_)) => view! { <AuditLog/> }.into_any(),
                    Ok(None) => view! { <Redirect path="/login"/> }.into_any(),
                    Err(error) => view! { <ErrorNotice error/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// The link to `page` of the entries of `action` ("" for all).
fn page_href(action: &str, page: u32) -> String {
    if action.is_empty() { format!("{PATH}?page={page}") } else { format!("{PATH}?action={action}&page={page}") }
}

#[component]
fn AuditLog() -> impl IntoView {
    let lang = use_lang();
    let query = use_query_map();
    let page = move || query.read().get("page").and_then(|p| p.parse::<u32>().ok()).unwrap_or(1);
    let action = move || query.read().get("action").unwrap_or_default();
    let log = json_resource(move || (page(), action()), |(page, action)| audit_log(page, action));
    view! {
        <section class="space-y-6" data-testid="audit-log">
            <div>
                <h1 class="text-3xl font-bold tracking-tight text-slate-900">{t(lang, Key::AuditTitle)}</h1>
                <p class="mt-1 text-sm text-slate-600">{t(lang, Key::AuditHelp)}</p>
            </div>
            <form method="get" action=PATH class="flex items-end gap-3">
                <label class="text-sm font-medium text-slate-700" for="audit-action">{t(lang, Key::AuditActionLabel)}</label>
                <select id="audit-action" name="action" class="rounded border border-slate-300 px-2 py-1">
                    <option value="">{t(lang, Key::AllActions)}</option>
                    {AuditAction::ALL.into_iter().map(|a| view! {
                        <option value=a.as_str() selected=move || action() == a.as_str()>{a.as_str()}</option>
                    }).collect_view()}
                </select>
                <button type="submit" class="rounded bg-slate-700 px-3 py-1 text-sm text-white">{t(lang, Key::FilterButton)}</button>
            </form>
            <Transition fallback=move || view! { <p>{t(lang, Key::Loading)}</p> }>
                {move || Suspend::new(async move {
                    match log.await {
                        Ok(found) if found.rows.is_empty() => view! { <p data-testid="no-entries">{t(lang, Key::NoAuditEntries)}</p> }.into_any(),
                        Ok(found) => view! { <AuditTable found action=action()/> }.into_any(),
                        Err(error) => view! { <ErrorNotice error/> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

#[component]
fn AuditTable(found: AuditPage, action: String) -> impl IntoView {
    let lang = use_lang();
    let (page, pages) = (found.page, found.pages);
    let previous = (page > 1).then(|| page_href(&action, page - 1));
    let next = (page < pages).then(|| page_href(&action, page + 1));
    view! {
        <div class="overflow-x-auto rounded-lg border border-slate-200 bg-white shadow-sm">
            <table class="min-w-full text-left text-sm">
                <thead class="bg-slate-50 text-slate-600">
                    <tr>
                        <th class=CELL>{t(lang, Key::AuditWhen)}</th>
                        <th class=CELL>{t(lang, Key::AuditActor)}</th>
                        <th class=CELL>{t(lang, Key::AuditActionLabel)}</th>
                        <th class=CELL>{t(lang, Key::AuditTarget)}</th>
                        <th class=CELL>{t(lang, Key::AuditDetail)}</th>
                    </tr>
                </thead>
                <tbody>
                    {found.rows.into_iter().map(|row| view! { <AuditLine row/> }).collect_view()}
                </tbody>
            </table>
        </div>
        <nav aria-label=t(lang, Key::Pagination) class="flex items-center gap-4 text-sm" data-testid="audit-pages">
            {previous.map(|href| view! { <a href=href rel="prev" class="text-indigo-700 hover:underline">{t(lang, Key::PreviousPage)}</a> })}
            <span>{format!("{} {page} / {pages}", t(lang, Key::PageWord))}</span>
            {next.map(|href| view! { <a href=href rel="next" class="text-indigo-700 hover:underline">{t(lang, Key::NextPage)}</a> })}
        </nav>
    }
}

#[component]
fn AuditLine(row: AuditRow) -> impl IntoView {
    let (action, target) = (row.action.clone(), row.target.clone());
    view! {
        <tr class="border-t border-slate-100" data-testid="audit-row" data-action=action data-target=target>
            <td class=CELL>{row.at}</td>
            <td class=CELL>{row.actor}</td>
            <td class=CELL><code>{row.action}</code></td>
            <td class=CELL><code>{row.target}</code></td>
            <td class=CELL><code class="break-all text-xs text-slate-700">{row.detail}</code></td>
        </tr>
    }
}
