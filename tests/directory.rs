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
    a_venue_account_requests_a_musician,
    free_at_agrees_with_the_booking_check_on_varied_calendars,
    the_page_and_the_api_filter_by_free_time,
    a_profile_page_sends_its_resources_once_however_many_render_at_once,
    a_profile_shows_a_change_made_anywhere_at_once
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
        .execute(&mut *app.db.write().await.unwrap())
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

mod varied {
    //! Resources in many zones with many kinds of rules, hours, exceptions,
    //! blackouts and bookings, from a fixed-seed generator.
    use chrono::{DateTime, Duration, NaiveDate, NaiveTime, TimeZone, Utc};
    use chrono_tz::Tz;
    use reservo::domain::availability::DayHours;
    use reservo::domain::booking::Approval;
    use reservo::domain::resource::{NewResource, Service};
    use reservo::domain::time::local_to_utc;
    use reservo::server::storage::calendar::{self, Settings};
    use reservo::server::storage::{resources, services, Db};

    pub const ZONES: [&str; 8] = [
        "America/Mexico_City",
        "Europe/Madrid",
        "Asia/Tokyo",
        "America/New_York",
        "Australia/Lord_Howe",
        "Asia/Kathmandu",
        "America/Santiago",
        "UTC",
    ];
    pub const RESOURCES: usize = 40;

