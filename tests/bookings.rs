//! The booking engine's storage on both engines: the state machine, the rules
//! re-checked in the write transaction, and no double booking under concurrency.
#![cfg(feature = "ssr")]

mod common;
use chrono::{DateTime, Duration, TimeZone, Utc};
use common::{fresh_db, on_both_engines, TestDb};
use reservo::domain::account::{Lang, NewAccount, Role};
use reservo::domain::availability::{DayHours, SlotProblem, Span};
use reservo::domain::booking::{Action, Approval, BookingError, BookingRequest, BookingStatus, CancelRefusal};
use reservo::domain::resource::NewResource;
use reservo::server::storage::bookings::{self, Actor};
use reservo::server::storage::calendar::{self, Settings};
use reservo::server::storage::{new_bookings, outbox, resources, users, Db, Engine, StorageError};
use std::sync::Arc;

const ZONE: chrono_tz::Tz = chrono_tz::America::Mexico_City;

/// 2030-03-04 (a Monday) at `hour`:`minute` in Mexico City.
fn at(day: u32, hour: u32, minute: u32) -> DateTime<Utc> {
    ZONE.with_ymd_and_hms(2030, 3, day, hour, minute, 0).single().unwrap().with_timezone(&Utc)
}

fn now() -> DateTime<Utc> {
    at(1, 8, 0)
}

struct Fixture {
    t: TestDb,
    resource: i64,
    client: i64,
}

impl Fixture {
    fn db(&self) -> &Db {
        &self.t.db
    }

    fn request(&self, start: DateTime<Utc>, minutes: i64) -> BookingRequest {
        BookingRequest {
            resource_id: self.resource,
            service_id: None,
            client_id: Some(self.client),
            guest_name: "Juan Pérez".into(),
            guest_email: "juan@example.com".into(),
            guest_phone: Some("+525512345678".into()),
            start,
            end: start + Duration::minutes(minutes),
            party_size: 1,
            notes: "Cama king size".into(),
            details: serde_json::json!({"event_type": "boda"}),
        }
    }

    async fn book(&self, start: DateTime<Utc>, minutes: i64) -> Result<reservo::domain::booking::Booking, StorageError> {
        bookings::create(self.db(), &self.request(start, minutes), self.client_actor(), now()).await
    }

    fn client_actor(&self) -> Actor {
        Actor { user_id: Some(self.client), role: Role::Client }
    }

    async fn count(&self) -> usize {
        bookings::list_for_resource(self.db(), self.resource).await.unwrap().len()
    }
}

/// A client and one resource (`add_resource`).
async fn fixture(engine: Engine, capacity: i64, approval: Approval) -> Fixture {
    let t = fresh_db(engine).await;
    let client = users::create(
        &t.db,
        &NewAccount {
            name: "Cliente".into(),
            email: "cliente@example.com".into(),
            phone: None,
            lang: Lang::Es,
            role: Role::Client,
            password: String::new(),
        },
        "hash",
    )
    .await
    .unwrap();
    let resource = add_resource(&t.db, "taller", capacity, approval).await;
    Fixture { t, resource, client }
}

/// A resource open 9:00-18:00 every day with a 30-minute buffer.
async fn add_resource(db: &Db, slug: &str, capacity: i64, approval: Approval) -> i64 {
    let resource = resources::create(
        db,
        &NewResource {
            kind: "workshop".into(),
            slug: slug.into(),
            name: "Taller".into(),
            description: String::new(),
            timezone: ZONE.name().into(),
            capacity,
            attributes: serde_json::json!({}),
        photos: vec![],
        },
        &[],
    )
    .await
    .unwrap();
    calendar::update_settings(
        db,
        resource,
        &Settings {
            approval,
            booking_mode: "slots".into(),
            buffer_minutes: 30,
            min_notice_minutes: 60,
            max_horizon_days: 365,
            slot_step_minutes: 30,
            default_duration_minutes: 60,
            max_per_day: None,
            max_party: Some(4),
            cancel_cutoff_hours: 24,
            pending_expiry_hours: 48,
        },
    )
    .await
    .unwrap();
    let hours: Vec<(u8, DayHours)> = (0..7).map(|d| (d, DayHours::new(540, 1080).unwrap())).collect();
    calendar::set_weekly_hours(db, resource, &hours).await.unwrap();
    resource
}

fn refusal<T: std::fmt::Debug>(result: Result<T, StorageError>) -> BookingError {
    match result {
        Err(StorageError::Refused(e)) => e,
        other => panic!("expected a refusal, got {other:?}"),
    }
}

