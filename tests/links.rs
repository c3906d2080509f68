//! Signed links in booking emails over real HTTP, on both engines: the page
//! shows the booking and never changes it on GET; its one button confirms
//! attendance, cancels under the client's policy, or reschedules; bad,
//! expired and orphaned links get clear pages with 400, 410 and 404.
#![cfg(feature = "ssr")]

mod common;
use chrono::{DateTime, Duration, Utc};
use common::{on_both_engines, spawn_app, TestApp};
use reservo::domain::account::Role;
use reservo::domain::booking::{Booking, BookingRequest, BookingStatus};
use reservo::domain::time::parse_instant;
use reservo::server::links::{load_signer, LinkAction, LinkSigner};
use reservo::server::storage::bookings::{self, Actor};
use reservo::server::storage::{resources, users, Engine};
use serde_json::Value;

const ZONE: chrono_tz::Tz = chrono_tz::America::Mexico_City;

on_both_engines!(
    the_page_shows_the_booking_and_a_get_changes_nothing,
    confirming_attendance_is_recorded_once_and_shown_to_managers,
    cancelling_follows_the_clients_policy,
    rescheduling_offers_free_times_and_moves_the_booking,
    rescheduling_with_the_calendar_sends_a_local_date_and_time,
    bad_expired_and_orphaned_links_get_clear_pages
);

/// "YYYY-MM-DD" of the local date `days` from today in Mexico City.
fn day(days: i64) -> String {
    (Utc::now().with_timezone(&ZONE).date_naive() + Duration::days(days)).to_string()
}

fn local(text: &str) -> DateTime<Utc> {
    parse_instant(text, ZONE).unwrap()
}

struct Fixture {
    app: TestApp,
    signer: LinkSigner,
    http: reqwest::Client,
    client_id: i64,
}

impl Fixture {
    async fn new(engine: Engine) -> Fixture {
        let app = spawn_app(engine).await;
        let signer = load_signer(&app.config.auth, &app.db).await.unwrap();
        let client_id = users::find_by_email(&app.db, "client@reservo.test").await.unwrap().unwrap().id;
        let http = app.client();
        Fixture { app, signer, http, client_id }
    }

    async fn resource(&self, kind: &str) -> i64 {
        resources::list_of_kind(&self.app.db, kind).await.unwrap()[0].id
    }

    async fn book(&self, resource_id: i64, start: DateTime<Utc>, end: DateTime<Utc>) -> Booking {
        let request = BookingRequest {
            resource_id,
            service_id: None,
            client_id: Some(self.client_id),
            guest_name: "Carla Cliente".into(),
            guest_email: "client@reservo.test".into(),
            guest_phone: None,
            start,
            end,
            party_size: 1,
            notes: String::new(),
            details: serde_json::json!({}),
        };
        let actor = Actor { user_id: Some(self.client_id), role: Role::Client };
        bookings::create(&self.app.db, &request, actor, Utc::now()).await.expect("booking")
    }

    /// A room stay from `days` from today at 14:00 to the next day at 12:00.
    async fn room_stay(&self, days: i64) -> Booking {
        let room = self.resource("room").await;
        self.book(room, local(&format!("{}T14:00:00", day(days))), local(&format!("{}T12:00:00", day(days + 1)))).await
    }

    fn token(&self, booking: &Booking, action: LinkAction) -> String {
        self.signer.sign(booking.id, action, Utc::now() + Duration::days(30))
    }

    async fn page(&self, token: &str, lang: &str) -> (u16, String) {
        let cookie = format!("lang={lang}");
        common::get_page(&self.http, &self.app.url(&format!("/enlace/{token}")), &[("cookie", &cookie)]).await
    }

    async fn act(&self, token: &str, start: Option<&str>) -> (u16, Value) {
        let mut form = vec![("token", token)];
        form.extend(start.map(|s| ("start", s)));
        self.call("link-act", &form).await
    }

    async fn call(&self, function: &str, form: &[(&str, &str)]) -> (u16, Value) {
        let response = self.app.call(&self.http, function, form).await;
        let status = response.status().as_u16();
        let text = response.text().await.unwrap();
        (status, serde_json::from_str(&text).unwrap_or(Value::String(text)))
    }

    async fn stored(&self, id: i64) -> Booking {
        bookings::get(&self.app.db, id).await.unwrap().expect("booking still there")
    }
}

