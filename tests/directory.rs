//! The public side over HTTP on both engines: the directories of musicians
//! and venues with their filters, a resource's profile, and a booking
//! request from it (with and without JavaScript).
#![cfg(feature = "ssr")]

mod common;
use common::{on_both_engines, spawn_app, TestApp};
use reqwest::header::LOCATION;
use reservo::domain::booking::BookingStatus;
use reservo::error::AppError;
use reservo::server::storage::{bookings, Engine};
use serde_json::Value;

on_both_engines!(
    the_musicians_directory_filters_and_pages,
    venues_use_the_same_page,
    a_profile_shows_rates_and_facts_and_unknown_slugs_are_404,
    a_logged_in_client_requests_a_booking,
    a_request_without_javascript_comes_back_in_the_url,
    login_returns_to_the_page_it_came_from,
    a_venue_account_requests_a_musician
);

async fn page(app: &TestApp, client: &reqwest::Client, path: &str) -> (u16, String) {
    common::get_page(client, &app.url(path), &[]).await
}

fn cards(html: &str) -> usize {
    html.matches("data-testid=\"directory-card\"").count()
}

async fn the_musicians_directory_filters_and_pages(engine: Engine) {
    let app = spawn_app(engine).await;
    let client = app.client();
    let (status, html) = page(&app, &client, "/musicos").await;
    assert_eq!(status, 200);
    for name in ["Lucía Ortega", "Trío Sol de Oaxaca", "DJ Marea"] {
        assert!(html.contains(name), "{name} listed");
    }
    assert_eq!(cards(&html), 3, "musicians only");
    assert!(!html.contains("Foro Alameda"));
    assert!(html.contains("$8,000.00 MXN"), "the price from the cheapest service");
    assert!(html.contains("href=\"/r/lucia-ortega\""));
    assert!(html.contains("href=\"/musicos\"") && html.contains("href=\"/salones\""), "the header links");

    let (status, html) = page(&app, &client, "/musicos?genero=jazz").await;
    assert_eq!(status, 200);
    assert_eq!(cards(&html), 1);
    assert!(html.contains("Lucía Ortega") && !html.contains("DJ Marea"));
    assert!(html.contains("<option value=\"jazz\" selected"), "the chosen genre stays chosen");

    let (_, html) = page(&app, &client, "/musicos?q=marea&ciudad=Guadalajara").await;
    assert_eq!(cards(&html), 1);
    assert!(html.contains("DJ Marea"));
    let (_, html) = page(&app, &client, "/musicos?precio_max=7999").await;
    assert_eq!(cards(&html), 0);
    let (_, html) = page(&app, &client, "/musicos?precio_min=8000&precio_max=8000").await;
    assert_eq!(cards(&html), 3);
    let (_, html) = page(&app, &client, "/musicos?precio_min=mucho").await;
    assert!(html.contains("data-testid=\"filter-error\""), "a price that is not a number is pointed out");

    let (status, html) = page(&app, &client, "/musicos?pagina=2").await;
    assert_eq!(status, 200);
    assert_eq!(cards(&html), 0);
    assert!(html.contains("data-testid=\"directory-empty\""));
    assert!(html.contains("No encontramos resultados"));

    // The server function answers clients other than the page too.
    let response = app.call(&client, "directory", &[("kind", "musician"), ("genero", "JAZZ")]).await;
    assert_eq!(response.status(), 200);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["total"], 1);
    assert_eq!(body["cards"][0]["slug"], "lucia-ortega");
    assert_eq!(body["cards"][0]["from_price"], "$8,000.00 MXN");
    assert_eq!(body["pages"], 1);
}

async fn venues_use_the_same_page(engine: Engine) {
    let app = spawn_app(engine).await;
    let (status, html) = page(&app, &app.client(), "/salones").await;
    assert_eq!(status, 200);
    assert!(html.contains("data-kind=\"venue\""));
    assert_eq!(cards(&html), 1);
    assert!(html.contains("Foro Alameda") && html.contains("$15,000.00 MXN"));
}

