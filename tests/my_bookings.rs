//! "Mis reservas" over real HTTP on both engines: a person sees only the
//! bookings they are the client of, split into upcoming and past, and cancels
//! their own under the client's cancellation policy.
#![cfg(feature = "ssr")]

mod common;
use chrono::{DateTime, Duration, Utc};
use common::{on_both_engines, spawn_app, TestApp};
use reqwest::header::LOCATION;
use reservo::domain::booking::{Booking, BookingRequest, BookingStatus};
use reservo::server::storage::bookings::{self, Actor};
use reservo::server::storage::{resources, services, users, Engine};
use serde_json::Value;

on_both_engines!(
    a_client_sees_only_their_own_bookings_upcoming_and_past,
    a_client_cancels_their_own_booking_before_the_cutoff,
    a_cancel_inside_the_cutoff_is_refused_and_changes_nothing,
    nobody_cancels_someone_elses_booking,
    logged_out_visitors_are_refused_and_sent_to_log_in,
    a_client_moves_their_booking_from_my_bookings
);

const CLIENT: &str = "client@reservo.test";

async fn user_id(app: &TestApp, email: &str) -> i64 {
    users::find_by_email(&app.db, email).await.unwrap().unwrap().id
}

/// The demo room number `index` (0: Habitación 101, 1: 102, 2: Suite 201).
async fn room(app: &TestApp, index: usize) -> (i64, String) {
    let room = resources::list_of_kind(&app.db, "room").await.unwrap()[index].clone();
    (room.id, room.name)
}

/// A room stay for `client` from `start` to `end`, made as if at `made_at`
/// (in the past for bookings that are already over).
async fn stay(app: &TestApp, room_id: i64, client: i64, start: DateTime<Utc>, end: DateTime<Utc>, made_at: DateTime<Utc>) -> Booking {
    let night = services::list_for_resource(&app.db, room_id).await.unwrap().first().map(|s| s.id);
    let request = BookingRequest {
        resource_id: room_id,
        service_id: night,
        client_id: Some(client),
        guest_name: "Carla Cliente".into(),
        guest_email: "carla@example.com".into(),
        guest_phone: None,
        start,
        end,
        party_size: 2,
        notes: "Llegamos tarde".into(),
        details: serde_json::json!({}),
    };
    bookings::create(&app.db, &request, Actor { user_id: Some(client), role: reservo::domain::account::Role::Client }, made_at)
        .await
        .unwrap()
}

async fn json(response: reqwest::Response) -> Value {
    response.json().await.expect("json body")
}

fn ids(list: &Value) -> Vec<i64> {
    list.as_array().unwrap().iter().map(|b| b["id"].as_i64().unwrap()).collect()
}

async fn status_of(app: &TestApp, id: i64) -> BookingStatus {
    bookings::get(&app.db, id).await.unwrap().unwrap().status
}

