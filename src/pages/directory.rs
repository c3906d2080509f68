//! /musicos, /salones and /talleres: the public directory of one kind of resource.
//! The filters are a GET form, so a filtered list has its own URL
//! (`?genero=jazz&pagina=2`) and works without JavaScript.

use crate::app::json_resource;
use crate::components::error_notice::ErrorNotice;
use crate::i18n::{problem_text, t, use_lang, Key};
use crate::server_fns::directory::{directory, DirectoryCard, DirectoryView};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use leptos_router::params::ParamsMap;

const INPUT: &str = "block w-full rounded-md border border-slate-300 px-3 py-2 text-sm shadow-sm focus:border-indigo-500 \
                     focus:outline-none focus:ring-2 focus:ring-indigo-500";
const BUTTON: &str = "rounded-md bg-indigo-600 px-4 py-2 text-sm font-semibold text-white hover:bg-indigo-700 focus:outline-none \
                      focus-visible:ring-2 focus-visible:ring-indigo-500 focus-visible:ring-offset-2";
const LINK: &str = "rounded-md border border-slate-300 px-3 py-1.5 text-sm font-medium text-slate-700 hover:bg-slate-100";

/// The query parameters the form sends, in order.
const FILTERS: [&str; 7] = ["q", "genero", "ciudad", "fecha", "hora", "precio_min", "precio_max"];

/// `kind` is a resource kind ("musician", "venue"); `path` is the page's own address.
#[component]
pub fn DirectoryPage(kind: &'static str, path: &'static str) -> impl IntoView {
    let lang = use_lang();
    let query = use_query_map();
    let (title, intro) = match kind {
        "venue" => (Key::NavVenues, Key::VenuesIntro),
        "workshop" => (Key::NavWorkshops, Key::WorkshopsIntro),
        _ => (Key::NavMusicians, Key::MusiciansIntro),
    };
    let found = json_resource(
        move || query.get(),
        move |q: ParamsMap| {
            let [text, genre, city, date, time, min, max] = FILTERS.map(|name| q.get(name));
            directory(kind.to_string(), text, genre, city, date, min, max, q.get("pagina"), time)
        },
    );
    view! {
        <Title text=t(lang, title)/>
        <section class="space-y-6" data-testid="directory" data-kind=kind>
            <header>
                <h1 class="text-3xl font-bold tracking-tight text-slate-900">{t(lang, title)}</h1>
                <p class="mt-2 text-slate-600">{t(lang, intro)}</p>
            </header>
            <Transition fallback=move || view! { <p>{t(lang, Key::Loading)}</p> }>
                {move || Suspend::new(async move {
                    let params = query.get_untracked();
                    match found.await {
                        Ok(view_data) => view! {
                            <Filters path params=params.clone() data=view_data.clone()/>
                            <Results path params data=view_data/>
                        }.into_any(),
                        Err(error) => {
                            // A filter that cannot be read: say which, keep the form.
                            let empty = DirectoryView { cards: vec![], total: 0, page: 1, pages: 0, genres: vec![], cities: vec![] };
                            view! {
                                <Filters path params data=empty/>
                                {match error.field() {
                                    Some(_) => view! {
                                        <p role="alert" data-testid="filter-error" class="text-sm text-rose-700">
                                            {error.field().map(|f| format!("{}: ", field_label(lang, f)))}
                                            {match &error { crate::error::AppError::Invalid(e) => problem_text(lang, e.problem).to_string(), _ => String::new() }}
                                        </p>
                                    }.into_any(),
                                    None => view! { <ErrorNotice error/> }.into_any(),
                                }}
                            }.into_any()
                        }
                    }
                })}
            </Transition>
        </section>
    }
}

fn field_label(lang: crate::domain::account::Lang, field: &str) -> &'static str {
    match field {
        "fecha" => t(lang, Key::AvailableOn),
        "hora" => t(lang, Key::FreeAt),
        "precio_min" => t(lang, Key::MinPrice),
        "precio_max" => t(lang, Key::MaxPrice),
        _ => t(lang, Key::SearchText),
    }
}

