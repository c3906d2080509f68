//! Accounts: roles, languages and the validation of what people type in.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Client,
    Manager,
    Admin,
}

impl Role {
    pub const ALL: [Role; 3] = [Role::Client, Role::Manager, Role::Admin];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Client => "client",
            Role::Manager => "manager",
            Role::Admin => "admin",
        }
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Role {
    type Err = ();
    fn from_str(s: &str) -> Result<Self, ()> {
        Role::ALL.into_iter().find(|r| r.as_str() == s).ok_or(())
    }
}

/// The languages the product speaks. Spanish is the default.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    #[default]
    Es,
    En,
}

impl Lang {
    pub fn code(self) -> &'static str {
        match self {
            Lang::Es => "es",
            Lang::En => "en",
        }
    }

    pub fn parse(code: &str) -> Option<Lang> {
        match code.trim().to_ascii_lowercase().as_str() {
            "es" => Some(Lang::Es),
            "en" => Some(Lang::En),
            _ => None,
        }
    }

    pub fn other(self) -> Lang {
        match self {
            Lang::Es => Lang::En,
            Lang::En => Lang::Es,
        }
    }
}

/// Why a value typed by a person was refused; the UI words it per language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Problem {
    Required,
    TooLong,
    EmailInvalid,
    EmailTaken,
    PasswordTooShort,
    PasswordTooLong,
    PhoneInvalid,
    LangInvalid,
    RoleInvalid,
    NotAWholeNumber,
    OutOfRange,
    MoneyInvalid,
    CurrencyInvalid,
    TimezoneInvalid,
    StatusDerived,
    NotAnImage,
    PhotoTooLarge,
    TooManyPhotos,
    /// Not the account's password (confirming a deletion).
    PasswordWrong,
    /// The last administrator may not delete their account.
    LastAdmin,
    /// Not a clock time like 09:30.
    TimeInvalid,
    /// A closing time not after the opening time.
    ClosesBeforeOpens,
    /// Not a date like 2026-12-24.
    DateInvalid,
    DateInPast,
    /// A second period of a day that starts before the first one ends.
    PeriodsOverlap,
    /// A review's stars: not a whole number from 1 to 5.
    RatingOutOfRange,
    /// A review's comment or reply: over 2000 characters.
    ReviewTooLong,
    /// A capacity below the bookings already overlapping at one time.
    BelowBookings,
    /// A date range whose last date comes before its first.
    EndsBeforeStart,
    /// A date range longer than a report covers (366 days).
    RangeTooLong,
}

/// A refused value and the form field it came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldError {
    pub field: String,
    pub problem: Problem,
}

impl FieldError {
    pub fn new(field: &str, problem: Problem) -> Self {
        FieldError { field: field.to_string(), problem }
    }
}

pub const NAME_MAX: usize = 100;
pub const EMAIL_MAX: usize = 254;
pub const PASSWORD_MIN: usize = 10;
pub const PASSWORD_MAX: usize = 128;

/// A registration that passed validation: trimmed, email lower-cased,
/// phone in E.164.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewAccount {
    pub name: String,
    pub email: String,
    pub phone: Option<String>,
    pub lang: Lang,
    pub role: Role,
    pub password: String,
}

pub struct AccountInput<'a> {
    pub name: &'a str,
    pub email: &'a str,
    pub phone: &'a str,
    pub lang: &'a str,
    pub role: Role,
    pub password: &'a str,
}

/// Checks every field and reports the first problem found, in form order.
pub fn validate_account(input: AccountInput<'_>) -> Result<NewAccount, FieldError> {
    let name = validate_name(input.name)?;
    let email = normalize_email(input.email)?;
    let phone = normalize_phone(input.phone)?;
    let lang = if input.lang.trim().is_empty() {
        Lang::default()
    } else {
        Lang::parse(input.lang).ok_or(FieldError::new("lang", Problem::LangInvalid))?
    };
    validate_password(input.password)?;
    Ok(NewAccount { name, email, phone, lang, role: input.role, password: input.password.to_string() })
}

