//! Deposits and the payment status of a booking. Money is integer minor units.

use serde::{Deserialize, Serialize};

/// How much of a service's price is asked before the booking is confirmed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind", content = "value")]
pub enum DepositPolicy {
    None,
    /// A fixed amount in minor units.
    Fixed(i64),
    /// A percentage (1 to 100) of the price, rounded up to the minor unit.
    Percent(i64),
}

impl DepositPolicy {
    pub fn due(self, price_minor: i64) -> i64 {
        let price = price_minor.max(0);
        let due = match self {
            DepositPolicy::None => 0,
            DepositPolicy::Fixed(amount) => amount,
            // In i128: a percentage of any i64 price fits, and then never exceeds the price.
            DepositPolicy::Percent(percent) => ((i128::from(price) * i128::from(percent.clamp(0, 100)) + 99) / 100) as i64,
        };
        due.clamp(0, price)
    }
}

/// Where a booking's money stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PaymentStatus {
    Unpaid,
    DepositPaid,
    Paid,
    Refunded,
}

impl PaymentStatus {
    pub const ALL: [PaymentStatus; 4] = [PaymentStatus::Unpaid, PaymentStatus::DepositPaid, PaymentStatus::Paid, PaymentStatus::Refunded];

    pub fn as_str(self) -> &'static str {
        match self {
            PaymentStatus::Unpaid => "unpaid",
            PaymentStatus::DepositPaid => "deposit_paid",
            PaymentStatus::Paid => "paid",
            PaymentStatus::Refunded => "refunded",
        }
    }

    pub fn parse(text: &str) -> Option<PaymentStatus> {
        PaymentStatus::ALL.into_iter().find(|s| s.as_str() == text)
    }

    /// Whether a deposit owed is covered.
    pub fn covers_deposit(self) -> bool {
        matches!(self, PaymentStatus::DepositPaid | PaymentStatus::Paid)
    }
}

/// What one stored payment row is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PaymentKind {
    Deposit,
    Payment,
    Refund,
}

impl PaymentKind {
    pub const ALL: [PaymentKind; 3] = [PaymentKind::Deposit, PaymentKind::Payment, PaymentKind::Refund];

    pub fn as_str(self) -> &'static str {
        match self {
            PaymentKind::Deposit => "deposit",
            PaymentKind::Payment => "payment",
            PaymentKind::Refund => "refund",
        }
    }

    pub fn parse(text: &str) -> Option<PaymentKind> {
        PaymentKind::ALL.into_iter().find(|k| k.as_str() == text)
    }
}

/// How money was handed over.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PaymentMethod {
    Cash,
    Transfer,
    Card,
}

impl PaymentMethod {
    pub const ALL: [PaymentMethod; 3] = [PaymentMethod::Cash, PaymentMethod::Transfer, PaymentMethod::Card];

    pub fn as_str(self) -> &'static str {
        match self {
            PaymentMethod::Cash => "cash",
            PaymentMethod::Transfer => "transfer",
            PaymentMethod::Card => "card",
        }
    }

    pub fn parse(text: &str) -> Option<PaymentMethod> {
        PaymentMethod::ALL.into_iter().find(|m| m.as_str() == text.trim())
    }
}

/// Who took the money: the manager by hand, or the card processor.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PaymentSource {
    Offline,
    Stripe,
}

impl PaymentSource {
    pub fn as_str(self) -> &'static str {
        match self {
            PaymentSource::Offline => "offline",
            PaymentSource::Stripe => "stripe",
        }
    }

    pub fn parse(text: &str) -> Option<PaymentSource> {
        [PaymentSource::Offline, PaymentSource::Stripe].into_iter().find(|s| s.as_str() == text)
    }
}

/// The most one booking may take in all (a billion units of its currency):
/// more is a typing mistake, and sums of amounts stay far from overflowing.
pub const MAX_TAKEN_MINOR: i64 = 100_000_000_000;

/// The money a booking has received so far, in minor units.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Ledger {
    /// Deposits and payments.
    pub paid_in: i64,
    pub refunded: i64,
}

impl Ledger {
    pub fn net(self) -> i64 {
        self.paid_in - self.refunded
    }

    /// The ledger after one more payment row.
    pub fn with(self, kind: PaymentKind, amount_minor: i64) -> Ledger {
        match kind {
            PaymentKind::Refund => Ledger { refunded: self.refunded + amount_minor, ..self },
            PaymentKind::Deposit | PaymentKind::Payment => Ledger { paid_in: self.paid_in + amount_minor, ..self },
        }
    }

