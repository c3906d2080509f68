//! Deposits and payments over HTTP on both engines: a service with a deposit
//! makes a booking wait unpaid (and lapse); the client pays on a fake Stripe
//! Checkout started in the test, whose signed webhook records the payment
//! once; managers record money by hand; workshop jobs move along from /panel.
#![cfg(feature = "ssr")]

mod common;
use axum::extract::{Form, State};
use axum::http::HeaderMap;
use axum::Json;
use chrono::{DateTime, Datelike, Duration, TimeZone, Utc};
use common::api::Api;
use common::{create_account, on_both_engines, spawn_app, spawn_app_with, TestApp};
use reservo::domain::account::Role;
use reservo::domain::audit::AuditAction;
use reservo::domain::booking::{Approval, Booking, BookingRequest, BookingStatus};
use reservo::domain::payment::{sign_stripe_payload, PaymentStatus};
use reservo::server::availability;
use reservo::server::payments::ProviderName;
use reservo::server::storage::bookings::{self, Actor};
use reservo::server::storage::{audit, calendar, payments, resources, services, users, Engine};
use serde_json::{json, Value};
use std::sync::{Arc, Mutex};

on_both_engines!(
    a_deposit_booking_waits_unpaid_and_lapses,
    the_client_pays_online_and_the_webhook_confirms_once,
    webhooks_without_a_valid_signature_change_nothing,
    managers_record_payments_by_hand,
    only_the_resources_managers_and_admins_handle_payments,
    workshop_jobs_move_along_from_the_dashboard
);

const CLIENT: &str = "client@reservo.test";
const MANAGER: &str = "manager@reservo.test";
const WORKSHOP: &str = "taller-hermanos-ruiz";
const SECRET_KEY: &str = "sk_test_reservo";
const WEBHOOK_SECRET: &str = "whsec_test_reservo";

/// One checkout request: its Authorization header and its form.
type Call = (String, Vec<(String, String)>);

/// Checkout forms the fake Stripe received.
#[derive(Clone, Default)]
struct FakeStripe {
    calls: Arc<Mutex<Vec<Call>>>,
}

impl FakeStripe {
    fn calls(&self) -> Vec<Call> {
        self.calls.lock().unwrap().clone()
    }
}

async fn open_session(State(fake): State<FakeStripe>, headers: HeaderMap, Form(form): Form<Vec<(String, String)>>) -> Json<Value> {
    let auth = headers.get("authorization").and_then(|v| v.to_str().ok()).unwrap_or_default().to_string();
    let mut calls = fake.calls.lock().unwrap();
    calls.push((auth, form));
    let id = format!("cs_test_{}", calls.len());
    Json(json!({
        "id": id, "object": "checkout.session",
        "url": format!("https://checkout.stripe.test/c/pay/{id}"),
        "expires_at": Utc::now().timestamp() + 1800,
    }))
}

