//! /admin/rooms: every room's status, refreshed as soon as a booking changes
//! (live updates, with a slow poll as fallback), with the check-in, check-out
//! and end-of-cleaning buttons. The server functions
//! refuse anyone but administrators.

use crate::app::json_resource;
use crate::components::error_notice::ErrorNotice;
use crate::components::live::use_booking_events;
use crate::domain::booking::BookingStatus;
use crate::domain::room::RoomStatus;
use crate::i18n::{room_status_name, t, use_lang, Key};
use crate::components::field::Field;
use crate::components::photo_manager::{photo_problem_for, PhotoManager};
use crate::server_fns::rooms::{retired_rooms, rooms_board, RoomAction, RoomCard, RoomFields, RoomStep, SaveRoom, SetRoomOffered};
use leptos::prelude::*;
use leptos_meta::Title;
use std::time::Duration;

/// Where the photo forms come back to.
const PAGE: &str = "/admin/rooms";

/// The fallback poll: live updates do the work while their stream is open,
/// and statuses that change with the clock alone (cleaning over) show up here.
pub const REFRESH: Duration = Duration::from_secs(30);

#[component]
pub fn RoomsBoardPage() -> impl IntoView {
    let lang = use_lang();
    let act = ServerAction::<RoomAction>::new();
    let (tick, set_tick) = signal(0u32);
    // While someone edits a room the list stays put, so the form is not redrawn under their fingers.
    let editing = RwSignal::new(false);
    // A refresh asked for while editing waits until the editing ends.
    let missed = RwSignal::new(false);
    let refresh = move || {
        if editing.get_untracked() {
            missed.set(true);
        } else {
            set_tick.update(|n| *n += 1);
        }
    };
    let board = json_resource(move || (act.version().get(), tick.get()), |_| rooms_board());
    Effect::new(move |_| {
        if let Ok(handle) = set_interval_with_handle(refresh, REFRESH) {
            on_cleanup(move || handle.clear());
        }
    });
    Effect::new(move |_| {
        if !editing.get() && missed.get_untracked() {
            missed.set(false);
            set_tick.update(|n| *n += 1);
        }
    });
    let live = use_booking_events(move |change| {
        let shown = board.get_untracked().and_then(Result::ok);
        // Other kinds of resource change too; only rooms (or a board not loaded yet) matter here.
        if shown.is_none_or(|cards| cards.iter().any(|card| card.id == change.resource_id)) {
            refresh();
        }
    });
    // Changes made while the stream was closed are not replayed: reload when it (re)opens.
    Effect::new(move |was_open: Option<bool>| {
        let open = live.get();
        if open && was_open == Some(false) {
            refresh();
        }
        open
    });
    let action_error = move || act.value().get().and_then(Result::err);
    view! {
        <Title text=t(lang, Key::RoomsBoard)/>
        <section class="space-y-6" data-testid="rooms-board" data-live=move || live.get().to_string()>
            <div>
                <h1 class="text-3xl font-bold tracking-tight text-slate-900">{t(lang, Key::RoomsBoard)}</h1>
                <p class="mt-1 text-sm text-slate-600">{t(lang, Key::RoomsBoardHelp)}</p>
            </div>
            {move || action_error().map(|error| view! { <ErrorNotice error/> })}
            <Transition fallback=move || view! { <p>{t(lang, Key::Loading)}</p> }>
                {move || Suspend::new(async move {
                    match board.await {
                        Ok(cards) if cards.is_empty() => view! { <p>{t(lang, Key::NoRooms)}</p> }.into_any(),
                        Ok(cards) => view! {
                            <ul class="grid gap-4 sm:grid-cols-2 lg:grid-cols-3">
                                {cards.into_iter().map(|card| view! { <RoomTile card act saved=set_tick editing/> }).collect_view()}
                            </ul>
                        }.into_any(),
                        Err(error) => view! { <ErrorNotice error/> }.into_any(),
                    }
                })}
            </Transition>
            <section class="rounded-lg border border-slate-200 bg-white p-6 shadow-sm">
                <h2 class="mb-4 text-xl font-semibold text-slate-800">{t(lang, Key::AddRoom)}</h2>
                <RoomForm saved=set_tick room_id=None fields=RoomFields::default() id_prefix="new-".to_string()/>
            </section>
            <RetiredRooms changed=set_tick tick/>
        </section>
    }
}

