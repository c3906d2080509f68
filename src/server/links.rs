//! Signed, expiring links for booking emails: confirm attendance, cancel,
//! reschedule, without logging in. A token carries the booking id, the action
//! and the expiry, and an HMAC-SHA256 over them with the app's link secret,
//! all in URL-safe base64; nothing about it is stored.

use super::config::AuthConfig;
use super::storage::{secrets, Db, StorageError};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use chrono::{DateTime, Utc};
use hmac::{Hmac, Mac};
use sha2::Sha256;
use std::sync::Arc;

pub use crate::domain::link::LinkAction;

/// The name of the generated secret in `app_secrets`, used when
/// `auth.link_secret` is empty.
pub const SECRET_NAME: &str = "link_signing_key";

const VERSION: u8 = 1;
/// version (1) + booking id (8) + action (1) + expiry (8).
const PAYLOAD_LEN: usize = 18;
const MAC_LEN: usize = 32;
/// Keeps these MACs apart from any other use of the same key.
const CONTEXT: &[u8] = b"reservo booking link\0";

type HmacSha256 = Hmac<Sha256>;

/// What a valid token grants.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LinkClaim {
    pub booking_id: i64,
    pub action: LinkAction,
    pub expires: DateTime<Utc>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum LinkError {
    /// Not a token this app signed: garbled, cut short, changed, or signed
    /// with another secret.
    #[error("the link is not valid")]
    Tampered,
    #[error("the link has expired")]
    Expired,
}

#[derive(Clone)]
pub struct LinkSigner {
    key: Arc<[u8]>,
}

impl std::fmt::Debug for LinkSigner {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("LinkSigner { .. }")
    }
}

impl LinkSigner {
    pub fn new(secret: &[u8]) -> LinkSigner {
        LinkSigner { key: Arc::from(secret) }
    }

    fn mac(&self) -> HmacSha256 {
        let mut mac = HmacSha256::new_from_slice(&self.key).expect("HMAC takes a key of any length");
        mac.update(CONTEXT);
        mac
    }

    /// A URL-safe token for `action` on the booking, valid until `expires`.
    pub fn sign(&self, booking_id: i64, action: LinkAction, expires: DateTime<Utc>) -> String {
        let mut bytes = Vec::with_capacity(PAYLOAD_LEN + MAC_LEN);
        bytes.push(VERSION);
        bytes.extend_from_slice(&booking_id.to_be_bytes());
        bytes.push(action.code());
        bytes.extend_from_slice(&expires.timestamp().to_be_bytes());
        let mut mac = self.mac();
        mac.update(&bytes);
        bytes.extend_from_slice(&mac.finalize().into_bytes());
        URL_SAFE_NO_PAD.encode(bytes)
    }

    /// The claim of a token this signer made, if it has not expired at `now`.
    /// The signature is checked (in constant time) before anything else is read.
    pub fn verify(&self, token: &str, now: DateTime<Utc>) -> Result<LinkClaim, LinkError> {
        let bytes = URL_SAFE_NO_PAD.decode(token.trim()).map_err(|_| LinkError::Tampered)?;
        if bytes.len() != PAYLOAD_LEN + MAC_LEN {
            return Err(LinkError::Tampered);
        }
        let (payload, signature) = bytes.split_at(PAYLOAD_LEN);
        let mut mac = self.mac();
        mac.update(payload);
        mac.verify_slice(signature).map_err(|_| LinkError::Tampered)?;
        if payload[0] != VERSION {
            return Err(LinkError::Tampered);
        }
        let number = |range: std::ops::Range<usize>| i64::from_be_bytes(payload[range].try_into().expect("8 bytes"));
        let action = LinkAction::from_code(payload[9]).ok_or(LinkError::Tampered)?;
        let expires = DateTime::from_timestamp(number(10..18), 0).ok_or(LinkError::Tampered)?;
        if now >= expires {
            return Err(LinkError::Expired);
        }
        Ok(LinkClaim { booking_id: number(1..9), action, expires })
    }