async fn the_page_shows_the_booking_and_a_get_changes_nothing(engine: Engine) {
    let f = Fixture::new(engine).await;
    let booking = f.room_stay(5).await;
    assert_eq!(booking.status, BookingStatus::Confirmed);
    let cancel = f.token(&booking, LinkAction::Cancel);
    for _ in 0..2 {
        let (status, html) = f.page(&cancel, "es").await;
        assert_eq!(status, 200, "{html}");
        assert!(html.contains("Habitación 101"), "{html}");
        assert!(html.contains("Carla Cliente"), "{html}");
        assert!(html.contains("Número de reserva") && html.contains(&format!(">#{}</dd>", booking.id)), "{html}");
        assert!(html.contains(", 14:00 – ") && html.contains(", 12:00"), "local times in the room's zone: {html}");
        assert!(html.contains("America/Mexico_City"), "{html}");
        assert!(html.contains("Confirmada"), "{html}");
        assert!(html.contains("Cancelar mi reserva"), "{html}");
        assert!(html.contains("noindex"), "{html}");
    }
    assert_eq!(f.stored(booking.id).await.status, BookingStatus::Confirmed, "a GET never changes anything");

    let (status, html) = f.page(&f.token(&booking, LinkAction::ConfirmAttendance), "en").await;
    assert_eq!(status, 200, "{html}");
    assert!(html.contains("Confirm my attendance") && html.contains("Confirmed") && html.contains("Booking number"), "{html}");
    assert!(f.stored(booking.id).await.attendance_confirmed_at.is_none(), "a GET never changes anything");

    let details = f.app.call(&f.http, "link-details", &[("token", &cancel)]).await;
    assert_eq!(details.status(), 200);
    let details: Value = details.json().await.unwrap();
    assert_eq!(details["booking_id"], booking.id);
    assert_eq!(details["action"], "cancel");
    assert_eq!(details["state"], "Ready");
    assert_eq!(details["timezone"], "America/Mexico_City");
}

async fn confirming_attendance_is_recorded_once_and_shown_to_managers(engine: Engine) {
    let f = Fixture::new(engine).await;
    let booking = f.room_stay(3).await;
    let token = f.token(&booking, LinkAction::ConfirmAttendance);

    let (status, body) = f.act(&token, None).await;
    assert_eq!((status, body.clone()), (200, Value::from("attendance_recorded")), "{body}");
    let first = f.stored(booking.id).await.attendance_confirmed_at.expect("attendance recorded");
    assert_eq!(f.stored(booking.id).await.status, BookingStatus::Confirmed);
    let history = bookings::history(&f.app.db, booking.id).await.unwrap();
    assert!(history.iter().any(|e| e.reason == "attendance confirmed" && e.actor_id == Some(f.client_id)), "{history:?}");

    tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
    let (status, _) = f.act(&token, None).await;
    assert_eq!(status, 200, "confirming again is fine");
    assert_eq!(f.stored(booking.id).await.attendance_confirmed_at, Some(first), "the first time is kept");
    let events = bookings::history(&f.app.db, booking.id).await.unwrap();
    assert_eq!(events.iter().filter(|e| e.reason == "attendance confirmed").count(), 1);

    let (status, html) = f.page(&token, "es").await;
    assert_eq!(status, 200);
    assert!(html.contains("attendance-confirmed-at") && html.contains("Asistencia confirmada el"), "{html}");
    assert!(!html.contains("Confirmar mi asistencia"), "no button once recorded: {html}");

    // Managers see it through the API.
    let api = reqwest::Client::new();
    let token_body: Value = api.get(f.app.url("/api/get-test-token")).send().await.unwrap().json().await.unwrap();
    let bearer = token_body["access_token"].as_str().unwrap();
    let json: Value =
        api.get(f.app.url(&format!("/api/bookings/{}", booking.id))).bearer_auth(bearer).send().await.unwrap().json().await.unwrap();
    let shown = json["attendance_confirmed_at"].as_str().unwrap_or_else(|| panic!("{json}"));
    assert_eq!(DateTime::parse_from_rfc3339(shown).unwrap().with_timezone(&Utc), first);

    // A cancelled booking cannot have its attendance confirmed.
    let other = f.room_stay(8).await;
    bookings::apply(&f.app.db, other.id, reservo::domain::booking::Action::Cancel, Actor::SYSTEM, "", Utc::now()).await.unwrap();
    let other_token = f.token(&other, LinkAction::ConfirmAttendance);
    let (status, _) = f.act(&other_token, None).await;
    assert_eq!(status, 409);
    assert!(f.stored(other.id).await.attendance_confirmed_at.is_none());
    let (status, html) = f.page(&other_token, "en").await;
    assert_eq!(status, 200);
    assert!(html.contains("Attendance can only be confirmed for a confirmed booking"), "{html}");
}

