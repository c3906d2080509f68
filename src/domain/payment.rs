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
        let due = match self {
            DepositPolicy::None => 0,
            DepositPolicy::Fixed(amount) => amount,
            DepositPolicy::Percent(percent) => (price_minor.max(0) * percent.clamp(0, 100) + 99) / 100,
        };
        due.clamp(0, price_minor.max(0))
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

    proptest! {
        #[test]
        fn a_deposit_is_never_negative_nor_above_the_price(price in 0i64..10_000_000_000, percent in 1i64..=100, fixed in 0i64..10_000_000_000) {
            for policy in [DepositPolicy::None, DepositPolicy::Fixed(fixed), DepositPolicy::Percent(percent)] {
                let due = policy.due(price);
                prop_assert!((0..=price).contains(&due), "{policy:?} of {price} gave {due}");
            }
            prop_assert_eq!(DepositPolicy::Percent(100).due(price), price);
        }
    }
}