/// A stand-in for Stripe's API on a free loopback port.
async fn fake_stripe() -> (String, FakeStripe) {
    let fake = FakeStripe::default();
    let router = axum::Router::new().route("/v1/checkout/sessions", axum::routing::post(open_session)).with_state(fake.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
    (base, fake)
}

/// The app with Stripe Checkout as its provider, pointed at a fake Stripe.
async fn app_with_stripe(engine: Engine) -> (TestApp, FakeStripe) {
    let (base, fake) = fake_stripe().await;
    let app = spawn_app_with(engine, |config| {
        config.payments.provider = ProviderName::Stripe;
        config.payments.api_base = base;
        config.payments.secret_key = SECRET_KEY.into();
        config.payments.webhook_secret = WEBHOOK_SECRET.into();
    })
    .await;
    (app, fake)
}

async fn user_id(app: &TestApp, email: &str) -> i64 {
    users::find_by_email(&app.db, email).await.unwrap().unwrap().id
}

async fn workshop(app: &TestApp) -> i64 {
    resources::find_offered_by_slug(&app.db, WORKSHOP).await.unwrap().unwrap().summary.id
}

/// The workshop's service called `name` (the demo's "Afinación mayor"
/// costs $2,800.00 with a $500.00 deposit; "Revisión de frenos" has none).
async fn service(app: &TestApp, resource_id: i64, name: &str) -> i64 {
    services::list_for_resource(&app.db, resource_id).await.unwrap().into_iter().find(|s| s.name == name).unwrap().id
}

async fn set_approval(app: &TestApp, resource_id: i64, approval: Approval) {
    let mut settings = availability::rules(&app.db, resource_id).await.unwrap().unwrap().settings();
    settings.approval = approval;
    calendar::update_settings(&app.db, resource_id, &settings).await.unwrap();
}

/// 10:00 in Mexico City on the first weekday at least `days` ahead (the workshop is open).
fn weekday_slot(days: i64) -> DateTime<Utc> {
    let zone: chrono_tz::Tz = "America/Mexico_City".parse().unwrap();
    let mut date = Utc::now().with_timezone(&zone).date_naive() + Duration::days(days);
    while date.weekday().num_days_from_monday() >= 5 {
        date += Duration::days(1);
    }
    zone.from_local_datetime(&date.and_hms_opt(10, 0, 0).unwrap()).single().unwrap().with_timezone(&Utc)
}

/// The client's booking of the workshop's `service_name`, `days` ahead.
async fn book(app: &TestApp, service_name: &str, days: i64) -> Booking {
    let resource_id = workshop(app).await;
    let client = user_id(app, CLIENT).await;
    let start = weekday_slot(days);
    let request = BookingRequest {
        resource_id,
        service_id: Some(service(app, resource_id, service_name).await),
        client_id: Some(client),
        guest_name: "Carla Cliente".into(),
        guest_email: CLIENT.into(),
        guest_phone: None,
        start,
        end: start + Duration::hours(3),
        party_size: 1,
        notes: String::new(),
        details: json!({}),
    };
    let actor = Actor { user_id: Some(client), role: Role::Client };
    bookings::create_with_window(&app.db, &request, actor, app.config.payments.window(), Utc::now()).await.unwrap().booking
}

async fn booking(app: &TestApp, id: i64) -> Booking {
    bookings::get(&app.db, id).await.unwrap().unwrap()
}

fn event(id: &str, kind: &str, session: &str) -> String {
    json!({"id": id, "object": "event", "type": kind, "data": {"object": {"id": session, "object": "checkout.session"}}}).to_string()
}

/// POSTs a webhook body with a `Stripe-Signature` header (if any).
async fn webhook(app: &TestApp, body: &str, signature: Option<String>) -> (u16, String) {
    let mut request = reqwest::Client::new().post(app.url("/api/payments/stripe/webhook")).header("content-type", "application/json");
    if let Some(signature) = signature {
        request = request.header("stripe-signature", signature);
    }
    let response = request.body(body.to_string()).send().await.unwrap();
    (response.status().as_u16(), response.text().await.unwrap())
}

fn signed(body: &str) -> Option<String> {
    Some(sign_stripe_payload(WEBHOOK_SECRET, Utc::now().timestamp(), body.as_bytes()))
}

/// The client's "Pagar anticipo" form: the redirect's status and Location.
async fn pay_deposit(app: &TestApp, client: &reqwest::Client, booking_id: i64) -> (u16, String) {
    let response = client.post(app.url("/mis-reservas/pagar-anticipo")).form(&[("booking_id", booking_id.to_string())]).send().await.unwrap();
    let location = response.headers().get("location").map(|l| l.to_str().unwrap().to_string()).unwrap_or_default();
    (response.status().as_u16(), location)
}

/// The client's own booking as /mis-reservas shows it.
async fn my_card(app: &TestApp, client: &reqwest::Client, id: i64) -> Value {
    let response = app.call(client, "my-bookings", &[]).await;
    assert_eq!(response.status(), 200);
    let body: Value = response.json().await.unwrap();
    body["upcoming"].as_array().unwrap().iter().find(|b| b["id"] == id).cloned().unwrap_or_else(|| panic!("booking {id} listed"))
}

async fn manage(app: &TestApp, client: &reqwest::Client, id: i64, action: &str) -> (u16, Value) {
    let response = app.call(client, "manage-booking", &[("booking_id", &id.to_string()), ("action", action), ("reason", "")]).await;
    (response.status().as_u16(), response.json().await.unwrap_or(Value::Null))
}

async fn record(app: &TestApp, client: &reqwest::Client, id: i64, kind: &str, amount: &str, method: &str) -> (u16, Value) {
    let form = [("booking_id", id.to_string().as_str()), ("kind", kind), ("amount", amount), ("method", method)].map(|(k, v)| (k, v.to_string()));
    let response = client.post(app.url("/fn/record-payment")).form(&form).send().await.unwrap();
    (response.status().as_u16(), response.json().await.unwrap_or(Value::Null))
}

async fn a_deposit_booking_waits_unpaid_and_lapses(engine: Engine) {
    // Taken offline, a deposit is awaited as long as any pending request.
    let offline = spawn_app(engine).await;
    let before = Utc::now();
    let awaited = book(&offline, "Afinación mayor", 8).await;
    assert_eq!((awaited.status, awaited.deposit_due_minor), (BookingStatus::Pending, 50_000));
    let hold = awaited.hold_expires_at.expect("held while unpaid");
    assert!(hold >= before + Duration::hours(48) - Duration::seconds(1) && hold <= Utc::now() + Duration::hours(48), "{hold}");

    // Paid online, it holds its time for the payment window only.
    let (app, _fake) = app_with_stripe(engine).await;
    let resource_id = workshop(&app).await;
    // The workshop confirms by itself, yet a booking owing a deposit waits for it.
    set_approval(&app, resource_id, Approval::Auto).await;
    let before = Utc::now();
    let owing = book(&app, "Afinación mayor", 8).await;
    assert_eq!((owing.status, owing.payment_status, owing.deposit_due_minor), (BookingStatus::Pending, PaymentStatus::Unpaid, 50_000));
    let hold = owing.hold_expires_at.expect("held while unpaid");
    assert!(hold >= before + Duration::minutes(30) - Duration::seconds(1) && hold <= Utc::now() + Duration::minutes(30), "{hold}");
    let free = book(&app, "Revisión de frenos", 8).await;
    assert_eq!((free.status, free.deposit_due_minor), (BookingStatus::Confirmed, 0), "no deposit: the approval rule decides");

    // The manager cannot confirm it while the deposit is owed.
    let manager = app.logged_in_client(MANAGER).await;
    let (status, body) = manage(&app, &manager, owing.id, "confirm").await;
    assert_eq!(status, 409, "{body}");
    assert_eq!(body, json!({"Booking": "deposit_unpaid"}));
    let api = Api::user(&app, MANAGER).await;
    let (status, json) = api.get(&format!("/api/bookings/{}", owing.id)).await;
    assert_eq!(status, 200);
    assert_eq!((json["payment_status"].clone(), json["deposit_due_minor"].clone()), (json!("unpaid"), json!(50_000)));

    // Unpaid when the window closes, it expires and its time is free again.
    let span = reservo::domain::availability::Span::new(owing.start, owing.end);
    assert_eq!(bookings::active_in(&app.db, resource_id, span).await.unwrap().len(), 2);
    let expired = bookings::expire_pending(&app.db, Utc::now() + Duration::minutes(31)).await.unwrap();
    assert_eq!(expired, vec![owing.id]);
    assert_eq!(booking(&app, owing.id).await.status, BookingStatus::Expired);
    assert_eq!(bookings::active_in(&app.db, resource_id, span).await.unwrap().len(), 1);
}

async fn the_client_pays_online_and_the_webhook_confirms_once(engine: Engine) {
    let (app, fake) = app_with_stripe(engine).await;
    set_approval(&app, workshop(&app).await, Approval::Auto).await;
    let owing = book(&app, "Afinación mayor", 9).await;
    let client = app.logged_in_client(CLIENT).await;
    let card = my_card(&app, &client, owing.id).await;
    assert_eq!((card["deposit_payment"].clone(), card["payment_status"].clone()), (json!("online"), json!("unpaid")));
    let (_, page) = common::get_page(&client, &app.url("/mis-reservas"), &[]).await;
    assert!(page.contains("action=\"/mis-reservas/pagar-anticipo\""), "the page has the pay form");

    // The form sends the client to the checkout page Stripe opened.
    let (status, location) = pay_deposit(&app, &client, owing.id).await;
    assert_eq!((status, location.as_str()), (303, "https://checkout.stripe.test/c/pay/cs_test_1"));
    let calls = fake.calls();
    assert_eq!(calls.len(), 1);
    let (auth, form) = &calls[0];
    assert_eq!(auth, &format!("Bearer {SECRET_KEY}"));
    let field = |name: &str| form.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone()).unwrap_or_else(|| panic!("{name} sent"));
    assert_eq!(field("mode"), "payment");
    assert_eq!(field("line_items[0][price_data][currency]"), "mxn");
    assert_eq!(field("line_items[0][price_data][unit_amount]"), "50000");
    assert_eq!(field("line_items[0][quantity]"), "1");
    assert!(field("line_items[0][price_data][product_data][name]").contains("Taller Hermanos Ruiz"));
    assert_eq!(field("client_reference_id"), owing.id.to_string());
    assert_eq!(field("metadata[booking_id]"), owing.id.to_string());
    assert_eq!(field("metadata[kind]"), "deposit");
    assert!(field("success_url").ends_with("/mis-reservas?pago=ok") && field("cancel_url").ends_with("/mis-reservas?pago=cancelado"));
    // Clicking again goes to the same open session.
    assert_eq!(pay_deposit(&app, &client, owing.id).await, (303, location.clone()));
    assert_eq!(fake.calls().len(), 1);
    // Someone else's booking is not theirs to pay.
    let other = app.logged_in_client(MANAGER).await;
    assert_eq!(pay_deposit(&app, &other, owing.id).await.0, 404);

    // Stripe's signed event records the deposit and the booking is confirmed.
    let paid = event("evt_1", "checkout.session.completed", "cs_test_1");
    let (status, text) = webhook(&app, &paid, signed(&paid)).await;
    assert_eq!(status, 200, "{text}");
    let now = booking(&app, owing.id).await;
    assert_eq!((now.status, now.payment_status), (BookingStatus::Confirmed, PaymentStatus::DepositPaid));
    let history = bookings::history(&app.db, owing.id).await.unwrap();
    assert_eq!((history.last().unwrap().actor_id, history.last().unwrap().reason.as_str()), (None, "deposit paid"));
    let recorded = payments::list_for_booking(&app.db, owing.id).await.unwrap();
    assert_eq!(recorded.len(), 1);
    assert_eq!((recorded[0].amount_minor, recorded[0].reference.as_str()), (50_000, "cs_test_1"));
    assert_eq!((recorded[0].provider.as_str(), recorded[0].method.as_str(), recorded[0].kind.as_str()), ("stripe", "card", "deposit"));

    // A replayed event, or another one naming the same session, changes nothing.
    let (status, text) = webhook(&app, &paid, signed(&paid)).await;
    assert_eq!(status, 200);
    assert!(text.contains("replay"), "{text}");
    let again = event("evt_2", "checkout.session.completed", "cs_test_1");
    assert_eq!(webhook(&app, &again, signed(&again)).await.0, 200);
    assert_eq!(payments::list_for_booking(&app.db, owing.id).await.unwrap().len(), 1);
    assert_eq!(my_card(&app, &client, owing.id).await["deposit_payment"], "none");
    // Nothing more is owed: no second checkout.
    assert_eq!(pay_deposit(&app, &client, owing.id).await, (303, "/mis-reservas?pago=error".to_string()));
}

