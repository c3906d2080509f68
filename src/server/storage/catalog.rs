//! What a public profile shows of an offered resource and what seldom
//! changes: its detail, booking rules, services and managers' names, kept in
//! memory between page views.
//!
//! Every write to the tables these come from, by any server or tool, gives
//! `catalog_version` a new random token in the same transaction (database
//! triggers, see the migrations `*_catalog_version.sql`). A reader asks for
//! the token first, one small query instead of four, and uses what it kept
//! only under that same token: it never sees settings older than its own
//! request, on one server or several.

use super::resources::{self, PublicDetail};
use super::{calendar, calendar::ResourceRules, directory, services, Db, StorageError};
use crate::domain::resource::Service;
use sqlx::Row;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

/// Resources kept at most; past it the oldest token's entries go first,
/// which here means all of them (one token at a time is kept).
const MAX_KEPT: usize = 2048;

#[derive(Debug, Clone, PartialEq)]
pub struct Offered {
    pub detail: PublicDetail,
    pub rules: ResourceRules,
    /// Active ones, by name.
    pub services: Vec<Service>,
    /// Its managers' names, sorted.
    pub managers: Vec<String>,
}

/// What was read under one token, by slug; one per `Db` (shared by its clones).
#[derive(Debug)]
pub(super) struct Kept<T = Offered> {
    state: Mutex<State<T>>,
}

#[derive(Debug)]
struct State<T> {
    /// The token every entry was read under.
    token: String,
    by_slug: HashMap<String, Arc<T>>,
}

impl<T> Default for Kept<T> {
    fn default() -> Self {
        Kept { state: Mutex::new(State { token: String::new(), by_slug: HashMap::new() }) }
    }
}

impl<T> Kept<T> {
    fn state(&self) -> std::sync::MutexGuard<'_, State<T>> {
        // Nothing can be left half-changed by a panic while it is held.
        self.state.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// What was kept of `slug` under `token`; a new token forgets everything.
    fn get(&self, token: &str, slug: &str) -> Option<Arc<T>> {
        let mut state = self.state();
        if state.token != token {
            state.token = token.to_string();
            state.by_slug.clear();
        }
        state.by_slug.get(slug).cloned()
    }

    /// Keeps what was read under `token`, unless a newer token came since:
    /// then it may already be out of date.
    fn keep(&self, token: &str, slug: &str, read: Arc<T>) {
        let mut state = self.state();
        if state.token != token {
            return;
        }
        if state.by_slug.len() >= MAX_KEPT {
            state.by_slug.clear();
        }
        state.by_slug.insert(slug.to_string(), read);
    }

    #[cfg(test)]
    fn len(&self) -> usize {
        self.state().by_slug.len()
    }
}

/// An offered (not retired) resource by its slug, as the database has it now.
pub async fn offered(db: &Db, slug: &str) -> Result<Option<Arc<Offered>>, StorageError> {
    let token = token(db).await?;
    if let Some(kept) = db.catalog.get(&token, slug) {
        return Ok(Some(kept));
    }
    let Some(read) = read(db, slug).await? else { return Ok(None) };
    let read = Arc::new(read);
    db.catalog.keep(&token, slug, read.clone());
    Ok(Some(read))
}

async fn token(db: &Db) -> Result<String, StorageError> {
    let row = sqlx::query("SELECT token FROM catalog_version WHERE id = 1").fetch_one(db.pool()).await?;
    Ok(row.try_get("token")?)
}

/// The resource, then its rules, services and managers side by side.
async fn read(db: &Db, slug: &str) -> Result<Option<Offered>, StorageError> {
    let Some(detail) = resources::find_offered_by_slug(db, slug).await? else { return Ok(None) };
    let id = detail.summary.id;
    let rules = async {
        let mut conn = db.pool().acquire().await?;
        calendar::load(&mut conn, id).await
    };
    let (rules, services, managers) =
        tokio::try_join!(rules, services::list_for_resource(db, id), directory::manager_names(db, id))?;
    // Deleted since the first read.
    let Some(rules) = rules else { return Ok(None) };
    Ok(Some(Offered { detail, rules, services, managers }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn name(text: &str) -> Arc<String> {
        Arc::new(text.to_string())
    }

    #[test]
    fn what_is_kept_is_found_only_under_its_token() {
        let kept = Kept::<String>::default();
        assert!(kept.get("t1", "a").is_none());
        kept.keep("t1", "a", name("A"));
        assert_eq!(*kept.get("t1", "a").unwrap(), "A");
        assert!(kept.get("t1", "b").is_none());
        assert!(kept.get("t2", "a").is_none(), "a new token forgets what the old one kept");
        assert!(kept.get("t1", "a").is_none(), "and going back to an old token does not bring it back");
    }

    #[test]
    fn a_read_finished_after_a_newer_token_is_not_kept() {
        let kept = Kept::<String>::default();
        assert!(kept.get("t1", "a").is_none());
        // Another request saw a write's token while this one was reading.
        assert!(kept.get("t2", "b").is_none());
        kept.keep("t1", "a", name("old"));
        assert!(kept.get("t2", "a").is_none());
        assert_eq!(kept.len(), 0);
    }

    #[test]
    fn it_never_holds_more_than_its_bound() {
        let kept = Kept::<String>::default();
        kept.get("t", "x");
        for n in 0..MAX_KEPT + 10 {
            kept.keep("t", &format!("r{n}"), name("A"));
        }
        assert!(kept.len() <= MAX_KEPT);
        assert!(kept.get("t", &format!("r{}", MAX_KEPT + 9)).is_some(), "the newest is kept");
    }
}
