//! Reports and booking history over real HTTP on both engines: the figures
//! of a known week (statuses, money with a payment and a refund, utilization
//! of a three-bay workshop with a closed day, a booking near midnight on its
//! local date), who may see what, the CSV downloads, the server-rendered
//! charts, and the history's filters.
#![cfg(feature = "ssr")]

mod common;
use chrono::{DateTime, Duration, NaiveDateTime, TimeZone, Utc};
use common::{create_account, get_page, get_page_with_headers, on_both_engines, spawn_app, TestApp};
use reservo::domain::account::Role;
use reservo::domain::availability::DayHours;
use reservo::domain::resource::NewResource;
use reservo::server::storage::bookings::{self, Actor};
use reservo::server::storage::{calendar, resources, users, Engine};
use serde_json::Value;

on_both_engines!(
    the_figures_of_a_known_week,
    reports_are_for_managers_and_admins,
    bad_ranges_are_refused_next_to_the_field,
    tables_download_as_csv,
    the_page_shows_charts_without_javascript,
    the_history_is_filtered_and_newest_first,
);

const ZONE: chrono_tz::Tz = chrono_tz::America::Mexico_City;
const WEEK: [(&str, &str); 2] = [("desde", "2026-03-02"), ("hasta", "2026-03-08")];
/// A name that needs CSV quoting, would start a spreadsheet formula and needs escaping in HTML.
const ODD_NAME: &str = "=Sala \"Medianoche\", <Norte>";

/// Local time in Mexico City (UTC-6 all year since 2022).
fn local(text: &str) -> DateTime<Utc> {
    let naive = NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M").unwrap();
    ZONE.from_local_datetime(&naive).single().unwrap().with_timezone(&Utc)
}

async fn new_resource(app: &TestApp, kind: &str, name: &str, capacity: i64, manager: i64, hours: &[(u8, DayHours)]) -> i64 {
    let resource = NewResource {
        kind: kind.into(),
        slug: name.to_lowercase().chars().filter(char::is_ascii_alphanumeric).collect(),
        name: name.into(),
        description: String::new(),
        timezone: ZONE.name().into(),
        capacity,
        attributes: serde_json::json!({}),
        photos: Vec::new(),
    };
    resources::create_with_rules(&app.db, &resource, &[manager], None, hours).await.expect("resource created")
}

/// A booking at local `start`, then given `status` and `price_minor` as it would have by now.
async fn book(app: &TestApp, resource: i64, guest: &str, start: &str, minutes: i64, status: &str, price_minor: i64) -> i64 {
    let start = local(start);
    let mut request = common::booking_request(resource, None, guest, start, Duration::minutes(minutes));
    request.guest_email = format!("{}@example.com", guest.split_whitespace().next().unwrap().to_lowercase());
    let booked = bookings::create(&app.db, &request, Actor::SYSTEM, start - Duration::days(1)).await.expect("booked");
    sqlx::query("UPDATE bookings SET status = $1, price_minor = $2, hold_expires_at = NULL WHERE id = $3")
        .bind(status)
        .bind(price_minor)
        .bind(booked.id)
        .execute(&mut *app.db.write().await.unwrap())
        .await
        .unwrap();
    booked.id
}

async fn pay(app: &TestApp, booking: i64, kind: &str, amount_minor: i64) {
    sqlx::query(
        "INSERT INTO payments (booking_id, kind, amount_minor, currency, provider, method, created_at) \
         VALUES ($1, $2, $3, 'MXN', 'offline', 'cash', $4)",
    )
    .bind(booking)
    .bind(kind)
    .bind(amount_minor)
    .bind(Utc::now().timestamp())
    .execute(&mut *app.db.write().await.unwrap())
    .await
    .unwrap();
}

struct Week {
    workshop: i64,
    night: i64,
    elsewhere: i64,
    /// 23:00 on the range's last day, local: the next day in UTC.
    late: i64,
}

