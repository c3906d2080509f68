//! /r/:slug: a resource's public profile (photos, description, facts,
//! rates, who manages it) and the booking request form with the calendar
//! of free times. Without JavaScript the calendar is a date field and a
//! time list, and the answer comes back in the URL (`?solicitud=`, `?error=`).

use crate::app::json_resource;
use crate::components::calendar_picker::CalendarPicker;
use crate::components::error_notice::ErrorNotice;
use crate::components::field::Field;
use crate::components::vehicle_fields::VehicleFields;
use crate::components::review::{reviews_resource, ResourceReviewList, ReviewsResource};
use crate::domain::booking::BookingStatus;
use crate::error::AppError;
use crate::i18n::{attribute_label, booking_status_name, error_text, kind_name, t, use_lang, Key};
use crate::pages::not_found::NotFoundPage;
use crate::server_fns::directory::{resource_profile, BookingSent, ProfileView, Rate, RequestBooking};
use chrono::NaiveDate;
use leptos::either::{Either, EitherOf3};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

const INPUT: &str = crate::components::styles::TEXT_INPUT;
const BUTTON: &str = crate::components::styles::PRIMARY_BUTTON;

#[component]
pub fn ResourceProfilePage() -> impl IntoView {
    let lang = use_lang();
    let params = use_params_map();
    let slug = move || params.read().get("slug").unwrap_or_default();
    let profile = json_resource(slug, resource_profile);
    let reviews = reviews_resource(slug);
    view! {
        <Transition fallback=move || view! { <p>{t(lang, Key::Loading)}</p> }>
            {move || Suspend::new(async move {
                match profile.await {
                    Ok(profile) => EitherOf3::A(view! { <Profile profile reviews/> }),
                    Err(AppError::NotFound) => EitherOf3::B(view! { <NotFoundPage/> }),
                    Err(error) => EitherOf3::C(view! { <ErrorNotice error/> }),
                }
            })}
        </Transition>
    }
}

#[component]
fn Profile(profile: ProfileView, reviews: ReviewsResource) -> impl IntoView {
    let lang = use_lang();
    let name = profile.name.clone();
    view! {
        <Title text=name.clone()/>
        <article class="grid gap-8 lg:grid-cols-[3fr_2fr]" data-testid="resource-profile" data-slug=profile.slug.clone() data-kind=profile.kind.clone()>
            <div class="space-y-6">
                <header>
                    <p class="text-sm font-semibold uppercase tracking-wide text-indigo-700">{kind_name(lang, &profile.kind)}</p>
                    <h1 class="text-3xl font-bold tracking-tight text-slate-900" data-testid="profile-name">{name.clone()}</h1>
                    {(!profile.managers.is_empty()).then(|| view! {
                        <p class="mt-1 text-sm text-slate-600" data-testid="profile-managers">
                            {t(lang, Key::ManagedBy)}": "{profile.managers.join(", ")}
                        </p>
                    })}
                </header>
                <Gallery name=name.clone() photos=profile.photos.clone()/>
                {(!profile.description.is_empty()).then(|| view! {
                    <p class="whitespace-pre-line text-slate-800" data-testid="profile-description">{profile.description.clone()}</p>
                })}
                {(!profile.facts.is_empty()).then(|| view! {
                    <dl class="grid grid-cols-[auto_1fr] gap-x-6 gap-y-2 rounded-xl border border-slate-200 bg-white p-4 text-sm" data-testid="profile-facts">
                        {profile.facts.iter().map(|fact| view! {
                            <dt class="font-medium text-slate-500">{attribute_label(lang, &fact.name)}</dt>
                            <dd class="text-slate-900" data-fact=fact.name.clone()>{fact.value.clone()}</dd>
                        }).collect_view()}
                    </dl>
                })}
                <section class="space-y-2" data-testid="profile-rates">
                    <h2 class="text-xl font-semibold text-slate-900">{t(lang, Key::Rates)}</h2>
                    {if profile.rates.is_empty() {
                        Either::Left(view! { <p class="text-sm text-slate-600">{t(lang, Key::NoRates)}</p> })
                    } else {
                        Either::Right(view! {
                            <ul class="divide-y divide-slate-200 rounded-xl border border-slate-200 bg-white">
                                {profile.rates.iter().map(|rate| view! {
                                    <li class="flex items-center justify-between gap-4 px-4 py-3 text-sm" data-testid="rate">
                                        <span class="text-slate-800">{rate.name.clone()}" · "{rate.duration_minutes}" "{t(lang, Key::Minutes)}</span>
                                        <span class="text-right">
                                            <span class="block font-semibold text-slate-900">{rate.price.clone()}</span>
                                            {rate.deposit.clone().map(|deposit| view! {
                                                <span class="block text-xs text-slate-600" data-testid="rate-deposit">{format!("{} {deposit}", t(lang, Key::DepositWord))}</span>
                                            })}
                                        </span>
                                    </li>
                                }).collect_view()}
                            </ul>
                        })
                    }}
                </section>
                <ResourceReviewList slug=profile.slug.clone() list=reviews/>
            </div>
            <RequestForm profile=profile.clone()/>
        </article>
    }
}

