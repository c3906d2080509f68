//! The workshop part of a booking request: the vehicle (one the client
//! booked for before, or typed), what is wrong with it, and a contact phone.
//! Field names are those `request_booking` reads.

use crate::components::field::Field;
use crate::domain::account::Problem;
use crate::i18n::{problem_text, t, use_lang, Key};
use crate::server_fns::directory::VehicleChoice;
use leptos::prelude::*;

const INPUT: &str = crate::components::styles::TEXT_INPUT;

/// `problems`: the errors of vehicle, vehicle_make, vehicle_model,
/// vehicle_year, problem and phone, in that order. `saved`: the client's
/// remembered vehicles, offered first when there are any.
#[component]
pub fn VehicleFields(problems: [Signal<Option<Problem>>; 6], saved: Vec<VehicleChoice>) -> impl IntoView {
    let lang = use_lang();
    let [saved_problem, make, model, year, problem, phone] = problems;
    // A remembered vehicle chosen: the typed fields are not needed.
    let chosen = RwSignal::new(String::new());
    let alert = move |p: Signal<Option<Problem>>| move || p.get().map(|p| view! { <p role="alert" class="text-sm text-rose-700">{problem_text(lang, p)}</p> });
    view! {
        <fieldset class="space-y-4" data-testid="vehicle-fields">
            {(!saved.is_empty()).then(|| view! {
                <div class="space-y-1">
                    <label for="request-vehicle" class="block text-sm font-medium text-slate-700">{t(lang, Key::YourVehicle)}</label>
                    <select id="request-vehicle" name="vehicle" class=INPUT data-testid="saved-vehicles"
                        aria-invalid=move || saved_problem.get().is_some().to_string()
                        on:change=move |ev| chosen.set(event_target_value(&ev))>
                        <option value="">{t(lang, Key::OtherVehicle)}</option>
                        {saved.into_iter().map(|v| view! { <option value=v.id.to_string()>{v.label}</option> }).collect_view()}
                    </select>
                    {alert(saved_problem)}
                </div>
            })}
            <div class="grid gap-4 sm:grid-cols-3" class:hidden=move || !chosen.get().is_empty()>
                <Field label=t(lang, Key::VehicleMake) name="vehicle_make" id_prefix="request-" problem=make/>
                <Field label=t(lang, Key::VehicleModel) name="vehicle_model" id_prefix="request-" problem=model/>
                <Field label=t(lang, Key::VehicleYear) name="vehicle_year" kind="number" id_prefix="request-" problem=year/>
            </div>
            <div class="space-y-1">
                <label for="request-problem" class="block text-sm font-medium text-slate-700">{t(lang, Key::VehicleProblem)}</label>
                <textarea id="request-problem" name="problem" rows="3" class=INPUT
                    aria-invalid=move || problem.get().is_some().to_string()></textarea>
                {alert(problem)}
            </div>
            <div class="space-y-1">
                <Field label=t(lang, Key::ContactPhone) name="phone" kind="tel" autocomplete="tel" id_prefix="request-" problem=phone/>
                <p class="text-xs text-slate-500">{t(lang, Key::ContactPhoneHint)}</p>
            </div>
        </fieldset>
    }
}
