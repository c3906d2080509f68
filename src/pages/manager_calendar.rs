//! /panel/calendario: the bookings of the manager's resources as a month
//! (whole weeks, Monday first) or a week. Plain links move between pages, so
//! it works without JavaScript and every page has its own address.

use crate::app::json_resource;
use crate::components::error_notice::ErrorNotice;
use crate::components::styles::booking_status_badge;
use crate::domain::account::Lang;
use crate::i18n::{booking_status_name, month_title, t, use_lang, weekday_name, weekday_short, Key};
use crate::server_fns::manager_calendar::{manager_calendar, CalendarDay, CalendarEntry, CalendarPage};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

const PATH: &str = "/panel/calendario";

#[component]
pub fn ManagerCalendarPage() -> impl IntoView {
    let lang = use_lang();
    let query = use_query_map();
    let wanted = move || query.with(|q| (q.get("vista").unwrap_or_default(), q.get("fecha").unwrap_or_default()));
    let page = json_resource(wanted, |(view, date)| manager_calendar(view, date));
    view! {
        <Title text=t(lang, Key::BookingCalendar)/>
        <section class="space-y-4" data-testid="manager-calendar">
            <h1 class="text-3xl font-bold tracking-tight text-slate-900">{t(lang, Key::BookingCalendar)}</h1>
            <Transition fallback=move || view! { <p>{t(lang, Key::Loading)}</p> }>
                {move || Suspend::new(async move {
                    match page.await {
                        Ok(page) => view! { <Calendar page/> }.into_any(),
                        Err(error) => view! { <ErrorNotice error/> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

fn link(view: &str, date: &str) -> String {
    format!("{PATH}?vista={view}&fecha={date}")
}

#[component]
fn Calendar(page: CalendarPage) -> impl IntoView {
    let lang = use_lang();
    let week = page.view == "semana";
    let anchor = page.days.iter().find(|d| d.in_period).map(|d| d.date.clone()).unwrap_or_default();
    let title = if week {
        format!("{} – {}", day_label(lang, page.days.first()), day_label(lang, page.days.last()))
    } else {
        month_title(lang, page.year, page.month0)
    };
    let tab = |active: bool| if active { "rounded-md bg-indigo-600 px-3 py-1.5 text-white" } else { "rounded-md px-3 py-1.5 text-indigo-700 hover:bg-indigo-50" };
    view! {
        <nav class="flex flex-wrap items-center gap-2 text-sm" aria-label=t(lang, Key::BookingCalendar)>
            <a href=link("mes", &anchor) class=tab(!week) aria-current=(!week).then_some("page")>{t(lang, Key::MonthView)}</a>
            <a href=link("semana", &anchor) class=tab(week) aria-current=week.then_some("page")>{t(lang, Key::WeekView)}</a>
            <span class="mx-2 h-5 w-px bg-slate-300"></span>
            <a href=link(&page.view, &page.prev) class="rounded-md px-3 py-1.5 hover:bg-slate-100" rel="prev">{t(lang, Key::PreviousPage)}</a>
            <a href=format!("{PATH}?vista={}", page.view) class="rounded-md px-3 py-1.5 hover:bg-slate-100">{t(lang, Key::Today)}</a>
            <a href=link(&page.view, &page.next) class="rounded-md px-3 py-1.5 hover:bg-slate-100" rel="next">{t(lang, Key::NextPage)}</a>
        </nav>
        <h2 class="text-xl font-semibold text-slate-800" data-testid="calendar-title">{title}</h2>
        <div class="grid grid-cols-7 gap-px overflow-hidden rounded-lg border border-slate-200 bg-slate-200 text-sm">
            {(0..7).map(|d| view! {
                <div class="bg-slate-50 px-2 py-1 text-center font-semibold text-slate-600">
                    <abbr title=weekday_name(lang, d)>{weekday_short(lang, d)}</abbr>
                </div>
            }).collect_view()}
            {page.days.into_iter().map(|day| view! { <Day day week/> }).collect_view()}
        </div>
    }
}

fn day_label(lang: Lang, day: Option<&CalendarDay>) -> String {
    day.map(|d| format!("{} {}", weekday_name(lang, d.weekday), d.date)).unwrap_or_default()
}

#[component]
fn Day(day: CalendarDay, week: bool) -> impl IntoView {
    let height = if week { "min-h-48" } else { "min-h-24" };
    let shade = if day.in_period { "bg-white" } else { "bg-slate-50 text-slate-400" };
    view! {
        <div class=format!("{height} {shade} space-y-1 p-1.5") data-testid="calendar-day" data-date=day.date.clone()>
            <p class="text-right text-xs font-medium">{day.day}</p>
            <ul class="space-y-1">
                {day.entries.into_iter().map(|entry| view! { <Entry entry/> }).collect_view()}
            </ul>
        </div>
    }
}

#[component]
fn Entry(entry: CalendarEntry) -> impl IntoView {
    let lang = use_lang();
    let status = booking_status_name(lang, entry.status);
    let summary = format!("{} · {} · {}", entry.resource, entry.guest_name, status);
    view! {
        <li class=format!("rounded px-1.5 py-1 text-xs {}", booking_status_badge(entry.status))
            data-testid="calendar-entry" data-booking-id=entry.id data-status=entry.status.as_str()
            title=summary>
            <a href=format!("/panel/reservas/{}", entry.id) class="block hover:underline">
                <span class="block font-semibold">{entry.time}</span>
                <span class="block truncate">{entry.resource}</span>
                <span class="block truncate">{entry.guest_name}</span>
                <span class="sr-only">{status}</span>
            </a>
        </li>
    }
}
