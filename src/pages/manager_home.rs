use crate::app::json_resource;
use crate::components::error_notice::ErrorNotice;
use crate::components::live::use_booking_events;
use crate::components::resource_groups::ResourceGroups;
use crate::components::review::ReviewsToReplySection;
use crate::domain::account::{Lang, Problem, Role};
use crate::domain::booking::{BookingError, BookingStatus};
use crate::error::AppError;
use crate::i18n::{booking_status_name, cancel_refusal_text, error_text, payment_status_name, problem_text, t, use_lang, Key};
use crate::pages::panel::RoleHeading;
use crate::server_fns::auth::UserInfo;
use crate::server_fns::my_bookings::REASON_MAX_CHARS;
use crate::components::photo_manager::{photo_problem_for, PhotoManager};
use crate::server_fns::panel::{
    managed_booking, managed_bookings, managed_photos, managed_resources, BookingLine, ManageBooking, ManagerBookingLists, RecordPayment,
};
use leptos::either::{Either, EitherOf3};
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn ManagerHome(user: UserInfo) -> impl IntoView {
    let lang = use_lang();
    let resources = json_resource(move || user.id, |_| managed_resources());
    let (reload, set_reload) = signal(0u32);
    let latest = json_resource(move || reload.get(), |_| managed_bookings());
    // New requests announced while the page is open, until dismissed.
    let alerts = RwSignal::new(Vec::<BookingLine>::new());
    let live = use_booking_events(move |change| {
        set_reload.update(|n| *n += 1);
        if change.new_request {
            leptos::task::spawn_local(async move {
                if let Ok(line) = managed_booking(change.booking_id).await {
                    alerts.update(|shown| {
                        if !shown.iter().any(|l| l.id == line.id) {
                            shown.push(line);
                        }
                    });
                }
            });
        }
    });
    // Changes made while the stream was closed are not replayed: reload when it (re)opens.
    Effect::new(move |was_open: Option<bool>| {
        let open = live.get();
        if open && was_open == Some(false) {
            set_reload.update(|n| *n += 1);
        }
        open
    });
    view! {
        <Title text=t(lang, Key::ManagerHomeTitle)/>
        <RoleHeading role=Role::Manager title=t(lang, Key::ManagerHomeTitle)>
            <div class="space-y-3 empty:hidden">
                <For each=move || alerts.get() key=|line| line.id let:line>
                    <NewRequestAlert line alerts/>
                </For>
            </div>
            <section class="space-y-3" data-testid="latest-bookings" data-live=move || live.get().to_string()>
                <div class="flex items-center gap-3">
                    <h2 class="text-xl font-semibold text-slate-800">{t(lang, Key::LatestBookings)}</h2>
                    <a href="/panel/calendario" class="text-sm font-medium text-indigo-700 hover:underline">{t(lang, Key::BookingCalendar)}</a>
                    <Show when=move || live.get()>
                        <span class="rounded-full bg-emerald-100 px-2 py-0.5 text-xs font-semibold text-emerald-800">
                            {t(lang, Key::LiveUpdates)}
                        </span>
                    </Show>
                </div>
                <Transition fallback=move || view! { <p>{t(lang, Key::Loading)}</p> }>
                    {move || Suspend::new(async move {
                        match latest.await {
                            Ok(lists) if lists.is_empty() => EitherOf3::A(view! { <p>{t(lang, Key::NoUpcomingBookings)}</p> }),
                            Ok(lists) => EitherOf3::B(view! { <ManagedLists lists reload=set_reload/> }),
                            Err(error) => EitherOf3::C(view! { <ErrorNotice error/> }),
                        }
                    })}
                </Transition>
            </section>
            <h2 class="text-xl font-semibold text-slate-800">{t(lang, Key::YourResources)}</h2>
            <Suspense fallback=move || view! { <p>{t(lang, Key::Loading)}</p> }>
                {move || Suspend::new(async move {
                    match resources.await {
                        Ok(groups) if groups.is_empty() => EitherOf3::A(view! { <p>{t(lang, Key::NoResources)}</p> }),
                        Ok(groups) => EitherOf3::B(view! { <ResourceGroups groups editable=true/> }),
                        Err(error) => EitherOf3::C(view! { <ErrorNotice error/> }),
                    }
                })}
            </Suspense>
            <ReviewsToReplySection/>
            <ManagedPhotos/>
        </RoleHeading>
    }
}

