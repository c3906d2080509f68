use crate::components::error_notice::ErrorNotice;
use crate::components::live::use_booking_events;
use crate::components::resource_groups::ResourceGroups;
use crate::domain::account::Role;
use crate::i18n::{booking_status_name, t, use_lang, Key};
use crate::pages::panel::RoleHeading;
use crate::server_fns::auth::UserInfo;
use crate::server_fns::panel::{managed_booking, managed_bookings, managed_resources, BookingLine};
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn ManagerHome(user: UserInfo) -> impl IntoView {
    let lang = use_lang();
    let resources = Resource::new(move || user.id, |_| managed_resources());
    let (reload, set_reload) = signal(0u32);
    let latest = Resource::new(move || reload.get(), |_| managed_bookings());
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
                    <Show when=move || live.get()>
                        <span class="rounded-full bg-emerald-100 px-2 py-0.5 text-xs font-semibold text-emerald-800">
                            {t(lang, Key::LiveUpdates)}
                        </span>
                    </Show>
                </div>
                <Transition fallback=move || view! { <p>{t(lang, Key::Loading)}</p> }>
                    {move || Suspend::new(async move {
                        match latest.await {
                            Ok(lines) if lines.is_empty() => view! { <p>{t(lang, Key::NoUpcomingBookings)}</p> }.into_any(),
                            Ok(lines) => view! { <LatestBookings lines/> }.into_any(),
                            Err(error) => view! { <ErrorNotice error/> }.into_any(),
                        }
                    })}
                </Transition>
            </section>
            <h2 class="text-xl font-semibold text-slate-800">{t(lang, Key::YourResources)}</h2>
            <Suspense fallback=move || view! { <p>{t(lang, Key::Loading)}</p> }>
                {move || Suspend::new(async move {
                    match resources.await {
                        Ok(groups) if groups.is_empty() => view! { <p>{t(lang, Key::NoResources)}</p> }.into_any(),
                        Ok(groups) => view! { <ResourceGroups groups/> }.into_any(),
                        Err(error) => view! { <ErrorNotice error/> }.into_any(),
                    }
                })}
            </Suspense>
        </RoleHeading>
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

#[component]
fn LatestBookings(lines: Vec<BookingLine>) -> impl IntoView {
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
                    </tr>
                </thead>
                <tbody class="divide-y divide-slate-100">
                    {lines.into_iter().map(|line| view! {
                        <tr data-testid="booking-line" data-booking-id=line.id data-status=line.status.as_str()>
                            <td class="px-4 py-2 text-slate-900">{line.resource}</td>
                            <td class="px-4 py-2 whitespace-nowrap">{line.starts}</td>
                            <td class="px-4 py-2">{line.guest_name}</td>
                            <td class="px-4 py-2">{booking_status_name(lang, line.status)}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}
