//! A tenant admin's people: the members of *their* tenant (the tenant comes from the
//! `TenantScope`, and every statement runs under its row-level security scope), invite
//! by email, change a role, remove a membership. Inviting never reveals whether the
//! email has an account elsewhere: the answer and the member list look the same for a
//! new person and for an existing account (added memberships show as invited until the
//! person next signs in).

use diesel::Connection;
use kyros_common::api::tenants::Role;
use kyros_common::api::users::{InviteMember, Member, MemberStatus};
use kyros_common::ids::UserId;
use serde_json::json;

use super::service::{clean_email, Users, UsersError};
use crate::audit::{self, AuditEntryExt};
use crate::mail::Mail;
use crate::store::memberships::{self, MemberRow};
use crate::store::users::{self, UserRow};
use crate::store::{tenants, StoreError};
use crate::tenancy::scope::{Scope, TenantScope};

fn member_of(row: MemberRow) -> Option<Member> {
    let id = row.user.user_id()?;
    let status = if !row.user.is_active {
        MemberStatus::Inactive
    } else if row.joined_at.is_none() {
        MemberStatus::Invited
    } else {
        MemberStatus::Active
    };
    let last_sign_in = row
        .joined_at
        .and(row.user.last_sign_in_at)
        .map(|t| t.and_utc().to_rfc3339());
    Some(Member {
        id,
        email: row.user.email,
        name: if row.joined_at.is_some() {
            row.user.name
        } else {
            String::new()
        },
        role: row.role,
        status,
        last_sign_in,
    })
}

fn require_admin(scope: &TenantScope) -> Result<(), UsersError> {
    if scope.is_admin() {
        Ok(())
    } else {
        Err(UsersError::NotAdmin)
    }
}

/// What an invitation did, for the mail sent after the transaction.
enum Invited {
    NewAccount(Mail),
    ExistingAccount(Mail),
}

impl Users {
    /// The members of the scope's tenant.
    pub async fn members(&self, scope: &TenantScope) -> Result<Vec<Member>, UsersError> {
        require_admin(scope)?;
        let tenant = scope.tenant_id();
        let rows = self
            .db
            .run_scoped(Scope::from(scope), move |conn| {
                memberships::members_of(conn, tenant)
            })
            .await?;
        Ok(rows.into_iter().filter_map(member_of).collect())
    }

    /// Invites a person into the scope's tenant: a new account with an invitation link,
    /// or an existing account added as a (pending) member and told by mail. Limited per
    /// tenant (`KYROS_INVITES_PER_HOUR`).
    pub async fn invite(
        &self,
        scope: &TenantScope,
        request: InviteMember,
    ) -> Result<Member, UsersError> {
        require_admin(scope)?;
        let email = clean_email(&request.email)?;
        self.limits
            .check_invites(&scope.tenant_id().to_string())
            .await?;
        let tenant = scope.tenant_id();
        let role = request.role;
        let actor = scope.email().to_owned();
        let actor_id = scope.user_id();
        let public_url = self.accounts.public_url.clone();
        let this = self.handle();
        let invited_email = email.clone();
        let outcome = self
            .db
            .run_scoped(Scope::from(scope), move |conn| {
                conn.transaction(|conn| {
                    crate::store::begin_write(conn)?;
                    let tenant_name = tenants::find_by_id(conn, tenant)?
                        .map(|t| t.branding().display_name)
                        .unwrap_or_default();
                    let (user, invited) = match users::find_by_email(conn, &invited_email)? {
                        Some(existing) => {
                            let Some(user_id) = existing.user_id() else {
                                return Ok(Err(UsersError::NotFound("no such user")));
                            };
                            if !memberships::add_pending(conn, user_id, tenant, role)? {
                                return Ok(Err(UsersError::Conflict("this person is already a member of this tenant")));
                            }
                            let mail = if existing.invitation_pending() {
                                let invitation = this.write_invitation(conn, user_id, Some(tenant))?;
                                Invited::NewAccount(this.invitation_mail(&invited_email, Some(&tenant_name), &invitation))
                            } else {
                                Invited::ExistingAccount(Mail {
                                    to: invited_email.clone(),
                                    subject: format!("You now have access to {tenant_name} on Kyros"),
                                    body: format!(
                                        "{actor} gave you access to {tenant_name} on Kyros.\n\n\
                                         Sign in with your existing account at {public_url}/login and choose {tenant_name}.\n"
                                    ),
                                })
                            };
                            (existing, mail)
                        }
                        None => {
                            let row = UserRow::new_invited(&invited_email, "");
                            users::insert(conn, &row)?;
                            let Some(user_id) = row.user_id() else {
                                return Ok(Err(UsersError::NotFound("no such user")));
                            };
                            memberships::add_pending(conn, user_id, tenant, role)?;
                            let invitation = this.write_invitation(conn, user_id, Some(tenant))?;
                            let mail = this.invitation_mail(&invited_email, Some(&tenant_name), &invitation);
                            (row, Invited::NewAccount(mail))
                        }
                    };
                    let user_id = user.user_id();
                    let mail = match &invited {
                        Invited::NewAccount(m) | Invited::ExistingAccount(m) => m.clone(),
                    };
                    this.mailer.enqueue(conn, &mail)?;
                    // The same audit entry either way: the trail does not tell either.
                    let e = audit::entry("member_invite", "success", actor.clone(), invited_email.clone())
                        .tenant(Some(tenant))
                        .user(user_id)
                        .detail(json!({ "role": role.as_str(), "by": actor_id }));
                    crate::store::audit::append(conn, &e)?;
                    Ok::<_, StoreError>(Ok((user, mail)))
                })
            })
            .await??;
        let (user, mail) = outcome;
        self.mailer.dispatched(&mail);
        self.changed().await;
        let id = user.user_id().ok_or(UsersError::NotFound("no such user"))?;
        Ok(Member {
            id,
            email,
            name: String::new(),
            role,
            status: MemberStatus::Invited,
            last_sign_in: None,
        })
    }

