//! Notifications. Booking changes write their messages into the outbox in
//! their own transaction (storage::outbox); the worker here renders each due
//! message with the booking as it is now and hands it to SMTP or the SMS
//! provider, retrying with backoff. Nothing is sent from a request handler.

pub mod compose;
pub mod ics;
pub mod mailer;
pub mod policy;
pub mod settings;
pub mod sms;

use crate::server::links::{LinkAction, LinkSigner};
use crate::domain::booking::Booking;
use crate::domain::resource::ResourceSummary;
use crate::server::storage::outbox::{self, Channel, Delivered, DeliveryStatus, OutboxMessage, Rendered};
use crate::server::storage::{bookings, resources, Db, StorageError};
use chrono::{DateTime, Duration, Utc};
use compose::{Audience, Links, MessageEvent, MessageFacts};
use mailer::{Handed, Mailer};
use settings::NotificationsConfig;
use sms::SmsSender;
use std::collections::{BTreeSet, HashMap};

/// A delivery that did not happen. Permanent ones are not retried.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct SendError {
    pub message: String,
    pub permanent: bool,
}

impl SendError {
    pub fn permanent(message: String) -> SendError {
        SendError { message, permanent: true }
    }
}

/// Everything the delivery worker needs.
#[derive(Clone)]
pub struct Notifier {
    pub db: Db,
    pub mailer: Mailer,
    pub sms: SmsSender,
    pub links: LinkSigner,
    pub config: NotificationsConfig,
    pub public_url: String,
    pub link_valid_days: i64,
}

/// How many messages a worker claims at a time.
const CLAIM_SIZE: i64 = 50;

/// The bookings and resources a batch of messages is about.
struct Known {
    bookings: HashMap<i64, Booking>,
    resources: HashMap<i64, ResourceSummary>,
}

/// What one round of delivery did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Round {
    pub delivered: usize,
    pub retrying: usize,
    pub failed: usize,
}

impl Notifier {
    /// The worker of an app; its configuration was checked at load.
    pub fn new(state: &crate::server::state::AppState) -> Notifier {
        let config = &state.config;
        Notifier {
            db: state.db.clone(),
            mailer: Mailer::from_config(&config.mail).expect("mail settings are checked at load"),
            sms: SmsSender::from_config(&config.sms).expect("sms settings are checked at load"),
            links: state.links.clone(),
            config: config.notifications.clone(),
            public_url: config.server.public_url.clone(),
            link_valid_days: i64::from(config.auth.link_valid_days),
        }
    }

    /// Writes the reminders due by `now`, then delivers every due message.
    pub async fn run_due(&self, now: DateTime<Utc>) -> Result<Round, StorageError> {
        let offsets: Vec<Duration> =
            self.config.reminder_offsets_minutes.iter().map(|m| Duration::minutes(i64::from(*m))).collect();
        outbox::write_due_reminders(&self.db, &offsets, now).await?;
        let mut round = Round::default();
        loop {
            let lease = Duration::seconds(i64::from(self.config.claim_seconds));
            let batch = outbox::claim(&self.db, now, lease, CLAIM_SIZE).await?;
            if batch.is_empty() {
                return Ok(round);
            }
            self.deliver_all(&batch, now, &mut round).await?;
        }
    }

    /// Renders the claimed messages and hands each over. A message that left
    /// this process is recorded at once, so a worker that dies sends again at
    /// most the one it was sending; the kept ones are recorded together.
    async fn deliver_all(&self, batch: &[OutboxMessage], now: DateTime<Utc>, round: &mut Round) -> Result<(), StorageError> {
        let known = self.known_for(batch).await?;
        let mut kept = Vec::new();
        for message in batch {
            let outcome = match self.render(message, &known, now) {
                Some(words) => self.hand_over(message, &words).await.map(|handed| (handed, words)),
                None => Err(SendError::permanent("the booking no longer exists".into())),
            };
            match outcome {
                Ok((Handed::Kept, words)) => kept.push((message.id, words)),
                Ok((Handed::Sent, words)) => {
                    let sent = Delivered { id: message.id, status: DeliveryStatus::Sent, words: &words };
                    outbox::mark_delivered(&self.db, &[sent], now).await?;
                }
                Err(e) => {
                    self.record_failure(message, &e, now, round).await?;
                    continue;
                }
            }
            round.delivered += 1;
        }
        let kept = kept.iter().map(|(id, words)| Delivered { id: *id, status: DeliveryStatus::Kept, words }).collect::<Vec<_>>();
        outbox::mark_delivered(&self.db, &kept, now).await
    }