async fn a_profile_shows_rates_and_facts_and_unknown_slugs_are_404(engine: Engine) {
    let app = spawn_app(engine).await;
    let client = app.client();
    let (status, html) = page(&app, &client, "/r/lucia-ortega").await;
    assert_eq!(status, 200);
    assert!(html.contains("Lucía Ortega"));
    assert!(html.contains("Cantante de jazz y bolero"));
    assert!(html.contains("Evento de 2 horas") && html.contains("$8,000.00 MXN"), "the rate");
    assert!(html.contains("Marco Manager"), "the manager's name");
    assert!(html.contains("Ciudad de México") && html.contains("jazz, bolero"), "the facts");
    assert!(html.contains("Géneros") && html.contains("Ciudad"), "labelled");
    assert!(html.contains("data-testid=\"photo-placeholder\""), "no photos yet");
    assert!(html.contains("data-testid=\"plain-date-time\""), "the form works without JavaScript");
    assert!(html.contains("/login?next=/r/lucia-ortega"), "a visitor is asked to log in first");

    let (status, html) = page(&app, &client, "/r/nadie-con-este-nombre").await;
    assert_eq!(status, 404);
    assert!(html.contains("404"));
    let response = app.call(&client, "resource-profile", &[("slug", "nadie")]).await;
    assert_eq!(response.status(), 404);
}

async fn error_of(response: reqwest::Response) -> AppError {
    response.json::<AppError>().await.expect("an AppError body")
}

async fn a_logged_in_client_requests_a_booking(engine: Engine) {
    let app = spawn_app(engine).await;
    let anonymous = app.client();
    let (date, time) = common::first_free_time(&app, &anonymous, "lucia-ortega", "120").await;
    assert_eq!(time, "12:00", "musicians open at noon");
    let form = |date: &str, time: &str| {
        vec![
            ("slug", "lucia-ortega".to_string()),
            ("date", date.to_string()),
            ("time", time.to_string()),
            ("duration", "120".to_string()),
            ("event_type", "Boda".to_string()),
            ("address", "Av. Reforma 1, CDMX".to_string()),
            ("notes", "Primer baile a las 13:00".to_string()),
        ]
    };
    let post = |client: &reqwest::Client, form: Vec<(&'static str, String)>| {
        client.post(app.url("/fn/request-booking")).form(&form).send()
    };

    let response = post(&anonymous, form(&date, &time)).await.unwrap();
    assert_eq!(response.status(), 401);
    assert_eq!(error_of(response).await, AppError::Unauthorized);

    let client = app.logged_in_client("client@reservo.test").await;
    let response = post(&client, form(&date, &time)).await.unwrap();
    assert_eq!(response.status(), 200);
    let sent: Value = response.json().await.unwrap();
    assert_eq!(sent["status"], "pending", "musicians approve by hand");
    let booking = bookings::get(&app.db, sent["id"].as_i64().unwrap()).await.unwrap().unwrap();
    assert_eq!(booking.status, BookingStatus::Pending);
    assert_eq!(booking.guest_email, "client@reservo.test");
    assert_eq!(booking.guest_name, "Carla Cliente");
    assert!(booking.client_id.is_some());
    assert_eq!(booking.details["event_type"], "Boda");
    assert_eq!(booking.details["address"], "Av. Reforma 1, CDMX");
    assert_eq!(booking.notes, "Primer baile a las 13:00");
    assert_eq!(booking.end - booking.start, chrono::Duration::minutes(120));
    assert_eq!(booking.price_minor, 800_000);
    let local = booking.start.with_timezone(&"America/Mexico_City".parse::<chrono_tz::Tz>().unwrap());
    assert_eq!(local.format("%Y-%m-%d %H:%M").to_string(), format!("{date} {time}"), "read in the resource's zone");

    // The time is taken now: it is no longer offered, and asking again is a conflict on the start.
    let (_, first_time) = common::first_free_time(&app, &client, "lucia-ortega", "120").await;
    assert_ne!(first_time, time, "the taken time is not offered on that day");
    let response = post(&client, form(&date, &time)).await.unwrap();
    assert_eq!(response.status(), 409);
    let error = error_of(response).await;
    assert_eq!(error.field(), Some("start"), "{error:?}");

    // Times that cannot be read, outside the hours, missing, or a length not offered: 422 with the field.
    for (date, time, duration, field) in [
        (date.as_str(), "25:00", "120", "start"),
        (date.as_str(), "03:00", "120", "start"),
        (date.as_str(), "", "120", "time"),
        ("", "14:00", "120", "date"),
        (date.as_str(), "16:00", "7", "duration"),
    ] {
        let mut fields = form(date, time);
        fields[3].1 = duration.to_string();
        let response = post(&client, fields).await.unwrap();
        assert_eq!(response.status(), 422, "{date} {time} {duration}");
        assert_eq!(error_of(response).await.field(), Some(field), "{date} {time} {duration}");
    }
    // A manager may request too, for themselves.
    let manager = app.logged_in_client("manager@reservo.test").await;
    let response = post(&manager, form(&date, "16:00")).await.unwrap();
    assert_eq!(response.status(), 200);
}