/// Rooms taken out of offer, each with a button to offer it again.
#[component]
fn RetiredRooms(changed: WriteSignal<u32>, tick: ReadSignal<u32>) -> impl IntoView {
    let lang = use_lang();
    let restore = ServerAction::<SetRoomOffered>::new();
    Effect::new(move |_| {
        if matches!(restore.value().get(), Some(Ok(()))) {
            changed.update(|n| *n += 1);
        }
    });
    let retired = json_resource(move || tick.get(), |_| retired_rooms());
    view! {
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                let rooms = retired.await.unwrap_or_default();
                (!rooms.is_empty()).then(|| view! {
                    <section class="space-y-3" data-testid="retired-rooms">
                        <h2 class="text-xl font-semibold text-slate-800">{t(lang, Key::RetiredRooms)}</h2>
                        <ul class="divide-y divide-slate-200 rounded-lg border border-slate-200 bg-white">
                            {rooms.into_iter().map(|room| view! {
                                <li class="flex items-center justify-between gap-3 px-4 py-2" data-testid="retired-room" data-room-id=room.id>
                                    <span class="text-slate-800">{room.name}</span>
                                    <ActionForm action=restore>
                                        <input type="hidden" name="room_id" value=room.id/>
                                        <input type="hidden" name="offered" value="true"/>
                                        <button type="submit" class="text-sm font-medium text-indigo-700 hover:underline">{t(lang, Key::RestoreRoom)}</button>
                                    </ActionForm>
                                </li>
                            }).collect_view()}
                        </ul>
                    </section>
                })
            })}
        </Transition>
    }
}

/// Retiring a room: refused with the reason while it has bookings ahead.
#[component]
fn RetireRoom(room_id: i64, saved: WriteSignal<u32>) -> impl IntoView {
    let lang = use_lang();
    let retire = ServerAction::<SetRoomOffered>::new();
    Effect::new(move |_| {
        if matches!(retire.value().get(), Some(Ok(()))) {
            saved.update(|n| *n += 1);
        }
    });
    view! {
        <ActionForm action=retire attr:class="space-y-2 border-t border-slate-200 pt-3" attr:data-testid="retire-room">
            <input type="hidden" name="room_id" value=room_id/>
            <input type="hidden" name="offered" value="false"/>
            <p class="text-slate-600">{t(lang, Key::RetireRoomHelp)}</p>
            {move || retire.value().get().and_then(Result::err).map(|error| view! { <ErrorNotice error/> })}
            <button type="submit" disabled=move || retire.pending().get()
                class="rounded-md border border-rose-300 px-3 py-1.5 font-medium text-rose-700 hover:bg-rose-50 focus:outline-none focus-visible:ring-2 focus-visible:ring-rose-500 disabled:opacity-60">
                {t(lang, Key::RetireRoom)}
            </button>
        </ActionForm>
    }
}

/// The room form: adds a room when `room_id` is `None`, else changes that
/// room. Each form has its own action, so its errors stay next to its fields;
/// a successful save bumps `saved` so the board reloads.
#[component]
fn RoomForm(saved: WriteSignal<u32>, room_id: Option<i64>, fields: RoomFields, id_prefix: String) -> impl IntoView {
    let lang = use_lang();
    let save = ServerAction::<SaveRoom>::new();
    Effect::new(move |_| {
        if matches!(save.value().get(), Some(Ok(_))) {
            saved.update(|n| *n += 1);
        }
    });
    let error = move || save.value().get().and_then(Result::err);
    let problem_of = move |field: &'static str| Signal::derive(move || error().and_then(|e| e.field_problem(field)));
    let (label, testid) = if room_id.is_some() { (Key::SaveRoom, "edit-room") } else { (Key::AddRoom, "add-room") };
    view! {
        <ActionForm action=save attr:class="grid gap-4 sm:grid-cols-2" attr:data-testid=testid>
            <input type="hidden" name="id" value=room_id.map(|id| id.to_string()).unwrap_or_default()/>
            <Field label=t(lang, Key::RoomNumber) name="number" value=fields.number id_prefix=id_prefix.clone() problem=problem_of("number")/>
            <Field label=t(lang, Key::RoomType) name="room_type" value=fields.room_type id_prefix=id_prefix.clone() problem=problem_of("type")/>
            <Field label=t(lang, Key::Description) name="description" value=fields.description id_prefix=id_prefix.clone() problem=problem_of("description")/>
            <Field label=t(lang, Key::Beds) name="beds" kind="number" value=fields.beds id_prefix=id_prefix.clone() problem=problem_of("beds")/>
            <Field label=t(lang, Key::Guests) name="guests" kind="number" value=fields.guests id_prefix=id_prefix.clone() problem=problem_of("guests")/>
            <Field label=t(lang, Key::NightlyPrice) name="nightly_price" value=fields.nightly_price id_prefix=id_prefix.clone() problem=problem_of("nightly_price")/>
            <div class="sm:col-span-2">
                <button type="submit" disabled=move || save.pending().get()
                    class="rounded-md bg-indigo-600 px-4 py-2 font-semibold text-white hover:bg-indigo-700 focus:outline-none focus-visible:ring-2 focus-visible:ring-indigo-500 disabled:opacity-60">
                    {t(lang, label)}
                </button>
            </div>
        </ActionForm>
    }
}

