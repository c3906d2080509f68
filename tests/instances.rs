//! Several app instances on one PostgreSQL database, each with its own
//! connection pool, background jobs and mail worker, as when one machine is
//! not enough: bookings made through both at once never overlap, every email
//! is sent once, every automatic check-in and check-out happens once, and a
//! dashboard on either instance hears of changes made through the other.
#![cfg(feature = "ssr")]

mod common;
use chrono::{Duration, Utc};
use common::api::Api;
use common::events::Events;
use common::smtp::SmtpSink;
use common::{spawn_app_with, TestApp};
use reservo::domain::account::Role;
use reservo::domain::booking::BookingStatus;
use reservo::server::notify::settings::SmtpSecurity;
use reservo::server::storage::bookings::{self, Actor};
use reservo::server::storage::outbox::{self, Channel, DeliveryStatus};
use reservo::server::storage::{users, Engine};
use serde_json::{json, Value};
use std::time::Duration as StdDuration;

const ZONE: chrono_tz::Tz = chrono_tz::America::Mexico_City;
const CONTENDERS: usize = 16;

fn day(days: i64) -> String {
    (Utc::now().with_timezone(&ZONE).date_naive() + Duration::days(days)).to_string()
}

fn stay(room: i64, first_day: i64, guest: &str) -> Value {
    json!({"room_id": room, "check_in": format!("{}T15:00:00", day(first_day)), "check_out": format!("{}T11:00:00", day(first_day + 1)),
           "guest_name": guest, "guest_email": format!("{}@example.com", guest.to_lowercase()), "number_of_guests": 1})
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_instances_share_one_postgresql_database() {
    let sink = SmtpSink::start().await;
    let port = sink.port();
    let first = spawn_app_with(Engine::Postgres, |c| {
        c.mail.smtp_host = "127.0.0.1".into();
        c.mail.smtp_port = port;
        c.mail.smtp_security = SmtpSecurity::None;
        c.notifications.deliver = true;
        c.notifications.poll_seconds = 1;
        c.bookings.expiry_check_seconds = 1;
    })
    .await;
    let second = first.instance_with_own_pool().await;

    // A manager's dashboard open on each instance.
    let manager = first.logged_in_client("manager@reservo.test").await;
    let mut dashboards = [Events::open(&first, &manager).await, Events::open(&second, &manager).await];

    let admin = Api::admin(&first).await;
    let (status, room) = admin.post("/api/rooms", json!({"number": "DOS"})).await;
    assert_eq!(status, 201, "{room}");
    let room = room["id"].as_i64().unwrap();
    let apis = [admin, Api { app: &second, http: reqwest::Client::new(), token: Api::admin(&first).await.token }];

    let raced = race_for_one_night(&apis, room).await;
    assert_eq!(raced.iter().filter(|s| **s == 201).count(), 1, "one winner through both instances: {raced:?}");
    assert!(raced.iter().all(|s| *s == 201 || *s == 409), "{raced:?}");
    let nights = book_distinct_nights(&apis, room).await;
    assert!(nights.iter().all(|s| *s == 201), "{nights:?}");
    assert_no_overlap(&first, room).await;

    let due = bookings_already_due(&first, room).await;
    wait_until_checked_out(&second, &due).await;
    for id in due {
        let history = bookings::history(&first.db, id).await.unwrap();
        let count = |status| history.iter().filter(|e| e.to == status).count();
        assert_eq!((count(BookingStatus::InProgress), count(BookingStatus::Completed)), (1, 1), "booking {id}: {history:?}");
    }

    every_email_sent_once(&first, &sink).await;

    // The musician request goes through the second instance; both dashboards hear of it.
    let client = Api::user(&second, "client@reservo.test").await;
    let musician = musician_of(&first).await;
    let start = format!("{}T14:00:00", day(40));
    let (status, requested) = client.post("/api/bookings", json!({"resource_id": musician, "check_in": start, "check_out": format!("{}T16:00:00", day(40)), "guest_name": "Carla"})).await;
    assert_eq!(status, 201, "{requested}");
    for dashboard in &mut dashboards {
        let change = dashboard.next_booking(StdDuration::from_secs(10)).await.expect("the change reaches the dashboard");
        assert_eq!(change.booking_id, requested["id"].as_i64().unwrap());
    }
}

/// CONTENDERS requests for the same night, half through each instance, at once.
async fn race_for_one_night(apis: &[Api<'_>; 2], room: i64) -> Vec<u16> {
    all_at_once(apis, (0..CONTENDERS).map(|_| stay(room, 30, "Carrera")).collect()).await
}

/// One night each, alternating instances, all at once.
async fn book_distinct_nights(apis: &[Api<'_>; 2], room: i64) -> Vec<u16> {
    all_at_once(apis, (0..8).map(|i| stay(room, 50 + 2 * i, "Noche")).collect()).await
}

/// POSTs each body to /api/bookings, alternating instances, concurrently; the statuses.
async fn all_at_once(apis: &[Api<'_>; 2], bodies: Vec<Value>) -> Vec<u16> {
    let mut sent = tokio::task::JoinSet::new();
    for (i, body) in bodies.into_iter().enumerate() {
        let api = &apis[i % 2];
        let request = api.http.post(api.app.url("/api/bookings")).bearer_auth(api.token.clone().unwrap()).json(&body);
        sent.spawn(async move { request.send().await.expect("request").status().as_u16() });
    }
    sent.join_all().await
}

async fn assert_no_overlap(app: &TestApp, room: i64) {
    let held: Vec<_> = bookings::list_for_resource(&app.db, room).await.unwrap().into_iter().filter(|b| b.status.is_active()).collect();
    assert_eq!(held.len(), 9, "the race winner and the eight nights");
    for (i, a) in held.iter().enumerate() {
        for b in &held[i + 1..] {
            assert!(a.end <= b.start || b.end <= a.start, "overlap: {} and {}", a.id, b.id);
        }
    }
}

/// Two stays booked as if some time ago: one under way (to check in) and one
/// over (to check in and out); the jobs of both instances race to move them.
async fn bookings_already_due(app: &TestApp, room: i64) -> Vec<i64> {
    let now = Utc::now();
    let mut ids = Vec::new();
    for (start, end) in [(now - Duration::hours(5), now - Duration::hours(3)), (now - Duration::hours(2), now - Duration::minutes(5))] {
        let request = common::booking_request(room, None, "Huésped", start, end - start);
        let booked = bookings::create(&app.db, &request, Actor { user_id: None, role: Role::Admin }, start - Duration::minutes(1)).await;
        ids.push(booked.expect("booked in the past").id);
    }
    ids
}

async fn wait_until_checked_out(app: &TestApp, ids: &[i64]) {
    for _ in 0..100 {
        let mut done = true;
        for id in ids {
            done &= bookings::get(&app.db, *id).await.unwrap().unwrap().status == BookingStatus::Completed;
        }
        if done {
            // One more round of both instances' jobs: nothing may move twice.
            tokio::time::sleep(StdDuration::from_millis(2500)).await;
            return;
        }
        tokio::time::sleep(StdDuration::from_millis(200)).await;
    }
    panic!("the automatic check-outs did not happen");
}

/// Both mail workers run; each email message reaches the SMTP server once.
async fn every_email_sent_once(app: &TestApp, sink: &SmtpSink) {
    let emails = || async { outbox::list(&app.db, None, 10_000).await.unwrap().into_iter().filter(|m| m.channel == Channel::Email).collect::<Vec<_>>() };
    for _ in 0..150 {
        let all = emails().await;
        if all.iter().all(|m| m.status == DeliveryStatus::Sent) && sink.messages().len() >= all.len() {
            break;
        }
        tokio::time::sleep(StdDuration::from_millis(200)).await;
    }
    // Another round of both workers: nothing is sent again.
    tokio::time::sleep(StdDuration::from_millis(2500)).await;
    let all = emails().await;
    assert!(!all.is_empty());
    assert!(all.iter().all(|m| m.status == DeliveryStatus::Sent && m.attempts == 1), "{:?}", all.iter().map(|m| (m.id, m.status, m.attempts)).collect::<Vec<_>>());
    assert_eq!(sink.messages().len(), all.len(), "each message once");
}

async fn musician_of(app: &TestApp) -> i64 {
    let manager = users::find_by_email(&app.db, "manager@reservo.test").await.unwrap().unwrap().id;
    let managed = reservo::server::storage::resources::list_managed_by(&app.db, manager).await.unwrap();
    managed.iter().find(|r| r.kind == "musician").expect("a musician").id
}
