//! The REST API of the hotel seed over real HTTP, on both engines.
#![cfg(feature = "ssr")]

mod common;
use chrono::{Duration, Utc};
use common::api::Api;
use common::{on_both_engines, spawn_app, spawn_app_with};
use reqwest::{Client, Method, StatusCode};
use reservo::domain::booking::BookingRequest;
use reservo::server::config::Mode;
use reservo::server::storage::bookings::{self, Actor};
use reservo::server::storage::{resources, Engine};
use serde_json::{json, Value};

const ZONE: chrono_tz::Tz = chrono_tz::America::Mexico_City;

/// "YYYY-MM-DD" of the local date `days` from today in Mexico City.
fn day(days: i64) -> String {
    (Utc::now().with_timezone(&ZONE).date_naive() + Duration::days(days)).to_string()
}

fn booking_body(room: &Value, check_in: &str, check_out: &str) -> Value {
    json!({
        "room_id": room["id"].to_string(), "user_id": 1, "check_in": check_in, "check_out": check_out,
        "guest_name": "Test User", "guest_email": "test@example.com", "guest_phone": "1234567890",
        "number_of_guests": 1, "special_requests": "Cama king size",
    })
}

fn assert_error(reply: &(StatusCode, Value), status: u16, code: &str, field: Option<&str>) {
    assert_eq!(reply.0.as_u16(), status, "{}", reply.1);
    assert_eq!(reply.1["error"], code, "{}", reply.1);
    assert!(reply.1["message"].as_str().is_some_and(|m| !m.is_empty()), "{}", reply.1);
    if let Some(field) = field {
        assert_eq!(reply.1["field"], field, "{}", reply.1);
    }
}

on_both_engines!(
    the_seeds_quick_test_in_ten_steps,
    bad_bookings_are_refused_and_write_nothing,
    permissions_follow_roles,
    consecutive_bookings_keep_the_room_reserved_after_cleaning,
    listing_filters_paginates_and_counts,
    transitions_due_while_down_are_applied_at_start,
    tokens_are_issued_and_revoked,
    admins_change_bookings_under_the_same_checks,
    errors_name_fields_as_the_caller_spelled_them,
    managers_turn_sms_reminders_on_for_their_resources
);

async fn managers_turn_sms_reminders_on_for_their_resources(engine: Engine) {
    let app = spawn_app(engine).await;
    let musician = resources::list_of_kind(&app.db, "musician").await.unwrap()[0].id;
    let path = format!("/api/resources/{musician}/notifications");
    let manager = Api::user(&app, "manager@reservo.test").await;
    assert_eq!(manager.get(&path).await, (StatusCode::OK, json!({"sms_reminders": false})));
    assert_eq!(manager.call(Method::PUT, &path, Some(json!({"sms_reminders": true}))).await, (StatusCode::OK, json!({"sms_reminders": true})));
    assert_eq!(Api::admin(&app).await.get(&path).await.1, json!({"sms_reminders": true}));
    assert_error(&manager.call(Method::PUT, &path, Some(json!({"sms_reminders": "yes"}))).await, 422, "invalid", None);
    let client = Api::user(&app, "client@reservo.test").await;
    assert_error(&client.call(Method::PUT, &path, Some(json!({"sms_reminders": false}))).await, 403, "forbidden", None);
    assert_error(&Api::anonymous(&app).get(&path).await, 401, "unauthorized", None);
    let room = resources::list_of_kind(&app.db, "room").await.unwrap()[0].id;
    assert_error(&manager.get(&format!("/api/resources/{room}/notifications")).await, 403, "forbidden", None);
    assert_error(&manager.get("/api/resources/9999/notifications").await, 404, "not_found", None);
    assert_eq!(manager.get(&path).await.1, json!({"sms_reminders": true}), "refusals changed nothing");
}

