//! Reviews on pages: the stars, a resource's reviews with their average, the
//! client's review form and the manager's reply form. Every form works
//! without JavaScript too; texts are rendered as text (escaped), never as HTML.

use crate::app::{json_resource, Json};
use crate::components::error_notice::ErrorNotice;
use crate::domain::account::Problem;
use crate::domain::review::{COMMENT_FIELD, RATING_FIELD, RATING_MAX, RATING_MIN, REPLY_FIELD, TEXT_MAX_CHARS};
use crate::i18n::{problem_text, rating_summary, stars_text, t, use_lang, Key};
use crate::error::AppError;
use crate::server_fns::reviews::{resource_reviews, reviews_to_reply, LeaveReview, ReplyReview, ReviewCard, ReviewList, REVIEWS_STEP};
use leptos::either::{Either, EitherOf3};
use leptos::prelude::*;

const BUTTON: &str = crate::components::styles::PRIMARY_BUTTON;
const INPUT: &str = crate::components::styles::TEXT_INPUT;

/// "★★★★☆", read out as "4 estrellas".
#[component]
pub fn Stars(rating: u8) -> impl IntoView {
    let lang = use_lang();
    let shown: String = (RATING_MIN..=RATING_MAX).map(|n| if n <= rating { '★' } else { '☆' }).collect();
    view! {
        <span role="img" aria-label=stars_text(lang, rating) data-rating=rating class="tracking-tight text-amber-500">{shown}</span>
    }
}

pub type ReviewsResource = Resource<Result<ReviewList, AppError>, Json>;

/// The reviews of the resource `slug` names, the first N when the page's
/// URL has `?resenas=N`. The page makes it, outside the Suspense that shows
/// the profile: a resource made inside is made, and fetched, again whenever
/// the server re-walks that Suspense's children (some 1 render in 100 under load).
pub fn reviews_resource(slug: impl Fn() -> String + Send + Sync + 'static) -> ReviewsResource {
    let query = leptos_router::hooks::use_query_map();
    let shown = move || query.read().get("resenas").and_then(|n| n.parse::<u32>().ok());
    json_resource(move || (slug(), shown()), |(slug, shown)| resource_reviews(slug, shown))
}

/// A resource's reviews (`list`, from [`reviews_resource`]), newest first,
/// under their average; "more" is a plain link to `?resenas=N`.
#[component]
pub fn ResourceReviewList(slug: String, list: ReviewsResource) -> impl IntoView {
    let lang = use_lang();
    view! {
        <section id="resenas" class="space-y-3" data-testid="profile-reviews" aria-labelledby="reviews-heading">
            <h2 id="reviews-heading" class="text-xl font-semibold text-slate-900">{t(lang, Key::ReviewsTitle)}</h2>
            <Transition fallback=move || view! { <p>{t(lang, Key::Loading)}</p> }>
                {
                    let slug = slug.clone();
                    move || {
                        let slug = slug.clone();
                        Suspend::new(async move {
                            match list.await {
                                Ok(found) => {
                                    let more_href = format!("/r/{slug}?resenas={}#resenas", found.reviews.len() as u32 + REVIEWS_STEP);
                                    Either::Left(view! {
                                        {match found.average_tenths {
                                            Some(tenths) => Either::Left(view! {
                                                <p class="text-slate-800" data-testid="rating-average" data-average-tenths=tenths data-count=found.count>
                                                    <span class="sr-only">{t(lang, Key::AverageRating)}": "</span>
                                                    <span aria-hidden="true" class="text-amber-500">"★ "</span>
                                                    {rating_summary(lang, tenths, found.count)}
                                                </p>
                                            }),
                                            None => Either::Right(view! { <p class="text-sm text-slate-600" data-testid="no-reviews">{t(lang, Key::NoReviewsYet)}</p> }),
                                        }}
                                        <ul class="space-y-3">
                                            {found.reviews.into_iter().map(|review| view! { <li><ReviewItem review/></li> }).collect_view()}
                                        </ul>
                                        {found.more.then(|| view! {
                                            <a href=more_href data-testid="more-reviews" class="inline-block font-semibold text-indigo-700 underline">
                                                {t(lang, Key::MoreReviews)}
                                            </a>
                                        })}
                                    })
                                }
                                Err(error) => Either::Right(view! { <ErrorNotice error/> }),
                            }
                        })
                    }
                }
            </Transition>
        </section>
    }
}