async fn cancelling_follows_the_clients_policy(engine: Engine) {
    let f = Fixture::new(engine).await;
    let room = f.resource("room").await;
    // Rooms: clients cancel until 24 h before the start.
    let start = Utc::now() + Duration::hours(3);
    let soon = f.book(room, start, start + Duration::hours(20)).await;
    let token = f.token(&soon, LinkAction::Cancel);
    let (status, html) = f.page(&token, "es").await;
    assert_eq!(status, 200);
    assert!(html.contains("el plazo de cancelación terminó"), "the page says it is too late: {html}");
    let (status, body) = f.act(&token, None).await;
    assert_eq!(status, 409, "{body}");
    assert_eq!(f.stored(soon.id).await.status, BookingStatus::Confirmed, "unchanged");

    let far = f.room_stay(10).await;
    let token = f.token(&far, LinkAction::Cancel);
    let (status, html) = f.page(&token, "en").await;
    assert!(status == 200 && html.contains("You can cancel until"), "{html}");
    let (status, body) = f.act(&token, None).await;
    assert_eq!((status, body), (200, Value::from("cancelled")));
    assert_eq!(f.stored(far.id).await.status, BookingStatus::Cancelled);
    let history = bookings::history(&f.app.db, far.id).await.unwrap();
    assert!(history.iter().any(|e| e.reason == "cancelled through the email link" && e.actor_id == Some(f.client_id)), "{history:?}");
    let (status, _) = f.act(&token, None).await;
    assert_eq!(status, 200, "a second click is harmless");
    let (_, html) = f.page(&token, "en").await;
    assert!(html.contains("This booking is cancelled.") && !html.contains("Cancel my booking"), "{html}");
}

/// The `value`s of the radio buttons on a reschedule page.
fn offered_starts(html: &str) -> Vec<String> {
    html.split("name=\"start\" value=\"").skip(1).map(|rest| rest.split('"').next().unwrap().to_string()).collect()
}

async fn rescheduling_offers_free_times_and_moves_the_booking(engine: Engine) {
    let f = Fixture::new(engine).await;
    // A stay: new arrival days at the same hour, same length.
    let stay = f.room_stay(3).await;
    let token = f.token(&stay, LinkAction::Reschedule);
    f.room_stay(6).await; // someone else's stay takes day 6
    let (status, html) = f.page(&token, "es").await;
    assert_eq!(status, 200);
    let starts = offered_starts(&html);
    assert!(!starts.is_empty(), "{html}");
    let arrivals: Vec<DateTime<Utc>> = starts.iter().map(|s| DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)).collect();
    assert!(!arrivals.contains(&stay.start), "not where it is now");
    assert!(!arrivals.contains(&local(&format!("{}T14:00:00", day(6)))), "not onto another stay");
    assert!(arrivals.contains(&local(&format!("{}T14:00:00", day(9)))), "{starts:?}");
    let new_start = local(&format!("{}T14:00:00", day(9)));
    let (status, body) = f.act(&token, Some(&new_start.to_rfc3339())).await;
    assert_eq!((status, body), (200, Value::from("rescheduled")));
    let moved = f.stored(stay.id).await;
    assert_eq!((moved.start, moved.end), (new_start, new_start + (stay.end - stay.start)));

    // Slots of the same length; a time taken meanwhile is refused and no longer offered.
    let musician = f.resource("musician").await;
    let gig = f.book(musician, local(&format!("{}T14:00:00", day(4))), local(&format!("{}T16:00:00", day(4)))).await;
    let token = f.token(&gig, LinkAction::Reschedule);
    let (status, html) = f.page(&token, "en").await;
    assert_eq!(status, 200);
    assert!(html.contains("Choose a new time of the same length"), "{html}");
    let starts = offered_starts(&html);
    let wanted = local(&format!("{}T18:00:00", day(7)));
    assert!(starts.contains(&wanted.to_rfc3339()), "{starts:?}");
    f.book(musician, wanted, wanted + Duration::hours(2)).await; // taken meanwhile
    let (status, body) = f.act(&token, Some(&wanted.to_rfc3339())).await;
    assert_eq!(status, 409, "{body}");
    assert_eq!(f.stored(gig.id).await.start, gig.start, "unchanged");
    let (_, html) = f.page(&token, "en").await;
    assert!(!offered_starts(&html).contains(&wanted.to_rfc3339()), "the refreshed list leaves it out");
    let other = local(&format!("{}T12:00:00", day(8)));
    let (status, body) = f.act(&token, Some(&other.to_rfc3339())).await;
    assert_eq!((status, body), (200, Value::from("rescheduled")));
    let moved = f.stored(gig.id).await;
    assert_eq!((moved.start, moved.end), (other, other + Duration::hours(2)));
    let (status, _) = f.act(&token, None).await;
    assert_eq!(status, 422, "a reschedule needs a time");
}

