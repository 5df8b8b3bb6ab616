//! PostgreSQL row-level security, through the application's own request path
//! (`Db::run_scoped`: `SET LOCAL ROLE kyros_app` + `set_config('app.current_tenant', …,
//! true)`). The queries here deliberately forget their `WHERE tenant_id`.

use std::time::Duration;

use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use kyros::store::audit::{self as audit_store, AuditEntry};
use kyros::store::schema::{preferences, tenant_dashboards, tenants, user_tenants};
use kyros::store::{Db, DbConnection, StoreResult};
use kyros::tenancy::Scope;
use kyros_common::ids::TenantId;

use crate::helpers::{spawn_app, Backend, TestApp};

/// The tables `visible_tenants` reads, in its order.
const TABLES: [&str; 4] = [
    "user_tenants",
    "tenant_dashboards",
    "preferences",
    "tenants",
];

/// Every row's tenant in the tables holding tenant rows, unfiltered.
fn visible_tenants(conn: &mut DbConnection) -> StoreResult<Vec<Vec<String>>> {
    Ok(vec![
        user_tenants::table
            .select(user_tenants::tenant_id)
            .load::<String>(conn)?,
        tenant_dashboards::table
            .select(tenant_dashboards::tenant_id)
            .load::<String>(conn)?,
        preferences::table
            .select(preferences::tenant_id)
            .load::<String>(conn)?,
        tenants::table.select(tenants::id).load::<String>(conn)?,
    ])
}

/// Each demo tenant's id and its row-level security scope, obtained the only way a
/// tenant scope can be: from a validated scoped token (`Scope::from(&TenantScope)`).
async fn ids(app: &TestApp) -> ((TenantId, Scope), (TenantId, Scope)) {
    let mut out = Vec::new();
    for slug in ["acme-corp", "beta-ind"] {
        let scope = app.tenant_scope("admin@acme.com", slug).await;
        out.push((scope.tenant_id(), Scope::from(&scope)));
    }
    (out[0], out[1])
}

async fn seen(db: &Db, scope: Scope) -> Vec<Vec<String>> {
    db.run_scoped(scope, visible_tenants)
        .await
        .expect("scoped query")
}

#[actix_web::test]
async fn an_unfiltered_query_sees_only_the_current_tenant_and_nothing_without_one() {
    let app = spawn_app(Backend::Postgres).await;
    let ((acme, acme_scope), (beta, beta_scope)) = ids(&app).await;
    // A preference row for each tenant, written as the owner (the privileged path).
    let (a, b) = (acme.to_string(), beta.to_string());
    let (a2, b2) = (a.clone(), b.clone());
    app.db
        .run(move |conn| {
            conn.batch_execute(&format!(
                "INSERT INTO preferences (user_id, tenant_id, dashboard_id, filters_json)
                 SELECT m.user_id, m.tenant_id, d.id, '{{}}'
                 FROM user_tenants m CROSS JOIN dashboards d
                 WHERE m.tenant_id IN ('{a2}', '{b2}')"
            ))?;
            Ok(())
        })
        .await
        .expect("seeded preferences");

    let everything = app.db.run(visible_tenants).await.expect("privileged query");
    for (table, rows) in TABLES.iter().zip(&everything) {
        assert!(
            rows.contains(&a) && rows.contains(&b),
            "the privileged path sees both tenants in {table}"
        );
    }

    for (tenant, scope) in [(acme, acme_scope), (beta, beta_scope)] {
        let own = tenant.to_string();
        for (table, rows) in TABLES.iter().zip(seen(&app.db, scope).await) {
            assert!(!rows.is_empty(), "{table}: the tenant sees its own rows");
            assert!(
                rows.iter().all(|t| *t == own),
                "{table}: only {own}'s rows, got {rows:?}"
            );
        }
    }
    for (table, rows) in TABLES.iter().zip(seen(&app.db, Scope::Service).await) {
        assert!(
            rows.is_empty(),
            "{table}: no tenant set → no rows, got {rows:?}"
        );
    }
    // A user scope sees that user's memberships and tenants, no tenant's dashboards.
    let admin = app.user_id("admin@acme.com");
    let [memberships, dashboards, _, tenants] =
        <[Vec<String>; 4]>::try_from(seen(&app.db, Scope::User(admin)).await).expect("four tables");
    assert_eq!(
        memberships.len(),
        2,
        "admin@acme.com belongs to Acme and Beta"
    );
    assert_eq!(tenants.len(), 2);
    assert!(dashboards.is_empty());
}

