//! /mis-reservas: the logged-in person's own bookings, upcoming and past,
//! each with its status; the upcoming ones the client may still cancel have
//! a small cancel form (it works without JavaScript too). Logged-out
//! visitors are sent to /login, as on /panel.

use crate::components::styles::booking_status_badge;
use crate::app::{json_resource, use_session};
use crate::components::error_notice::ErrorNotice;
use crate::domain::account::Problem;
use crate::domain::booking::{BookingError, BookingStatus};
use crate::error::AppError;
use crate::i18n::{
    booking_status_name, cancel_closed_text, cancel_refusal_text, error_text, kind_name, payment_status_name, problem_text, t, use_lang, Key,
};
use crate::server_fns::my_bookings::{my_bookings, CancelMyBooking, CancelNow, DepositPayment, MyBooking, PAY_DEPOSIT_PATH, REASON_MAX_CHARS};
use crate::components::review::{ReviewForm, Stars};
use crate::server_fns::reviews::ReviewNow;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Redirect;

const BUTTON: &str = crate::components::styles::PRIMARY_BUTTON;
const DANGER: &str = "rounded-md bg-rose-600 px-4 py-2 text-sm font-semibold text-white hover:bg-rose-700 focus:outline-none \
                      focus-visible:ring-2 focus-visible:ring-rose-500 focus-visible:ring-offset-2 disabled:opacity-60";

