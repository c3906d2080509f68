//! Storage on both engines: accounts, sessions, resources, demo data.
#![cfg(feature = "ssr")]

mod common;
use common::{fresh_db, on_both_engines};
use reservo::domain::account::{Lang, NewAccount, Role};
use reservo::domain::resource::NewResource;
use reservo::server::storage::seed::{self, SeedOutcome};
use reservo::server::storage::{catalog, directory, resources, sessions, users, Engine, StorageError};

fn kinds() -> std::collections::BTreeMap<String, reservo::server::config::KindConfig> {
    reservo::server::config::default_kinds()
}

fn account(email: &str, role: Role) -> NewAccount {
    NewAccount {
        name: "Test Person".into(),
        email: email.into(),
        phone: Some("+525512345678".into()),
        lang: Lang::En,
        role,
        password: "irrelevant here".into(),
    }
}

on_both_engines!(
    users_are_stored_and_found,
    duplicate_emails_are_refused,
    sessions_expire_and_can_be_deleted,
    resources_list_by_manager,
    demo_data_loads_once,
    migrations_can_run_twice,
    the_directory_filters_in_one_query,
    write_transactions_commit_roll_back_when_dropped_and_queue,
    single_writes_take_turns_with_transactions,
    the_configured_pool_opens_its_connections_before_any_request,
    a_write_that_never_gets_its_turn_fails_as_unavailable,
    a_profile_is_read_once_until_its_tables_change
);

async fn users_are_stored_and_found(engine: Engine) {
    let t = fresh_db(engine).await;
    let id = users::create(&t.db, &account("ana@example.com", Role::Manager), "hash").await.unwrap();
    let found = users::find_by_email(&t.db, "ana@example.com").await.unwrap().unwrap();
    assert_eq!(found.id, id);
    assert_eq!(found.role, Role::Manager);
    assert_eq!(found.lang, Lang::En);
    assert_eq!(found.phone.as_deref(), Some("+525512345678"));
    assert_eq!(users::find(&t.db, id).await.unwrap(), Some(found));
    assert_eq!(users::find_by_email(&t.db, "nobody@example.com").await.unwrap(), None);
    users::set_lang(&t.db, id, Lang::Es).await.unwrap();
    assert_eq!(users::find(&t.db, id).await.unwrap().unwrap().lang, Lang::Es);
    assert_eq!(users::count(&t.db).await.unwrap(), 1);
    assert_eq!(users::count_by_role(&t.db).await.unwrap(), vec![(Role::Manager, 1)]);
}

async fn duplicate_emails_are_refused(engine: Engine) {
    let t = fresh_db(engine).await;
    users::create(&t.db, &account("ana@example.com", Role::Client), "hash").await.unwrap();
    let again = users::create(&t.db, &account("ana@example.com", Role::Admin), "hash").await;
    assert!(matches!(again, Err(StorageError::Duplicate("email"))), "{again:?}");
    assert_eq!(users::count(&t.db).await.unwrap(), 1);
}

async fn sessions_expire_and_can_be_deleted(engine: Engine) {
    let t = fresh_db(engine).await;
    let id = users::create(&t.db, &account("ana@example.com", Role::Client), "hash").await.unwrap();
    sessions::create(&t.db, "live", id, 3600).await.unwrap();
    sessions::create(&t.db, "expired", id, -1).await.unwrap();
    assert_eq!(sessions::user_of(&t.db, "live").await.unwrap().map(|u| u.id), Some(id));
    assert_eq!(sessions::user_of(&t.db, "expired").await.unwrap(), None);
    assert_eq!(sessions::delete_expired(&t.db).await.unwrap(), 1);
    sessions::delete(&t.db, "live").await.unwrap();
    assert_eq!(sessions::user_of(&t.db, "live").await.unwrap(), None);
}