    /// Paid once the net covers the price; deposit paid once it covers the
    /// deposit owed; refunded when refunds gave back all that was taken.
    pub fn status(self, price_minor: i64, deposit_due_minor: i64) -> PaymentStatus {
        let net = self.net();
        if self.paid_in > 0 && net <= 0 {
            PaymentStatus::Refunded
        } else if net > 0 && net >= price_minor {
            PaymentStatus::Paid
        } else if deposit_due_minor > 0 && net >= deposit_due_minor {
            PaymentStatus::DepositPaid
        } else {
            PaymentStatus::Unpaid
        }
    }
}

/// Why a payment was not recorded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[serde(rename_all = "snake_case")]
pub enum PaymentRefusal {
    #[error("the amount must be more than zero")]
    AmountNotPositive,
    #[error("the booking would take more than the most one booking may take")]
    AmountTooLarge,
    #[error("the currency is not the booking's")]
    CurrencyMismatch,
    #[error("a refund may not be more than what was paid")]
    RefundAboveNet,
    #[error("a {0} booking takes no payments")]
    BookingClosed(super::booking::BookingStatus),
    #[error("nothing is owed on this booking")]
    NothingOwed,
    #[error("online payments are not offered")]
    OnlinePaymentsOff,
}

impl PaymentRefusal {
    /// 422 when a field is wrong; 409 when the booking's state stands in the way.
    pub fn status(self) -> u16 {
        match self.field() {
            Some(_) => 422,
            None => 409,
        }
    }

    pub fn field(self) -> Option<&'static str> {
        match self {
            PaymentRefusal::AmountNotPositive | PaymentRefusal::AmountTooLarge | PaymentRefusal::RefundAboveNet => Some("amount"),
            PaymentRefusal::CurrencyMismatch => Some("currency"),
            _ => None,
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            PaymentRefusal::AmountNotPositive => "amount_not_positive",
            PaymentRefusal::AmountTooLarge => "amount_too_large",
            PaymentRefusal::CurrencyMismatch => "currency_mismatch",
            PaymentRefusal::RefundAboveNet => "refund_above_paid",
            PaymentRefusal::BookingClosed(_) => "booking_closed",
            PaymentRefusal::NothingOwed => "nothing_owed",
            PaymentRefusal::OnlinePaymentsOff => "online_payments_off",
        }
    }
}

/// One payment to record against a booking.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewPayment {
    pub kind: PaymentKind,
    pub amount_minor: i64,
    pub currency: String,
    pub source: PaymentSource,
    pub method: PaymentMethod,
    pub reference: String,
}

/// Whether `payment` may be recorded on a booking in `status` with
/// `currency` that has received `ledger` so far. Money still comes back
/// (refunds) from a finished booking; it is no longer taken for one that
/// was cancelled, rejected or expired.
pub fn check_payment(payment: &NewPayment, status: super::booking::BookingStatus, currency: &str, ledger: Ledger) -> Result<(), PaymentRefusal> {
    use super::booking::BookingStatus::{Cancelled, Expired, Rejected};
    if payment.amount_minor <= 0 {
        Err(PaymentRefusal::AmountNotPositive)
    } else if payment.kind != PaymentKind::Refund && payment.amount_minor > MAX_TAKEN_MINOR - ledger.paid_in {
        Err(PaymentRefusal::AmountTooLarge)
    } else if !payment.currency.eq_ignore_ascii_case(currency) {
        Err(PaymentRefusal::CurrencyMismatch)
    } else if payment.kind == PaymentKind::Refund && payment.amount_minor > ledger.net() {
        Err(PaymentRefusal::RefundAboveNet)
    } else if payment.kind != PaymentKind::Refund && matches!(status, Cancelled | Rejected | Expired) {
        Err(PaymentRefusal::BookingClosed(status))
    } else {
        Ok(())
    }
}

/// Why a payment provider's webhook was not believed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum SignatureProblem {
    #[error("the signature header is missing or malformed")]
    Malformed,
    #[error("no signature matches the body")]
    Mismatch,
    #[error("the signature's timestamp is outside the tolerance")]
    Stale,
}

type HmacSha256 = hmac::Hmac<sha2::Sha256>;

fn stripe_mac(secret: &str, timestamp: i64, body: &[u8]) -> HmacSha256 {
    use hmac::Mac;
    let mut mac = HmacSha256::new_from_slice(secret.as_bytes()).expect("HMAC takes a key of any length");
    mac.update(format!("{timestamp}.").as_bytes());
    mac.update(body);
    mac
}

