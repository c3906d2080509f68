//! Reservo: one booking engine for musicians, venues, workshops and hotel rooms.
//!
//! `domain` holds the pure rules; `server` (feature `ssr`) holds storage, auth,
//! configuration and HTTP; `pages` and `components` are the Leptos UI, shared by
//! the server render and the hydrated browser build.

pub mod app;
pub mod components;
pub mod domain;
pub mod error;
pub mod i18n;
pub mod pages;
pub mod routes;
pub mod server_fns;

#[cfg(feature = "ssr")]
pub mod server;

#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    // Hydration waits for the current page's code chunk (see `routes`).
    wasm_bindgen_futures::spawn_local(async {
        let body = leptos::prelude::document().body().expect("the page has a body");
        leptos::mount::hydrate_from_async(body.clone(), app::App).await.forget();
        // Lets browser tests (and styles) know the page is interactive.
        let _ = body.set_attribute("data-hydrated", "true");
    });
}