    pub fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 3, 25, 10, 0, 0).unwrap()
    }

    /// Around Europe's change to summer time (29th) and Chile's and Lord
    /// Howe's change back (5 April), a weekday and a Saturday.
    pub fn dates() -> Vec<NaiveDate> {
        [(3, 26), (3, 28), (3, 29), (4, 4), (4, 5)].iter().map(|(m, d)| NaiveDate::from_ymd_opt(2026, *m, *d).unwrap()).collect()
    }

    pub struct Lcg(pub u64);

    impl Lcg {
        pub fn below(&mut self, n: u64) -> u64 {
            self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            ((self.0 >> 33) % n.max(1)) as u64
        }
        fn pick<T: Copy>(&mut self, items: &[T]) -> T {
            items[self.below(items.len() as u64) as usize]
        }
    }

    fn hours(opens: u16, closes: u16) -> DayHours {
        DayHours::new(opens, closes).unwrap()
    }

    /// Weekly hours: office, split with touching halves, split with a
    /// break, always open, late nights across midnight, weekends only.
    fn weekly(pattern: u64) -> Vec<(u8, DayHours)> {
        let days = |range: std::ops::Range<u8>, list: &[DayHours]| -> Vec<(u8, DayHours)> {
            range.flat_map(|d| list.iter().map(move |h| (d, *h))).collect()
        };
        match pattern {
            0 => days(0..5, &[hours(540, 1020)]),
            1 => days(0..6, &[hours(540, 780), hours(780, 1080)]),
            2 => days(0..7, &[hours(540, 780), hours(900, 1200)]),
            3 => days(0..7, &[DayHours::ALL_DAY]),
            4 => days(0..7, &[hours(0, 120), hours(1080, 1440)]),
            _ => days(5..7, &[hours(600, 1380)]),
        }
    }

    fn settings(rng: &mut Lcg) -> Settings {
        Settings {
            approval: Approval::Manual,
            booking_mode: rng.pick(&["slots", "slots", "ranges"]).to_string(),
            buffer_minutes: rng.pick(&[0, 0, 15, 30]),
            min_notice_minutes: rng.pick(&[0, 60, 60, 2880]),
            max_horizon_days: rng.pick(&[3, 365, 365]),
            slot_step_minutes: 30,
            default_duration_minutes: rng.pick(&[60, 90]),
            max_per_day: rng.pick(&[None, None, Some(1), Some(2)]),
            max_party: rng.pick(&[None, None, None, None, None, Some(0)]),
            cancel_cutoff_hours: 24,
            pending_expiry_hours: 48,
        }
    }

    /// `RESOURCES` musicians named R00, R01... (so by name is by id), and how many bookings.
    pub async fn create(db: &Db) -> (Vec<i64>, usize) {
        let mut rng = Lcg(0x5EED_0F_F4EE);
        let mut ids = Vec::new();
        let mut bookings = 0;
        for i in 0..RESOURCES {
            let zone_name = ZONES[i % ZONES.len()];
            let zone: Tz = zone_name.parse().unwrap();
            let capacity = rng.pick(&[1, 1, 2, 3]);
            let resource = NewResource {
                kind: "musician".into(),
                slug: format!("r{i:02}"),
                name: format!("R{i:02}"),
                description: String::new(),
                timezone: zone_name.into(),
                capacity,
                attributes: serde_json::json!({}),
                photos: vec![],
            };
            let settings = settings(&mut rng);
            let id = resources::create_with_rules(db, &resource, &[], Some(&settings), &weekly(rng.below(6))).await.unwrap();
            for minutes in [&[][..], &[60][..], &[30, 150][..], &[240][..]][rng.below(4) as usize] {
                let service = Service { id: 0, resource_id: id, name: format!("{minutes} min"), duration_minutes: *minutes, price_minor: 100_000, deposit_minor: 0, deposit_percent: None, currency: "MXN".into() };
                services::create(db, &service).await.unwrap();
            }
            for date in dates() {
                match rng.below(8) {
                    0 => calendar::add_exception(db, id, date, None).await.unwrap(),
                    1 => calendar::add_exception(db, id, date, Some(hours(600, 840))).await.unwrap(),
                    2 => {
                        calendar::add_exception(db, id, date, Some(hours(0, 720))).await.unwrap();
                        calendar::add_exception(db, id, date, Some(hours(720, 1440))).await.unwrap();
                    }
                    3 => {
                        let start = local_to_utc(date.and_time(NaiveTime::from_hms_opt(12, 30, 0).unwrap()), zone).unwrap();
                        calendar::add_blackout(db, id, reservo::domain::availability::Span::new(start, start + Duration::hours(3)), "gira").await.unwrap();
                    }
                    _ => {}
                }
            }
            bookings += add_bookings(db, id, zone, capacity == 1, settings.buffer_minutes, &mut rng).await;
            ids.push(id);
        }
        // One retired: never free.
        sqlx::query("UPDATE resources SET archived_at = 1 WHERE id = $1").bind(ids[7]).execute(&mut *db.write().await.unwrap()).await.unwrap();
        (ids, bookings)
    }

    /// Bookings on and around the dates, a quarter of them no longer
    /// active; active ones never overlap on a resource of capacity 1.
    async fn add_bookings(db: &Db, id: i64, zone: Tz, exclusive: bool, buffer: i64, rng: &mut Lcg) -> usize {
        let mut taken: Vec<(i64, i64)> = Vec::new();
        let mut added = 0;
        for _ in 0..rng.below(14) {
            let date = dates()[rng.below(5) as usize] + Duration::days(rng.below(3) as i64 - 1);
            let minute = rng.below(48) as u32 * 30;
            let Some(start) = local_to_utc(date.and_time(NaiveTime::from_hms_opt(minute / 60, minute % 60, 0).unwrap()), zone) else { continue };
            let (start, end) = (start.timestamp(), start.timestamp() + 60 * rng.pick(&[30, 60, 120, 240, 600]));
            let status = rng.pick(&["pending", "confirmed", "in_progress", "cancelled", "confirmed", "expired", "rejected", "pending"]);
            let active = matches!(status, "pending" | "confirmed" | "in_progress");
            if active && exclusive && taken.iter().any(|(s, e)| *s < end + 60 * buffer && start < *e) {
                continue;
            }
            if active {
                taken.push((start, end + 60 * buffer));
            }
            sqlx::query(
                "INSERT INTO bookings (resource_id, guest_name, guest_email, starts_at, ends_at, blocked_until, status, exclusive, created_at, updated_at) \
                 VALUES ($1, 'Ana', 'ana@example.com', $2, $3, $4, $5, $6, 0, 0)",
            )
            .bind(id)
            .bind(start)
            .bind(end)
            .bind(end + 60 * buffer)
            .bind(status)
            .bind(i64::from(exclusive))
            .execute(&mut *db.write().await.unwrap())
            .await
            .unwrap();
            added += 1;
        }
        added
    }
}

