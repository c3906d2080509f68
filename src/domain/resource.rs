//! Bookable resources of any kind (musician, venue, workshop, room, ...).

use super::account::{FieldError, Problem};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResourceSummary {
    pub id: i64,
    pub kind: String,
    pub slug: String,
    pub name: String,
    pub description: String,
    pub timezone: String,
    pub capacity: i64,
}

/// A resource to be created; `attributes` holds the kind-specific fields as JSON.
#[derive(Debug, Clone, PartialEq)]
pub struct NewResource {
    pub kind: String,
    pub slug: String,
    pub name: String,
    pub description: String,
    pub timezone: String,
    pub capacity: i64,
    pub attributes: serde_json::Value,
    /// Photo URLs, first one shown as the cover.
    pub photos: Vec<String>,
}

/// Something a resource offers, with its length and price (integer minor
/// units, e.g. centavos) and an optional deposit: `deposit_percent` of the
/// price when set, else the fixed `deposit_minor` (0: none).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Service {
    pub id: i64,
    pub resource_id: i64,
    pub name: String,
    pub duration_minutes: i64,
    pub price_minor: i64,
    pub deposit_minor: i64,
    pub deposit_percent: Option<i64>,
    pub currency: String,
}

impl Service {
    pub fn deposit_policy(&self) -> super::payment::DepositPolicy {
        use super::payment::DepositPolicy;
        match self.deposit_percent {
            Some(percent) => DepositPolicy::Percent(percent),
            None if self.deposit_minor > 0 => DepositPolicy::Fixed(self.deposit_minor),
            None => DepositPolicy::None,
        }
    }

