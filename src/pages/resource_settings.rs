//! /panel/recursos/:id: a resource's managers and administrators change its
//! profile, weekly hours, date exceptions and booking rules. Each form is an
//! `ActionForm`, so it works without JavaScript too (a refusal comes back in
//! the URL and shows next to its field). Bookings that new hours leave
//! outside are listed as conflicts; they are never moved or cancelled here.

use crate::app::json_resource;
use crate::components::error_notice::{set_response_status, ErrorNotice};
use crate::components::field::Field;
use crate::components::styles::{PRIMARY_BUTTON, TEXT_INPUT};
use crate::domain::account::Problem;
use crate::domain::profile::{day_field, edited_attributes, DayForm, ServiceForm};
use crate::error::AppError;
use crate::i18n::{booking_status_name, error_text, long_date, problem_text, t, use_lang, weekday_name, Key};
use crate::pages::not_found::NotFoundPage;
use crate::server_fns::booking_detail::MoveBooking;
use crate::server_fns::panel::ManageBooking;
use crate::server_fns::resource_settings::{
    resource_settings, AddDateException, Conflict, DateException, RemoveDateException, EditableResource, SaveBookingRules,
    RemoveService, SaveResourceProfile, SaveService, SaveWeeklyHours,
};
use leptos::either::Either;
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_meta::Title;
use leptos_router::components::Redirect;
use leptos_router::hooks::use_params_map;

const SECTION: &str = "space-y-4 rounded-lg border border-slate-200 bg-white p-6 shadow-sm";
const HEADING: &str = "text-xl font-semibold text-slate-800";

/// The page's forms. They live as long as the page, so a form redrawn with
/// fresh data still shows its last answer.
#[derive(Clone, Copy)]
struct Forms {
    profile: ServerAction<SaveResourceProfile>,
    hours: ServerAction<SaveWeeklyHours>,
    add_exception: ServerAction<AddDateException>,
    remove_exception: ServerAction<RemoveDateException>,
    rules: ServerAction<SaveBookingRules>,
}

#[component]
pub fn ResourceSettingsPage() -> impl IntoView {
    let lang = use_lang();
    let params = use_params_map();
    let id = move || params.read().get("id").and_then(|id| id.parse::<i64>().ok()).unwrap_or(0);
    let saved = RwSignal::new(0u32);
    let forms = Forms {
        profile: ServerAction::new(),
        hours: ServerAction::new(),
        add_exception: ServerAction::new(),
        remove_exception: ServerAction::new(),
        rules: ServerAction::new(),
    };
    reload_after(forms.profile, saved);
    reload_after(forms.hours, saved);
    reload_after(forms.add_exception, saved);
    reload_after(forms.remove_exception, saved);
    reload_after(forms.rules, saved);
    let settings = json_resource(move || (id(), saved.get()), |(id, _)| resource_settings(id));
    view! {
        <Transition fallback=move || view! { <p>{t(lang, Key::Loading)}</p> }>
            {move || Suspend::new(async move {
                match settings.await {
                    Ok(settings) => Either::Left(view! { <Editor settings forms saved/> }),
                    // Kept erased: `Redirect` renders nothing, which an AnyView marks with a placeholder.
                    Err(AppError::Unauthorized) => {
                        Either::Right(view! { <Redirect path=format!("/login?next=/panel/recursos/{}", id())/> }.into_any())
                    }
                    Err(AppError::NotFound) => Either::Right(view! { <NotFoundPage/> }.into_any()),
                    Err(error) => {
                        set_response_status(&error);
                        Either::Right(view! { <ErrorNotice error/> }.into_any())
                    }
                }
            })}
        </Transition>
    }
}

/// Reloads the page's data each time `action` succeeds.
fn reload_after<S>(action: ServerAction<S>, saved: RwSignal<u32>)
where
    S: ServerFn<Error = AppError> + Clone + Send + Sync + 'static,
    S::Output: Clone + Send + Sync + 'static,
{
    Effect::new(move |_| {
        if matches!(action.value().get(), Some(Ok(_))) {
            saved.update(|n| *n += 1);
        }
    });
}

/// The last answer of a form: its error, and whether it saved.
fn answer<S>(action: ServerAction<S>) -> (Signal<Option<AppError>>, Signal<bool>)
where
    S: ServerFn<Error = AppError> + Clone + Send + Sync + 'static,
    S::Output: Clone + Send + Sync + 'static,
{
    (
        Signal::derive(move || action.value().get().and_then(Result::err)),
        Signal::derive(move || matches!(action.value().get(), Some(Ok(_)))),
    )
}

