//! /panel/reservas/:id: one booking for its resource's managers and admins:
//! who and when (in the resource's zone), what for, its price, its history,
//! and a form to move it (the client is told). Works without JavaScript.

use crate::app::json_resource;
use crate::components::error_notice::{set_response_status, ErrorNotice};
use crate::components::styles::{booking_status_badge, PRIMARY_BUTTON, TEXT_INPUT};
use crate::error::AppError;
use crate::domain::payment::PaymentKind;
use crate::i18n::{booking_status_name, error_text, payment_status_name, t, use_lang, Key};
use crate::pages::not_found::NotFoundPage;
use crate::server_fns::booking_detail::{booking_detail, BookingView, HistoryLine, MoveBooking};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Redirect;
use leptos_router::hooks::use_params_map;

#[component]
pub fn BookingDetailPage() -> impl IntoView {
    let lang = use_lang();
    let params = use_params_map();
    let id = move || params.read().get("id").and_then(|id| id.parse::<i64>().ok()).unwrap_or(0);
    let move_to = ServerAction::<MoveBooking>::new();
    let detail = json_resource(move || (id(), move_to.version().get()), |(id, _)| booking_detail(id));
    view! {
        <Transition fallback=move || view! { <p>{t(lang, Key::Loading)}</p> }>
            {move || Suspend::new(async move {
                match detail.await {
                    Ok(detail) => view! { <Detail detail move_to/> }.into_any(),
                    Err(AppError::Unauthorized) => view! { <Redirect path=format!("/login?next=/panel/reservas/{}", id())/> }.into_any(),
                    Err(AppError::NotFound) => view! { <NotFoundPage/> }.into_any(),
                    Err(error) => {
                        set_response_status(&error);
                        view! { <ErrorNotice error/> }.into_any()
                    }
                }
            })}
        </Transition>
    }
}

