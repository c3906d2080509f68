//! Retention and privacy over real HTTP on both engines: the retention job
//! anonymizes only finished bookings older than the period (counts and money
//! stay), once, even with two instances at once; a person downloads their own
//! data and deletes their account; administrators' actions are audited and
//! only administrators read the log.
#![cfg(feature = "ssr")]

mod common;
use chrono::{DateTime, Duration, Utc};
use common::api::Api;
use common::{get_page, on_both_engines, spawn_app_with, TestApp};
use reqwest::header::{CONTENT_DISPOSITION, CONTENT_TYPE, LOCATION};
use reqwest::StatusCode;
use reservo::domain::account::{NewAccount, Role};
use reservo::domain::booking::{Action, Booking, BookingRequest, BookingStatus};
use reservo::domain::privacy::{due_for_anonymization, retention_cutoff, RetentionFacts, ANONYMIZED_NAME, ANONYMIZED_RECIPIENT};
use reservo::server::notify::compose::Audience;
use reservo::server::privacy;
use reservo::server::storage::bookings::{self, Actor};
use reservo::server::storage::outbox::{self, DeliveryStatus};
use reservo::server::storage::{resources, seed, services, users, Db, Engine};
use serde_json::{json, Value};
use sqlx::Row;

on_both_engines!(
    retention_anonymizes_only_finished_bookings_older_than_the_period,
    two_instances_anonymize_each_booking_once,
    a_person_downloads_their_own_data_and_nobody_elses,
    a_wrong_password_refuses_the_deletion_and_changes_nothing,
    deleting_an_account_cancels_upcoming_bookings_anonymizes_past_ones_and_logs_out,
    the_last_administrator_cannot_delete_their_account,
    admin_actions_are_audited_and_only_admins_read_the_log
);

const CLIENT: &str = "client@reservo.test";
const ADMIN: &str = "admin@reservo.test";
const MANAGER: &str = "manager@reservo.test";
const RETENTION_DAYS: u32 = 30;
const ZONE: chrono_tz::Tz = chrono_tz::America::Mexico_City;
const PNG: &[u8] = &[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0];

/// The app with rooms that do not check in and out by themselves, so past
/// bookings keep the status a test gives them.
async fn app(engine: Engine) -> TestApp {
    spawn_app_with(engine, |config| {
        config.kinds.get_mut("room").expect("room kind").auto_transitions = false;
    })
    .await
}

async fn user_id(app: &TestApp, email: &str) -> i64 {
    users::find_by_email(&app.db, email).await.unwrap().unwrap().id
}

/// The demo room number `index` (0: Habitación 101, 1: 102, 2: Suite 201).
async fn room(app: &TestApp, index: usize) -> i64 {
    resources::list_of_kind(&app.db, "room").await.unwrap()[index].id
}

/// A stay booked by `client` as if at `made_at`, with personal data to remove.
async fn stay(app: &TestApp, room_id: i64, client: i64, start: DateTime<Utc>, end: DateTime<Utc>, made_at: DateTime<Utc>) -> Booking {
    let night = services::list_for_resource(&app.db, room_id).await.unwrap().first().map(|s| s.id);
    let request = BookingRequest {
        resource_id: room_id,
        service_id: night,
        client_id: Some(client),
        guest_name: "Carla Cliente".into(),
        guest_email: "carla@example.com".into(),
        guest_phone: Some("+525512345678".into()),
        start,
        end,
        party_size: 2,
        notes: "Placa del coche ABC-123".into(),
        details: json!({"vehicle": "ABC-123"}),
    };
    bookings::create(&app.db, &request, Actor { user_id: Some(client), role: Role::Client }, made_at).await.unwrap()
}

/// Moves a booking on as the system would (no audit entry), at `at`.
async fn step(app: &TestApp, id: i64, action: Action, at: DateTime<Utc>) {
    bookings::apply(&app.db, id, action, Actor::SYSTEM, "la cliente avisó por teléfono", at).await.unwrap();
}

async fn booking(app: &TestApp, id: i64) -> Booking {
    bookings::get(&app.db, id).await.unwrap().unwrap()
}

async fn anonymized_at(db: &Db, id: i64) -> Option<i64> {
    sqlx::query("SELECT anonymized_at FROM bookings WHERE id = $1").bind(id).fetch_one(db.pool()).await.unwrap().get("anonymized_at")
}