/// A `Stripe-Signature` header for `body` signed at `timestamp` (what Stripe sends).
pub fn sign_stripe_payload(secret: &str, timestamp: i64, body: &[u8]) -> String {
    use hmac::Mac;
    let bytes = stripe_mac(secret, timestamp, body).finalize().into_bytes();
    let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    format!("t={timestamp},v1={hex}")
}

fn from_hex(text: &str) -> Option<Vec<u8>> {
    if !text.len().is_multiple_of(2) || !text.is_ascii() {
        return None;
    }
    (0..text.len()).step_by(2).map(|i| u8::from_str_radix(&text[i..i + 2], 16).ok()).collect()
}

/// Checks a `Stripe-Signature` header (`t=<unix seconds>,v1=<hex>[,v1=...]`):
/// one v1 must be the HMAC-SHA256 of "{t}.{body}" with `secret` (compared in
/// constant time), and `t` within `tolerance_seconds` of `now`. Returns `t`.
pub fn verify_stripe_signature(
    secret: &str,
    header: &str,
    body: &[u8],
    now: chrono::DateTime<chrono::Utc>,
    tolerance_seconds: i64,
) -> Result<i64, SignatureProblem> {
    use hmac::Mac;
    let pairs: Vec<(&str, &str)> = header.split(',').filter_map(|part| part.trim().split_once('=')).collect();
    let timestamp = pairs
        .iter()
        .find(|(key, _)| *key == "t")
        .and_then(|(_, value)| value.parse::<i64>().ok())
        .ok_or(SignatureProblem::Malformed)?;
    let signatures: Vec<Vec<u8>> = pairs.iter().filter(|(key, _)| *key == "v1").filter_map(|(_, v)| from_hex(v)).collect();
    if signatures.is_empty() {
        return Err(SignatureProblem::Malformed);
    }
    let expected = stripe_mac(secret, timestamp, body);
    if !signatures.iter().any(|signature| expected.clone().verify_slice(signature).is_ok()) {
        return Err(SignatureProblem::Mismatch);
    }
    if now.timestamp().abs_diff(timestamp) > tolerance_seconds.max(0).unsigned_abs() {
        return Err(SignatureProblem::Stale);
    }
    Ok(timestamp)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn deposits_follow_the_policy() {
        assert_eq!(DepositPolicy::None.due(45_000), 0);
        assert_eq!(DepositPolicy::Fixed(50_000).due(280_000), 50_000);
        assert_eq!(DepositPolicy::Percent(25).due(280_000), 70_000);
        // 33 % of 1,001 centavos is 330.33: the deposit rounds up.
        assert_eq!(DepositPolicy::Percent(33).due(1_001), 331);
        assert_eq!(DepositPolicy::Fixed(90_000).due(45_000), 45_000, "never more than the price");
    }

    fn ledger(paid_in: i64, refunded: i64) -> Ledger {
        Ledger { paid_in, refunded }
    }

    #[test]
    fn the_status_follows_the_sums() {
        assert_eq!(ledger(0, 0).status(280_000, 50_000), PaymentStatus::Unpaid);
        assert_eq!(ledger(40_000, 0).status(280_000, 50_000), PaymentStatus::Unpaid);
        assert_eq!(ledger(50_000, 0).status(280_000, 50_000), PaymentStatus::DepositPaid);
        assert_eq!(ledger(280_000, 0).status(280_000, 50_000), PaymentStatus::Paid);
        assert_eq!(ledger(300_000, 20_000).status(280_000, 0), PaymentStatus::Paid);
        assert_eq!(ledger(50_000, 50_000).status(280_000, 50_000), PaymentStatus::Refunded);
        assert_eq!(ledger(50_000, 10_000).status(280_000, 50_000), PaymentStatus::Unpaid);
        assert_eq!(ledger(0, 0).status(0, 0), PaymentStatus::Unpaid, "nothing paid is not paid, even for free");
    }

    fn payment(kind: PaymentKind, amount_minor: i64) -> NewPayment {
        NewPayment {
            kind,
            amount_minor,
            currency: "MXN".into(),
            source: PaymentSource::Offline,
            method: PaymentMethod::Cash,
            reference: String::new(),
        }
    }

    #[test]
    fn payments_are_checked_before_they_are_recorded() {
        use crate::domain::booking::BookingStatus::*;
        let paid = ledger(50_000, 0);
        assert_eq!(check_payment(&payment(PaymentKind::Deposit, 50_000), Pending, "MXN", Ledger::default()), Ok(()));
        assert_eq!(check_payment(&payment(PaymentKind::Payment, 0), Confirmed, "MXN", paid), Err(PaymentRefusal::AmountNotPositive));
        assert_eq!(check_payment(&payment(PaymentKind::Payment, -5), Confirmed, "MXN", paid), Err(PaymentRefusal::AmountNotPositive));
        assert_eq!(check_payment(&payment(PaymentKind::Payment, 5), Confirmed, "USD", paid), Err(PaymentRefusal::CurrencyMismatch));
        assert_eq!(check_payment(&payment(PaymentKind::Refund, 50_001), Confirmed, "MXN", paid), Err(PaymentRefusal::RefundAboveNet));
        assert_eq!(check_payment(&payment(PaymentKind::Refund, 50_000), Cancelled, "MXN", paid), Ok(()));
        assert_eq!(check_payment(&payment(PaymentKind::Payment, 5), Expired, "MXN", paid), Err(PaymentRefusal::BookingClosed(Expired)));
        assert_eq!(check_payment(&payment(PaymentKind::Payment, 5), Completed, "MXN", paid), Ok(()));
        assert_eq!(PaymentRefusal::RefundAboveNet.status(), 422);
        assert_eq!(PaymentRefusal::BookingClosed(Rejected).status(), 409);
    }

    #[test]
    fn no_booking_takes_more_than_the_ceiling() {
        use crate::domain::booking::BookingStatus::{Completed, Pending};
        let ledger = Ledger { paid_in: MAX_TAKEN_MINOR - 100, refunded: 0 };
        assert_eq!(check_payment(&payment(PaymentKind::Payment, 100), Completed, "MXN", ledger), Ok(()));
        assert_eq!(check_payment(&payment(PaymentKind::Payment, 101), Completed, "MXN", ledger), Err(PaymentRefusal::AmountTooLarge));
        assert_eq!(check_payment(&payment(PaymentKind::Deposit, i64::MAX), Pending, "MXN", Ledger::default()), Err(PaymentRefusal::AmountTooLarge));
        assert_eq!(PaymentRefusal::AmountTooLarge.field(), Some("amount"));
    }

    const SECRET: &str = "whsec_test_secret";

    fn at(seconds: i64) -> chrono::DateTime<chrono::Utc> {
        chrono::DateTime::from_timestamp(seconds, 0).unwrap()
    }

    #[test]
    fn a_signed_body_verifies_within_the_tolerance() {
        let body = br#"{"id":"evt_1"}"#;
        let header = sign_stripe_payload(SECRET, 1_800_000_000, body);
        assert_eq!(verify_stripe_signature(SECRET, &header, body, at(1_800_000_100), 300), Ok(1_800_000_000));
        // Several v1 signatures (a secret being rolled): one matching is enough.
        let rolled = format!("t=1800000000,v1={},{}", "ab".repeat(32), header.split_once(',').unwrap().1);
        assert_eq!(verify_stripe_signature(SECRET, &rolled, body, at(1_800_000_000), 300), Ok(1_800_000_000));
        assert_eq!(verify_stripe_signature(SECRET, &header, body, at(1_800_000_301), 300), Err(SignatureProblem::Stale));
        assert_eq!(verify_stripe_signature(SECRET, &header, body, at(1_799_999_000), 300), Err(SignatureProblem::Stale));
        assert_eq!(verify_stripe_signature("other", &header, body, at(1_800_000_000), 300), Err(SignatureProblem::Mismatch));
        for bad in ["", "t=abc,v1=00", "v1=00", "t=1800000000", "t=1800000000,v1=zz"] {
            assert_eq!(verify_stripe_signature(SECRET, bad, body, at(1_800_000_000), 300), Err(SignatureProblem::Malformed), "{bad}");
        }
    }

    proptest! {
        #[test]
        fn a_deposit_is_never_negative_nor_above_the_price(price in 0i64..10_000_000_000, percent in 1i64..=100, fixed in 0i64..10_000_000_000) {
            for policy in [DepositPolicy::None, DepositPolicy::Fixed(fixed), DepositPolicy::Percent(percent)] {
                let due = policy.due(price);
                prop_assert!((0..=price).contains(&due), "{policy:?} of {price} gave {due}");
            }
            prop_assert_eq!(DepositPolicy::Percent(100).due(price), price);
        }
        #[test]
        fn a_tampered_body_or_timestamp_never_verifies(
            body in proptest::collection::vec(any::<u8>(), 0..200),
            flip in any::<usize>(),
            bit in 0u8..8,
            t in 1_600_000_000i64..2_000_000_000,
            shift in 1i64..100_000,
        ) {
            let header = sign_stripe_payload(SECRET, t, &body);
            prop_assert_eq!(verify_stripe_signature(SECRET, &header, &body, at(t), 300), Ok(t));
            if !body.is_empty() {
                let mut tampered = body.clone();
                tampered[flip % body.len()] ^= 1 << bit;
                prop_assert!(verify_stripe_signature(SECRET, &header, &tampered, at(t), 300).is_err());
            }
            let mut longer = body.clone();
            longer.push(b' ');
            prop_assert!(verify_stripe_signature(SECRET, &header, &longer, at(t), 300).is_err());
            let moved = header.replacen(&format!("t={t}"), &format!("t={}", t + shift), 1);
            prop_assert!(verify_stripe_signature(SECRET, &moved, &body, at(t + shift), 300).is_err());
        }

        #[test]
        fn the_status_never_says_paid_without_money(paid_in in 0i64..1_000_000, refunded in 0i64..1_000_000, price in 0i64..1_000_000, deposit in 0i64..1_000_000) {
            let status = Ledger { paid_in, refunded }.status(price, deposit);
            if paid_in - refunded <= 0 {
                prop_assert!(matches!(status, PaymentStatus::Unpaid | PaymentStatus::Refunded));
            }
            if status == PaymentStatus::Paid {
                prop_assert!(paid_in - refunded >= price);
            }
        }

        #[test]
        fn a_deposit_never_overflows(price in any::<i64>(), amount in any::<i64>(), percent in any::<i64>()) {
            for policy in [DepositPolicy::Fixed(amount), DepositPolicy::Percent(percent)] {
                prop_assert!((0..=price.max(0)).contains(&policy.due(price)));
            }
        }

        #[test]
        fn kinds_methods_and_statuses_read_back_their_names(kind in 0usize..3, method in 0usize..3, status in 0usize..4) {
            prop_assert_eq!(PaymentKind::parse(PaymentKind::ALL[kind].as_str()), Some(PaymentKind::ALL[kind]));
            prop_assert_eq!(PaymentMethod::parse(PaymentMethod::ALL[method].as_str()), Some(PaymentMethod::ALL[method]));
            prop_assert_eq!(PaymentStatus::parse(PaymentStatus::ALL[status].as_str()), Some(PaymentStatus::ALL[status]));
        }

        #[test]
        fn unknown_names_are_refused(text in "\\PC{0,12}") {
            prop_assert_eq!(PaymentKind::parse(&text).map(PaymentKind::as_str), PaymentKind::ALL.map(PaymentKind::as_str).into_iter().find(|k| *k == text));
            prop_assert_eq!(PaymentSource::parse(&text).map(PaymentSource::as_str), ["offline", "stripe"].into_iter().find(|s| *s == text));
            if let Some(method) = PaymentMethod::parse(&text) {
                prop_assert_eq!(method.as_str(), text.trim());
            }
        }

        #[test]
        fn accepted_payments_keep_the_ledger_within_bounds(
            paid_in in 0i64..=MAX_TAKEN_MINOR,
            refunded_share in 0i64..=100,
            kind in 0usize..3,
            amount in any::<i64>(),
            status in proptest::sample::select(crate::domain::booking::BookingStatus::ALL.to_vec()),
        ) {
            let ledger = Ledger { paid_in, refunded: paid_in / 100 * refunded_share };
            let mut new = payment(PaymentKind::ALL[kind], amount);
            new.currency = "mxn".into();
            if check_payment(&new, status, "MXN", ledger).is_ok() {
                let after = ledger.with(new.kind, amount);
                prop_assert!(amount > 0);
                prop_assert!(after.paid_in <= MAX_TAKEN_MINOR);
                prop_assert!(after.net() >= 0);
            }
        }

        #[test]
        fn any_signature_header_is_checked_without_panicking(
            header in "\\PC{0,80}|t=-?[0-9]{1,20},v1=[0-9a-f]{0,64}",
            t in prop_oneof![Just(i64::MIN), Just(i64::MAX), any::<i64>(), 1_799_999_000i64..1_800_001_000],
        ) {
            let body = b"{}";
            prop_assert!(verify_stripe_signature(SECRET, &header, body, at(1_800_000_000), 300).is_err());
            // Signed, but at any time at all: believed only within the tolerance.
            let signed = sign_stripe_payload(SECRET, t, body);
            let verdict = verify_stripe_signature(SECRET, &signed, body, at(1_800_000_000), 300);
            prop_assert_eq!(verdict.is_ok(), (1_800_000_000 - 300..=1_800_000_000 + 300).contains(&t));
        }
    }
}