#[component]
fn Detail(detail: BookingView, move_to: ServerAction<MoveBooking>) -> impl IntoView {
    let lang = use_lang();
    let when = detail.when.clone();
    let facts: Vec<(Key, String)> = [
        (Key::ClientWord, Some(detail.guest_name.clone())),
        (Key::Email, Some(detail.guest_email.clone())),
        (Key::ContactPhone, detail.guest_phone.clone()),
        (Key::ServiceWord, detail.service.clone()),
        (Key::PriceWord, Some(detail.price.clone())),
        (Key::VehicleWord, detail.vehicle.clone()),
        (Key::ProblemWord, detail.problem.clone()),
        (Key::EventType, detail.event_type.clone()),
        (Key::EventAddress, detail.address.clone()),
        (Key::RequestNotes, Some(detail.notes.clone()).filter(|n| !n.is_empty())),
    ]
    .into_iter()
    .filter_map(|(key, value)| Some((key, value?)))
    .collect();
    let title = format!("{} #{}", t(lang, Key::BookingWord), detail.id);
    view! {
        <Title text=title.clone()/>
        <article class="space-y-6" data-testid="booking-detail" data-booking-id=detail.id data-status=detail.status.as_str()>
            <header class="space-y-1">
                <h1 class="text-3xl font-bold tracking-tight text-slate-900">{title}</h1>
                <p class="text-lg text-slate-700">{detail.resource.clone()}" · "<span data-testid="booking-when">{when}</span></p>
                <p class="text-xs text-slate-500">{t(lang, Key::TimesInZone)}" "{detail.timezone.clone()}</p>
                <span class=format!("inline-block rounded px-2 py-0.5 text-sm font-medium {}", booking_status_badge(detail.status))>
                    {booking_status_name(lang, detail.status)}
                </span>
                <p class="flex gap-4 text-sm">
                    <a class="font-medium text-indigo-700 hover:underline" href="/panel">{t(lang, Key::BackToPanel)}</a>
                    <a class="font-medium text-indigo-700 hover:underline" href=format!("/panel/recursos/{}", detail.resource_id)>{t(lang, Key::EditResource)}</a>
                </p>
            </header>
            <dl class="grid grid-cols-[auto_1fr] gap-x-6 gap-y-2 rounded-lg border border-slate-200 bg-white p-4 text-sm" data-testid="booking-facts">
                {facts.into_iter().map(|(key, value)| view! {
                    <dt class="font-medium text-slate-500">{t(lang, key)}</dt>
                    <dd class="whitespace-pre-line text-slate-900">{value}</dd>
                }).collect_view()}
            </dl>
            <section class="space-y-2" data-testid="booking-payments">
                <h2 class="text-xl font-semibold text-slate-800">{t(lang, Key::PaymentLabel)}</h2>
                <p class="text-sm">
                    <span data-testid="payment-status">{payment_status_name(lang, detail.payment_status)}</span>
                    {detail.deposit_due.clone().map(|deposit| format!(" · {}: {deposit}", t(lang, Key::DepositPolicyLabel)))}
                </p>
                <ul class="space-y-1 text-sm">
                    {detail.payments.into_iter().map(|p| {
                        let kind = match p.kind {
                            PaymentKind::Deposit => Key::PaymentKindDeposit,
                            PaymentKind::Payment => Key::PaymentKindPayment,
                            PaymentKind::Refund => Key::PaymentKindRefund,
                        };
                        view! { <li data-testid="payment"><span class="font-mono text-slate-500">{p.at}</span>" · "{t(lang, kind)}" · "{p.amount}</li> }
                    }).collect_view()}
                </ul>
            </section>
            <MoveForm id=detail.id move_to/>
            <section class="space-y-2" data-testid="booking-history">
                <h2 class="text-xl font-semibold text-slate-800">{t(lang, Key::HistoryWord)}</h2>
                <ol class="space-y-1 text-sm">
                    {detail.history.into_iter().map(|HistoryLine { at, event }| {
                        let change = match event.from {
                            Some(from) => format!("{} → {}", booking_status_name(lang, from), booking_status_name(lang, event.to)),
                            None => booking_status_name(lang, event.to).to_string(),
                        };
                        let reason = (!event.reason.is_empty()).then(|| format!(" — {}", event.reason));
                        view! { <li><span class="font-mono text-slate-500">{at}</span>" · "{change}{reason}</li> }
                    }).collect_view()}
                </ol>
            </section>
        </article>
    }
}

/// A new local date and time for the booking; the same length is kept.
#[component]
fn MoveForm(id: i64, move_to: ServerAction<MoveBooking>) -> impl IntoView {
    let lang = use_lang();
    let error = move || move_to.value().get().and_then(Result::err);
    let moved = move || matches!(move_to.value().get(), Some(Ok(())));
    view! {
        <section class="space-y-2 rounded-lg border border-slate-200 bg-white p-4" data-testid="move-section">
            <h2 class="text-xl font-semibold text-slate-800">{t(lang, Key::MoveBookingTitle)}</h2>
            <ActionForm action=move_to attr:class="flex flex-wrap items-end gap-3" attr:data-testid="move-booking">
                <input type="hidden" name="booking_id" value=id/>
                <label class="space-y-1 text-sm">
                    <span class="block font-medium text-slate-700">{t(lang, Key::DateWord)}</span>
                    <input type="date" name="date" required=true class=TEXT_INPUT/>
                </label>
                <label class="space-y-1 text-sm">
                    <span class="block font-medium text-slate-700">{t(lang, Key::TimeWord)}</span>
                    <input type="time" name="time" required=true class=TEXT_INPUT/>
                </label>
                <button type="submit" class=PRIMARY_BUTTON disabled=move || move_to.pending().get()>{t(lang, Key::MoveBooking)}</button>
            </ActionForm>
            {move || error().map(|e| view! { <p role="alert" class="text-sm text-rose-700">{error_text(lang, &e)}</p> })}
            <Show when=moved>
                <p role="status" class="text-sm text-emerald-700">{t(lang, Key::ChangesSaved)}</p>
            </Show>
        </section>
    }
}