fn problem_of(error: Signal<Option<AppError>>, field: String) -> Signal<Option<Problem>> {
    Signal::derive(move || error.get().and_then(|e| e.field_problem(&field)))
}

/// A save button, "saved" after success, and an error not about one field.
#[component]
fn Submit(label: Key, error: Signal<Option<AppError>>, done: Signal<bool>, #[prop(into)] pending: Signal<bool>) -> impl IntoView {
    let lang = use_lang();
    view! {
        {move || error.get().filter(|e| e.field().is_none()).map(|error| view! { <ErrorNotice error/> })}
        <div class="flex items-center gap-3">
            <button type="submit" class=PRIMARY_BUTTON disabled=move || pending.get()>{t(lang, label)}</button>
            <Show when=move || done.get()>
                <span role="status" data-testid="saved" class="text-sm text-emerald-700">{t(lang, Key::ChangesSaved)}</span>
            </Show>
        </div>
    }
}

#[component]
fn Editor(settings: EditableResource, forms: Forms, saved: RwSignal<u32>) -> impl IntoView {
    let lang = use_lang();
    let EditableResource { id, slug, timezone, today, profile, days, exceptions, rules, services, currency, conflicts } = settings;
    let name = profile.name.clone();
    view! {
        <Title text=format!("{} · {name}", t(lang, Key::EditResource))/>
        <section class="space-y-6" data-testid="resource-settings" data-resource-id=id>
            <div class="space-y-1">
                <h1 class="text-3xl font-bold tracking-tight text-slate-900">{name.clone()}</h1>
                <p class="text-sm text-slate-600">{t(lang, Key::TimesInZone)}" "{timezone.clone()}</p>
                <p class="flex gap-4 text-sm">
                    <a class="font-medium text-indigo-700 hover:underline" href=format!("/r/{slug}")>{t(lang, Key::ViewPublicProfile)}</a>
                    <a class="font-medium text-indigo-700 hover:underline" href="/panel">{t(lang, Key::BackToPanel)}</a>
                </p>
            </div>
            <ConflictList conflicts today=today.clone() saved/>
            <ProfileSection id profile action=forms.profile/>
            <HoursSection id days action=forms.hours/>
            <ExceptionsSection id today exceptions add=forms.add_exception remove=forms.remove_exception/>
            <ServicesSection id services currency saved/>
            <RulesSection id rules action=forms.rules/>
        </section>
    }
}

#[component]
fn ConflictList(conflicts: Vec<Conflict>, today: String, saved: RwSignal<u32>) -> impl IntoView {
    let lang = use_lang();
    (!conflicts.is_empty()).then(|| view! {
        <section role="alert" data-testid="conflicts" class="space-y-2 rounded-lg border border-amber-300 bg-amber-50 p-4 text-amber-900">
            <h2 class="text-lg font-semibold">{t(lang, Key::Conflicts)}</h2>
            <p class="text-sm">{t(lang, Key::ConflictsHelp)}</p>
            <ul class="list-disc space-y-1 pl-5 text-sm">
                {conflicts.into_iter().map(|c| view! {
                    <li data-testid="conflict" data-booking-id=c.id class="space-y-2">
                        <p>
                            <a class="font-medium underline" href=format!("/panel/reservas/{}", c.id)>
                                {format!("{} — {} ({})", c.when, c.guest_name, booking_status_name(lang, c.status))}
                            </a>
                        </p>
                        <ConflictActions booking_id=c.id today=today.clone() saved/>
                    </li>
                }).collect_view()}
            </ul>
        </section>
    })
}

