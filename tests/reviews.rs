//! Reviews over real HTTP on both engines: the client of a completed booking
//! rates it once, the profile shows the average and the (escaped) comments,
//! and a manager of the resource replies once.
#![cfg(feature = "ssr")]

mod common;
use chrono::{Duration, Utc};
use common::{on_both_engines, spawn_app, TestApp};
use reservo::domain::account::Role;
use reservo::domain::booking::{Action, Booking, BookingRequest, BookingStatus};
use reservo::server::storage::bookings::{self, Actor};
use reservo::server::storage::{resources, reviews, services, users, Engine};
use serde_json::Value;

on_both_engines!(
    a_client_reviews_a_completed_booking_once,
    only_the_client_of_a_completed_booking_may_review_it,
    bad_ratings_and_long_comments_are_refused_and_nothing_is_written,
    the_profile_shows_the_average_and_the_escaped_comments,
    a_manager_of_the_resource_replies_once_and_nobody_else_may
);

const CLIENT: &str = "client@reservo.test";
const MANAGER: &str = "manager@reservo.test";
const SCRIPT: &str = "<script>alert(1)</script>";

async fn user_id(app: &TestApp, email: &str) -> i64 {
    users::find_by_email(&app.db, email).await.unwrap().unwrap().id
}

/// The demo room number `index` (0: Habitación 101, ...): (id, slug).
async fn room(app: &TestApp, index: usize) -> (i64, String) {
    let room = resources::list_of_kind(&app.db, "room").await.unwrap()[index].clone();
    (room.id, room.slug)
}

/// A one-night stay of `client` starting `days_from_now` days from now
/// (negative: in the past), made well before it.
async fn stay(app: &TestApp, room_id: i64, client: i64, days_from_now: i64) -> Booking {
    let night = services::list_for_resource(&app.db, room_id).await.unwrap().first().map(|s| s.id);
    let start = Utc::now() + Duration::days(days_from_now);
    let request = BookingRequest {
        resource_id: room_id,
        service_id: night,
        client_id: Some(client),
        guest_name: "Carla Cliente".into(),
        guest_email: "carla@example.com".into(),
        guest_phone: None,
        start,
        end: start + Duration::days(1),
        party_size: 1,
        notes: String::new(),
        details: serde_json::json!({}),
    };
    let made_at = start.min(Utc::now()) - Duration::days(3);
    bookings::create(&app.db, &request, Actor { user_id: Some(client), role: Role::Client }, made_at).await.unwrap()
}

/// A past stay taken through check-in and check-out.
async fn completed_stay(app: &TestApp, room_id: i64, client: i64, days_ago: i64) -> Booking {
    let booking = stay(app, room_id, client, -days_ago).await;
    for _ in 0..5 {
        let now = bookings::get(&app.db, booking.id).await.unwrap().unwrap();
        let action = match now.status {
            BookingStatus::Confirmed => Action::CheckIn,
            BookingStatus::InProgress => Action::CheckOut,
            BookingStatus::Completed => return now,
            other => panic!("a stay that cannot complete: {other}"),
        };
        // The app's own job may take the step first: then the status is read again.
        let _ = bookings::apply(&app.db, booking.id, action, Actor::SYSTEM, "", Utc::now()).await;
    }
    panic!("booking {} did not complete", booking.id)
}

async fn review(app: &TestApp, client: &reqwest::Client, booking_id: i64, rating: &str, comment: &str) -> reqwest::Response {
    let id = booking_id.to_string();
    app.call(client, "leave-review", &[("booking_id", &id), ("rating", rating), ("comment", comment)]).await
}

async fn reply(app: &TestApp, client: &reqwest::Client, review_id: i64, text: &str) -> reqwest::Response {
    app.call(client, "reply-review", &[("review_id", &review_id.to_string()), ("reply", text)]).await
}

async fn json(response: reqwest::Response) -> Value {
    response.json().await.expect("json body")
}

