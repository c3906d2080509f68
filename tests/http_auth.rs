//! The app over real HTTP on both engines: health, login, sessions, roles,
//! CSRF, errors and language.
#![cfg(feature = "ssr")]

mod common;
use common::{on_both_engines, spawn_app, TestApp};
use reqwest::header::{CONTENT_TYPE, LOCATION, SET_COOKIE};
use reservo::server::storage::seed::DEMO_PASSWORD;
use reservo::server::storage::{users, Engine};
use serde_json::Value;

on_both_engines!(
    health_check_reports_the_engine,
    each_demo_role_logs_in_and_sees_its_home,
    a_wrong_password_is_refused_without_telling_whether_the_email_exists,
    repeated_failures_are_rate_limited,
    registration_validates_fields_and_logs_in,
    server_functions_check_the_role,
    logout_ends_the_session_and_login_rotates_it,
    cross_site_writes_are_refused,
    pages_redirect_404_and_speak_both_languages,
    the_rooms_board_is_for_admins_and_drives_check_in,
    admins_add_rooms_with_checked_fields
);

/// A server-rendered page. Under heavy parallel load a page render was once
/// seen never to answer (not reproduced alone; see the issue notes): such a
/// request times out, is reported loudly, and is tried once more.
async fn page(app: &TestApp, client: &reqwest::Client, path: &str) -> (u16, String) {
    common::get_page(client, &app.url(path), &[]).await
}

async fn json(response: reqwest::Response) -> Value {
    response.json().await.expect("json body")
}

async fn health_check_reports_the_engine(engine: Engine) {
    let app = spawn_app(engine).await;
    let response = app.client().get(app.url("/healthz")).send().await.unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["x-content-type-options"], "nosniff");
    assert_eq!(json(response).await["database"], engine.name());
}

async fn each_demo_role_logs_in_and_sees_its_home(engine: Engine) {
    let app = spawn_app(engine).await;
    for (email, role, heading) in [
        ("client@reservo.test", "client", "Mis reservas"),
        ("manager@reservo.test", "manager", "Panel del manager"),
        ("admin@reservo.test", "admin", "Administración"),
    ] {
        let client = app.client();
        let response = app.login(&client, email, DEMO_PASSWORD).await;
        assert_eq!(response.status(), 200, "{email}");
        assert_eq!(response.headers()[LOCATION], "/panel");
        let cookie = response.headers()[SET_COOKIE].to_str().unwrap().to_string();
        assert!(cookie.starts_with("reservo_session="), "{cookie}");
        assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"), "{cookie}");
        let (status, html) = page(&app, &client, "/panel").await;
        assert_eq!(status, 200);
        assert!(html.contains(&format!("data-role=\"{role}\"")), "{email}: {html}");
        assert!(html.contains(heading), "{email}");
        let me = json(app.call(&client, "current-user", &[]).await).await;
        assert_eq!(me["email"], email);
        assert_eq!(me["role"], role);
    }
}

async fn a_wrong_password_is_refused_without_telling_whether_the_email_exists(engine: Engine) {
    let app = spawn_app(engine).await;
    let client = app.client();
    let wrong = app.login(&client, "client@reservo.test", "not-the-password").await;
    assert_eq!(wrong.status(), 401);
    assert!(wrong.headers().get(SET_COOKIE).is_none());
    let wrong_body = wrong.text().await.unwrap();
    let unknown = app.login(&client, "nobody@reservo.test", "not-the-password").await;
    assert_eq!(unknown.status(), 401);
    assert_eq!(unknown.text().await.unwrap(), wrong_body);
    assert!(wrong_body.contains("BadCredentials"), "{wrong_body}");
    assert_eq!(json(app.call(&client, "current-user", &[]).await).await, Value::Null);
}

async fn repeated_failures_are_rate_limited(engine: Engine) {
    let app = spawn_app(engine).await;
    let client = app.client();
    for _ in 0..app.config.auth.login_max_failures {
        assert_eq!(app.login(&client, "manager@reservo.test", "guess-guess-guess").await.status(), 401);
    }
    let blocked = app.login(&client, "manager@reservo.test", DEMO_PASSWORD).await;
    assert_eq!(blocked.status(), 429);
    let retry_after: u64 = blocked.headers()["retry-after"].to_str().unwrap().parse().unwrap();
    assert_eq!(json(blocked).await["TooManyAttempts"]["retry_after_secs"].as_u64().unwrap(), retry_after);
    assert!(retry_after > 0);
}

