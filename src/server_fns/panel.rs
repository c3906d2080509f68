//! The data behind each role's home page. Every function checks the role on
//! the server; the UI hiding a link is never the only guard.

use crate::domain::account::Role;
use crate::domain::resource::ResourceSummary;
use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct KindGroup {
    pub kind: String,
    pub resources: Vec<ResourceSummary>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UserRow {
    pub id: i64,
    pub name: String,
    pub email: String,
    pub role: Role,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AdminSummary {
    pub users_by_role: Vec<(Role, i64)>,
    pub users: Vec<UserRow>,
    pub resources: Vec<KindGroup>,
}

/// Groups resources (already ordered by kind) under their kind.
pub fn group_by_kind(resources: Vec<ResourceSummary>) -> Vec<KindGroup> {
    let mut groups: Vec<KindGroup> = Vec::new();
    for resource in resources {
        match groups.last_mut() {
            Some(group) if group.kind == resource.kind => group.resources.push(resource),
            _ => groups.push(KindGroup { kind: resource.kind.clone(), resources: vec![resource] }),
        }
    }
    groups
}

/// What a client can book, by kind.
#[server(prefix = "/fn", endpoint = "bookable-resources")]
pub async fn bookable_resources() -> Result<Vec<KindGroup>, AppError> {
    use crate::server::{auth, fn_context, storage::resources};
    fn_context::respond(
        async {
            auth::require_user(&fn_context::auth())?;
            Ok(group_by_kind(resources::list_all(&fn_context::state()?.db).await?))
        }
        .await,
    )
}

/// The resources the logged-in manager manages.
#[server(prefix = "/fn", endpoint = "managed-resources")]
pub async fn managed_resources() -> Result<Vec<KindGroup>, AppError> {
    use crate::server::{auth, fn_context, storage::resources};
    fn_context::respond(
        async {
            let request = fn_context::auth();
            let manager = auth::require_role(&request, &[Role::Manager, Role::Admin])?;
            Ok(group_by_kind(resources::list_managed_by(&fn_context::state()?.db, manager.id).await?))
        }
        .await,
    )
}

pub const ADMIN_USERS_PAGE: i64 = 50;

#[server(prefix = "/fn", endpoint = "admin-overview")]
pub async fn admin_overview(page: i64) -> Result<AdminSummary, AppError> {
    use crate::server::{auth, fn_context, storage::{resources, users}};
    fn_context::respond(
        async {
            auth::require_role(&fn_context::auth(), &[Role::Admin])?;
            let db = fn_context::state()?.db;
            let offset = page.clamp(0, 1_000_000) * ADMIN_USERS_PAGE;
            let users = users::list(&db, ADMIN_USERS_PAGE, offset)
                .await?
                .into_iter()
                .map(|u| UserRow { id: u.id, name: u.name, email: u.email, role: u.role })
                .collect();
            Ok(AdminSummary {
                users_by_role: users::count_by_role(&db).await?,
                users,
                resources: group_by_kind(resources::list_all(&db).await?),
            })
        }
        .await,
    )
}
