//! /enlace/:token: the page of a signed link from a booking email. It shows
//! the booking and one button for what the link does; opening the page never
//! changes anything, since mail scanners open links too. No login needed.

use crate::app::json_resource;
use crate::components::calendar_picker::CalendarPicker;
use crate::components::error_notice::{set_response_status, ErrorNotice};
use crate::domain::booking::BookingError;
use crate::domain::link::LinkAction;
use crate::error::AppError;
use crate::i18n::{booking_error_text, booking_status_name, error_text, t, use_lang, Key};
use crate::server_fns::links::{link_details, FreeDay, LinkAct, LinkView, LinkDone, LinkState, PickerSetup};
use chrono::NaiveDate;
use leptos::either::{Either, EitherOf5};
use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use leptos_router::hooks::use_params_map;

const BUTTON: &str = crate::components::styles::PRIMARY_BUTTON;

#[component]
pub fn BookingLinkPage() -> impl IntoView {
    let lang = use_lang();
    let params = use_params_map();
    let act = ServerAction::<LinkAct>::new();
    let details = json_resource(
        move || (params.read().get("token").unwrap_or_default(), act.version().get()),
        |(token, _)| link_details(token),
    );
    view! {
        <Title text=t(lang, Key::LinkTitle)/>
        <Meta name="robots" content="noindex"/>
        <section class="mx-auto max-w-2xl space-y-6" data-testid="booking-link">
            {move || act.value().get().map(|result| match result {
                Ok(done) => Either::Left(view! {
                    <p role="status" data-testid="link-done" data-done=done_code(done)
                        class="rounded-md border border-emerald-200 bg-emerald-50 px-4 py-3 text-sm text-emerald-800">
                        {t(lang, done_key(done))}
                    </p>
                }),
                Err(error) => Either::Right(view! { <ErrorNotice error/> }),
            })}
            <Transition fallback=move || view! { <p>{t(lang, Key::Loading)}</p> }>
                {move || Suspend::new(async move {
                    match details.await {
                        Ok(details) => Either::Left(view! { <LinkCard details act/> }),
                        Err(error) => {
                            // 400 for a link that is not ours, 410 for an expired one, 404 for a booking gone.
                            set_response_status(&error);
                            Either::Right(view! { <LinkProblem error/> })
                        }
                    }
                })}
            </Transition>
        </section>
    }
}

fn done_key(done: LinkDone) -> Key {
    match done {
        LinkDone::AttendanceRecorded => Key::AttendanceRecorded,
        LinkDone::Cancelled => Key::BookingCancelledNow,
        LinkDone::Rescheduled => Key::BookingRescheduled,
    }
}

fn done_code(done: LinkDone) -> &'static str {
    match done {
        LinkDone::AttendanceRecorded => "attendance_recorded",
        LinkDone::Cancelled => "cancelled",
        LinkDone::Rescheduled => "rescheduled",
    }
}

/// Why the link cannot be used, and what to do instead.
#[component]
fn LinkProblem(error: AppError) -> impl IntoView {
    let lang = use_lang();
    let (code, title, body) = match &error {
        AppError::LinkExpired => ("expired", Key::LinkExpiredTitle, Key::LinkExpiredBody),
        AppError::LinkInvalid => ("invalid", Key::LinkInvalidTitle, Key::LinkInvalidBody),
        AppError::NotFound | AppError::Booking(BookingError::UnknownBooking | BookingError::UnknownResource) => {
            ("gone", Key::BookingGoneTitle, Key::BookingGoneBody)
        }
        _ => return Either::Left(view! { <ErrorNotice error/> }),
    };
    Either::Right(view! {
        <div class="rounded-xl border border-slate-200 bg-white p-8 text-center shadow-sm" data-testid="link-problem" data-problem=code>
            <h1 class="text-2xl font-bold text-slate-900">{t(lang, title)}</h1>
            <p class="mt-3 text-slate-600">{t(lang, body)}</p>
            <a href="/login" class=format!("mt-6 inline-block {BUTTON}")>{t(lang, Key::NavLogin)}</a>
        </div>
    })
}