async fn registration_validates_fields_and_logs_in(engine: Engine) {
    let app = spawn_app(engine).await;
    let client = app.client();
    let form = |email: &'static str, password: &'static str| {
        [("name", "Nueva Clienta"), ("email", email), ("phone", "+52 55 1111 2222"), ("password", password)]
    };
    let bad_email = app.call(&client, "register", &form("no-at-sign", "long enough password")).await;
    assert_eq!(bad_email.status(), 422);
    assert_eq!(json(bad_email).await["Invalid"], serde_json::json!({"field": "email", "problem": "email_invalid"}));
    let short = app.call(&client, "register", &form("nueva@example.com", "short")).await;
    assert_eq!(json(short).await["Invalid"]["field"], "password");
    let taken = app.call(&client, "register", &form("client@reservo.test", "long enough password")).await;
    assert_eq!(json(taken).await["Invalid"]["problem"], "email_taken");
    assert!(users::find_by_email(&app.db, "nueva@example.com").await.unwrap().is_none(), "nothing written");

    let created = app.call(&client, "register", &form("Nueva@Example.com", "long enough password")).await;
    assert_eq!(created.status(), 200);
    let user = users::find_by_email(&app.db, "nueva@example.com").await.unwrap().expect("stored lower-cased");
    assert_eq!(user.role.as_str(), "client");
    assert_eq!(user.phone.as_deref(), Some("+525511112222"));
    assert!(user.password_hash.starts_with("$argon2id$"));
    assert_eq!(json(app.call(&client, "current-user", &[]).await).await["email"], "nueva@example.com");
}

async fn server_functions_check_the_role(engine: Engine) {
    let app = spawn_app(engine).await;
    let anonymous = app.client();
    assert_eq!(app.call(&anonymous, "admin-overview", &[("page", "0")]).await.status(), 401);
    assert_eq!(app.call(&anonymous, "bookable-resources", &[]).await.status(), 401);
    let client = app.logged_in_client("client@reservo.test").await;
    let manager = app.logged_in_client("manager@reservo.test").await;
    let admin = app.logged_in_client("admin@reservo.test").await;
    assert_eq!(app.call(&client, "admin-overview", &[("page", "0")]).await.status(), 403);
    assert_eq!(app.call(&manager, "admin-overview", &[("page", "0")]).await.status(), 403);
    assert_eq!(app.call(&client, "managed-resources", &[]).await.status(), 403);

    let overview = json(app.call(&admin, "admin-overview", &[("page", "0")]).await).await;
    assert_eq!(overview["users"].as_array().unwrap().len(), 3);
    let managed = json(app.call(&manager, "managed-resources", &[]).await).await;
    let kinds: Vec<&str> = managed.as_array().unwrap().iter().map(|g| g["kind"].as_str().unwrap()).collect();
    assert!(kinds.contains(&"musician") && !kinds.contains(&"room"), "{kinds:?}");
    let bookable = json(app.call(&client, "bookable-resources", &[]).await).await;
    assert_eq!(bookable.as_array().unwrap().len(), 4, "four kinds in the demo");
}

async fn logout_ends_the_session_and_login_rotates_it(engine: Engine) {
    let app = spawn_app(engine).await;
    let client = app.client();
    let first = app.login(&client, "client@reservo.test", DEMO_PASSWORD).await;
    let first_cookie = first.headers()[SET_COOKIE].to_str().unwrap().split(';').next().unwrap().to_string();
    let second = app.login(&client, "client@reservo.test", DEMO_PASSWORD).await;
    let second_cookie = second.headers()[SET_COOKIE].to_str().unwrap().split(';').next().unwrap().to_string();
    assert_ne!(first_cookie, second_cookie);
    let with_cookie = |cookie: &str| {
        let cookie = cookie.to_string();
        let app_url = app.url("/fn/current-user");
        async move {
            let response = reqwest::Client::new().post(app_url).header("cookie", cookie).send().await.unwrap();
            response.json::<Value>().await.unwrap()
        }
    };
    assert_eq!(with_cookie(&first_cookie).await, Value::Null, "the old session was closed at login");
    assert_eq!(with_cookie(&second_cookie).await["role"], "client");

    let out = app.call(&client, "logout", &[]).await;
    assert_eq!(out.status(), 200);
    assert!(out.headers()[SET_COOKIE].to_str().unwrap().contains("Max-Age=0"));
    assert_eq!(with_cookie(&second_cookie).await, Value::Null, "logout deletes the session on the server");
}

