use crate::app::json_resource;
use crate::components::error_notice::ErrorNotice;
use crate::components::resource_groups::ResourceGroups;
use crate::domain::account::Role;
use crate::i18n::{t, use_lang, Key};
use crate::pages::panel::RoleHeading;
use crate::server_fns::auth::UserInfo;
use crate::server_fns::panel::bookable_resources;
use leptos::either::Either;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn ClientHome(user: UserInfo) -> impl IntoView {
    let lang = use_lang();
    let resources = json_resource(move || user.id, |_| bookable_resources());
    view! {
        <Title text=t(lang, Key::ClientHomeTitle)/>
        <RoleHeading role=Role::Client title=t(lang, Key::ClientHomeTitle)>
            <a href="/mis-reservas" data-testid="see-my-bookings"
                class="inline-block rounded-md bg-indigo-600 px-4 py-2 font-semibold text-white hover:bg-indigo-700 focus:outline-none focus-visible:ring-2 focus-visible:ring-indigo-500 focus-visible:ring-offset-2">
                {t(lang, Key::SeeMyBookings)}
            </a>
            <p class="text-slate-600">{t(lang, Key::NoBookingsYet)}</p>
            <Suspense fallback=move || view! { <p>{t(lang, Key::Loading)}</p> }>
                {move || Suspend::new(async move {
                    match resources.await {
                        Ok(groups) => Either::Left(view! { <ResourceGroups groups/> }),
                        Err(error) => Either::Right(view! { <ErrorNotice error/> }),
                    }
                })}
            </Suspense>
        </RoleHeading>
    }
}