fn badge(status: RoomStatus) -> &'static str {
    match status {
        RoomStatus::Available => "bg-emerald-100 text-emerald-800",
        RoomStatus::Reserved => "bg-sky-100 text-sky-800",
        RoomStatus::Occupied => "bg-rose-100 text-rose-800",
        RoomStatus::Maintenance => "bg-amber-100 text-amber-800",
    }
}

/// The one action that makes sense for the booking behind the status.
fn next_step(card: &RoomCard) -> Option<(RoomStep, Key)> {
    let booking = card.booking.as_ref()?;
    match (card.status, booking.status) {
        (RoomStatus::Occupied, BookingStatus::InProgress) => Some((RoomStep::CheckOut, Key::CheckOut)),
        (RoomStatus::Maintenance, BookingStatus::Completed) => Some((RoomStep::CompleteMaintenance, Key::FinishCleaning)),
        (RoomStatus::Reserved, BookingStatus::Confirmed) => Some((RoomStep::CheckIn, Key::CheckIn)),
        _ => None,
    }
}

#[component]
fn RoomTile(card: RoomCard, act: ServerAction<RoomAction>, saved: WriteSignal<u32>, editing: RwSignal<bool>) -> impl IntoView {
    let lang = use_lang();
    on_cleanup(move || editing.set(false));
    let step = next_step(&card);
    let booking_id = card.booking.as_ref().map(|b| b.id).unwrap_or_default();
    let track_open = move |ev: leptos::ev::Event| editing.set(event_target::<leptos::web_sys::Element>(&ev).has_attribute("open"));
    view! {
        <li class="flex flex-col gap-3 rounded-lg border border-slate-200 bg-white p-4 shadow-sm"
            data-testid="room-tile" data-room-id=card.id data-status=card.status.as_str()>
            <div class="flex items-start justify-between gap-2">
                <div>
                    <p class="font-semibold text-slate-900">{card.name.clone()}</p>
                    <p class="text-sm text-slate-600">{card.description.clone()}</p>
                </div>
                <span class=format!("rounded-full px-2 py-0.5 text-xs font-semibold {}", badge(card.status))>
                    {room_status_name(lang, card.status)}
                </span>
            </div>
            {card.booking.map(|b| view! {
                <dl class="grid grid-cols-2 gap-x-3 text-sm">
                    <dt class="text-slate-500">{t(lang, Key::Guest)}</dt>
                    <dd class="text-slate-900">{b.guest_name}</dd>
                    <dt class="text-slate-500">{t(lang, Key::CheckIn)}</dt>
                    <dd>{b.check_in}</dd>
                    <dt class="text-slate-500">{t(lang, Key::CheckOut)}</dt>
                    <dd>{b.check_out}</dd>
                    {b.maintenance_until.map(|until| view! {
                        <dt class="text-slate-500">{t(lang, Key::CleaningUntil)}</dt>
                        <dd>{until}</dd>
                    })}
                </dl>
            })}
            {step.map(|(step, label)| view! {
                <ActionForm action=act>
                    <input type="hidden" name="booking_id" value=booking_id/>
                    <input type="hidden" name="action" value=step_code(step)/>
                    <button type="submit" disabled=move || act.pending().get()
                        class="w-full rounded-md bg-indigo-600 px-3 py-2 text-sm font-semibold text-white hover:bg-indigo-700 focus:outline-none focus-visible:ring-2 focus-visible:ring-indigo-500 disabled:opacity-60">
                        {t(lang, label)}
                    </button>
                </ActionForm>
            })}
            <details class="text-sm" on:toggle=track_open>
                <summary class="cursor-pointer font-medium text-indigo-700">{t(lang, Key::EditRoom)}</summary>
                <div class="mt-3 space-y-4">
                    <RoomForm saved room_id=Some(card.id) fields=card.fields id_prefix=format!("room-{}-", card.id)/>
                    <RetireRoom room_id=card.id saved/>
                </div>
            </details>
            <details class="text-sm" open=photo_problem_for(card.id).is_some() on:toggle=track_open>
                <summary class="cursor-pointer font-medium text-indigo-700">{format!("{} ({})", t(lang, Key::Photos), card.photos.len())}</summary>
                <div class="mt-3">
                    <PhotoManager resource_id=card.id photos=card.photos name=card.name.clone() back=PAGE/>
                </div>
            </details>
        </li>
    }
}

fn step_code(step: RoomStep) -> &'static str {
    match step {
        RoomStep::CheckIn => "check_in",
        RoomStep::CheckOut => "check_out",
        RoomStep::CompleteMaintenance => "complete_maintenance",
    }
}