async fn cross_site_writes_are_refused(engine: Engine) {
    let app = spawn_app(engine).await;
    let client = app.client();
    let login = |headers: &'static [(&'static str, &'static str)]| {
        let mut request = client
            .post(app.url("/fn/login"))
            .form(&[("email", "client@reservo.test"), ("password", DEMO_PASSWORD)]);
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        request.send()
    };
    assert_eq!(login(&[("origin", "http://evil.test")]).await.unwrap().status(), 403);
    assert_eq!(login(&[("sec-fetch-site", "cross-site")]).await.unwrap().status(), 403);
    assert_eq!(login(&[("sec-fetch-site", "same-site")]).await.unwrap().status(), 403);
    assert_eq!(json(app.call(&client, "current-user", &[]).await).await, Value::Null, "nothing happened");
    let api = client.post(app.url("/api/auth/token")).header("sec-fetch-site", "cross-site").json(&serde_json::json!({})).send().await.unwrap();
    assert_eq!(api.status(), 403);
    assert_eq!(json(api).await["error"], "cross_site", "the API answers in its JSON error shape");
    let host = app.base.trim_start_matches("http://").to_string();
    let same_origin = client
        .post(app.url("/fn/login"))
        .header("origin", format!("http://{host}"))
        .form(&[("email", "client@reservo.test"), ("password", DEMO_PASSWORD)])
        .send()
        .await
        .unwrap();
    assert_eq!(same_origin.status(), 200);
}

async fn pages_redirect_404_and_speak_both_languages(engine: Engine) {
    let app = spawn_app(engine).await;
    let client = app.client();
    let panel = client.get(app.url("/panel")).header("accept", "text/html").send().await.unwrap();
    assert_eq!(panel.status().as_u16() / 100, 3, "anonymous visitors are sent to log in");
    assert_eq!(panel.headers()[LOCATION], "/login");

    let (status, html) = page(&app, &client, "/no-existe").await;
    assert_eq!(status, 404);
    assert!(html.contains("Página no encontrada"));

    let (_, spanish) = page(&app, &client, "/login").await;
    assert!(spanish.contains("<html lang=\"es\"") && spanish.contains("Correo electrónico"));
    let switched = client.post(app.url("/lang")).form(&[("lang", "en"), ("next", "/login")]).send().await.unwrap();
    assert_eq!(switched.status(), 303);
    assert_eq!(switched.headers()[LOCATION], "/login");
    let (_, english) = page(&app, &client, "/login").await;
    assert!(english.contains("<html lang=\"en\"") && english.contains("Log in to Reservo"), "{english}");
    let bad = client.post(app.url("/lang")).form(&[("lang", "fr")]).send().await.unwrap();
    assert_eq!(bad.status(), 422);
    assert!(bad.headers()[CONTENT_TYPE].to_str().unwrap().starts_with("text/plain"));
}

async fn the_rooms_board_is_for_admins_and_drives_check_in(engine: Engine) {
    use reservo::domain::booking::BookingRequest;
    use reservo::server::storage::{bookings, resources};
    let app = spawn_app(engine).await;
    let room = resources::list_of_kind(&app.db, "room").await.unwrap()[0].clone();
    let now = chrono::Utc::now();
    let request = BookingRequest {
        resource_id: room.id,
        service_id: None,
        client_id: None,
        guest_name: "Juan Pérez".into(),
        guest_email: "juan@example.com".into(),
        guest_phone: None,
        start: now + chrono::Duration::hours(3),
        end: now + chrono::Duration::hours(30),
        party_size: 1,
        notes: String::new(),
        details: serde_json::json!({}),
    };
    let booking = bookings::create(&app.db, &request, bookings::Actor::SYSTEM, now).await.unwrap();
    let id = booking.id.to_string();
    let check_in = [("booking_id", id.as_str()), ("action", "check_in")];

    let client = app.logged_in_client("client@reservo.test").await;
    assert_eq!(app.call(&client, "rooms-board", &[]).await.status(), 403);
    assert_eq!(app.call(&client, "room-action", &check_in).await.status(), 403);
    assert_eq!(bookings::get(&app.db, booking.id).await.unwrap().unwrap().status.as_str(), "confirmed", "unchanged");

    let admin = app.logged_in_client("admin@reservo.test").await;
    let card = |board: &Value| board.as_array().unwrap().iter().find(|c| c["id"] == room.id).cloned().unwrap();
    let before = json(app.call(&admin, "rooms-board", &[]).await).await;
    assert_eq!(card(&before)["status"], "reserved");
    assert_eq!(card(&before)["booking"]["guest_name"], "Juan Pérez");
    assert_eq!(app.call(&admin, "room-action", &check_in).await.status(), 200);
    let after = json(app.call(&admin, "rooms-board", &[]).await).await;
    assert_eq!(card(&after)["status"], "occupied");
    let again = app.call(&admin, "room-action", &check_in).await;
    assert_eq!(again.status(), 409, "already checked in");
    let (status, html) = page(&app, &admin, "/admin/rooms").await;
    assert_eq!(status, 200);
    assert!(html.contains("data-testid=\"rooms-board\"") && html.contains("Ocupada"), "{html}");
}