/// The demo manager's three-bay workshop (weekdays 09:00–18:00, closed on
/// Wednesday 4 March) and an all-day venue; another manager's venue.
async fn known_week(app: &TestApp) -> Week {
    let manager = users::find_by_email(&app.db, "manager@reservo.test").await.unwrap().unwrap().id;
    let other = create_account(&app.db, "Otra Gerente", "otra@reservo.test", Role::Manager).await;
    let weekdays: Vec<(u8, DayHours)> = (0..5).map(|d| (d, DayHours::new(9 * 60, 18 * 60).unwrap())).collect();
    let all_day: Vec<(u8, DayHours)> = (0..7).map(|d| (d, DayHours::ALL_DAY)).collect();
    let workshop = new_resource(app, "workshop", "Taller Tres Bahías", 3, manager, &weekdays).await;
    calendar::add_exception(&app.db, workshop, "2026-03-04".parse().unwrap(), None).await.unwrap();
    let night = new_resource(app, "venue", ODD_NAME, 1, manager, &all_day).await;
    let elsewhere = new_resource(app, "venue", "Salón Ajeno", 1, other, &all_day).await;

    let done = book(app, workshop, "Ana Completa", "2026-03-02T09:00", 180, "completed", 150_000).await;
    pay(app, done, "deposit", 50_000).await;
    pay(app, done, "payment", 100_000).await;
    book(app, workshop, "Beto Confirmado", "2026-03-02T09:00", 120, "confirmed", 0).await;
    let cancelled = book(app, workshop, "Carla Cancela", "2026-03-03T10:00", 60, "cancelled", 80_000).await;
    pay(app, cancelled, "deposit", 20_000).await;
    pay(app, cancelled, "refund", 20_000).await;
    book(app, workshop, "Dario Ausente", "2026-03-05T14:00", 60, "no_show", 0).await;
    book(app, workshop, "Elena Encurso", "2026-03-06T17:00", 60, "in_progress", 0).await;
    let late = book(app, night, "Fausto Nocturno", "2026-03-08T23:00", 50, "confirmed", 0).await;
    // 23:00 on 1 March locally, 2 March in UTC: before the range.
    let before = book(app, night, "Gema Previa", "2026-03-01T23:00", 50, "completed", 99_900).await;
    pay(app, before, "payment", 99_900).await;
    let theirs = book(app, elsewhere, "Hugo Ajeno", "2026-03-03T12:00", 60, "completed", 500_000).await;
    pay(app, theirs, "payment", 500_000).await;
    Week { workshop, night, elsewhere, late }
}

async fn report(app: &TestApp, client: &reqwest::Client, form: &[(&str, &str)]) -> (u16, Value) {
    let reply = app.call(client, "report", form).await;
    (reply.status().as_u16(), reply.json().await.unwrap_or(Value::Null))
}

fn rows<'a>(page: &'a Value, slug: &str) -> Vec<Vec<&'a str>> {
    let table = page["tables"].as_array().unwrap().iter().find(|t| t["slug"] == slug).expect("the table is there");
    table["rows"].as_array().unwrap().iter().map(|r| r.as_array().unwrap().iter().map(|c| c.as_str().unwrap()).collect()).collect()
}

fn row<'a>(page: &'a Value, slug: &str, first: &str) -> Vec<&'a str> {
    rows(page, slug).into_iter().find(|r| r[0] == first).unwrap_or_else(|| panic!("no row {first} in {slug}"))
}

