//! A resource's settings page over real HTTP on both engines: its managers
//! (and administrators) change the profile, weekly hours, date exceptions
//! and booking rules; the public profile and the availability API follow at
//! once; bad input is refused with the field named; bookings left outside
//! new hours are listed, never moved.
#![cfg(feature = "ssr")]

mod common;
use chrono::{DateTime, Datelike, Duration, FixedOffset, NaiveDate, Timelike, Utc};
use common::api::Api;
use common::{on_both_engines, spawn_app, TestApp};
use reservo::domain::account::Role;
use reservo::domain::booking::BookingStatus;
use reservo::server::storage::bookings::{self, Actor};
use reservo::server::storage::{calendar, resources, users, Engine};
use serde_json::Value;

on_both_engines!(
    a_manager_edits_the_profile_people_see,
    new_hours_and_exceptions_change_the_free_times_at_once,
    new_rules_apply_to_the_next_request,
    invalid_input_is_refused_with_its_field_and_changes_nothing,
    only_the_resources_managers_and_admins_may_edit,
    bookings_outside_new_hours_are_listed_as_conflicts
);

const ZONE: chrono_tz::Tz = chrono_tz::America::Mexico_City;
const MANAGER: &str = "manager@reservo.test";
const CLIENT: &str = "client@reservo.test";
const ADMIN: &str = "admin@reservo.test";

/// The first musician the demo manager manages: (id, slug).
async fn musician(app: &TestApp) -> (i64, String) {
    let manager = users::find_by_email(&app.db, MANAGER).await.unwrap().unwrap().id;
    let managed = resources::list_managed_by(&app.db, manager).await.unwrap();
    let musician = managed.into_iter().find(|r| r.kind == "musician").expect("a managed musician");
    (musician.id, musician.slug)
}

/// The local date `days` from today in Mexico City.
fn day(days: i64) -> NaiveDate {
    Utc::now().with_timezone(&ZONE).date_naive() + Duration::days(days)
}

async fn json(response: reqwest::Response) -> Value {
    response.json().await.expect("json body")
}

/// The hours form: `None` closes a day, Monday first.
fn week(resource_id: i64, days: [Option<(&str, &str)>; 7]) -> Vec<(String, String)> {
    let mut form = vec![("resource_id".to_string(), resource_id.to_string())];
    for (i, hours) in days.iter().enumerate() {
        let (opens, closes) = hours.unwrap_or(("", ""));
        if hours.is_none() {
            form.push((format!("days[{i}][closed]"), "true".into()));
        }
        form.push((format!("days[{i}][opens]"), opens.into()));
        form.push((format!("days[{i}][closes]"), closes.into()));
    }
    form
}

async fn post(app: &TestApp, client: &reqwest::Client, function: &str, form: &[(String, String)]) -> reqwest::Response {
    let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    app.call(client, function, &pairs).await
}

/// The free slots the API offers on local dates `from..=to`, as local times.
async fn slots(app: &TestApp, resource_id: i64, from: NaiveDate, to: NaiveDate) -> (i64, Vec<(DateTime<FixedOffset>, DateTime<FixedOffset>)>) {
    let api = Api::user(app, CLIENT).await;
    let (status, body) = api.get(&format!("/api/resources/{resource_id}/availability?from={from}&to={to}")).await;
    assert_eq!(status, 200, "{body}");
    let parse = |v: &Value| DateTime::parse_from_rfc3339(v.as_str().unwrap()).unwrap();
    let list = body["slots"].as_array().expect("slots").iter().map(|s| (parse(&s["start"]), parse(&s["end"]))).collect();
    (body["duration_minutes"].as_i64().unwrap(), list)
}

fn on(list: &[(DateTime<FixedOffset>, DateTime<FixedOffset>)], date: NaiveDate) -> usize {
    list.iter().filter(|(start, _)| start.date_naive() == date).count()
}