async fn errors_name_fields_as_the_caller_spelled_them(engine: Engine) {
    let app = spawn_app(engine).await;
    let api = Api::admin(&app).await;
    let long = "x".repeat(5000);
    assert_error(&api.post("/api/rooms/", json!({"descripcion": long})).await, 422, "invalid", Some("descripcion"));
    assert_error(&api.post("/api/rooms/", json!({"description": long})).await, 422, "invalid", Some("description"));
    let (status, room) = api.post("/api/rooms/", json!({"descripcion": "Con id de usuario en texto"})).await;
    assert_eq!(status, 201, "{room}");
    let (status, booking) = api.post("/api/bookings", json!({
        "room_id": room["id"], "user_id": "3", "check_in": format!("{}T14:00:00", day(2)), "check_out": format!("{}T12:00:00", day(3)),
    })).await;
    assert_eq!(status, 201, "a numeric string is an id: {booking}");
    assert_eq!(booking["user_id"], 3);
    assert_error(&api.post("/api/bookings", json!({"room_id": room["id"], "user_id": "tres", "check_in": "x", "check_out": "y"})).await, 422, "invalid", Some("user_id"));
}

async fn the_seeds_quick_test_in_ten_steps(engine: Engine) {
    let app = spawn_app(engine).await;
    let api = Api::admin(&app).await; // 1
    let (status, room) = api.post("/api/rooms/", json!({"status": "disponible", "descripcion": "Habitacion de prueba"})).await; // 2
    assert_eq!(status, 201, "{room}");
    assert_eq!(room["description"], "Habitacion de prueba");
    assert_eq!(room["status"], "available");
    let body = booking_body(&room, &format!("{}T14:00:00", day(1)), &format!("{}T12:00:00", day(2)));
    let (status, booking) = api.post("/api/bookings/", body).await; // 3
    assert_eq!(status, 201, "{booking}");
    assert_eq!(booking["status"], "confirmed");
    assert!(booking["check_in"].as_str().unwrap().starts_with(&format!("{}T14:00:00-06:00", day(1))), "{booking}");
    assert_eq!(api.room_status(&room).await, "reserved"); // 4
    let id = booking["id"].clone();
    let (status, _) = api.post(&format!("/api/bookings/{id}/check-in"), json!({})).await; // 5
    assert_eq!(status, 200);
    assert_eq!(api.room_status(&room).await, "occupied"); // 6
    let (status, done) = api.post(&format!("/api/bookings/{id}/check-out"), json!({})).await; // 7
    assert_eq!((status.as_u16(), done["status"].as_str()), (200, Some("completed")));
    assert_eq!(api.room_status(&room).await, "maintenance"); // 8
    let (status, _) = api.post(&format!("/api/bookings/{id}/complete-maintenance"), json!({})).await; // 9
    assert_eq!(status, 200);
    assert_eq!(api.room_status(&room).await, "available"); // 10
    let (_, history) = api.get(&format!("/api/bookings/{id}/history")).await;
    assert_eq!(history.as_array().unwrap().len(), 4, "{history}");
}

