//! Demo data: one account per role and a few resources of every kind, loaded
//! only into an empty database and never in production mode.

use super::{resources, services, users, Db, StorageError};
use crate::domain::availability::DayHours;
use crate::domain::resource::Service;
use crate::server::config::KindConfig;
use std::collections::BTreeMap;
use crate::domain::account::{Lang, NewAccount, Role};
use crate::domain::resource::{slugify, NewResource};
use crate::server::auth::password;
use serde_json::json;

pub const DEMO_PASSWORD: &str = "demo-password";
pub const DEMO_TIMEZONE: &str = "America/Mexico_City";

pub struct DemoAccount {
    pub email: &'static str,
    pub name: &'static str,
    pub role: Role,
}

pub const DEMO_ACCOUNTS: [DemoAccount; 3] = [
    DemoAccount { email: "admin@reservo.test", name: "Ana Administradora", role: Role::Admin },
    DemoAccount { email: "manager@reservo.test", name: "Marco Manager", role: Role::Manager },
    DemoAccount { email: "client@reservo.test", name: "Carla Cliente", role: Role::Client },
];

#[derive(Debug, PartialEq, Eq)]
pub enum SeedOutcome {
    Loaded,
    /// The database already had accounts; nothing was touched.
    AlreadyPopulated,
}

/// Loads the demo data; each resource gets the booking rules of its kind.
pub async fn seed_demo(db: &Db, kinds: &BTreeMap<String, KindConfig>) -> Result<SeedOutcome, StorageError> {
    if users::count(db).await? > 0 {
        return Ok(SeedOutcome::AlreadyPopulated);
    }
    let hash = password::hash(DEMO_PASSWORD);
    let mut ids = Vec::new();
    for account in &DEMO_ACCOUNTS {
        let new = NewAccount {
            name: account.name.into(),
            email: account.email.into(),
            phone: None,
            lang: Lang::Es,
            role: account.role,
            password: DEMO_PASSWORD.into(),
        };
        ids.push(users::create(db, &new, &hash).await?);
    }
    let (admin, manager) = (ids[0], ids[1]);
    for (mut resource, manager) in demo_resources(admin, manager) {
        let kind = kinds.get(&resource.kind);
        if let Some(kind) = kind {
            resource.capacity = kind.capacity;
        }
        let settings = kind.map(KindConfig::settings);
        let id = resources::create_with_rules(db, &resource, &[manager], settings.as_ref(), &demo_hours(&resource.kind)).await?;
        for service in demo_services(id, &resource.kind) {
            services::create(db, &service).await?;
        }
    }
    Ok(SeedOutcome::Loaded)
}

fn resource(kind: &str, name: &str, description: &str, capacity: i64, attributes: serde_json::Value) -> NewResource {
    NewResource {
        kind: kind.into(),
        slug: slugify(name),
        name: name.into(),
        description: description.into(),
        timezone: DEMO_TIMEZONE.into(),
        capacity,
        attributes,
        photos: vec![],
    }
}

/// Weekly hours per kind; weekday 0 is Monday.
pub fn demo_hours(kind: &str) -> Vec<(u8, DayHours)> {
    let every_day = |opens: u16, closes: u16| -> Vec<(u8, DayHours)> {
        (0..7).filter_map(|d| Some((d, DayHours::new(opens * 60, closes * 60)?))).collect()
    };
    match kind {
        "musician" => every_day(12, 24),
        "venue" => every_day(10, 24),
        "workshop" => {
            let mut hours: Vec<(u8, DayHours)> = (0..5)
                .flat_map(|d| [(d, DayHours::new(540, 780)), (d, DayHours::new(900, 1140))])
                .filter_map(|(d, h)| Some((d, h?)))
                .collect();
            hours.extend(DayHours::new(540, 840).map(|h| (5, h)));
            hours
        }
        _ => every_day(0, 24),
    }
}

fn demo_services(resource_id: i64, kind: &str) -> Vec<Service> {
    let service = |name: &str, duration_minutes: i64, price_minor: i64, deposit_minor: i64| Service {
        id: 0,
        resource_id,
        name: name.into(),
        duration_minutes,
        price_minor,
        deposit_minor,
        deposit_percent: None,
        currency: "MXN".into(),
    };
    match kind {
        "workshop" => vec![
            service("Revisión de frenos", 60, 45_000, 0),
            service("Afinación mayor", 180, 280_000, 50_000),
            service("Diagnóstico por computadora", 60, 60_000, 0),
        ],
        "musician" => vec![service("Evento de 2 horas", 120, 800_000, 200_000)],
        "venue" => vec![service("Renta por 4 horas", 240, 1_500_000, 500_000)],
        _ => vec![service("Noche", 1320, 120_000, 0)],
    }
}

fn demo_resources(admin: i64, manager: i64) -> Vec<(NewResource, i64)> {
    vec![
        (resource("musician", "Lucía Ortega", "Cantante de jazz y bolero con trío acústico.", 1,
            json!({"genres": ["jazz", "bolero"], "city": "Ciudad de México"})), manager),
        (resource("musician", "Trío Sol de Oaxaca", "Son jarocho y música tradicional para bodas y fiestas.", 1,
            json!({"genres": ["son jarocho", "tradicional"], "city": "Oaxaca"})), manager),
        (resource("musician", "DJ Marea", "Sets de electrónica y pop para eventos privados.", 1,
            json!({"genres": ["electrónica", "pop"], "city": "Guadalajara"})), manager),
        (resource("venue", "Foro Alameda", "Foro para 300 personas con escenario y equipo de sonido.", 1,
            json!({"city": "Ciudad de México", "seats": 300})), manager),
        (resource("workshop", "Taller Hermanos Ruiz", "Frenos, afinación y diagnóstico para autos compactos y SUV.", 3,
            json!({"makes": ["Nissan", "Volkswagen", "Toyota"], "address": "Av. Insurgentes 1200, CDMX"})), manager),
        (resource("room", "Habitación 101", "Sencilla con cama matrimonial y vista al jardín.", 1,
            json!({"number": "101", "beds": 1, "guests": 2, "type": "sencilla"})), admin),
        (resource("room", "Habitación 102", "Doble con dos camas individuales.", 1,
            json!({"number": "102", "beds": 2, "guests": 2, "type": "doble"})), admin),
        (resource("room", "Suite 201", "Suite con sala y cama king size.", 1,
            json!({"number": "201", "beds": 1, "guests": 3, "type": "suite"})), admin),
    ]
}