/// Waits until the delivery worker has sent (kept) every message written so far.
async fn settle(app: &TestApp) {
    for _ in 0..200 {
        if outbox::list(&app.db, Some(DeliveryStatus::Pending), 1).await.unwrap().is_empty() {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!("messages still pending after 20 s");
}

fn assert_anonymized(b: &Booking) {
    assert_eq!(b.guest_name, ANONYMIZED_NAME, "#{}", b.id);
    assert_eq!((b.guest_email.as_str(), b.guest_phone.as_deref(), b.notes.as_str()), ("", None, ""), "#{}", b.id);
    assert_eq!(b.details, json!({}), "#{}", b.id);
}

fn assert_kept(b: &Booking) {
    assert_eq!((b.guest_name.as_str(), b.guest_email.as_str()), ("Carla Cliente", "carla@example.com"), "#{}", b.id);
    assert_eq!(b.notes, "Placa del coche ABC-123");
}

async fn assert_messages_anonymized(app: &TestApp, booking_id: i64) {
    let messages = outbox::list_for_booking(&app.db, booking_id).await.unwrap();
    assert!(!messages.is_empty(), "#{booking_id} had messages");
    for m in messages {
        assert_eq!(m.recipient, ANONYMIZED_RECIPIENT, "{m:?}");
        assert!(m.subject.is_empty() && m.body_text.is_empty() && m.body_html.is_empty() && m.ics.is_none(), "{m:?}");
    }
}

async fn stats(api: &Api<'_>) -> Value {
    let (status, body) = api.get("/api/bookings/stats/summary").await;
    assert_eq!(status, 200, "{body}");
    body
}

async fn retention_anonymizes_only_finished_bookings_older_than_the_period(engine: Engine) {
    let app = app(engine).await;
    let carla = user_id(&app, CLIENT).await;
    let (a, b, c) = (room(&app, 0).await, room(&app, 1).await, room(&app, 2).await);
    let now = Utc::now();
    let days = Duration::days;
    let completed = stay(&app, a, carla, now - days(41), now - days(40), now - days(45)).await;
    step(&app, completed.id, Action::CheckIn, now - days(41)).await;
    step(&app, completed.id, Action::CheckOut, now - days(40)).await;
    let cancelled = stay(&app, b, carla, now - days(36), now - days(35), now - days(50)).await;
    step(&app, cancelled.id, Action::Cancel, now - days(49)).await;
    // Old but never closed: not finished, so kept.
    let open = stay(&app, c, carla, now - days(38), now - days(37), now - days(45)).await;
    // Finished, but within the period.
    let recent = stay(&app, c, carla, now - days(3), now - days(2), now - days(5)).await;
    step(&app, recent.id, Action::Cancel, now - days(4)).await;
    settle(&app).await;
    let admin = Api::admin(&app).await;
    let before = stats(&admin).await;

    let anonymized = privacy::anonymize_due(&app.db, RETENTION_DAYS, now).await.unwrap();
    assert_eq!(anonymized, 2);
    let cutoff = retention_cutoff(now, RETENTION_DAYS);
    for (id, expected) in [(completed.id, true), (cancelled.id, true), (open.id, false), (recent.id, false)] {
        let after = booking(&app, id).await;
        let facts = RetentionFacts { status: after.status, end: after.end, anonymized: false, client_deleted: false };
        assert_eq!(due_for_anonymization(&facts, cutoff), expected, "the pure rule and the job agree on #{id}");
        if expected {
            assert_anonymized(&after);
            assert_messages_anonymized(&app, id).await;
        } else {
            assert_kept(&after);
        }
    }
    for (old, kept) in [(&completed, booking(&app, completed.id).await), (&cancelled, booking(&app, cancelled.id).await)] {
        assert_eq!((kept.start, kept.end, kept.price_minor, &kept.currency), (old.start, old.end, old.price_minor, &old.currency));
        assert_eq!((kept.resource_id, kept.client_id, kept.party_size), (old.resource_id, old.client_id, old.party_size));
    }
    assert_eq!(booking(&app, completed.id).await.status, BookingStatus::Completed);
    let history = bookings::history(&app.db, cancelled.id).await.unwrap();
    assert!(history.iter().all(|e| e.reason.is_empty()), "reasons typed about the guest are cleared: {history:?}");
    assert_eq!(history.last().unwrap().to, BookingStatus::Cancelled, "the history itself stays");
    let kept_messages = outbox::list_for_booking(&app.db, recent.id).await.unwrap();
    assert!(kept_messages.iter().all(|m| m.recipient == "carla@example.com" || m.recipient == ADMIN), "{kept_messages:?}");
    assert_eq!(stats(&admin).await, before, "counts stay for reports");

    // Idempotent: a second run (or a restart) changes nothing.
    let first = anonymized_at(&app.db, completed.id).await;
    assert!(first.is_some());
    assert_eq!(privacy::anonymize_due(&app.db, RETENTION_DAYS, now + Duration::hours(1)).await.unwrap(), 0);
    assert_eq!(anonymized_at(&app.db, completed.id).await, first);
    assert_kept(&booking(&app, recent.id).await);
    // 0 days keeps everything that is left.
    assert_eq!(privacy::anonymize_due(&app.db, 0, now + Duration::days(3650)).await.unwrap(), 0);
    assert_kept(&booking(&app, recent.id).await);
}

async fn two_instances_anonymize_each_booking_once(engine: Engine) {
    let app = app(engine).await;
    let carla = user_id(&app, CLIENT).await;
    let now = Utc::now();
    let mut ids = Vec::new();
    for n in 0..3 {
        for index in 0..3 {
            let start = now - Duration::days(60 + 3 * n);
            let b = stay(&app, room(&app, index).await, carla, start, start + Duration::days(1), start - Duration::days(5)).await;
            step(&app, b.id, Action::Cancel, start - Duration::days(4)).await;
            ids.push(b.id);
        }
    }
    settle(&app).await;
    let other = Db::connect(&app.config.database.url, 4).await.unwrap();
    let (first, second) =
        tokio::join!(privacy::anonymize_due(&app.db, RETENTION_DAYS, now), privacy::anonymize_due(&other, RETENTION_DAYS, now));
    assert_eq!(first.unwrap() + second.unwrap(), ids.len() as u64, "each booking once");
    for id in ids {
        assert_anonymized(&booking(&app, id).await);
        assert_messages_anonymized(&app, id).await;
    }
    other.close().await;
}

async fn a_person_downloads_their_own_data_and_nobody_elses(engine: Engine) {
    let app = app(engine).await;
    let carla = user_id(&app, CLIENT).await;
    let other = NewAccount {
        name: "Olga Otra".into(),
        email: "olga@example.com".into(),
        phone: None,
        lang: Default::default(),
        role: Role::Client,
        password: seed::DEMO_PASSWORD.into(),
    };
    let olga = users::create(&app.db, &other, "!").await.unwrap();
    let now = Utc::now();
    let mine = stay(&app, room(&app, 0).await, carla, now + Duration::days(5), now + Duration::days(6), now).await;
    let night = services::list_for_resource(&app.db, room(&app, 1).await).await.unwrap().first().map(|s| s.id);
    let request = BookingRequest {
        resource_id: room(&app, 1).await,
        service_id: night,
        client_id: Some(olga),
        guest_name: "Olga Otra".into(),
        guest_email: "olga@example.com".into(),
        guest_phone: None,
        start: now + Duration::days(5),
        end: now + Duration::days(6),
        party_size: 1,
        notes: "Secreto de Olga".into(),
        details: json!({}),
    };
    let hers = bookings::create(&app.db, &request, Actor { user_id: Some(olga), role: Role::Client }, now).await.unwrap();
    let token = Api::user(&app, CLIENT).await.token.unwrap();
    settle(&app).await;

    let client = app.logged_in_client(CLIENT).await;
    let response = client.get(app.url("/mi-cuenta/datos.json")).send().await.unwrap();
    assert_eq!(response.status(), 200);
    assert!(response.headers()[CONTENT_DISPOSITION].to_str().unwrap().starts_with("attachment"));
    assert!(response.headers()[CONTENT_TYPE].to_str().unwrap().starts_with("application/json"));
    let text = response.text().await.unwrap();
    let data: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(data["account"]["email"], CLIENT);
    assert_eq!(data["account"]["id"], carla);
    let ids: Vec<i64> = data["bookings"].as_array().unwrap().iter().map(|b| b["id"].as_i64().unwrap()).collect();
    assert!(ids.contains(&mine.id), "{data}");
    assert!(!ids.contains(&hers.id), "{data}");
    let own = data["bookings"].as_array().unwrap().iter().find(|b| b["id"] == mine.id).unwrap();
    assert_eq!(own["notes"], "Placa del coche ABC-123");
    assert_eq!(own["history"][0]["to"], "confirmed");
    assert_eq!(own["history"][0]["by"], "you");
    let messages = data["messages"].as_array().unwrap();
    assert!(!messages.is_empty(), "{data}");
    assert!(messages.iter().all(|m| m["booking_id"] == mine.id && m["recipient"] == "carla@example.com"), "{data}");
    assert!(!data["sessions"].as_array().unwrap().is_empty());
    assert_eq!(data["api_tokens"].as_array().unwrap().len(), 1);
    for secret in ["Olga", "olga@example.com", "password_hash", "token_hash", "$argon2", token.as_str()] {
        assert!(!text.contains(secret), "the export shows {secret:?}");
    }

    let anonymous = app.client();
    assert_eq!(anonymous.get(app.url("/mi-cuenta/datos.json")).send().await.unwrap().status(), 401);
    let (status, page) = get_page(&client, &app.url("/mi-cuenta"), &[]).await;
    assert_eq!(status, 200);
    assert!(page.contains("Descargar mis datos") && page.contains("/mi-cuenta/datos.json"), "{page}");
    assert!(page.contains("Eliminar mi cuenta"));
    let away = anonymous.get(app.url("/mi-cuenta")).header("accept", "text/html").send().await.unwrap();
    assert_eq!((away.status().as_u16() / 100, away.headers()[LOCATION].to_str().unwrap()), (3, "/login"));
}

async fn delete(app: &TestApp, client: &reqwest::Client, password: &str) -> (StatusCode, Value) {
    let response = app.call(client, "delete-account", &[("password", password)]).await;
    let status = response.status();
    (status, response.json().await.unwrap_or(Value::Null))
}

async fn a_wrong_password_refuses_the_deletion_and_changes_nothing(engine: Engine) {
    let app = app(engine).await;
    let carla = user_id(&app, CLIENT).await;
    let now = Utc::now();
    let upcoming = stay(&app, room(&app, 0).await, carla, now + Duration::days(5), now + Duration::days(6), now).await;
    let client = app.logged_in_client(CLIENT).await;
    let (status, error) = delete(&app, &client, "not-my-password").await;
    assert_eq!(status, 422, "{error}");
    assert_eq!(error["Invalid"], json!({"field": "password", "problem": "password_wrong"}));
    assert_eq!(booking(&app, upcoming.id).await.status, BookingStatus::Confirmed);
    assert_kept(&booking(&app, upcoming.id).await);
    assert!(users::find_by_email(&app.db, CLIENT).await.unwrap().is_some());
    let me = app.call(&client, "current-user", &[]).await.json::<Value>().await.unwrap();
    assert_eq!(me["email"], CLIENT, "still logged in");
    assert_eq!(app.call(&app.client(), "delete-account", &[("password", seed::DEMO_PASSWORD)]).await.status(), 401);
}

async fn deleting_an_account_cancels_upcoming_bookings_anonymizes_past_ones_and_logs_out(engine: Engine) {
    let app = app(engine).await;
    let carla = user_id(&app, CLIENT).await;
    let now = Utc::now();
    let upcoming = stay(&app, room(&app, 0).await, carla, now + Duration::days(10), now + Duration::days(11), now).await;
    // Inside the room's 24 h cutoff: the client may no longer cancel it.
    let imminent = stay(&app, room(&app, 1).await, carla, now + Duration::hours(3), now + Duration::days(1), now).await;
    let past = stay(&app, room(&app, 2).await, carla, now - Duration::days(8), now - Duration::days(7), now - Duration::days(9)).await;
    step(&app, past.id, Action::CheckIn, now - Duration::days(8)).await;
    step(&app, past.id, Action::CheckOut, now - Duration::days(7)).await;
    let token = Api::user(&app, CLIENT).await;
    let elsewhere = app.logged_in_client(CLIENT).await;
    settle(&app).await;

    let client = app.logged_in_client(CLIENT).await;
    let response = app.call(&client, "delete-account", &[("password", seed::DEMO_PASSWORD)]).await;
    assert!(response.status().is_success() || response.status().is_redirection(), "{}", response.status());
    let cleared = response.headers().get_all(reqwest::header::SET_COOKIE).iter().any(|c| c.to_str().unwrap().contains("Max-Age=0"));
    assert!(cleared, "the session cookie is cleared");

    let cancelled = booking(&app, upcoming.id).await;
    assert_eq!(cancelled.status, BookingStatus::Cancelled);
    assert_anonymized(&cancelled);
    let told = outbox::list_for_booking(&app.db, upcoming.id).await.unwrap();
    assert!(
        told.iter().any(|m| m.event == "cancelled" && m.audience == Audience::Manager && m.recipient == ADMIN),
        "the room's manager is told: {told:?}"
    );
    let kept = booking(&app, imminent.id).await;
    assert_eq!(kept.status, BookingStatus::Confirmed, "too late to cancel: it goes ahead");
    assert_kept(&kept);
    assert_anonymized(&booking(&app, past.id).await);
    assert_eq!(booking(&app, past.id).await.status, BookingStatus::Completed, "kept for the managers' records");

    for session in [&client, &elsewhere] {
        let me = app.call(session, "current-user", &[]).await.json::<Value>().await.unwrap();
        assert!(me.is_null(), "logged out everywhere: {me}");
    }
    assert_eq!(token.get("/api/bookings").await.0, 401, "API tokens are gone");
    assert_eq!(app.login(&app.client(), CLIENT, seed::DEMO_PASSWORD).await.status(), 401);
    assert!(users::find_by_email(&app.db, CLIENT).await.unwrap().is_none());
    assert!(users::find(&app.db, carla).await.unwrap().is_none());

    // Once it is finished, the booking that went ahead is anonymized too.
    bookings::apply(&app.db, imminent.id, Action::CheckIn, Actor::SYSTEM, "", now + Duration::hours(3)).await.unwrap();
    bookings::apply(&app.db, imminent.id, Action::CheckOut, Actor::SYSTEM, "", now + Duration::days(1)).await.unwrap();
    assert_eq!(privacy::anonymize_due(&app.db, RETENTION_DAYS, now + Duration::days(1)).await.unwrap(), 1);
    assert_anonymized(&booking(&app, imminent.id).await);

    // The address is free again.
    let fresh = app.client();
    let form = [("name", "Carla de Nuevo"), ("email", CLIENT), ("phone", ""), ("password", "otra-contraseña-larga")];
    assert_eq!(app.call(&fresh, "register", &form).await.status(), 200);
    assert_ne!(user_id(&app, CLIENT).await, carla);
}

async fn the_last_administrator_cannot_delete_their_account(engine: Engine) {
    let app = app(engine).await;
    let admin_id = user_id(&app, ADMIN).await;
    let admin = app.logged_in_client(ADMIN).await;
    let (status, error) = delete(&app, &admin, seed::DEMO_PASSWORD).await;
    assert_eq!(status, 422, "{error}");
    assert_eq!(error["Invalid"], json!({"field": "account", "problem": "last_admin"}));
    assert!(users::find(&app.db, admin_id).await.unwrap().is_some());
    let me = app.call(&admin, "current-user", &[]).await.json::<Value>().await.unwrap();
    assert_eq!(me["email"], ADMIN, "still logged in");

    let second = NewAccount {
        name: "Segunda Admin".into(),
        email: "admin2@reservo.test".into(),
        phone: None,
        lang: Default::default(),
        role: Role::Admin,
        password: seed::DEMO_PASSWORD.into(),
    };
    users::create(&app.db, &second, "!").await.unwrap();
    let (status, body) = delete(&app, &admin, seed::DEMO_PASSWORD).await;
    assert!(status.is_success(), "{status} {body}");
    assert!(users::find(&app.db, admin_id).await.unwrap().is_none());
    let log = reservo::server::storage::audit::list(&app.db, None, 0, 10).await.unwrap();
    let entry = log.iter().find(|e| e.action == "account.delete").expect("audited");
    assert_eq!((entry.actor_id, entry.target.as_str()), (Some(admin_id), format!("user:{admin_id}").as_str()));
}

/// "YYYY-MM-DD" of the local date `days` from today in the rooms' zone.
fn day(days: i64) -> String {
    (Utc::now().with_timezone(&ZONE).date_naive() + Duration::days(days)).to_string()
}

fn ok(reply: (StatusCode, Value), what: &str) -> Value {
    assert!(reply.0.is_success(), "{what}: {} {}", reply.0, reply.1);
    reply.1
}

async fn admin_actions_are_audited_and_only_admins_read_the_log(engine: Engine) {
    let app = app(engine).await;
    let admin = Api::admin(&app).await;
    let admin_id = user_id(&app, ADMIN).await;
    let new_room = ok(admin.post("/api/rooms", json!({"number": "909", "descripcion": "Auditada"})).await, "create")["id"].as_i64().unwrap();
    ok(admin.call(reqwest::Method::PUT, &format!("/api/rooms/{new_room}"), Some(json!({"beds": 2}))).await, "update");
    ok(admin.upload(&format!("/api/resources/{new_room}/photos"), "image/png", PNG.to_vec()).await, "photo");
    let body = json!({"room_id": new_room, "check_in": format!("{}T14:00:00", day(3)), "check_out": format!("{}T12:00:00", day(4))});
    let booked = ok(admin.post("/api/bookings", body).await, "book")["id"].as_i64().unwrap();
    for step in ["check-in", "check-out", "complete-maintenance"] {
        ok(admin.post(&format!("/api/bookings/{booked}/{step}"), json!({})).await, step);
    }
    ok(admin.call(reqwest::Method::DELETE, &format!("/api/rooms/{new_room}"), None).await, "retire");
    ok(admin.post(&format!("/api/resources/{new_room}/restore"), json!({})).await, "restore");
    let board = app.logged_in_client(ADMIN).await;
    let offered = app.call(&board, "set-room-offered", &[("room_id", &new_room.to_string()), ("offered", "false")]).await;
    assert_eq!(offered.status(), 200);
    // A client cancelling their own booking is not an administrator action.
    let client = Api::user(&app, CLIENT).await;
    let own = json!({"room_id": room(&app, 0).await, "check_in": format!("{}T14:00:00", day(20)), "check_out": format!("{}T12:00:00", day(21))});
    let own = ok(client.post("/api/bookings", own).await, "client books")["id"].as_i64().unwrap();
    ok(client.call(reqwest::Method::DELETE, &format!("/api/bookings/{own}"), None).await, "client cancels");

    let log = ok(admin.get("/api/audit").await, "audit");
    let entries = log.as_array().unwrap();
    let actions: Vec<&str> = entries.iter().map(|e| e["action"].as_str().unwrap()).collect();
    for expected in [
        "room.create", "room.update", "photo.add", "booking.create", "booking.check_in", "booking.check_out",
        "booking.complete_maintenance", "resource.retire", "resource.restore",
    ] {
        assert!(actions.contains(&expected), "{expected} in {actions:?}");
    }
    assert_eq!(actions.iter().filter(|a| **a == "resource.retire").count(), 2, "API and board: {actions:?}");
    assert!(!actions.contains(&"booking.cancel"), "{actions:?}");
    assert_eq!(actions[0], "resource.retire", "newest first: {actions:?}");
    let ids: Vec<i64> = entries.iter().map(|e| e["id"].as_i64().unwrap()).collect();
    assert!(ids.windows(2).all(|w| w[0] > w[1]), "{ids:?}");
    assert!(entries.iter().all(|e| e["actor_id"] == admin_id && e["actor_name"] == "Ana Administradora"), "{log}");
    let check_in = entries.iter().find(|e| e["action"] == "booking.check_in").unwrap();
    assert_eq!(check_in["target"], format!("booking:{booked}"));
    assert_eq!(check_in["detail"]["to"], "in_progress");

    let only = ok(admin.get("/api/audit?action=booking.check_in&limit=5").await, "filtered");
    assert_eq!(only.as_array().unwrap().len(), 1, "{only}");
    assert_eq!(admin.get("/api/audit?action=nope").await.0, 422);
    assert_eq!(ok(admin.get("/api/audit?skip=1&limit=2").await, "page").as_array().unwrap().len(), 2);
    assert_eq!(Api::user(&app, MANAGER).await.get("/api/audit").await.0, 403);
    assert_eq!(client.get("/api/audit").await.0, 403);
    assert_eq!(Api::anonymous(&app).get("/api/audit").await.0, 401);

    let page_fn = app.call(&board, "audit-log", &[("page", "1"), ("action", "")]).await;
    assert_eq!(page_fn.status(), 200);
    let page_fn: Value = page_fn.json().await.unwrap();
    assert_eq!(page_fn["total"].as_i64().unwrap(), entries.len() as i64);
    assert_eq!(app.call(&app.logged_in_client(MANAGER).await, "audit-log", &[]).await.status(), 403);
    assert_eq!(app.call(&app.client(), "audit-log", &[]).await.status(), 401);
    let (status, page) = get_page(&board, &app.url("/admin/auditoria?action=booking.check_in"), &[]).await;
    assert_eq!(status, 200);
    assert!(page.contains("data-testid=\"audit-row\"") && page.contains(&format!("booking:{booked}")), "{page}");
    assert!(!page.contains("resource:"), "filtered by action");
}
