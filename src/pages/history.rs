//! /panel/historial: the bookings of a manager's resources (every resource
//! for an administrator), newest first, a page at a time, filtered by
//! resource, client, dates and status with a GET form; each line links to the
//! booking's page. Works without JavaScript.

use crate::app::{json_resource, use_session};
use crate::components::error_notice::{set_response_status, ErrorNotice};
use crate::components::field::Field;
use crate::components::styles::booking_status_badge;
use crate::domain::booking::BookingStatus;
use crate::domain::report::{FROM_FIELD, TO_FIELD};
use crate::error::AppError;
use crate::i18n::{booking_status_name, t, use_lang, Key};
use crate::server_fns::reports::{booking_history, HistoryLine, HistoryPage};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Redirect;
use leptos_router::hooks::use_query_map;
use leptos_router::params::ParamsMap;

pub const HISTORY_PATH: &str = "/panel/historial";
const CELL: &str = "px-3 py-2 align-top";
const SELECT: &str = "block rounded-md border border-slate-300 px-3 py-2 shadow-sm";
/// The query parameters of the filters, in the form's order.
const FILTERS: [&str; 5] = ["recurso", "cliente", FROM_FIELD, TO_FIELD, "estado"];

#[component]
pub fn HistoryPage() -> impl IntoView {
    let lang = use_lang();
    view! {
        <Title text=t(lang, Key::HistoryTitle)/>
        <Suspense fallback=move || view! { <p>{t(lang, Key::Loading)}</p> }>
            {move || Suspend::new(async move {
                match use_session().user.await {
                    Ok(Some(_)) => view! { <History/> }.into_any(),
                    Ok(None) => view! { <Redirect path="/login"/> }.into_any(),
                    Err(error) => view! { <ErrorNotice error/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn History() -> impl IntoView {
    let lang = use_lang();
    let query = use_query_map();
    let found = json_resource(
        move || query.get(),
        |params: ParamsMap| {
            let [recurso, cliente, desde, hasta, estado] = FILTERS.map(|name| params.get(name).unwrap_or_default());
            let page = params.get("page").and_then(|p| p.parse().ok()).unwrap_or(1);
            booking_history(recurso, cliente, desde, hasta, estado, page)
        },
    );
    view! {
        <section class="space-y-6" data-testid="history">
            <div>
                <h1 class="text-3xl font-bold tracking-tight text-slate-900">{t(lang, Key::HistoryTitle)}</h1>
                <p class="mt-1 text-sm text-slate-600">{t(lang, Key::HistoryHelp)}</p>
            </div>
            <Transition fallback=move || view! { <p>{t(lang, Key::Loading)}</p> }>
                {move || Suspend::new(async move {
                    let params = query.get_untracked();
                    match found.await {
                        Ok(page) => view! {
                            <Filters params=params.clone() resources=page.resources.clone() error=None/>
                            <Lines page params/>
                        }.into_any(),
                        Err(error) => {
                            set_response_status(&error);
                            view! { <Filters params resources=Vec::new() error=Some(error)/> }.into_any()
                        }
                    }
                })}
            </Transition>
        </section>
    }
}

#[component]
fn Filters(params: ParamsMap, resources: Vec<(i64, String)>, error: Option<AppError>) -> impl IntoView {
    let lang = use_lang();
    let [resource, client, desde, hasta, status] = FILTERS.map(|name| params.get(name).unwrap_or_default());
    let problem = |field: &str| error.as_ref().and_then(|e| e.field_problem(field));
    let (from_problem, to_problem, client_problem) = (problem(FROM_FIELD), problem(TO_FIELD), problem("cliente"));
    // Problems of the typed fields show next to them; any other above the form.
    let general = error.filter(|e| !e.field().is_some_and(|f| [FROM_FIELD, TO_FIELD, "cliente"].contains(&f)));
    view! {
        {general.map(|error| view! { <ErrorNotice error/> })}
        <form method="get" action=HISTORY_PATH class="grid items-end gap-4 sm:grid-cols-3 lg:grid-cols-6" data-testid="history-filters">
            <div class="space-y-1">
                <label for="recurso" class="block text-sm font-medium text-slate-700">{t(lang, Key::Resource)}</label>
                <select id="recurso" name="recurso" class=SELECT>
                    <option value="">{t(lang, Key::AllResources)}</option>
                    {resources.into_iter().map(|(id, name)| {
                        let selected = resource == id.to_string();
                        view! { <option value=id selected=selected>{name}</option> }
                    }).collect_view()}
                </select>
            </div>
            <Field label=t(lang, Key::ClientFilter) name="cliente" value=client problem=client_problem/>
            <Field label=t(lang, Key::RangeFrom) name=FROM_FIELD kind="date" value=desde problem=from_problem/>
            <Field label=t(lang, Key::RangeTo) name=TO_FIELD kind="date" value=hasta problem=to_problem/>
            <div class="space-y-1">
                <label for="estado" class="block text-sm font-medium text-slate-700">{t(lang, Key::Status)}</label>
                <select id="estado" name="estado" class=SELECT>
                    <option value="">{t(lang, Key::AllStatuses)}</option>
                    {BookingStatus::ALL.into_iter().map(|s| view! {
                        <option value=s.as_str() selected=status == s.as_str()>{booking_status_name(lang, s)}</option>
                    }).collect_view()}
                </select>
            </div>
            <button type="submit" class="rounded-md bg-indigo-600 px-4 py-2 text-sm font-semibold text-white hover:bg-indigo-700">
                {t(lang, Key::FilterButton)}
            </button>
        </form>
    }
}

#[component]
fn Lines(page: HistoryPage, params: ParamsMap) -> impl IntoView {
    let lang = use_lang();
    let page_href = move |number: u32| {
        let mut params = params.clone();
        params.replace("page", number.to_string());
        format!("{HISTORY_PATH}{}", params.to_query_string())
    };
    let HistoryPage { lines, page, has_next, .. } = page;
    let previous = (page > 1).then(|| page_href(page - 1));
    let next = has_next.then(|| page_href(page + 1));
    if lines.is_empty() && page == 1 {
        return view! { <p data-testid="no-history">{t(lang, Key::NoHistory)}</p> }.into_any();
    }
    view! {
        <div class="overflow-x-auto rounded-lg border border-slate-200 bg-white shadow-sm">
            <table class="min-w-full text-left text-sm">
                <thead class="bg-slate-50 text-slate-600">
                    <tr>
                        <th scope="col" class=CELL>{t(lang, Key::Starts)}</th>
                        <th scope="col" class=CELL>{t(lang, Key::Resource)}</th>
                        <th scope="col" class=CELL>{t(lang, Key::Name)}</th>
                        <th scope="col" class=CELL>{t(lang, Key::Email)}</th>
                        <th scope="col" class=CELL>{t(lang, Key::Status)}</th>
                        <th scope="col" class=CELL><span class="sr-only">{t(lang, Key::ViewBooking)}</span></th>
                    </tr>
                </thead>
                <tbody>
                    {lines.into_iter().map(|line| view! { <Line line/> }).collect_view()}
                </tbody>
            </table>
        </div>
        <nav aria-label=t(lang, Key::Pagination) class="flex items-center gap-4 text-sm" data-testid="history-pages">
            {previous.map(|href| view! { <a href=href rel="prev" class="text-indigo-700 hover:underline">{t(lang, Key::PreviousPage)}</a> })}
            <span>{format!("{} {page}", t(lang, Key::PageWord))}</span>
            {next.map(|href| view! { <a href=href rel="next" class="text-indigo-700 hover:underline">{t(lang, Key::NextPage)}</a> })}
        </nav>
    }
    .into_any()
}

#[component]
fn Line(line: HistoryLine) -> impl IntoView {
    let lang = use_lang();
    view! {
        <tr class="border-t border-slate-100" data-testid="history-line" data-booking-id=line.id data-status=line.status.as_str()>
            <td class=CELL>{line.starts}</td>
            <td class=CELL>{line.resource}</td>
            <td class=CELL>{line.guest_name}</td>
            <td class=CELL>{line.guest_email}</td>
            <td class=CELL>
                <span class=format!("rounded px-2 py-0.5 text-xs {}", booking_status_badge(line.status))>{booking_status_name(lang, line.status)}</span>
            </td>
            <td class=CELL><a href=line.href class="text-indigo-700 hover:underline">{t(lang, Key::ViewBooking)}</a></td>
        </tr>
    }
}