async fn resources_list_by_manager(engine: Engine) {
    let t = fresh_db(engine).await;
    let manager = users::create(&t.db, &account("m@example.com", Role::Manager), "hash").await.unwrap();
    let other = users::create(&t.db, &account("o@example.com", Role::Manager), "hash").await.unwrap();
    let new = |slug: &str, kind: &str| NewResource {
        kind: kind.into(),
        slug: slug.into(),
        name: slug.to_uppercase(),
        description: String::new(),
        timezone: "Europe/Madrid".into(),
        capacity: 2,
        attributes: serde_json::json!({"genres": ["jazz"]}),
        photos: vec![],
    };
    resources::create(&t.db, &new("a", "musician"), &[manager]).await.unwrap();
    resources::create(&t.db, &new("b", "venue"), &[other]).await.unwrap();
    let duplicate = resources::create(&t.db, &new("a", "venue"), &[other]).await;
    assert!(matches!(duplicate, Err(StorageError::Duplicate("slug"))), "{duplicate:?}");
    let mine = resources::list_managed_by(&t.db, manager).await.unwrap();
    assert_eq!(mine.iter().map(|r| r.slug.as_str()).collect::<Vec<_>>(), ["a"]);
    assert_eq!(mine[0].capacity, 2);
    assert_eq!(mine[0].timezone, "Europe/Madrid");
    assert_eq!(resources::count(&t.db).await.unwrap(), 2);
}

async fn demo_data_loads_once(engine: Engine) {
    let t = fresh_db(engine).await;
    assert_eq!(seed::seed_demo(&t.db, &kinds()).await.unwrap(), SeedOutcome::Loaded);
    assert_eq!(seed::seed_demo(&t.db, &kinds()).await.unwrap(), SeedOutcome::AlreadyPopulated);
    for demo in &seed::DEMO_ACCOUNTS {
        let user = users::find_by_email(&t.db, demo.email).await.unwrap().expect(demo.email);
        assert_eq!(user.role, demo.role);
        assert!(reservo::server::auth::password::verify(seed::DEMO_PASSWORD, &user.password_hash));
    }
    let all = resources::list_all(&t.db).await.unwrap();
    let count = |kind: &str| all.iter().filter(|r| r.kind == kind).count();
    assert!(count("musician") >= 2, "a few musicians");
    assert_eq!(count("venue"), 1);
    assert_eq!(count("workshop"), 1);
    assert!(count("room") >= 3);
    let manager = users::find_by_email(&t.db, "manager@reservo.test").await.unwrap().unwrap();
    let managed = resources::list_managed_by(&t.db, manager.id).await.unwrap();
    assert!(managed.iter().filter(|r| r.kind == "musician").count() >= 2);
}

async fn migrations_can_run_twice(engine: Engine) {
    let t = fresh_db(engine).await;
    t.db.migrate().await.unwrap();
    t.db.ping().await.unwrap();
    assert_eq!(t.db.engine(), engine);
}

/// Names on one page of the musicians directory.
async fn directory_names(db: &reservo::server::storage::Db, filter: &directory::Filter, page: i64, size: i64) -> (Vec<String>, i64) {
    let found = directory::search(db, filter, page, size, chrono::Utc::now()).await.unwrap();
    (found.entries.iter().map(|e| e.detail.summary.name.clone()).collect(), found.total)
}