async fn bad_bookings_are_refused_and_write_nothing(engine: Engine) {
    let app = spawn_app(engine).await;
    let api = Api::admin(&app).await;
    let (_, room) = api.post("/api/rooms", json!({"description": "Sencilla", "guests": 2})).await;
    let (d1, d2, d3) = (day(3), day(4), day(5));
    let at = |d: &str, t: &str| format!("{d}T{t}");
    let cases = [
        (booking_body(&room, &at(&day(-1), "14:00:00"), &at(&d1, "12:00:00")), 422, "start_in_past", Some("check_in")),
        (booking_body(&room, &at(&d2, "14:00:00"), &at(&d1, "12:00:00")), 422, "end_not_after_start", Some("check_out")),
        (booking_body(&room, &format!("{d1} 14:00"), &at(&d2, "12:00:00")), 422, "unreadable_time", Some("check_in")),
        (json!({"room_id": "abc", "check_in": at(&d1, "14:00:00"), "check_out": at(&d2, "12:00:00")}), 422, "invalid", Some("room_id")),
        (json!({"room_id": 99999, "check_in": at(&d1, "14:00:00"), "check_out": at(&d2, "12:00:00")}), 404, "unknown_resource", Some("room_id")),
        (json!({"room_id": 99999, "check_in": at(&d1, "14:00:00Z"), "check_out": at(&d2, "12:00:00Z")}), 404, "unknown_resource", Some("room_id")),
        (json!({"room_id": room["id"], "check_in": at(&d1, "14:00:00"), "check_out": at(&d2, "12:00:00"), "number_of_guests": 3}), 422, "party_too_large", Some("number_of_guests")),
        (json!({"room_id": room["id"], "check_in": at(&d1, "14:00:00"), "check_out": at(&d2, "12:00:00"), "guest_email": "nope"}), 422, "invalid", Some("guest_email")),
        (json!({"room_id": room["id"], "check_in": at(&d1, "14:00:00"), "check_out": at(&d2, "12:00:00"), "number_of_guests": -1}), 422, "invalid", Some("number_of_guests")),
    ];
    for (body, status, code, field) in cases {
        assert_error(&api.post("/api/bookings/", body.clone()).await, status, code, field);
    }
    let (status, _) = api.post("/api/bookings", booking_body(&room, &at(&d1, "14:00:00"), &at(&d3, "12:00:00"))).await;
    assert_eq!(status, 201);
    let overlap = api.post("/api/bookings", booking_body(&room, &at(&d2, "14:00:00"), &at(&d3, "18:00:00"))).await;
    assert_error(&overlap, 409, "conflict", Some("check_in"));
    let malformed = api.http.post(app.url("/api/bookings")).bearer_auth(api.token.as_ref().unwrap())
        .header("content-type", "application/json").body("{not json").send().await.unwrap();
    assert_eq!(malformed.status(), 400);
    assert!(malformed.json::<Value>().await.unwrap()["error"].is_string());
    let (_, list) = api.get(&format!("/api/bookings?room_id={}", room["id"])).await;
    assert_eq!(list.as_array().unwrap().len(), 1, "only the good booking was written");
    let with_offset = booking_body(&room, &format!("{}T20:00:00Z", day(7)), &format!("{}T18:00:00Z", day(8)));
    let (status, later) = api.post("/api/bookings", with_offset).await;
    assert_eq!(status, 201, "{later}");
    assert!(later["check_in"].as_str().unwrap().starts_with(&format!("{}T14:00:00-06:00", day(7))), "shown in the room's zone: {later}");
    assert_error(&api.call(Method::GET, "/api/bookings/99999", None).await, 404, "not_found", None);
    assert_error(&api.call(Method::GET, "/api/no-such-route", None).await, 404, "not_found", None);
}

async fn permissions_follow_roles(engine: Engine) {
    let app = spawn_app(engine).await;
    let admin = Api::admin(&app).await;
    let client = Api::user(&app, "client@reservo.test").await;
    let manager = Api::user(&app, "manager@reservo.test").await;
    let anonymous = Api::anonymous(&app);
    let (_, room) = admin.post("/api/rooms/", json!({"description": "Doble"})).await;
    assert_error(&anonymous.post("/api/bookings", json!({})).await, 401, "unauthorized", None);
    let mut forged = Api::anonymous(&app);
    forged.token = Some("not-a-token".into());
    assert_error(&forged.get("/api/bookings").await, 401, "unauthorized", None);
    assert_error(&client.post("/api/rooms", json!({"description": "x"})).await, 403, "forbidden", None);
    let other_user = json!({"room_id": room["id"], "user_id": 1, "check_in": format!("{}T14:00:00", day(2)), "check_out": format!("{}T12:00:00", day(3))});
    assert_error(&client.post("/api/bookings", other_user).await, 403, "forbidden", None);

    let mine = json!({"room_id": room["id"], "check_in": format!("{}T14:00:00", day(2)), "check_out": format!("{}T12:00:00", day(3))});
    let (status, booking) = client.post("/api/bookings", mine).await;
    assert_eq!(status, 201, "{booking}");
    assert_eq!(booking["guest_email"], "client@reservo.test", "defaults to the caller");
    let id = &booking["id"];
    let (_, admins) = admin.post("/api/bookings", booking_body(&room, &format!("{}T14:00:00", day(5)), &format!("{}T12:00:00", day(6)))).await;
    assert_error(&client.get(&format!("/api/bookings/{}", admins["id"])).await, 403, "forbidden", None);
    assert_error(&manager.get(&format!("/api/bookings/{}", admins["id"])).await, 403, "forbidden", None);
    let (_, visible) = client.get("/api/bookings").await;
    assert_eq!(visible.as_array().unwrap().len(), 1, "a client sees only their own");
    let (_, visible) = manager.get("/api/bookings").await;
    assert_eq!(visible.as_array().unwrap().len(), 0, "the manager manages no rooms");
    assert_error(&client.post(&format!("/api/bookings/{id}/check-in"), json!({})).await, 403, "forbidden", None);
    assert_error(&manager.post(&format!("/api/bookings/{id}/check-in"), json!({})).await, 403, "forbidden", None);
    assert_error(&client.call(Method::PUT, &format!("/api/bookings/{id}"), Some(json!({"guest_name": "X"}))).await, 403, "forbidden", None);

    let (status, _) = admin.post(&format!("/api/bookings/{id}/check-in"), json!({})).await;
    assert_eq!(status, 200);
    assert_error(&client.call(Method::DELETE, &format!("/api/bookings/{id}"), None).await, 409, "illegal_transition", None);
    let (status, cancelled) = admin.call(Method::DELETE, &format!("/api/bookings/{}", admins["id"]), None).await;
    assert_eq!((status.as_u16(), cancelled["status"].as_str()), (200, Some("cancelled")));
}