on_both_engines!(
    a_booking_walks_the_state_machine_with_history,
    illegal_transitions_change_nothing,
    overlaps_including_the_buffer_are_refused,
    pending_requests_hold_their_time_until_they_expire,
    reschedule_moves_atomically_under_the_same_checks,
    cancellation_follows_the_policy,
    invalid_requests_are_refused_and_write_nothing,
    sixty_four_simultaneous_attempts_at_one_slot_give_one_booking,
    random_overlapping_attempts_never_exceed_capacity
);

async fn a_booking_walks_the_state_machine_with_history(engine: Engine) {
    let f = fixture(engine, 1, Approval::Manual).await;
    let booking = f.book(at(4, 10, 0), 60).await.unwrap();
    assert_eq!(booking.status, BookingStatus::Pending);
    assert_eq!(booking.hold_expires_at, Some(now() + Duration::hours(48)));
    assert_eq!((booking.start, booking.end), (at(4, 10, 0), at(4, 11, 0)));
    assert_eq!(booking.details["event_type"], "boda");
    let admin = Actor { user_id: None, role: Role::Admin };
    for (action, expected) in [
        (Action::Confirm, BookingStatus::Confirmed),
        (Action::CheckIn, BookingStatus::InProgress),
        (Action::CheckOut, BookingStatus::Completed),
    ] {
        let updated = bookings::apply(f.db(), booking.id, action, admin, "", now()).await.unwrap();
        assert_eq!(updated.status, expected);
        assert_eq!(updated.hold_expires_at, None);
    }
    let history = bookings::history(f.db(), booking.id).await.unwrap();
    let steps: Vec<_> = history.iter().map(|e| (e.from, e.to)).collect();
    assert_eq!(
        steps,
        vec![
            (None, BookingStatus::Pending),
            (Some(BookingStatus::Pending), BookingStatus::Confirmed),
            (Some(BookingStatus::Confirmed), BookingStatus::InProgress),
            (Some(BookingStatus::InProgress), BookingStatus::Completed),
        ]
    );
    assert_eq!(history[0].actor_id, Some(f.client));
}

async fn illegal_transitions_change_nothing(engine: Engine) {
    let f = fixture(engine, 1, Approval::Auto).await;
    let booking = f.book(at(4, 10, 0), 60).await.unwrap();
    assert_eq!(booking.status, BookingStatus::Confirmed, "auto-confirm resources skip pending");
    let refused = bookings::apply(f.db(), booking.id, Action::CheckOut, Actor::SYSTEM, "", now()).await;
    assert!(matches!(refusal(refused), BookingError::Transition(_)));
    assert_eq!(bookings::get(f.db(), booking.id).await.unwrap().unwrap().status, BookingStatus::Confirmed);
    assert_eq!(bookings::history(f.db(), booking.id).await.unwrap().len(), 1);
    let unknown = bookings::apply(f.db(), 9999, Action::Confirm, Actor::SYSTEM, "", now()).await;
    assert_eq!(refusal(unknown), BookingError::UnknownBooking);
}

async fn overlaps_including_the_buffer_are_refused(engine: Engine) {
    let f = fixture(engine, 1, Approval::Auto).await;
    f.book(at(4, 10, 0), 60).await.unwrap();
    assert_eq!(refusal(f.book(at(4, 10, 30), 60).await), BookingError::Slot(SlotProblem::Conflict));
    assert_eq!(refusal(f.book(at(4, 11, 0), 60).await), BookingError::Slot(SlotProblem::Conflict), "buffer");
    f.book(at(4, 11, 30), 60).await.expect("right after the buffer");
    let cancelled = f.book(at(4, 14, 0), 60).await.unwrap();
    bookings::apply(f.db(), cancelled.id, Action::Cancel, Actor::SYSTEM, "plans changed", now()).await.unwrap();
    f.book(at(4, 14, 0), 60).await.expect("a cancelled booking frees its time");
}

async fn pending_requests_hold_their_time_until_they_expire(engine: Engine) {
    let f = fixture(engine, 1, Approval::Manual).await;
    let pending = f.book(at(6, 10, 0), 60).await.unwrap();
    assert_eq!(refusal(f.book(at(6, 10, 0), 60).await), BookingError::Slot(SlotProblem::Conflict));
    assert!(bookings::expire_pending(f.db(), now() + Duration::hours(47)).await.unwrap().is_empty());
    let expired = bookings::expire_pending(f.db(), now() + Duration::hours(48)).await.unwrap();
    assert_eq!(expired, vec![pending.id]);
    assert!(bookings::expire_pending(f.db(), now() + Duration::hours(49)).await.unwrap().is_empty(), "once");
    assert_eq!(bookings::get(f.db(), pending.id).await.unwrap().unwrap().status, BookingStatus::Expired);
    f.book(at(6, 10, 0), 60).await.expect("the time is free again");
}