/// Moving a conflicting booking to a new local date and time, or cancelling
/// it with a reason; its client is told either way.
#[component]
fn ConflictActions(booking_id: i64, today: String, saved: RwSignal<u32>) -> impl IntoView {
    let lang = use_lang();
    let move_to = ServerAction::<MoveBooking>::new();
    let cancel = ServerAction::<ManageBooking>::new();
    reload_after(move_to, saved);
    reload_after(cancel, saved);
    let (move_error, _) = answer(move_to);
    let (cancel_error, _) = answer(cancel);
    let move_problem = Signal::derive(move || move_error.get().map(|e| error_text(lang, &e)));
    let reason_problem = problem_of(cancel_error, "reason".into());
    let [date_id, time_id, reason_id] = ["date", "time", "reason"].map(|field| format!("conflict-{booking_id}-{field}"));
    view! {
        <div class="flex flex-wrap items-end gap-4">
            <ActionForm action=move_to attr:class="flex flex-wrap items-end gap-2" attr:data-testid="move-booking">
                <input type="hidden" name="booking_id" value=booking_id/>
                <label class="space-y-1">
                    <span class="block text-xs font-medium">{t(lang, Key::DateWord)}</span>
                    <input type="date" name="date" min=today required=true class=TEXT_INPUT id=date_id/>
                </label>
                <label class="space-y-1">
                    <span class="block text-xs font-medium">{t(lang, Key::TimeWord)}</span>
                    <input type="time" name="time" required=true class=TEXT_INPUT id=time_id/>
                </label>
                <button type="submit" class=PRIMARY_BUTTON>{t(lang, Key::MoveBooking)}</button>
            </ActionForm>
            <ActionForm action=cancel attr:class="flex flex-wrap items-end gap-2" attr:data-testid="cancel-conflict">
                <input type="hidden" name="booking_id" value=booking_id/>
                <input type="hidden" name="action" value="cancel"/>
                <label class="space-y-1">
                    <span class="block text-xs font-medium">{t(lang, Key::ConflictReason)}</span>
                    <input type="text" name="reason" class=TEXT_INPUT id=reason_id
                        aria-invalid=move || reason_problem.get().is_some().to_string()/>
                </label>
                <button type="submit" class="rounded-md border border-rose-300 px-3 py-2 text-sm font-semibold text-rose-700 hover:bg-rose-50">
                    {t(lang, Key::CancelBookingAction)}
                </button>
            </ActionForm>
        </div>
        {move || move_problem.get().map(|text| view! { <p role="alert" class="text-sm text-rose-700">{text}</p> })}
        {move || reason_problem.get().map(|p| view! { <p role="alert" class="text-sm text-rose-700">{problem_text(lang, p)}</p> })}
    }
}

#[component]
fn ProfileSection(id: i64, profile: crate::domain::profile::ProfileForm, action: ServerAction<SaveResourceProfile>) -> impl IntoView {
    let lang = use_lang();
    let (error, done) = answer(action);
    let problem = move |field: &str| problem_of(error, field.to_string());
    let description_problem = problem("description");
    let attributes = edited_attributes(&profile.kind).iter().map(|&field| {
        let (label, value) = match field {
            "genres" => (Key::GenresCommaSeparated, profile.genres.clone()),
            "seats" => (Key::Seats, profile.seats.clone()),
            _ => (Key::City, profile.city.clone()),
        };
        view! { <Field label=t(lang, label) name=field value id_prefix="profile-" problem=problem(field)/> }
    }).collect_view();
    view! {
        <section class=SECTION data-testid="profile-settings">
            <h2 class=HEADING>{t(lang, Key::ProfileSection)}</h2>
            <ActionForm action attr:class="space-y-4" attr:data-testid="profile-form">
                <input type="hidden" name="resource_id" value=id/>
                <Field label=t(lang, Key::Name) name="name" value=profile.name.clone() id_prefix="profile-" problem=problem("name")/>
                <div class="space-y-1">
                    <label for="profile-description" class="block text-sm font-medium text-slate-700">{t(lang, Key::Description)}</label>
                    <textarea id="profile-description" name="description" rows="4" class=TEXT_INPUT
                        aria-invalid=move || description_problem.get().is_some().to_string()>{profile.description.clone()}</textarea>
                    {move || description_problem.get().map(|p| view! { <p role="alert" class="text-sm text-rose-700">{problem_text(lang, p)}</p> })}
                </div>
                {attributes}
                <Submit label=Key::SaveProfile error done pending=action.pending()/>
            </ActionForm>
        </section>
    }
}

#[component]
fn HoursSection(id: i64, days: Vec<DayForm>, action: ServerAction<SaveWeeklyHours>) -> impl IntoView {
    let lang = use_lang();
    let (error, done) = answer(action);
    view! {
        <section class=SECTION data-testid="hours-settings">
            <h2 class=HEADING>{t(lang, Key::WeeklyHours)}</h2>
            <p class="text-sm text-slate-600">{t(lang, Key::HoursHelp)}</p>
            <ActionForm action attr:class="space-y-4" attr:data-testid="hours-form">
                <input type="hidden" name="resource_id" value=id/>
                <div class="divide-y divide-slate-100">
                    {days.into_iter().enumerate().map(|(monday0, day)| view! {
                        <DayRow monday0 day problem=problem_of(error, day_field(monday0))/>
                    }).collect_view()}
                </div>
                <Submit label=Key::SaveHours error done pending=action.pending()/>
            </ActionForm>
        </section>
    }
}