async fn consecutive_bookings_keep_the_room_reserved_after_cleaning(engine: Engine) {
    let app = spawn_app(engine).await;
    let api = Api::admin(&app).await;
    let (_, room) = api.post("/api/rooms/", json!({"description": "Suite"})).await;
    let (_, first) = api.post("/api/bookings/", booking_body(&room, &format!("{}T14:00:00", day(1)), &format!("{}T12:00:00", day(4)))).await;
    let (status, second) = api.post("/api/bookings/", booking_body(&room, &format!("{}T14:00:00", day(4)), &format!("{}T12:00:00", day(7)))).await;
    assert_eq!(status, 201, "{second}");
    let inside_buffer = api.post("/api/bookings/", booking_body(&room, &format!("{}T12:15:00", day(7)), &format!("{}T12:00:00", day(8)))).await;
    assert_error(&inside_buffer, 409, "conflict", Some("check_in"));
    api.post(&format!("/api/bookings/{}/check-in", first["id"]), json!({})).await;
    api.post(&format!("/api/bookings/{}/check-out", first["id"]), json!({})).await;
    assert_eq!(api.room_status(&room).await, "maintenance");
    api.post(&format!("/api/bookings/{}/complete-maintenance", first["id"]), json!({})).await;
    assert_eq!(api.room_status(&room).await, "reserved", "the next stay is ahead");
    let again = api.post(&format!("/api/bookings/{}/complete-maintenance", first["id"]), json!({})).await;
    assert_error(&again, 409, "illegal_transition", None);
}