/// What a booking request would be told: the resource's rules and active
/// bookings through `Calendar::check`, one resource at a time.
struct Reference {
    rules: reservo::server::storage::calendar::ResourceRules,
    busy: Vec<reservo::domain::availability::Span>,
    shortest: Option<i64>,
}

impl Reference {
    async fn load(db: &reservo::server::storage::Db, id: i64) -> Reference {
        use reservo::domain::availability::Span;
        let rules = reservo::server::availability::rules(db, id).await.unwrap().unwrap();
        let ever = Span::new(chrono::DateTime::from_timestamp(0, 0).unwrap(), chrono::DateTime::from_timestamp(4_000_000_000, 0).unwrap());
        let busy = bookings::active_in(db, id, ever).await.unwrap();
        let shortest = reservo::server::storage::services::list_for_resource(db, id).await.unwrap().iter().map(|s| s.duration_minutes).min();
        Reference { rules, busy, shortest }
    }

    fn free_at(&self, at: reservo::server::storage::directory::FreeAt, now: chrono::DateTime<chrono::Utc>) -> bool {
        use reservo::domain::availability::{Calendar, Occupancy, Span};
        let Some(start) = reservo::domain::time::local_to_utc(at.date.and_time(at.time), self.rules.zone) else { return false };
        let minutes = at.minutes.or(self.shortest).unwrap_or(self.rules.default_duration.num_minutes());
        let occupancy = Occupancy::new(&self.busy, self.rules.policy.buffer, self.rules.zone);
        let calendar = Calendar { schedule: &self.rules.schedule, policy: &self.rules.policy, occupancy: &occupancy, now };
        !self.rules.retired && calendar.check(Span::new(start, start + chrono::Duration::minutes(minutes)), 1).is_ok()
    }
}

async fn free_at_agrees_with_the_booking_check_on_varied_calendars(engine: Engine) {
    use reservo::server::storage::directory::{self, Filter, FreeAt};
    let t = common::fresh_db(engine).await;
    let (ids, bookings) = varied::create(&t.db).await;
    assert!(bookings > 100, "{bookings} bookings");
    let now = varied::now();
    let mut references = Vec::new();
    for id in &ids {
        references.push((*id, Reference::load(&t.db, *id).await));
    }
    let times = ["00:00", "01:30", "02:30", "09:00", "12:00", "12:45", "13:00", "17:30", "22:00", "23:30"];
    let (mut searches, mut found_some) = (0, 0);
    for date in varied::dates() {
        for time in times {
            for minutes in [None, Some(60), Some(150)] {
                let at = FreeAt { date, time: chrono::NaiveTime::parse_from_str(time, "%H:%M").unwrap(), minutes };
                let filter = Filter { kind: "musician".into(), free_at: Some(at), ..Default::default() };
                let page = directory::search(&t.db, &filter, 1, 1000, now).await.unwrap();
                let found: Vec<i64> = page.entries.iter().map(|e| e.detail.summary.id).collect();
                let expected: Vec<i64> = references.iter().filter(|(_, r)| r.free_at(at, now)).map(|(id, _)| *id).collect();
                assert_eq!(found, expected, "{at:?}");
                assert_eq!(page.total, expected.len() as i64);
                searches += 1;
                found_some += usize::from(!found.is_empty() && found.len() < ids.len() - 1);
            }
        }
    }
    assert!(found_some * 2 > searches, "most searches find some but not all: {found_some} of {searches}");

    // With the other filters, a page at a time.
    let at = FreeAt { date: varied::dates()[0], time: chrono::NaiveTime::from_hms_opt(12, 0, 0).unwrap(), minutes: Some(60) };
    let all = directory::search(&t.db, &Filter { kind: "musician".into(), free_at: Some(at), ..Default::default() }, 1, 1000, now).await.unwrap();
    let second = directory::search(&t.db, &Filter { kind: "musician".into(), free_at: Some(at), ..Default::default() }, 2, 2, now).await.unwrap();
    assert_eq!(second.total, all.total);
    assert_eq!(second.entries, all.entries[2..4]);
    let venues = directory::search(&t.db, &Filter { kind: "venue".into(), free_at: Some(at), ..Default::default() }, 1, 10, now).await.unwrap();
    assert_eq!(venues.total, 0);

    // Free on a date still asks the availability engine, resource by resource.
    for date in varied::dates() {
        let filter = Filter { kind: "musician".into(), free_on: Some(date), ..Default::default() };
        let found: Vec<i64> = directory::search(&t.db, &filter, 1, 1000, now).await.unwrap().entries.iter().map(|e| e.detail.summary.id).collect();
        let mut expected = Vec::new();
        for (id, reference) in &references {
            let length = chrono::Duration::minutes(reference.shortest.unwrap_or(reference.rules.default_duration.num_minutes()));
            let spans = reservo::server::availability::free_spans(&t.db, &reference.rules, date, date, length, None, now).await.unwrap();
            if !spans.is_empty() && !reference.rules.retired {
                expected.push(*id);
            }
        }
        assert_eq!(found, expected, "free on {date}");
    }
}

