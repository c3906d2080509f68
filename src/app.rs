//! The app shell: document, session context, header and routes.

use crate::components::header::Header;
use crate::error::AppError;
use crate::i18n::{request_lang, PageLang};
use crate::pages::not_found::NotFoundPage;
use crate::routes;
use crate::server_fns::auth::{current_user, UserInfo, Login, Register};
use leptos::prelude::*;
use leptos::server::codee::{Decoder, Encoder};
use leptos_meta::{provide_meta_context, MetaTags, Stylesheet, Title};
use leptos_router::components::{Route, Router, Routes};
use leptos_router::{path, Lazy, SsrMode};
use serde::{de::DeserializeOwned, Serialize};
use std::future::Future;

pub fn shell(options: LeptosOptions) -> impl IntoView {
    #[cfg(feature = "ssr")]
    crate::server::http::security::send_page_policy();
    let lang = request_lang().code();
    view! {
        <!DOCTYPE html>
        <html lang=lang>
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <link rel="icon" href="/favicon.svg" type="image/svg+xml"/>
                <HydrationScripts options/>
                <MetaTags/>
            </head>
            <body class="min-h-screen bg-slate-50 text-slate-900 antialiased">
                <App/>
            </body>
        </html>
    }
}

/// Resource data as JSON, read back in the browser with `serde_json::from_slice`
/// like server function results: with `from_str` (the default codec), every
/// type's `Deserialize` would be compiled twice into the bundle.
pub struct Json;

impl<T: Serialize> Encoder<T> for Json {
    type Error = serde_json::Error;
    type Encoded = String;

    fn encode(value: &T) -> Result<String, Self::Error> {
        serde_json::to_string(value)
    }
}

impl<T: DeserializeOwned> Decoder<T> for Json {
    type Error = serde_json::Error;
    type Encoded = str;

    fn decode(value: &str) -> Result<T, Self::Error> {
        serde_json::from_slice(value.as_bytes())
    }
}

/// `Resource::new` with the [`Json`] codec.
#[track_caller]
pub fn json_resource<T, S, Fut>(
    source: impl Fn() -> S + Send + Sync + 'static,
    fetcher: impl Fn(S) -> Fut + Send + Sync + 'static,
) -> Resource<T, Json>
where
    T: Serialize + DeserializeOwned + Send + Sync + 'static,
    S: Send + Sync + Clone + PartialEq + 'static,
    Fut: Future<Output = T> + Send + 'static,
{
    Resource::new_with_options(source, fetcher, false)
}

/// The session as the UI sees it: who is logged in, and the actions that change it.
#[derive(Clone, Copy)]
pub struct SessionContext {
    pub user: Resource<Result<Option<UserInfo>, AppError>, Json>,
    pub login: ServerAction<Login>,
    pub register: ServerAction<Register>,
}

pub fn use_session() -> SessionContext {
    expect_context::<SessionContext>()
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    provide_context(PageLang(request_lang()));
    let login = ServerAction::<Login>::new();
    let register = ServerAction::<Register>::new();
    let user = json_resource(
        move || (login.version().get(), register.version().get()),
        |_| current_user(),
    );
    provide_context(SessionContext { user, login, register });

    view! {
        <Stylesheet id="leptos" href="/pkg/reservo.css"/>
        <Title formatter=|page: String| if page.is_empty() { "Reservo".to_string() } else { format!("{page} · Reservo") }/>
        <Router>
            <Header/>
            <main id="main" class="mx-auto w-full max-w-6xl px-4 py-8 sm:px-6">
                <Routes fallback=NotFoundPage>
                    <Route path=path!("/") view={Lazy::<routes::Home>::new()}/>
                    <Route path=path!("/login") view={Lazy::<routes::Login>::new()}/>
                    <Route path=path!("/register") view={Lazy::<routes::Register>::new()}/>
                    <Route path=path!("/panel") view={Lazy::<routes::Panel>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/panel/calendario") view={Lazy::<routes::ManagerCalendar>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/panel/recursos/:id") view={Lazy::<routes::ResourceSettings>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/panel/reservas/:id") view={Lazy::<routes::BookingDetail>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/panel/informes") view={Lazy::<routes::ManagerReports>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/admin/informes") view={Lazy::<routes::AdminReports>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/panel/historial") view={Lazy::<routes::History>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/admin/rooms") view={Lazy::<routes::RoomsBoard>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/admin/mail") view={Lazy::<routes::SentMail>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/enlace/:token") view={Lazy::<routes::BookingLink>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/musicos") view={Lazy::<routes::Musicians>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/salones") view={Lazy::<routes::Venues>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/talleres") view={Lazy::<routes::Workshops>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/r/:slug") view={Lazy::<routes::ResourceProfile>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/mis-reservas") view={Lazy::<routes::MyBookings>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/mi-cuenta") view={Lazy::<routes::MyAccount>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/admin/auditoria") view={Lazy::<routes::AuditLog>::new()} ssr=SsrMode::Async/>
                </Routes>
            </main>
        </Router>
    }
}