async fn listing_filters_paginates_and_counts(engine: Engine) {
    let app = spawn_app(engine).await;
    let api = Api::admin(&app).await;
    let (_, room) = api.post("/api/rooms", json!({"description": "Lista"})).await;
    for n in 0..5 {
        let (status, _) = api.post("/api/bookings", booking_body(&room, &format!("{}T14:00:00", day(2 * n + 1)), &format!("{}T12:00:00", day(2 * n + 2)))).await;
        assert_eq!(status, 201);
    }
    let (_, page) = api.get(&format!("/api/bookings?room_id={}&skip=1&limit=2", room["id"])).await;
    assert_eq!(page.as_array().unwrap().len(), 2);
    let (_, window) = api.get(&format!("/api/bookings/?room_id={}&date_from={}&date_to={}", room["id"], day(4), day(7))).await;
    assert_eq!(window.as_array().unwrap().len(), 2, "{window}");
    let (_, confirmed) = api.get(&format!("/api/bookings?room_id={}&status=confirmada", room["id"])).await;
    assert_eq!(confirmed.as_array().unwrap().len(), 5);
    assert_error(&api.get("/api/bookings?limit=5000").await, 422, "invalid", Some("limit"));
    assert_error(&api.get("/api/bookings?skip=-1").await, 422, "invalid", Some("skip"));
    assert_error(&api.get("/api/bookings?status=roto").await, 422, "invalid", Some("status"));
    let (_, stats) = api.get("/api/bookings/stats/summary").await;
    assert_eq!(stats["total"], 5);
    assert_eq!(stats["active"], 5);
    assert_eq!(stats["by_status"]["confirmed"], 5);
    let (status, rooms) = api.get("/api/rooms").await;
    assert_eq!(status, 200);
    assert!(rooms.as_array().unwrap().len() >= 4, "the demo rooms and the new one");
    let (_, slash) = api.get("/api/rooms/").await;
    assert_eq!(slash, rooms);
    let (status, availability) = api.get(&format!("/api/resources/{}/availability?from={}&to={}", room["id"], day(1), day(12))).await;
    assert_eq!(status, 200, "{availability}");
    assert_eq!(availability["mode"], "ranges");
    assert!(!availability["ranges"].as_array().unwrap().is_empty());
    assert_error(&api.get(&format!("/api/resources/{}/availability?from={}&to={}", room["id"], day(1), day(200))).await, 422, "invalid", Some("to"));
    let musician = resources::list_of_kind(&app.db, "musician").await.unwrap()[0].id;
    let path = format!("/api/rooms/{musician}/availability?from={}&to={}", day(1), day(2));
    assert_error(&api.get(&path).await, 404, "not_found", None);
    let (status, _) = api.get(&format!("/api/resources/{musician}/availability?from={}&to={}", day(1), day(2))).await;
    assert_eq!(status, 200);
}

