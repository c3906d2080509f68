//! Notifications end to end: booking changes write their messages in the
//! outbox, the worker delivers them to a real SMTP server on loopback, and
//! nothing is lost or sent twice through outages, refusals and restarts.
//! The worker is driven with explicit clocks; the apps' own workers are off
//! (`deliver = false`) unless a test is about them.

mod common;

use chrono::{DateTime, Duration, TimeZone, Utc};
use common::smtp::{Received, SmtpSink};
use common::{on_both_engines, spawn_app_with, TestApp};
use reservo::domain::account::{Lang, Role};
use reservo::domain::booking::{Action, BookingRequest};
use reservo::server::notify::compose::Audience;
use reservo::server::notify::settings::SmtpSecurity;
use reservo::server::notify::Notifier;
use reservo::server::state::AppState;
use reservo::server::storage::bookings::{self, Actor};
use reservo::server::storage::outbox::{self, DeliveryStatus};
use reservo::server::storage::{resources, users, Engine};
use std::time::Duration as StdDuration;

const ZONE: chrono_tz::Tz = chrono_tz::America::Mexico_City;
const WAIT: StdDuration = StdDuration::from_secs(10);

struct World {
    app: TestApp,
    sink: SmtpSink,
    notifier: Notifier,
    musician: i64,
    client: i64,
    manager: i64,
}

async fn world(engine: Engine) -> World {
    let sink = SmtpSink::start().await;
    let port = sink.port();
    let app = spawn_app_with(engine, |c| {
        c.mail.smtp_host = "127.0.0.1".into();
        c.mail.smtp_port = port;
        c.mail.smtp_security = SmtpSecurity::None;
        c.notifications.deliver = false;
    })
    .await;
    let notifier = notifier_of(&app).await;
    let musician = resources::list_of_kind(&app.db, "musician").await.unwrap()[0].id;
    let client = users::find_by_email(&app.db, "client@reservo.test").await.unwrap().unwrap().id;
    let manager = users::find_by_email(&app.db, "manager@reservo.test").await.unwrap().unwrap().id;
    World { app, sink, notifier, musician, client, manager }
}

async fn notifier_of(app: &TestApp) -> Notifier {
    Notifier::new(&AppState::new(app.config.clone(), app.db.clone()).await.unwrap())
}

/// 14:00–16:00 Mexico City time, `days` from today.
fn afternoon(days: i64) -> DateTime<Utc> {
    let day = Utc::now().with_timezone(&ZONE).date_naive() + Duration::days(days);
    ZONE.from_local_datetime(&day.and_hms_opt(14, 0, 0).unwrap()).single().unwrap().with_timezone(&Utc)
}

impl World {
    fn request(&self, start: DateTime<Utc>) -> BookingRequest {
        BookingRequest {
            resource_id: self.musician,
            service_id: None,
            client_id: Some(self.client),
            guest_name: "Carla Cliente".into(),
            guest_email: "client@reservo.test".into(),
            guest_phone: Some("+52 55 1234 5678".into()),
            start,
            end: start + Duration::hours(2),
            party_size: 1,
            notes: String::new(),
            details: serde_json::json!({}),
        }
    }

    fn client_actor(&self) -> Actor {
        Actor { user_id: Some(self.client), role: Role::Client }
    }

    fn manager_actor(&self) -> Actor {
        Actor { user_id: Some(self.manager), role: Role::Manager }
    }

    /// A request by the client, confirmed by the manager.
    async fn confirmed_booking(&self, start: DateTime<Utc>) -> i64 {
        let booking = bookings::create(&self.app.db, &self.request(start), self.client_actor(), Utc::now()).await.unwrap();
        bookings::apply(&self.app.db, booking.id, Action::Confirm, self.manager_actor(), "", Utc::now()).await.unwrap();
        booking.id
    }

    async fn statuses(&self) -> Vec<(String, DeliveryStatus, u32)> {
        let mut all = outbox::list(&self.app.db, None, 1000).await.unwrap();
        all.reverse();
        all.into_iter().map(|m| (m.event, m.status, m.attempts)).collect()
    }
}

fn to(message: &Received) -> &str {
    &message.to[0]
}

on_both_engines!(
    each_change_emails_the_right_people_in_their_language,
    an_smtp_outage_loses_nothing_and_sends_nothing_twice,
    a_refused_address_fails_and_an_admin_can_retry_it,
    messages_pending_when_the_server_dies_are_delivered_after_restart,
    reminders_follow_the_booking_and_the_clock,
    without_smtp_messages_are_kept_for_the_admins,
    a_round_keeps_each_of_many_messages_with_its_own_words,
    the_sent_mail_list_and_retry_are_for_admins,
    several_workers_send_each_message_once,
    sms_reminders_go_through_a_twilio_compatible_api,
);