/// One weekday: closed, or open from–to (HH:MM).
#[component]
fn DayRow(monday0: usize, day: DayForm, problem: Signal<Option<Problem>>) -> impl IntoView {
    let lang = use_lang();
    let name = move |part: &str| format!("days[{monday0}][{part}]");
    let error_id = format!("day{monday0}-error");
    view! {
        <fieldset class="flex flex-wrap items-center gap-x-6 gap-y-2 py-2" data-testid="day-row" data-weekday=monday0
            aria-describedby=move || problem.get().map(|_| error_id.clone())>
            <legend class="sr-only">{weekday_name(lang, monday0)}</legend>
            <span aria-hidden="true" class="w-24 font-medium capitalize text-slate-800">{weekday_name(lang, monday0)}</span>
            <label class="flex items-center gap-2 text-sm">
                <input type="checkbox" name=name("closed") value="true" checked=day.closed/>
                {t(lang, Key::ClosedDay)}
            </label>
            <Period opens=(name("opens"), day.opens) closes=(name("closes"), day.closes) placeholders=("09:00", "14:00") problem/>
            <Period opens=(name("reopens"), day.reopens) closes=(name("closes_again"), day.closes_again) placeholders=("16:00", "20:00") problem
                label=Key::AndAgain/>
            {move || problem.get().map(|p| view! {
                <p id=format!("day{monday0}-error") role="alert" data-testid="day-error" class="basis-full text-sm text-rose-700">{problem_text(lang, p)}</p>
            })}
        </fieldset>
    }
}

/// One open period of a day: two HH:MM inputs, given as (name, value).
#[component]
fn Period(
    opens: (String, String),
    closes: (String, String),
    placeholders: (&'static str, &'static str),
    problem: Signal<Option<Problem>>,
    #[prop(optional)] label: Option<Key>,
) -> impl IntoView {
    let lang = use_lang();
    let invalid = move || problem.get().is_some().to_string();
    let input = move |(name, value): (String, String), placeholder: &'static str| view! {
        <input type="text" inputmode="numeric" placeholder=placeholder name=name value=value aria-invalid=invalid class=TEXT_INPUT/>
    };
    view! {
        <div class="flex items-center gap-2 text-sm">
            {label.map(|label| view! { <span class="whitespace-nowrap text-slate-600">{t(lang, label)}</span> })}
            <label class="flex w-36 items-center gap-2">{t(lang, Key::Opens)}{input(opens, placeholders.0)}</label>
            <label class="flex w-36 items-center gap-2">{t(lang, Key::Closes)}{input(closes, placeholders.1)}</label>
        </div>
    }
}

#[component]
fn ExceptionsSection(
    id: i64,
    today: String,
    exceptions: Vec<DateException>,
    add: ServerAction<AddDateException>,
    remove: ServerAction<RemoveDateException>,
) -> impl IntoView {
    let lang = use_lang();
    let (error, done) = answer(add);
    let date_problem = problem_of(error, "date".into());
    let hours_problem = problem_of(error, "hours".into());
    view! {
        <section class=SECTION data-testid="exception-settings">
            <h2 class=HEADING>{t(lang, Key::DateExceptions)}</h2>
            {move || remove.value().get().and_then(Result::err).map(|error| view! { <ErrorNotice error/> })}
            {if exceptions.is_empty() {
                Either::Left(view! { <p class="text-sm text-slate-600">{t(lang, Key::NoDateExceptions)}</p> })
            } else {
                Either::Right(view! {
                    <ul class="divide-y divide-slate-100 text-sm">
                        {exceptions.into_iter().map(|exception| view! { <ExceptionLine id exception remove/> }).collect_view()}
                    </ul>
                })
            }}
            <ActionForm action=add attr:class="grid gap-3 sm:grid-cols-2" attr:data-testid="add-exception-form">
                <input type="hidden" name="resource_id" value=id/>
                <div class="space-y-1">
                    <label for="exception-date" class="block text-sm font-medium text-slate-700">{t(lang, Key::DateWord)}</label>
                    <input id="exception-date" type="date" name="date" min=today class=TEXT_INPUT
                        aria-invalid=move || date_problem.get().is_some().to_string()/>
                    {move || date_problem.get().map(|p| view! { <p role="alert" class="text-sm text-rose-700">{problem_text(lang, p)}</p> })}
                </div>
                <label class="flex items-center gap-2 self-end text-sm">
                    <input type="checkbox" name="closed" value="true" checked=true/>
                    {t(lang, Key::ClosedAllDay)}
                </label>
                <div class="grid grid-cols-2 gap-3 sm:col-span-2">
                    <label class="space-y-1 text-sm">
                        <span class="block font-medium text-slate-700">{t(lang, Key::Opens)}</span>
                        <input type="text" inputmode="numeric" placeholder="10:00" name="opens" class=TEXT_INPUT
                            aria-invalid=move || hours_problem.get().is_some().to_string()/>
                    </label>
                    <label class="space-y-1 text-sm">
                        <span class="block font-medium text-slate-700">{t(lang, Key::Closes)}</span>
                        <input type="text" inputmode="numeric" placeholder="14:00" name="closes" class=TEXT_INPUT
                            aria-invalid=move || hours_problem.get().is_some().to_string()/>
                    </label>
                    {move || hours_problem.get().map(|p| view! { <p role="alert" class="col-span-2 text-sm text-rose-700">{problem_text(lang, p)}</p> })}
                </div>
                <div class="sm:col-span-2">
                    <Submit label=Key::AddException error done pending=add.pending()/>
                </div>
            </ActionForm>
        </section>
    }
}