pub fn validate_name(raw: &str) -> Result<String, FieldError> {
    let name = raw.trim();
    if name.is_empty() {
        return Err(FieldError::new("name", Problem::Required));
    }
    if name.chars().count() > NAME_MAX {
        return Err(FieldError::new("name", Problem::TooLong));
    }
    Ok(name.to_string())
}

/// Lower-cases and checks the shape `local@domain.tld`; deliverability is the
/// mail server's business.
pub fn normalize_email(raw: &str) -> Result<String, FieldError> {
    let email = raw.trim().to_lowercase();
    if email.is_empty() {
        return Err(FieldError::new("email", Problem::Required));
    }
    if email.len() > EMAIL_MAX {
        return Err(FieldError::new("email", Problem::TooLong));
    }
    let valid = match email.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && !domain.contains('@')
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
                && !domain.contains("..")
                && !email.chars().any(|c| c.is_whitespace() || c.is_control())
        }
        None => false,
    };
    if valid {
        Ok(email)
    } else {
        Err(FieldError::new("email", Problem::EmailInvalid))
    }
}

pub fn validate_password(raw: &str) -> Result<(), FieldError> {
    let length = raw.chars().count();
    if length < PASSWORD_MIN {
        return Err(FieldError::new("password", Problem::PasswordTooShort));
    }
    if length > PASSWORD_MAX {
        return Err(FieldError::new("password", Problem::PasswordTooLong));
    }
    Ok(())
}