async fn webhooks_without_a_valid_signature_change_nothing(engine: Engine) {
    let (app, _fake) = app_with_stripe(engine).await;
    let owing = book(&app, "Afinación mayor", 10).await;
    let client = app.logged_in_client(CLIENT).await;
    assert_eq!(pay_deposit(&app, &client, owing.id).await.0, 303);
    let paid = event("evt_10", "checkout.session.completed", "cs_test_1");
    let now = Utc::now().timestamp();
    let refusals = [
        None,
        Some("t=abc,v1=00".to_string()),
        Some(sign_stripe_payload("whsec_someone_else", now, paid.as_bytes())),
        Some(sign_stripe_payload(WEBHOOK_SECRET, now, event("evt_10", "checkout.session.completed", "cs_test_2").as_bytes())),
        Some(sign_stripe_payload(WEBHOOK_SECRET, now - 301, paid.as_bytes())),
        Some(sign_stripe_payload(WEBHOOK_SECRET, now + 600, paid.as_bytes())),
    ];
    for signature in refusals {
        let (status, text) = webhook(&app, &paid, signature.clone()).await;
        assert_eq!(status, 400, "{signature:?}: {text}");
    }
    let unchanged = booking(&app, owing.id).await;
    assert_eq!((unchanged.status, unchanged.payment_status), (BookingStatus::Pending, PaymentStatus::Unpaid));
    assert!(payments::list_for_booking(&app.db, owing.id).await.unwrap().is_empty());

    // The same event, signed, is still taken: the refusals left no trace.
    // The workshop approves by hand: paid, it waits for the manager, held as long as any request.
    assert_eq!(webhook(&app, &paid, signed(&paid)).await.0, 200);
    let paid_now = booking(&app, owing.id).await;
    assert_eq!((paid_now.status, paid_now.payment_status), (BookingStatus::Pending, PaymentStatus::DepositPaid));
    assert!(paid_now.hold_expires_at.unwrap() > Utc::now() + Duration::hours(47), "held for the manager's answer");
    let manager = app.logged_in_client(MANAGER).await;
    assert_eq!(manage(&app, &manager, owing.id, "confirm").await.0, 200);

    // An expired session is marked so.
    let second = book(&app, "Afinación mayor", 11).await;
    assert_eq!(pay_deposit(&app, &client, second.id).await.1, "https://checkout.stripe.test/c/pay/cs_test_2");
    let lapsed = event("evt_11", "checkout.session.expired", "cs_test_2");
    assert_eq!(webhook(&app, &lapsed, signed(&lapsed)).await.0, 200);
    let row: (String,) = sqlx::query_as("SELECT status FROM checkout_sessions WHERE id = 'cs_test_2'").fetch_one(app.db.pool()).await.unwrap();
    assert_eq!(row.0, "expired");
    assert_eq!(booking(&app, second.id).await.payment_status, PaymentStatus::Unpaid);
}