async fn the_figures_of_a_known_week(engine: Engine) {
    let app = spawn_app(engine).await;
    known_week(&app).await;
    let manager = app.logged_in_client("manager@reservo.test").await;
    let (status, page) = report(&app, &manager, &WEEK).await;
    assert_eq!(status, 200, "{page}");
    assert_eq!((page["desde"].as_str(), page["hasta"].as_str()), (Some("2026-03-02"), Some("2026-03-08")));

    for (name, count) in [("Terminada", "1"), ("Confirmada", "2"), ("En curso", "1"), ("Cancelada", "1"), ("No se presentó", "1"), ("Pendiente de aprobación", "0"), ("Total", "6")] {
        assert_eq!(row(&page, "estados", name)[1], count, "{name}");
    }
    assert_eq!(
        row(&page, "ingresos", "Taller Tres Bahías"),
        vec!["Taller Tres Bahías", "MXN", "$1,500.00 MXN", "$700.00 MXN", "$1,500.00 MXN"],
        "a deposit and a payment, a deposit refunded; the completed booking's price"
    );
    assert_eq!(row(&page, "ingresos", "Total"), vec!["Total", "MXN", "$1,500.00 MXN", "$700.00 MXN", "$1,500.00 MXN"]);
    assert!(rows(&page, "ingresos").iter().all(|r| r[0] != ODD_NAME), "the night venue's money belongs to 1 March");
    // Four open weekdays (Wednesday closed) of 9 h, three bays: 108 h; booked 3 h + 2 h + 1 h.
    assert_eq!(row(&page, "ocupacion", "Taller Tres Bahías"), vec!["Taller Tres Bahías", "6:00", "108:00", "5,6 %"]);
    assert_eq!(row(&page, "ocupacion", ODD_NAME), vec![ODD_NAME, "0:50", "168:00", "0,5 %"]);
    assert_eq!(rows(&page, "cancelaciones"), vec![vec!["6", "1", "16,7 %", "1", "16,7 %"]]);
    assert!(rows(&page, "ocupacion").iter().all(|r| r[0] != "Salón Ajeno"), "another manager's resource is left out");

    let admin = app.logged_in_client("admin@reservo.test").await;
    let (status, everything) = report(&app, &admin, &[WEEK[0], WEEK[1], ("all", "true")]).await;
    assert_eq!(status, 200);
    assert_eq!(row(&everything, "estados", "Total")[1], "7");
    assert_eq!(row(&everything, "ingresos", "Salón Ajeno")[2], "$5,000.00 MXN");
    assert_eq!(row(&everything, "ingresos", "Total")[2], "$6,500.00 MXN");

    let (_, next_day) = report(&app, &manager, &[("desde", "2026-03-09"), ("hasta", "2026-03-09")]).await;
    assert_eq!(row(&next_day, "estados", "Total")[1], "0", "the 23:00 booking is not on its UTC date");
}

async fn reports_are_for_managers_and_admins(engine: Engine) {
    let app = spawn_app(engine).await;
    let client = app.logged_in_client("client@reservo.test").await;
    assert_eq!(report(&app, &client, &WEEK).await.0, 403);
    assert_eq!(report(&app, &app.client(), &WEEK).await.0, 401);
    let manager = app.logged_in_client("manager@reservo.test").await;
    assert_eq!(report(&app, &manager, &[("all", "true")]).await.0, 403, "the administrators' page");
    let (status, this_month) = report(&app, &manager, &[]).await;
    assert_eq!(status, 200, "no dates: the current month");
    assert!(this_month["desde"].as_str().unwrap().ends_with("-01"));

    for path in ["/panel/informes", "/admin/informes", "/panel/historial"] {
        let away = app.client().get(app.url(path)).header("accept", "text/html").send().await.unwrap();
        assert_eq!((away.status().as_u16() / 100, away.headers()["location"].to_str().unwrap()), (3, "/login"), "{path}");
    }
    let (status, _) = get_page(&client, &app.url("/panel/informes"), &[]).await;
    assert_eq!(status, 403);
    let (status, _) = get_page(&manager, &app.url("/admin/informes"), &[]).await;
    assert_eq!(status, 403);
    let history = app.call(&client, "booking-history", &[]).await;
    assert_eq!(history.status(), 403);
}

async fn bad_ranges_are_refused_next_to_the_field(engine: Engine) {
    let app = spawn_app(engine).await;
    let manager = app.logged_in_client("manager@reservo.test").await;
    for (desde, hasta, field, problem) in [
        ("ayer", "", "desde", "date_invalid"),
        ("2026-03-10", "2026-03-01", "hasta", "ends_before_start"),
        ("2026-01-01", "2027-01-02", "hasta", "range_too_long"),
    ] {
        let (status, error) = report(&app, &manager, &[("desde", desde), ("hasta", hasta)]).await;
        assert_eq!(status, 422, "{desde}..{hasta}");
        assert_eq!((error["Invalid"]["field"].as_str(), error["Invalid"]["problem"].as_str()), (Some(field), Some(problem)), "{error}");
    }
    let (status, html) = get_page(&manager, &app.url("/panel/informes?desde=2026-03-10&hasta=2026-03-01"), &[]).await;
    assert_eq!(status, 422);
    assert!(html.contains("id=\"hasta-error\""), "the message sits under the field");
    assert!(html.contains("La fecha final debe ser igual o posterior a la inicial."));
    assert!(html.contains("value=\"2026-03-10\""), "what was typed stays");
    let (status, _) = get_page(&manager, &app.url("/panel/historial?desde=2026-03-10&hasta=2026-03-01"), &[]).await;
    assert_eq!(status, 422);
}

