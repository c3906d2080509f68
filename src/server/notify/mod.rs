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
use crate::server::storage::outbox::{self, Channel, DeliveryStatus, OutboxMessage, Rendered};
use crate::server::storage::{bookings, resources, Db, StorageError};
use chrono::{DateTime, Duration, Utc};
use compose::{Audience, Links, MessageEvent, MessageFacts};
use mailer::{Handed, Mailer};
use settings::NotificationsConfig;
use sms::SmsSender;

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
            let batch = outbox::claim(&self.db, now, lease, 20).await?;
            if batch.is_empty() {
                return Ok(round);
            }
            for message in batch {
                self.deliver(&message, now, &mut round).await?;
            }
        }
    }

    async fn deliver(&self, message: &OutboxMessage, now: DateTime<Utc>, round: &mut Round) -> Result<(), StorageError> {
        let outcome = match self.render(message, now).await? {
            Some(words) => self.hand_over(message, &words).await.map(|handed| (handed, words)),
            None => Err(SendError::permanent("the booking no longer exists".into())),
        };
        match outcome {
            Ok((handed, words)) => {
                let status = if handed == Handed::Sent { DeliveryStatus::Sent } else { DeliveryStatus::Kept };
                outbox::mark_delivered(&self.db, message.id, status, &words, now).await?;
                round.delivered += 1;
            }
            Err(e) => {
                let attempts = message.attempts + 1;
                let retry_at = (!e.permanent && attempts < self.config.max_attempts).then(|| {
                    now + policy::retry_delay(Duration::seconds(i64::from(self.config.retry_base_seconds)), attempts)
                });
                tracing::warn!(id = message.id, attempts, error = %e.message, retry = ?retry_at, "message not delivered");
                outbox::mark_attempt_failed(&self.db, message.id, &e.message, retry_at).await?;
                if retry_at.is_some() {
                    round.retrying += 1;
                } else {
                    round.failed += 1;
                }
            }
        }
        Ok(())
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
    async fn render(&self, message: &OutboxMessage, now: DateTime<Utc>) -> Result<Option<Rendered>, StorageError> {
        let Some(facts) = self.facts(message, now).await? else { return Ok(None) };
        Ok(Some(match message.channel {
            Channel::Email => {
                let email = compose::email(&facts);
                Rendered { subject: email.subject, text: email.text, html: email.html, ics: email.ics }
            }
            Channel::Sms => Rendered { text: compose::sms(&facts), ..Rendered::default() },
        }))
    }

    async fn facts(&self, message: &OutboxMessage, now: DateTime<Utc>) -> Result<Option<MessageFacts>, StorageError> {
        let Some(event) = message.event() else { return Ok(None) };
        let Some(booking) = (match message.booking_id {
            Some(id) => bookings::get(&self.db, id).await?,
            None => None,
        }) else {
            return Ok(None);
        };
        let Some(resource) = resources::find(&self.db, booking.resource_id).await? else { return Ok(None) };
        let zone = resource.summary.timezone.parse().unwrap_or(chrono_tz::UTC);
        let links = self.links_for(&booking, event, message.audience, now);
        Ok(Some(MessageFacts {
            event,
            audience: message.audience,
            lang: message.lang,
            booking_id: booking.id,
            resource_name: resource.summary.name,
            resource_kind: resource.summary.kind,
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
        }))
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