/// The photos of each managed resource, shown on its public profile.
#[component]
fn ManagedPhotos() -> impl IntoView {
    let lang = use_lang();
    let photos = json_resource(|| (), |_| managed_photos());
    view! {
        <section class="space-y-3" data-testid="managed-photos">
            <h2 class="text-xl font-semibold text-slate-800">{t(lang, Key::Photos)}</h2>
            <Suspense fallback=move || view! { <p>{t(lang, Key::Loading)}</p> }>
                {move || Suspend::new(async move {
                    match photos.await {
                        Ok(all) => Either::Left(all.into_iter().map(|resource| view! {
                            <details class="rounded-lg border border-slate-200 bg-white p-4 text-sm shadow-sm"
                                open=photo_problem_for(resource.id).is_some() data-resource-id=resource.id>
                                <summary class="cursor-pointer font-medium text-slate-900">
                                    {format!("{} · {} ({})", resource.name, t(lang, Key::Photos), resource.photos.len())}
                                </summary>
                                <div class="mt-3">
                                    <PhotoManager resource_id=resource.id photos=resource.photos name=resource.name back="/panel"/>
                                </div>
                            </details>
                        }).collect_view()),
                        Err(error) => Either::Right(view! { <ErrorNotice error/> }),
                    }
                })}
            </Suspense>
        </section>
    }
}

#[component]
fn NewRequestAlert(line: BookingLine, alerts: RwSignal<Vec<BookingLine>>) -> impl IntoView {
    let lang = use_lang();
    let id = line.id;
    view! {
        <div role="alert" data-testid="new-request-alert" data-booking-id=id
            class="flex items-start justify-between gap-4 rounded-md border border-amber-300 bg-amber-50 p-4 text-amber-900">
            <p>
                <span class="font-semibold">{t(lang, Key::NewBookingRequest)}": "</span>
                {format!("{} — {}", line.resource, line.guest_name)}
                <span class="block text-sm">{line.starts}</span>
            </p>
            <button type="button" aria-label=t(lang, Key::DismissAlert) title=t(lang, Key::DismissAlert)
                on:click=move |_| alerts.update(|shown| shown.retain(|l| l.id != id))
                class="rounded px-2 text-lg leading-none hover:bg-amber-100 focus:outline-none focus-visible:ring-2 focus-visible:ring-amber-500">
                "×"
            </button>
        </div>
    }
}

/// Pending requests first, in their own section, then the other upcoming bookings.
#[component]
fn ManagedLists(lists: ManagerBookingLists, reload: WriteSignal<u32>) -> impl IntoView {
    let lang = use_lang();
    let ManagerBookingLists { pending, upcoming } = lists;
    view! {
        <section class="space-y-2" data-testid="pending-requests" aria-labelledby="pending-requests-heading">
            <h3 id="pending-requests-heading" class="text-lg font-semibold text-slate-800">{t(lang, Key::PendingRequests)}</h3>
            {if pending.is_empty() {
                Either::Left(view! { <p class="text-slate-600">{t(lang, Key::NoPendingRequests)}</p> })
            } else {
                Either::Right(view! { <LatestBookings lines=pending reload/> })
            }}
        </section>
        {(!upcoming.is_empty()).then(|| view! {
            <section class="space-y-2" data-testid="other-bookings" aria-labelledby="other-bookings-heading">
                <h3 id="other-bookings-heading" class="text-lg font-semibold text-slate-800">{t(lang, Key::OtherUpcomingBookings)}</h3>
                <LatestBookings lines=upcoming reload/>
            </section>
        })}
    }
}