async fn download(client: &reqwest::Client, url: &str) -> (u16, reqwest::header::HeaderMap, String) {
    let reply = client.get(url).send().await.unwrap();
    let (status, headers) = (reply.status().as_u16(), reply.headers().clone());
    (status, headers, reply.text().await.unwrap())
}

async fn tables_download_as_csv(engine: Engine) {
    let app = spawn_app(engine).await;
    known_week(&app).await;
    let manager = app.logged_in_client("manager@reservo.test").await;
    let url = |table: &str| app.url(&format!("/informes/{table}.csv?desde=2026-03-02&hasta=2026-03-08"));

    let (status, headers, body) = download(&manager, &url("ocupacion")).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(headers["content-type"], "text/csv; charset=utf-8");
    assert_eq!(headers["content-disposition"], "attachment; filename=\"informe-ocupacion-2026-03-02-2026-03-08.csv\"");
    let lines: Vec<&str> = body.trim_start_matches('\u{feff}').split("\r\n").collect();
    assert_eq!(lines[0], "Recurso,Horas reservadas,Horas abiertas,Ocupación");
    assert!(lines.contains(&"\"'=Sala \"\"Medianoche\"\", <Norte>\",0:50,168:00,\"0,5 %\""), "quoted, formula defused: {lines:?}");
    assert!(lines.contains(&"Taller Tres Bahías,6:00,108:00,\"5,6 %\""));
    assert!(!body.contains("Salón Ajeno"));

    let (_, _, money) = download(&manager, &url("ingresos")).await;
    assert!(money.contains("Taller Tres Bahías,MXN,\"$1,500.00 MXN\",$700.00 MXN,\"$1,500.00 MXN\"\r\n"), "{money}");
    assert!(money.starts_with("\u{feff}Recurso,Moneda,Cobrado,\"De ello, anticipos\","), "{money}");
    for table in ["estados", "cancelaciones"] {
        assert_eq!(download(&manager, &url(table)).await.0, 200, "{table}");
    }

    assert_eq!(download(&manager, &url("otra")).await.0, 404);
    let (status, _, refusal) = download(&manager, &app.url("/informes/ingresos.csv?desde=2026-03-09&hasta=2026-03-01")).await;
    assert_eq!((status, refusal.as_str()), (422, "La fecha final debe ser igual o posterior a la inicial."));
    let client = app.logged_in_client("client@reservo.test").await;
    assert_eq!(download(&client, &url("ingresos")).await.0, 403);
    assert_eq!(download(&app.client(), &url("ingresos")).await.0, 401);
    let admin = app.logged_in_client("admin@reservo.test").await;
    assert!(download(&admin, &url("ingresos")).await.2.contains("Salón Ajeno"), "administrators get every resource");
}

async fn the_page_shows_charts_without_javascript(engine: Engine) {
    let app = spawn_app(engine).await;
    known_week(&app).await;
    let manager = app.logged_in_client("manager@reservo.test").await;
    let (status, headers, html) = get_page_with_headers(&manager, &app.url("/panel/informes?desde=2026-03-02&hasta=2026-03-08"), &[]).await;
    assert_eq!(status, 200);
    assert!(headers["content-type"].to_str().unwrap().starts_with("text/html"));
    assert_eq!(html.matches("<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\"").count(), 3, "three charts in the HTML");
    for title in ["Reservas por estado", "Cobrado por recurso", "Ocupación por recurso (% de las horas abiertas)"] {
        assert!(html.contains(&format!("<title>{title}</title>")), "{title}");
        assert!(html.contains(&format!("aria-label=\"{title}\"")), "{title}");
    }
    assert!(html.contains("=Sala &quot;Medianoche&quot;, &lt;Norte&gt;"), "names are escaped inside the charts");
    assert!(!html.contains("<Norte>"), "and in the tables");
    assert!(html.contains("href=\"/informes/ingresos.csv?desde=2026-03-02&amp;hasta=2026-03-08\"") || html.contains("href=\"/informes/ingresos.csv?desde=2026-03-02&hasta=2026-03-08\""));
    assert!(html.contains("method=\"get\"") && html.contains("name=\"desde\"") && html.contains("value=\"2026-03-02\""));

    let admin = app.logged_in_client("admin@reservo.test").await;
    let (status, html) = get_page(&admin, &app.url("/admin/informes?desde=2026-03-02&hasta=2026-03-08"), &[]).await;
    assert_eq!(status, 200);
    assert!(html.contains("Salón Ajeno"));
    let (_, home) = get_page(&admin, &app.url("/panel"), &[]).await;
    assert!(home.contains("href=\"/admin/informes\""), "the admin home links its reports");
    let (_, home) = get_page(&manager, &app.url("/panel"), &[]).await;
    assert!(home.contains("href=\"/panel/informes\"") && home.contains("href=\"/panel/historial\""), "the manager's panel links both");
}

