//! Storage on both engines: accounts, sessions, resources, demo data.
#![cfg(feature = "ssr")]

mod common;
use common::{fresh_db, on_both_engines};
use reservo::domain::account::{Lang, NewAccount, Role};
use reservo::domain::resource::NewResource;
use reservo::server::storage::seed::{self, SeedOutcome};
use reservo::server::storage::{resources, sessions, users, Engine, StorageError};

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
    migrations_can_run_twice
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