async fn the_page_and_the_api_filter_by_free_time(engine: Engine) {
    let app = spawn_app(engine).await;
    let client = app.client();
    let (date, time) = common::first_free_time(&app, &client, "lucia-ortega", "120").await;
    let (status, html) = page(&app, &client, &format!("/musicos?fecha={date}&hora={time}")).await;
    assert_eq!(status, 200);
    assert!(html.contains("data-slug=\"lucia-ortega\""), "free then");
    assert!(html.contains(&format!("name=\"hora\" value=\"{time}\"")), "the time stays in the form");
    assert!(html.contains("Libre a las") && html.contains("zona horaria"), "labelled, with the zone explained");
    let (_, html) = page(&app, &client, &format!("/musicos?fecha={date}&hora=03:00")).await;
    assert_eq!(cards(&html), 0, "musicians sleep at 3");
    for (query, field) in [("fecha=2026-12-01&hora=tarde", "Libre a las"), ("hora=14:00", "Disponible el día")] {
        let (status, html) = page(&app, &client, &format!("/musicos?{query}")).await;
        assert_eq!(status, 200, "{query}");
        assert!(html.contains("data-testid=\"filter-error\""), "{query}");
        assert!(html.contains(&format!("{field}: ")), "{query} names the field");
    }

    let api = |query: String| {
        let client = client.clone();
        let url = app.url(&format!("/api/resources?{query}"));
        async move { client.get(url).send().await.unwrap() }
    };
    let response = api(format!("kind=musician&free_on={date}&free_at={time}")).await;
    assert_eq!(response.status(), 200);
    let list: Value = response.json().await.unwrap();
    assert!(list.as_array().unwrap().iter().any(|r| r["slug"] == "lucia-ortega"), "{list}");
    let list: Value = api(format!("free_on={date}&free_at=03:00&duration=60")).await.json().await.unwrap();
    let kinds: Vec<&str> = list.as_array().unwrap().iter().map(|r| r["kind"].as_str().unwrap()).collect();
    assert!(!kinds.is_empty() && kinds.iter().all(|k| *k == "room"), "every kind; only rooms open all night: {list}");
    let list: Value = api(format!("kind=musician&free_on={date}")).await.json().await.unwrap();
    assert!(!list.as_array().unwrap().is_empty());
    for (query, field) in [
        (format!("free_on={date}&free_at=2pm"), "free_at"),
        ("free_at=14:00".to_string(), "free_on"),
        (format!("free_on={date}&free_at=14:00&duration=0"), "duration"),
        (format!("free_on={date}&duration=60"), "free_at"),
        ("free_on=mañana".to_string(), "free_on"),
    ] {
        let response = api(query.clone()).await;
        assert_eq!(response.status(), 422, "{query}");
        let body: Value = response.json().await.unwrap();
        assert_eq!(body["field"], field, "{query}: {body}");
        assert!(body["message"].as_str().unwrap().contains(field), "{query}: {body}");
    }
}

/// The ids in a page's `__PENDING_RESOURCES=[..]`: each resource the server
/// made while rendering, whose data follows the HTML.
fn pending_resources(html: &str) -> String {
    let start = html.find("__PENDING_RESOURCES=[").expect("the resource list") + "__PENDING_RESOURCES=[".len();
    html[start..].split(']').next().unwrap_or_default().to_string()
}

