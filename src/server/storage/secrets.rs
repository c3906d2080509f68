//! Secrets the app makes for itself (the link-signing key), kept in the
//! database so every instance on it shares them.

use super::{Db, StorageError};
use rand::RngCore;
use sqlx::Row;

/// The secret called `name`, made of 32 random bytes the first time it is
/// asked for. Instances starting together agree on one: the first insert
/// wins and everyone reads what was stored.
pub async fn get_or_create(db: &Db, name: &str) -> Result<Vec<u8>, StorageError> {
    let mut fresh = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut fresh);
    sqlx::query("INSERT INTO app_secrets (name, value) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING")
        .bind(name)
        .bind(to_hex(&fresh))
        .execute(&mut *db.write().await?)
        .await?;
    let value: String = sqlx::query("SELECT value FROM app_secrets WHERE name = $1")
        .bind(name)
        .fetch_one(db.pool())
        .await?
        .try_get("value")?;
    // A value put there by hand that is not hex is used as it is.
    Ok(from_hex(&value).unwrap_or_else(|| value.into_bytes()))
}

fn to_hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn from_hex(text: &str) -> Option<Vec<u8>> {
    if text.is_empty() || !text.len().is_multiple_of(2) {
        return None;
    }
    (0..text.len()).step_by(2).map(|i| u8::from_str_radix(text.get(i..i + 2)?, 16).ok()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_round_trips() {
        let bytes = [0u8, 1, 127, 128, 255];
        assert_eq!(to_hex(&bytes), "00017f80ff");
        assert_eq!(from_hex(&to_hex(&bytes)), Some(bytes.to_vec()));
        assert_eq!(from_hex("not hex!"), None);
        assert_eq!(from_hex("abc"), None);
    }
}
