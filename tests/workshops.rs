//! Mechanic workshops (seed 001) over HTTP on both engines: the directory,
//! booking a service for a vehicle (remembered for the next time), bays and
//! the daily limit, and the services a manager offers with their deposits.
#![cfg(feature = "ssr")]

mod common;
use common::{create_account, first_free_time, on_both_engines, spawn_app, TestApp};
use reservo::domain::account::Role;
use reservo::error::AppError;
use reservo::domain::booking::BookingStatus;
use reservo::server::storage::{bookings, outbox, vehicles, Engine};
use serde_json::Value;

on_both_engines!(
    workshops_have_a_directory_and_a_service_menu,
    a_client_books_a_service_for_a_vehicle,
    bad_workshop_requests_say_which_field,
    bays_and_the_daily_limit_bound_the_bookings,
    managers_edit_the_services_and_their_deposits,
    conflicts_are_moved_or_cancelled_and_the_client_told
);

const SLUG: &str = "taller-hermanos-ruiz";

async fn profile(app: &TestApp, client: &reqwest::Client) -> Value {
    let response = app.call(client, "resource-profile", &[("slug", SLUG)]).await;
    assert_eq!(response.status(), 200);
    response.json().await.unwrap()
}

/// The id of the workshop's service called `name`.
async fn service_id(app: &TestApp, name: &str) -> String {
    let profile = profile(app, &app.client()).await;
    let rate = profile["rates"].as_array().unwrap().iter().find(|r| r["name"] == name).unwrap_or_else(|| panic!("{name} offered"));
    rate["service_id"].as_i64().unwrap().to_string()
}

fn request(date: &str, time: &str, service: &str) -> Vec<(&'static str, String)> {
    vec![
        ("slug", SLUG.to_string()),
        ("date", date.to_string()),
        ("time", time.to_string()),
        ("service", service.to_string()),
        ("vehicle_make", "Nissan".to_string()),
        ("vehicle_model", "Versa".to_string()),
        ("vehicle_year", "2019".to_string()),
        ("problem", "Rechinan los frenos delanteros".to_string()),
        ("phone", "+52 55 1234 5678".to_string()),
    ]
}

async fn send(app: &TestApp, client: &reqwest::Client, form: &[(&str, String)]) -> reqwest::Response {
    client.post(app.url("/fn/request-booking")).form(form).send().await.unwrap()
}