#[component]
fn ExceptionLine(id: i64, exception: DateException, remove: ServerAction<RemoveDateException>) -> impl IntoView {
    let lang = use_lang();
    let hours = if exception.hours.is_empty() {
        t(lang, Key::ClosedAllDay).to_string()
    } else {
        exception.hours.iter().map(|(opens, closes)| format!("{opens}–{closes}")).collect::<Vec<_>>().join(", ")
    };
    let date = exception.date.to_string();
    let shown = date.clone();
    view! {
        <li class="flex items-center justify-between gap-3 py-2" data-testid="date-exception" data-date=shown>
            <span><span class="font-medium text-slate-900">{long_date(lang, exception.date)}</span>" · "{hours}</span>
            <ActionForm action=remove>
                <input type="hidden" name="resource_id" value=id/>
                <input type="hidden" name="date" value=date/>
                <button type="submit" class="text-sm font-medium text-rose-700 hover:underline">{t(lang, Key::RemoveException)}</button>
            </ActionForm>
        </li>
    }
}

#[component]
fn RulesSection(id: i64, rules: crate::domain::profile::RulesForm, action: ServerAction<SaveBookingRules>) -> impl IntoView {
    let lang = use_lang();
    let (error, done) = answer(action);
    let problem = move |field: &str| problem_of(error, field.to_string());
    let approval_problem = problem("approval");
    let number = move |label: Key, name: &'static str, value: String| view! {
        <Field label=t(lang, label) name kind="number" value id_prefix="rules-" problem=problem(name)/>
    };
    let manual = rules.approval != "auto";
    view! {
        <section class=SECTION data-testid="rules-settings">
            <h2 class=HEADING>{t(lang, Key::BookingRules)}</h2>
            <ActionForm action attr:class="grid gap-4 sm:grid-cols-2" attr:data-testid="rules-form">
                <input type="hidden" name="resource_id" value=id/>
                <div class="space-y-1 sm:col-span-2">
                    <label for="rules-approval" class="block text-sm font-medium text-slate-700">{t(lang, Key::ApprovalLabel)}</label>
                    <select id="rules-approval" name="approval" class=TEXT_INPUT aria-invalid=move || approval_problem.get().is_some().to_string()>
                        <option value="manual" selected=manual>{t(lang, Key::ApprovalManual)}</option>
                        <option value="auto" selected=!manual>{t(lang, Key::ApprovalAuto)}</option>
                    </select>
                    {move || approval_problem.get().map(|p| view! { <p role="alert" class="text-sm text-rose-700">{problem_text(lang, p)}</p> })}
                </div>
                {number(Key::DefaultDuration, "default_duration", rules.default_duration)}
                {number(Key::MinNoticeHours, "min_notice_hours", rules.min_notice_hours)}
                {number(Key::CancelCutoffHours, "cancel_cutoff_hours", rules.cancel_cutoff_hours)}
                {number(Key::BufferMinutes, "buffer_minutes", rules.buffer_minutes)}
                {number(Key::PendingExpiryHours, "pending_expiry_hours", rules.pending_expiry_hours)}
                {number(Key::MaxPerDay, "max_per_day", rules.max_per_day)}
                {number(Key::CapacityLabel, "capacity", rules.capacity)}
                <div class="sm:col-span-2">
                    <Submit label=Key::SaveRules error done pending=action.pending()/>
                </div>
            </ActionForm>
        </section>
    }
}