#[component]
fn LatestBookings(lines: Vec<BookingLine>, reload: WriteSignal<u32>) -> impl IntoView {
    let lang = use_lang();
    view! {
        <div class="overflow-x-auto rounded-lg border border-slate-200 bg-white shadow-sm">
            <table class="min-w-full text-left text-sm">
                <thead class="bg-slate-50 text-slate-600">
                    <tr>
                        <th scope="col" class="px-4 py-2 font-semibold">{t(lang, Key::Resource)}</th>
                        <th scope="col" class="px-4 py-2 font-semibold">{t(lang, Key::Starts)}</th>
                        <th scope="col" class="px-4 py-2 font-semibold">{t(lang, Key::BookingName)}</th>
                        <th scope="col" class="px-4 py-2 font-semibold">{t(lang, Key::Status)}</th>
                        <th scope="col" class="px-4 py-2 font-semibold">{t(lang, Key::BookingActions)}</th>
                    </tr>
                </thead>
                <tbody class="divide-y divide-slate-100">
                    {lines.into_iter().map(|line| {
                        let id = line.id;
                        let status = line.status;
                        let jobs = line.job_actions();
                        let payment = line.payment_status;
                        let takes_payments = !matches!(status, BookingStatus::Cancelled | BookingStatus::Rejected | BookingStatus::Expired)
                            || line.payment_status != crate::domain::payment::PaymentStatus::Unpaid;
                        view! {
                            <tr data-testid="booking-line" data-booking-id=id data-status=status.as_str() class="align-top">
                                <td class="px-4 py-2 text-slate-900">{line.resource}</td>
                                <td class="px-4 py-2 whitespace-nowrap">{line.starts}</td>
                                <td class="px-4 py-2">
                                    <a href=format!("/panel/reservas/{id}") data-testid="booking-detail-link" class="font-medium text-indigo-700 hover:underline">{line.guest_name}</a>
                                </td>
                                <td class="px-4 py-2">
                                    {booking_status_name(lang, status)}
                                    {line.attendance_confirmed.map(|at| view! {
                                        <span data-testid="attendance-confirmed" class="mt-1 block text-xs font-semibold text-emerald-700">
                                            {format!("{} {at}", t(lang, Key::AttendanceConfirmedAt))}
                                        </span>
                                    })}
                                    <span class="mt-1 block text-xs text-slate-600">
                                        {format!("{}: ", t(lang, Key::PaymentLabel))}
                                        <span data-testid="payment-status" data-payment-status=payment.as_str()>{payment_status_name(lang, payment)}</span>
                                    </span>
                                    {line.deposit.clone().filter(|_| line.deposit_owed).map(|deposit| view! {
                                        <span data-testid="deposit-owed" class="mt-1 block text-xs font-semibold text-amber-700">
                                            {format!("{}: {deposit}", t(lang, Key::DepositOwedLabel))}
                                        </span>
                                    })}
                                </td>
                                <td class="px-4 py-2">
                                    <div class="flex flex-col gap-2">
                                        {(status == BookingStatus::Pending).then(|| view! {
                                            <ManageForm booking_id=id action="confirm" reload/>
                                            <ManageForm booking_id=id action="reject" reload/>
                                        })}
                                        {jobs.iter().map(|action| view! { <ManageForm booking_id=id action reload/> }).collect_view()}
                                        {matches!(status, BookingStatus::Pending | BookingStatus::Confirmed).then(|| view! {
                                            <ManageForm booking_id=id action="cancel" reload/>
                                        })}
                                        {takes_payments.then(|| view! { <PaymentForm booking_id=id deposit_owed=line.deposit_owed reload/> })}
                                    </div>
                                </td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}

const CONFIRM_BUTTON: &str = "rounded-md bg-emerald-600 px-3 py-1.5 text-sm font-semibold text-white hover:bg-emerald-700 \
                              focus:outline-none focus-visible:ring-2 focus-visible:ring-emerald-500 focus-visible:ring-offset-2 disabled:opacity-60";
const DANGER_BUTTON: &str = "rounded-md bg-rose-600 px-3 py-1.5 text-sm font-semibold text-white hover:bg-rose-700 \
                             focus:outline-none focus-visible:ring-2 focus-visible:ring-rose-500 focus-visible:ring-offset-2 disabled:opacity-60";

/// One action on one booking, as its own form (it works without JavaScript
/// too). Confirming is one button; rejecting and cancelling open (a
/// `<details>`) a required reason first. A refusal shows on this booking.
#[component]
fn ManageForm(booking_id: i64, action: &'static str, reload: WriteSignal<u32>) -> impl IntoView {
    let lang = use_lang();
    let act = ServerAction::<ManageBooking>::new();
    Effect::new(move |_| {
        if matches!(act.value().get(), Some(Ok(_))) {
            reload.update(|n| *n += 1);
        }
    });
    let error = move || act.value().get().and_then(Result::err);
    let reason_problem = move || error().and_then(|e| e.field_problem("reason"));
    let refusal = move || {
        error().filter(|e| e.field_problem("reason").is_none()).map(|e| view! {
            <p role="alert" data-testid="manage-error" class="rounded-md border border-rose-200 bg-rose-50 px-3 py-2 text-sm text-rose-800">
                {refusal_text(lang, &e)}
            </p>
        })
    };
    if let Some(label) = one_click_label(action) {
        return Either::Left(view! {
            <ActionForm action=act attr:data-testid=format!("{action}-form") attr:class="space-y-2">
                <input type="hidden" name="booking_id" value=booking_id/>
                <input type="hidden" name="action" value=action/>
                <button type="submit" disabled=move || act.pending().get() class=CONFIRM_BUTTON>{t(lang, label)}</button>
                {refusal}
            </ActionForm>
        });
    }
    let (open_label, submit_label) = if action == "reject" {
        (Key::RejectBookingAction, Key::ConfirmReject)
    } else {
        (Key::CancelBookingAction, Key::ConfirmCancel)
    };
    let reason_id = format!("{action}-{booking_id}-reason");
    let error_id = format!("{reason_id}-error");
    let described_by = {
        let error_id = error_id.clone();
        move || reason_problem().map(|_| error_id.clone())
    };
    // Stays open when the reason is refused, so the message is seen.
    let open = move || error().is_some();
    Either::Right(view! {
        <details class="text-sm" data-testid=format!("{action}-details") open=open>
            <summary class="inline-block cursor-pointer rounded-md border border-rose-300 px-3 py-1.5 font-semibold text-rose-700 hover:bg-rose-50 \
                            focus:outline-none focus-visible:ring-2 focus-visible:ring-rose-500">
                {t(lang, open_label)}
            </summary>
            <ActionForm action=act attr:class="mt-2 space-y-2" attr:data-testid=format!("{action}-form")>
                <input type="hidden" name="booking_id" value=booking_id/>
                <input type="hidden" name="action" value=action/>
                <div class="space-y-1">
                    <label for=reason_id.clone() class="block font-medium text-slate-700">{t(lang, Key::ReasonLabel)}</label>
                    <textarea id=reason_id name="reason" rows="2" maxlength=REASON_MAX_CHARS
                        // Not `required`: the server's own message shows next to the field, with or without JavaScript.
                        aria-required="true"
                        aria-invalid=move || reason_problem().is_some().to_string()
                        aria-describedby=described_by
                        class="block w-full min-w-48 rounded-md border border-slate-300 px-3 py-2 shadow-sm focus:border-indigo-500 \
                               focus:outline-none focus:ring-2 focus:ring-indigo-500 aria-[invalid=true]:border-rose-500"></textarea>
                    {move || reason_problem().map(|p: Problem| view! {
                        <p id=error_id.clone() role="alert" data-testid="reason-error" class="text-rose-700">{problem_text(lang, p)}</p>
                    })}
                </div>
                {refusal}
                <button type="submit" disabled=move || act.pending().get() class=DANGER_BUTTON>{t(lang, submit_label)}</button>
            </ActionForm>
        </details>
    })
}

/// The button of an action taken in one click (no reason asked).
fn one_click_label(action: &str) -> Option<Key> {
    match action {
        "confirm" => Some(Key::ConfirmBookingAction),
        "check_in" => Some(Key::StartJob),
        "check_out" => Some(Key::CompleteJob),
        "mark_no_show" => Some(Key::MarkNoShowAction),
        _ => None,
    }
}

const FIELD: &str = "block w-full min-w-32 rounded-md border border-slate-300 px-2 py-1.5 shadow-sm focus:border-indigo-500 \
                     focus:outline-none focus:ring-2 focus:ring-indigo-500 aria-[invalid=true]:border-rose-500";

/// "Registrar pago": money taken (or given back) by hand, in whole currency
/// units; a refused value is named next to its field. The kind starts as
/// the deposit while one is owed.
#[component]
fn PaymentForm(booking_id: i64, deposit_owed: bool, reload: WriteSignal<u32>) -> impl IntoView {
    let lang = use_lang();
    let act = ServerAction::<RecordPayment>::new();
    Effect::new(move |_| {
        if matches!(act.value().get(), Some(Ok(_))) {
            reload.update(|n| *n += 1);
        }
    });
    let error = move || act.value().get().and_then(Result::err);
    let about = move |field: &'static str| move || error().filter(|e| e.field() == Some(field)).map(|e| error_text(lang, &e));
    let other = move || error().filter(|e| !matches!(e.field(), Some("amount" | "kind" | "method")));
    let amount_id = format!("payment-{booking_id}-amount");
    let amount_error_id = format!("{amount_id}-error");
    let described_by = {
        let id = amount_error_id.clone();
        move || about("amount")().map(|_| id.clone())
    };
    let option = move |value: &'static str, key: Key, selected: bool| view! { <option value=value selected=selected>{t(lang, key)}</option> };
    view! {
        <ActionForm action=act attr:class="space-y-2 rounded-md border border-slate-200 p-2 text-sm" attr:data-testid="record-payment">
            <input type="hidden" name="booking_id" value=booking_id/>
            <div class="flex flex-wrap gap-2">
                <label class="font-medium text-slate-700">
                    {t(lang, Key::PaymentKindLabel)}
                    <select name="kind" class=FIELD>
                        {option("payment", Key::PaymentKindPayment, !deposit_owed)}
                        {option("deposit", Key::PaymentKindDeposit, deposit_owed)}
                        {option("refund", Key::PaymentKindRefund, false)}
                    </select>
                </label>
                <label class="font-medium text-slate-700">
                    {t(lang, Key::PaymentMethodLabel)}
                    <select name="method" class=FIELD>
                        {option("cash", Key::PaymentMethodCash, true)}
                        {option("transfer", Key::PaymentMethodTransfer, false)}
                    </select>
                </label>
            </div>
            {move || about("kind")().or_else(about("method")).map(|text| view! { <p role="alert" class="text-rose-700">{text}</p> })}
            <div class="space-y-1">
                <label for=amount_id.clone() class="block font-medium text-slate-700">{t(lang, Key::AmountLabel)}</label>
                <input id=amount_id name="amount" inputmode="decimal" autocomplete="off" class=FIELD
                    aria-invalid=move || about("amount")().is_some().to_string() aria-describedby=described_by/>
                {move || about("amount")().map(|text| view! {
                    <p id=amount_error_id.clone() role="alert" data-testid="amount-error" class="text-rose-700">{text}</p>
                })}
            </div>
            {move || other().map(|e| view! {
                <p role="alert" data-testid="payment-error" class="rounded-md border border-rose-200 bg-rose-50 px-3 py-2 text-rose-800">
                    {error_text(lang, &e)}
                </p>
            })}
            <button type="submit" disabled=move || act.pending().get() class=CONFIRM_BUTTON>{t(lang, Key::RecordPayment)}</button>
        </ActionForm>
    }
}

/// A refused cancellation names its reason; other errors read as usual.
fn refusal_text(lang: Lang, error: &AppError) -> String {
    match error {
        AppError::Booking(BookingError::Cancel(refusal)) => cancel_refusal_text(lang, refusal),
        other => error_text(lang, other),
    }
}