async fn managers_record_payments_by_hand(engine: Engine) {
    let app = spawn_app(engine).await;
    let owing = book(&app, "Afinación mayor", 12).await;
    let client = app.logged_in_client(CLIENT).await;
    assert_eq!(my_card(&app, &client, owing.id).await["deposit_payment"], "in_person", "offline: paid at the workshop");
    assert_eq!(pay_deposit(&app, &client, owing.id).await, (303, "/mis-reservas?pago=error".to_string()));

    let (_, page) = common::get_page(&client, &app.url("/mis-reservas"), &[]).await;
    assert!(page.contains("data-testid=\"deposit-in-person\"") && !page.contains("pagar-anticipo"), "paid at the workshop");

    let manager = app.logged_in_client(MANAGER).await;
    let (_, panel) = common::get_page(&manager, &app.url("/panel"), &[]).await;
    let line = panel.split(&format!("data-booking-id=\"{}\"", owing.id)).nth(1).expect("the booking is listed");
    let line = line.split("data-testid=\"booking-line\"").next().unwrap();
    assert!(line.contains("data-testid=\"deposit-owed\"") && line.contains("$500.00 MXN"), "the owed deposit shows");
    assert!(line.contains("data-testid=\"record-payment\"") && line.contains("Monto"), "with the form to record it");
    let (status, line) = record(&app, &manager, owing.id, "deposit", "500.00", "cash").await;
    assert_eq!(status, 200, "{line}");
    assert_eq!((line["payment_status"].clone(), line["deposit_owed"].clone()), (json!("deposit_paid"), json!(false)));
    let held = booking(&app, owing.id).await;
    assert_eq!(held.status, BookingStatus::Pending, "the workshop approves by hand");
    assert!(held.hold_expires_at.unwrap() > Utc::now() + Duration::hours(47));
    assert_eq!(manage(&app, &manager, owing.id, "confirm").await.0, 200);

    // Refused amounts say which field; nothing is written.
    for (kind, amount, method, named) in [
        ("payment", "0", "cash", "amount_not_positive"),
        ("payment", "-5", "cash", "\"field\":\"amount\""),
        ("payment", "abc", "cash", "\"field\":\"amount\""),
        ("refund", "501.00", "cash", "refund_above_net"),
        ("payment", "10.00", "card", "\"field\":\"method\""),
        ("gift", "10.00", "cash", "\"field\":\"kind\""),
    ] {
        let (status, body) = record(&app, &manager, owing.id, kind, amount, method).await;
        assert_eq!(status, 422, "{kind} {amount} {method}: {body}");
        assert!(body.to_string().contains(named), "{kind} {amount} {method}: {body}");
    }
    assert_eq!(payments::list_for_booking(&app.db, owing.id).await.unwrap().len(), 1);

    let (_, line) = record(&app, &manager, owing.id, "payment", "2,300.00", "transfer").await;
    assert_eq!(line["payment_status"], "paid");
    let (_, line) = record(&app, &manager, owing.id, "refund", "2800", "transfer").await;
    assert_eq!(line["payment_status"], "refunded");

    // Through the API too: a cancelled booking takes refunds, not payments.
    let api = Api::user(&app, MANAGER).await;
    let path = format!("/api/bookings/{}/payments", owing.id);
    let (status, body) = api.post(&path, json!({"kind": "payment", "amount_minor": 1000, "method": "cash"})).await;
    assert_eq!(status, 201, "{body}");
    assert_eq!((body["payment_status"].clone(), body["deposit_due_minor"].clone()), (json!("unpaid"), json!(50_000)));
    let (status, body) = api.post(&path, json!({"kind": "payment", "amount_minor": 0, "method": "cash"})).await;
    assert_eq!((status.as_u16(), body["error"].clone(), body["field"].clone()), (422, json!("amount_not_positive"), json!("amount")));
    let (status, body) = api.post(&path, json!({"kind": "refund", "amount_minor": 1001, "method": "cash"})).await;
    assert_eq!((status.as_u16(), body["error"].clone()), (422, json!("refund_above_paid")));
    let (status, _) = api.call(reqwest::Method::DELETE, &format!("/api/bookings/{}?reason=x", owing.id), None).await;
    assert_eq!(status, 200);
    let (status, body) = api.post(&path, json!({"kind": "payment", "amount_minor": 1000, "method": "cash"})).await;
    assert_eq!((status.as_u16(), body["error"].clone()), (409, json!("booking_closed")));
    let (status, body) = api.post(&path, json!({"kind": "refund", "amount_minor": 1000, "method": "transfer", "reference": "SPEI 123"})).await;
    assert_eq!((status.as_u16(), body["payment_status"].clone()), (201, json!("refunded")));

    let (status, listed) = Api::user(&app, CLIENT).await.get(&path).await;
    assert_eq!(status, 200, "the client sees their booking's payments");
    let kinds: Vec<&str> = listed.as_array().unwrap().iter().map(|p| p["kind"].as_str().unwrap()).collect();
    assert_eq!(kinds, ["deposit", "payment", "refund", "payment", "refund"]);
    assert_eq!(listed[4]["reference"], "SPEI 123");
    assert!(audit::list(&app.db, Some(AuditAction::PaymentRecord), 0, 10).await.unwrap().is_empty(), "managers are not audited");
}