    /// Changes a member's role in the scope's tenant; never leaves the tenant without
    /// an active admin.
    pub async fn change_role(
        &self,
        scope: &TenantScope,
        member: &str,
        role: Role,
    ) -> Result<Member, UsersError> {
        require_admin(scope)?;
        let member = parse_member(member)?;
        let tenant = scope.tenant_id();
        let actor = scope.email().to_owned();
        let outcome = self
            .db
            .run_scoped(Scope::from(scope), move |conn| {
                conn.transaction(|conn| {
                    crate::store::begin_write(conn)?;
                    let Some(previous) = memberships::role_of(conn, member, tenant)? else {
                        return Ok(Err(UsersError::NotFound("no such member in this tenant")));
                    };
                    if previous == Role::Admin
                        && role != Role::Admin
                        && memberships::active_admins(conn, tenant)? <= 1
                    {
                        return Ok(Err(UsersError::LastAdmin));
                    }
                    memberships::set_role(conn, member, tenant, role)?;
                    let row = memberships::members_of(conn, tenant)?
                        .into_iter()
                        .find(|m| m.user.user_id() == Some(member));
                    let e = audit::entry("member_role", "success", actor, member.to_string())
                        .tenant(Some(tenant))
                        .user(Some(member))
                        .detail(json!({ "before": previous.as_str(), "after": role.as_str() }));
                    crate::store::audit::append(conn, &e)?;
                    Ok::<_, StoreError>(Ok(row))
                })
            })
            .await??;
        self.changed().await;
        outcome
            .and_then(member_of)
            .ok_or(UsersError::NotFound("no such member in this tenant"))
    }

    /// Removes a member from the scope's tenant (the account stays); never the last
    /// active admin.
    pub async fn remove_member(&self, scope: &TenantScope, member: &str) -> Result<(), UsersError> {
        require_admin(scope)?;
        let member = parse_member(member)?;
        let tenant = scope.tenant_id();
        let actor = scope.email().to_owned();
        self.db
            .run_scoped(Scope::from(scope), move |conn| {
                conn.transaction(|conn| {
                    crate::store::begin_write(conn)?;
                    let Some(previous) = memberships::role_of(conn, member, tenant)? else {
                        return Ok(Err(UsersError::NotFound("no such member in this tenant")));
                    };
                    if previous == Role::Admin && memberships::active_admins(conn, tenant)? <= 1 {
                        return Ok(Err(UsersError::LastAdmin));
                    }
                    memberships::revoke(conn, member, tenant)?;
                    let e = audit::entry("member_remove", "success", actor, member.to_string())
                        .tenant(Some(tenant))
                        .user(Some(member))
                        .detail(json!({ "before": previous.as_str(), "after": null }));
                    crate::store::audit::append(conn, &e)?;
                    Ok::<_, StoreError>(Ok(()))
                })
            })
            .await??;
        self.changed().await;
        Ok(())
    }
}

/// A member id from a path; anything else is "no such member" (never a 500).
fn parse_member(raw: &str) -> Result<UserId, UsersError> {
    raw.parse()
        .map_err(|_| UsersError::NotFound("no such member in this tenant"))
}