fn with(mut form: Vec<(&'static str, String)>, field: &'static str, value: &str) -> Vec<(&'static str, String)> {
    form.retain(|(name, _)| *name != field);
    form.push((field, value.to_string()));
    form
}

async fn workshops_have_a_directory_and_a_service_menu(engine: Engine) {
    let app = spawn_app(engine).await;
    let client = app.client();
    let (status, html) = common::get_page(&client, &app.url("/talleres"), &[]).await;
    assert_eq!(status, 200);
    assert!(html.contains("Taller Hermanos Ruiz") && !html.contains("Lucía Ortega"), "workshops only");
    assert!(html.contains("href=\"/talleres\""), "the header links the workshops");

    let (status, html) = common::get_page(&client, &app.url(&format!("/r/{SLUG}")), &[]).await;
    assert_eq!(status, 200);
    assert!(html.contains("name=\"service\""), "a workshop is booked by service");
    assert!(!html.contains("name=\"duration\""), "the service sets the length");
    assert!(html.contains("Revisión de frenos · 60 min · $450.00 MXN"));
    assert!(html.contains("Afinación mayor · 180 min · $2,800.00 MXN · anticipo $500.00 MXN"), "the deposit is shown");
    for field in ["vehicle_make", "vehicle_model", "vehicle_year", "problem", "phone"] {
        assert!(html.contains(&format!("name=\"{field}\"")), "{field} asked");
    }
    assert!(!html.contains("name=\"event_type\""), "no event questions for a workshop");
    let body = profile(&app, &client).await;
    assert_eq!(body["books_vehicle_service"], true);
    assert_eq!(body["rates"].as_array().unwrap().len(), 3);
}

async fn a_client_books_a_service_for_a_vehicle(engine: Engine) {
    let app = spawn_app(engine).await;
    let client = app.logged_in_client("client@reservo.test").await;
    let brakes = service_id(&app, "Revisión de frenos").await;
    let (date, time) = first_free_time(&app, &client, SLUG, "60").await;
    let response = send(&app, &client, &request(&date, &time, &brakes)).await;
    assert_eq!(response.status(), 200);
    let sent: Value = response.json().await.unwrap();
    assert_eq!(sent["status"], "pending", "the demo workshop approves by hand");
    let booking = bookings::get(&app.db, sent["id"].as_i64().unwrap()).await.unwrap().unwrap();
    assert_eq!(booking.service_id.map(|id| id.to_string()), Some(brakes.clone()));
    assert_eq!((booking.price_minor, (booking.end - booking.start).num_minutes()), (45_000, 60), "the service's price and length");
    assert_eq!(booking.details["vehicle"], serde_json::json!({"make": "Nissan", "model": "Versa", "year": 2019}));
    assert_eq!(booking.details["problem"], "Rechinan los frenos delanteros");
    assert_eq!(booking.guest_phone.as_deref(), Some("+525512345678"));

    // The vehicle is remembered, offered on the form, and picked by id next time.
    let saved = profile(&app, &client).await["saved_vehicles"].clone();
    assert_eq!(saved.as_array().unwrap().len(), 1);
    assert_eq!(saved[0]["label"], "Nissan Versa 2019");
    let saved_id = saved[0]["id"].as_i64().unwrap().to_string();
    let (_, html) = common::get_page(&client, &app.url(&format!("/r/{SLUG}")), &[]).await;
    assert!(html.contains("Nissan Versa 2019"), "the form lists the saved vehicle");
    let mut again = request(&date, "16:00", &brakes);
    again.retain(|(name, _)| !name.starts_with("vehicle_"));
    again.push(("vehicle", saved_id.clone()));
    let response = send(&app, &client, &again).await;
    assert_eq!(response.status(), 200);
    let second: Value = response.json().await.unwrap();
    let second = bookings::get(&app.db, second["id"].as_i64().unwrap()).await.unwrap().unwrap();
    assert_eq!(second.details["vehicle"]["model"], "Versa");
    let client_id = booking.client_id.unwrap();
    assert_eq!(vehicles::list_for_user(&app.db, client_id).await.unwrap().len(), 1, "the same vehicle is not saved twice");

    // Someone else cannot use that vehicle, nor sees it.
    let other = create_account(&app.db, "Otro Cliente", "otro@example.com", Role::Client).await;
    let stranger = app.logged_in_client("otro@example.com").await;
    assert_eq!(profile(&app, &stranger).await["saved_vehicles"], serde_json::json!([]));
    let response = send(&app, &stranger, &with(again.clone(), "phone", "+525500000000")).await;
    assert_eq!(response.status(), 422);
    assert_eq!(response.json::<AppError>().await.unwrap().field(), Some("vehicle"));
    assert!(vehicles::list_for_user(&app.db, other).await.unwrap().is_empty());
    // Logged out, there is nothing to list; nor on a profile that does not book vehicles.
    assert_eq!(profile(&app, &app.client()).await["saved_vehicles"], serde_json::json!([]));
    let musician = app.call(&client, "resource-profile", &[("slug", "lucia-ortega")]).await.json::<Value>().await.unwrap();
    assert_eq!(musician["saved_vehicles"], serde_json::json!([]));

    // The vehicle is part of the client's data export.
    let export: Value = client.get(app.url("/mi-cuenta/datos.json")).send().await.unwrap().json().await.unwrap();
    assert_eq!(export["vehicles"][0]["make"], "Nissan");
}

async fn bad_workshop_requests_say_which_field(engine: Engine) {
    let app = spawn_app(engine).await;
    let client = app.logged_in_client("client@reservo.test").await;
    let brakes = service_id(&app, "Revisión de frenos").await;
    let (date, time) = first_free_time(&app, &client, SLUG, "60").await;
    let good = request(&date, &time, &brakes);
    let cases = [
        (with(good.clone(), "service", ""), "service_id"),
        (with(good.clone(), "service", "999999"), "service_id"),
        (with(good.clone(), "service", "abc"), "service_id"),
        (with(good.clone(), "vehicle_make", " "), "vehicle_make"),
        (with(good.clone(), "vehicle_model", ""), "vehicle_model"),
        (with(good.clone(), "vehicle_year", "1850"), "vehicle_year"),
        (with(good.clone(), "vehicle_year", "dos mil"), "vehicle_year"),
        (with(good.clone(), "vehicle", "not-an-id"), "vehicle"),
        (with(good.clone(), "problem", &"x".repeat(1001)), "problem"),
        (with(good.clone(), "phone", "12"), "phone"),
        // The demo client has no phone on the account: one must be typed.
        (with(good.clone(), "phone", ""), "phone"),
    ];
    for (form, field) in cases {
        let response = send(&app, &client, &form).await;
        assert_eq!(response.status(), 422, "{field}: {form:?}");
        assert_eq!(response.json::<AppError>().await.unwrap().field(), Some(field), "{form:?}");
    }
    assert!(bookings::list_for_resource(&app.db, workshop_id(&app).await).await.unwrap().is_empty(), "nothing was booked");
    // A service of another resource is not this workshop's.
    let lucia = app.call(&client, "resource-profile", &[("slug", "lucia-ortega")]).await.json::<Value>().await.unwrap();
    let foreign = lucia["rates"][0]["service_id"].as_i64().unwrap().to_string();
    let response = send(&app, &client, &with(good, "service", &foreign)).await;
    assert_eq!(response.status(), 422);
}

async fn workshop_id(app: &TestApp) -> i64 {
    reservo::server::storage::resources::find_offered_by_slug(&app.db, SLUG).await.unwrap().unwrap().summary.id
}

async fn bays_and_the_daily_limit_bound_the_bookings(engine: Engine) {
    let app = spawn_app(engine).await;
    let brakes = service_id(&app, "Revisión de frenos").await;
    let first = app.logged_in_client("client@reservo.test").await;
    let (date, time) = first_free_time(&app, &first, SLUG, "60").await;
    // Three bays: three cars at the same time, not a fourth.
    let mut statuses = Vec::new();
    for n in 0..4 {
        let email = format!("auto{n}@example.com");
        create_account(&app.db, &format!("Cliente {n}"), &email, Role::Client).await;
        let client = app.logged_in_client(&email).await;
        statuses.push(send(&app, &client, &request(&date, &time, &brakes)).await.status().as_u16());
    }
    assert_eq!(statuses, [200, 200, 200, 409]);

    // The manager caps the day at 3: a fourth booking that day is refused at another hour too.
    let manager = app.logged_in_client("manager@reservo.test").await;
    let id = workshop_id(&app).await.to_string();
    let rules = [
        ("resource_id", id.as_str()),
        ("approval", "manual"),
        ("default_duration", "60"),
        ("min_notice_hours", "1"),
        ("cancel_cutoff_hours", "2"),
        ("buffer_minutes", "0"),
        ("pending_expiry_hours", "48"),
        ("max_per_day", "3"),
    ];
    let response = app.call(&manager, "save-booking-rules", &rules).await;
    assert_eq!(response.status(), 200);
    let response = send(&app, &first, &request(&date, "16:00", &brakes)).await;
    assert_eq!(response.status(), 409);
    let refused = response.json::<AppError>().await.unwrap();
    assert!(format!("{refused:?}").contains("DayFull"), "{refused:?}");
    let settings: Value = app.call(&manager, "resource-settings", &[("resource_id", &id)]).await.json().await.unwrap();
    assert_eq!(settings["rules"]["max_per_day"], "3", "the form shows the limit");
    // Three cars stand in the bays at that hour: two bays are too few; a fourth bay takes a fourth car.
    let with_capacity = |capacity: &'static str| {
        let mut form = rules.to_vec();
        form.retain(|(name, _)| *name != "max_per_day");
        form.push(("capacity", capacity));
        form
    };
    let response = app.call(&manager, "save-booking-rules", &with_capacity("2")).await;
    assert_eq!(response.status(), 422);
    let refused = response.json::<AppError>().await.unwrap();
    assert_eq!(refused.field(), Some("capacity"));
    assert_eq!(refused.field_problem("capacity"), Some(reservo::domain::account::Problem::BelowBookings));
    let settings: Value = app.call(&manager, "resource-settings", &[("resource_id", &id)]).await.json().await.unwrap();
    assert_eq!(settings["rules"]["capacity"], "3", "nothing changed");
    assert_eq!(app.call(&manager, "save-booking-rules", &with_capacity("4")).await.status(), 200);
    let fifth = create_account(&app.db, "Cliente 5", "auto5@example.com", Role::Client).await;
    assert!(fifth > 0);
    let late = app.logged_in_client("auto5@example.com").await;
    assert_eq!(send(&app, &late, &request(&date, &time, &brakes)).await.status(), 200, "a fourth bay");
    let mut bad = rules;
    bad[7].1 = "0";
    let response = app.call(&manager, "save-booking-rules", &bad).await;
    assert_eq!(response.status(), 422);
    assert_eq!(response.json::<AppError>().await.unwrap().field(), Some("max_per_day"));
}