async fn a_manager_edits_the_profile_people_see(engine: Engine) {
    let app = spawn_app(engine).await;
    let (id, slug) = musician(&app).await;
    let manager = app.logged_in_client(MANAGER).await;

    let (status, page) = common::get_page(&manager, &app.url("/panel"), &[]).await;
    assert_eq!(status, 200);
    assert!(page.contains(&format!("href=\"/panel/recursos/{id}\"")), "an Editar link per managed resource");

    let form = [("resource_id", id.to_string()), ("name", "Lucía Ortega Cuarteto".into()), ("description", "Jazz, bolero y bossa.".into()),
        ("genres", "jazz, bossa nova ,".into()), ("city", "Puebla".into())];
    let form: Vec<(String, String)> = form.into_iter().map(|(k, v)| (k.to_string(), v)).collect();
    let response = post(&app, &manager, "save-resource-profile", &form).await;
    assert_eq!(response.status(), 200);

    let detail = resources::find(&app.db, id).await.unwrap().unwrap();
    assert_eq!(detail.summary.slug, slug, "the address stays");
    assert_eq!(detail.attributes["genres"], serde_json::json!(["jazz", "bossa nova"]));
    let (status, profile) = common::get_page(&app.client(), &app.url(&format!("/r/{slug}")), &[]).await;
    assert_eq!(status, 200);
    for shown in ["Lucía Ortega Cuarteto", "Jazz, bolero y bossa.", "bossa nova", "Puebla"] {
        assert!(profile.contains(shown), "the public profile shows {shown}");
    }

    let (status, page) = common::get_page(&manager, &app.url(&format!("/panel/recursos/{id}")), &[]).await;
    assert_eq!(status, 200);
    assert!(page.contains("data-testid=\"resource-settings\"") && page.contains("value=\"Puebla\""), "the form shows what is stored");
    assert!(page.contains("name=\"days[0][opens]\"") && page.contains("value=\"12:00\""), "the weekly hours");
}

async fn new_hours_and_exceptions_change_the_free_times_at_once(engine: Engine) {
    let app = spawn_app(engine).await;
    let (id, slug) = musician(&app).await;
    let manager = app.logged_in_client(MANAGER).await;
    let morning = Some(("10:00", "14:00"));
    let mut form = week(id, [morning, Some(("10:00", "12:00")), morning, morning, morning, morning, None]);
    form.extend([("days[1][reopens]".to_string(), "12:30".to_string()), ("days[1][closes_again]".to_string(), "14:00".to_string())]);
    assert_eq!(post(&app, &manager, "save-weekly-hours", &form).await.status(), 200);
    let tuesday = serde_json::json!({"closed": false, "opens": "10:00", "closes": "12:00", "reopens": "12:30", "closes_again": "14:00"});
    assert_eq!(settings(&app, &manager, id).await["days"][1], tuesday, "a day with a break");

    let (from, to) = (day(8), day(14));
    let (_, free) = slots(&app, id, from, to).await;
    assert!(!free.is_empty());
    for (start, end) in &free {
        assert!(start.hour() >= 10 && (end.hour(), end.minute()) <= (14, 0), "{start} - {end} within 10:00-14:00");
        assert_ne!(start.weekday(), chrono::Weekday::Sun, "Sundays are closed");
    }

    let closed = from.iter_days().find(|d| d.weekday() != chrono::Weekday::Sun).unwrap();
    let exception = |closed_day: bool, opens: &str, closes: &str| {
        let mut form = vec![("resource_id".to_string(), id.to_string()), ("date".into(), closed.to_string())];
        form.extend([("opens".to_string(), opens.to_string()), ("closes".to_string(), closes.to_string())]);
        if closed_day {
            form.push(("closed".into(), "true".into()));
        }
        form
    };
    assert_eq!(post(&app, &manager, "add-date-exception", &exception(true, "", "")).await.status(), 200);
    let (_, free) = slots(&app, id, from, to).await;
    assert_eq!(on(&free, closed), 0, "a closed date has no free times");
    assert!(!free.is_empty(), "other dates keep theirs");
    let month = closed.format("%Y-%m").to_string();
    let calendar = json(app.call(&app.client(), "month-availability", &[("slug", &slug), ("month", &month), ("duration", "120")]).await).await;
    assert!(calendar["days"].as_array().unwrap().iter().all(|d| d["date"] != closed.to_string()), "the profile calendar greys it: {calendar}");

    // Other hours on that date replace the closing.
    assert_eq!(post(&app, &manager, "add-date-exception", &exception(false, "16:00", "20:00")).await.status(), 200);
    let (_, free) = slots(&app, id, closed, closed).await;
    assert!(!free.is_empty() && free.iter().all(|(start, _)| start.hour() >= 16), "{free:?}");
    assert_eq!(settings(&app, &manager, id).await["exceptions"], serde_json::json!([{"date": closed.to_string(), "hours": [["16:00", "20:00"]]}]));

    let remove = app.call(&manager, "remove-date-exception", &[("resource_id", &id.to_string()), ("date", &closed.to_string())]).await;
    assert_eq!(remove.status(), 200);
    let (_, free) = slots(&app, id, closed, closed).await;
    assert!(!free.is_empty() && free.iter().all(|(start, _)| start.hour() >= 10 && start.hour() < 14), "weekly hours again");
}

fn rules_form(id: i64, approval: &str, duration: &str) -> Vec<(String, String)> {
    [("resource_id", id.to_string()), ("approval", approval.into()), ("default_duration", duration.into()), ("min_notice_hours", "48".into()),
        ("cancel_cutoff_hours", "72".into()), ("buffer_minutes", "15".into()), ("pending_expiry_hours", "12".into())]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v))
    .collect()
}