async fn the_directory_filters_in_one_query(engine: Engine) {
    use reservo::domain::resource::Service;
    let t = fresh_db(engine).await;
    seed::seed_demo(&t.db, &kinds()).await.unwrap();
    let manager = users::find_by_email(&t.db, "manager@reservo.test").await.unwrap().unwrap().id;
    // A cheap one with a photo, and one without any service (no price).
    let cheap = resources::create_with_rules(
        &t.db,
        &NewResource {
            kind: "musician".into(),
            slug: "banda-50-por-ciento".into(),
            name: "Banda 50% Norteña".into(),
            description: "Norteño_y cumbia".into(),
            timezone: seed::DEMO_TIMEZONE.into(),
            capacity: 1,
            attributes: serde_json::json!({"genres": ["Norteño", "cumbia"], "city": "Monterrey"}),
            photos: vec!["https://example.com/banda.jpg".into()],
        },
        &[manager],
        None,
        &seed::demo_hours("musician"),
    )
    .await
    .unwrap();
    let service = Service { id: 0, resource_id: cheap, name: "Hora".into(), duration_minutes: 60, price_minor: 150_000, deposit_minor: 0, deposit_percent: None, currency: "MXN".into() };
    reservo::server::storage::services::create(&t.db, &service).await.unwrap();
    resources::create(
        &t.db,
        &NewResource {
            kind: "musician".into(),
            slug: "sin-precio".into(),
            name: "Zoe sin precio".into(),
            description: String::new(),
            timezone: seed::DEMO_TIMEZONE.into(),
            capacity: 1,
            attributes: serde_json::json!({}),
            photos: vec![],
        },
        &[manager],
    )
    .await
    .unwrap();
    let musicians = |f: &dyn Fn(&mut directory::Filter)| {
        let mut filter = directory::Filter { kind: "musician".into(), ..Default::default() };
        f(&mut filter);
        filter
    };
    let all = ["Banda 50% Norteña", "DJ Marea", "Lucía Ortega", "Trío Sol de Oaxaca", "Zoe sin precio"];
    assert_eq!(directory_names(&t.db, &musicians(&|_| {}), 1, 12).await, (all.map(String::from).to_vec(), 5));
    // Only the kind asked for.
    let venues = directory::Filter { kind: "venue".into(), ..Default::default() };
    assert_eq!(directory_names(&t.db, &venues, 1, 12).await.0, ["Foro Alameda"]);

    // Text in the name or the description, any case; % and _ are plain characters.
    assert_eq!(directory_names(&t.db, &musicians(&|f| f.text = Some("MAREA".into())), 1, 12).await.0, ["DJ Marea"]);
    assert_eq!(directory_names(&t.db, &musicians(&|f| f.text = Some("bolero".into())), 1, 12).await.0, ["Lucía Ortega"]);
    assert_eq!(directory_names(&t.db, &musicians(&|f| f.text = Some("50%".into())), 1, 12).await.0, ["Banda 50% Norteña"]);
    assert_eq!(directory_names(&t.db, &musicians(&|f| f.text = Some("o_y".into())), 1, 12).await.0, ["Banda 50% Norteña"]);
    assert_eq!(directory_names(&t.db, &musicians(&|f| f.text = Some("%".into())), 1, 12).await.0, ["Banda 50% Norteña"]);
    assert_eq!(directory_names(&t.db, &musicians(&|f| f.text = Some("nadie".into())), 1, 12).await, (vec![], 0));

    // A whole genre from the list, any case; the city likewise.
    assert_eq!(directory_names(&t.db, &musicians(&|f| f.genre = Some("Jazz".into())), 1, 12).await.0, ["Lucía Ortega"]);
    assert_eq!(directory_names(&t.db, &musicians(&|f| f.genre = Some("electrónica".into())), 1, 12).await.0, ["DJ Marea"]);
    assert_eq!(directory_names(&t.db, &musicians(&|f| f.genre = Some("jaz".into())), 1, 12).await.1, 0);
    assert_eq!(directory_names(&t.db, &musicians(&|f| f.city = Some("oaxaca".into())), 1, 12).await.0, ["Trío Sol de Oaxaca"]);
    assert_eq!(
        directory_names(&t.db, &musicians(&|f| { f.city = Some("Ciudad de México".into()); f.genre = Some("pop".into()) }), 1, 12).await.1,
        0
    );

    // The cheapest service's price, in minor units; no service, no price.
    assert_eq!(directory_names(&t.db, &musicians(&|f| f.max_price_minor = Some(200_000)), 1, 12).await.0, ["Banda 50% Norteña"]);
    assert_eq!(directory_names(&t.db, &musicians(&|f| f.min_price_minor = Some(800_000)), 1, 12).await.1, 3);
    assert_eq!(
        directory_names(&t.db, &musicians(&|f| { f.min_price_minor = Some(100_000); f.max_price_minor = Some(150_000) }), 1, 12).await.0,
        ["Banda 50% Norteña"]
    );
    let found = directory::search(&t.db, &musicians(&|f| f.max_price_minor = Some(200_000)), 1, 12, chrono::Utc::now()).await.unwrap();
    assert_eq!(found.entries[0].from_price, Some((150_000, "MXN".to_string())));
    assert_eq!(found.entries[0].detail.photos, ["https://example.com/banda.jpg"]);
    assert_eq!(found.entries[0].detail.attributes["city"], "Monterrey");

    // Pages of two: the total counts every page.
    assert_eq!(directory_names(&t.db, &musicians(&|_| {}), 2, 2).await, (vec!["Lucía Ortega".into(), "Trío Sol de Oaxaca".into()], 5));
    assert_eq!(directory_names(&t.db, &musicians(&|_| {}), 3, 2).await.0, ["Zoe sin precio"]);
    assert_eq!(directory_names(&t.db, &musicians(&|_| {}), 9, 2).await, (vec![], 5));

    // Free on a date, by the availability engine: a closed day or a full one drops out.
    let zone: chrono_tz::Tz = seed::DEMO_TIMEZONE.parse().unwrap();
    let day = chrono::Utc::now().with_timezone(&zone).date_naive() + chrono::Days::new(10);
    let ids = resources::list_of_kind(&t.db, "musician").await.unwrap();
    let id_of = |name: &str| ids.iter().find(|r| r.name == name).unwrap().id;
    reservo::server::storage::calendar::add_exception(&t.db, id_of("Lucía Ortega"), day, None).await.unwrap();
    let whole_day = reservo::domain::availability::Span::new(
        reservo::domain::time::local_to_utc(day.and_hms_opt(0, 0, 0).unwrap(), zone).unwrap(),
        reservo::domain::time::local_to_utc((day + chrono::Days::new(1)).and_hms_opt(0, 0, 0).unwrap(), zone).unwrap(),
    );
    reservo::server::storage::calendar::add_blackout(&t.db, id_of("DJ Marea"), whole_day, "gira").await.unwrap();
    let on_day = |f: &mut directory::Filter| f.free_on = Some(chrono::Utc::now().with_timezone(&"America/Mexico_City".parse::<chrono_tz::Tz>().unwrap()).date_naive() + chrono::Days::new(10));
    let (names, total) = directory_names(&t.db, &musicians(&on_day), 1, 12).await;
    // "Zoe sin precio" has no weekly hours at all.
    assert_eq!((names, total), (vec!["Banda 50% Norteña".to_string(), "Trío Sol de Oaxaca".to_string()], 2));
    let next_day = |f: &mut directory::Filter| f.free_on = Some(chrono::Utc::now().with_timezone(&"America/Mexico_City".parse::<chrono_tz::Tz>().unwrap()).date_naive() + chrono::Days::new(11));
    assert_eq!(directory_names(&t.db, &musicians(&next_day), 1, 12).await.1, 4);
    // With the others: free that day and under 2,000.00.
    let both = |f: &mut directory::Filter| {
        on_day(f);
        f.max_price_minor = Some(200_000);
    };
    assert_eq!(directory_names(&t.db, &musicians(&both), 1, 12).await.0, ["Banda 50% Norteña"]);
    assert_eq!(directory_names(&t.db, &musicians(&on_day), 2, 1).await, (vec!["Trío Sol de Oaxaca".to_string()], 2));
    // A day in the past has nothing free.
    let past = |f: &mut directory::Filter| f.free_on = Some(chrono::NaiveDate::from_ymd_opt(2020, 1, 1).unwrap());
    assert_eq!(directory_names(&t.db, &musicians(&past), 1, 12).await.1, 0);
}