async fn managers_edit_the_services_and_their_deposits(engine: Engine) {
    let app = spawn_app(engine).await;
    let id = workshop_id(&app).await.to_string();
    let manager = app.logged_in_client("manager@reservo.test").await;
    let new_service = |name: &'static str, price: &'static str, kind: &'static str, deposit: &'static str| {
        vec![
            ("resource_id", id.clone()),
            ("name", name.to_string()),
            ("duration", "90".to_string()),
            ("price", price.to_string()),
            ("deposit_kind", kind.to_string()),
            ("deposit", deposit.to_string()),
            ("currency", "MXN".to_string()),
        ]
    };
    let save = |client: &reqwest::Client, form: Vec<(&'static str, String)>| {
        let form: Vec<(&str, String)> = form;
        let request = client.post(app.url("/fn/save-service")).form(&form);
        async move { request.send().await.unwrap() }
    };
    let response = save(&manager, new_service("Cambio de aceite", "1200.50", "percent", "20")).await;
    assert_eq!(response.status(), 200);
    let body = profile(&app, &app.client()).await;
    let oil = body["rates"].as_array().unwrap().iter().find(|r| r["name"] == "Cambio de aceite").expect("offered").clone();
    assert_eq!(oil["price"], "$1,200.50 MXN");
    assert_eq!(oil["deposit"], "$240.10 MXN", "20 % of the price");
    assert_eq!(oil["duration_minutes"], 90);
    let oil_id = oil["service_id"].as_i64().unwrap().to_string();

    // Changed in place: the settings page shows what is stored.
    let mut change = new_service("Cambio de aceite sintético", "1500", "fixed", "300");
    change.push(("service_id", oil_id.clone()));
    assert_eq!(save(&manager, change.clone()).await.status(), 200);
    let settings: Value = app.call(&manager, "resource-settings", &[("resource_id", &id)]).await.json().await.unwrap();
    let edited = settings["services"].as_array().unwrap().iter().find(|s| s["id"].as_i64().map(|n| n.to_string()) == Some(oil_id.clone())).unwrap().clone();
    assert_eq!((edited["name"].as_str(), edited["price"].as_str()), (Some("Cambio de aceite sintético"), Some("1500.00")));
    assert_eq!((edited["deposit_kind"].as_str(), edited["deposit"].as_str()), (Some("fixed"), Some("300.00")));
    let (_, html) = common::get_page(&manager, &app.url(&format!("/panel/recursos/{id}")), &[]).await;
    assert!(html.contains("data-testid=\"services-settings\"") && html.contains("Cambio de aceite sintético"));

    // Bad input names its field and changes nothing.
    for (form, field) in [
        (new_service("", "100", "none", ""), "name"),
        (new_service("X", "cien", "none", ""), "price"),
        (new_service("X", "100", "fixed", "200"), "deposit"),
        (new_service("X", "100", "percent", "0"), "deposit"),
        (new_service("X", "100", "todo", ""), "deposit_kind"),
    ] {
        let response = save(&manager, form).await;
        assert_eq!(response.status(), 422, "{field}");
        assert_eq!(response.json::<AppError>().await.unwrap().field(), Some(field));
    }
    let mut bad_length = new_service("X", "100", "none", "");
    bad_length[2].1 = "0".into();
    assert_eq!(save(&manager, bad_length).await.status(), 422);
    assert_eq!(profile(&app, &app.client()).await["rates"].as_array().unwrap().len(), 4, "three seeded and the new one");

    // Only the workshop's managers and admins.
    create_account(&app.db, "Otra Manager", "otra@example.com", Role::Manager).await;
    for email in ["otra@example.com", "client@reservo.test"] {
        let someone = app.logged_in_client(email).await;
        assert_eq!(save(&someone, new_service("Intruso", "1", "none", "")).await.status(), 403, "{email}");
        let response = app.call(&someone, "remove-service", &[("resource_id", &id), ("service_id", &oil_id)]).await;
        assert_eq!(response.status(), 403, "{email}");
    }
    assert_eq!(save(&app.client(), new_service("Intruso", "1", "none", "")).await.status(), 401);
    let admin = app.logged_in_client("admin@reservo.test").await;
    assert_eq!(save(&admin, new_service("Alineación", "600", "none", "")).await.status(), 200);
    // An administrator's change is audited; the managers' own are not.
    let log = reservo::server::storage::audit::list(&app.db, Some(reservo::domain::audit::AuditAction::ResourceSettings), 0, 10).await.unwrap();
    assert_eq!(log.len(), 1, "{log:?}");
    assert_eq!((log[0].target.clone(), log[0].detail["service"]["name"].clone()), (format!("resource:{id}"), serde_json::json!("Alineación")));

    // A booking keeps its service when the service is removed; it is no longer offered.
    let client = app.logged_in_client("client@reservo.test").await;
    let (date, time) = first_free_time(&app, &client, SLUG, "90").await;
    let response = send(&app, &client, &request(&date, &time, &oil_id)).await;
    assert_eq!(response.status(), 200);
    let booked: Value = response.json().await.unwrap();
    let response = app.call(&manager, "remove-service", &[("resource_id", &id), ("service_id", &oil_id)]).await;
    assert_eq!(response.status(), 200);
    let response = app.call(&manager, "remove-service", &[("resource_id", &id), ("service_id", &oil_id)]).await;
    assert_eq!(response.status(), 404, "already removed");
    assert!(!profile(&app, &app.client()).await["rates"].to_string().contains("sintético"));
    let booking = bookings::get(&app.db, booked["id"].as_i64().unwrap()).await.unwrap().unwrap();
    assert_eq!(booking.service_id.map(|n| n.to_string()), Some(oil_id.clone()));
    let response = send(&app, &client, &request(&date, "16:00", &oil_id)).await;
    assert_eq!(response.status(), 422, "a removed service takes no bookings");
    let mut edit_removed = change;
    edit_removed[1].1 = "Otra vez".into();
    assert_eq!(save(&manager, edit_removed).await.status(), 404);
}

