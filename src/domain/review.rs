//! Reviews: after a completed booking its client may rate it 1 to 5 stars
//! and comment, once; a manager of the resource may reply, once.

use super::account::{FieldError, Problem};
use super::booking::BookingStatus;
use serde::{Deserialize, Serialize};

pub const RATING_MIN: u8 = 1;
pub const RATING_MAX: u8 = 5;
/// The longest comment or reply kept, in characters, after trimming.
pub const TEXT_MAX_CHARS: usize = 2000;

pub const RATING_FIELD: &str = "rating";
pub const COMMENT_FIELD: &str = "comment";
pub const REPLY_FIELD: &str = "reply";

/// Why a review or a reply is refused, apart from typing mistakes and
/// permissions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[serde(rename_all = "snake_case")]
pub enum ReviewRefusal {
    #[error("only a completed booking may be reviewed")]
    NotCompleted,
    #[error("this booking was already reviewed")]
    AlreadyReviewed,
    #[error("this review was already replied to")]
    AlreadyReplied,
}

impl ReviewRefusal {
    /// The stable name the REST API gives it.
    pub fn code(self) -> &'static str {
        match self {
            ReviewRefusal::NotCompleted => "not_completed",
            ReviewRefusal::AlreadyReviewed => "already_reviewed",
            ReviewRefusal::AlreadyReplied => "already_replied",
        }
    }
}

/// A review that passed validation: a rating in range and a trimmed comment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewReview {
    pub rating: u8,
    pub comment: String,
}

/// The rating as the form sends it (a radio value, absent when none is
/// chosen) and the comment, which may be empty.
pub fn validate_review(rating: &str, comment: &str) -> Result<NewReview, FieldError> {
    let rating = parse_rating(rating)?;
    let comment = comment.trim();
    if comment.chars().count() > TEXT_MAX_CHARS {
        return Err(FieldError::new(COMMENT_FIELD, Problem::ReviewTooLong));
    }
    Ok(NewReview { rating, comment: comment.to_string() })
}

fn parse_rating(text: &str) -> Result<u8, FieldError> {
    let refused = || FieldError::new(RATING_FIELD, Problem::RatingOutOfRange);
    let rating: u8 = text.trim().parse().map_err(|_| refused())?;
    if (RATING_MIN..=RATING_MAX).contains(&rating) {
        Ok(rating)
    } else {
        Err(refused())
    }
}

/// A reply must say something, and not too much.
pub fn validate_reply(reply: &str) -> Result<String, FieldError> {
    let reply = reply.trim();
    if reply.is_empty() {
        return Err(FieldError::new(REPLY_FIELD, Problem::Required));
    }
    if reply.chars().count() > TEXT_MAX_CHARS {
        return Err(FieldError::new(REPLY_FIELD, Problem::ReviewTooLong));
    }
    Ok(reply.to_string())
}

/// What decides whether someone may review a booking.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReviewCandidate {
    pub booking_client: Option<i64>,
    pub status: BookingStatus,
    pub already_reviewed: bool,
}

/// Why `person` may not review the booking, checked in this order: someone
/// else's booking, then its status, then an earlier review.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MayNotReview {
    NotTheirs,
    Refused(ReviewRefusal),
}

pub fn may_review(person: i64, booking: ReviewCandidate) -> Result<(), MayNotReview> {
    if booking.booking_client != Some(person) {
        Err(MayNotReview::NotTheirs)
    } else if booking.status != BookingStatus::Completed {
        Err(MayNotReview::Refused(ReviewRefusal::NotCompleted))
    } else if booking.already_reviewed {
        Err(MayNotReview::Refused(ReviewRefusal::AlreadyReviewed))
    } else {
        Ok(())
    }
}

/// How many reviews gave each number of stars: `counts[0]` one star, ...
/// `counts[4]` five.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct StarCounts(pub [u64; 5]);

impl StarCounts {
    /// Adds `count` reviews of `rating` stars; ratings out of range are ignored.
    pub fn add(&mut self, rating: i64, count: u64) {
        if let Some(slot) = usize::try_from(rating - 1).ok().and_then(|i| self.0.get_mut(i)) {
            *slot += count;
        }
    }

    pub fn total(&self) -> u64 {
        self.0.iter().sum()
    }

