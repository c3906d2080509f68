//! The manager's dashboard over real HTTP on both engines: pending requests
//! come first, and a manager confirms, rejects or cancels the bookings of the
//! resources they manage (rejecting and cancelling need a reason).
#![cfg(feature = "ssr")]

mod common;
use chrono::{DateTime, Duration, TimeZone, Utc};
use common::{on_both_engines, spawn_app, TestApp};
use reservo::domain::account::Role;
use reservo::domain::booking::{Action, Booking, BookingRequest, BookingStatus};
use reservo::server::notify::compose::Audience;
use reservo::server::storage::bookings::{self, Actor};
use reservo::server::storage::{outbox, resources, users, Engine};
use serde_json::Value;

on_both_engines!(
    a_manager_confirms_a_pending_request_and_the_client_is_told,
    rejecting_needs_a_reason,
    a_manager_cancels_with_a_reason,
    only_the_resources_manager_or_an_admin_may_act,
    pending_requests_come_first
);

const ZONE: chrono_tz::Tz = chrono_tz::America::Mexico_City;
const MANAGER: &str = "manager@reservo.test";
const CLIENT: &str = "client@reservo.test";

/// `days` from today at `hour`:00 in Mexico City.
fn at(days: i64, hour: u32) -> DateTime<Utc> {
    let day = Utc::now().with_timezone(&ZONE).date_naive() + Duration::days(days);
    ZONE.from_local_datetime(&day.and_hms_opt(hour, 0, 0).unwrap()).single().unwrap().with_timezone(&Utc)
}

/// A start in musicians' hours (12:00 to midnight) between 1 and 20 hours
/// from now: inside the client's 24-hour cancellation cutoff.
fn soon() -> DateTime<Utc> {
    let now = Utc::now();
    (0..2)
        .flat_map(|day| (12..22).map(move |hour| at(day, hour)))
        .find(|start| *start > now + Duration::hours(1) && *start < now + Duration::hours(20))
        .expect("a start within the cutoff")
}

async fn user_id(app: &TestApp, email: &str) -> i64 {
    users::find_by_email(&app.db, email).await.unwrap().expect("demo account").id
}

/// A musician the demo manager manages (requests wait for approval) and a room they do not.
async fn musician_and_room(app: &TestApp) -> (i64, i64) {
    let manager = user_id(app, MANAGER).await;
    let managed = resources::list_managed_by(&app.db, manager).await.unwrap();
    let musician = managed.iter().find(|r| r.kind == "musician").expect("the manager has a musician").id;
    let room = resources::list_of_kind(&app.db, "room").await.unwrap()[0].id;
    assert!(managed.iter().all(|r| r.id != room), "the demo manager does not manage rooms");
    (musician, room)
}

/// A booking the demo client makes of `resource_id` from `start`, for two hours.
async fn request(app: &TestApp, resource_id: i64, start: DateTime<Utc>) -> Booking {
    request_for(app, resource_id, start, Duration::hours(2), Utc::now()).await
}

/// Made as if at `made_at` (earlier, for a start too close to book now).
async fn request_for(app: &TestApp, resource_id: i64, start: DateTime<Utc>, length: Duration, made_at: DateTime<Utc>) -> Booking {
    let client = user_id(app, CLIENT).await;
    let request = BookingRequest {
        resource_id,
        service_id: None,
        client_id: Some(client),
        guest_name: "Carla Cliente".into(),
        guest_email: "carla@example.com".into(),
        guest_phone: None,
        start,
        end: start + length,
        party_size: 1,
        notes: String::new(),
        details: serde_json::json!({}),
    };
    bookings::create(&app.db, &request, Actor { user_id: Some(client), role: Role::Client }, made_at).await.expect("booked")
}

async fn status_of(app: &TestApp, id: i64) -> BookingStatus {
    bookings::get(&app.db, id).await.unwrap().unwrap().status
}

async fn manage(app: &TestApp, client: &reqwest::Client, id: i64, action: &str, reason: &str) -> reqwest::Response {
    app.call(client, "manage-booking", &[("booking_id", &id.to_string()), ("action", action), ("reason", reason)]).await
}

async fn json(response: reqwest::Response) -> Value {
    response.json().await.expect("json body")
}

fn ids(list: &Value) -> Vec<i64> {
    list.as_array().unwrap().iter().map(|b| b["id"].as_i64().unwrap()).collect()
}