#[component]
fn Gallery(name: String, photos: Vec<String>) -> impl IntoView {
    let lang = use_lang();
    if photos.is_empty() {
        return Either::Left(view! {
            <div role="img" aria-label=t(lang, Key::NoPhotos) data-testid="photo-placeholder"
                class="flex h-56 items-center justify-center rounded-xl bg-gradient-to-br from-indigo-100 to-violet-100 text-slate-500">
                {t(lang, Key::NoPhotos)}
            </div>
        });
    }
    let count = photos.len();
    Either::Right(view! {
        <ul class="grid gap-2 sm:grid-cols-2" data-testid="photo-gallery">
            {photos.into_iter().enumerate().map(|(i, src)| {
                let alt = if count > 1 { format!("{} {name} ({}/{count})", t(lang, Key::PhotoOf), i + 1) } else { format!("{} {name}", t(lang, Key::PhotoOf)) };
                view! { <li><img src=src alt=alt loading="lazy" class="h-56 w-full rounded-xl object-cover"/></li> }
            }).collect_view()}
        </ul>
    })
}

/// The answer of a request posted without JavaScript, read back from the URL.
fn answer_in_url() -> (Option<BookingSent>, Option<AppError>) {
    let query = use_query_map().get_untracked();
    let sent = query.get("solicitud").and_then(|id| id.parse().ok()).map(|id| BookingSent {
        id,
        status: query.get("estado").and_then(|s| BookingStatus::parse(&s)).unwrap_or(BookingStatus::Pending),
    });
    let error = query.get("error").and_then(|e| serde_json::from_slice::<AppError>(e.as_bytes()).ok());
    (sent, error)
}