async fn reschedule_moves_atomically_under_the_same_checks(engine: Engine) {
    let f = fixture(engine, 1, Approval::Auto).await;
    let first = f.book(at(4, 10, 0), 60).await.unwrap();
    let second = f.book(at(4, 14, 0), 60).await.unwrap();
    let actor = f.client_actor();
    let moved = bookings::reschedule(f.db(), first.id, Span::new(at(4, 10, 30), at(4, 11, 30)), actor, now()).await.unwrap();
    assert_eq!(moved.start, at(4, 10, 30), "may overlap its own old time");
    let clash = bookings::reschedule(f.db(), first.id, Span::new(at(4, 13, 30), at(4, 14, 30)), actor, now()).await;
    assert_eq!(refusal(clash), BookingError::Slot(SlotProblem::Conflict));
    let outside = bookings::reschedule(f.db(), second.id, Span::new(at(4, 17, 30), at(4, 18, 30)), actor, now()).await;
    assert_eq!(refusal(outside), BookingError::Slot(SlotProblem::OutsideHours));
    assert_eq!(bookings::get(f.db(), first.id).await.unwrap().unwrap().start, at(4, 10, 30), "unchanged");
    assert_eq!(bookings::get(f.db(), second.id).await.unwrap().unwrap().start, at(4, 14, 0), "unchanged");
    let history = bookings::history(f.db(), first.id).await.unwrap();
    assert!(history.last().unwrap().reason.starts_with("rescheduled from"));
}

async fn cancellation_follows_the_policy(engine: Engine) {
    let f = fixture(engine, 1, Approval::Auto).await;
    let soon = f.book(at(1, 16, 0), 60).await.unwrap(); // 8 h after now, cutoff is 24 h
    let late = bookings::apply(f.db(), soon.id, Action::Cancel, f.client_actor(), "", now()).await;
    assert_eq!(refusal(late), BookingError::Cancel(CancelRefusal::TooLate { hours: 24 }));
    let manager = Actor { user_id: None, role: Role::Manager };
    let done = bookings::apply(f.db(), soon.id, Action::Cancel, manager, "musician ill", now()).await.unwrap();
    assert_eq!(done.status, BookingStatus::Cancelled);
    assert_eq!(bookings::history(f.db(), soon.id).await.unwrap().last().unwrap().reason, "musician ill");
    let later = f.book(at(10, 10, 0), 60).await.unwrap();
    let ok = bookings::apply(f.db(), later.id, Action::Cancel, f.client_actor(), "", now()).await.unwrap();
    assert_eq!(ok.status, BookingStatus::Cancelled);
}

async fn invalid_requests_are_refused_and_write_nothing(engine: Engine) {
    let f = fixture(engine, 1, Approval::Auto).await;
    let cases = [
        (f.request(at(1, 7, 0), 60), SlotProblem::StartInPast),
        (f.request(at(1, 8, 30), 60), SlotProblem::TooSoon),
        (f.request(at(4, 8, 0), 60), SlotProblem::OutsideHours),
        (f.request(at(4, 17, 30), 60), SlotProblem::OutsideHours),
        (f.request(at(4, 10, 0), 0), SlotProblem::EndNotAfterStart),
        (BookingRequest { party_size: 5, ..f.request(at(4, 10, 0), 60) }, SlotProblem::PartyTooLarge),
        (f.request(at(1, 10, 0) + Duration::days(400), 60), SlotProblem::BeyondHorizon),
    ];
    for (request, problem) in cases {
        let result = bookings::create(f.db(), &request, f.client_actor(), now()).await;
        assert_eq!(refusal(result), BookingError::Slot(problem));
    }
    let unknown = BookingRequest { resource_id: 999, ..f.request(at(4, 10, 0), 60) };
    assert_eq!(refusal(bookings::create(f.db(), &unknown, f.client_actor(), now()).await), BookingError::UnknownResource);
    let no_service = BookingRequest { service_id: Some(999), ..f.request(at(4, 10, 0), 60) };
    assert_eq!(refusal(bookings::create(f.db(), &no_service, f.client_actor(), now()).await), BookingError::UnknownService);
    assert_eq!(f.count().await, 0);
}