async fn conflicts_are_moved_or_cancelled_and_the_client_told(engine: Engine) {
    let app = spawn_app(engine).await;
    let id = workshop_id(&app).await.to_string();
    let brakes = service_id(&app, "Revisión de frenos").await;
    let client = app.logged_in_client("client@reservo.test").await;
    let (date, time) = first_free_time(&app, &client, SLUG, "60").await;
    let mut booked = Vec::new();
    for at in [time.as_str(), "16:00"] {
        let response = send(&app, &client, &request(&date, at, &brakes)).await;
        assert_eq!(response.status(), 200, "{at}");
        booked.push(response.json::<Value>().await.unwrap()["id"].as_i64().unwrap());
    }
    // The workshop closes that day: both bookings are conflicts now.
    let manager = app.logged_in_client("manager@reservo.test").await;
    let response = app.call(&manager, "add-date-exception", &[("resource_id", &id), ("date", &date), ("closed", "true")]).await;
    assert_eq!(response.status(), 200);
    let settings: Value = app.call(&manager, "resource-settings", &[("resource_id", &id)]).await.json().await.unwrap();
    assert_eq!(settings["conflicts"].as_array().unwrap().len(), 2);
    let (_, html) = common::get_page(&manager, &app.url(&format!("/panel/recursos/{id}")), &[]).await;
    assert!(html.contains("data-testid=\"move-booking\"") && html.contains("data-testid=\"cancel-conflict\""));

    let call = |function: &'static str, fields: Vec<(&'static str, String)>| {
        let request = manager.post(app.url(&format!("/fn/{function}"))).form(&fields);
        async move { request.send().await.unwrap() }
    };
    let (new_date, new_time) = first_free_time(&app, &client, SLUG, "60").await;
    assert_ne!(new_date, date, "the closed day is not offered");
    let move_to = |booking: i64, date: &str, time: &str| {
        vec![("booking_id", booking.to_string()), ("date", date.to_string()), ("time", time.to_string())]
    };
    let cancel = |booking: i64, reason: &str| vec![("booking_id", booking.to_string()), ("action", "cancel".into()), ("reason", reason.into())];
    // Refusals say what is wrong and change nothing.
    let response = call("move-booking", move_to(booked[0], "", &new_time)).await;
    assert_eq!(response.status(), 422);
    let response = call("move-booking", move_to(booked[0], &date, &time)).await;
    assert_eq!(response.status(), 422, "its own time resolves nothing");
    let response = call("move-booking", move_to(booked[0], &date, "10:00")).await;
    assert_eq!(response.status(), 422, "still closed that day");
    let response = call("manage-booking", cancel(booked[1], " ")).await;
    assert_eq!(response.json::<AppError>().await.unwrap().field(), Some("reason"));
    let response = call("move-booking", move_to(i64::MAX, &new_date, &new_time)).await;
    assert_eq!(response.status(), 404);
    create_account(&app.db, "Otra Manager", "otra@example.com", Role::Manager).await;
    let stranger = app.logged_in_client("otra@example.com").await;
    for (function, fields) in [("move-booking", move_to(booked[0], &new_date, &new_time)), ("manage-booking", cancel(booked[0], "x"))] {
        let response = stranger.post(app.url(&format!("/fn/{function}"))).form(&fields).send().await.unwrap();
        assert_eq!(response.status(), 403, "{function}");
    }
    let response = stranger.post(app.url("/fn/booking-detail")).form(&[("id", booked[0].to_string())]).send().await.unwrap();
    assert_eq!(response.status(), 403, "another manager does not see it");
    let response = client.post(app.url("/fn/booking-detail")).form(&[("id", booked[0].to_string())]).send().await.unwrap();
    assert_eq!(response.status(), 403, "nor does the client, on the managers' page");

    // The managers' page of the booking shows the vehicle, the problem and the phone.
    let (status, html) = common::get_page(&manager, &app.url(&format!("/panel/reservas/{}", booked[0])), &[]).await;
    assert_eq!(status, 200);
    for shown in ["Nissan Versa 2019", "Rechinan los frenos delanteros", "+525512345678", "Revisión de frenos", "$450.00 MXN", "Sin pagar"] {
        assert!(html.contains(shown), "{shown}");
    }
    let (status, _) = common::get_page(&stranger, &app.url(&format!("/panel/reservas/{}", booked[0])), &[]).await;
    assert_eq!(status, 403);

    // Moved and cancelled; the conflicts are gone and the client is told each time.
    let client_id = bookings::get(&app.db, booked[0]).await.unwrap().unwrap().client_id.unwrap();
    let told_before = outbox::list_to_client_of(&app.db, client_id).await.unwrap().len();
    assert_eq!(call("move-booking", move_to(booked[0], &new_date, &new_time)).await.status(), 200);
    assert_eq!(call("manage-booking", cancel(booked[1], "Cerramos por inventario")).await.status(), 200);
    let moved = bookings::get(&app.db, booked[0]).await.unwrap().unwrap();
    let local = moved.start.with_timezone(&"America/Mexico_City".parse::<chrono_tz::Tz>().unwrap());
    assert_eq!(local.format("%Y-%m-%d %H:%M").to_string(), format!("{new_date} {new_time}"));
    assert_eq!((moved.end - moved.start).num_minutes(), 60, "same length");
    assert_eq!(bookings::get(&app.db, booked[1]).await.unwrap().unwrap().status, BookingStatus::Cancelled);
    let settings: Value = app.call(&manager, "resource-settings", &[("resource_id", &id)]).await.json().await.unwrap();
    assert_eq!(settings["conflicts"], serde_json::json!([]));
    let told = outbox::list_to_client_of(&app.db, client_id).await.unwrap();
    let new_events: Vec<&str> = told[told_before..].iter().map(|m| m.event.as_str()).collect();
    assert!(new_events.iter().any(|e| e.contains("resched")), "{new_events:?}");
    assert!(new_events.iter().any(|e| e.contains("cancel")), "{new_events:?}");
}