/// What the resource offers: each service's name, length, price and deposit,
/// changed or removed in place, and a form to add one. Each form has its own
/// action, so an error shows on the form that caused it.
#[component]
fn ServicesSection(id: i64, services: Vec<ServiceForm>, currency: String, saved: RwSignal<u32>) -> impl IntoView {
    let lang = use_lang();
    let blank = ServiceForm { deposit_kind: "none".into(), currency, ..ServiceForm::default() };
    view! {
        <section class=SECTION data-testid="services-settings">
            <h2 class=HEADING>{t(lang, Key::ServicesSection)}</h2>
            <ul class="space-y-4">
                {services.into_iter().map(|service| view! { <li><ServiceEditor id service saved/></li> }).collect_view()}
            </ul>
            <h3 class="text-lg font-semibold text-slate-800">{t(lang, Key::AddService)}</h3>
            <ServiceEditor id service=blank saved/>
        </section>
    }
}

#[component]
fn ServiceEditor(id: i64, service: ServiceForm, saved: RwSignal<u32>) -> impl IntoView {
    let lang = use_lang();
    let save = ServerAction::<SaveService>::new();
    let remove = ServerAction::<RemoveService>::new();
    reload_after(save, saved);
    reload_after(remove, saved);
    let (error, done) = answer(save);
    let problem = move |field: &str| problem_of(error, field.to_string());
    let kind_problem = problem("deposit_kind");
    let prefix = format!("service-{}-", service.id.map(|n| n.to_string()).unwrap_or_else(|| "new".into()));
    let existing = service.id;
    let kind = service.deposit_kind.clone();
    let kind_id = format!("{prefix}deposit_kind");
    view! {
        <div class="rounded-md border border-slate-200 p-4" data-testid="service" data-service-id=existing.map(|n| n.to_string()).unwrap_or_default()>
            <ActionForm action=save attr:class="grid gap-3 sm:grid-cols-3">
                <input type="hidden" name="resource_id" value=id/>
                {existing.map(|n| view! { <input type="hidden" name="service_id" value=n/> })}
                <div class="sm:col-span-2">
                    <Field label=t(lang, Key::Name) name="name" value=service.name.clone() id_prefix=prefix.clone() problem=problem("name")/>
                </div>
                <Field label=t(lang, Key::DurationMinutes) name="duration" kind="number" value=service.duration.clone() id_prefix=prefix.clone() problem=problem("duration")/>
                <Field label=t(lang, Key::PriceWord) name="price" value=service.price.clone() id_prefix=prefix.clone() problem=problem("price")/>
                <Field label=t(lang, Key::CurrencyCode) name="currency" value=service.currency.clone() id_prefix=prefix.clone() problem=problem("currency")/>
                <div class="space-y-1">
                    <label for=kind_id.clone() class="block text-sm font-medium text-slate-700">{t(lang, Key::DepositPolicyLabel)}</label>
                    <select id=kind_id name="deposit_kind" class=TEXT_INPUT aria-invalid=move || kind_problem.get().is_some().to_string()>
                        {[("none", Key::DepositNone), ("fixed", Key::DepositFixed), ("percent", Key::DepositPercent)].map(|(value, label)| view! {
                            <option value=value selected=kind == value>{t(lang, label)}</option>
                        }).collect_view()}
                    </select>
                    {move || kind_problem.get().map(|p| view! { <p role="alert" class="text-sm text-rose-700">{problem_text(lang, p)}</p> })}
                </div>
                <Field label=t(lang, Key::DepositAmount) name="deposit" value=service.deposit.clone() id_prefix=prefix.clone() problem=problem("deposit")/>
                <div class="sm:col-span-3">
                    <Submit label=if existing.is_some() { Key::SaveService } else { Key::AddService } error done pending=save.pending()/>
                </div>
            </ActionForm>
            {existing.map(|service_id| view! {
                <ActionForm action=remove attr:class="mt-2">
                    <input type="hidden" name="resource_id" value=id/>
                    <input type="hidden" name="service_id" value=service_id/>
                    <button type="submit" class="text-sm font-medium text-rose-700 hover:underline">{t(lang, Key::RemoveService)}</button>
                </ActionForm>
            })}
        </div>
    }
}