/// The review state of the caller's booking `id` on "Mis reservas".
async fn review_state(app: &TestApp, client: &reqwest::Client, id: i64) -> Value {
    let mine = json(app.call(client, "my-bookings", &[]).await).await;
    let mut all = mine["upcoming"].as_array().unwrap().iter().chain(mine["past"].as_array().unwrap());
    all.find(|b| b["id"] == id).unwrap_or_else(|| panic!("booking {id} listed: {mine}"))["review"].clone()
}

async fn a_client_reviews_a_completed_booking_once(engine: Engine) {
    let app = spawn_app(engine).await;
    let carla = user_id(&app, CLIENT).await;
    let (room_a, _) = room(&app, 0).await;
    let done = completed_stay(&app, room_a, carla, 10).await;
    let other = completed_stay(&app, room_a, carla, 20).await;
    let client = app.logged_in_client(CLIENT).await;
    assert_eq!(review_state(&app, &client, done.id).await, "open");

    let first = review(&app, &client, done.id, "4", "  Muy limpia y tranquila.  ").await;
    assert_eq!(first.status(), 200);
    let stored = reviews::for_booking(&app.db, done.id).await.unwrap().expect("stored");
    assert_eq!((stored.rating, stored.comment.as_str(), stored.client_id), (4, "Muy limpia y tranquila.", Some(carla)));
    assert_eq!(stored.resource_id, room_a);

    let again = review(&app, &client, done.id, "1", "Cambié de opinión").await;
    assert_eq!(again.status(), 409, "once only");
    assert_eq!(json(again).await["Review"], "already_reviewed");
    let kept = reviews::for_booking(&app.db, done.id).await.unwrap().unwrap();
    assert_eq!((kept.id, kept.rating), (stored.id, 4), "the first review stays");
    assert_eq!(review_state(&app, &client, done.id).await, serde_json::json!({"given": {"rating": 4, "comment": "Muy limpia y tranquila."}}));

    let (status, html) = common::get_page(&client, &app.url("/mis-reservas"), &[]).await;
    assert_eq!(status, 200);
    assert!(html.contains("data-testid=\"my-review\"") && html.contains("Tu valoración"), "{html}");
    // The other completed stay still offers the form: stars as radio inputs.
    assert!(html.contains("Valorar") && html.contains("data-testid=\"review-form\""), "{html}");
    assert_eq!(html.matches("type=\"radio\" name=\"rating\"").count(), 5, "one form, five stars: {html}");
    assert_eq!(review_state(&app, &client, other.id).await, "open");
}

async fn only_the_client_of_a_completed_booking_may_review_it(engine: Engine) {
    let app = spawn_app(engine).await;
    let carla = user_id(&app, CLIENT).await;
    let (room_a, _) = room(&app, 0).await;
    let done = completed_stay(&app, room_a, carla, 10).await;
    let upcoming = stay(&app, room_a, carla, 5).await;

    let manager = app.logged_in_client(MANAGER).await;
    assert_eq!(review(&app, &manager, done.id, "1", "").await.status(), 403, "someone else's booking");
    let client = app.logged_in_client(CLIENT).await;
    let early = review(&app, &client, upcoming.id, "5", "").await;
    assert_eq!(early.status(), 409, "not completed yet");
    assert_eq!(json(early).await["Review"], "not_completed");
    assert_eq!(review_state(&app, &client, upcoming.id).await, "unavailable");
    assert_eq!(review(&app, &client, 999_999, "5", "").await.status(), 404);
    assert_eq!(review(&app, &app.client(), done.id, "5", "").await.status(), 401, "logged out");
    for id in [done.id, upcoming.id] {
        assert!(reviews::for_booking(&app.db, id).await.unwrap().is_none(), "nothing written");
    }
}