async fn admins_add_rooms_with_checked_fields(engine: Engine) {
    let app = spawn_app(engine).await;
    let form = |beds: &'static str, price: &'static str| {
        [("id", ""), ("number", "301"), ("description", "Vista al mar"), ("room_type", "doble"), ("beds", beds), ("guests", "3"), ("nightly_price", price)]
    };
    let client = app.logged_in_client("client@reservo.test").await;
    assert_eq!(app.call(&client, "save-room", &form("2", "1200")).await.status(), 403);
    let admin = app.logged_in_client("admin@reservo.test").await;
    let bad_beds = app.call(&admin, "save-room", &form("dos", "1200")).await;
    assert_eq!(bad_beds.status(), 422);
    assert_eq!(json(bad_beds).await["Invalid"], serde_json::json!({"field": "beds", "problem": "not_a_whole_number"}));
    let bad_price = json(app.call(&admin, "save-room", &form("2", "mil")).await).await;
    assert_eq!(bad_price["Invalid"]["field"], "nightly_price");
    let too_many = json(app.call(&admin, "save-room", &form("99", "1200")).await).await;
    assert_eq!(too_many["Invalid"]["problem"], "out_of_range");
    let created = app.call(&admin, "save-room", &form("2", "1,200.50")).await;
    assert_eq!(created.status(), 200);
    let id = json(created).await.as_i64().unwrap();
    let detail = reservo::server::storage::resources::find(&app.db, id).await.unwrap().unwrap();
    assert_eq!(detail.summary.name, "Habitación 301");
    assert_eq!(detail.attributes["nightly_price_minor"], 120_050);
    assert_eq!(detail.attributes["beds"], 2);
    let board = json(app.call(&admin, "rooms-board", &[]).await).await;
    assert!(board.as_array().unwrap().iter().any(|c| c["id"] == id && c["status"] == "available"));
    let again = json(app.call(&admin, "save-room", &form("2", "1200")).await).await;
    let second = reservo::server::storage::resources::find(&app.db, again.as_i64().unwrap()).await.unwrap().unwrap();
    assert_eq!(second.summary.slug, "habitacion-301-2", "slugs stay unique");

    let id_text = id.to_string();
    let change = [("id", id_text.as_str()), ("number", "301B"), ("description", "Renovada"), ("room_type", "suite"), ("beds", "1"), ("guests", "2"), ("nightly_price", "2000")];
    assert_eq!(app.call(&admin, "save-room", &change).await.status(), 200);
    let changed = reservo::server::storage::resources::find(&app.db, id).await.unwrap().unwrap();
    assert_eq!((changed.summary.name.as_str(), changed.summary.description.as_str()), ("Habitación 301B", "Renovada"));
    assert_eq!(changed.attributes["nightly_price_minor"], 200_000);
    assert_eq!(changed.summary.slug, "habitacion-301", "the address stays");
    let workshop = reservo::server::storage::resources::list_of_kind(&app.db, "workshop").await.unwrap()[0].id.to_string();
    let not_a_room = [("id", workshop.as_str()), ("number", "1"), ("description", ""), ("room_type", ""), ("beds", ""), ("guests", ""), ("nightly_price", "")];
    assert_eq!(app.call(&admin, "save-room", &not_a_room).await.status(), 404);
}