async fn history(app: &TestApp, client: &reqwest::Client, form: &[(&str, &str)]) -> Value {
    let reply = app.call(client, "booking-history", form).await;
    assert_eq!(reply.status(), 200, "{form:?}");
    reply.json().await.unwrap()
}

fn first_href(page: &Value) -> String {
    page["lines"][0]["href"].as_str().unwrap().to_string()
}

fn guests(page: &Value) -> Vec<&str> {
    page["lines"].as_array().unwrap().iter().map(|l| l["guest_name"].as_str().unwrap()).collect()
}

async fn the_history_is_filtered_and_newest_first(engine: Engine) {
    let app = spawn_app(engine).await;
    let week = known_week(&app).await;
    let manager = app.logged_in_client("manager@reservo.test").await;

    let all = history(&app, &manager, &[]).await;
    assert_eq!(
        guests(&all),
        vec!["Fausto Nocturno", "Elena Encurso", "Dario Ausente", "Carla Cancela", "Beto Confirmado", "Ana Completa", "Gema Previa"],
        "newest first; another manager's booking left out"
    );
    assert_eq!((all["page"].as_u64(), all["has_next"].as_bool()), (Some(1), Some(false)));
    let offered: Vec<i64> = all["resources"].as_array().unwrap().iter().map(|r| r[0].as_i64().unwrap()).collect();
    assert!(offered.contains(&week.workshop) && offered.contains(&week.night) && !offered.contains(&week.elsewhere));
    let late = &all["lines"][0];
    assert_eq!((late["id"].as_i64(), late["starts"].as_str()), (Some(week.late), Some("08/03/2026 23:00")), "local time");
    assert_eq!(late["href"], format!("/panel/reservas/{}", week.late));

    let night = week.night.to_string();
    assert_eq!(guests(&history(&app, &manager, &[("recurso", &night)]).await), vec!["Fausto Nocturno", "Gema Previa"]);
    assert_eq!(guests(&history(&app, &manager, &[("cliente", "CARLA")]).await), vec!["Carla Cancela"], "any case");
    assert_eq!(guests(&history(&app, &manager, &[("cliente", "dario@example")]).await), vec!["Dario Ausente"], "by email");
    assert_eq!(guests(&history(&app, &manager, &[("cliente", "100%_")]).await), Vec::<&str>::new(), "wildcards are text");
    assert_eq!(guests(&history(&app, &manager, &[("estado", "completed")]).await), vec!["Ana Completa", "Gema Previa"]);
    let dated = history(&app, &manager, &[("recurso", &night), ("desde", "2026-03-02"), ("hasta", "2026-03-08")]).await;
    assert_eq!(guests(&dated), vec!["Fausto Nocturno"], "local dates of the resource");
    assert_eq!(guests(&history(&app, &manager, &[("page", "2")]).await), Vec::<&str>::new());

    let theirs = app.call(&manager, "booking-history", &[("recurso", &week.elsewhere.to_string())]).await;
    assert_eq!(theirs.status(), 403, "another manager's resource");
    assert_eq!(app.call(&manager, "booking-history", &[("estado", "perdida")]).await.status(), 422);
    let admin = app.logged_in_client("admin@reservo.test").await;
    assert!(guests(&history(&app, &admin, &[]).await).contains(&"Hugo Ajeno"), "administrators see every resource");

    let (status, html) = get_page(&manager, &app.url(&format!("/panel/historial?recurso={night}&estado=completed")), &[]).await;
    assert_eq!(status, 200);
    assert!(html.contains("Gema Previa") && !html.contains("Fausto Nocturno"));
    assert!(html.contains("data-testid=\"history-line\""));
    let gema = first_href(&history(&app, &manager, &[("cliente", "gema")]).await);
    assert!(html.contains(&format!("href=\"{gema}\"")), "each line links to its booking");
}