async fn transitions_due_while_down_are_applied_at_start(engine: Engine) {
    let app = spawn_app(engine).await;
    let rooms = resources::list_of_kind(&app.db, "room").await.unwrap();
    let now = Utc::now();
    let book = |room: i64, start_min: i64, end_min: i64| BookingRequest {
        resource_id: room,
        service_id: None,
        client_id: None,
        guest_name: "Huésped".into(),
        guest_email: "huesped@example.com".into(),
        guest_phone: None,
        start: now + Duration::minutes(start_min),
        end: now + Duration::minutes(end_min),
        party_size: 1,
        notes: String::new(),
        details: json!({}),
    };
    let booked_at = now - Duration::days(1);
    // long over (cleaning over too), just ended (cleaning under way), under way
    for (room, start, end) in [(rooms[0].id, -300, -120), (rooms[1].id, -300, -10), (rooms[2].id, -30, 120)] {
        let booking = bookings::create(&app.db, &book(room, start, end), Actor::SYSTEM, booked_at).await.unwrap();
        assert_eq!(booking.status.as_str(), "confirmed");
    }
    let restarted = app.another_instance().await;
    let api = Api::admin(&restarted).await;
    let expected = [(rooms[0].id, "available"), (rooms[1].id, "maintenance"), (rooms[2].id, "occupied")];
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    loop {
        let mut seen = Vec::new();
        for (room, _) in expected {
            seen.push((room, api.room_status(&json!({"id": room})).await));
        }
        if expected.iter().zip(&seen).all(|((_, want), (_, got))| want == got) {
            break;
        }
        assert!(std::time::Instant::now() < deadline, "statuses after restart: {seen:?}");
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    let first = bookings::list_for_resource(&app.db, rooms[0].id).await.unwrap();
    let history = bookings::history(&app.db, first[0].id).await.unwrap();
    assert_eq!(history.iter().filter(|e| e.reason.starts_with("automatic")).count(), 2, "each transition once");
}

async fn tokens_are_issued_and_revoked(engine: Engine) {
    let app = spawn_app(engine).await;
    let anonymous = Api::anonymous(&app);
    let wrong = anonymous.post("/api/auth/token", json!({"email": "client@reservo.test", "password": "nope-nope-nope"})).await;
    assert_error(&wrong, 401, "bad_credentials", None);
    let client = Api::user(&app, "client@reservo.test").await;
    assert_eq!(client.get("/api/bookings").await.0, 200);
    let lower_case = client.http.delete(app.url("/api/auth/token")).header("authorization", format!("bearer {}", client.token.as_ref().unwrap())).send().await.unwrap();
    assert_eq!(lower_case.status(), 204, "the scheme is case-insensitive");
    assert_error(&client.get("/api/bookings").await, 401, "unauthorized", None);

    // A read-only token reads, may not change anything, and may revoke itself.
    let credentials = |scope: &str| json!({"email": "admin@reservo.test", "password": "demo-password", "scope": scope});
    assert_error(&anonymous.post("/api/auth/token", credentials("write")).await, 422, "invalid", Some("scope"));
    let (status, issued) = anonymous.post("/api/auth/token", credentials("read")).await;
    assert_eq!((status.as_u16(), issued["scope"].clone()), (201, json!("read")), "{issued}");
    let reader = Api { app: &app, http: Client::new(), token: issued["access_token"].as_str().map(str::to_string) };
    let (status, rooms) = reader.get("/api/rooms").await;
    assert_eq!(status, 200);
    let before = reader.get("/api/bookings").await.1.as_array().unwrap().len();
    let refused = reader.post("/api/bookings", booking_body(&rooms[0], &format!("{}T15:00:00", day(40)), &format!("{}T11:00:00", day(41)))).await;
    assert_error(&refused, 403, "insufficient_scope", None);
    assert_error(&reader.call(Method::DELETE, &format!("/api/rooms/{}", rooms[0]["id"]), None).await, 403, "insufficient_scope", None);
    assert_eq!(reader.get("/api/bookings").await.1.as_array().unwrap().len(), before, "nothing was written");
    assert_eq!(reader.call(Method::DELETE, "/api/auth/token", None).await.0, 204);
    assert_error(&reader.get("/api/bookings").await, 401, "unauthorized", None);

    let production = spawn_app_with(engine, |c| c.server.mode = Mode::Production).await;
    assert_eq!(Api::anonymous(&production).get("/api/get-test-token").await.0, 404);
}

async fn admins_change_bookings_under_the_same_checks(engine: Engine) {
    let app = spawn_app(engine).await;
    let api = Api::admin(&app).await;
    let (_, room) = api.post("/api/rooms", json!({"description": "Cambios", "guests": 3})).await;
    let (_, first) = api.post("/api/bookings", booking_body(&room, &format!("{}T14:00:00", day(1)), &format!("{}T12:00:00", day(3)))).await;
    let (_, second) = api.post("/api/bookings", booking_body(&room, &format!("{}T14:00:00", day(5)), &format!("{}T12:00:00", day(7)))).await;
    let put = |id: &Value, body: Value| {
        let path = format!("/api/bookings/{id}");
        let api = &api;
        async move { api.call(Method::PUT, &path, Some(body)).await }
    };
    let (status, changed) = put(&first["id"], json!({"check_in": format!("{}T15:00:00", day(2)), "check_out": format!("{}T11:00:00", day(4)), "guest_name": "Juan Perez Garcia", "number_of_guests": 3})).await;
    assert_eq!(status, 200, "{changed}");
    assert_eq!(changed["guest_name"], "Juan Perez Garcia");
    assert_eq!(changed["number_of_guests"], 3);
    assert!(changed["check_in"].as_str().unwrap().starts_with(&format!("{}T15:00:00", day(2))));
    let clash = put(&first["id"], json!({"check_out": format!("{}T18:00:00", day(5))})).await;
    assert_error(&clash, 409, "conflict", Some("check_in"));
    assert_error(&put(&first["id"], json!({"number_of_guests": 4})).await, 422, "party_too_large", Some("number_of_guests"));
    assert_error(&put(&first["id"], json!({"colour": "red"})).await, 422, "invalid", None);
    let (_, unchanged) = api.get(&format!("/api/bookings/{}", first["id"])).await;
    assert_eq!(unchanged, changed, "refused changes change nothing");
    assert_eq!(second["status"], "confirmed");
}