#[actix_web::test]
async fn the_app_role_cannot_lift_or_bypass_row_level_security() {
    let app = spawn_app(Backend::Postgres).await;
    let ((_, acme), (beta, _)) = ids(&app).await;
    for statement in [
        "ALTER TABLE user_tenants DISABLE ROW LEVEL SECURITY",
        "ALTER TABLE preferences NO FORCE ROW LEVEL SECURITY",
        "DROP POLICY app_user_tenants ON user_tenants",
        "CREATE POLICY open ON user_tenants TO kyros_app USING (true)",
        "SET LOCAL row_security = off; SELECT 1 FROM user_tenants",
    ] {
        let outcome = app
            .db
            .run_scoped(acme, move |conn| {
                conn.batch_execute(statement)?;
                Ok(())
            })
            .await;
        assert!(outcome.is_err(), "kyros_app must not run: {statement}");
    }
    // Writing another tenant's row from inside a tenant's scope is refused (WITH CHECK).
    let beta_text = beta.to_string();
    let outcome = app
        .db
        .run_scoped(acme, move |conn| {
            conn.batch_execute(&format!(
                "INSERT INTO preferences (user_id, tenant_id, dashboard_id, filters_json)
                 SELECT u.id, '{beta_text}', d.id, '{{}}' FROM users u, dashboards d LIMIT 1"
            ))?;
            Ok(())
        })
        .await;
    assert!(outcome.is_err(), "a cross-tenant insert must be refused");

    // The role itself: no superuser, no BYPASSRLS, owns nothing.
    #[derive(QueryableByName)]
    struct RoleFacts {
        #[diesel(sql_type = diesel::sql_types::Bool)]
        rolsuper: bool,
        #[diesel(sql_type = diesel::sql_types::Bool)]
        rolbypassrls: bool,
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        owned: i64,
    }
    let facts = app
        .db
        .run(|conn| {
            let DbConnection::Postgres(pg) = conn else {
                panic!("PostgreSQL test");
            };
            Ok(diesel::sql_query(
                "SELECT rolsuper, rolbypassrls,
                        (SELECT count(*) FROM pg_tables WHERE tableowner = 'kyros_app') AS owned
                 FROM pg_roles WHERE rolname = 'kyros_app'",
            )
            .get_result::<RoleFacts>(pg)?)
        })
        .await
        .expect("role facts");
    assert!(!facts.rolsuper && !facts.rolbypassrls && facts.owned == 0);
}

#[actix_web::test]
async fn concurrent_tenants_on_a_pool_of_one_connection_never_see_each_other() {
    let app = spawn_app(Backend::Postgres).await;
    let ((acme, acme_scope), (beta, beta_scope)) = ids(&app).await;
    let single = Db::new(&app.settings.database, 1, Duration::from_secs(30));
    let mut jobs = Vec::new();
    for i in 0..60 {
        let db = single.clone();
        let (tenant, tenant_scope) = if i % 2 == 0 {
            (acme, acme_scope)
        } else {
            (beta, beta_scope)
        };
        jobs.push(actix_web::rt::spawn(async move {
            let scope = if i % 3 == 0 {
                Scope::Service
            } else {
                tenant_scope
            };
            (scope, tenant, seen(&db, scope).await)
        }));
    }
    for job in jobs {
        let (scope, tenant, tables) = job.await.expect("job");
        if let Scope::Tenant(_) = scope {
            assert!(!tables[0].is_empty(), "the tenant sees its memberships");
        }
        for rows in tables {
            match scope {
                Scope::Tenant(_) => assert!(
                    rows.iter().all(|t| *t == tenant.to_string()),
                    "{scope:?} saw {rows:?}"
                ),
                _ => assert!(rows.is_empty(), "{scope:?} saw {rows:?}"),
            }
        }
    }
}