async fn only_the_resources_managers_and_admins_handle_payments(engine: Engine) {
    let app = spawn_app(engine).await;
    let owing = book(&app, "Afinación mayor", 13).await;
    let path = format!("/api/bookings/{}/payments", owing.id);
    let body = json!({"kind": "deposit", "amount_minor": 50_000, "method": "cash"});
    create_account(&app.db, "Otra Gerente", "otra@example.com", Role::Manager).await;
    create_account(&app.db, "Otro Cliente", "otro@example.com", Role::Client).await;
    for email in [CLIENT, "otra@example.com", "otro@example.com"] {
        let (status, reply) = Api::user(&app, email).await.post(&path, body.clone()).await;
        assert_eq!(status, 403, "{email}: {reply}");
        let web = app.logged_in_client(email).await;
        assert_eq!(record(&app, &web, owing.id, "deposit", "500", "cash").await.0, 403, "{email} on the dashboard");
    }
    assert_eq!(Api::user(&app, "otro@example.com").await.get(&path).await.0, 403, "not theirs to see");
    assert!(payments::list_for_booking(&app.db, owing.id).await.unwrap().is_empty());

    // An administrator may, and it is audited.
    let (status, reply) = Api::admin(&app).await.post(&path, body).await;
    assert_eq!(status, 201, "{reply}");
    let entries = audit::list(&app.db, Some(AuditAction::PaymentRecord), 0, 10).await.unwrap();
    assert_eq!(entries.len(), 1);
    assert_eq!(entries[0].target, format!("booking:{}", owing.id));
    assert_eq!(entries[0].detail["amount_minor"], 50_000);
}

