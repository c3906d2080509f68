//! Every page as a lazily loaded route: the browser build keeps each group
//! of pages in a WebAssembly module of its own (cargo-leptos `--split`),
//! fetched when one of them is first shown, so the first download holds only
//! the shell. The server renders them as usual.
//!
//! Pages are grouped because the splitter puts the code that several modules
//! share into one small file per combination of modules, each compressed on
//! its own: with a module per page (20) a first page fetched 100-225 files,
//! most under 1 KB. With these 8 groups it fetched 70-90 and the heaviest
//! first page was 422 KB instead of 447 KB (brotli, `scripts/bundle_size.mjs`);
//! scripts/merge_chunks.mjs now joins what three or more groups share.
//! The heavy pages (profile, booking link, panel, resource settings) keep a
//! module each, the landing pages share one, and the rest are grouped so that
//! no group outweighs the heavy pages; fewer, larger groups made some first
//! pages heavier (measured: 7 groups, 477 KB).

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
use leptos_router::LazyRoute;

/// `lazy_pages! { load / preload: Group { Route => view; ... } ... }`: for each
/// group, one lazily loaded function `load` (`preload` is the name `#[lazy]`
/// gives its preloader) that renders any page of the group, and for each page a
/// route type that calls it.
macro_rules! lazy_pages {
    ($($load:ident / $preload:ident: $group:ident { $($route:ident => $view:expr;)* })*) => {$(
        #[derive(Clone, Copy)]
        pub enum $group {
            $($route,)*
        }

        #[::leptos::lazy]
        fn $load(page: $group) -> AnyView {
            match page {
                $($group::$route => $view.into_any(),)*
            }
        }

        $(
            pub struct $route;

            impl LazyRoute for $route {
                fn data() -> Self {
                    $route
                }

                async fn view(_this: Self) -> AnyView {
                    $load($group::$route).await
                }

                async fn preload() {
                    // Only the browser build has the preloader (as in `#[lazy_route]`).
                    #[cfg(target_arch = "wasm32")]
                    $preload().await;
                }
            }
        )*
    )*};
}

lazy_pages! {
    entry_pages / __preload_entry_pages: EntryPages {
        Home => view! { <HomePage/> };
        Login => view! { <LoginPage/> };
        Register => view! { <RegisterPage/> };
        Musicians => view! { <DirectoryPage kind="musician" path="/musicos"/> };
        Venues => view! { <DirectoryPage kind="venue" path="/salones"/> };
        Workshops => view! { <DirectoryPage kind="workshop" path="/talleres"/> };
    }
    profile_page / __preload_profile_page: ProfilePage {
        ResourceProfile => view! { <ResourceProfilePage/> };
    }
    link_page / __preload_link_page: LinkPage {
        BookingLink => view! { <BookingLinkPage/> };
    }
    panel_page / __preload_panel_page: PanelPages {
        Panel => view! { <PanelPage/> };
    }
    settings_page / __preload_settings_page: SettingsPage {
        ResourceSettings => view! { <ResourceSettingsPage/> };
    }
    client_pages / __preload_client_pages: ClientPages {
        MyBookings => view! { <MyBookingsPage/> };
        MyAccount => view! { <MyAccountPage/> };
        ManagerReports => view! { <ReportsPage admin=false/> };
        AdminReports => view! { <ReportsPage admin=true/> };
    }
    manager_pages / __preload_manager_pages: ManagerPages {
        ManagerCalendar => view! { <ManagerCalendarPage/> };
        BookingDetail => view! { <BookingDetailPage/> };
        History => view! { <HistoryPage/> };
    }
    admin_pages / __preload_admin_pages: AdminPages {
        RoomsBoard => view! { <RoomsBoardPage/> };
        SentMail => view! { <SentMailPage/> };
        AuditLog => view! { <AuditLogPage/> };
    }
}