async fn a_manager_confirms_a_pending_request_and_the_client_is_told(engine: Engine) {
    let app = spawn_app(engine).await;
    let (musician, _) = musician_and_room(&app).await;
    let booking = request(&app, musician, at(10, 14)).await;
    assert_eq!(booking.status, BookingStatus::Pending, "musicians' requests wait for the manager");
    let manager = app.logged_in_client(MANAGER).await;

    let response = manage(&app, &manager, booking.id, "confirm", "").await;
    assert_eq!(response.status(), 200);
    let line = json(response).await;
    assert_eq!((line["id"].as_i64(), line["status"].as_str()), (Some(booking.id), Some("confirmed")), "{line}");
    assert_eq!(status_of(&app, booking.id).await, BookingStatus::Confirmed);
    let messages = outbox::list_for_booking(&app.db, booking.id).await.unwrap();
    assert!(
        messages.iter().any(|m| m.event == "confirmed" && m.audience == Audience::Client && m.recipient == "carla@example.com"),
        "the client is told: {messages:?}"
    );
    let history = bookings::history(&app.db, booking.id).await.unwrap();
    assert_eq!(history.last().unwrap().actor_id, Some(user_id(&app, MANAGER).await));

    // The client confirms attendance through the emailed link; the manager sees it.
    reservo::server::storage::attendance::confirm(&app.db, booking.id, Utc::now()).await.unwrap();
    let lists = json(app.call(&manager, "managed-bookings", &[]).await).await;
    let listed = lists["upcoming"].as_array().unwrap().iter().find(|b| b["id"] == booking.id).cloned().unwrap();
    assert!(listed["attendance_confirmed"].as_str().is_some_and(|at| at.contains('/')), "{listed}");
    let (_, page) = common::get_page(&manager, &app.url("/panel"), &[]).await;
    assert!(page.contains("data-testid=\"attendance-confirmed\""), "the dashboard shows it");

    // Confirming again is refused by the state machine, and says so.
    let again = manage(&app, &manager, booking.id, "confirm", "").await;
    assert_eq!(again.status(), 409);
    assert_eq!(status_of(&app, booking.id).await, BookingStatus::Confirmed);
}

async fn rejecting_needs_a_reason(engine: Engine) {
    let app = spawn_app(engine).await;
    let (musician, _) = musician_and_room(&app).await;
    let booking = request(&app, musician, at(11, 14)).await;
    let manager = app.logged_in_client(MANAGER).await;

    for reason in ["", "   "] {
        let response = manage(&app, &manager, booking.id, "reject", reason).await;
        assert_eq!(response.status(), 422);
        assert_eq!(json(response).await["Invalid"], serde_json::json!({"field": "reason", "problem": "required"}));
        assert_eq!(status_of(&app, booking.id).await, BookingStatus::Pending, "nothing changed");
    }
    let missing = app.call(&manager, "manage-booking", &[("booking_id", &booking.id.to_string()), ("action", "cancel")]).await;
    assert_eq!(missing.status(), 422, "no reason at all");
    assert_eq!(bookings::history(&app.db, booking.id).await.unwrap().len(), 1, "only the request itself");

    let response = manage(&app, &manager, booking.id, "reject", "Ese día no tocamos").await;
    assert_eq!(response.status(), 200);
    assert_eq!(status_of(&app, booking.id).await, BookingStatus::Rejected);
    assert_eq!(bookings::history(&app.db, booking.id).await.unwrap().last().unwrap().reason, "Ese día no tocamos");

    let unknown = manage(&app, &manager, booking.id + 1000, "reject", "x").await;
    assert_eq!(unknown.status(), 404);
}

async fn a_manager_cancels_with_a_reason(engine: Engine) {
    let app = spawn_app(engine).await;
    let (musician, _) = musician_and_room(&app).await;
    let booking = request(&app, musician, at(12, 14)).await;
    bookings::apply(&app.db, booking.id, Action::Confirm, Actor::SYSTEM, "", Utc::now()).await.unwrap();
    // Inside the client's cutoff, which does not bind the manager.
    let soon = request_for(&app, musician, soon(), Duration::hours(2), Utc::now() - Duration::hours(30)).await;
    let manager = app.logged_in_client(MANAGER).await;

    let response = manage(&app, &manager, booking.id, "cancel", "  El músico está enfermo ").await;
    assert_eq!(response.status(), 200);
    assert_eq!(status_of(&app, booking.id).await, BookingStatus::Cancelled);
    let last = bookings::history(&app.db, booking.id).await.unwrap().pop().unwrap();
    assert_eq!((last.actor_id, last.reason.as_str()), (Some(user_id(&app, MANAGER).await), "El músico está enfermo"));

    let client = app.logged_in_client(CLIENT).await;
    let own = app.call(&client, "cancel-my-booking", &[("booking_id", &soon.id.to_string()), ("reason", "Ya no")]).await;
    assert_eq!(own.status(), 409, "the client may no longer cancel it");
    let response = manage(&app, &manager, soon.id, "cancel", "Imprevisto").await;
    assert_eq!(response.status(), 200, "the client's cutoff does not apply to the manager");
    assert_eq!(status_of(&app, soon.id).await, BookingStatus::Cancelled);

    let again = manage(&app, &manager, booking.id, "cancel", "Otra vez").await;
    assert_eq!(again.status(), 409, "already cancelled");
}

