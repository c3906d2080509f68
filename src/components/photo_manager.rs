//! A resource's photos for the people who manage it: thumbnails with
//! "make cover" and "remove", and an upload form. The forms are plain posts
//! (see `server::http::photos`) that come back to `back`, so they work
//! without JavaScript; a refused upload is shown next to the file field.

use crate::components::styles::PRIMARY_BUTTON;
use crate::domain::photo::{problem_named, PHOTO_FIELD, PROBLEM_PARAM, RESOURCE_PARAM};
use crate::i18n::{problem_text, t, use_lang, Key};
use leptos::either::Either;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

const SMALL_BUTTON: &str = "rounded px-2 py-1 text-xs font-medium text-indigo-700 hover:bg-indigo-50 \
                            focus:outline-none focus-visible:ring-2 focus-visible:ring-indigo-500";

/// Whether the page came back from a refused upload for this resource.
pub fn photo_problem_for(resource_id: i64) -> Option<crate::domain::account::Problem> {
    let query = use_query_map().read_untracked();
    let about_this = query.get(RESOURCE_PARAM).is_some_and(|id| id == resource_id.to_string());
    query.get(PROBLEM_PARAM).filter(|_| about_this).and_then(|code| problem_named(&code))
}

#[component]
pub fn PhotoManager(resource_id: i64, photos: Vec<String>, name: String, back: &'static str) -> impl IntoView {
    let lang = use_lang();
    let problem = photo_problem_for(resource_id);
    let input_id = format!("photo-{resource_id}");
    let error_id = format!("{input_id}-error");
    let action = move |index: usize, verb: &str| format!("/fotos/{resource_id}/{index}/{verb}");
    view! {
        <div class="space-y-3" data-testid="photo-manager">
            {if photos.is_empty() {
                view! { <p class="text-slate-500">{t(lang, Key::NoPhotos)}</p> }.into_any()
            } else {
                // Erased: the pages that show it nest it deep enough to reach rustc's type depth limit.
                view! {
                    <ul class="grid grid-cols-2 gap-2">
                        {photos.into_iter().enumerate().map(|(index, url)| view! {
                            <li class="space-y-1" data-testid="photo">
                                <img src=url alt=format!("{name} · {}", index + 1) loading="lazy"
                                    class="aspect-video w-full rounded object-cover"/>
                                <div class="flex flex-wrap items-center gap-1">
                                    {if index == 0 {
                                        Either::Left(view! { <span class="px-2 text-xs font-semibold text-slate-600">{t(lang, Key::CoverPhoto)}</span> })
                                    } else {
                                        Either::Right(view! {
                                            <form method="post" action=action(index, "portada")>
                                                <input type="hidden" name="back" value=back/>
                                                <button type="submit" class=SMALL_BUTTON>{t(lang, Key::MakeCover)}</button>
                                            </form>
                                        })
                                    }}
                                    <form method="post" action=action(index, "quitar")>
                                        <input type="hidden" name="back" value=back/>
                                        <button type="submit" class=SMALL_BUTTON>{t(lang, Key::RemovePhoto)}</button>
                                    </form>
                                </div>
                            </li>
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
            <form method="post" action=format!("/fotos/{resource_id}") enctype="multipart/form-data" class="space-y-2">
                <input type="hidden" name="back" value=back/>
                <label for=input_id.clone() class="block text-sm font-medium text-slate-700">{t(lang, Key::PhotoFile)}</label>
                <input id=input_id type="file" name=PHOTO_FIELD required=true accept="image/jpeg,image/png,image/webp,image/gif"
                    aria-invalid=problem.is_some().to_string()
                    aria-describedby=problem.map(|_| error_id.clone())
                    class="block w-full text-sm"/>
                {problem.map(|p| view! { <p id=error_id role="alert" class="text-sm text-rose-700">{problem_text(lang, p)}</p> })}
                <button type="submit" class=PRIMARY_BUTTON>{t(lang, Key::UploadPhoto)}</button>
            </form>
        </div>
    }
}