/// Rendering a Suspense, the server walks its children again once their data
/// came; a resource made in there was made, fetched and sent a second time,
/// in about 1 of 100 pages rendered at once. A profile page makes three: the
/// session, the profile and its reviews, for a workshop too.
async fn a_profile_page_sends_its_resources_once_however_many_render_at_once(engine: Engine) {
    let app = spawn_app(engine).await;
    let client = app.logged_in_client("client@reservo.test").await;
    for slug in ["lucia-ortega", "taller-hermanos-ruiz"] {
        let url = app.url(&format!("/r/{slug}"));
        let pages = futures_util::future::join_all((0..300).map(|_| common::get_page(&client, &url, &[]))).await;
        let mut lists: Vec<String> = pages.iter().map(|(status, html)| {
            assert_eq!(*status, 200);
            pending_resources(html)
        }).collect();
        lists.sort();
        lists.dedup();
        assert_eq!(lists.len(), 1, "{slug}: every page has the same resources, but they were {lists:?}");
        assert_eq!(lists[0].split_terminator(',').count(), 3, "{slug}: three resources, but {}", lists[0]);
    }
}

/// The days of next month with free times for a 2-hour booking, as `app` offers them.
async fn free_days_next_month(app: &TestApp, client: &reqwest::Client, slug: &str) -> usize {
    let today = chrono::Utc::now().date_naive();
    let next = today.checked_add_months(chrono::Months::new(1)).unwrap().format("%Y-%m").to_string();
    let response = app.call(client, "month-availability", &[("slug", slug), ("month", &next), ("duration", "120")]).await;
    assert_eq!(response.status(), 200);
    let month: Value = response.json().await.unwrap();
    month["days"].as_array().unwrap().len()
}

/// Profiles keep what seldom changes in memory (storage::catalog); a change
/// written by another server or straight into the database (a tool, an
/// operator) shows on the next view of every server.
async fn a_profile_shows_a_change_made_anywhere_at_once(engine: Engine) {
    let app = spawn_app(engine).await;
    let other = app.instance_with_own_pool().await;
    let client = app.client();
    let servers = [&app, &other];
    let pages = |path: &'static str| {
        let client = client.clone();
        async move {
            let mut seen = Vec::new();
            for server in servers {
                seen.push(page(server, &client, path).await);
            }
            seen
        }
    };
    for (status, html) in pages("/r/lucia-ortega").await {
        assert_eq!(status, 200);
        assert!(html.contains("Cantante de jazz") && html.contains("$8,000.00 MXN") && html.contains("Marco Manager"));
    }
    for server in servers {
        assert!(free_days_next_month(server, &client, "lucia-ortega").await > 0);
    }
    let id: i64 = sqlx::query_scalar("SELECT id FROM resources WHERE slug = 'lucia-ortega'").fetch_one(app.db.pool()).await.unwrap();
    let write = |sql: &'static str| {
        let db = app.db.clone();
        async move { sqlx::query(sql).bind(id).execute(&mut *db.write().await.unwrap()).await.unwrap() }
    };
    write("UPDATE resources SET description = 'Ahora canta boleros con orquesta.' WHERE id = $1").await;
    write("UPDATE services SET price_minor = 912300 WHERE resource_id = $1").await;
    write("UPDATE users SET name = 'Marco Renombrado' WHERE id IN (SELECT user_id FROM resource_managers WHERE resource_id = $1)").await;
    for (status, html) in pages("/r/lucia-ortega").await {
        assert_eq!(status, 200);
        assert!(html.contains("Ahora canta boleros con orquesta."), "the new description");
        assert!(html.contains("$9,123.00 MXN") && !html.contains("$8,000.00 MXN"), "the new price");
        assert!(html.contains("Marco Renombrado") && !html.contains("Marco Manager"), "the manager's new name");
    }
    write("DELETE FROM weekly_hours WHERE resource_id = $1").await;
    for server in servers {
        assert_eq!(free_days_next_month(server, &client, "lucia-ortega").await, 0, "closed every day of the week");
    }
    write("UPDATE resources SET archived_at = 1 WHERE id = $1").await;
    for (status, _) in pages("/r/lucia-ortega").await {
        assert_eq!(status, 404, "retired");
    }
}