async fn committed_names(db: &reservo::server::storage::Db) -> Vec<String> {
    sqlx::query_scalar("SELECT name FROM users ORDER BY name").fetch_all(db.pool()).await.unwrap()
}

async fn insert_user(conn: &mut sqlx::AnyConnection, name: &str) {
    sqlx::query("INSERT INTO users (name, email, password_hash, role, lang, created_at) VALUES ($1, $2, 'h', 'client', 'es', 0)")
        .bind(name)
        .bind(format!("{name}@example.com"))
        .execute(conn)
        .await
        .unwrap();
}

/// A write that is dropped (an error, a cancelled request) leaves nothing and
/// never blocks the writers behind it; concurrent writers all get their turn.
async fn write_transactions_commit_roll_back_when_dropped_and_queue(engine: Engine) {
    let t = fresh_db(engine).await;
    let mut kept = t.db.begin_write().await.unwrap();
    insert_user(&mut kept, "kept").await;
    kept.commit().await.unwrap();
    let mut dropped = t.db.begin_write().await.unwrap();
    insert_user(&mut dropped, "dropped").await;
    drop(dropped);
    let mut failed = t.db.begin_write().await.unwrap();
    insert_user(&mut failed, "failed").await;
    let duplicate = sqlx::query("INSERT INTO users (name, email, password_hash, role, lang, created_at) VALUES ('x', 'failed@example.com', 'h', 'client', 'es', 0)")
        .execute(&mut *failed)
        .await;
    assert!(duplicate.is_err(), "the email is unique");
    drop(failed);
    let writers = (0..20).map(|n| {
        let db = t.db.clone();
        tokio::spawn(async move {
            let mut tx = db.begin_write().await.unwrap();
            insert_user(&mut tx, &format!("writer{n:02}")).await;
            tx.commit().await.unwrap();
        })
    });
    for writer in writers.collect::<Vec<_>>() {
        writer.await.unwrap();
    }
    let names = committed_names(&t.db).await;
    let expected: Vec<String> = std::iter::once("kept".to_string()).chain((0..20).map(|n| format!("writer{n:02}"))).collect();
    assert_eq!(names, expected);
}

