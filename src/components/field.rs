use crate::domain::account::Problem;
use crate::i18n::{problem_text, use_lang};
use leptos::prelude::*;

/// A labelled input whose error, when there is one, is shown right under it
/// and announced to screen readers.
#[component]
pub fn Field(
    label: &'static str,
    name: &'static str,
    #[prop(default = "text")] kind: &'static str,
    #[prop(default = "")] autocomplete: &'static str,
    #[prop(default = false)] required: bool,
    /// What the input starts with.
    #[prop(optional, into)]
    value: String,
    /// Prefix of the element id, to tell apart several forms on one page.
    #[prop(optional, into)]
    id_prefix: String,
    #[prop(into)] problem: Signal<Option<Problem>>,
) -> impl IntoView {
    let lang = use_lang();
    let input_id = format!("{id_prefix}{name}");
    let error_id = format!("{input_id}-error");
    let described_by = {
        let error_id = error_id.clone();
        move || problem.get().map(|_| error_id.clone())
    };
    view! {
        <div class="space-y-1">
            <label for=input_id.clone() class="block text-sm font-medium text-slate-700">{label}</label>
            <input id=input_id name=name type=kind autocomplete=autocomplete required=required value=value
                aria-invalid=move || problem.get().is_some().to_string()
                aria-describedby=described_by
                class="block w-full rounded-md border border-slate-300 px-3 py-2 shadow-sm focus:border-indigo-500 focus:outline-none focus:ring-2 focus:ring-indigo-500 aria-[invalid=true]:border-rose-500"/>
            {move || problem.get().map(|p| view! {
                <p id=error_id.clone() role="alert" class="text-sm text-rose-700">{problem_text(lang, p)}</p>
            })}
        </div>
    }
}