async fn sixty_four_simultaneous_attempts_at_one_slot_give_one_booking(engine: Engine) {
    let f = Arc::new(fixture(engine, 1, Approval::Manual).await);
    let start = Arc::new(tokio::sync::Barrier::new(64));
    let attempts: Vec<_> = (0..64)
        .map(|_| {
            let (f, start) = (f.clone(), start.clone());
            tokio::spawn(async move {
                start.wait().await;
                f.book(at(5, 12, 0), 90).await
            })
        })
        .collect();
    let mut won = 0;
    for attempt in attempts {
        match attempt.await.unwrap() {
            Ok(_) => won += 1,
            Err(e) => assert_eq!(refusal::<()>(Err(e)), BookingError::Slot(SlotProblem::Conflict)),
        }
    }
    assert_eq!(won, 1);
    assert_eq!(f.count().await, 1);
}

async fn random_overlapping_attempts_never_exceed_capacity(engine: Engine) {
    for capacity in [1, 2] {
        let f = Arc::new(fixture(engine, capacity, Approval::Auto).await);
        let mut seed: u64 = 0x5eed + capacity as u64;
        let mut next = move || {
            seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            (seed >> 33) as i64
        };
        let requests: Vec<(DateTime<Utc>, i64)> =
            (0..500).map(|_| (at(4 + (next() % 3) as u32, 9, 0) + Duration::minutes(15 * (next() % 30)), 15 * (1 + next() % 8))).collect();
        let attempts: Vec<_> = requests
            .into_iter()
            .map(|(start, minutes)| {
                let f = f.clone();
                tokio::spawn(async move { f.book(start, minutes).await })
            })
            .collect();
        let mut created = 0;
        for attempt in attempts {
            match attempt.await.unwrap() {
                Ok(_) => created += 1,
                Err(StorageError::Refused(BookingError::Slot(SlotProblem::Conflict | SlotProblem::OutsideHours))) => {}
                Err(other) => panic!("unexpected failure: {other:?}"),
            }
        }
        let stored = bookings::list_for_resource(f.db(), f.resource).await.unwrap();
        assert_eq!(stored.len(), created);
        assert!(created > 5, "some attempts must succeed ({created})");
        assert_within_capacity(&stored, capacity);
    }
}

/// No instant has more of `stored` (one resource's bookings, 30-minute
/// buffer) than `capacity`.
fn assert_within_capacity(stored: &[reservo::domain::booking::Booking], capacity: i64) {
    let buffer = Duration::minutes(30);
    for b in stored {
        let padded = Span::new(b.start, b.end + buffer);
        // the peak load is reached at the start of some booking
        let load = stored.iter().filter(|o| o.start <= b.start && b.start < o.end + buffer).count();
        assert!(load as i64 <= capacity, "{load} bookings at {} with capacity {capacity}", b.start);
        assert!(padded.end > padded.start);
    }
}

/// Batches written at once (several on PostgreSQL) that share resources
/// lock them in the same order: every attempt is answered as made or as a
/// conflict, and no resource goes over its capacity.
async fn simultaneous_batches_over_shared_resources_keep_every_capacity(engine: Engine) {
    let f = Arc::new(fixture(engine, 1, Approval::Auto).await);
    let mut resources = vec![f.resource];
    for slug in ["taller-2", "taller-3"] {
        resources.push(add_resource(f.db(), slug, 1, Approval::Auto).await);
    }
    let attempts: Vec<_> = (0..300u32)
        .map(|n| {
            let (f, resource) = (f.clone(), resources[(n / 3 % 3) as usize]);
            let start = at(4 + n % 3, 9, 0) + Duration::minutes(30 * i64::from(n * 11 % 16));
            tokio::spawn(async move {
                let request = BookingRequest { resource_id: resource, ..f.request(start, 60) };
                bookings::create(f.db(), &request, f.client_actor(), now()).await
            })
        })
        .collect();
    let mut created = 0;
    for attempt in attempts {
        match attempt.await.unwrap() {
            Ok(_) => created += 1,
            Err(StorageError::Refused(BookingError::Slot(SlotProblem::Conflict))) => {}
            Err(other) => panic!("unexpected failure: {other:?}"),
        }
    }
    let mut stored = 0;
    for resource in resources {
        let made = bookings::list_for_resource(f.db(), resource).await.unwrap();
        assert_within_capacity(&made, 1);
        stored += made.len();
    }
    assert_eq!(stored, created);
    // Every one of the 16 starts of each resource and day is asked for, and a
    // booking rules out at most 5 of them: at least 4 a day on each.
    assert!(created >= 36, "each resource fills its day ({created})");
}

