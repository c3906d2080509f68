//! /panel/informes (a manager's resources) and /admin/informes (every
//! resource, administrators only): a GET form with the dates, the charts as
//! SVG drawn on the server and the tables, each with a CSV download link.
//! Rendered on the server, so all of it works without JavaScript.

use crate::app::{json_resource, use_session};
use crate::components::error_notice::{set_response_status, ErrorNotice};
use crate::components::field::Field;
use crate::domain::report::{FROM_FIELD, TO_FIELD};
use crate::error::AppError;
use crate::i18n::{t, use_lang, Key};
use crate::server_fns::reports::{report, ReportPage, ReportTable};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Redirect;
use leptos_router::hooks::use_query_map;

pub const PANEL_REPORTS: &str = "/panel/informes";
pub const ADMIN_REPORTS: &str = "/admin/informes";
const CELL: &str = "px-3 py-2 align-top";

/// `admin`: the administrators' page (every resource).
#[component]
pub fn ReportsPage(admin: bool) -> impl IntoView {
    let lang = use_lang();
    view! {
        <Title text=t(lang, Key::ReportsTitle)/>
        <Suspense fallback=move || view! { <p>{t(lang, Key::Loading)}</p> }>
            {move || Suspend::new(async move {
                match use_session().user.await {
                    Ok(Some(_)) => view! { <Reports admin/> }.into_any(),
                    Ok(None) => view! { <Redirect path="/login"/> }.into_any(),
                    Err(error) => view! { <ErrorNotice error/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Reports(admin: bool) -> impl IntoView {
    let lang = use_lang();
    let query = use_query_map();
    let typed = move || query.with(|q| (q.get(FROM_FIELD).unwrap_or_default(), q.get(TO_FIELD).unwrap_or_default()));
    let found = json_resource(typed, move |(desde, hasta)| report(desde, hasta, admin));
    let (path, help) = if admin { (ADMIN_REPORTS, Key::ReportsHelpAdmin) } else { (PANEL_REPORTS, Key::ReportsHelpManager) };
    view! {
        <section class="space-y-6" data-testid="reports">
            <div>
                <h1 class="text-3xl font-bold tracking-tight text-slate-900">{t(lang, Key::ReportsTitle)}</h1>
                <p class="mt-1 text-sm text-slate-600">{t(lang, help)}</p>
            </div>
            <Transition fallback=move || view! { <p>{t(lang, Key::Loading)}</p> }>
                {move || Suspend::new(async move {
                    match found.await {
                        Ok(page) => view! {
                            <RangeForm path desde=page.desde.clone() hasta=page.hasta.clone() error=None/>
                            <Report page/>
                        }.into_any(),
                        Err(error) => {
                            set_response_status(&error);
                            let (desde, hasta) = typed();
                            view! { <RangeForm path desde hasta error=Some(error)/> }.into_any()
                        }
                    }
                })}
            </Transition>
        </section>
    }
}

/// The dates, with the problem of each next to it; an error about no field above them.
#[component]
pub fn RangeForm(path: &'static str, desde: String, hasta: String, error: Option<AppError>) -> impl IntoView {
    let lang = use_lang();
    let problem = |field: &str| error.as_ref().and_then(|e| e.field_problem(field));
    let (from_problem, to_problem) = (problem(FROM_FIELD), problem(TO_FIELD));
    let general = error.filter(|e| e.field().is_none());
    view! {
        {general.map(|error| view! { <ErrorNotice error/> })}
        <form method="get" action=path class="flex flex-wrap items-end gap-4" data-testid="range-form">
            <Field label=t(lang, Key::RangeFrom) name=FROM_FIELD kind="date" value=desde problem=from_problem/>
            <Field label=t(lang, Key::RangeTo) name=TO_FIELD kind="date" value=hasta problem=to_problem/>
            <button type="submit" class="rounded-md bg-indigo-600 px-4 py-2 text-sm font-semibold text-white hover:bg-indigo-700">
                {t(lang, Key::ShowReport)}
            </button>
        </form>
    }
}

#[component]
fn Report(page: ReportPage) -> impl IntoView {
    let links: Vec<String> = page.tables.iter().map(|table| page.csv_href(&table.slug)).collect();
    view! {
        <div class="grid gap-4 lg:grid-cols-2" data-testid="report-charts">
            {page.charts.into_iter().map(|svg| view! {
                <figure class="rounded-lg border border-slate-200 bg-white p-3 shadow-sm" data-testid="report-chart" inner_html=svg></figure>
            }).collect_view()}
        </div>
        {page.tables.into_iter().zip(links).map(|(table, csv)| view! { <TableView table csv/> }).collect_view()}
    }
}

#[component]
fn TableView(table: ReportTable, csv: String) -> impl IntoView {
    let lang = use_lang();
    let columns = table.headers.len();
    view! {
        <section class="space-y-2" data-testid="report-table" data-table=table.slug.clone()>
            <div class="flex flex-wrap items-baseline justify-between gap-2">
                <h2 class="text-xl font-semibold text-slate-800">{table.title}</h2>
                <a href=csv download="" rel="external" data-testid="csv-link" class="text-sm font-medium text-indigo-700 hover:underline">
                    {t(lang, Key::DownloadCsv)}
                </a>
            </div>
            <div class="overflow-x-auto rounded-lg border border-slate-200 bg-white shadow-sm">
                <table class="min-w-full text-left text-sm">
                    <thead class="bg-slate-50 text-slate-600">
                        <tr>{table.headers.into_iter().map(|h| view! { <th scope="col" class=CELL>{h}</th> }).collect_view()}</tr>
                    </thead>
                    <tbody>
                        {table.rows.is_empty().then(|| view! {
                            <tr><td class=CELL colspan=columns>{t(lang, Key::NoRowsInPeriod)}</td></tr>
                        })}
                        {table.rows.into_iter().map(|row| view! {
                            <tr class="border-t border-slate-100">{row.into_iter().map(|cell| view! { <td class=CELL>{cell}</td> }).collect_view()}</tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
        </section>
    }
}