/// An empty phone is allowed (it is optional); otherwise it must be E.164:
/// `+`, a country code not starting with 0, 8 to 15 digits in all. Spaces,
/// dashes, dots and parentheses people type are dropped first.
pub fn normalize_phone(raw: &str) -> Result<Option<String>, FieldError> {
    let compact: String =
        raw.chars().filter(|c| !matches!(c, ' ' | '-' | '.' | '(' | ')')).collect();
    if compact.is_empty() {
        return Ok(None);
    }
    let digits = compact.strip_prefix('+').unwrap_or("");
    let valid = (8..=15).contains(&digits.len())
        && digits.chars().all(|c| c.is_ascii_digit())
        && !digits.starts_with('0');
    if valid {
        Ok(Some(compact))
    } else {
        Err(FieldError::new("phone", Problem::PhoneInvalid))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn input<'a>(name: &'a str, email: &'a str, password: &'a str) -> AccountInput<'a> {
        AccountInput { name, email, phone: "", lang: "", role: Role::Client, password }
    }

    #[test]
    fn accepts_a_normal_account_and_normalizes_it() {
        let account = validate_account(AccountInput {
            phone: "+52 55 1234 5678",
            lang: "EN",
            ..input("  Ana López ", "Ana@Example.COM ", "correct horse")
        })
        .unwrap();
        assert_eq!(account.name, "Ana López");
        assert_eq!(account.email, "ana@example.com");
        assert_eq!(account.phone.as_deref(), Some("+525512345678"));
        assert_eq!(account.lang, Lang::En);
    }

    #[test]
    fn reports_the_field_at_fault() {
        let cases = [
            (input("", "a@b.co", "long enough pw"), "name", Problem::Required),
            (input("Ana", "not-an-email", "long enough pw"), "email", Problem::EmailInvalid),
            (input("Ana", "a@b", "long enough pw"), "email", Problem::EmailInvalid),
            (input("Ana", "a@@b.co", "long enough pw"), "email", Problem::EmailInvalid),
            (input("Ana", "a@b.co", "short"), "password", Problem::PasswordTooShort),
        ];
        for (case, field, problem) in cases {
            assert_eq!(validate_account(case), Err(FieldError::new(field, problem)));
        }
    }

    #[test]
    fn phone_must_be_e164() {
        assert_eq!(normalize_phone(""), Ok(None));
        assert_eq!(normalize_phone("+1 (555) 123-4567"), Ok(Some("+15551234567".into())));
        for bad in ["5551234567", "+0123456789", "+12", "+1234567890123456", "+52abc12345"] {
            assert_eq!(normalize_phone(bad), Err(FieldError::new("phone", Problem::PhoneInvalid)), "{bad}");
        }
    }

    #[test]
    fn role_and_lang_round_trip_through_text() {
        for role in Role::ALL {
            assert_eq!(role.as_str().parse::<Role>(), Ok(role));
        }
        assert_eq!(Lang::parse("es"), Some(Lang::Es));
        assert_eq!(Lang::parse("fr"), None);
        assert_eq!(Lang::default(), Lang::Es);
    }

    proptest! {
        #[test]
        fn normalized_emails_are_stable(local in "[a-zA-Z0-9._+-]{1,20}", domain in "[a-z0-9-]{1,20}\\.[a-z]{2,6}") {
            let email = normalize_email(&format!("{local}@{domain}")).unwrap();
            prop_assert_eq!(normalize_email(&email).unwrap(), email.clone());
            prop_assert_eq!(email.to_lowercase(), email);
        }

        #[test]
        fn names_never_exceed_the_limit(name in "\\PC{0,200}") {
            if let Ok(valid) = validate_name(&name) {
                prop_assert!(!valid.is_empty());
                prop_assert!(valid.chars().count() <= NAME_MAX);
            }
        }

        #[test]
        fn accepted_emails_have_one_at_and_read_back_the_same(raw in "\\PC{0,300}") {
            if let Ok(email) = normalize_email(&raw) {
                prop_assert_eq!(email.matches('@').count(), 1);
                prop_assert!(email.len() <= EMAIL_MAX);
                prop_assert!(!email.chars().any(char::is_whitespace));
                prop_assert_eq!(normalize_email(&email), Ok(email.clone()));
            }
        }

        #[test]
        fn overlong_emails_are_refused_as_too_long(local in "[a-z]{250,300}") {
            prop_assert_eq!(normalize_email(&format!("{local}@example.com")), Err(FieldError::new("email", Problem::TooLong)));
        }

        #[test]
        fn phones_typed_with_separators_read_as_e164(digits in "[1-9][0-9]{7,14}", separators in proptest::collection::vec("[ .()-]{0,2}", 16)) {
            let typed: String = digits.chars().zip(&separators).map(|(digit, separator)| format!("{separator}{digit}")).collect();
            let e164 = format!("+{digits}");
            prop_assert_eq!(normalize_phone(&format!(" +{typed} ")), Ok(Some(e164.clone())));
            prop_assert_eq!(normalize_phone(&e164), Ok(Some(e164.clone())));
        }

        #[test]
        fn accepted_phones_are_e164(raw in "\\PC{0,30}") {
            match normalize_phone(&raw) {
                Ok(Some(phone)) => {
                    let digits = phone.strip_prefix('+').expect("starts with +");
                    prop_assert!((8..=15).contains(&digits.len()) && digits.bytes().all(|b| b.is_ascii_digit()));
                    prop_assert_eq!(normalize_phone(&phone), Ok(Some(phone.clone())));
                }
                Ok(None) => prop_assert!(raw.chars().all(|c| " -.()".contains(c))),
                Err(e) => prop_assert_eq!(e, FieldError::new("phone", Problem::PhoneInvalid)),
            }
        }

        #[test]
        fn passwords_are_refused_only_outside_the_length_bounds(password in "\\PC{0,200}") {
            let length = password.chars().count();
            let expected = if length < PASSWORD_MIN {
                Err(FieldError::new("password", Problem::PasswordTooShort))
            } else if length > PASSWORD_MAX {
                Err(FieldError::new("password", Problem::PasswordTooLong))
            } else {
                Ok(())
            };
            prop_assert_eq!(validate_password(&password), expected);
        }

        #[test]
        fn languages_read_their_code_in_any_case(lang in proptest::sample::select(vec![Lang::Es, Lang::En]), upper in any::<bool>()) {
            let code = if upper { lang.code().to_uppercase() } else { lang.code().to_string() };
            prop_assert_eq!(Lang::parse(&format!(" {code} ")), Some(lang));
        }
    }
}
