//! A month calendar of a resource's free times: Monday first, days without
//! a free time greyed out and disabled, a chosen day's free start times as
//! radio buttons. It fills the form fields `date` ("2026-12-05") and `time`
//! ("14:00"), local to the resource. Arrow keys move between days.

use crate::app::json_resource;
use crate::i18n::{long_date, month_title, t, use_lang, weekday_name, weekday_short, Key};
use crate::server_fns::directory::{month_availability, MonthFree};
use chrono::{Datelike, Duration, Months, NaiveDate};
use leptos::either::Either;
use leptos::prelude::*;

const NAV: &str = "rounded-md border border-slate-300 px-3 py-1.5 text-sm font-medium text-slate-700 hover:bg-slate-100 \
                   focus:outline-none focus-visible:ring-2 focus-visible:ring-indigo-500 disabled:opacity-40";

/// How far ahead the calendar pages.
const MONTHS_AHEAD: u32 = 24;

fn first_of_month(date: NaiveDate) -> NaiveDate {
    date.with_day(1).unwrap_or(date)
}

#[component]
pub fn CalendarPicker(
    slug: String,
    /// Today in the resource's zone: the calendar opens on its month.
    today: NaiveDate,
    /// The length of the booking, in minutes; free times depend on it.
    #[prop(into)]
    duration: Signal<i64>,
    /// Changes when the free times may have changed (a request was sent).
    #[prop(into)]
    refresh: Signal<usize>,
    date: RwSignal<Option<String>>,
    time: RwSignal<Option<String>>,
    /// What is wrong with the chosen date or time, already in words.
    #[prop(into)]
    problem: Signal<Option<String>>,
) -> impl IntoView {
    let lang = use_lang();
    let first = first_of_month(today);
    let last = first.checked_add_months(Months::new(MONTHS_AHEAD)).unwrap_or(first);
    let month = RwSignal::new(first);
    let free = json_resource(
        move || (month.get(), duration.get(), refresh.get()),
        move |(month, duration, _)| month_availability(slug.clone(), month.format("%Y-%m").to_string(), duration),
    );
    // A new length changes the free times: the chosen time may be gone.
    Effect::new(move |previous: Option<i64>| {
        let now = duration.get();
        if previous.is_some_and(|p| p != now) {
            time.set(None);
        }
        now
    });
    let shift = move |months: i32| {
        month.update(|m| {
            let next = if months < 0 { m.checked_sub_months(Months::new(1)) } else { m.checked_add_months(Months::new(1)) };
            if let Some(next) = next.filter(|n| *n >= first && *n <= last) {
                *m = next;
            }
        })
    };
    let on_key = move |ev: leptos::ev::KeyboardEvent| {
        let step = match ev.key().as_str() {
            "ArrowLeft" => -1,
            "ArrowRight" => 1,
            "ArrowUp" => -7,
            "ArrowDown" => 7,
            _ => return,
        };
        let target: leptos::web_sys::Element = event_target(&ev);
        let Some(from) = target.get_attribute("data-date").and_then(|d| d.parse::<NaiveDate>().ok()) else { return };
        ev.prevent_default();
        let to = from + Duration::days(step);
        if first_of_month(to) != month.get_untracked() {
            shift(if step < 0 { -1 } else { 1 });
        }
        // Focus the day once it is drawn (it may be in the month just shown).
        request_animation_frame(move || {
            use leptos::wasm_bindgen::JsCast;
            if let Ok(Some(day)) = document().query_selector(&format!("[data-testid=calendar-day][data-date=\"{to}\"]")) {
                if let Ok(day) = day.dyn_into::<leptos::web_sys::HtmlElement>() {
                    let _ = day.focus();
                }
            }
        });
    };
    let error_id = "calendar-error";
    view! {
        <div class="space-y-4" data-testid="calendar-picker">
            <input type="hidden" name="date" value=move || date.get().unwrap_or_default()/>
            <div class="flex items-center justify-between gap-2">
                <button type="button" class=NAV aria-label=t(lang, Key::PreviousMonth) data-testid="calendar-prev"
                    disabled=move || { month.get() <= first } on:click=move |_| shift(-1)>"‹"</button>
                <h3 class="text-base font-semibold text-slate-900 first-letter:uppercase" aria-live="polite" data-testid="calendar-month"
                    data-month=move || month.get().format("%Y-%m").to_string()>
                    {move || { let m = month.get(); month_title(lang, m.year(), m.month0()) }}
                </h3>
                <button type="button" class=NAV aria-label=t(lang, Key::NextMonth) data-testid="calendar-next"
                    disabled=move || { month.get() >= last } on:click=move |_| shift(1)>"›"</button>
            </div>
            <Transition fallback=move || view! { <p class="text-sm text-slate-500">{t(lang, Key::Loading)}</p> }>
                {move || Suspend::new(async move {
                    let shown = month.get_untracked();
                    match free.await {
                        Ok(data) => Either::Left(view! { <MonthGrid month=shown data date time on_key/> }),
                        Err(error) => Either::Right(view! { <crate::components::error_notice::ErrorNotice error/> }),
                    }
                })}
            </Transition>
            {move || problem.get().map(|text| view! { <p id=error_id role="alert" class="text-sm text-rose-700">{text}</p> })}
        </div>
    }
}

