//! Every page as a lazily loaded route: the browser build keeps each page's
//! code in a WebAssembly chunk of its own (cargo-leptos `--split`), fetched
//! when the page is first shown, so the first download holds only the shell.
//! The server renders them as usual.

use crate::pages::audit_log::AuditLogPage;
use crate::pages::booking_detail::BookingDetailPage;
use crate::pages::booking_link::BookingLinkPage;
use crate::pages::directory::DirectoryPage;
use crate::pages::history::HistoryPage;
use crate::pages::home::HomePage;
use crate::pages::login::LoginPage;
use crate::pages::manager_calendar::ManagerCalendarPage;
use crate::pages::my_account::MyAccountPage;
use crate::pages::my_bookings::MyBookingsPage;
use crate::pages::panel::PanelPage;
use crate::pages::register::RegisterPage;
use crate::pages::reports::ReportsPage;
use crate::pages::resource_profile::ResourceProfilePage;
use crate::pages::resource_settings::ResourceSettingsPage;
use crate::pages::rooms_board::RoomsBoardPage;
use crate::pages::sent_mail::SentMailPage;
use leptos::prelude::*;
use leptos_router::{lazy_route, LazyRoute};

/// `lazy_page!(Route, view)`: a route type whose view is loaded on demand.
macro_rules! lazy_page {
    ($($route:ident => $view:expr;)*) => {$(
        pub struct $route;

        #[lazy_route]
        impl LazyRoute for $route {
            fn data() -> Self {
                $route
            }

            fn view(_this: Self) -> AnyView {
                $view.into_any()
            }
        }
    )*};
}

lazy_page! {
    Home => view! { <HomePage/> };
    Login => view! { <LoginPage/> };
    Register => view! { <RegisterPage/> };
    Panel => view! { <PanelPage/> };
    ManagerCalendar => view! { <ManagerCalendarPage/> };
    ResourceSettings => view! { <ResourceSettingsPage/> };
    BookingDetail => view! { <BookingDetailPage/> };
    ManagerReports => view! { <ReportsPage admin=false/> };
    AdminReports => view! { <ReportsPage admin=true/> };
    History => view! { <HistoryPage/> };
    RoomsBoard => view! { <RoomsBoardPage/> };
    SentMail => view! { <SentMailPage/> };
    BookingLink => view! { <BookingLinkPage/> };
    Musicians => view! { <DirectoryPage kind="musician" path="/musicos"/> };
    Venues => view! { <DirectoryPage kind="venue" path="/salones"/> };
    Workshops => view! { <DirectoryPage kind="workshop" path="/talleres"/> };
    ResourceProfile => view! { <ResourceProfilePage/> };
    MyBookings => view! { <MyBookingsPage/> };
    MyAccount => view! { <MyAccountPage/> };
    AuditLog => view! { <AuditLogPage/> };
}