on_both_engines!(postgres_backs_capacity_one_with_an_exclusion_constraint);

async fn postgres_backs_capacity_one_with_an_exclusion_constraint(engine: Engine) {
    let f = fixture(engine, 1, Approval::Auto).await;
    let booking = f.book(at(4, 10, 0), 60).await.unwrap();
    // A write that skips the application's checks entirely.
    let raw = sqlx::query(
        "INSERT INTO bookings (resource_id, guest_name, guest_email, starts_at, ends_at, blocked_until, status, exclusive, created_at, updated_at) \
         VALUES ($1, 'x', 'x@example.com', $2, $3, $4, 'confirmed', 1, 0, 0)",
    )
    .bind(f.resource)
    .bind(booking.start.timestamp() + 600)
    .bind(booking.end.timestamp() + 600)
    .bind(booking.end.timestamp() + 600)
    .execute(&mut *f.db().write().await.unwrap())
    .await;
    match engine {
        Engine::Postgres => {
            let code = raw.unwrap_err().as_database_error().and_then(|e| e.code().map(|c| c.to_string()));
            assert_eq!(code.as_deref(), Some("23P01"));
        }
        // SQLite has no exclusion constraints; its writers are serialized instead.
        Engine::Sqlite => assert!(raw.is_ok()),
    }
}

on_both_engines!(the_running_app_releases_expired_requests_in_the_background);

