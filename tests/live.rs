//! Live updates over real HTTP on both engines: GET /events streams each
//! committed booking change to the people who may see it, and on PostgreSQL
//! changes made by another instance arrive too (LISTEN/NOTIFY).
#![cfg(feature = "ssr")]

mod common;
use chrono::{DateTime, Duration, TimeZone, Utc};
use common::events::Events;
use common::{on_both_engines, spawn_app, TestApp};
use reservo::domain::booking::{Booking, BookingRequest};
use reservo::domain::live::BookingChange;
use reservo::server::storage::bookings::{self, Actor};
use reservo::server::storage::{resources, users, Db, Engine};
use std::time::Duration as StdDuration;

const ZONE: chrono_tz::Tz = chrono_tz::America::Mexico_City;
/// How long a change may take to arrive.
const WITHIN: StdDuration = StdDuration::from_secs(5);

/// `days` from today at 14:00 in Mexico City (a slot musicians and venues take).
fn afternoon(days: i64) -> DateTime<Utc> {
    let day = Utc::now().with_timezone(&ZONE).date_naive() + Duration::days(days);
    ZONE.from_local_datetime(&day.and_hms_opt(14, 0, 0).unwrap()).single().unwrap().with_timezone(&Utc)
}

fn request(resource_id: i64, client_id: Option<i64>, guest: &str, start: DateTime<Utc>) -> BookingRequest {
    common::booking_request(resource_id, client_id, guest, start, Duration::hours(2))
}

async fn book(db: &Db, resource_id: i64, client_id: Option<i64>, guest: &str, start: DateTime<Utc>) -> Booking {
    bookings::create(db, &request(resource_id, client_id, guest, start), Actor::SYSTEM, Utc::now()).await.expect("booked")
}

async fn user_id(app: &TestApp, email: &str) -> i64 {
    users::find_by_email(&app.db, email).await.unwrap().expect("demo account").id
}

/// A musician the demo manager manages (bookings wait for approval) and a room they do not.
async fn managed_and_not(app: &TestApp) -> (i64, i64) {
    let manager = user_id(app, "manager@reservo.test").await;
    let managed = resources::list_managed_by(&app.db, manager).await.unwrap();
    let musician = managed.iter().find(|r| r.kind == "musician").expect("the manager has a musician").id;
    let room = resources::list_of_kind(&app.db, "room").await.unwrap()[0].id;
    assert!(managed.iter().all(|r| r.id != room), "the demo manager does not manage rooms");
    (musician, room)
}

async fn a_manager_sees_changes_to_their_resources_only(engine: Engine) {
    let app = spawn_app(engine).await;
    let (musician, room) = managed_and_not(&app).await;
    let manager = app.logged_in_client("manager@reservo.test").await;
    let mut events = Events::open(&app, &manager).await;

    book(&app.db, room, None, "Not Theirs", afternoon(3)).await;
    let request = book(&app.db, musician, None, "Ana Solicitud", afternoon(10)).await;
    let change = events.next_booking(WITHIN).await.expect("the manager's change arrives");
    assert_eq!(
        change,
        BookingChange { booking_id: request.id, resource_id: musician, status: "pending".into(), new_request: true },
        "the room's booking is not theirs to see"
    );

    // A refused write announces nothing; the next change is a status change, not a new request.
    let refused = bookings::create(&app.db, &request_for(musician, afternoon(10)), Actor::SYSTEM, Utc::now()).await;
    assert!(refused.is_err(), "the time is taken");
    let confirmed =
        bookings::apply(&app.db, request.id, reservo::domain::booking::Action::Confirm, Actor::SYSTEM, "", Utc::now()).await.unwrap();
    let change = events.next_booking(WITHIN).await.expect("the confirmation arrives");
    assert_eq!((change.booking_id, change.status.as_str(), change.new_request), (confirmed.id, "confirmed", false));
    assert_eq!(events.next_booking(StdDuration::from_millis(500)).await, None, "nothing else happened");
}

fn request_for(resource_id: i64, start: DateTime<Utc>) -> BookingRequest {
    request(resource_id, None, "Too Late", start)
}

async fn clients_see_their_own_bookings_and_admins_everything(engine: Engine) {
    let app = spawn_app(engine).await;
    let (musician, room) = managed_and_not(&app).await;
    let client_id = user_id(&app, "client@reservo.test").await;
    let client = app.logged_in_client("client@reservo.test").await;
    let admin = app.logged_in_client("admin@reservo.test").await;
    let mut theirs = Events::open(&app, &client).await;
    let mut everything = Events::open(&app, &admin).await;

    let other = book(&app.db, musician, None, "Someone Else", afternoon(12)).await;
    let own = book(&app.db, room, Some(client_id), "Cliente Demo", afternoon(4)).await;
    assert_eq!(theirs.next_booking(WITHIN).await.map(|c| c.booking_id), Some(own.id));
    assert_eq!(everything.next_booking(WITHIN).await.map(|c| c.booking_id), Some(other.id));
    assert_eq!(everything.next_booking(WITHIN).await.map(|c| (c.booking_id, c.new_request)), Some((own.id, false)));
}

async fn the_stream_needs_a_session(engine: Engine) {
    let app = spawn_app(engine).await;
    let response = app.client().get(app.url("/events")).send().await.unwrap();
    assert_eq!(response.status(), 401);
}

on_both_engines!(
    a_manager_sees_changes_to_their_resources_only,
    clients_see_their_own_bookings_and_admins_everything,
    the_stream_needs_a_session,
);

/// Two app instances, each with its own pool, on one PostgreSQL database: a
/// write through the second reaches the first one's stream.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn changes_cross_instances_on_postgres() {
    let app = spawn_app(Engine::Postgres).await;
    let (musician, _) = managed_and_not(&app).await;
    let manager = app.logged_in_client("manager@reservo.test").await;
    let mut events = Events::open(&app, &manager).await;

    let second = Db::connect(&app.config.database.url, 5).await.expect("a second pool");
    let booked = book(&second, musician, None, "Otra Instancia", afternoon(20)).await;
    let change = events.next_booking(WITHIN).await.expect("the other instance's change arrives");
    assert_eq!((change.booking_id, change.new_request), (booked.id, true));
    second.close().await;
}