async fn a_client_sees_only_their_own_bookings_upcoming_and_past(engine: Engine) {
    let app = spawn_app(engine).await;
    let (carla, manager) = (user_id(&app, CLIENT).await, user_id(&app, "manager@reservo.test").await);
    let (room_a, name_a) = room(&app, 0).await;
    let (room_b, _) = room(&app, 1).await;
    let now = Utc::now();
    let far = stay(&app, room_a, carla, now + Duration::days(10), now + Duration::days(12), now).await;
    let soon = stay(&app, room_b, carla, now + Duration::days(3), now + Duration::days(4), now).await;
    let old = stay(&app, room_a, carla, now - Duration::days(20), now - Duration::days(19), now - Duration::days(25)).await;
    let older = stay(&app, room_b, carla, now - Duration::days(40), now - Duration::days(39), now - Duration::days(45)).await;
    let others = stay(&app, room_b, manager, now + Duration::days(6), now + Duration::days(7), now).await;

    let client = app.logged_in_client(CLIENT).await;
    let response = app.call(&client, "my-bookings", &[]).await;
    assert_eq!(response.status(), 200);
    let mine = json(response).await;
    assert_eq!(ids(&mine["upcoming"]), vec![soon.id, far.id], "soonest first: {mine}");
    assert_eq!(ids(&mine["past"]), vec![old.id, older.id], "newest first: {mine}");
    let all: Vec<i64> = ids(&mine["upcoming"]).into_iter().chain(ids(&mine["past"])).collect();
    assert!(!all.contains(&others.id), "another person's booking is not listed");

    let card = &mine["upcoming"][1];
    assert_eq!(card["resource_name"], name_a.as_str());
    assert_eq!(card["resource_kind"], "room");
    assert!(!card["resource_slug"].as_str().unwrap().is_empty());
    assert_eq!(card["timezone"], "America/Mexico_City");
    assert_eq!(card["status"], "confirmed");
    assert_eq!(card["party_size"], 2);
    assert_eq!(card["notes"], "Llegamos tarde");
    assert_eq!(card["price"], "$1,200.00 MXN", "{card}");
    assert!(card["attendance_confirmed_at"].is_null());
    // A stay spans days: both dates are shown.
    let when = card["when"].as_str().unwrap();
    assert_eq!(when.matches(" de 20").count(), 2, "{when}");
    assert!(card["cancel"]["until"].as_str().is_some_and(|u| u.contains(" de ")), "{card}");
    assert!(mine["past"][0]["cancel"]["until"].is_null(), "a stay that is over cannot be cancelled: {mine}");

    // The manager, as a client of someone else's room, sees only their own.
    let manager_client = app.logged_in_client("manager@reservo.test").await;
    let theirs = json(app.call(&manager_client, "my-bookings", &[]).await).await;
    assert_eq!(ids(&theirs["upcoming"]), vec![others.id]);
    assert_eq!(ids(&theirs["past"]), Vec::<i64>::new());

    let (status, html) = common::get_page(&client, &app.url("/mis-reservas"), &[]).await;
    assert_eq!(status, 200);
    assert!(html.contains("Próximas") && html.contains("Pasadas") && html.contains(&name_a), "{html}");
    assert!(html.contains(&format!("data-booking-id=\"{}\"", far.id)) && !html.contains(&format!("data-booking-id=\"{}\"", others.id)));
    assert!(html.contains("href=\"/mis-reservas\""), "the header links the page");
}

async fn a_client_cancels_their_own_booking_before_the_cutoff(engine: Engine) {
    let app = spawn_app(engine).await;
    let carla = user_id(&app, CLIENT).await;
    let (room_a, _) = room(&app, 0).await;
    let now = Utc::now();
    let far = stay(&app, room_a, carla, now + Duration::days(5), now + Duration::days(6), now).await;
    let client = app.logged_in_client(CLIENT).await;
    let id = far.id.to_string();
    let response = app.call(&client, "cancel-my-booking", &[("booking_id", &id), ("reason", "Cambio de planes")]).await;
    assert_eq!(response.status(), 200);
    assert_eq!(status_of(&app, far.id).await, BookingStatus::Cancelled);
    let history = bookings::history(&app.db, far.id).await.unwrap();
    let last = history.last().unwrap();
    assert_eq!((last.actor_id, last.reason.as_str()), (Some(carla), "Cambio de planes"));

    let mine = json(app.call(&client, "my-bookings", &[]).await).await;
    assert_eq!(mine["upcoming"][0]["status"], "cancelled");
    assert_eq!(mine["upcoming"][0]["cancel"], "not_cancellable");
    let again = app.call(&client, "cancel-my-booking", &[("booking_id", &id)]).await;
    assert_eq!(again.status(), 409, "already cancelled");
}

async fn a_cancel_inside_the_cutoff_is_refused_and_changes_nothing(engine: Engine) {
    let app = spawn_app(engine).await;
    let carla = user_id(&app, CLIENT).await;
    let (room_a, _) = room(&app, 0).await;
    let now = Utc::now();
    // Rooms: clients may cancel until 24 h before the arrival.
    let close = stay(&app, room_a, carla, now + Duration::hours(5), now + Duration::hours(29), now).await;
    let client = app.logged_in_client(CLIENT).await;
    let mine = json(app.call(&client, "my-bookings", &[]).await).await;
    assert_eq!(mine["upcoming"][0]["cancel"], serde_json::json!({"too_late": {"hours": 24}}), "{mine}");

    let response = app.call(&client, "cancel-my-booking", &[("booking_id", &close.id.to_string()), ("reason", "")]).await;
    assert_eq!(response.status(), 409);
    let body = json(response).await;
    assert_eq!(body["Booking"]["cancel"]["TooLate"]["hours"], 24, "{body}");
    let refusal: reservo::error::AppError = serde_json::from_value(body).unwrap();
    let reservo::error::AppError::Booking(reservo::domain::booking::BookingError::Cancel(refusal)) = refusal else { panic!("{refusal:?}") };
    let text = reservo::i18n::cancel_refusal_text(reservo::domain::account::Lang::Es, &refusal);
    assert_eq!(text, "Solo puedes cancelar hasta 24 h antes del inicio.");
    assert_eq!(status_of(&app, close.id).await, BookingStatus::Confirmed, "unchanged");
}