#[component]
fn Filters(path: &'static str, params: ParamsMap, data: DirectoryView) -> impl IntoView {
    let lang = use_lang();
    let value = move |name: &str| params.get(name).unwrap_or_default();
    let choice = {
        let value = value.clone();
        move |name: &'static str, label: Key, options: Vec<String>| {
        let current = value(name);
        (!options.is_empty()).then(|| view! {
            <div class="space-y-1">
                <label for=format!("filter-{name}") class="block text-sm font-medium text-slate-700">{t(lang, label)}</label>
                <select id=format!("filter-{name}") name=name class=INPUT>
                    <option value="">{t(lang, Key::AnyOption)}</option>
                    {options.into_iter().map(|option| {
                        let selected = option.to_lowercase() == current.to_lowercase();
                        view! { <option value=option.clone() selected=selected>{option.clone()}</option> }
                    }).collect_view()}
                </select>
            </div>
        })
        }
    };
    view! {
        <form method="get" action=path role="search" data-testid="directory-filters"
            class="grid gap-4 rounded-xl border border-slate-200 bg-white p-4 shadow-sm sm:grid-cols-2 lg:grid-cols-4">
            <div class="space-y-1 sm:col-span-2">
                <label for="filter-q" class="block text-sm font-medium text-slate-700">{t(lang, Key::SearchText)}</label>
                <input id="filter-q" type="search" name="q" value=value("q") class=INPUT/>
            </div>
            {choice("genero", Key::Genre, data.genres)}
            {choice("ciudad", Key::City, data.cities)}
            <div class="space-y-1">
                <label for="filter-fecha" class="block text-sm font-medium text-slate-700">{t(lang, Key::AvailableOn)}</label>
                <input id="filter-fecha" type="date" name="fecha" value=value("fecha") class=INPUT/>
            </div>
            <div class="space-y-1">
                <label for="filter-hora" class="block text-sm font-medium text-slate-700">{t(lang, Key::FreeAt)}</label>
                <input id="filter-hora" type="time" step="60" name="hora" value=value("hora") aria-describedby="filter-hora-hint" class=INPUT/>
                <p id="filter-hora-hint" class="text-xs text-slate-500">{t(lang, Key::FreeAtHint)}</p>
            </div>
            <div class="space-y-1">
                <label for="filter-precio_min" class="block text-sm font-medium text-slate-700">{t(lang, Key::MinPrice)}</label>
                <input id="filter-precio_min" type="number" min="0" step="1" inputmode="numeric" name="precio_min" value=value("precio_min") class=INPUT/>
            </div>
            <div class="space-y-1">
                <label for="filter-precio_max" class="block text-sm font-medium text-slate-700">{t(lang, Key::MaxPrice)}</label>
                <input id="filter-precio_max" type="number" min="0" step="1" inputmode="numeric" name="precio_max" value=value("precio_max") class=INPUT/>
            </div>
            <div class="flex items-end gap-3">
                <button type="submit" class=BUTTON>{t(lang, Key::SearchButton)}</button>
                <a href=path class="text-sm font-medium text-indigo-700 hover:underline">{t(lang, Key::ClearFilters)}</a>
            </div>
        </form>
    }
}

#[component]
fn Results(path: &'static str, params: ParamsMap, data: DirectoryView) -> impl IntoView {
    let lang = use_lang();
    let page_href = move |page: i64| {
        let mut params = params.clone();
        params.replace("pagina", page.to_string());
        format!("{path}{}", params.to_query_string())
    };
    let DirectoryView { cards, total, page, pages, .. } = data;
    view! {
        <p class="text-sm text-slate-600" data-testid="directory-total" data-total=total>{total}" "{t(lang, Key::Results)}</p>
        {if cards.is_empty() {
            view! { <p data-testid="directory-empty" class="rounded-md border border-slate-200 bg-white px-4 py-6 text-center text-slate-700">{t(lang, Key::NoResults)}</p> }.into_any()
        } else {
            view! {
                <ul class="grid gap-4 sm:grid-cols-2 lg:grid-cols-3" data-testid="directory-list">
                    {cards.into_iter().map(|card| view! { <Card card/> }).collect_view()}
                </ul>
            }.into_any()
        }}
        {(pages > 1).then(|| view! {
            <nav aria-label=t(lang, Key::Pagination) class="flex items-center justify-between gap-3" data-testid="pagination">
                {(page > 1).then(|| view! { <a href=page_href(page - 1) rel="prev" class=LINK>{t(lang, Key::PreviousPage)}</a> })}
                <span class="text-sm text-slate-600">{t(lang, Key::PageWord)}" "{page}" / "{pages}</span>
                {(page < pages).then(|| view! { <a href=page_href(page + 1) rel="next" class=LINK>{t(lang, Key::NextPage)}</a> })}
            </nav>
        })}
    }
}

#[component]
fn Card(card: DirectoryCard) -> impl IntoView {
    let lang = use_lang();
    let href = format!("/r/{}", card.slug);
    let alt = format!("{} {}", t(lang, Key::PhotoOf), card.name);
    view! {
        <li class="overflow-hidden rounded-xl border border-slate-200 bg-white shadow-sm" data-testid="directory-card" data-slug=card.slug.clone()>
            {match card.photo {
                Some(src) => view! { <img src=src alt=alt class="h-40 w-full object-cover" loading="lazy"/> }.into_any(),
                None => view! {
                    <div class="flex h-40 items-center justify-center bg-gradient-to-br from-indigo-100 to-violet-100 text-4xl font-bold text-indigo-400" aria-hidden="true">
                        {card.name.chars().next().map(String::from).unwrap_or_default()}
                    </div>
                }.into_any(),
            }}
            <div class="space-y-2 p-4">
                <h2 class="text-lg font-semibold text-slate-900">
                    <a href=href class="hover:underline focus:outline-none focus-visible:ring-2 focus-visible:ring-indigo-500">{card.name.clone()}</a>
                </h2>
                {card.city.map(|city| view! { <p class="text-sm text-slate-600">{city}</p> })}
                {(!card.genres.is_empty()).then(|| view! {
                    <ul class="flex flex-wrap gap-1" aria-label=t(lang, Key::Genres)>
                        {card.genres.into_iter().map(|g| view! { <li class="rounded-full bg-indigo-50 px-2 py-0.5 text-xs font-medium text-indigo-800">{g}</li> }).collect_view()}
                    </ul>
                })}
                <p class="line-clamp-2 text-sm text-slate-700">{card.description}</p>
                {card.from_price.map(|price| view! {
                    <p class="text-sm font-semibold text-slate-900">{t(lang, Key::FromPrice)}" "{price}</p>
                })}
            </div>
        </li>
    }
}