async fn the_running_app_releases_expired_requests_in_the_background(engine: Engine) {
    let app = common::spawn_app_with(engine, |c| c.bookings.expiry_check_seconds = 1).await;
    let musician = resources::list_all(&app.db).await.unwrap().into_iter().find(|r| r.kind == "musician").unwrap();
    let local_day = (Utc::now() + Duration::days(3)).with_timezone(&ZONE).date_naive();
    let start = ZONE.from_local_datetime(&local_day.and_hms_opt(14, 0, 0).unwrap()).single().unwrap().with_timezone(&Utc);
    let request = BookingRequest {
        resource_id: musician.id,
        service_id: None,
        client_id: None,
        guest_name: "Invitada".into(),
        guest_email: "invitada@example.com".into(),
        guest_phone: None,
        start,
        end: start + Duration::hours(2),
        party_size: 1,
        notes: String::new(),
        details: serde_json::json!({}),
    };
    // Requested 49 hours ago, so its 48-hour hold is already over.
    let requested_at = Utc::now() - Duration::hours(49);
    let pending = bookings::create(&app.db, &request, Actor::SYSTEM, requested_at).await.unwrap();
    assert_eq!(pending.status, BookingStatus::Pending);
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    loop {
        let status = bookings::get(&app.db, pending.id).await.unwrap().unwrap().status;
        if status == BookingStatus::Expired {
            break;
        }
        assert!(std::time::Instant::now() < deadline, "still {status} after 20 s");
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
}

on_both_engines!(
    a_batch_answers_each_order_as_it_would_alone,
    a_batch_that_fails_as_a_whole_tries_each_order_alone,
    simultaneous_batches_over_shared_resources_keep_every_capacity,
    bookings_made_at_once_each_get_their_history_and_emails
);

fn order(f: &Fixture, request: BookingRequest) -> new_bookings::Order {
    new_bookings::Order { request, actor: f.client_actor(), deposit_window: None, now: now() }
}

/// What an answer says, without the ids that differ from one database to another.
fn outcome(answer: &Result<reservo::domain::booking::Booking, StorageError>) -> String {
    match answer {
        Ok(b) => format!("{:?} {} {} {:?} {:?}", b.status, b.start, b.end, b.hold_expires_at, b.guest_email),
        Err(StorageError::Refused(e)) => format!("refused: {e:?}"),
        Err(other) => format!("failed: {other}"),
    }
}

/// One batch of orders that the rules accept or refuse for different
/// reasons, one of them against an earlier order of the same batch.
fn mixed_orders(f: &Fixture) -> Vec<new_bookings::Order> {
    vec![
        order(f, f.request(at(4, 10, 0), 60)),
        order(f, f.request(at(4, 10, 30), 60)),
        order(f, BookingRequest { resource_id: 999, ..f.request(at(4, 12, 0), 60) }),
        order(f, f.request(at(4, 7, 0), 60)),
        order(f, f.request(at(4, 14, 0), 60)),
        order(f, BookingRequest { service_id: Some(999), ..f.request(at(4, 16, 0), 60) }),
        order(f, f.request(at(4, 11, 0), 60)),
    ]
}

async fn a_batch_answers_each_order_as_it_would_alone(engine: Engine) {
    let batched = fixture(engine, 1, Approval::Auto).await;
    let made = new_bookings::create_all(batched.db(), &mixed_orders(&batched)).await;
    let zone = resources::find(batched.db(), batched.resource).await.unwrap().unwrap().summary.timezone;
    assert!(made.iter().flatten().all(|m| m.zone.name() == zone), "each comes with its resource's zone, {zone}");
    let answers = made.into_iter().map(|answer| answer.map(|m| m.booking)).collect::<Vec<_>>();
    let alone = fixture(engine, 1, Approval::Auto).await;
    let mut one_by_one = Vec::new();
    for order in mixed_orders(&alone) {
        one_by_one.push(bookings::create(alone.db(), &order.request, order.actor, order.now).await);
    }
    let outcomes = answers.iter().map(outcome).collect::<Vec<_>>();
    assert_eq!(outcomes, one_by_one.iter().map(outcome).collect::<Vec<_>>());
    assert_eq!(
        outcomes.iter().map(|o| o.split(' ').next().unwrap()).collect::<Vec<_>>(),
        ["Confirmed", "refused:", "refused:", "refused:", "Confirmed", "refused:", "refused:"],
        "{outcomes:#?}"
    );
    assert!(matches!(answers[1], Err(StorageError::Refused(BookingError::Slot(SlotProblem::Conflict)))), "{:?}", answers[1]);
    assert_eq!(batched.count().await, 2);
    for made in answers.iter().flatten() {
        let history = bookings::history(batched.db(), made.id).await.unwrap();
        assert_eq!(history.iter().map(|e| (e.from, e.to)).collect::<Vec<_>>(), [(None, BookingStatus::Confirmed)]);
        let mail = outbox::list_for_booking(batched.db(), made.id).await.unwrap();
        assert_eq!(mail.iter().map(|m| m.recipient.as_str()).collect::<Vec<_>>(), ["juan@example.com"]);
    }
}

async fn a_batch_that_fails_as_a_whole_tries_each_order_alone(engine: Engine) {
    let f = fixture(engine, 1, Approval::Auto).await;
    // No such client: the database refuses the insert, and with it the batch.
    let stranger = BookingRequest { client_id: Some(999_999), ..f.request(at(4, 12, 0), 60) };
    let orders = [order(&f, f.request(at(4, 10, 0), 60)), order(&f, stranger), order(&f, f.request(at(4, 14, 0), 60))];
    let answers = new_bookings::create_all(f.db(), &orders).await.into_iter().map(|a| a.map(|m| m.booking)).collect::<Vec<_>>();
    assert!(matches!(answers[1], Err(StorageError::Database(_))), "{:?}", answers[1]);
    let made = [&answers[0], &answers[2]].map(|a| a.as_ref().expect("a good order is made").start);
    assert_eq!(made, [at(4, 10, 0), at(4, 14, 0)]);
    let stored = bookings::list_for_resource(f.db(), f.resource).await.unwrap();
    assert_eq!(stored.iter().map(|b| b.start).collect::<Vec<_>>(), made);
}

async fn bookings_made_at_once_each_get_their_history_and_emails(engine: Engine) {
    let f = Arc::new(fixture(engine, 1, Approval::Auto).await);
    let starts = (0..120).map(|n| at(4 + n / 8, 9, 0) + Duration::minutes(60 * i64::from(n % 8))).collect::<Vec<_>>();
    let attempts = starts
        .iter()
        .map(|&start| {
            let f = f.clone();
            tokio::spawn(async move { f.book(start, 30).await })
        })
        .collect::<Vec<_>>();
    let mut ids = Vec::new();
    for (attempt, start) in attempts.into_iter().zip(&starts) {
        let booking = attempt.await.unwrap().expect("every slot is free");
        assert_eq!(booking.start, *start);
        ids.push(booking.id);
    }
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), starts.len());
    for id in ids {
        assert_eq!(bookings::history(f.db(), id).await.unwrap().len(), 1);
        assert_eq!(outbox::list_for_booking(f.db(), id).await.unwrap().len(), 1);
    }
}