async fn each_change_emails_the_right_people_in_their_language(engine: Engine) {
    let w = world(engine).await;
    let start = afternoon(5);
    let booking = bookings::create(&w.app.db, &w.request(start), w.client_actor(), Utc::now()).await.unwrap();
    let round = w.notifier.run_due(Utc::now()).await.unwrap();
    assert_eq!(round.delivered, 2);
    let mail = w.sink.wait_for(2, WAIT).await;
    let to_manager = mail.iter().find(|m| to(m) == "manager@reservo.test").expect("the manager hears of the request");
    assert!(to_manager.subject.contains("Lucía Ortega"), "{}", to_manager.subject);
    assert!(to_manager.text.contains("Carla Cliente") && to_manager.text.contains("14:00"), "{}", to_manager.text);
    assert!(to_manager.text.contains("America/Mexico_City"), "times are in the resource's zone: {}", to_manager.text);
    let to_client = mail.iter().find(|m| to(m) == "client@reservo.test").expect("the client gets an acknowledgement");
    assert!(to_client.attachments.is_empty(), "no calendar file before confirmation");

    users::set_lang(&w.app.db, w.client, Lang::En).await.unwrap();
    bookings::apply(&w.app.db, booking.id, Action::Confirm, w.manager_actor(), "", Utc::now()).await.unwrap();
    w.notifier.run_due(Utc::now()).await.unwrap();
    let confirmed = w.sink.wait_for(3, WAIT).await.pop().unwrap();
    assert_eq!(to(&confirmed), "client@reservo.test", "the manager confirmed: only the client hears");
    assert!(confirmed.subject.to_lowercase().contains("confirmed"), "English for an English client: {}", confirmed.subject);
    let (name, content_type, ics) = confirmed.attachments.first().expect("an .ics file").clone();
    assert!(name.ends_with(".ics") && content_type.starts_with("text/calendar"), "{name} {content_type}");
    assert!(ics.contains(&format!("DTSTART:{}", start.format("%Y%m%dT%H%M%SZ"))), "{ics}");
    assert!(confirmed.text.contains("/enlace/"), "links that work without logging in: {}", confirmed.text);

    bookings::apply(&w.app.db, booking.id, Action::Cancel, w.client_actor(), "cambio de planes", Utc::now()).await.unwrap();
    w.notifier.run_due(Utc::now()).await.unwrap();
    let cancelled = w.sink.wait_for(5, WAIT).await;
    let manager_note = cancelled[3..].iter().find(|m| to(m) == "manager@reservo.test").expect("managers hear of a client's cancellation");
    assert!(manager_note.text.contains("cambio de planes"), "{}", manager_note.text);
    assert!(w.statuses().await.iter().all(|(_, status, _)| *status == DeliveryStatus::Sent));
}

async fn an_smtp_outage_loses_nothing_and_sends_nothing_twice(engine: Engine) {
    let w = world(engine).await;
    w.sink.set_down(true);
    for day in 3..6 {
        w.confirmed_booking(afternoon(day)).await;
    }
    let now = Utc::now();
    let expected = outbox::list(&w.app.db, None, 1000).await.unwrap().len();
    assert_eq!(expected, 9, "3 × (request to client and manager, confirmation to client)");
    let first = w.notifier.run_due(now).await.unwrap();
    assert_eq!((first.delivered, first.retrying), (0, expected));
    assert!(w.statuses().await.iter().all(|(_, s, attempts)| *s == DeliveryStatus::Pending && *attempts == 1));
    assert!(outbox::list(&w.app.db, None, 1).await.unwrap()[0].last_error.contains("421"), "the error is kept");

    let early = w.notifier.run_due(now + Duration::seconds(29)).await.unwrap();
    assert_eq!(early, Default::default(), "nothing is retried before its time");
    w.sink.set_down(false);
    let retried = w.notifier.run_due(now + Duration::seconds(30)).await.unwrap();
    assert_eq!(retried.delivered, expected);
    w.notifier.run_due(now + Duration::hours(3)).await.unwrap();
    tokio::time::sleep(StdDuration::from_millis(300)).await;
    assert_eq!(w.sink.messages().len(), expected, "each message exactly once");
}