/// `Db::write` commits each statement by itself and, on a SQLite file, waits
/// for the transaction in progress; there the pool's connections only read,
/// so no write can race the writer connection for SQLite's lock.
async fn single_writes_take_turns_with_transactions(engine: Engine) {
    let t = fresh_db(engine).await;
    let mut open = t.db.begin_write().await.unwrap();
    insert_user(&mut open, "in_a_transaction").await;
    let single = {
        let db = t.db.clone();
        tokio::spawn(async move { insert_user(&mut *db.write().await.unwrap(), "single").await })
    };
    open.commit().await.unwrap();
    single.await.unwrap();
    let mixed = (0..10).map(|n| {
        let db = t.db.clone();
        tokio::spawn(async move {
            let name = format!("mixed{n}");
            if n % 2 == 0 {
                insert_user(&mut *db.write().await.unwrap(), &name).await;
            } else {
                let mut tx = db.begin_write().await.unwrap();
                insert_user(&mut tx, &name).await;
                tx.commit().await.unwrap();
            }
        })
    });
    for task in mixed.collect::<Vec<_>>() {
        task.await.unwrap();
    }
    let mut expected: Vec<String> = ["in_a_transaction", "single"].iter().map(|n| n.to_string()).collect();
    expected.extend((0..10).map(|n| format!("mixed{n}")));
    expected.sort();
    assert_eq!(committed_names(&t.db).await, expected);
    let through_the_pool = sqlx::query("DELETE FROM users").execute(t.db.pool()).await;
    match engine {
        Engine::Sqlite => assert!(through_the_pool.is_err(), "the pool of a SQLite file only reads"),
        Engine::Postgres => assert!(through_the_pool.is_ok()),
    }
}