async fn bad_ratings_and_long_comments_are_refused_and_nothing_is_written(engine: Engine) {
    let app = spawn_app(engine).await;
    let carla = user_id(&app, CLIENT).await;
    let (room_a, _) = room(&app, 0).await;
    let done = completed_stay(&app, room_a, carla, 10).await;
    let client = app.logged_in_client(CLIENT).await;
    for rating in ["0", "6", "", "tres"] {
        let refused = review(&app, &client, done.id, rating, "Bien").await;
        assert_eq!(refused.status(), 422, "rating {rating:?}");
        assert_eq!(json(refused).await["Invalid"], serde_json::json!({"field": "rating", "problem": "rating_out_of_range"}));
    }
    let long = "a".repeat(2001);
    let refused = review(&app, &client, done.id, "5", &long).await;
    assert_eq!(refused.status(), 422);
    assert_eq!(json(refused).await["Invalid"], serde_json::json!({"field": "comment", "problem": "review_too_long"}));
    assert!(reviews::for_booking(&app.db, done.id).await.unwrap().is_none(), "nothing written");
    assert_eq!(review(&app, &client, done.id, "5", &"a".repeat(2000)).await.status(), 200, "2000 characters are fine");
}

async fn the_profile_shows_the_average_and_the_escaped_comments(engine: Engine) {
    let app = spawn_app(engine).await;
    let carla = user_id(&app, CLIENT).await;
    let (room_a, slug) = room(&app, 0).await;
    let older = completed_stay(&app, room_a, carla, 20).await;
    let newer = completed_stay(&app, room_a, carla, 10).await;
    let visitor = app.client();
    let (_, empty) = common::get_page(&visitor, &app.url(&format!("/r/{slug}")), &[]).await;
    assert!(empty.contains("Todavía no hay reseñas."), "{empty}");
    let none = json(visitor.get(app.url(&format!("/api/resources/{room_a}/reviews"))).send().await.unwrap()).await;
    assert_eq!((none["count"].as_u64(), none["average"].is_null(), none["reviews"].clone()), (Some(0), true, serde_json::json!([])), "{none}");

    let client = app.logged_in_client(CLIENT).await;
    assert_eq!(review(&app, &client, older.id, "4", "Buena").await.status(), 200);
    assert_eq!(review(&app, &client, newer.id, "5", SCRIPT).await.status(), 200);

    let listed = json(app.call(&visitor, "resource-reviews", &[("slug", &slug)]).await).await;
    assert_eq!((listed["count"].as_u64(), listed["average_tenths"].as_u64()), (Some(2), Some(45)), "{listed}");
    let reviews = listed["reviews"].as_array().unwrap();
    assert_eq!(reviews.iter().map(|r| r["comment"].as_str().unwrap()).collect::<Vec<_>>(), vec![SCRIPT, "Buena"], "newest first");
    assert_eq!(reviews[0]["reviewer"], "Carla", "first name only");
    assert!(reviews[0]["date"].as_str().unwrap().contains(" de 20"), "{listed}");
    assert_eq!(listed["more"], false);

    let (status, html) = common::get_page(&visitor, &app.url(&format!("/r/{slug}")), &[]).await;
    assert_eq!(status, 200);
    assert!(html.contains("4,5 de 5 (2 reseñas)"), "{html}");
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"), "the comment is shown as text: {html}");
    assert!(!html.contains(SCRIPT), "and never as markup");
    assert!(html.contains("data-testid=\"review\"") && html.contains("Buena"));
    assert!(!html.contains("Carla Cliente"), "the reviewer's full name is not shown");
    assert_eq!(app.call(&visitor, "resource-reviews", &[("slug", "no-such-thing")]).await.status(), 404);

    let api = visitor.get(app.url(&format!("/api/resources/{room_a}/reviews?limit=1"))).send().await.unwrap();
    assert_eq!(api.status(), 200);
    let body = json(api).await;
    assert_eq!((body["count"].as_u64(), body["average"].as_f64()), (Some(2), Some(4.5)), "{body}");
    assert_eq!(body["reviews"].as_array().unwrap().len(), 1, "limited: {body}");
    assert_eq!((body["reviews"][0]["comment"].as_str(), body["reviews"][0]["reviewer"].as_str()), (Some(SCRIPT), Some("Carla")));
    let second = json(visitor.get(app.url(&format!("/api/resources/{room_a}/reviews?skip=1&limit=1"))).send().await.unwrap()).await;
    assert_eq!((second["count"].as_u64(), second["reviews"][0]["comment"].as_str()), (Some(2), Some("Buena")), "{second}");
    let past_the_end = json(visitor.get(app.url(&format!("/api/resources/{room_a}/reviews?skip=5"))).send().await.unwrap()).await;
    assert_eq!((past_the_end["count"].as_u64(), past_the_end["average"].as_f64()), (Some(2), Some(4.5)), "counted without a row to carry it: {past_the_end}");
    assert_eq!(past_the_end["reviews"], serde_json::json!([]));
}