/// One review: stars, who and when, the comment and the manager's reply.
#[component]
pub fn ReviewItem(review: ReviewCard) -> impl IntoView {
    let lang = use_lang();
    view! {
        <article class="space-y-2 rounded-xl border border-slate-200 bg-white p-4 text-sm" data-testid="review" data-review-id=review.id>
            <p class="flex flex-wrap items-center gap-2 text-slate-600">
                <Stars rating=review.rating/>
                <span class="font-semibold text-slate-900" data-testid="reviewer">{review.reviewer}</span>
                <span>"· "{review.date}</span>
            </p>
            {(!review.comment.is_empty()).then(|| view! {
                <p class="whitespace-pre-line text-slate-800" data-testid="review-comment">{review.comment}</p>
            })}
            {review.reply.map(|reply| view! {
                <div class="rounded-md border-l-4 border-indigo-200 bg-slate-50 px-3 py-2" data-testid="review-reply">
                    <p class="font-semibold text-slate-700">{t(lang, Key::ManagerReply)}</p>
                    <p class="whitespace-pre-line text-slate-800">{reply}</p>
                </div>
            })}
        </article>
    }
}

/// A labelled textarea limited to the review text length, its error under it.
#[component]
fn ReviewText(label: Key, name: &'static str, id: String, #[prop(into)] problem: Signal<Option<Problem>>) -> impl IntoView {
    let lang = use_lang();
    let error_id = format!("{id}-error");
    let described_by = {
        let error_id = error_id.clone();
        move || problem.get().map(|_| error_id.clone())
    };
    view! {
        <div class="space-y-1">
            <label for=id.clone() class="block font-medium text-slate-700">{t(lang, label)}</label>
            <textarea id=id name=name rows="3" maxlength=TEXT_MAX_CHARS class=INPUT
                aria-invalid=move || problem.get().is_some().to_string()
                aria-describedby=described_by></textarea>
            {move || problem.get().map(|p| view! {
                <p id=error_id.clone() role="alert" class="text-rose-700">{problem_text(lang, p)}</p>
            })}
        </div>
    }
}

/// "Valorar": 1 to 5 stars and an optional comment for a completed booking.
/// `changed` is bumped once the review is stored, so the list reloads.
#[component]
pub fn ReviewForm(booking_id: i64, changed: RwSignal<u32>) -> impl IntoView {
    let lang = use_lang();
    let act = ServerAction::<LeaveReview>::new();
    Effect::new(move |_| {
        if matches!(act.value().get(), Some(Ok(_))) {
            changed.update(|n| *n += 1);
        }
    });
    let error = move || act.value().get().and_then(Result::err);
    let rating_problem = Signal::derive(move || error().and_then(|e| e.field_problem(RATING_FIELD)));
    let comment_problem = Signal::derive(move || error().and_then(|e| e.field_problem(COMMENT_FIELD)));
    let prefix = format!("review-{booking_id}");
    let rating_error_id = format!("{prefix}-rating-error");
    let described_by = {
        let rating_error_id = rating_error_id.clone();
        move || rating_problem.get().map(|_| rating_error_id.clone())
    };
    view! {
        <details class="text-sm" data-testid="review-details" open=move || error().is_some()>
            <summary class=format!("inline-block cursor-pointer {BUTTON}")>{t(lang, Key::RateBooking)}</summary>
            <ActionForm action=act attr:class="mt-3 space-y-3" attr:data-testid="review-form">
                <input type="hidden" name="booking_id" value=booking_id/>
                <fieldset class="space-y-1" aria-invalid=move || rating_problem.get().is_some().to_string() aria-describedby=described_by>
                    <legend class="font-medium text-slate-700">{t(lang, Key::RatingLabel)}</legend>
                    <div class="flex flex-wrap gap-3">
                        {(RATING_MIN..=RATING_MAX).map(|n| view! {
                            <label class="inline-flex items-center gap-1">
                                <input type="radio" name="rating" value=n.to_string()/>
                                <Stars rating=n/>
                            </label>
                        }).collect_view()}
                    </div>
                    {move || rating_problem.get().map(|p| view! {
                        <p id=rating_error_id.clone() role="alert" class="text-rose-700">{problem_text(lang, p)}</p>
                    })}
                </fieldset>
                <ReviewText label=Key::ReviewCommentOptional name="comment" id=format!("{prefix}-comment") problem=comment_problem/>
                {move || error().filter(|e| e.field().is_none()).map(|error| view! { <ErrorNotice error/> })}
                <button type="submit" disabled=move || act.pending().get() class=BUTTON>{t(lang, Key::SendReview)}</button>
            </ActionForm>
        </details>
    }
}