#[component]
fn RequestForm(profile: ProfileView) -> impl IntoView {
    let lang = use_lang();
    let request = ServerAction::<RequestBooking>::new();
    let (url_sent, url_error) = answer_in_url();
    let answer = move || request.value().get();
    let sent = move || match answer() {
        Some(result) => result.ok(),
        None => url_sent,
    };
    let error = {
        let url_error = url_error.clone();
        move || match answer() {
            Some(result) => result.err(),
            None => url_error.clone(),
        }
    };
    let error_on = {
        let error = error.clone();
        move |fields: &'static [&'static str]| {
            let error = error.clone();
            Signal::derive(move || error().filter(|e| e.field().is_some_and(|f| fields.contains(&f))).map(|e| error_text(lang, &e)))
        }
    };
    let problem_of = {
        let error = error.clone();
        move |field: &'static str| {
            let error = error.clone();
            Signal::derive(move || error().and_then(|e| e.field_problem(field)))
        }
    };
    let general_error = {
        let error = error.clone();
        move || error().filter(|e| e.field().is_none() && *e != AppError::Unauthorized)
    };
    let needs_login = {
        let error = error.clone();
        move || error() == Some(AppError::Unauthorized)
    };
    let durations = profile.durations.clone();
    let by_service = profile.books_vehicle_service && !profile.rates.is_empty();
    let first_length = if by_service { profile.rates.first().map(|r| r.duration_minutes) } else { durations.first().copied() };
    let duration = RwSignal::new(first_length.unwrap_or(60));
    let date = RwSignal::new(None::<String>);
    let time = RwSignal::new(None::<String>);
    // The calendar needs JavaScript; until the page is hydrated (or without
    // it) plain date and time fields take its place.
    let hydrated = RwSignal::new(false);
    Effect::new(move |_| hydrated.set(true));
    let today = profile.today.parse::<NaiveDate>().unwrap_or_default();
    let slug = profile.slug.clone();
    let login_href = format!("/login?next=/r/{}", profile.slug);
    let fallback_times = profile.times.clone();
    let date_problem = error_on(&["date", "time", "start"]);
    let duration_problem = error_on(&["duration", "service_id"]);
    let signed_in = profile.signed_in;
    view! {
        <section class="space-y-4 self-start rounded-xl border border-slate-200 bg-white p-6 shadow-sm" data-testid="request-booking">
            <h2 class="text-xl font-semibold text-slate-900">{t(lang, Key::RequestBookingTitle)}</h2>
            {move || sent().map(|sent| view! {
                <div role="status" data-testid="request-sent" data-booking-id=sent.id data-status=sent.status.as_str()
                    class="space-y-1 rounded-md border border-emerald-200 bg-emerald-50 px-4 py-3 text-sm text-emerald-900">
                    <p class="font-semibold">{t(lang, Key::RequestSent)}</p>
                    <p>{t(lang, Key::BookingNumber)}": "<span data-testid="booking-number">{format!("#{}", sent.id)}</span></p>
                    <p>{t(lang, Key::Status)}": "{booking_status_name(lang, sent.status)}</p>
                </div>
            })}
            <ActionForm action=request attr:class="space-y-4" attr:data-testid="request-form">
                <input type="hidden" name="slug" value=slug.clone()/>
                {if by_service {
                    Either::Left(view! { <ServiceChoice rates=profile.rates.clone() duration problem=duration_problem/> })
                } else {
                    Either::Right(view! {
                        <div class="space-y-1">
                            <label for="request-duration" class="block text-sm font-medium text-slate-700">{t(lang, Key::RequestDuration)}</label>
                            <select id="request-duration" name="duration" class=INPUT
                                aria-invalid=move || duration_problem.get().is_some().to_string()
                                on:change=move |ev| if let Ok(minutes) = event_target_value(&ev).parse() { duration.set(minutes) }>
                                {durations.iter().map(|minutes| view! {
                                    <option value=minutes.to_string()>{format!("{minutes} {}", t(lang, Key::Minutes))}</option>
                                }).collect_view()}
                            </select>
                            {move || duration_problem.get().map(|text| view! { <p role="alert" class="text-sm text-rose-700">{text}</p> })}
                        </div>
                    })
                }}
                <p class="text-xs text-slate-500">{t(lang, Key::TimesInZone)}" "{profile.timezone.clone()}</p>
                {move || if hydrated.get() {
                    Either::Left(view! {
                        <CalendarPicker slug=slug.clone() today duration refresh=request.version() date time problem=date_problem/>
                    })
                } else {
                    Either::Right(view! { <PlainDateTime times=fallback_times.clone() today=profile.today.clone() problem=date_problem/> })
                }}
                {if profile.books_vehicle_service {
                    let problems = ["vehicle", "vehicle_make", "vehicle_model", "vehicle_year", "problem", "phone"].map(problem_of.clone());
                    Either::Left(view! { <VehicleFields problems saved=profile.saved_vehicles.clone()/> })
                } else {
                    Either::Right(view! {
                        <Field label=t(lang, Key::EventType) name="event_type" id_prefix="request-" problem=problem_of("event_type")/>
                        <Field label=t(lang, Key::EventAddress) name="address" autocomplete="street-address" id_prefix="request-" problem=problem_of("address")/>
                    })
                }}
                <div class="space-y-1">
                    <label for="request-notes" class="block text-sm font-medium text-slate-700">{t(lang, Key::RequestNotes)}</label>
                    <textarea id="request-notes" name="notes" rows="3" class=INPUT></textarea>
                    {move || problem_of("notes").get().map(|p| view! { <p role="alert" class="text-sm text-rose-700">{crate::i18n::problem_text(lang, p)}</p> })}
                </div>
                {move || general_error().map(|error| view! { <ErrorNotice error/> })}
                {move || if !signed_in || needs_login() {
                    Either::Left(view! {
                        <p class="rounded-md border border-amber-200 bg-amber-50 px-4 py-3 text-sm text-amber-900" data-testid="login-to-book">
                            {t(lang, Key::LoginToBook)}" "
                            <a href=login_href.clone() class="font-semibold text-indigo-700 underline">{t(lang, Key::NavLogin)}</a>
                        </p>
                    })
                } else {
                    Either::Right(view! {
                        <button type="submit" class=BUTTON disabled=move || request.pending().get()>{t(lang, Key::SendRequest)}</button>
                    })
                }}
            </ActionForm>
        </section>
    }
}