    /// What a booking of this service owes before it is confirmed.
    pub fn deposit_due(&self) -> i64 {
        self.deposit_policy().due(self.price_minor)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ServiceProblem {
    DepositPercentOutOfRange,
    NameRequired,
    DurationNotPositive,
    NegativeMoney,
    DepositAbovePrice,
    CurrencyInvalid,
}

/// Checks a service before it is stored: a name, a positive length, money
/// not negative, deposit at most the price, an ISO 4217 currency code.
pub fn validate_service(service: &Service) -> Result<(), ServiceProblem> {
    if service.name.trim().is_empty() {
        Err(ServiceProblem::NameRequired)
    } else if service.duration_minutes <= 0 {
        Err(ServiceProblem::DurationNotPositive)
    } else if service.price_minor < 0 || service.deposit_minor < 0 {
        Err(ServiceProblem::NegativeMoney)
    } else if service.deposit_minor > service.price_minor {
        Err(ServiceProblem::DepositAbovePrice)
    } else if service.deposit_percent.is_some_and(|p| !(1..=100).contains(&p)) {
        Err(ServiceProblem::DepositPercentOutOfRange)
    } else if service.currency.len() != 3 || !service.currency.chars().all(|c| c.is_ascii_uppercase()) {
        Err(ServiceProblem::CurrencyInvalid)
    } else {
        Ok(())
    }
}

/// Kinds booked by choosing one of the resource's services (its length and
/// price follow from it) for a vehicle: mechanic workshops (seed 001).
pub fn books_vehicle_service(kind: &str) -> bool {
    kind == "workshop"
}

/// A room as an administrator describes it (form or API).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RoomInput {
    pub name: Option<String>,
    pub number: Option<String>,
    pub description: Option<String>,
    pub room_type: Option<String>,
    pub beds: Option<i64>,
    pub guests: Option<i64>,
    pub nightly_price_minor: Option<i64>,
    pub currency: Option<String>,
    pub photos: Vec<String>,
    pub timezone: Option<String>,
    /// Only "available" is accepted: a room's status follows its bookings.
    pub status: Option<String>,
}

pub const TEXT_MAX: usize = 2000;

fn within(field: &str, value: Option<i64>, low: i64, high: i64) -> Result<(), FieldError> {
    match value {
        Some(v) if v < low || v > high => Err(FieldError::new(field, Problem::OutOfRange)),
        _ => Ok(()),
    }
}

/// Checks a room and turns it into a resource of kind "room".
/// The name of a room that was given none: "Habitación 12".
pub fn default_room_name(number: Option<&str>) -> String {
    match number {
        Some(number) => format!("Habitación {number}"),
        None => "Habitación".to_string(),
    }
}

pub fn room_resource(input: &RoomInput, default_zone: &str) -> Result<NewResource, FieldError> {
    if let Some(status) = &input.status {
        match super::room::RoomStatus::parse(status) {
            Some(super::room::RoomStatus::Available) => {}
            Some(_) => return Err(FieldError::new("status", Problem::StatusDerived)),
            None => return Err(FieldError::new("status", Problem::StatusDerived)),
        }
    }
    within("beds", input.beds, 1, 50)?;
    within("guests", input.guests, 1, 100)?;
    within("nightly_price_minor", input.nightly_price_minor, 0, 1_000_000_000)?;
    let currency = input.currency.clone().unwrap_or_else(|| "MXN".into());
    if currency.len() != 3 || !currency.chars().all(|c| c.is_ascii_uppercase()) {
        return Err(FieldError::new("currency", Problem::CurrencyInvalid));
    }
    let texts = [("name", &input.name), ("number", &input.number), ("description", &input.description), ("type", &input.room_type)];
    for (field, value) in texts {
        if value.as_ref().is_some_and(|v| v.chars().count() > TEXT_MAX) {
            return Err(FieldError::new(field, Problem::TooLong));
        }
    }
    let zone = input.timezone.as_deref().unwrap_or(default_zone);
    let zone = super::time::parse_zone(zone).ok_or(FieldError::new("timezone", Problem::TimezoneInvalid))?;
    let number = input.number.clone().filter(|n| !n.trim().is_empty());
    let name = input.name.clone().filter(|n| !n.trim().is_empty()).unwrap_or_else(|| default_room_name(number.as_deref()));
    Ok(NewResource {
        kind: "room".into(),
        slug: slugify(&name),
        name,
        description: input.description.clone().unwrap_or_default(),
        timezone: zone.name().into(),
        capacity: 1,
        attributes: serde_json::json!({
            "number": number, "type": input.room_type, "beds": input.beds, "guests": input.guests,
            "nightly_price_minor": input.nightly_price_minor, "currency": currency,
        }),
        photos: input.photos.clone(),
    })
}

/// "1200", "1200.5" or "1,200.50" in major units -> minor units (1200.50 -> 120050).
pub fn parse_money(text: &str) -> Option<i64> {
    let clean: String = text.trim().chars().filter(|c| *c != ',' && *c != ' ').collect();
    let (whole, fraction) = clean.split_once('.').unwrap_or((&clean, ""));
    if whole.is_empty() || !whole.chars().all(|c| c.is_ascii_digit()) || fraction.len() > 2 || !fraction.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let cents = format!("{fraction:0<2}").parse::<i64>().ok()?;
    whole.parse::<i64>().ok()?.checked_mul(100)?.checked_add(cents)
}

/// A URL-safe slug from a display name: lower-case ASCII letters and digits
/// separated by single dashes; accents are folded ("Lucía" -> "lucia").
pub fn slugify(name: &str) -> String {
    let mut slug = String::with_capacity(name.len());
    for c in name.chars().flat_map(fold_accent) {
        if c.is_ascii_alphanumeric() {
            slug.push(c.to_ascii_lowercase());
        } else if !slug.ends_with('-') && !slug.is_empty() {
            slug.push('-');
        }
    }
    slug.trim_end_matches('-').to_string()
}

fn fold_accent(c: char) -> Option<char> {
    let folded = match c {
        'á' | 'à' | 'ä' | 'â' | 'Á' | 'À' | 'Ä' | 'Â' => 'a',
        'é' | 'è' | 'ë' | 'ê' | 'É' | 'È' | 'Ë' | 'Ê' => 'e',
        'í' | 'ì' | 'ï' | 'î' | 'Í' | 'Ì' | 'Ï' | 'Î' => 'i',
        'ó' | 'ò' | 'ö' | 'ô' | 'Ó' | 'Ò' | 'Ö' | 'Ô' => 'o',
        'ú' | 'ù' | 'ü' | 'û' | 'Ú' | 'Ù' | 'Ü' | 'Û' => 'u',
        'ñ' | 'Ñ' => 'n',
        'ç' | 'Ç' => 'c',
        other => other,
    };
    Some(folded)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn slugs_fold_accents_and_punctuation() {
        assert_eq!(slugify("Lucía Ortega"), "lucia-ortega");
        assert_eq!(slugify("  Trío  Sol de Oaxaca!! "), "trio-sol-de-oaxaca");
        assert_eq!(slugify("Habitación 101"), "habitacion-101");
    }

    #[test]
    fn services_need_sane_money_and_length() {
        let brakes = Service {
            id: 0,
            resource_id: 1,
            name: "Revisión de frenos".into(),
            duration_minutes: 60,
            price_minor: 45_000,
            deposit_minor: 10_000,
            deposit_percent: None,
            currency: "MXN".into(),
        };
        assert_eq!(validate_service(&brakes), Ok(()));
        assert_eq!(brakes.deposit_due(), 10_000);
        let quarter = Service { deposit_percent: Some(25), ..brakes.clone() };
        assert_eq!(quarter.deposit_due(), 11_250, "a percentage wins over the fixed amount");
        let cases = [
            (Service { name: " ".into(), ..brakes.clone() }, ServiceProblem::NameRequired),
            (Service { duration_minutes: 0, ..brakes.clone() }, ServiceProblem::DurationNotPositive),
            (Service { price_minor: -1, ..brakes.clone() }, ServiceProblem::NegativeMoney),
            (Service { deposit_minor: 50_000, ..brakes.clone() }, ServiceProblem::DepositAbovePrice),
            (Service { currency: "pesos".into(), ..brakes.clone() }, ServiceProblem::CurrencyInvalid),
            (Service { deposit_percent: Some(101), ..brakes.clone() }, ServiceProblem::DepositPercentOutOfRange),
        ];
        for (service, problem) in cases {
            assert_eq!(validate_service(&service), Err(problem));
        }
    }

    #[test]
    fn rooms_are_checked_and_named() {
        let room = room_resource(&RoomInput { number: Some("12".into()), guests: Some(2), ..Default::default() }, "Europe/Madrid").unwrap();
        assert_eq!((room.name.as_str(), room.slug.as_str(), room.kind.as_str()), ("Habitación 12", "habitacion-12", "room"));
        assert_eq!(room.timezone, "Europe/Madrid");
        assert_eq!(room.attributes["currency"], "MXN");
        let bad = [
            (RoomInput { status: Some("ocupada".into()), ..Default::default() }, "status"),
            (RoomInput { beds: Some(0), ..Default::default() }, "beds"),
            (RoomInput { currency: Some("pesos".into()), ..Default::default() }, "currency"),
            (RoomInput { timezone: Some("Mars/Base".into()), ..Default::default() }, "timezone"),
        ];
        for (input, field) in bad {
            assert_eq!(room_resource(&input, "UTC").unwrap_err().field, field);
        }
        assert!(room_resource(&RoomInput { status: Some("disponible".into()), ..Default::default() }, "UTC").is_ok());
    }

    #[test]
    fn money_is_read_into_minor_units() {
        assert_eq!(parse_money("1200"), Some(120_000));
        assert_eq!(parse_money("1,200.5"), Some(120_050));
        assert_eq!(parse_money("0.07"), Some(7));
        for bad in ["", "-5", "12.345", "doce", "1.2.3", ".5"] {
            assert_eq!(parse_money(bad), None, "{bad}");
        }
    }

    proptest! {
        #[test]
        fn money_round_trips(minor in 0i64..10_000_000_000) {
            let text = format!("{}.{:02}", minor / 100, minor % 100);
            prop_assert_eq!(parse_money(&text), Some(minor));
        }

        #[test]
        fn slugs_are_url_safe(name in "\\PC{0,60}") {
            let slug = slugify(&name);
            prop_assert!(slug.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'));
            prop_assert!(!slug.starts_with('-') && !slug.ends_with('-') && !slug.contains("--"));
        }

        #[test]
        fn money_text_is_read_or_refused_without_panicking(text in "\\PC{0,30}") {
            if let Some(minor) = parse_money(&text) {
                prop_assert!(minor >= 0);
            }
        }

        #[test]
        fn money_with_thousands_separators_reads_the_same(minor in 0i64..1_000_000_000_000) {
            let whole: Vec<String> = (minor / 100).to_string().chars().map(String::from).collect();
            let grouped = whole.rchunks(3).rev().map(|group| group.concat()).collect::<Vec<_>>().join(",");
            prop_assert_eq!(parse_money(&format!(" {grouped}.{:02} ", minor % 100)), Some(minor));
        }

        #[test]
        fn amounts_beyond_i64_are_refused(digits in "[1-9][0-9]{17,25}") {
            prop_assert_eq!(parse_money(&digits), None);
        }

        #[test]
        fn slugs_are_their_own_slug(name in "\\PC{0,60}") {
            let slug = slugify(&name);
            prop_assert_eq!(slugify(&slug), slug);
        }

        #[test]
        fn room_numbers_out_of_range_name_their_field(beds in any::<i64>(), guests in any::<i64>(), price in any::<i64>()) {
            let input = RoomInput { beds: Some(beds), guests: Some(guests), nightly_price_minor: Some(price), ..Default::default() };
            let expected = if !(1..=50).contains(&beds) {
                Err(FieldError::new("beds", Problem::OutOfRange))
            } else if !(1..=100).contains(&guests) {
                Err(FieldError::new("guests", Problem::OutOfRange))
            } else if !(0..=1_000_000_000).contains(&price) {
                Err(FieldError::new("nightly_price_minor", Problem::OutOfRange))
            } else {
                Ok(())
            };
            prop_assert_eq!(room_resource(&input, "UTC").map(|_| ()), expected);
        }

        #[test]
        fn rooms_from_any_text_are_checked_without_panicking(
            name in proptest::option::of("\\PC{0,40}"),
            number in proptest::option::of("\\PC{0,10}"),
            currency in proptest::option::of("\\PC{0,4}"),
            timezone in proptest::option::of("\\PC{0,30}"),
            status in proptest::option::of("\\PC{0,12}"),
        ) {
            let input = RoomInput { name, number, currency, timezone, status, ..Default::default() };
            if let Ok(room) = room_resource(&input, "America/Mexico_City") {
                prop_assert!(crate::domain::time::parse_zone(&room.timezone).is_some());
                prop_assert_eq!(slugify(&room.name), room.slug);
            }
        }

        #[test]
        fn a_deposit_is_never_above_the_price(price in any::<i64>(), fixed in any::<i64>(), percent in proptest::option::of(any::<i64>())) {
            let service = Service {
                id: 0, resource_id: 1, name: "Afinación".into(), duration_minutes: 60,
                price_minor: price, deposit_minor: fixed, deposit_percent: percent, currency: "MXN".into(),
            };
            let due = service.deposit_due();
            prop_assert!(0 <= due && due <= price.max(0), "{} of {}", due, price);
        }
    }
}
