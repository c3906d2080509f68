use crate::i18n::{t, use_lang, Key};
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn HomePage() -> impl IntoView {
    let lang = use_lang();
    view! {
        <Title text=""/>
        <section class="rounded-2xl bg-gradient-to-br from-indigo-600 to-violet-600 px-6 py-16 text-white shadow-lg sm:px-12">
            <h1 class="max-w-3xl text-3xl font-bold tracking-tight sm:text-4xl">{t(lang, Key::HeroTitle)}</h1>
            <p class="mt-4 max-w-2xl text-lg text-indigo-100">{t(lang, Key::HeroBody)}</p>
            <div class="mt-8 flex flex-wrap gap-3">
                <a href="/register" class="rounded-md bg-white px-4 py-2 font-semibold text-indigo-700 shadow hover:bg-indigo-50 focus:outline-none focus-visible:ring-2 focus-visible:ring-white">
                    {t(lang, Key::NavRegister)}
                </a>
                <a href="/login" class="rounded-md border border-white/60 px-4 py-2 font-semibold text-white hover:bg-white/10 focus:outline-none focus-visible:ring-2 focus-visible:ring-white">
                    {t(lang, Key::NavLogin)}
                </a>
            </div>
        </section>
        <ul class="mt-10 grid gap-4 sm:grid-cols-2 lg:grid-cols-4">
            {[(Key::KindMusician, Some("/musicos")), (Key::KindVenue, Some("/salones")), (Key::KindWorkshop, Some("/talleres")), (Key::KindRoom, None)]
                .map(|(key, href)| view! {
                    <li class="rounded-lg border border-slate-200 bg-white text-center font-semibold text-slate-800 shadow-sm">
                        {match href {
                            Some(href) => view! {
                                <a href=href class="block p-5 text-indigo-700 hover:bg-indigo-50 focus:outline-none focus-visible:ring-2 focus-visible:ring-indigo-500">
                                    {t(lang, key)}" →"
                                </a>
                            }.into_any(),
                            None => view! { <span class="block p-5">{t(lang, key)}</span> }.into_any(),
                        }}
                    </li>
                }).collect_view()}
        </ul>
    }
}