    /// The mean rating rounded half up to one decimal, in tenths (43 is 4.3),
    /// so it can be shown and compared exactly; `None` without reviews.
    pub fn average_tenths(&self) -> Option<u32> {
        let total = self.total();
        if total == 0 {
            return None;
        }
        let stars: u128 = self.0.iter().zip(1u128..).map(|(&n, stars)| n as u128 * stars).sum();
        // round(10 * stars / total) with integers only: no float drift.
        let tenths = (20 * stars + total as u128) / (2 * total as u128);
        Some(tenths as u32)
    }
}

/// "4.3" (English) or "4,3" (Spanish) from tenths.
pub fn format_tenths(tenths: u32, decimal_comma: bool) -> String {
    let separator = if decimal_comma { ',' } else { '.' };
    format!("{}{separator}{}", tenths / 10, tenths % 10)
}

/// The first word of a person's name: reviews show no more of whoever wrote them.
pub fn first_name(full: &str) -> String {
    full.split_whitespace().next().unwrap_or_default().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn completed_by(client: i64) -> ReviewCandidate {
        ReviewCandidate { booking_client: Some(client), status: BookingStatus::Completed, already_reviewed: false }
    }

    #[test]
    fn ratings_are_one_to_five() {
        for ok in ["1", " 3 ", "5"] {
            assert!(validate_review(ok, "").is_ok(), "{ok}");
        }
        for bad in ["0", "6", "", "-1", "4.5", "cinco", "300"] {
            assert_eq!(validate_review(bad, "").unwrap_err(), FieldError::new(RATING_FIELD, Problem::RatingOutOfRange), "{bad}");
        }
    }

    #[test]
    fn comments_are_trimmed_may_be_empty_and_are_limited() {
        assert_eq!(validate_review("4", "  Muy bien  ").unwrap().comment, "Muy bien");
        assert_eq!(validate_review("4", "   ").unwrap().comment, "");
        assert!(validate_review("4", &"ñ".repeat(TEXT_MAX_CHARS)).is_ok(), "characters, not bytes");
        let long = "a".repeat(TEXT_MAX_CHARS + 1);
        assert_eq!(validate_review("4", &long).unwrap_err(), FieldError::new(COMMENT_FIELD, Problem::ReviewTooLong));
    }

    #[test]
    fn replies_say_something_within_the_limit() {
        assert_eq!(validate_reply(" Gracias ").unwrap(), "Gracias");
        assert_eq!(validate_reply("  ").unwrap_err(), FieldError::new(REPLY_FIELD, Problem::Required));
        let long = "a".repeat(TEXT_MAX_CHARS + 1);
        assert_eq!(validate_reply(&long).unwrap_err(), FieldError::new(REPLY_FIELD, Problem::ReviewTooLong));
    }

    #[test]
    fn only_the_client_of_a_completed_booking_reviews_it_once() {
        assert_eq!(may_review(7, completed_by(7)), Ok(()));
        assert_eq!(may_review(8, completed_by(7)), Err(MayNotReview::NotTheirs));
        assert_eq!(may_review(7, ReviewCandidate { booking_client: None, ..completed_by(7) }), Err(MayNotReview::NotTheirs));
        for status in BookingStatus::ALL.into_iter().filter(|s| *s != BookingStatus::Completed) {
            let booking = ReviewCandidate { status, ..completed_by(7) };
            assert_eq!(may_review(7, booking), Err(MayNotReview::Refused(ReviewRefusal::NotCompleted)), "{status}");
        }
        let reviewed = ReviewCandidate { already_reviewed: true, ..completed_by(7) };
        assert_eq!(may_review(7, reviewed), Err(MayNotReview::Refused(ReviewRefusal::AlreadyReviewed)));
    }

    #[test]
    fn the_average_rounds_half_up_to_one_decimal() {
        assert_eq!(StarCounts::default().average_tenths(), None);
        assert_eq!(StarCounts([0, 0, 0, 0, 1]).average_tenths(), Some(50));
        // (4 + 5) / 2 = 4.5; (4 + 4 + 5) / 3 = 4.333...; (4 + 5 + 5) / 3 = 4.666...
        assert_eq!(StarCounts([0, 0, 0, 1, 1]).average_tenths(), Some(45));
        assert_eq!(StarCounts([0, 0, 0, 2, 1]).average_tenths(), Some(43));
        assert_eq!(StarCounts([0, 0, 0, 1, 2]).average_tenths(), Some(47));
        // 9 stars over 8 reviews = 1.125 -> 1.1; 17 over 4 = 4.25 -> 4.3 (half up).
        assert_eq!(StarCounts([7, 1, 0, 0, 0]).average_tenths(), Some(11));
        assert_eq!(StarCounts([0, 0, 0, 3, 1]).average_tenths(), Some(43));
        assert_eq!(format_tenths(43, true), "4,3");
        assert_eq!(format_tenths(50, false), "5.0");
    }

    #[test]
    fn counts_ignore_ratings_out_of_range() {
        let mut counts = StarCounts::default();
        counts.add(0, 3);
        counts.add(6, 3);
        counts.add(5, 2);
        assert_eq!(counts, StarCounts([0, 0, 0, 0, 2]));
    }

    #[test]
    fn reviewers_show_only_their_first_name() {
        assert_eq!(first_name("  Carla   Cliente López"), "Carla");
        assert_eq!(first_name(""), "");
    }

    proptest! {
        #[test]
        fn the_average_lies_between_the_lowest_and_highest_rating(counts in proptest::array::uniform5(0u64..1_000_000)) {
            let counts = StarCounts(counts);
            match counts.average_tenths() {
                None => prop_assert_eq!(counts.total(), 0),
                Some(tenths) => {
                    let lowest = counts.0.iter().position(|&n| n > 0).unwrap() as u32 + 1;
                    let highest = 5 - counts.0.iter().rev().position(|&n| n > 0).unwrap() as u32;
                    prop_assert!((10..=50).contains(&tenths));
                    prop_assert!(lowest * 10 <= tenths && tenths <= highest * 10);
                }
            }
        }

        #[test]
        fn the_average_is_the_mean_rounded_to_a_tenth(ratings in proptest::collection::vec(1i64..=5, 1..200)) {
            let mut counts = StarCounts::default();
            for &rating in &ratings {
                counts.add(rating, 1);
            }
            let mean = ratings.iter().sum::<i64>() as f64 / ratings.len() as f64;
            let tenths = counts.average_tenths().unwrap() as f64;
            prop_assert!((tenths / 10.0 - mean).abs() <= 0.05 + 1e-9);
        }

        #[test]
        fn accepted_comments_are_trimmed_and_within_the_limit(comment in "\\PC{0,2100}") {
            if let Ok(review) = validate_review("3", &comment) {
                prop_assert_eq!(review.comment.trim(), review.comment.as_str());
                prop_assert!(review.comment.chars().count() <= TEXT_MAX_CHARS);
            }
        }

        #[test]
        fn ratings_are_whole_numbers_from_one_to_five(n in any::<i64>(), padded in any::<bool>()) {
            let text = if padded { format!(" {n} ") } else { n.to_string() };
            let expected = if (1..=5).contains(&n) { Ok(n as u8) } else { Err(FieldError::new(RATING_FIELD, Problem::RatingOutOfRange)) };
            prop_assert_eq!(validate_review(&text, "").map(|r| i64::from(r.rating)), expected.map(i64::from));
        }

        #[test]
        fn any_rating_text_is_read_or_refused_without_panicking(text in "\\PC{0,8}") {
            if let Ok(review) = validate_review(&text, "") {
                prop_assert!((RATING_MIN..=RATING_MAX).contains(&review.rating));
            }
        }

        #[test]
        fn replies_are_refused_only_when_empty_or_too_long(reply in "\\PC{0,2100}") {
            let kept = reply.trim();
            let expected = if kept.is_empty() {
                Err(FieldError::new(REPLY_FIELD, Problem::Required))
            } else if kept.chars().count() > TEXT_MAX_CHARS {
                Err(FieldError::new(REPLY_FIELD, Problem::ReviewTooLong))
            } else {
                Ok(kept.to_string())
            };
            prop_assert_eq!(validate_reply(&reply), expected);
        }

        #[test]
        fn averages_read_back_in_either_notation(tenths in 10u32..=50, comma in any::<bool>()) {
            let text = format_tenths(tenths, comma).replace(',', ".");
            prop_assert_eq!((text.parse::<f64>().unwrap() * 10.0).round() as u32, tenths);
        }
    }
}