async fn nobody_cancels_someone_elses_booking(engine: Engine) {
    let app = spawn_app(engine).await;
    let manager = user_id(&app, "manager@reservo.test").await;
    let (room_a, _) = room(&app, 0).await;
    let now = Utc::now();
    let theirs = stay(&app, room_a, manager, now + Duration::days(5), now + Duration::days(6), now).await;
    let client = app.logged_in_client(CLIENT).await;
    let response = app.call(&client, "cancel-my-booking", &[("booking_id", &theirs.id.to_string())]).await;
    assert_eq!(response.status(), 403);
    assert_eq!(status_of(&app, theirs.id).await, BookingStatus::Confirmed, "unchanged");
    // Not even an administrator cancels here what is not theirs as a client.
    let admin = app.logged_in_client("admin@reservo.test").await;
    assert_eq!(app.call(&admin, "cancel-my-booking", &[("booking_id", &theirs.id.to_string())]).await.status(), 403);
    assert_eq!(app.call(&client, "cancel-my-booking", &[("booking_id", "999999")]).await.status(), 404);
    assert_eq!(status_of(&app, theirs.id).await, BookingStatus::Confirmed, "unchanged");
}

async fn logged_out_visitors_are_refused_and_sent_to_log_in(engine: Engine) {
    let app = spawn_app(engine).await;
    let carla = user_id(&app, CLIENT).await;
    let (room_a, _) = room(&app, 0).await;
    let now = Utc::now();
    let far = stay(&app, room_a, carla, now + Duration::days(5), now + Duration::days(6), now).await;
    let anonymous = app.client();
    assert_eq!(app.call(&anonymous, "my-bookings", &[]).await.status(), 401);
    assert_eq!(app.call(&anonymous, "cancel-my-booking", &[("booking_id", &far.id.to_string())]).await.status(), 401);
    assert_eq!(status_of(&app, far.id).await, BookingStatus::Confirmed, "unchanged");
    let page = anonymous.get(app.url("/mis-reservas")).header("accept", "text/html").send().await.unwrap();
    assert_eq!(page.status().as_u16() / 100, 3, "sent to log in, as on /panel");
    assert_eq!(page.headers()[LOCATION], "/login");
}

async fn a_client_moves_their_booking_from_my_bookings(engine: Engine) {
    let app = spawn_app(engine).await;
    let carla = user_id(&app, CLIENT).await;
    let (room_a, _) = room(&app, 0).await;
    let now = Utc::now();
    let far = stay(&app, room_a, carla, now + Duration::days(5), now + Duration::days(6), now).await;
    let client = app.logged_in_client(CLIENT).await;
    let path = format!("/mis-reservas/{}/cambiar", far.id);
    let (_, html) = common::get_page(&client, &app.url("/mis-reservas"), &[]).await;
    assert!(html.contains(&format!("href=\"{path}\"")), "the card links to it");

    // The link hands over to the signed reschedule page of the emails.
    let no_redirects = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).cookie_store(true).build().unwrap();
    let response = app.login(&no_redirects, CLIENT, reservo::server::storage::seed::DEMO_PASSWORD).await;
    assert_eq!(response.status(), 200);
    let response = no_redirects.get(app.url(&path)).send().await.unwrap();
    assert_eq!(response.status(), 303);
    let target = response.headers()["location"].to_str().unwrap().to_string();
    assert!(target.starts_with("/enlace/"), "{target}");
    let (status, html) = common::get_page(&client, &app.url(&target), &[]).await;
    assert_eq!(status, 200);
    assert!(html.contains("data-action=\"reschedule\"") && html.contains("data-testid=\"link-form\""), "the page offers other times");

    // Only its client, only while it can still move.
    let anonymous = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    let response = anonymous.get(app.url(&path)).send().await.unwrap();
    assert_eq!(response.status(), 303);
    assert!(response.headers()["location"].to_str().unwrap().starts_with("/login?next="));
    let manager = app.logged_in_client("manager@reservo.test").await;
    assert_eq!(manager.get(app.url(&path)).send().await.unwrap().status(), 403);
    assert_eq!(client.get(app.url("/mis-reservas/999999/cambiar")).send().await.unwrap().status(), 404);
    let response = app.call(&client, "cancel-my-booking", &[("booking_id", &far.id.to_string())]).await;
    assert_eq!(response.status(), 200);
    assert_eq!(client.get(app.url(&path)).send().await.unwrap().status(), 409, "a cancelled booking stays put");
}