async fn another_manager(app: &TestApp) -> reqwest::Client {
    common::create_account(&app.db, "Otra Manager", "otra@reservo.test", Role::Manager).await;
    app.logged_in_client("otra@reservo.test").await
}

async fn a_manager_of_the_resource_replies_once_and_nobody_else_may(engine: Engine) {
    let app = spawn_app(engine).await;
    let carla = user_id(&app, CLIENT).await;
    let (room_a, slug) = room(&app, 0).await;
    // The demo rooms are the administrator's; this manager takes one on too.
    sqlx::query("INSERT INTO resource_managers (resource_id, user_id) VALUES ($1, $2)")
        .bind(room_a)
        .bind(user_id(&app, MANAGER).await)
        .execute(&mut *app.db.write().await.unwrap())
        .await
        .unwrap();
    let done = completed_stay(&app, room_a, carla, 10).await;
    let client = app.logged_in_client(CLIENT).await;
    let review_id = json(review(&app, &client, done.id, "3", "Regular").await).await.as_i64().unwrap();

    assert_eq!(reply(&app, &client, review_id, "Yo también respondo").await.status(), 403, "a client");
    let outsider = another_manager(&app).await;
    assert_eq!(reply(&app, &outsider, review_id, "No es mío").await.status(), 403, "another manager");
    assert_eq!(json(app.call(&outsider, "reviews-to-reply", &[]).await).await, serde_json::json!([]));

    let manager = app.logged_in_client(MANAGER).await;
    let waiting = json(app.call(&manager, "reviews-to-reply", &[]).await).await;
    assert_eq!(waiting[0]["review"]["id"], review_id, "{waiting}");
    let (_, dashboard) = common::get_page(&manager, &app.url("/panel"), &[]).await;
    assert!(dashboard.contains("data-testid=\"reply-form\"") && dashboard.contains("Regular"), "{dashboard}");

    let empty = reply(&app, &manager, review_id, "   ").await;
    assert_eq!(empty.status(), 422);
    assert_eq!(json(empty).await["Invalid"]["field"], "reply");
    assert_eq!(reply(&app, &manager, review_id, "¡Gracias por venir!").await.status(), 200);
    let second = reply(&app, &manager, review_id, "Otra respuesta").await;
    assert_eq!(second.status(), 409, "one reply");
    assert_eq!(json(second).await["Review"], "already_replied");
    let stored = reviews::get(&app.db, review_id).await.unwrap().unwrap();
    assert_eq!(stored.reply.as_deref(), Some("¡Gracias por venir!"));
    assert_eq!(json(app.call(&manager, "reviews-to-reply", &[]).await).await, serde_json::json!([]), "answered");

    let (_, html) = common::get_page(&app.client(), &app.url(&format!("/r/{slug}")), &[]).await;
    assert!(html.contains("data-testid=\"review-reply\"") && html.contains("¡Gracias por venir!"), "{html}");
}
