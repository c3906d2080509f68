//! A resource's photos: upload, remove, choose the cover. Shared by the REST
//! API and the administrators' pages; the resource's managers and
//! administrators may change them. Administrators' changes are audited.

use crate::domain::account::{FieldError, Role};
use crate::domain::audit::{target, AuditAction};
use crate::domain::photo::{self, PHOTO_FIELD};
use crate::error::AppError;
use crate::server::storage::audit::Act;
use crate::server::storage::users::User;
use crate::server::storage::{media, resources, Db};

/// Refused unless `user` is an administrator or manages the resource.
pub async fn may_change(db: &Db, user: &User, resource_id: i64) -> Result<(), AppError> {
    let resource = resources::find(db, resource_id).await?.ok_or(AppError::NotFound)?;
    if user.role == Role::Admin || resource.managers.contains(&user.id) {
        Ok(())
    } else {
        Err(AppError::Forbidden)
    }
}

/// The audit entry of `by`'s change to a resource's photos.
fn photo_act(by: &User, action: AuditAction, resource_id: i64, detail: serde_json::Value) -> Option<Act> {
    Act::by_admin(by, action, target("resource", resource_id), detail)
}

/// Stores the image and adds it as the last photo; returns the new list.
pub async fn add(db: &Db, by: &User, resource_id: i64, bytes: &[u8]) -> Result<Vec<String>, AppError> {
    let before = resources::find(db, resource_id).await?.ok_or(AppError::NotFound)?;
    let content_type = photo::check_upload(bytes, before.photos.len()).map_err(AppError::Invalid)?;
    let id = media::insert(db, resource_id, content_type, bytes).await?;
    let url = photo::media_url(id);
    let act = photo_act(by, AuditAction::PhotoAdd, resource_id, serde_json::json!({"url": url}));
    let added = resources::change_photos(db, resource_id, act.as_ref(), |mut photos| {
        photo::check_upload(bytes, photos.len()).map_err(AppError::Invalid)?;
        photos.push(url);
        Ok::<_, AppError>(photos)
    })
    .await;
    match added {
        Ok(Some(photos)) => Ok(photos),
        refused => {
            media::delete(db, resource_id, id).await?;
            refused?.ok_or(AppError::NotFound)
        }
    }
}

/// Removes the photo at `index` (from 0), and its image if this app stored it.
pub async fn remove(db: &Db, by: &User, resource_id: i64, index: usize) -> Result<Vec<String>, AppError> {
    let mut removed = None;
    let act = photo_act(by, AuditAction::PhotoRemove, resource_id, serde_json::json!({"index": index}));
    let photos = resources::change_photos(db, resource_id, act.as_ref(), |photos| {
        let (rest, url) = photo::without(&photos, index).ok_or_else(no_such_photo)?;
        removed = Some(url);
        Ok::<_, AppError>(rest)
    })
    .await?
    .ok_or(AppError::NotFound)?;
    if let Some(id) = removed.as_deref().and_then(photo::media_id) {
        media::delete(db, resource_id, id).await?;
    }
    Ok(photos)
}

/// Makes the photo at `index` the cover (first).
pub async fn make_cover(db: &Db, by: &User, resource_id: i64, index: usize) -> Result<Vec<String>, AppError> {
    let act = photo_act(by, AuditAction::PhotoCover, resource_id, serde_json::json!({"index": index}));
    resources::change_photos(db, resource_id, act.as_ref(), |photos| photo::with_cover(&photos, index).ok_or_else(no_such_photo))
        .await?
        .ok_or(AppError::NotFound)
}

fn no_such_photo() -> AppError {
    AppError::Invalid(FieldError::new(PHOTO_FIELD, crate::domain::account::Problem::OutOfRange))
}