async fn workshop_jobs_move_along_from_the_dashboard(engine: Engine) {
    let app = spawn_app(engine).await;
    let job = book(&app, "Revisión de frenos", 14).await;
    let manager = app.logged_in_client(MANAGER).await;
    let (status, line) = manage(&app, &manager, job.id, "check_in").await;
    assert_eq!(status, 409, "a pending request is confirmed first: {line}");
    assert_eq!(manage(&app, &manager, job.id, "confirm").await.0, 200);
    let (status, line) = manage(&app, &manager, job.id, "check_in").await;
    assert_eq!((status, line["status"].clone()), (200, json!("in_progress")), "{line}");
    let (status, line) = manage(&app, &manager, job.id, "check_out").await;
    assert_eq!((status, line["status"].clone()), (200, json!("completed")));
    let absent = book(&app, "Revisión de frenos", 15).await;
    assert_eq!(manage(&app, &manager, absent.id, "confirm").await.0, 200);
    let (status, line) = manage(&app, &manager, absent.id, "mark_no_show").await;
    assert_eq!((status, line["status"].clone()), (200, json!("no_show")));
    create_account(&app.db, "Otra Gerente", "otra@example.com", Role::Manager).await;
    let other = app.logged_in_client("otra@example.com").await;
    let third = book(&app, "Revisión de frenos", 16).await;
    assert_eq!(manage(&app, &other, third.id, "confirm").await.0, 403, "not their workshop");

    // Rooms keep their front desk to administrators, even for a room's manager.
    let room = resources::list_of_kind(&app.db, "room").await.unwrap()[0].id;
    sqlx::query("INSERT INTO resource_managers (resource_id, user_id) VALUES ($1, $2)")
        .bind(room)
        .bind(user_id(&app, MANAGER).await)
        .execute(&mut *app.db.write().await.unwrap())
        .await
        .unwrap();
    let start = Utc::now() + Duration::days(20);
    let stay = bookings::create(&app.db, &common::booking_request(room, None, "Huésped", start, Duration::days(1)), Actor::SYSTEM, Utc::now())
        .await
        .unwrap();
    assert_eq!(stay.status, BookingStatus::Confirmed);
    assert_eq!(manage(&app, &manager, stay.id, "check_in").await.0, 403);
    let admin = app.logged_in_client("admin@reservo.test").await;
    assert_eq!(manage(&app, &admin, stay.id, "check_in").await.0, 200);
}