#[component]
fn MonthGrid(
    month: NaiveDate,
    data: MonthFree,
    date: RwSignal<Option<String>>,
    time: RwSignal<Option<String>>,
    on_key: impl Fn(leptos::ev::KeyboardEvent) + Clone + Send + Sync + 'static,
) -> impl IntoView {
    let lang = use_lang();
    let leading = month.weekday().num_days_from_monday() as usize;
    let days: Vec<NaiveDate> = month.iter_days().take_while(|d| d.month() == month.month()).collect();
    let times_of = {
        let data = data.clone();
        move |day: &str| data.days.iter().find(|d| d.date == day).map(|d| d.times.clone()).unwrap_or_default()
    };
    let free_days: Vec<String> = data.days.iter().map(|d| d.date.clone()).collect();
    let cells = days
        .into_iter()
        .map(|day| {
            let key = day.format("%Y-%m-%d").to_string();
            let free = free_days.contains(&key);
            let label = if free { long_date(lang, day) } else { format!("{} ({})", long_date(lang, day), t(lang, Key::Unavailable)) };
            let selected = {
                let key = key.clone();
                move || date.get().as_deref() == Some(key.as_str())
            };
            let choose = {
                let key = key.clone();
                move |_| {
                    if free && date.get_untracked().as_deref() != Some(key.as_str()) {
                        date.set(Some(key.clone()));
                        time.set(None);
                    }
                }
            };
            let class = {
                let selected = selected.clone();
                move || {
                let base = "h-10 w-full rounded-md text-sm focus:outline-none focus-visible:ring-2 focus-visible:ring-indigo-500";
                if !free {
                    format!("{base} cursor-not-allowed bg-slate-100 text-slate-400 line-through")
                } else if selected() {
                    format!("{base} bg-indigo-600 font-semibold text-white")
                } else {
                    format!("{base} border border-indigo-200 bg-white font-medium text-indigo-800 hover:bg-indigo-50")
                }
                }
            };
            let on_key = on_key.clone();
            view! {
                <button type="button" data-testid="calendar-day" data-date=key.clone() data-free=free.to_string()
                    aria-label=label aria-disabled=(!free).to_string() aria-pressed=move || selected().to_string()
                    class=class on:click=choose on:keydown=on_key>
                    {day.day()}
                </button>
            }
        })
        .collect_view();
    // The chosen day's times, if the chosen day is in this month.
    let day_times = move || date.get().map(|d| (d.clone(), times_of(&d))).filter(|(_, times)| !times.is_empty());
    view! {
        <div class="grid grid-cols-7 gap-1 text-center" role="group" aria-label=t(lang, Key::ChooseDay)>
            {(0..7).map(|i| view! {
                <abbr title=weekday_name(lang, i) class="py-1 text-xs font-semibold uppercase text-slate-500 no-underline">
                    {weekday_short(lang, i)}
                </abbr>
            }).collect_view()}
            {(0..leading).map(|_| view! { <span aria-hidden="true"></span> }).collect_view()}
            {cells}
        </div>
        {move || match day_times() {
            None => Either::Left(view! { <p class="text-sm text-slate-600" data-testid="no-day-selected">{t(lang, Key::NoDaySelected)}</p> }),
            Some((day, times)) => {
                let heading = day.parse::<NaiveDate>().map(|d| long_date(lang, d)).unwrap_or(day);
                Either::Right(view! {
                    <fieldset class="space-y-2" data-testid="calendar-times">
                        <legend class="text-sm font-medium text-slate-800">{t(lang, Key::ChooseTime)}" · "{heading}</legend>
                        <div class="flex flex-wrap gap-2">
                            {times.into_iter().map(|slot| {
                                let checked = { let slot = slot.clone(); move || time.get().as_deref() == Some(slot.as_str()) };
                                let pick = { let slot = slot.clone(); move |_| time.set(Some(slot.clone())) };
                                view! {
                                    <label class="flex cursor-pointer items-center gap-2 rounded-md border border-slate-300 px-3 py-1.5 text-sm has-[:checked]:border-indigo-600 has-[:checked]:bg-indigo-50">
                                        <input type="radio" name="time" value=slot.clone() prop:checked=checked on:change=pick required=true/>
                                        {slot.clone()}
                                    </label>
                                }
                            }).collect_view()}
                        </div>
                    </fieldset>
                })
            }
        }}
    }
}
