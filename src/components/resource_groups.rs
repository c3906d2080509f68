use crate::i18n::{kind_name, t, use_lang, Key};
use crate::server_fns::panel::KindGroup;
use leptos::prelude::*;

/// Resources listed under a heading per kind; `editable` adds a link to
/// each one's settings page, for the people who may change them.
#[component]
pub fn ResourceGroups(groups: Vec<KindGroup>, #[prop(optional)] editable: bool) -> impl IntoView {
    let lang = use_lang();
    groups
        .into_iter()
        .map(|group| {
            view! {
                <section class="space-y-3">
                    <h3 class="text-lg font-semibold text-slate-800">{kind_name(lang, &group.kind)}</h3>
                    <ul class="grid gap-4 sm:grid-cols-2 lg:grid-cols-3">
                        {group.resources.into_iter().map(|r| view! {
                            <li class="rounded-lg border border-slate-200 bg-white p-4 shadow-sm">
                                <p class="font-semibold text-slate-900">{r.name}</p>
                                <p class="mt-1 text-sm text-slate-600">{r.description}</p>
                                <p class="mt-2 text-xs text-slate-500">
                                    {t(lang, Key::TimeZone)}": "{r.timezone}" · "{t(lang, Key::Capacity)}": "{r.capacity}
                                </p>
                                {editable.then(|| view! {
                                    <a href=format!("/panel/recursos/{}", r.id) data-testid="edit-resource"
                                        class="mt-3 inline-block text-sm font-medium text-indigo-700 hover:underline">
                                        {t(lang, Key::EditResource)}
                                    </a>
                                })}
                            </li>
                        }).collect_view()}
                    </ul>
                </section>
            }
        })
        .collect_view()
}
