//! The manager's booking calendar over real HTTP on both engines: a month as
//! whole weeks or one week, each booking on its local day in its resource's
//! zone, only the manager's own resources, and nobody else's calendar.
#![cfg(feature = "ssr")]

mod common;
use chrono::{DateTime, Datelike, Duration, NaiveDate, TimeZone, Utc};
use common::{get_page, on_both_engines, spawn_app, TestApp};
use reservo::domain::booking::Booking;
use reservo::server::storage::bookings::{self, Actor};
use reservo::server::storage::{resources, users, Engine};
use serde_json::Value;

on_both_engines!(bookings_sit_on_their_local_day, the_calendar_is_for_managers_and_admins);

const ZONE: chrono_tz::Tz = chrono_tz::America::Mexico_City;

/// A day a couple of months ahead, 23:00 local (the next day in UTC).
fn late_evening() -> (NaiveDate, DateTime<Utc>) {
    let day = Utc::now().with_timezone(&ZONE).date_naive() + Duration::days(60);
    (day, ZONE.from_local_datetime(&day.and_hms_opt(23, 0, 0).unwrap()).single().unwrap().with_timezone(&Utc))
}

async fn book(app: &TestApp, resource_id: i64, guest: &str, start: DateTime<Utc>) -> Booking {
    let request = common::booking_request(resource_id, None, guest, start, Duration::minutes(50));
    bookings::create(&app.db, &request, Actor::SYSTEM, Utc::now()).await.expect("booked")
}

async fn calendar(app: &TestApp, client: &reqwest::Client, view: &str, date: NaiveDate) -> Value {
    let reply = app.call(client, "manager-calendar", &[("view", view), ("date", &date.to_string())]).await;
    assert_eq!(reply.status(), 200);
    reply.json().await.unwrap()
}

fn entries_on<'a>(page: &'a Value, date: NaiveDate) -> Vec<&'a Value> {
    let day = page["days"].as_array().unwrap().iter().find(|d| d["date"] == date.to_string()).expect("the day is shown");
    day["entries"].as_array().unwrap().iter().collect()
}

async fn bookings_sit_on_their_local_day(engine: Engine) {
    let app = spawn_app(engine).await;
    let manager = users::find_by_email(&app.db, "manager@reservo.test").await.unwrap().unwrap().id;
    let musician = resources::list_managed_by(&app.db, manager).await.unwrap().into_iter().find(|r| r.kind == "musician").unwrap();
    let room = resources::list_of_kind(&app.db, "room").await.unwrap()[0].id;
    let (day, start) = late_evening();
    let mine = book(&app, musician.id, "Noche Larga", start).await;
    book(&app, room, "Huésped Ajeno", start).await;
    let browser = app.logged_in_client("manager@reservo.test").await;

    let month = calendar(&app, &browser, "mes", day).await;
    let shown = month["days"].as_array().unwrap();
    assert!(shown.len() % 7 == 0 && shown.len() >= 28, "whole weeks: {}", shown.len());
    assert_eq!(shown[0]["weekday"], 0, "Monday first");
    assert_eq!((month["year"].as_i64(), month["month0"].as_u64()), (Some(day.year() as i64), Some(day.month0() as u64)));
    let on_day = entries_on(&month, day);
    assert_eq!(on_day.len(), 1, "only the manager's resources: {on_day:?}");
    assert_eq!((on_day[0]["id"].as_i64(), on_day[0]["time"].as_str()), (Some(mine.id), Some("23:00–23:50")));
    let utc_day = day + Duration::days(1);
    if shown.iter().any(|d| d["date"] == utc_day.to_string()) {
        assert!(entries_on(&month, utc_day).is_empty(), "not on the UTC day");
    }

    let week = calendar(&app, &browser, "semana", day).await;
    assert_eq!(week["days"].as_array().unwrap().len(), 7);
    assert_eq!(entries_on(&week, day).len(), 1);
    let following = calendar(&app, &browser, "semana", week["next"].as_str().unwrap().parse().unwrap()).await;
    assert!(following["days"].as_array().unwrap().iter().all(|d| d["entries"].as_array().unwrap().is_empty()));

    let (status, page) = get_page(&browser, &app.url(&format!("/panel/calendario?vista=mes&fecha={day}")), &[]).await;
    assert_eq!(status, 200);
    assert!(page.contains(&format!("data-booking-id=\"{}\"", mine.id)), "the page shows the booking");
    assert!(page.contains("Noche Larga") && !page.contains("Huésped Ajeno"));
}

async fn the_calendar_is_for_managers_and_admins(engine: Engine) {
    let app = spawn_app(engine).await;
    let (day, _) = late_evening();
    let client = app.logged_in_client("client@reservo.test").await;
    let refused = app.call(&client, "manager-calendar", &[("view", "mes"), ("date", &day.to_string())]).await;
    assert_eq!(refused.status(), 403);
    let anonymous = app.call(&app.client(), "manager-calendar", &[("view", "mes"), ("date", "")]).await;
    assert_eq!(anonymous.status(), 401);
    let admin = app.logged_in_client("admin@reservo.test").await;
    let today = calendar(&app, &admin, "semana", day).await;
    assert_eq!(today["view"], "semana");
    let unreadable = app.call(&admin, "manager-calendar", &[("view", "<x>"), ("date", "no-date")]).await;
    assert_eq!(unreadable.status(), 200, "an unreadable page falls back to this month");
}