async fn a_request_without_javascript_comes_back_in_the_url(engine: Engine) {
    let app = spawn_app(engine).await;
    let client = app.logged_in_client("client@reservo.test").await;
    let (date, time) = common::first_free_time(&app, &client, "lucia-ortega", "120").await;
    let form = [("slug", "lucia-ortega"), ("date", date.as_str()), ("time", time.as_str()), ("duration", "120"), ("event_type", "Fiesta"), ("address", ""), ("notes", "")];
    let plain = |form: &[(&str, &str)]| {
        client
            .post(app.url("/fn/request-booking"))
            .header("accept", "text/html")
            .header("referer", app.url("/r/lucia-ortega"))
            .form(form)
            .send()
    };
    let response = plain(&form).await.unwrap();
    assert_eq!(response.status(), 302);
    let location = response.headers()[LOCATION].to_str().unwrap().to_string();
    assert!(location.starts_with("/r/lucia-ortega?solicitud="), "{location}");
    assert!(location.ends_with("&estado=pending"), "{location}");
    let (status, html) = page(&app, &client, &location).await;
    assert_eq!(status, 200);
    assert!(html.contains("Solicitud enviada"));
    assert!(html.contains("Pendiente de aprobación"));

    // Again: refused, and the refusal comes back to the form.
    let response = plain(&form).await.unwrap();
    assert_eq!(response.status(), 302);
    let location = response.headers()[LOCATION].to_str().unwrap().to_string();
    assert!(location.starts_with("/r/lucia-ortega?error="), "{location}");
    let (status, html) = page(&app, &client, &location).await;
    assert_eq!(status, 200);
    assert!(html.contains("Ese horario ya está reservado"), "the refusal is shown");
}

async fn login_returns_to_the_page_it_came_from(engine: Engine) {
    let app = spawn_app(engine).await;
    let (_, html) = page(&app, &app.client(), "/login?next=/r/lucia-ortega").await;
    assert!(html.contains("name=\"next\" value=\"/r/lucia-ortega\""));
    for (next, expected) in [("/r/lucia-ortega", "/r/lucia-ortega"), ("//evil.example/x", "/panel"), ("https://evil.example", "/panel")] {
        let client = app.client();
        let form = [("email", "client@reservo.test"), ("password", reservo::server::storage::seed::DEMO_PASSWORD), ("next", next)];
        let response = app.call(&client, "login", &form).await;
        assert_eq!(response.status(), 200);
        assert_eq!(response.headers()[LOCATION], expected, "{next}");
    }
}

/// Seed 002's Venue_Dash side: the account of a venue (a manager of it)
/// requests a musician from the profile like a client, follows the request
/// in its own bookings, and the musician's manager sees it waiting.
async fn a_venue_account_requests_a_musician(engine: Engine) {
    use reservo::domain::account::Role;
    use reservo::server::storage::resources;
    let app = spawn_app(engine).await;
    let venue_account = common::create_account(&app.db, "Salón Los Arcos", "arcos@reservo.test", Role::Manager).await;
    let venue = resources::list_of_kind(&app.db, "venue").await.unwrap()[0].id;
    sqlx::query("INSERT INTO resource_managers (resource_id, user_id) VALUES ($1, $2)")
        .bind(venue)
        .bind(venue_account)
        .execute(app.db.pool())
        .await
        .unwrap();

    let venue_browser = app.logged_in_client("arcos@reservo.test").await;
    let (date, time) = common::first_free_time(&app, &venue_browser, "lucia-ortega", "120").await;
    let form = [("slug", "lucia-ortega"), ("date", &date), ("time", &time), ("duration", "120"), ("event_type", "Noche de bolero"), ("address", "Salón Los Arcos"), ("notes", "")];
    let response = venue_browser.post(app.url("/fn/request-booking")).form(&form).send().await.unwrap();
    assert_eq!(response.status(), 200);
    let sent: Value = response.json().await.unwrap();
    assert_eq!(sent["status"], "pending");

    let own: Value = app.call(&venue_browser, "my-bookings", &[]).await.json().await.unwrap();
    assert_eq!(own["upcoming"][0]["id"], sent["id"], "the venue follows its request: {own}");
    let musicians_manager = app.logged_in_client("manager@reservo.test").await;
    let lists: Value = app.call(&musicians_manager, "managed-bookings", &[]).await.json().await.unwrap();
    assert!(lists["pending"].as_array().unwrap().iter().any(|line| line["id"] == sent["id"]), "{lists}");
    let venues_view: Value = app.call(&venue_browser, "managed-bookings", &[]).await.json().await.unwrap();
    assert!(venues_view["pending"].as_array().unwrap().iter().all(|line| line["id"] != sent["id"]), "the venue does not manage the musician");
}