async fn a_refused_address_fails_and_an_admin_can_retry_it(engine: Engine) {
    let w = world(engine).await;
    w.sink.set_reject_rcpt(true);
    let booking = bookings::create(&w.app.db, &w.request(afternoon(4)), w.client_actor(), Utc::now()).await.unwrap();
    let round = w.notifier.run_due(Utc::now()).await.unwrap();
    assert_eq!(round.failed, 2, "a permanent refusal is not retried");
    let failed = outbox::list(&w.app.db, Some(DeliveryStatus::Failed), 10).await.unwrap();
    assert!(failed.iter().all(|m| m.last_error.contains("550") && m.booking_id == Some(booking.id)), "{failed:?}");

    w.sink.set_reject_rcpt(false);
    assert!(outbox::retry(&w.app.db, failed[0].id, Utc::now()).await.unwrap());
    assert!(!outbox::retry(&w.app.db, failed[0].id, Utc::now()).await.unwrap(), "only a failed message is retried");
    assert_eq!(w.notifier.run_due(Utc::now()).await.unwrap().delivered, 1);
    assert_eq!(w.sink.wait_for(1, WAIT).await.len(), 1);
}

async fn messages_pending_when_the_server_dies_are_delivered_after_restart(engine: Engine) {
    let w = world(engine).await;
    w.confirmed_booking(afternoon(6)).await;
    let now = Utc::now();
    // A worker claimed everything and died before sending; its claim runs out
    // in two seconds.
    let claimed = outbox::claim(&w.app.db, now, Duration::seconds(2), 100).await.unwrap();
    assert_eq!(claimed.len(), 3);
    assert_eq!(w.notifier.run_due(now).await.unwrap(), Default::default(), "another worker leaves a live claim alone");
    // The restarted server delivers by itself once the claim has run out.
    let mut config = w.app.config.clone();
    config.notifications.deliver = true;
    config.notifications.poll_seconds = 1;
    let restarted = w.app.with_config(config).await;
    let arrived = w.sink.wait_for(3, StdDuration::from_secs(20)).await;
    assert_eq!(arrived.len(), 3);
    let deadline = std::time::Instant::now() + StdDuration::from_secs(10);
    while !w.statuses().await.iter().all(|(_, s, attempts)| *s == DeliveryStatus::Sent && *attempts == 1) {
        assert!(std::time::Instant::now() < deadline, "{:?}", w.statuses().await);
        tokio::time::sleep(StdDuration::from_millis(100)).await;
    }
    drop(restarted);
}

async fn reminders_follow_the_booking_and_the_clock(engine: Engine) {
    let w = world(engine).await;
    let musician = w.musician;
    outbox::set_sms_reminders(&w.app.db, musician, true).await.unwrap();
    let start = afternoon(3);
    let id = w.confirmed_booking(start).await;
    let cancelled = w.confirmed_booking(afternoon(4)).await;
    bookings::apply(&w.app.db, cancelled, Action::Cancel, w.manager_actor(), "", Utc::now()).await.unwrap();
    w.notifier.run_due(Utc::now()).await.unwrap();
    let before = w.sink.wait_for(7, WAIT).await.len();
    let reminders = || async {
        let all = outbox::list(&w.app.db, None, 1000).await.unwrap();
        all.into_iter().filter(|m| m.event == "reminder").map(|m| (m.booking_id.unwrap(), m.channel.as_str(), m.status)).collect::<Vec<_>>()
    };

    w.notifier.run_due(start - Duration::hours(25)).await.unwrap();
    assert!(reminders().await.is_empty(), "not yet");
    w.notifier.run_due(start - Duration::hours(24)).await.unwrap();
    let first = reminders().await;
    assert_eq!(first.len(), 2, "an email and an SMS (log provider), none for the cancelled booking: {first:?}");
    assert!(first.contains(&(id, "email", DeliveryStatus::Sent)) && first.contains(&(id, "sms", DeliveryStatus::Kept)), "{first:?}");
    let mail = w.sink.wait_for(before + 1, WAIT).await;
    let reminder = mail.last().unwrap();
    assert!(reminder.text.contains("14:00") && reminder.text.contains("/enlace/"), "{}", reminder.text);
    w.notifier.run_due(start - Duration::hours(23)).await.unwrap();
    assert_eq!(reminders().await.len(), 2, "once");

    // Moved a day later: the reminders start again for the new time.
    let later = start + Duration::days(1);
    bookings::reschedule(&w.app.db, id, reservo::domain::availability::Span::new(later, later + Duration::hours(2)), w.client_actor(), Utc::now())
        .await
        .unwrap();
    w.notifier.run_due(later - Duration::hours(24)).await.unwrap();
    assert_eq!(reminders().await.len(), 4);
    w.notifier.run_due(later - Duration::hours(2)).await.unwrap();
    assert_eq!(reminders().await.len(), 6, "the 2-hour reminder");
    w.notifier.run_due(later + Duration::minutes(1)).await.unwrap();
    assert_eq!(reminders().await.len(), 6, "none after the start");
}

