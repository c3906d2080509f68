//! The app shell: document, session context, header and routes.

use crate::components::header::Header;
use crate::error::AppError;
use crate::i18n::{request_lang, PageLang};
use crate::pages::manager_calendar::ManagerCalendarPage;
use crate::pages::audit_log::AuditLogPage;
use crate::pages::directory::DirectoryPage;
use crate::pages::history::HistoryPage;
use crate::pages::reports::ReportsPage;
use crate::pages::my_account::MyAccountPage;
use crate::pages::resource_profile::ResourceProfilePage;
use crate::pages::booking_detail::BookingDetailPage;
use crate::pages::resource_settings::ResourceSettingsPage;
use crate::pages::{booking_link::BookingLinkPage, home::HomePage, login::LoginPage, my_bookings::MyBookingsPage, not_found::NotFoundPage, panel::PanelPage, register::RegisterPage, rooms_board::RoomsBoardPage, sent_mail::SentMailPage};
use crate::server_fns::auth::{current_user, UserInfo, Login, Register};
use leptos::prelude::*;
use leptos_meta::{provide_meta_context, MetaTags, Stylesheet, Title};
use leptos_router::components::{Route, Router, Routes};
use leptos_router::{path, SsrMode};

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

/// The session as the UI sees it: who is logged in, and the actions that change it.
#[derive(Clone, Copy)]
pub struct SessionContext {
    pub user: Resource<Result<Option<UserInfo>, AppError>>,
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
    let user = Resource::new(
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
                    <Route path=path!("/") view=HomePage/>
                    <Route path=path!("/login") view=LoginPage/>
                    <Route path=path!("/register") view=RegisterPage/>
                    <Route path=path!("/panel") view=PanelPage ssr=SsrMode::Async/>
                    <Route path=path!("/panel/calendario") view=ManagerCalendarPage ssr=SsrMode::Async/>
                    <Route path=path!("/panel/recursos/:id") view=ResourceSettingsPage ssr=SsrMode::Async/>
                    <Route path=path!("/panel/reservas/:id") view=BookingDetailPage ssr=SsrMode::Async/>
                    <Route path=path!("/panel/informes") view=|| view! { <ReportsPage admin=false/> } ssr=SsrMode::Async/>
                    <Route path=path!("/admin/informes") view=|| view! { <ReportsPage admin=true/> } ssr=SsrMode::Async/>
                    <Route path=path!("/panel/historial") view=HistoryPage ssr=SsrMode::Async/>
                    <Route path=path!("/admin/rooms") view=RoomsBoardPage ssr=SsrMode::Async/>
                    <Route path=path!("/admin/mail") view=SentMailPage ssr=SsrMode::Async/>
                    <Route path=path!("/enlace/:token") view=BookingLinkPage ssr=SsrMode::Async/>
                    <Route path=path!("/musicos") view=|| view! { <DirectoryPage kind="musician" path="/musicos"/> } ssr=SsrMode::Async/>
                    <Route path=path!("/salones") view=|| view! { <DirectoryPage kind="venue" path="/salones"/> } ssr=SsrMode::Async/>
                    <Route path=path!("/talleres") view=|| view! { <DirectoryPage kind="workshop" path="/talleres"/> } ssr=SsrMode::Async/>
                    <Route path=path!("/r/:slug") view=ResourceProfilePage ssr=SsrMode::Async/>
                    <Route path=path!("/mis-reservas") view=MyBookingsPage ssr=SsrMode::Async/>
                    <Route path=path!("/mi-cuenta") view=MyAccountPage ssr=SsrMode::Async/>
                    <Route path=path!("/admin/auditoria") view=AuditLogPage ssr=SsrMode::Async/>
                </Routes>
            </main>
        </Router>
    }
}