async fn bad_expired_and_orphaned_links_get_clear_pages(engine: Engine) {
    let f = Fixture::new(engine).await;
    let booking = f.room_stay(4).await;
    let good = f.token(&booking, LinkAction::Cancel);

    let mut tampered = good.clone().into_bytes();
    tampered[5] = if tampered[5] == b'A' { b'B' } else { b'A' };
    let tampered = String::from_utf8(tampered).unwrap();
    let (status, html) = f.page(&tampered, "es").await;
    assert_eq!(status, 400, "{html}");
    assert!(html.contains("Este enlace no es válido") && html.contains("data-problem=\"invalid\""), "{html}");
    assert!(!html.contains("Carla Cliente"));
    let (status, html) = f.page("not-a-token", "en").await;
    assert_eq!(status, 400);
    assert!(html.contains("This link is not valid"), "{html}");
    let (status, _) = f.act(&tampered, None).await;
    assert_eq!(status, 400);

    let stranger = LinkSigner::new(b"a secret that this app does not use at all");
    let (status, _) = f.page(&stranger.sign(booking.id, LinkAction::Cancel, Utc::now() + Duration::days(1)), "es").await;
    assert_eq!(status, 400);

    let expired = f.signer.sign(booking.id, LinkAction::Cancel, Utc::now() - Duration::minutes(1));
    let (status, html) = f.page(&expired, "es").await;
    assert_eq!(status, 410, "{html}");
    assert!(html.contains("Este enlace ya venció") && html.contains("data-problem=\"expired\""), "{html}");
    let (status, html) = f.page(&expired, "en").await;
    assert_eq!(status, 410);
    assert!(html.contains("This link has expired") && html.contains("log in"), "{html}");
    let (status, _) = f.act(&expired, None).await;
    assert_eq!(status, 410);
    assert_eq!(f.stored(booking.id).await.status, BookingStatus::Confirmed);

    let orphan = f.signer.sign(booking.id + 1000, LinkAction::ConfirmAttendance, Utc::now() + Duration::days(1));
    let (status, html) = f.page(&orphan, "es").await;
    assert_eq!(status, 404, "{html}");
    assert!(html.contains("Esta reserva ya no existe"), "{html}");
    let (status, _) = f.act(&orphan, None).await;
    assert_eq!(status, 404);

    // Every instance on the database signs with the same generated secret.
    let again = load_signer(&f.app.config.auth, &f.app.db).await.unwrap();
    assert!(again.verify(&good, Utc::now()).is_ok());
    let url = f.signer.url(&f.app.config.server.public_url, booking.id, LinkAction::Cancel, Utc::now() + Duration::days(1));
    assert!(url.starts_with(&format!("{}/enlace/", f.app.config.server.public_url)), "{url}");
}

/// The month calendar of a slot resource sends the new time as a local
/// date and time; stays keep the list of arrival days.
async fn rescheduling_with_the_calendar_sends_a_local_date_and_time(engine: Engine) {
    let f = Fixture::new(engine).await;
    let stay = f.room_stay(3).await;
    let (status, details) = f.call("link-details", &[("token", &f.token(&stay, LinkAction::Reschedule))]).await;
    assert_eq!(status, 200, "{details}");
    assert!(details["picker"].is_null(), "a stay keeps the list: {details}");

    let musician = f.resource("musician").await;
    let gig = f.book(musician, local(&format!("{}T14:00:00", day(4))), local(&format!("{}T16:00:00", day(4)))).await;
    let token = f.token(&gig, LinkAction::Reschedule);
    let (status, details) = f.call("link-details", &[("token", &token)]).await;
    assert_eq!(status, 200, "{details}");
    let picker = &details["picker"];
    assert_eq!(picker["duration_minutes"], Value::from(120), "{details}");
    assert_eq!(picker["today"], Value::from(day(0)), "{details}");
    let slug = picker["slug"].as_str().expect("slug").to_string();

    // What the calendar shows for that length, then the chosen day and time.
    let target = day(10);
    let (status, month) = f.call("month-availability", &[("slug", &slug), ("month", &target[..7]), ("duration", "120")]).await;
    assert_eq!(status, 200, "{month}");
    let times = month["days"].as_array().unwrap().iter().find(|d| d["date"] == Value::from(target.clone())).expect("a free day")["times"].clone();
    assert!(times.as_array().unwrap().contains(&Value::from("18:00")), "{times}");

    let (status, _) = f.call("link-act", &[("token", &token), ("date", &target)]).await;
    assert_eq!(status, 422, "a date needs a time");
    assert_eq!(f.stored(gig.id).await.start, gig.start, "unchanged");
    let (status, body) = f.call("link-act", &[("token", &token), ("date", &target), ("time", "18:00")]).await;
    assert_eq!((status, body), (200, Value::from("rescheduled")));
    let moved = f.stored(gig.id).await;
    let new_start = local(&format!("{target}T18:00:00"));
    assert_eq!((moved.start, moved.end), (new_start, new_start + Duration::hours(2)));
}