async fn without_smtp_messages_are_kept_for_the_admins(engine: Engine) {
    let app = spawn_app_with(engine, |c| c.notifications.deliver = false).await;
    let notifier = notifier_of(&app).await;
    let musician = resources::list_of_kind(&app.db, "musician").await.unwrap()[0].id;
    let start = afternoon(5);
    let request = BookingRequest {
        resource_id: musician,
        service_id: None,
        client_id: None,
        guest_name: "Invitada <b>".into(),
        guest_email: "invitada@example.com".into(),
        guest_phone: None,
        start,
        end: start + Duration::hours(2),
        party_size: 1,
        notes: String::new(),
        details: serde_json::json!({}),
    };
    bookings::create(&app.db, &request, Actor::SYSTEM, Utc::now()).await.unwrap();
    assert_eq!(notifier.run_due(Utc::now()).await.unwrap().delivered, 2);
    let kept = outbox::list(&app.db, None, 10).await.unwrap();
    assert!(kept.iter().all(|m| m.status == DeliveryStatus::Kept && !m.subject.is_empty() && m.sent_at.is_some()), "{kept:?}");
    assert!(kept.iter().any(|m| m.recipient == "invitada@example.com" && m.body_html.contains("Invitada &lt;b&gt;")));
}

/// More messages than one claim takes, about several resources: each is
/// rendered from its own booking and recorded with its own words.
async fn a_round_keeps_each_of_many_messages_with_its_own_words(engine: Engine) {
    let app = spawn_app_with(engine, |c| c.notifications.deliver = false).await;
    let notifier = notifier_of(&app).await;
    let musicians = resources::list_of_kind(&app.db, "musician").await.unwrap();
    let mut guests = Vec::new();
    for day in 0..36 {
        let resource = &musicians[day % 2];
        let guest = format!("Invitado {day}");
        let request = BookingRequest {
            guest_email: format!("invitado{day}@example.com"),
            ..common::booking_request(resource.id, None, &guest, afternoon(3 + day as i64), Duration::hours(2))
        };
        let booking = bookings::create(&app.db, &request, Actor::SYSTEM, Utc::now()).await.unwrap();
        guests.push((booking.id, guest, request.guest_email, resource.name.clone()));
    }
    let messages = outbox::list(&app.db, None, 1000).await.unwrap().len();
    assert!(messages > 50, "more than one claim: {messages}");
    assert_eq!(notifier.run_due(Utc::now()).await.unwrap().delivered, messages);
    for (booking, guest, email, resource) in guests {
        let kept = outbox::list_for_booking(&app.db, booking).await.unwrap();
        assert_eq!(kept.len(), 2, "the guest and the manager: {kept:?}");
        for message in kept {
            assert_eq!((message.status, message.attempts), (DeliveryStatus::Kept, 1), "{message:?}");
            match message.audience {
                Audience::Client => assert_eq!(message.recipient, email),
                Audience::Manager => assert!(message.body_text.contains(&guest), "about its own guest: {message:?}"),
            }
            assert!(message.body_text.contains(&resource), "about its own resource: {message:?}");
            assert!(message.sent_at.is_some() && !message.subject.is_empty());
        }
    }
    assert_eq!(notifier.run_due(Utc::now()).await.unwrap(), Default::default(), "nothing twice");
}