async fn new_rules_apply_to_the_next_request(engine: Engine) {
    let app = spawn_app(engine).await;
    let (id, _) = musician(&app).await;
    let manager = app.logged_in_client(MANAGER).await;
    assert_eq!(post(&app, &manager, "save-booking-rules", &rules_form(id, "auto", "90")).await.status(), 200);

    let mut conn = app.db.pool().acquire().await.unwrap();
    let rules = calendar::load(&mut conn, id).await.unwrap().unwrap();
    assert_eq!((rules.cancel_cutoff_hours, rules.pending_expiry, rules.policy.buffer), (72, Duration::hours(12), Duration::minutes(15)));
    assert_eq!(rules.policy.min_notice, Duration::hours(48));
    assert_eq!(rules.policy.max_horizon, Duration::days(365), "rules not on the form stay");

    let (duration, free) = slots(&app, id, day(10), day(10)).await;
    assert_eq!(duration, 90, "the new default duration");
    assert!(!free.is_empty() && free.iter().all(|(start, end)| *end - *start == Duration::minutes(90)));
    let (_, too_soon) = slots(&app, id, day(1), day(1)).await;
    assert!(too_soon.is_empty(), "within the 48-hour notice");

    let client = users::find_by_email(&app.db, CLIENT).await.unwrap().unwrap().id;
    let start = free[0].0.with_timezone(&Utc);
    let request = common::booking_request(id, Some(client), "Carla Cliente", start, Duration::minutes(90));
    let booking = bookings::create(&app.db, &request, Actor { user_id: Some(client), role: Role::Client }, Utc::now()).await.unwrap();
    assert_eq!(booking.status, BookingStatus::Confirmed, "automatic approval");
}

async fn assert_refused(response: reqwest::Response, field: &str, problem: &str) {
    assert_eq!(response.status(), 422);
    let body = json(response).await;
    assert_eq!(body["Invalid"], serde_json::json!({"field": field, "problem": problem}), "{body}");
}

/// Everything the settings page can change, as stored.
async fn stored(app: &TestApp, id: i64) -> (calendar::ResourceRules, resources::ResourceDetail) {
    let mut conn = app.db.pool().acquire().await.unwrap();
    (calendar::load(&mut conn, id).await.unwrap().unwrap(), resources::find(&app.db, id).await.unwrap().unwrap())
}

async fn settings(app: &TestApp, client: &reqwest::Client, id: i64) -> Value {
    json(app.call(client, "resource-settings", &[("resource_id", &id.to_string())]).await).await
}

async fn invalid_input_is_refused_with_its_field_and_changes_nothing(engine: Engine) {
    let app = spawn_app(engine).await;
    let (id, _) = musician(&app).await;
    let manager = app.logged_in_client(MANAGER).await;
    let before = stored(&app, id).await;

    let open = Some(("12:00", "24:00"));
    let backwards = week(id, [open, open, Some(("18:00", "09:00")), open, open, open, open]);
    assert_refused(post(&app, &manager, "save-weekly-hours", &backwards).await, "day2", "closes_before_opens").await;
    let unreadable = week(id, [Some(("nueve", "18:00")), open, open, open, open, open, open]);
    assert_refused(post(&app, &manager, "save-weekly-hours", &unreadable).await, "day0", "time_invalid").await;
    let nameless = [("resource_id", id.to_string()), ("name", "  ".to_string()), ("description", String::new())];
    let nameless: Vec<(String, String)> = nameless.into_iter().map(|(k, v)| (k.to_string(), v)).collect();
    assert_refused(post(&app, &manager, "save-resource-profile", &nameless).await, "name", "required").await;
    assert_refused(post(&app, &manager, "save-booking-rules", &rules_form(id, "auto", "0")).await, "default_duration", "out_of_range").await;
    assert_refused(post(&app, &manager, "save-booking-rules", &rules_form(id, "sometimes", "60")).await, "approval", "out_of_range").await;
    let past = app.call(&manager, "add-date-exception", &[("resource_id", &id.to_string()), ("date", &day(-1).to_string()), ("closed", "true")]).await;
    assert_refused(past, "date", "date_in_past").await;
    assert_eq!(stored(&app, id).await, before, "nothing changed");

    // Without JavaScript the browser comes back to the page, which shows the problem next to that day.
    let page = app.url(&format!("/panel/recursos/{id}"));
    let pairs: Vec<(&str, &str)> = backwards.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let response = manager
        .post(app.url("/fn/save-weekly-hours"))
        .header("accept", "text/html")
        .header("referer", &page)
        .form(&pairs)
        .send()
        .await
        .unwrap();
    assert!(response.status().is_redirection(), "{}", response.status());
    let location = response.headers()[reqwest::header::LOCATION].to_str().unwrap().to_string();
    assert!(location.starts_with(&page), "{location}");
    let (status, html) = common::get_page(&manager, &location, &[]).await;
    assert_eq!(status, 200);
    assert!(html.contains("data-testid=\"day-error\"") && html.contains("La hora de cierre debe ser posterior"), "the day's error is shown");
}