/// `[database] min_connections` are opened at start, without a query asking
/// for them, and stay open; connections beyond them open only when needed.
async fn the_configured_pool_opens_its_connections_before_any_request(engine: Engine) {
    let t = fresh_db(engine).await;
    let config = reservo::server::config::DatabaseConfig { url: t.url.clone(), max_connections: 6, min_connections: 4 };
    let db = reservo::server::storage::Db::open(&config).await.unwrap();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while db.pool().size() < 4 && std::time::Instant::now() < deadline {
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    assert_eq!(db.pool().size(), 4, "the kept-open connections");
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    assert_eq!(db.pool().size(), 4, "no more than asked for while idle");
    let lazy = reservo::server::storage::Db::connect(&t.url, 6).await.unwrap();
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    assert!(lazy.pool().size() <= 1, "a pool without min_connections opens them on demand: {}", lazy.pool().size());
}

/// A write waits for the one in progress, but not forever: on a SQLite file,
/// where writes take turns, it gives up after 10 s as unavailable (503), so
/// even a writer that were never released could not hang requests. On
/// PostgreSQL writes do not take turns and it goes ahead at once.
async fn a_write_that_never_gets_its_turn_fails_as_unavailable(engine: Engine) {
    let t = fresh_db(engine).await;
    let open = t.db.begin_write().await.unwrap();
    let began = std::time::Instant::now();
    let second = tokio::time::timeout(std::time::Duration::from_secs(30), t.db.write()).await.expect("no answer after 30 s");
    let waited = began.elapsed();
    match engine {
        Engine::Sqlite => {
            assert!(matches!(second, Err(StorageError::Unavailable(_))), "{:?}", second.err());
            assert!(waited >= std::time::Duration::from_secs(9), "gave up after {waited:?}");
        }
        Engine::Postgres => assert!(second.is_ok(), "{:?}", second.err()),
    }
    open.commit().await.unwrap();
    insert_user(&mut *t.db.write().await.unwrap(), "after").await;
}

/// `catalog::offered` reads a profile's data once and serves it from memory
/// while no write touched its tables, and reads again after one.
async fn a_profile_is_read_once_until_its_tables_change(engine: Engine) {
    let t = fresh_db(engine).await;
    seed::seed_demo(&t.db, &kinds()).await.unwrap();
    let first = catalog::offered(&t.db, "lucia-ortega").await.unwrap().unwrap();
    let again = catalog::offered(&t.db, "lucia-ortega").await.unwrap().unwrap();
    assert!(std::sync::Arc::ptr_eq(&first, &again), "kept, not read again");
    assert!(catalog::offered(&t.db, "nadie").await.unwrap().is_none());

    let id = first.detail.summary.id;
    resources::update_profile(&t.db, id, "Lucía Ortega Trío", "Nueva", &first.detail.attributes).await.unwrap();
    let changed = catalog::offered(&t.db, "lucia-ortega").await.unwrap().unwrap();
    assert!(!std::sync::Arc::ptr_eq(&first, &changed));
    assert_eq!((changed.detail.summary.name.as_str(), changed.detail.summary.description.as_str()), ("Lucía Ortega Trío", "Nueva"));
    assert_eq!(changed.rules, first.rules);
    assert_eq!(changed.services, first.services);
    assert_eq!(changed.managers, first.managers);

    // A write to another table of the catalog, outside the app's functions.
    sqlx::query("DELETE FROM services WHERE resource_id = $1").bind(id).execute(&mut *t.db.write().await.unwrap()).await.unwrap();
    assert!(catalog::offered(&t.db, "lucia-ortega").await.unwrap().unwrap().services.is_empty());
    // A change the profile does not show (a manager's language) keeps what was read.
    let kept = catalog::offered(&t.db, "lucia-ortega").await.unwrap().unwrap();
    sqlx::query("UPDATE users SET lang = 'en' WHERE id IN (SELECT user_id FROM resource_managers WHERE resource_id = $1)")
        .bind(id)
        .execute(&mut *t.db.write().await.unwrap())
        .await
        .unwrap();
    assert!(std::sync::Arc::ptr_eq(&kept, &catalog::offered(&t.db, "lucia-ortega").await.unwrap().unwrap()), "a user's language is not shown");
}