async fn the_sent_mail_list_and_retry_are_for_admins(engine: Engine) {
    let w = world(engine).await;
    w.sink.set_reject_rcpt(true);
    w.confirmed_booking(afternoon(5)).await;
    w.notifier.run_due(Utc::now()).await.unwrap();
    let failed = outbox::list(&w.app.db, Some(DeliveryStatus::Failed), 10).await.unwrap();
    assert_eq!(failed.len(), 3);
    let id = failed[0].id.to_string();

    let client = w.app.logged_in_client("client@reservo.test").await;
    assert_eq!(w.app.call(&client, "sent-mail", &[]).await.status(), 403);
    assert_eq!(w.app.call(&client, "retry-mail", &[("id", &id)]).await.status(), 403);

    let admin = w.app.logged_in_client("admin@reservo.test").await;
    let listed: serde_json::Value = w.app.call(&admin, "sent-mail", &[("status", "failed")]).await.json().await.unwrap();
    assert_eq!(listed.as_array().unwrap().len(), 3, "{listed}");
    assert!(listed[0]["last_error"].as_str().unwrap().contains("550"), "{listed}");
    assert_eq!(w.app.call(&admin, "sent-mail", &[("status", "lost")]).await.status(), 422);
    assert_eq!(w.app.call(&admin, "retry-mail", &[("id", &id)]).await.status(), 200);
    assert_eq!(w.app.call(&admin, "retry-mail", &[("id", &id)]).await.status(), 404, "no longer failed");
    w.sink.set_reject_rcpt(false);
    assert_eq!(w.notifier.run_due(Utc::now()).await.unwrap().delivered, 1);
    let sent: serde_json::Value = w.app.call(&admin, "sent-mail", &[("status", "sent")]).await.json().await.unwrap();
    assert_eq!(sent[0]["subject"].as_str().map(str::is_empty), Some(false), "{sent}");
}

async fn several_workers_send_each_message_once(engine: Engine) {
    let w = world(engine).await;
    for day in 3..9 {
        w.confirmed_booking(afternoon(day)).await;
    }
    let total = outbox::list(&w.app.db, None, 1000).await.unwrap().len();
    let now = Utc::now();
    let workers: Vec<_> = (0..4)
        .map(|_| {
            let notifier = w.notifier.clone();
            tokio::spawn(async move { notifier.run_due(now).await.unwrap().delivered })
        })
        .collect();
    let mut delivered = 0;
    for worker in workers {
        delivered += worker.await.unwrap();
    }
    assert_eq!(delivered, total);
    tokio::time::sleep(StdDuration::from_millis(300)).await;
    assert_eq!(w.sink.messages().len(), total, "each message once");
}

/// A stand-in for Twilio's Messages API that records what it was sent.
async fn fake_sms_api() -> (String, std::sync::Arc<std::sync::Mutex<Vec<(String, std::collections::HashMap<String, String>)>>>) {
    use axum::extract::{Form, Path, State};
    use axum::http::HeaderMap;
    type Seen = std::sync::Arc<std::sync::Mutex<Vec<(String, std::collections::HashMap<String, String>)>>>;
    let seen: Seen = Default::default();
    async fn messages(
        State(seen): State<Seen>,
        Path(account): Path<String>,
        headers: HeaderMap,
        Form(form): Form<std::collections::HashMap<String, String>>,
    ) -> (axum::http::StatusCode, &'static str) {
        let auth = headers.get("authorization").and_then(|v| v.to_str().ok()).unwrap_or_default().to_string();
        seen.lock().unwrap().push((format!("{account} {auth}"), form));
        (axum::http::StatusCode::CREATED, r#"{"sid": "SM1", "status": "queued"}"#)
    }
    let app = axum::Router::new()
        .route("/2010-04-01/Accounts/{account}/Messages.json", axum::routing::post(messages))
        .with_state(seen.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (base, seen)
}

async fn sms_reminders_go_through_a_twilio_compatible_api(engine: Engine) {
    use base64::Engine as _;
    let (base, seen) = fake_sms_api().await;
    let mut w = world(engine).await;
    w.app.config.sms.provider = reservo::server::notify::settings::SmsProvider::Twilio;
    w.app.config.sms.api_base_url = base;
    w.app.config.sms.account_sid = "AC123".into();
    w.app.config.sms.auth_token = "secreto".into();
    w.app.config.sms.from = "+15005550006".into();
    let notifier = notifier_of(&w.app).await;
    outbox::set_sms_reminders(&w.app.db, w.musician, true).await.unwrap();
    let start = afternoon(3);
    w.confirmed_booking(start).await;
    notifier.run_due(start - Duration::hours(24)).await.unwrap();
    let sent = seen.lock().unwrap().clone();
    assert_eq!(sent.len(), 1, "{sent:?}");
    let (who, form) = &sent[0];
    let basic = base64::engine::general_purpose::STANDARD.encode("AC123:secreto");
    assert_eq!(who, &format!("AC123 Basic {basic}"));
    assert_eq!(form["To"], "+525512345678");
    assert_eq!(form["From"], "+15005550006");
    assert!(form["Body"].contains("Lucía Ortega") && form["Body"].contains("14:00"), "{}", form["Body"]);
    let sms = outbox::list(&w.app.db, None, 100).await.unwrap().into_iter().find(|m| m.channel.as_str() == "sms").unwrap();
    assert_eq!(sms.status, DeliveryStatus::Sent);
}