#[component]
fn LinkCard(details: LinkView, act: ServerAction<LinkAct>) -> impl IntoView {
    let lang = use_lang();
    let LinkView { token, action, booking_id, state, .. } = details.clone();
    let intro = match action {
        LinkAction::ConfirmAttendance => Key::LinkConfirmIntro,
        LinkAction::Cancel => Key::LinkCancelIntro,
        LinkAction::Reschedule if details.stay => Key::LinkRescheduleStayIntro,
        LinkAction::Reschedule => Key::LinkRescheduleIntro,
    };
    let doing = match (state, action) {
        (LinkState::Refused(refusal), _) => EitherOf5::A(view! {
            <p role="alert" data-testid="link-refused" class="rounded-md border border-amber-200 bg-amber-50 px-4 py-3 text-sm text-amber-900">
                {booking_error_text(lang, &refusal)}
            </p>
        }),
        (LinkState::Done, LinkAction::Cancel) => EitherOf5::B(view! {
            <p data-testid="link-already-done" class="font-medium text-slate-800">{t(lang, Key::BookingIsCancelled)}</p>
        }),
        (LinkState::Done, _) => EitherOf5::C(view! {
            <p data-testid="link-already-done" class="font-medium text-emerald-800">{t(lang, Key::AttendanceRecorded)}</p>
        }),
        (LinkState::Ready, LinkAction::Reschedule) => EitherOf5::D(view! { <RescheduleForm token days=details.free_days.clone() picker=details.picker.clone() act/> }),
        (LinkState::Ready, _) => {
            let label = if action == LinkAction::Cancel { Key::LinkCancelButton } else { Key::LinkConfirmButton };
            EitherOf5::E(view! {
                {details.cancel_until.clone().map(|until| view! {
                    <p class="text-sm text-slate-600">{t(lang, Key::CancelUntil)}" "{until}" ("{details.timezone.clone()}")."</p>
                })}
                <ActionForm action=act attr:data-testid="link-form">
                    <input type="hidden" name="token" value=token/>
                    <button type="submit" disabled=move || act.pending().get() class=BUTTON>{t(lang, label)}</button>
                </ActionForm>
            })
        }
    };
    view! {
        <article class="space-y-5 rounded-xl border border-slate-200 bg-white p-6 shadow-sm"
            data-testid="link-booking" data-booking-id=booking_id data-status=details.status.as_str() data-action=action.as_str()>
            <h1 class="text-2xl font-bold text-slate-900">{t(lang, Key::LinkTitle)}</h1>
            <dl class="grid grid-cols-[auto_1fr] gap-x-4 gap-y-2 text-sm">
                <dt class="text-slate-500">{t(lang, Key::BookedWhat)}</dt>
                <dd class="font-medium text-slate-900">{details.resource_name.clone()}</dd>
                <dt class="text-slate-500">{t(lang, Key::DateAndTime)}</dt>
                <dd class="text-slate-900" data-testid="link-when">{details.when.clone()}" ("{details.timezone.clone()}")"</dd>
                <dt class="text-slate-500">{t(lang, Key::BookingName)}</dt>
                <dd class="text-slate-900">{details.guest_name.clone()}</dd>
                <dt class="text-slate-500">{t(lang, Key::Status)}</dt>
                <dd class="text-slate-900">{booking_status_name(lang, details.status)}</dd>
                <dt class="text-slate-500">{t(lang, Key::BookingNumber)}</dt>
                <dd class="text-slate-900" data-testid="booking-number">{format!("#{booking_id}")}</dd>
                {details.attendance_confirmed_at.clone().map(|at| view! {
                    <dt class="text-slate-500">{t(lang, Key::AttendanceConfirmedAt)}</dt>
                    <dd class="text-slate-900" data-testid="attendance-confirmed-at">{at}</dd>
                })}
            </dl>
            <p class="text-slate-700">{t(lang, intro)}</p>
            {doing}
        </article>
    }
}