/// A workshop is booked by service: choosing one sets the booking's length.
#[component]
fn ServiceChoice(rates: Vec<Rate>, duration: RwSignal<i64>, #[prop(into)] problem: Signal<Option<String>>) -> impl IntoView {
    let lang = use_lang();
    let lengths: Vec<(String, i64)> = rates.iter().map(|r| (r.service_id.to_string(), r.duration_minutes)).collect();
    let label = move |rate: &Rate| {
        let deposit = rate.deposit.as_ref().map(|d| format!(" · {} {d}", t(lang, Key::DepositWord))).unwrap_or_default();
        format!("{} · {} {} · {}{deposit}", rate.name, rate.duration_minutes, t(lang, Key::Minutes), rate.price)
    };
    view! {
        <div class="space-y-1">
            <label for="request-service" class="block text-sm font-medium text-slate-700">{t(lang, Key::ServiceWord)}</label>
            <select id="request-service" name="service" class=INPUT
                aria-invalid=move || problem.get().is_some().to_string()
                on:change=move |ev| {
                    let chosen = event_target_value(&ev);
                    if let Some((_, minutes)) = lengths.iter().find(|(id, _)| *id == chosen) { duration.set(*minutes) }
                }>
                {rates.iter().map(|rate| view! { <option value=rate.service_id.to_string()>{label(rate)}</option> }).collect_view()}
            </select>
            {move || problem.get().map(|text| view! { <p role="alert" class="text-sm text-rose-700">{text}</p> })}
        </div>
    }
}

/// The calendar's stand-in without JavaScript: a date field and the times.
#[component]
fn PlainDateTime(times: Vec<String>, today: String, #[prop(into)] problem: Signal<Option<String>>) -> impl IntoView {
    let lang = use_lang();
    view! {
        <div class="grid gap-4 sm:grid-cols-2" data-testid="plain-date-time">
            <div class="space-y-1">
                <label for="request-date" class="block text-sm font-medium text-slate-700">{t(lang, Key::DateWord)}</label>
                <input id="request-date" type="date" name="date" min=today required=true class=INPUT/>
            </div>
            <div class="space-y-1">
                <label for="request-time" class="block text-sm font-medium text-slate-700">{t(lang, Key::TimeWord)}</label>
                <select id="request-time" name="time" required=true class=INPUT>
                    {times.into_iter().map(|time| view! { <option value=time.clone()>{time.clone()}</option> }).collect_view()}
                </select>
            </div>
            {move || problem.get().map(|text| view! { <p role="alert" class="text-sm text-rose-700 sm:col-span-2">{text}</p> })}
        </div>
    }
}