#[component]
pub fn MyBookingsPage() -> impl IntoView {
    let lang = use_lang();
    view! {
        <Title text=t(lang, Key::NavMyBookings)/>
        <Suspense fallback=move || view! { <p>{t(lang, Key::Loading)}</p> }>
            {move || Suspend::new(async move {
                match use_session().user.await {
                    Ok(Some(_)) => view! { <MyBookingsList/> }.into_any(),
                    Ok(None) => view! { <Redirect path="/login"/> }.into_any(),
                    Err(error) => view! { <ErrorNotice error/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn MyBookingsList() -> impl IntoView {
    let lang = use_lang();
    // Bumped by a successful cancel, so the list reloads.
    let changed = RwSignal::new(0u32);
    // The booking just cancelled, for the confirmation above the list.
    let cancelled = RwSignal::new(None::<i64>);
    let list = json_resource(move || changed.get(), |_| my_bookings());
    view! {
        <section class="space-y-8" data-testid="my-bookings">
            <h1 class="text-3xl font-bold tracking-tight text-slate-900">{t(lang, Key::NavMyBookings)}</h1>
            <PaymentReturn/>
            {move || cancelled.get().map(|id| view! {
                <p role="status" data-testid="cancel-done" data-booking-id=id
                    class="rounded-md border border-emerald-200 bg-emerald-50 px-4 py-3 text-sm text-emerald-800">
                    {t(lang, Key::BookingCancelledNow)}
                </p>
            })}
            <Transition fallback=move || view! { <p>{t(lang, Key::Loading)}</p> }>
                {move || Suspend::new(async move {
                    match list.await {
                        Ok(bookings) => view! {
                            <BookingSection title=Key::UpcomingSection empty=Key::NoOwnUpcomingBookings testid="upcoming"
                                bookings=bookings.upcoming upcoming=true changed cancelled/>
                            <BookingSection title=Key::PastSection empty=Key::NoOwnPastBookings testid="past"
                                bookings=bookings.past upcoming=false changed cancelled/>
                        }
                        .into_any(),
                        Err(error) => view! { <ErrorNotice error/> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

#[component]
fn BookingSection(
    title: Key,
    empty: Key,
    testid: &'static str,
    bookings: Vec<MyBooking>,
    upcoming: bool,
    changed: RwSignal<u32>,
    cancelled: RwSignal<Option<i64>>,
) -> impl IntoView {
    let lang = use_lang();
    let heading_id = format!("{testid}-heading");
    let labelled_by = heading_id.clone();
    view! {
        <section class="space-y-3" data-testid=testid aria-labelledby=labelled_by>
            <h2 id=heading_id class="text-xl font-semibold text-slate-800">{t(lang, title)}</h2>
            {if bookings.is_empty() {
                view! {
                    <div class="space-y-3 rounded-lg border border-dashed border-slate-300 p-6 text-center" data-testid="empty">
                        <p class="text-slate-600">{t(lang, empty)}</p>
                        {upcoming.then(|| view! { <a href="/panel" class=format!("inline-block {BUTTON}")>{t(lang, Key::BookSomething)}</a> })}
                    </div>
                }
                .into_any()
            } else {
                view! {
                    <ul class="grid gap-4 md:grid-cols-2">
                        {bookings.into_iter().map(|booking| view! { <BookingCard booking upcoming changed cancelled/> }).collect_view()}
                    </ul>
                }
                .into_any()
            }}
        </section>
    }
}

#[component]
fn BookingCard(booking: MyBooking, upcoming: bool, changed: RwSignal<u32>, cancelled: RwSignal<Option<i64>>) -> impl IntoView {
    let lang = use_lang();
    let id = booking.id;
    let cancel = match (upcoming, booking.cancel.clone()) {
        (true, CancelNow::Until(until)) => view! { <CancelForm booking_id=id until timezone=booking.timezone.clone() changed cancelled/> }.into_any(),
        (true, CancelNow::TooLate { hours }) => view! {
            <p data-testid="cancel-closed" class="rounded-md border border-amber-200 bg-amber-50 px-3 py-2 text-sm text-amber-900">
                {cancel_closed_text(lang, hours)}
            </p>
        }
        .into_any(),
        _ => ().into_any(),
    };
    let review = match booking.review.clone() {
        ReviewNow::Open => view! { <ReviewForm booking_id=id changed/> }.into_any(),
        ReviewNow::Given { rating, comment } => view! {
            <div class="space-y-1 text-sm" data-testid="my-review">
                <p class="text-slate-600">{t(lang, Key::YourReview)}": "<Stars rating/></p>
                {(!comment.is_empty()).then(|| view! { <p class="whitespace-pre-line text-slate-800">{comment}</p> })}
            </div>
        }
        .into_any(),
        ReviewNow::Unavailable => ().into_any(),
    };
    view! {
        <li class="flex flex-col gap-3 rounded-lg border border-slate-200 bg-white p-4 shadow-sm"
            data-testid="my-booking" data-booking-id=id data-status=booking.status.as_str() data-resource=booking.resource_slug.clone()>
            <div class="flex items-start justify-between gap-2">
                <div>
                    <p class="font-semibold text-slate-900">{booking.resource_name.clone()}</p>
                    <p class="text-sm text-slate-600">{kind_name(lang, &booking.resource_kind)}</p>
                </div>
                <span data-testid="status-badge" class=format!("rounded-full px-2 py-0.5 text-xs font-semibold {}", booking_status_badge(booking.status))>
                    {booking_status_name(lang, booking.status)}
                </span>
            </div>
            <dl class="grid grid-cols-[auto_1fr] gap-x-4 gap-y-1 text-sm">
                <dt class="text-slate-500">{t(lang, Key::DateAndTime)}</dt>
                <dd class="text-slate-900" data-testid="when">{booking.when.clone()}" ("{booking.timezone.clone()}")"</dd>
                <dt class="text-slate-500">{t(lang, Key::Price)}</dt>
                <dd class="text-slate-900" data-testid="price">{booking.price.clone()}</dd>
                <dt class="text-slate-500">{t(lang, Key::PartySize)}</dt>
                <dd class="text-slate-900">{booking.party_size}</dd>
                {(!booking.notes.trim().is_empty()).then(|| view! {
                    <dt class="text-slate-500">{t(lang, Key::Notes)}</dt>
                    <dd class="whitespace-pre-line text-slate-900">{booking.notes.clone()}</dd>
                })}
                {booking.attendance_confirmed_at.clone().map(|at| view! {
                    <dt class="text-slate-500">{t(lang, Key::AttendanceConfirmedAt)}</dt>
                    <dd class="text-slate-900" data-testid="attendance-confirmed-at">{at}</dd>
                })}
                <dt class="text-slate-500">{t(lang, Key::PaymentLabel)}</dt>
                <dd class="text-slate-900" data-testid="payment-status" data-payment-status=booking.payment_status.as_str()>
                    {payment_status_name(lang, booking.payment_status)}
                </dd>
                {booking.deposit.clone().map(|deposit| view! {
                    <dt class="text-slate-500">{t(lang, Key::DepositLabel)}</dt>
                    <dd class="text-slate-900" data-testid="deposit">{deposit}</dd>
                })}
                <dt class="text-slate-500">{t(lang, Key::BookingNumber)}</dt>
                <dd class="text-slate-900">{format!("#{id}")}</dd>
            </dl>
            {upcoming.then(|| view! { <DepositNotice booking_id=id how=booking.deposit_payment/> })}
            {(upcoming && matches!(booking.status, BookingStatus::Pending | BookingStatus::Confirmed)).then(|| view! {
                // A server route that hands over to the signed reschedule page.
                <a href=format!("/mis-reservas/{id}/cambiar") rel="external" data-testid="reschedule-link"
                    class="self-start text-sm font-medium text-indigo-700 hover:underline">{t(lang, Key::ChangeDateLink)}</a>
            })}
            {cancel}
            {review}
        </li>
    }
}

/// The message for a client back from the payment page (`?pago=ok`,
/// `cancelado` or `error`).
#[component]
fn PaymentReturn() -> impl IntoView {
    let lang = use_lang();
    let query = leptos_router::hooks::use_query_map();
    move || {
        let (key, tone) = match query.read().get("pago").as_deref() {
            Some("ok") => (Key::PaymentReturnedOk, "border-emerald-200 bg-emerald-50 text-emerald-800"),
            Some("cancelado") => (Key::PaymentReturnedCancelled, "border-amber-200 bg-amber-50 text-amber-900"),
            Some("error") => (Key::PaymentReturnedError, "border-rose-200 bg-rose-50 text-rose-800"),
            _ => return None,
        };
        Some(view! {
            <p role="status" data-testid="payment-return" class=format!("rounded-md border px-4 py-3 text-sm {tone}")>{t(lang, key)}</p>
        })
    }
}

/// What the client does about a deposit still owed: pay it here (a plain
/// form to the provider's page) or at the place.
#[component]
fn DepositNotice(booking_id: i64, how: DepositPayment) -> impl IntoView {
    let lang = use_lang();
    match how {
        DepositPayment::Online => view! {
            <form method="post" action=PAY_DEPOSIT_PATH class="space-y-2" data-testid="pay-deposit-form">
                <p class="text-sm text-slate-600">{t(lang, Key::PayDepositHelp)}</p>
                <input type="hidden" name="booking_id" value=booking_id/>
                <button type="submit" class=BUTTON>{t(lang, Key::PayDeposit)}</button>
            </form>
        }
        .into_any(),
        DepositPayment::InPerson => view! {
            <p data-testid="deposit-in-person" class="rounded-md border border-amber-200 bg-amber-50 px-3 py-2 text-sm text-amber-900">
                {t(lang, Key::DepositPaidInPerson)}
            </p>
        }
        .into_any(),
        DepositPayment::None => ().into_any(),
    }
}

/// The cancel button opens (a `<details>`, so no JavaScript is needed) an
/// optional reason and the confirm button. Each card has its own action, so
/// a refusal is shown on the booking it is about.
#[component]
fn CancelForm(booking_id: i64, until: String, timezone: String, changed: RwSignal<u32>, cancelled: RwSignal<Option<i64>>) -> impl IntoView {
    let lang = use_lang();
    let act = ServerAction::<CancelMyBooking>::new();
    Effect::new(move |_| {
        if matches!(act.value().get(), Some(Ok(_))) {
            cancelled.set(Some(booking_id));
            changed.update(|n| *n += 1);
        }
    });
    let error = move || act.value().get().and_then(Result::err);
    let reason_problem = move || error().and_then(|e| e.field_problem("reason"));
    let reason_id = format!("cancel-{booking_id}-reason");
    let error_id = format!("{reason_id}-error");
    let described_by = {
        let error_id = error_id.clone();
        move || reason_problem().map(|_| error_id.clone())
    };
    view! {
        <p class="text-sm text-slate-600" data-testid="cancel-until">{t(lang, Key::CancelUntil)}" "{until}" ("{timezone}")."</p>
        <details class="text-sm" data-testid="cancel-details">
            <summary class="inline-block cursor-pointer rounded-md border border-rose-300 px-3 py-1.5 font-semibold text-rose-700 hover:bg-rose-50 \
                            focus:outline-none focus-visible:ring-2 focus-visible:ring-rose-500">
                {t(lang, Key::CancelBookingOpen)}
            </summary>
            <ActionForm action=act attr:class="mt-3 space-y-3" attr:data-testid="cancel-form">
                <input type="hidden" name="booking_id" value=booking_id/>
                <div class="space-y-1">
                    <label for=reason_id.clone() class="block font-medium text-slate-700">{t(lang, Key::CancelReasonOptional)}</label>
                    <textarea id=reason_id name="reason" rows="2" maxlength=REASON_MAX_CHARS
                        aria-invalid=move || reason_problem().is_some().to_string()
                        aria-describedby=described_by
                        class="block w-full rounded-md border border-slate-300 px-3 py-2 shadow-sm focus:border-indigo-500 focus:outline-none \
                               focus:ring-2 focus:ring-indigo-500 aria-[invalid=true]:border-rose-500"></textarea>
                    {move || reason_problem().map(|p: Problem| view! {
                        <p id=error_id.clone() role="alert" class="text-rose-700">{problem_text(lang, p)}</p>
                    })}
                </div>
                {move || error().filter(|e| e.field_problem("reason").is_none()).map(|e| view! {
                    <p role="alert" data-testid="cancel-error" class="rounded-md border border-rose-200 bg-rose-50 px-3 py-2 text-rose-800">
                        {refusal_text(lang, &e)}
                    </p>
                })}
                <button type="submit" disabled=move || act.pending().get() class=DANGER>{t(lang, Key::ConfirmCancel)}</button>
            </ActionForm>
        </details>
    }
}

/// A refused cancellation names the cutoff; other errors read as usual.
fn refusal_text(lang: crate::domain::account::Lang, error: &AppError) -> String {
    match error {
        AppError::Booking(BookingError::Cancel(refusal)) => cancel_refusal_text(lang, refusal),
        other => error_text(lang, other),
    }
}