/// One audit row of `tenant`, written as the owner (the audit writer's path).
fn audit_row(tenant: TenantId, action: &'static str) -> AuditEntry {
    AuditEntry {
        tenant_id: Some(tenant),
        user_id: None,
        actor: "test".into(),
        action,
        target: tenant.to_string(),
        outcome: "success",
        request_id: String::new(),
        detail: serde_json::json!({}),
    }
}

#[actix_web::test]
async fn a_tenant_audit_read_through_the_app_role_sees_only_that_tenant_even_unfiltered() {
    let app = spawn_app(Backend::Postgres).await;
    let ((acme, acme_scope), (beta, _)) = ids(&app).await;
    app.db
        .run(move |conn| {
            audit_store::append(conn, &audit_row(acme, "rls_probe_acme"))?;
            audit_store::append(conn, &audit_row(beta, "rls_probe_beta"))?;
            audit_store::append(
                conn,
                &AuditEntry {
                    tenant_id: None,
                    ..audit_row(acme, "rls_probe_none")
                },
            )
        })
        .await
        .expect("audit rows");
    let everything = app
        .db
        .run(|conn| audit_store::list(conn, None, None, 1000))
        .await
        .expect("privileged read");
    assert!(everything.iter().any(|r| r.action == "rls_probe_beta"));
    // The query's own tenant filter dropped (`None`): row-level security still holds.
    let seen = app
        .db
        .run_scoped(acme_scope, |conn| audit_store::list(conn, None, None, 1000))
        .await
        .expect("scoped read");
    assert!(seen.iter().any(|r| r.action == "rls_probe_acme"));
    let own = acme.to_string();
    assert!(
        seen.iter()
            .all(|r| r.tenant_id.as_deref() == Some(own.as_str())),
        "only Acme's rows: {:?}",
        seen.iter()
            .map(|r| (&r.action, &r.tenant_id))
            .collect::<Vec<_>>()
    );
}

#[actix_web::test]
async fn request_work_can_write_invitations_but_never_read_tokens() {
    let app = spawn_app(Backend::Postgres).await;
    let ((_, acme_scope), _) = ids(&app).await;
    // Someone has an open invitation (written through the tenant admin's scoped path).
    let (admin, acme) = app.scoped_token("admin@acme.com", "acme-corp").await;
    let response = app
        .client
        .post(app.url(&format!("/api/tenant/{acme}/users")))
        .bearer_auth(&admin)
        .json(&serde_json::json!({ "email": "token.holder@example.com", "role": "viewer" }))
        .send()
        .await
        .expect("invite");
    assert_eq!(response.status(), 201);
    for statement in [
        "SELECT token_hash FROM account_tokens",
        "SELECT body FROM outbox",
        "DELETE FROM account_tokens",
    ] {
        let outcome = app
            .db
            .run_scoped(acme_scope, move |conn| {
                conn.batch_execute(statement)?;
                Ok(())
            })
            .await;
        assert!(outcome.is_err(), "kyros_app must not run: {statement}");
    }
    // The owner path (which consumes them) reads them.
    let count: i64 = app
        .db
        .run(|conn| {
            use kyros::store::schema::account_tokens;
            Ok(account_tokens::table.count().get_result(conn)?)
        })
        .await
        .expect("owner read");
    assert_eq!(count, 1);
}