async fn only_the_resources_manager_or_an_admin_may_act(engine: Engine) {
    let app = spawn_app(engine).await;
    let (musician, room) = musician_and_room(&app).await;
    let theirs = request(&app, musician, at(13, 14)).await;
    let stay = request_for(&app, room, at(14, 15), Duration::days(1), Utc::now()).await;

    let client = app.logged_in_client(CLIENT).await;
    assert_eq!(manage(&app, &client, theirs.id, "cancel", "No quiero").await.status(), 403, "a client, even their own booking");
    assert_eq!(manage(&app, &client, theirs.id, "confirm", "").await.status(), 403);
    assert_eq!(status_of(&app, theirs.id).await, BookingStatus::Pending);

    let manager = app.logged_in_client(MANAGER).await;
    assert_eq!(manage(&app, &manager, stay.id, "cancel", "No es mío").await.status(), 403, "rooms are managed by the admin");
    assert_ne!(status_of(&app, stay.id).await, BookingStatus::Cancelled);

    let anonymous = app.client();
    assert_eq!(manage(&app, &anonymous, theirs.id, "confirm", "").await.status(), 401);

    // The admin manages the rooms, and may act on any booking.
    let admin = app.logged_in_client("admin@reservo.test").await;
    assert_eq!(manage(&app, &admin, stay.id, "cancel", "Mantenimiento").await.status(), 200);
    assert_eq!(status_of(&app, stay.id).await, BookingStatus::Cancelled);
    assert_eq!(manage(&app, &admin, theirs.id, "confirm", "").await.status(), 200);
    assert_eq!(status_of(&app, theirs.id).await, BookingStatus::Confirmed);
}

async fn pending_requests_come_first(engine: Engine) {
    let app = spawn_app(engine).await;
    let (musician, room) = musician_and_room(&app).await;
    let sooner = request(&app, musician, at(3, 14)).await;
    let later = request(&app, musician, at(20, 14)).await;
    let pending = request(&app, musician, at(25, 14)).await;
    let not_theirs = request_for(&app, room, at(4, 15), Duration::days(1), Utc::now()).await;
    bookings::apply(&app.db, sooner.id, Action::Confirm, Actor::SYSTEM, "", Utc::now()).await.unwrap();
    bookings::apply(&app.db, later.id, Action::Confirm, Actor::SYSTEM, "", Utc::now()).await.unwrap();
    let manager = app.logged_in_client(MANAGER).await;

    let response = app.call(&manager, "managed-bookings", &[]).await;
    assert_eq!(response.status(), 200);
    let lists = json(response).await;
    assert_eq!(ids(&lists["pending"]), vec![pending.id], "{lists}");
    let upcoming = ids(&lists["upcoming"]);
    assert!(upcoming.contains(&sooner.id) && upcoming.contains(&later.id), "{lists}");
    assert!(!upcoming.contains(&pending.id), "a pending request is listed once");
    assert!(upcoming.iter().position(|&id| id == sooner.id) < upcoming.iter().position(|&id| id == later.id), "soonest first");
    assert!(!upcoming.contains(&not_theirs.id) && !ids(&lists["pending"]).contains(&not_theirs.id));

    // The page shows the pending section first, with the actions.
    let (status, html) = common::get_page(&manager, &app.url("/panel"), &[]).await;
    assert_eq!(status, 200);
    let pending_at = html.find("Solicitudes pendientes").expect("the pending section");
    let line_at = |id: i64| html.find(&format!("data-booking-id=\"{id}\"")).expect("listed");
    assert!(pending_at < line_at(pending.id) && line_at(pending.id) < line_at(sooner.id), "pending first");
    assert!(html.contains("Rechazar") && html.contains("Confirmar") && html.contains("name=\"reason\""), "the action forms");

    // The forms work without JavaScript: the browser is sent back to the dashboard.
    let id = pending.id.to_string();
    let response = manager
        .post(app.url("/fn/manage-booking"))
        .header("accept", "text/html")
        .header("referer", app.url("/panel"))
        .form(&[("booking_id", id.as_str()), ("action", "confirm"), ("reason", "")])
        .send()
        .await
        .unwrap();
    assert!(response.status().is_redirection(), "{}", response.status());
    let location = response.headers()[reqwest::header::LOCATION].to_str().unwrap().to_string();
    assert!(location.contains("/panel"), "{location}");
    assert_eq!(status_of(&app, pending.id).await, BookingStatus::Confirmed);
}