async fn second_manager(app: &TestApp) -> reqwest::Client {
    common::create_account(&app.db, "Otra Manager", "otra@reservo.test", Role::Manager).await;
    app.logged_in_client("otra@reservo.test").await
}

async fn only_the_resources_managers_and_admins_may_edit(engine: Engine) {
    let app = spawn_app(engine).await;
    let (id, _) = musician(&app).await;
    let before = resources::find(&app.db, id).await.unwrap().unwrap();
    let profile = [("resource_id", id.to_string()), ("name", "Tomado".into()), ("description", String::new())];
    let profile: Vec<(String, String)> = profile.into_iter().map(|(k, v)| (k.to_string(), v)).collect();
    let page = app.url(&format!("/panel/recursos/{id}"));

    for client in [second_manager(&app).await, app.logged_in_client(CLIENT).await] {
        assert_eq!(app.call(&client, "resource-settings", &[("resource_id", &id.to_string())]).await.status(), 403);
        assert_eq!(post(&app, &client, "save-resource-profile", &profile).await.status(), 403);
        assert_eq!(post(&app, &client, "save-booking-rules", &rules_form(id, "auto", "60")).await.status(), 403);
        let (status, _) = common::get_page(&client, &page, &[]).await;
        assert_eq!(status, 403);
    }
    assert_eq!(resources::find(&app.db, id).await.unwrap().unwrap(), before, "unchanged");

    let anonymous = app.client();
    assert_eq!(app.call(&anonymous, "resource-settings", &[("resource_id", &id.to_string())]).await.status(), 401);
    assert_eq!(post(&app, &anonymous, "save-resource-profile", &profile).await.status(), 401);
    let response = anonymous.get(&page).header("accept", "text/html").send().await.unwrap();
    assert!(response.status().is_redirection(), "{}", response.status());
    assert!(response.headers()[reqwest::header::LOCATION].to_str().unwrap().starts_with("/login"));

    let admin = app.logged_in_client(ADMIN).await;
    let (status, _) = common::get_page(&admin, &page, &[]).await;
    assert_eq!(status, 200, "administrators may edit any resource");
    assert_eq!(post(&app, &admin, "save-resource-profile", &profile).await.status(), 200);
    let (status, _) = common::get_page(&admin, &app.url("/panel/recursos/999999"), &[]).await;
    assert_eq!(status, 404);
}

async fn bookings_outside_new_hours_are_listed_as_conflicts(engine: Engine) {
    let app = spawn_app(engine).await;
    let (id, _) = musician(&app).await;
    let manager = app.logged_in_client(MANAGER).await;
    let client = users::find_by_email(&app.db, CLIENT).await.unwrap().unwrap().id;
    let date = day(10);
    let start = reservo::domain::time::local_to_utc(date.and_hms_opt(20, 0, 0).unwrap(), ZONE).unwrap();
    let request = common::booking_request(id, Some(client), "Carla Cliente", start, Duration::hours(2));
    let booking = bookings::create(&app.db, &request, Actor { user_id: Some(client), role: Role::Client }, Utc::now()).await.unwrap();
    assert_eq!(settings(&app, &manager, id).await["conflicts"], serde_json::json!([]), "inside the hours");

    let closed = app.call(&manager, "add-date-exception", &[("resource_id", &id.to_string()), ("date", &date.to_string()), ("closed", "true")]).await;
    assert_eq!(closed.status(), 200);
    let conflicts = settings(&app, &manager, id).await["conflicts"].clone();
    assert_eq!(conflicts.as_array().map(Vec::len), Some(1), "{conflicts}");
    assert_eq!(conflicts[0]["id"], booking.id);
    let (_, page) = common::get_page(&manager, &app.url(&format!("/panel/recursos/{id}")), &[]).await;
    assert!(page.contains("data-testid=\"conflicts\"") && page.contains(&format!("data-booking-id=\"{}\"", booking.id)));
    let kept = bookings::get(&app.db, booking.id).await.unwrap().unwrap();
    assert_eq!((kept.status, kept.start), (BookingStatus::Pending, start), "listed, not moved or cancelled");

    // Evening hours that end before the booking does conflict too.
    let early = Some(("12:00", "21:00"));
    let remove = app.call(&manager, "remove-date-exception", &[("resource_id", &id.to_string()), ("date", &date.to_string())]).await;
    assert_eq!(remove.status(), 200);
    assert_eq!(post(&app, &manager, "save-weekly-hours", &week(id, [early; 7])).await.status(), 200);
    assert_eq!(settings(&app, &manager, id).await["conflicts"][0]["id"], booking.id);
}
