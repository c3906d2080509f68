//! Reviews: a client rates their completed booking (once), a manager of the
//! resource or an administrator replies (once), and everyone reads a
//! resource's reviews with their average.

use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// Reviews a profile shows at first; "more" adds as many again.
pub const REVIEWS_STEP: u32 = 20;
/// The most a profile lists at once.
pub const REVIEWS_MAX: u32 = 500;
/// The most unanswered reviews the manager's dashboard lists.
pub const TO_REPLY_LIMIT: i64 = 50;

/// One review as pages show it: the reviewer's first name only, dates in
/// the resource's zone. Its texts are plain text (pages escape them).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReviewCard {
    pub id: i64,
    pub rating: u8,
    pub comment: String,
    pub reviewer: String,
    /// e.g. "viernes 21 de noviembre de 2025".
    pub date: String,
    pub reply: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReviewList {
    pub count: u64,
    /// The mean rating in tenths (43 is 4.3); none without reviews.
    pub average_tenths: Option<u32>,
    /// Newest first.
    pub reviews: Vec<ReviewCard>,
    /// Whether older reviews were left out.
    pub more: bool,
}

/// A review waiting for the manager's reply.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReviewToReply {
    pub resource_name: String,
    pub review: ReviewCard,
}

/// Whether the client may review a booking of theirs now.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReviewNow {
    /// Not (yet) completed.
    Unavailable,
    Open,
    Given { rating: u8, comment: String },
}

/// The caller's review of their own completed booking: `rating` 1 to 5 (as
/// the form's radio sends it), `comment` optional. 403 for someone else's
/// booking, 409 when it is not completed or already reviewed, 422 for the
/// field at fault.
#[server(prefix = "/fn", endpoint = "leave-review")]
pub async fn leave_review(
    booking_id: i64,
    #[server(default)] rating: String,
    #[server(default)] comment: String,
) -> Result<i64, AppError> {
    use crate::server::{auth, fn_context};
    fn_context::respond(
        async {
            let request = fn_context::auth();
            let user = auth::require_user(&request)?;
            let db = fn_context::state()?.db;
            ssr::leave(&db, user.id, booking_id, &rating, &comment, crate::server::clock::now()).await
        }
        .await,
    )
}

/// A reply to a review, by a manager of its resource or an administrator;
/// 409 when it already has one.
#[server(prefix = "/fn", endpoint = "reply-review")]
pub async fn reply_review(review_id: i64, #[server(default)] reply: String) -> Result<i64, AppError> {
    use crate::server::{auth, fn_context};
    fn_context::respond(
        async {
            let request = fn_context::auth();
            let user = auth::require_user(&request)?;
            let db = fn_context::state()?.db;
            ssr::reply(&db, user, review_id, &reply, crate::server::clock::now()).await
        }
        .await,
    )
}

/// A resource's reviews, newest first, the first `shown` of them (20 when
/// not given), with the average of all. Public.
#[server(prefix = "/fn", endpoint = "resource-reviews")]
pub async fn resource_reviews(slug: String, shown: Option<u32>) -> Result<ReviewList, AppError> {
    use crate::server::fn_context;
    fn_context::respond(
        async {
            let db = fn_context::state()?.db;
            let resource = crate::server::storage::catalog::offered(&db, &slug).await?.ok_or(AppError::NotFound)?;
            ssr::of_resource(&db, &resource.detail.summary, shown, crate::i18n::request_lang()).await
        }
        .await,
    )
}

/// Reviews of the caller's resources that have no reply yet.
#[server(prefix = "/fn", endpoint = "reviews-to-reply")]
pub async fn reviews_to_reply() -> Result<Vec<ReviewToReply>, AppError> {
    use crate::domain::account::Role;
    use crate::server::{auth, fn_context};
    fn_context::respond(
        async {
            let request = fn_context::auth();
            let user = auth::require_role(&request, &[Role::Manager, Role::Admin])?;
            let db = fn_context::state()?.db;
            ssr::to_reply(&db, user.id, crate::i18n::request_lang()).await
        }
        .await,
    )
}

#[cfg(feature = "ssr")]
pub(crate) mod ssr {
    use super::{ReviewList, ReviewCard, ReviewNow, ReviewToReply, REVIEWS_MAX, REVIEWS_STEP, TO_REPLY_LIMIT};
    use crate::domain::account::Lang;
    use crate::domain::booking::{Booking, BookingError};
    use crate::domain::review::{
        first_name, may_review, validate_reply, validate_review, MayNotReview, ReviewCandidate, ReviewRefusal,
    };
    use crate::domain::resource::ResourceSummary;
    use crate::error::AppError;
    use crate::i18n::long_date;
    use crate::server::photos;
    use crate::server::storage::reviews::{self, Review};
    use crate::server::storage::users::User;
    use crate::server::storage::{bookings, resources, Db, StorageError};
    use chrono::{DateTime, Utc};
    use chrono_tz::Tz;
    use std::collections::HashMap;

