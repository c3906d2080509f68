use crate::components::error_notice::ErrorNotice;
use crate::components::resource_groups::ResourceGroups;
use crate::domain::account::Role;
use crate::i18n::{t, use_lang, Key};
use crate::pages::panel::RoleHeading;
use crate::server_fns::auth::UserInfo;
use crate::server_fns::panel::managed_resources;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn ManagerHome(user: UserInfo) -> impl IntoView {
    let lang = use_lang();
    let resources = Resource::new(move || user.id, |_| managed_resources());
    view! {
        <Title text=t(lang, Key::ManagerHomeTitle)/>
        <RoleHeading role=Role::Manager title=t(lang, Key::ManagerHomeTitle)>
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
