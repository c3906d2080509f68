use crate::app::json_resource;
use crate::components::error_notice::ErrorNotice;
use crate::components::resource_groups::ResourceGroups;
use crate::domain::account::Role;
use crate::i18n::{role_name, t, use_lang, Key};
use crate::pages::panel::{ReportLinks, RoleHeading};
use crate::pages::reports::ADMIN_REPORTS;
use crate::server_fns::auth::UserInfo;
use crate::server_fns::panel::{admin_overview, AdminSummary};
use leptos::either::Either;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn AdminHome(user: UserInfo) -> impl IntoView {
    let lang = use_lang();
    let overview = json_resource(move || user.id, |_| admin_overview(0));
    view! {
        <Title text=t(lang, Key::AdminHomeTitle)/>
        <RoleHeading role=Role::Admin title=t(lang, Key::AdminHomeTitle)>
            <ReportLinks reports=ADMIN_REPORTS/>
            <Suspense fallback=move || view! { <p>{t(lang, Key::Loading)}</p> }>
                {move || Suspend::new(async move {
                    match overview.await {
                        Ok(overview) => Either::Left(view! { <Overview overview/> }),
                        Err(error) => Either::Right(view! { <ErrorNotice error/> }),
                    }
                })}
            </Suspense>
        </RoleHeading>
    }
}

#[component]
fn Overview(overview: AdminSummary) -> impl IntoView {
    let lang = use_lang();
    view! {
        <dl class="grid gap-4 sm:grid-cols-3">
            {overview.users_by_role.iter().map(|(role, count)| view! {
                <div class="rounded-lg border border-slate-200 bg-white p-4 shadow-sm">
                    <dt class="text-sm text-slate-500">{role_name(lang, *role)}</dt>
                    <dd class="text-2xl font-bold text-slate-900">{*count}</dd>
                </div>
            }).collect_view()}
        </dl>
        <section class="space-y-3">
            <h2 class="text-xl font-semibold text-slate-800">{t(lang, Key::Users)}</h2>
            <div class="overflow-x-auto rounded-lg border border-slate-200 bg-white shadow-sm">
                <table class="min-w-full divide-y divide-slate-200 text-sm">
                    <thead class="bg-slate-50 text-left text-slate-600">
                        <tr>
                            <th scope="col" class="px-4 py-2">{t(lang, Key::Name)}</th>
                            <th scope="col" class="px-4 py-2">{t(lang, Key::Email)}</th>
                            <th scope="col" class="px-4 py-2">{t(lang, Key::Role)}</th>
                        </tr>
                    </thead>
                    <tbody class="divide-y divide-slate-100">
                        {overview.users.into_iter().map(|u| view! {
                            <tr>
                                <td class="px-4 py-2">{u.name}</td>
                                <td class="px-4 py-2">{u.email}</td>
                                <td class="px-4 py-2">{role_name(lang, u.role)}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
        </section>
        <section class="space-y-6">
            <h2 class="text-xl font-semibold text-slate-800">{t(lang, Key::Resources)}</h2>
            <ResourceGroups groups=overview.resources editable=true/>
        </section>
    }
}