    async fn record_failure(&self, message: &OutboxMessage, e: &SendError, now: DateTime<Utc>, round: &mut Round) -> Result<(), StorageError> {
        let attempts = message.attempts + 1;
        let retry_at = (!e.permanent && attempts < self.config.max_attempts)
            .then(|| now + policy::retry_delay(Duration::seconds(i64::from(self.config.retry_base_seconds)), attempts));
        tracing::warn!(id = message.id, attempts, error = %e.message, retry = ?retry_at, "message not delivered");
        outbox::mark_attempt_failed(&self.db, message.id, &e.message, retry_at).await?;
        if retry_at.is_some() {
            round.retrying += 1;
        } else {
            round.failed += 1;
        }
        Ok(())
    }

    /// The bookings and resources the messages are about, as they are now.
    async fn known_for(&self, batch: &[OutboxMessage]) -> Result<Known, StorageError> {
        let booking_ids = batch.iter().filter_map(|m| m.booking_id).collect::<BTreeSet<_>>();
        let bookings = bookings::get_many(&self.db, &Vec::from_iter(booking_ids)).await?;
        let resource_ids = bookings.values().map(|b| b.resource_id).collect::<BTreeSet<_>>();
        let resources = resources::summaries(&self.db, &Vec::from_iter(resource_ids)).await?;
        Ok(Known { bookings, resources })
    }

    async fn hand_over(&self, message: &OutboxMessage, words: &Rendered) -> Result<Handed, SendError> {
        match message.channel {
            Channel::Email => {
                let email = compose::Email {
                    subject: words.subject.clone(),
                    text: words.text.clone(),
                    html: words.html.clone(),
                    ics: words.ics.clone(),
                };
                self.mailer.send(&message.recipient, &email).await
            }
            Channel::Sms => self.sms.send(&message.recipient, &words.text).await,
        }
    }

    /// The message's words, from the booking as it is now; `None` when the
    /// booking is gone.
    fn render(&self, message: &OutboxMessage, known: &Known, now: DateTime<Utc>) -> Option<Rendered> {
        let facts = self.facts(message, known, now)?;
        Some(match message.channel {
            Channel::Email => {
                let email = compose::email(&facts);
                Rendered { subject: email.subject, text: email.text, html: email.html, ics: email.ics }
            }
            Channel::Sms => Rendered { text: compose::sms(&facts), ..Rendered::default() },
        })
    }

    fn facts(&self, message: &OutboxMessage, known: &Known, now: DateTime<Utc>) -> Option<MessageFacts> {
        let event = message.event()?;
        let booking = known.bookings.get(&message.booking_id?)?.clone();
        let resource = known.resources.get(&booking.resource_id)?;
        let zone = resource.timezone.parse().unwrap_or(chrono_tz::UTC);
        let links = self.links_for(&booking, event, message.audience, now);
        Some(MessageFacts {
            event,
            audience: message.audience,
            lang: message.lang,
            booking_id: booking.id,
            resource_name: resource.name.clone(),
            resource_kind: resource.kind.clone(),
            zone,
            start: booking.start,
            end: booking.end,
            previous_start: message.data.previous_start.map(crate::server::storage::calendar::from_unix),
            timed_at: booking.timed_at,
            guest_name: booking.guest_name,
            guest_email: booking.guest_email,
            guest_phone: booking.guest_phone,
            party_size: booking.party_size,
            notes: booking.notes,
            price_minor: booking.price_minor,
            currency: booking.currency,
            reason: message.data.reason.clone(),
            links,
            public_url: self.public_url.clone(),
        })
    }

    /// Clients get links that work without logging in while the booking is
    /// still ahead: confirm attendance, cancel, choose another time.
    fn links_for(&self, booking: &crate::domain::booking::Booking, event: MessageEvent, audience: Audience, now: DateTime<Utc>) -> Links {
        let base = self.public_url.trim_end_matches('/');
        let mut links = Links { view: format!("{base}/panel"), ..Links::default() };
        let open = matches!(
            booking.status,
            crate::domain::booking::BookingStatus::Pending | crate::domain::booking::BookingStatus::Confirmed
        );
        if audience != Audience::Client || !open || booking.start <= now {
            return links;
        }
        let expires = booking.start.min(now + Duration::days(self.link_valid_days));
        let url = |action| Some(self.links.url(base, booking.id, action, expires));
        if matches!(event, MessageEvent::Confirmed | MessageEvent::Reminder | MessageEvent::Rescheduled)
            && booking.status == crate::domain::booking::BookingStatus::Confirmed
        {
            links.confirm_attendance = url(LinkAction::ConfirmAttendance);
        }
        links.cancel = url(LinkAction::Cancel);
        links.reschedule = url(LinkAction::Reschedule);
        links
    }

    /// Runs `run_due` every `poll_seconds` until the task is aborted.
    pub fn spawn(self) -> tokio::task::JoinHandle<()> {
        tokio::spawn(async move {
            let mut ticks = tokio::time::interval(std::time::Duration::from_secs(self.config.poll_seconds.max(1)));
            ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            loop {
                ticks.tick().await;
                if let Err(e) = self.run_due(crate::server::clock::now()).await {
                    tracing::error!(error = %e, "delivering notifications failed");
                }
            }
        })
    }
}