/// The free times by day, one choice, one button. Slot resources get the
/// month calendar once the page runs JavaScript (it sends `date` and `time`);
/// before that, and for stays, the list of the next days' times (`start`).
#[component]
fn RescheduleForm(token: String, days: Vec<FreeDay>, picker: Option<PickerSetup>, act: ServerAction<LinkAct>) -> impl IntoView {
    if let Some(picker) = picker {
        return Either::Left(view! { <ReschedulePicker token days picker act/> });
    }
    Either::Right(view! { <FreeTimesForm token days act/> })
}

/// The calendar once hydrated; the list of free times until then (or without JavaScript).
#[component]
fn ReschedulePicker(token: String, days: Vec<FreeDay>, picker: PickerSetup, act: ServerAction<LinkAct>) -> impl IntoView {
    let lang = use_lang();
    let hydrated = RwSignal::new(false);
    Effect::new(move |_| hydrated.set(true));
    let date = RwSignal::new(None::<String>);
    let time = RwSignal::new(None::<String>);
    let today = picker.today.parse::<NaiveDate>().unwrap_or_default();
    let duration = Signal::stored(picker.duration_minutes);
    let problem = Signal::derive(move || {
        act.value()
            .get()
            .and_then(Result::err)
            .filter(|e| e.field().is_some_and(|f| ["date", "time", "start"].contains(&f)))
            .map(|e| error_text(lang, &e))
    });
    let slug = picker.slug;
    move || {
        if hydrated.get() {
            let (token, slug) = (token.clone(), slug.clone());
            Either::Left(view! {
                <ActionForm action=act attr:class="space-y-4" attr:data-testid="link-form">
                    <input type="hidden" name="token" value=token/>
                    <h2 class="font-semibold text-slate-800">{t(lang, Key::NewTime)}</h2>
                    <CalendarPicker slug today duration refresh=act.version() date time problem/>
                    <button type="submit" disabled=move || act.pending().get() || time.get().is_none() class=BUTTON>
                        {t(lang, Key::LinkRescheduleButton)}
                    </button>
                </ActionForm>
            })
        } else {
            Either::Right(view! { <FreeTimesForm token=token.clone() days=days.clone() act/> })
        }
    }
}

#[component]
fn FreeTimesForm(token: String, days: Vec<FreeDay>, act: ServerAction<LinkAct>) -> impl IntoView {
    let lang = use_lang();
    if days.is_empty() {
        return Either::Left(view! { <p data-testid="no-free-times" class="text-sm text-slate-700">{t(lang, Key::NoFreeTimes)}</p> });
    }
    Either::Right(view! {
        <ActionForm action=act attr:class="space-y-4" attr:data-testid="link-form">
            <input type="hidden" name="token" value=token/>
            <fieldset class="space-y-3">
                <legend class="font-semibold text-slate-800">{t(lang, Key::NewTime)}</legend>
                {days.into_iter().map(|day| view! {
                    <fieldset class="space-y-2" data-testid="free-day">
                        <legend class="text-sm font-medium text-slate-700 first-letter:uppercase">{day.day}</legend>
                        <div class="flex flex-wrap gap-2">
                            {day.times.into_iter().map(|time| view! {
                                <label class="flex cursor-pointer items-center gap-2 rounded-md border border-slate-300 px-3 py-1.5 text-sm has-[:checked]:border-indigo-600 has-[:checked]:bg-indigo-50">
                                    <input type="radio" name="start" value=time.start required=true/>
                                    {time.label}
                                </label>
                            }).collect_view()}
                        </div>
                    </fieldset>
                }).collect_view()}
            </fieldset>
            <button type="submit" disabled=move || act.pending().get() class=BUTTON>{t(lang, Key::LinkRescheduleButton)}</button>
        </ActionForm>
    })
}
