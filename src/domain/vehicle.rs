//! A client's vehicle as a workshop booking names it (seed 001: make, model,
//! year), and the problem or service the client describes.

use super::account::{FieldError, Problem};
use serde::{Deserialize, Serialize};

pub const MAKE_MAX: usize = 60;
pub const MODEL_MAX: usize = 60;
pub const PROBLEM_MAX: usize = 1000;
/// The oldest model year a workshop is asked to look at.
pub const FIRST_YEAR: i32 = 1900;

#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Vehicle {
    pub make: String,
    pub model: String,
    pub year: i32,
}

impl Vehicle {
    /// "Nissan Versa 2019".
    pub fn label(&self) -> String {
        format!("{} {} {}", self.make, self.model, self.year)
    }
}

/// A vehicle as typed in the booking form; `this_year` bounds the model year
/// (next year's models are sold already).
pub fn parse_vehicle(make: &str, model: &str, year: &str, this_year: i32) -> Result<Vehicle, FieldError> {
    let make = required_text("vehicle_make", make, MAKE_MAX)?;
    let model = required_text("vehicle_model", model, MODEL_MAX)?;
    let year = year.trim();
    if year.is_empty() {
        return Err(FieldError::new("vehicle_year", Problem::Required));
    }
    let year: i32 = year.parse().map_err(|_| FieldError::new("vehicle_year", Problem::NotAWholeNumber))?;
    if !(FIRST_YEAR..=this_year + 1).contains(&year) {
        return Err(FieldError::new("vehicle_year", Problem::OutOfRange));
    }
    Ok(Vehicle { make, model, year })
}

/// What the client says is wrong or wanted; may be empty when a service was chosen.
pub fn parse_problem(text: &str) -> Result<String, FieldError> {
    let text = text.trim();
    if text.chars().count() > PROBLEM_MAX {
        return Err(FieldError::new("problem", Problem::TooLong));
    }
    Ok(text.to_string())
}

fn required_text(field: &str, text: &str, max: usize) -> Result<String, FieldError> {
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if text.is_empty() {
        Err(FieldError::new(field, Problem::Required))
    } else if text.chars().count() > max {
        Err(FieldError::new(field, Problem::TooLong))
    } else {
        Ok(text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn a_typed_vehicle_is_tidied() {
        let v = parse_vehicle("  Nissan ", "Versa   Sense", "2019", 2026).unwrap();
        assert_eq!(v, Vehicle { make: "Nissan".into(), model: "Versa Sense".into(), year: 2019 });
        assert_eq!(v.label(), "Nissan Versa Sense 2019");
    }

    #[test]
    fn each_field_says_what_is_wrong() {
        let problem = |make: &str, model: &str, year: &str| parse_vehicle(make, model, year, 2026).unwrap_err();
        assert_eq!(problem("", "Versa", "2019"), FieldError::new("vehicle_make", Problem::Required));
        assert_eq!(problem("Nissan", " ", "2019"), FieldError::new("vehicle_model", Problem::Required));
        assert_eq!(problem("Nissan", "Versa", ""), FieldError::new("vehicle_year", Problem::Required));
        assert_eq!(problem("Nissan", "Versa", "dos mil"), FieldError::new("vehicle_year", Problem::NotAWholeNumber));
        assert_eq!(problem("Nissan", "Versa", "2028"), FieldError::new("vehicle_year", Problem::OutOfRange));
        assert_eq!(problem("Nissan", "Versa", "1899"), FieldError::new("vehicle_year", Problem::OutOfRange));
        assert_eq!(problem(&"N".repeat(61), "Versa", "2019"), FieldError::new("vehicle_make", Problem::TooLong));
        assert!(parse_vehicle("Nissan", "Versa", "2027", 2026).is_ok(), "next year's models are on sale");
        assert_eq!(parse_problem(&"x".repeat(1001)), Err(FieldError::new("problem", Problem::TooLong)));
    }

    proptest! {
        #[test]
        fn accepted_vehicles_are_within_bounds(make in "\\PC{0,80}", model in "\\PC{0,80}", year in -10_000i32..10_000) {
            if let Ok(v) = parse_vehicle(&make, &model, &year.to_string(), 2026) {
                prop_assert!(!v.make.is_empty() && v.make.chars().count() <= MAKE_MAX);
                prop_assert!(!v.model.is_empty() && v.model.chars().count() <= MODEL_MAX);
                prop_assert!((FIRST_YEAR..=2027).contains(&v.year));
                prop_assert_eq!(v.make.trim(), v.make.as_str());
            }
        }

        #[test]
        fn model_years_are_refused_outside_their_bounds(year in any::<i64>()) {
            let expected = if year > i64::from(i32::MAX) || year < i64::from(i32::MIN) {
                Err(FieldError::new("vehicle_year", Problem::NotAWholeNumber))
            } else if (i64::from(FIRST_YEAR)..=2027).contains(&year) {
                Ok(year as i32)
            } else {
                Err(FieldError::new("vehicle_year", Problem::OutOfRange))
            };
            prop_assert_eq!(parse_vehicle("Nissan", "Versa", &format!(" {year} "), 2026).map(|v| v.year), expected);
        }

        #[test]
        fn any_year_text_is_read_or_refused_without_panicking(year in "\\PC{0,12}") {
            if let Ok(v) = parse_vehicle("Nissan", "Versa", &year, 2026) {
                prop_assert!((FIRST_YEAR..=2027).contains(&v.year));
            }
        }

        #[test]
        fn a_tidied_vehicle_reads_back_as_itself(make in "\\PC{0,80}", model in "\\PC{0,80}", year in FIRST_YEAR..=2027) {
            if let Ok(v) = parse_vehicle(&make, &model, &year.to_string(), 2026) {
                prop_assert_eq!(parse_vehicle(&v.make, &v.model, &v.year.to_string(), 2026), Ok(v.clone()));
            }
        }

        #[test]
        fn problems_are_trimmed_and_within_the_limit(text in "\\PC{0,1100}") {
            match parse_problem(&text) {
                Ok(kept) => prop_assert!(kept == text.trim() && kept.chars().count() <= PROBLEM_MAX),
                Err(e) => prop_assert!(e == FieldError::new("problem", Problem::TooLong) && text.trim().chars().count() > PROBLEM_MAX),
            }
        }
    }
}