/// The manager's one reply to a review. `replied` is bumped once it is stored.
#[component]
pub fn ReplyForm(review_id: i64, replied: WriteSignal<u32>) -> impl IntoView {
    let lang = use_lang();
    let act = ServerAction::<ReplyReview>::new();
    Effect::new(move |_| {
        if matches!(act.value().get(), Some(Ok(_))) {
            replied.update(|n| *n += 1);
        }
    });
    let error = move || act.value().get().and_then(Result::err);
    let reply_problem = Signal::derive(move || error().and_then(|e| e.field_problem(REPLY_FIELD)));
    view! {
        <ActionForm action=act attr:class="space-y-2" attr:data-testid="reply-form">
            <input type="hidden" name="review_id" value=review_id/>
            <ReviewText label=Key::ReplyLabel name="reply" id=format!("reply-{review_id}") problem=reply_problem/>
            {move || error().filter(|e| e.field().is_none()).map(|error| view! { <ErrorNotice error/> })}
            <button type="submit" disabled=move || act.pending().get() class=BUTTON>{t(lang, Key::SendReply)}</button>
        </ActionForm>
    }
}

/// The manager's dashboard section: reviews of their resources with no reply
/// yet, each with its reply form; a replied review leaves the list.
#[component]
pub fn ReviewsToReplySection() -> impl IntoView {
    let lang = use_lang();
    let (replied, set_replied) = signal(0u32);
    let waiting = json_resource(move || replied.get(), |_| reviews_to_reply());
    view! {
        <section class="space-y-3" data-testid="reviews-to-reply" aria-labelledby="reviews-to-reply-heading">
            <h2 id="reviews-to-reply-heading" class="text-xl font-semibold text-slate-800">{t(lang, Key::ReviewsToReply)}</h2>
            <Transition fallback=move || view! { <p>{t(lang, Key::Loading)}</p> }>
                {move || Suspend::new(async move {
                    match waiting.await {
                        Ok(list) if list.is_empty() => EitherOf3::A(view! { <p class="text-slate-600">{t(lang, Key::NoReviewsToReply)}</p> }),
                        Ok(list) => EitherOf3::B(view! {
                            <ul class="space-y-4">
                                {list.into_iter().map(|waiting| {
                                    let review_id = waiting.review.id;
                                    view! {
                                        <li class="space-y-2" data-testid="review-to-reply" data-review-id=review_id>
                                            <p class="font-semibold text-slate-900">{waiting.resource_name}</p>
                                            <ReviewItem review=waiting.review/>
                                            <ReplyForm review_id replied=set_replied/>
                                        </li>
                                    }
                                }).collect_view()}
                            </ul>
                        }),
                        Err(error) => EitherOf3::C(view! { <ErrorNotice error/> }),
                    }
                })}
            </Transition>
        </section>
    }
}