    pub async fn leave(db: &Db, user_id: i64, booking_id: i64, rating: &str, comment: &str, now: DateTime<Utc>) -> Result<i64, AppError> {
        let booking = bookings::get(db, booking_id).await?.ok_or(AppError::Booking(BookingError::UnknownBooking))?;
        let already_reviewed = reviews::for_booking(db, booking_id).await?.is_some();
        let candidate = ReviewCandidate { booking_client: booking.client_id, status: booking.status, already_reviewed };
        may_review(user_id, candidate).map_err(|refusal| match refusal {
            MayNotReview::NotTheirs => AppError::Forbidden,
            MayNotReview::Refused(refusal) => AppError::Review(refusal),
        })?;
        let review = validate_review(rating, comment)?;
        reviews::create(db, booking.id, booking.resource_id, user_id, &review, now).await.map_err(|e| match e {
            // Another request reviewed it in the meantime.
            StorageError::Duplicate(reviews::DUPLICATE) => AppError::Review(ReviewRefusal::AlreadyReviewed),
            other => other.into(),
        })
    }

    pub async fn reply(db: &Db, user: &User, review_id: i64, text: &str, now: DateTime<Utc>) -> Result<i64, AppError> {
        let review = reviews::get(db, review_id).await?.ok_or(AppError::NotFound)?;
        photos::may_change(db, user, review.resource_id).await?;
        let text = validate_reply(text)?;
        if !reviews::reply(db, review_id, &text, user.id, now).await? {
            return Err(AppError::Review(ReviewRefusal::AlreadyReplied));
        }
        Ok(review_id)
    }

    async fn zone_of(db: &Db, resource_id: i64) -> Result<(String, Tz), AppError> {
        let resource = resources::find(db, resource_id).await?.ok_or(AppError::NotFound)?;
        Ok((resource.summary.name.clone(), zone_in(&resource.summary)))
    }

    fn zone_in(resource: &ResourceSummary) -> Tz {
        crate::domain::time::parse_zone(&resource.timezone).unwrap_or(Tz::UTC)
    }

    fn card(review: Review, zone: Tz, lang: Lang) -> ReviewCard {
        ReviewCard {
            id: review.id,
            rating: review.rating,
            comment: review.comment,
            reviewer: first_name(&review.reviewer_name),
            date: long_date(lang, review.created_at.with_timezone(&zone).date_naive()),
            reply: review.reply,
        }
    }

    /// The first `shown` reviews of a resource (a step when not given).
    pub async fn of_resource(db: &Db, resource: &ResourceSummary, shown: Option<u32>, lang: Lang) -> Result<ReviewList, AppError> {
        let (resource_id, zone) = (resource.id, zone_in(resource));
        let shown = shown.unwrap_or(REVIEWS_STEP).clamp(1, REVIEWS_MAX);
        let (counts, listed) = reviews::page_for_resource(db, resource_id, 0, i64::from(shown)).await?;
        Ok(ReviewList {
            count: counts.total(),
            average_tenths: counts.average_tenths(),
            more: counts.total() > listed.len() as u64,
            reviews: listed.into_iter().map(|r| card(r, zone, lang)).collect(),
        })
    }

    pub async fn to_reply(db: &Db, manager_id: i64, lang: Lang) -> Result<Vec<ReviewToReply>, AppError> {
        let mut known: HashMap<i64, (String, Tz)> = HashMap::new();
        let mut out = Vec::new();
        for review in reviews::unreplied_for_manager(db, manager_id, TO_REPLY_LIMIT).await? {
            if !known.contains_key(&review.resource_id) {
                known.insert(review.resource_id, zone_of(db, review.resource_id).await?);
            }
            let (resource_name, zone) = known[&review.resource_id].clone();
            out.push(ReviewToReply { resource_name, review: card(review, zone, lang) });
        }
        Ok(out)
    }

    /// The caller's reviews by booking, to tell on each booking whether it may be reviewed.
    pub async fn given_by(db: &Db, client_id: i64) -> Result<HashMap<i64, Review>, AppError> {
        Ok(reviews::by_client(db, client_id).await?.into_iter().map(|r| (r.booking_id, r)).collect())
    }

    pub fn review_now(client_id: i64, booking: &Booking, given: Option<&Review>) -> ReviewNow {
        if let Some(review) = given {
            return ReviewNow::Given { rating: review.rating, comment: review.comment.clone() };
        }
        let candidate = ReviewCandidate { booking_client: booking.client_id, status: booking.status, already_reviewed: false };
        match may_review(client_id, candidate) {
            Ok(()) => ReviewNow::Open,
            Err(_) => ReviewNow::Unavailable,
        }
    }
}