    /// The page for the link: "{public_url}/enlace/{token}".
    pub fn url(&self, public_url: &str, booking_id: i64, action: LinkAction, expires: DateTime<Utc>) -> String {
        format!("{}/enlace/{}", public_url.trim_end_matches('/'), self.sign(booking_id, action, expires))
    }
}

/// The signer the app uses: `auth.link_secret` when set, else the secret
/// generated once and kept in the database (shared by every instance).
pub async fn load_signer(auth: &AuthConfig, db: &Db) -> Result<LinkSigner, StorageError> {
    if !auth.link_secret.is_empty() {
        return Ok(LinkSigner::new(auth.link_secret.as_bytes()));
    }
    Ok(LinkSigner::new(&secrets::get_or_create(db, SECRET_NAME).await?))
}

/// When a link sent at `now` stops working, per `auth.link_valid_days`.
pub fn expiry_from(auth: &AuthConfig, now: DateTime<Utc>) -> DateTime<Utc> {
    now + chrono::Duration::days(i64::from(auth.link_valid_days))
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Duration;

    fn now() -> DateTime<Utc> {
        DateTime::parse_from_rfc3339("2026-03-01T12:00:00Z").unwrap().with_timezone(&Utc)
    }

    fn signer() -> LinkSigner {
        LinkSigner::new(b"0123456789abcdef0123456789abcdef")
    }

    #[test]
    fn a_signed_token_round_trips() {
        let expires = now() + Duration::days(30);
        for action in LinkAction::ALL {
            for id in [1, 42, i64::MAX] {
                let token = signer().sign(id, action, expires);
                assert!(token.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'), "{token}");
                assert_eq!(signer().verify(&token, now()), Ok(LinkClaim { booking_id: id, action, expires }));
            }
        }
    }

    #[test]
    fn any_changed_character_is_tampering() {
        let token = signer().sign(7, LinkAction::Cancel, now() + Duration::days(1));
        let alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        for (i, original) in token.char_indices() {
            for replacement in alphabet.chars().chain(['.', '=', '%']).filter(|c| *c != original) {
                let mut changed = token.clone();
                changed.replace_range(i..i + 1, &replacement.to_string());
                assert_eq!(signer().verify(&changed, now()), Err(LinkError::Tampered), "position {i}: {changed}");
            }
        }
        assert_eq!(signer().verify(&token[..token.len() - 1], now()), Err(LinkError::Tampered));
        assert_eq!(signer().verify(&format!("{token}A"), now()), Err(LinkError::Tampered));
    }

    #[test]
    fn a_token_of_another_secret_is_tampering() {
        let other = LinkSigner::new(b"another secret, just as long as the first");
        let token = other.sign(7, LinkAction::ConfirmAttendance, now() + Duration::days(1));
        assert_eq!(signer().verify(&token, now()), Err(LinkError::Tampered));
        assert!(other.verify(&token, now()).is_ok());
    }

    #[test]
    fn an_expired_token_says_so() {
        let expires = now() + Duration::hours(1);
        let token = signer().sign(7, LinkAction::Reschedule, expires);
        assert!(signer().verify(&token, expires - Duration::seconds(1)).is_ok());
        assert_eq!(signer().verify(&token, expires), Err(LinkError::Expired));
        assert_eq!(signer().verify(&token, expires + Duration::days(400)), Err(LinkError::Expired));
    }

    #[test]
    fn garbage_is_tampering() {
        for garbage in ["", "x", "enlace", "!!!!", "AAAA", &"A".repeat(67), &"_".repeat(200), "a.b.c", "ñandú"] {
            assert_eq!(signer().verify(garbage, now()), Err(LinkError::Tampered), "{garbage}");
        }
    }

    #[test]
    fn the_url_is_the_link_page() {
        let expires = now() + Duration::days(1);
        let token = signer().sign(3, LinkAction::Cancel, expires);
        let expected = format!("https://reservas.example.com/enlace/{token}");
        assert_eq!(signer().url("https://reservas.example.com/", 3, LinkAction::Cancel, expires), expected);
        assert_eq!(signer().url("https://reservas.example.com", 3, LinkAction::Cancel, expires), expected);
    }
}
