//! The operators' user directory (admin API): list and search, create with
//! memberships and an invitation link, rename and (de)activate.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use diesel::Connection;
use kyros_common::api::users::{
    CreateUser, CreatedUser, DirectoryUser, MembershipGrant, Page, UpdateUser,
};
use kyros_common::ids::{TenantId, UserId};
use serde_json::json;

use super::service::{clean_email, clean_name, Users, UsersError};
use crate::audit::{self, AuditEntryExt};
use crate::store::users::{self, UserRow};
use crate::store::{
    audit as audit_store, memberships, tenants, DbConnection, StoreError, StoreResult,
};

/// Filters of `GET /admin/users`.
#[derive(Debug, Default, Clone)]
pub struct DirectoryQuery {
    pub email: Option<String>,
    pub cursor: Option<String>,
    pub limit: Option<i64>,
}

fn directory_user(conn: &mut DbConnection, row: UserRow) -> StoreResult<Option<DirectoryUser>> {
    let Some(id) = row.user_id() else {
        return Ok(None);
    };
    let grants = memberships::of_user(conn, id)?
        .into_iter()
        .filter_map(|(tenant, role)| {
            Some(MembershipGrant {
                tenant_id: tenant.parse().ok()?,
                role,
            })
        })
        .collect();
    Ok(Some(DirectoryUser {
        id,
        invitation_pending: row.invitation_pending(),
        email: row.email,
        name: row.name,
        is_active: row.is_active,
        created_at: row.created_at.and_utc().to_rfc3339(),
        last_sign_in: row.last_sign_in_at.map(|t| t.and_utc().to_rfc3339()),
        memberships: grants,
    }))
}

fn parse_user_id(raw: &str) -> Result<UserId, UsersError> {
    raw.parse()
        .map_err(|_| UsersError::NotFound("no such user"))
}

impl Users {
    /// Users by email, a page at a time (`cursor` from the previous page).
    pub async fn directory(
        &self,
        query: DirectoryQuery,
    ) -> Result<Page<DirectoryUser>, UsersError> {
        let limit = match query.limit {
            None => 50,
            Some(n) if (1..=500).contains(&n) => n,
            Some(_) => {
                return Err(UsersError::Invalid(
                    "limit must be between 1 and 500".into(),
                ))
            }
        };
        let after = query
            .cursor
            .as_deref()
            .map(|c| {
                URL_SAFE_NO_PAD
                    .decode(c.as_bytes())
                    .ok()
                    .and_then(|b| String::from_utf8(b).ok())
                    .filter(|s| s.len() <= 320)
                    .ok_or_else(|| UsersError::Invalid("cursor is invalid".into()))
            })
            .transpose()?;
        // An exact search: a malformed address simply matches nobody.
        let email = query
            .email
            .as_deref()
            .map(|e| clean_email(e).unwrap_or_default());
        let rows = self
            .db
            .run(move |conn| {
                let rows = users::list(conn, email.as_deref(), after.as_deref(), limit + 1)?;
                rows.into_iter()
                    .map(|row| directory_user(conn, row))
                    .collect::<StoreResult<Vec<_>>>()
            })
            .await?;
        let more = rows.len() as i64 > limit;
        let items: Vec<DirectoryUser> = rows.into_iter().flatten().take(limit as usize).collect();
        let next_cursor = more
            .then(|| {
                items
                    .last()
                    .map(|u| URL_SAFE_NO_PAD.encode(u.email.as_bytes()))
            })
            .flatten();
        Ok(Page { items, next_cursor })
    }

    /// Creates an account with its memberships and a one-time invitation link (also
    /// mailed to the person).
    pub async fn create_user(
        &self,
        actor: String,
        request: CreateUser,
    ) -> Result<CreatedUser, UsersError> {
        let email = clean_email(&request.email)?;
        let name = clean_name(request.name.as_deref())?;
        if request.memberships.len() > 100 {
            return Err(UsersError::Invalid("at most 100 memberships".into()));
        }
        let grants = request.memberships;
        let links = self.handle();
        let (user, invitation_url, expires_at, mail) = self
            .db
            .run(move |conn| {
                conn.transaction(|conn| {
                    crate::store::begin_write(conn)?;
                    if users::find_by_email(conn, &email)?.is_some() {
                        return Ok(Err(UsersError::Conflict("a user with this email exists")));
                    }
                    for grant in &grants {
                        if tenants::find_by_id(conn, grant.tenant_id)?.is_none() {
                            return Ok(Err(UsersError::NotFound("no such tenant")));
                        }
                    }
                    let row = UserRow::new_invited(&email, &name);
                    users::insert(conn, &row)?;
                    let Some(user_id) = row.user_id() else {
                        return Ok(Err(UsersError::NotFound("no such user")));
                    };
                    for grant in &grants {
                        memberships::grant(conn, user_id, grant.tenant_id, grant.role)?;
                    }
                    let first_tenant: Option<TenantId> = grants.first().map(|g| g.tenant_id);
                    let tenant_name = match first_tenant {
                        Some(t) => tenants::find_by_id(conn, t)?.map(|t| t.branding().display_name),
                        None => None,
                    };
                    let invitation = links.write_invitation(conn, user_id, None)?;
                    let mail = links.invitation_mail(&email, tenant_name.as_deref(), &invitation);
                    links.mailer.enqueue(conn, &mail)?;
                    let e = audit::entry("user_create", "success", actor, email.clone())
                        .user(Some(user_id))
                        .detail(json!({ "memberships": grants }));
                    audit_store::append(conn, &e)?;
                    let user = directory_user(conn, row)?;
                    Ok::<_, StoreError>(Ok((user, invitation.url, invitation.expires_at, mail)))
                })
            })
            .await??;
        self.mailer.dispatched(&mail);
        self.changed().await;
        Ok(CreatedUser {
            user: user.ok_or(UsersError::NotFound("no such user"))?,
            invitation_url,
            invitation_expires_at: expires_at.and_utc().to_rfc3339(),
        })
    }

    /// Renames and/or (de)activates a user.
    pub async fn update_user(
        &self,
        actor: String,
        raw_id: &str,
        update: UpdateUser,
    ) -> Result<DirectoryUser, UsersError> {
        let id = parse_user_id(raw_id)?;
        let name = update
            .name
            .as_deref()
            .map(|n| clean_name(Some(n)))
            .transpose()?;
        let active = update.is_active;
        let user = self
            .db
            .run(move |conn| {
                conn.transaction(|conn| {
                    crate::store::begin_write(conn)?;
                    let Some(before) = users::find_by_id(conn, id)? else {
                        return Ok(None);
                    };
                    if let Some(name) = &name {
                        users::set_name(conn, id, name)?;
                    }
                    if let Some(active) = active {
                        users::set_active(conn, id, active)?;
                    }
                    let e = audit::entry("user_update", "success", actor, id.to_string())
                        .user(Some(id))
                        .detail(json!({
                            "before": { "is_active": before.is_active, "name_changed": false },
                            "after": { "is_active": active.unwrap_or(before.is_active), "name_changed": name.is_some() },
                        }));
                    audit_store::append(conn, &e)?;
                    let after = users::find_by_id(conn, id)?;
                    after.map(|row| directory_user(conn, row)).transpose().map(Option::flatten)
                })
            })
            .await?;
        self.changed().await;
        user.ok_or(UsersError::NotFound("no such user"))
    }
}
