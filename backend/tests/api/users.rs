//! People: invitations, passwords, tenant admins managing their members, operators'
//! directory, sessions, erasure, per-account sign-in back-off — each against SQLite and
//! PostgreSQL.

use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

use crate::counterparts::link_token;
use crate::helpers::{assert_problem, spawn_app_with, Backend, TestApp, DEMO_PASSWORD};

/// A password the policy accepts.
const STRONG: &str = "amber falcon orbit quiet 7";
const STRONGER: &str = "copper meadow lantern violin 9";

impl TestApp {
    /// A request with a scoped (or user) bearer token and an optional JSON body.
    pub async fn call(
        &self,
        method: Method,
        path: &str,
        token: &str,
        body: Option<Value>,
    ) -> reqwest::Response {
        let mut request = self
            .client
            .request(method, self.url(path))
            .bearer_auth(token);
        if let Some(body) = body {
            request = request.json(&body);
        }
        request.send().await.expect("request")
    }

    pub async fn post_json(&self, path: &str, body: Value) -> reqwest::Response {
        self.client
            .post(self.url(path))
            .json(&body)
            .send()
            .await
            .expect("request")
    }

    /// The newest outbox message to `to` (admin API).
    pub async fn last_mail_to(&self, to: &str) -> Option<Value> {
        let admin = self.admin_token().await;
        let response = self
            .admin(
                Method::GET,
                &format!("/admin/outbox?recipient={to}"),
                &admin,
                None,
            )
            .await;
        assert_eq!(response.status(), 200);
        let page: Value = response.json().await.expect("json");
        page["items"]
            .as_array()
            .and_then(|items| items.first().cloned())
    }

    /// The token of the newest link mailed to `to`, polling until the mail is there.
    pub async fn mailed_token(&self, to: &str) -> String {
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
        loop {
            if let Some(token) = self
                .last_mail_to(to)
                .await
                .and_then(|m| link_token(m["body"].as_str().unwrap_or("")))
            {
                return token;
            }
            assert!(
                std::time::Instant::now() < deadline,
                "no link mailed to {to}"
            );
            actix_web::rt::time::sleep(std::time::Duration::from_millis(50)).await;
        }
    }

    /// Signs a new person up through an operator-created invitation: returns their id.
    pub async fn provision(&self, email: &str, tenant_slug: &str, role: &str) -> String {
        let tenant = self.tenant_id(tenant_slug).await;
        let admin = self.admin_token().await;
        let response = self
            .admin(
                Method::POST,
                "/admin/users",
                &admin,
                Some(json!({ "email": email, "name": "Pat Example", "memberships": [{ "tenant_id": tenant, "role": role }] })),
            )
            .await;
        assert_eq!(response.status(), StatusCode::CREATED);
        let created: Value = response.json().await.expect("json");
        let token = link_token(created["invitation_url"].as_str().expect("url")).expect("token");
        let accepted = self
            .post_json(
                "/api/auth/invitations/accept",
                json!({ "token": token, "password": STRONG }),
            )
            .await;
        assert_eq!(accepted.status(), 200);
        created["user"]["id"].as_str().expect("id").to_owned()
    }

    pub async fn token_for(&self, email: &str, password: &str) -> String {
        let response = self.login_response(email, password).await;
        assert_eq!(response.status(), 200, "login of {email}");
        let body: Value = response.json().await.expect("json");
        body["access_token"].as_str().expect("token").to_owned()
    }

    pub async fn scoped_for(&self, email: &str, password: &str, slug: &str) -> (String, String) {
        let tenant = self.tenant_id(slug).await;
        let user = self.token_for(email, password).await;
        let response = self.exchange(&user, &tenant).await;
        assert_eq!(response.status(), 200);
        let body: Value = response.json().await.expect("json");
        (
            body["access_token"].as_str().expect("token").to_owned(),
            tenant,
        )
    }
}

fn member<'a>(members: &'a Value, email: &str) -> Option<&'a Value> {
    members.as_array()?.iter().find(|m| m["email"] == email)
}

async fn an_invited_person_accepts_and_signs_in(app: TestApp) {
    let (admin, acme) = app.scoped_token("admin@acme.com", "acme-corp").await;
    let path = format!("/api/tenant/{acme}/users");
    let response = app
        .call(
            Method::POST,
            &path,
            &admin,
            Some(json!({ "email": "New.Person@Example.com", "role": "viewer" })),
        )
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let invited: Value = response.json().await.expect("json");
    assert_eq!(invited["email"], "new.person@example.com");
    assert_eq!(invited["status"], "invited");

    let members: Value = app
        .call(Method::GET, &path, &admin, None)
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(
        member(&members, "new.person@example.com").expect("listed")["status"],
        "invited"
    );
    // Cannot sign in before accepting.
    assert_problem(app.login_response("new.person@example.com", "").await, 401).await;

    let token = app.mailed_token("new.person@example.com").await;
    assert!(token.len() >= 43, "at least 256 bits, base64url");
    // A weak password is refused with a reason, and the link still works.
    let weak = app
        .post_json(
            "/api/auth/invitations/accept",
            json!({ "token": token, "password": "password1234" }),
        )
        .await;
    let problem = assert_problem(weak, 400).await;
    assert_eq!(problem["code"], "weak_password");
    assert!(
        problem["detail"]
            .as_str()
            .expect("detail")
            .contains("easy to guess"),
        "{problem}"
    );
    let accepted = app
        .post_json(
            "/api/auth/invitations/accept",
            json!({ "token": token, "password": STRONG, "name": "New Person" }),
        )
        .await;
    assert_eq!(accepted.status(), 200);
    // The link worked once.
    let again = app
        .post_json(
            "/api/auth/invitations/accept",
            json!({ "token": token, "password": STRONGER }),
        )
        .await;
    assert_eq!(assert_problem(again, 400).await["code"], "invalid_link");

    let user = app.token_for("new.person@example.com", STRONG).await;
    let me = app.me(&user).await;
    assert!(me["tenants"]
        .as_array()
        .expect("tenants")
        .iter()
        .any(|t| t["slug"] == "acme-corp"));
    let members: Value = app
        .call(Method::GET, &path, &admin, None)
        .await
        .json()
        .await
        .expect("json");
    let joined = member(&members, "new.person@example.com").expect("listed");
    assert_eq!(joined["status"], "active");
    assert_eq!(joined["name"], "New Person");
    assert!(joined["last_sign_in"].is_string());
    // Audited.
    assert!(!app.audit_rows("member_invite").await.is_empty());
    assert!(!app.audit_rows("invitation_accept").await.is_empty());
}

async fn resets_with_used_expired_or_forged_tokens_change_nothing(app: TestApp) {
    let forgot = app
        .post_json(
            "/api/auth/password/forgot",
            json!({ "email": "analyst@acme.com" }),
        )
        .await;
    assert_eq!(forgot.status(), StatusCode::ACCEPTED);
    let token = app.mailed_token("analyst@acme.com").await;

    for forged in [
        "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
        "x",
        "../../etc",
        &"a".repeat(500),
    ] {
        let response = app
            .post_json(
                "/api/auth/password/reset",
                json!({ "token": forged, "password": STRONG }),
            )
            .await;
        assert_eq!(
            assert_problem(response, 400).await["code"],
            "invalid_link",
            "{forged}"
        );
    }
    app.token_for("analyst@acme.com", DEMO_PASSWORD).await;

    // Expired: the same token, once its time is up, changes nothing.
    let hash = {
        use sha2::{Digest, Sha256};
        Sha256::digest(token.as_bytes())
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect::<String>()
    };
    let expire = move |past: bool| {
        let hash = hash.clone();
        move |conn: &mut kyros::store::DbConnection| {
            use diesel::prelude::*;
            use kyros::store::schema::account_tokens as t;
            let when = if past {
                kyros::store::now() - chrono::Duration::minutes(1)
            } else {
                kyros::store::now() + chrono::Duration::minutes(30)
            };
            diesel::update(t::table.find(hash))
                .set(t::expires_at.eq(when))
                .execute(conn)?;
            Ok(())
        }
    };
    app.db.run(expire(true)).await.expect("expire");
    let expired = app
        .post_json(
            "/api/auth/password/reset",
            json!({ "token": token, "password": STRONG }),
        )
        .await;
    assert_eq!(assert_problem(expired, 400).await["code"], "invalid_link");
    app.token_for("analyst@acme.com", DEMO_PASSWORD).await;
    app.db.run(expire(false)).await.expect("unexpire");

    let reset = app
        .post_json(
            "/api/auth/password/reset",
            json!({ "token": token, "password": STRONG }),
        )
        .await;
    assert_eq!(reset.status(), 200);
    let used = app
        .post_json(
            "/api/auth/password/reset",
            json!({ "token": token, "password": STRONGER }),
        )
        .await;
    assert_eq!(assert_problem(used, 400).await["code"], "invalid_link");
    assert_problem(
        app.login_response("analyst@acme.com", DEMO_PASSWORD).await,
        401,
    )
    .await;
    app.token_for("analyst@acme.com", STRONG).await;
}

async fn two_concurrent_uses_of_one_link_let_exactly_one_win(app: TestApp) {
    app.post_json(
        "/api/auth/password/forgot",
        json!({ "email": "viewer@beta.com" }),
    )
    .await;
    let token = app.mailed_token("viewer@beta.com").await;
    let attempts = (0..4).map(|i| {
        let body = json!({ "token": token, "password": format!("{STRONG} {i}") });
        app.post_json("/api/auth/password/reset", body)
    });
    let statuses: Vec<u16> = futures_util::future::join_all(attempts)
        .await
        .into_iter()
        .map(|r| r.status().as_u16())
        .collect();
    assert_eq!(
        statuses.iter().filter(|s| **s == 200).count(),
        1,
        "{statuses:?}"
    );
    assert!(
        statuses.iter().all(|s| *s == 200 || *s == 400),
        "{statuses:?}"
    );
}

async fn a_tenant_admin_of_acme_cannot_touch_beta(app: TestApp) {
    app.provision("acme.boss@example.com", "acme-corp", "admin")
        .await;
    let (boss, acme) = app
        .scoped_for("acme.boss@example.com", STRONG, "acme-corp")
        .await;
    let beta = app.tenant_id("beta-ind").await;
    let beta_viewer = app.user_id("viewer@beta.com").to_string();
    for (method, path, body) in [
        (Method::GET, format!("/api/tenant/{beta}/users"), None),
        (
            Method::POST,
            format!("/api/tenant/{beta}/users"),
            Some(json!({ "email": "x@example.com", "role": "admin" })),
        ),
        (
            Method::PATCH,
            format!("/api/tenant/{beta}/users/{beta_viewer}"),
            Some(json!({ "role": "admin" })),
        ),
        (
            Method::DELETE,
            format!("/api/tenant/{beta}/users/{beta_viewer}"),
            None,
        ),
    ] {
        assert_problem(app.call(method.clone(), &path, &boss, body).await, 403).await;
    }
    // Beta's member, named through Acme's own route: not a member here, nothing changes.
    for (method, body) in [
        (Method::PATCH, Some(json!({ "role": "admin" }))),
        (Method::DELETE, None),
    ] {
        let response = app
            .call(
                method,
                &format!("/api/tenant/{acme}/users/{beta_viewer}"),
                &boss,
                body,
            )
            .await;
        assert_problem(response, 404).await;
    }
    let (beta_admin, _) = app.scoped_token("admin@acme.com", "beta-ind").await;
    let members: Value = app
        .call(
            Method::GET,
            &format!("/api/tenant/{beta}/users"),
            &beta_admin,
            None,
        )
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(
        member(&members, "viewer@beta.com").expect("still there")["role"],
        "viewer"
    );
    assert!(member(&members, "x@example.com").is_none());
    // Acme's list shows Acme's members only.
    let acme_members: Value = app
        .call(
            Method::GET,
            &format!("/api/tenant/{acme}/users"),
            &boss,
            None,
        )
        .await
        .json()
        .await
        .expect("json");
    assert!(member(&acme_members, "viewer@beta.com").is_none());
    assert!(member(&acme_members, "analyst@acme.com").is_some());
}

async fn the_last_admin_is_kept(app: TestApp) {
    let (admin, acme) = app.scoped_token("admin@acme.com", "acme-corp").await;
    let me = app.user_id("admin@acme.com").to_string();
    let path = format!("/api/tenant/{acme}/users/{me}");
    let demote = app
        .call(
            Method::PATCH,
            &path,
            &admin,
            Some(json!({ "role": "viewer" })),
        )
        .await;
    assert_eq!(assert_problem(demote, 409).await["code"], "last_admin");
    let remove = app.call(Method::DELETE, &path, &admin, None).await;
    assert_eq!(assert_problem(remove, 409).await["code"], "last_admin");
    // With a second admin the first may step down.
    let analyst = app.user_id("analyst@acme.com").to_string();
    let promote = app
        .call(
            Method::PATCH,
            &format!("/api/tenant/{acme}/users/{analyst}"),
            &admin,
            Some(json!({ "role": "admin" })),
        )
        .await;
    assert_eq!(promote.status(), 200);
    let demote = app
        .call(
            Method::PATCH,
            &path,
            &admin,
            Some(json!({ "role": "viewer" })),
        )
        .await;
    assert_eq!(demote.status(), 200);
    let body: Value = demote.json().await.expect("json");
    assert_eq!(body["role"], "viewer");
}

async fn viewers_cannot_manage_people(app: TestApp) {
    let (viewer, acme) = app.scoped_token("analyst@acme.com", "acme-corp").await;
    let someone = app.user_id("admin@acme.com").to_string();
    for (method, path, body) in [
        (Method::GET, format!("/api/tenant/{acme}/users"), None),
        (
            Method::POST,
            format!("/api/tenant/{acme}/users"),
            Some(json!({ "email": "y@example.com", "role": "admin" })),
        ),
        (
            Method::PATCH,
            format!("/api/tenant/{acme}/users/{someone}"),
            Some(json!({ "role": "viewer" })),
        ),
        (
            Method::DELETE,
            format!("/api/tenant/{acme}/users/{someone}"),
            None,
        ),
    ] {
        assert_problem(app.call(method, &path, &viewer, body).await, 403).await;
    }
}

async fn answers_do_not_tell_whether_an_email_exists(app: TestApp) {
    let (admin, acme) = app.scoped_token("admin@acme.com", "acme-corp").await;
    let path = format!("/api/tenant/{acme}/users");
    // viewer@beta.com has an account (in Beta); nobody@example.com has none.
    let mut shapes = Vec::new();
    for email in ["viewer@beta.com", "nobody@example.com"] {
        let response = app
            .call(
                Method::POST,
                &path,
                &admin,
                Some(json!({ "email": email, "role": "viewer" })),
            )
            .await;
        assert_eq!(response.status(), StatusCode::CREATED, "{email}");
        let mut body: Value = response.json().await.expect("json");
        body["id"] = json!("-");
        body["email"] = json!("-");
        shapes.push(body);
    }
    assert_eq!(shapes[0], shapes[1]);
    // The member list does not tell either: both are invited, no name, no sign-in.
    let members: Value = app
        .call(Method::GET, &path, &admin, None)
        .await
        .json()
        .await
        .expect("json");
    let existing = member(&members, "viewer@beta.com").expect("listed").clone();
    let fresh = member(&members, "nobody@example.com")
        .expect("listed")
        .clone();
    for field in ["status", "name", "last_sign_in", "role"] {
        assert_eq!(existing[field], fresh[field], "{field}");
    }
    // Forgot-password: the same answer for a known and an unknown address.
    let mut answers = Vec::new();
    for email in ["analyst@acme.com", "nobody-at-all@example.com"] {
        let response = app
            .post_json("/api/auth/password/forgot", json!({ "email": email }))
            .await;
        answers.push((response.status(), response.text().await.expect("body")));
    }
    assert_eq!(answers[0], answers[1]);
}

async fn a_password_change_ends_other_sessions_and_old_tokens(app: TestApp) {
    let browser = |app: &TestApp| {
        let client = reqwest::Client::builder()
            .cookie_store(true)
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("client");
        let base = app.address.clone();
        async move {
            let response = client
                .post(format!("{base}/bff/login"))
                .header("x-requested-with", "kyros-shell")
                .json(&json!({ "email": "analyst@acme.com", "password": DEMO_PASSWORD }))
                .send()
                .await
                .expect("login");
            assert_eq!(response.status(), 200);
            client
        }
    };
    let a = browser(&app).await;
    let b = browser(&app).await;
    let (old_scoped, acme) = app.scoped_token("analyst@acme.com", "acme-corp").await;
    let old_user = app.user_token("analyst@acme.com").await;

    let sessions: Value = a
        .get(app.url("/bff/sessions"))
        .send()
        .await
        .expect("sessions")
        .json()
        .await
        .expect("json");
    assert!(sessions.as_array().expect("list").len() >= 2);
    assert_eq!(
        sessions
            .as_array()
            .expect("list")
            .iter()
            .filter(|s| s["current"] == true)
            .count(),
        1
    );

    // A wrong current password is refused without ending anything (and not a 401).
    let wrong = a
        .post(app.url("/bff/password"))
        .header("x-requested-with", "kyros-shell")
        .json(&json!({ "current_password": "not-it-at-all", "new_password": STRONG }))
        .send()
        .await
        .expect("request");
    assert_eq!(
        assert_problem(wrong, 403).await["code"],
        "invalid_credentials"
    );
    let weak = a
        .post(app.url("/bff/password"))
        .header("x-requested-with", "kyros-shell")
        .json(&json!({ "current_password": DEMO_PASSWORD, "new_password": "short" }))
        .send()
        .await
        .expect("request");
    assert_eq!(assert_problem(weak, 400).await["code"], "weak_password");

    let changed = a
        .post(app.url("/bff/password"))
        .header("x-requested-with", "kyros-shell")
        .json(&json!({ "current_password": DEMO_PASSWORD, "new_password": STRONG }))
        .send()
        .await
        .expect("request");
    assert_eq!(changed.status(), StatusCode::NO_CONTENT);
    // This session goes on, with fresh tokens; the other one is over.
    assert_eq!(
        a.get(app.url("/bff/me")).send().await.expect("me").status(),
        200
    );
    assert_eq!(
        a.get(app.url("/bff/dashboards"))
            .send()
            .await
            .expect("list")
            .status(),
        200
    );
    assert_problem(b.get(app.url("/bff/me")).send().await.expect("me"), 401).await;
    // Tokens issued before are refused.
    assert_problem(app.get_with("/api/me", &old_user).await, 401).await;
    assert_problem(
        app.get_with(&format!("/api/tenant/{acme}"), &old_scoped)
            .await,
        401,
    )
    .await;
    assert_problem(
        app.login_response("analyst@acme.com", DEMO_PASSWORD).await,
        401,
    )
    .await;
    let fresh = app.token_for("analyst@acme.com", STRONG).await;

    // The REST endpoint answers a new token and refuses the one it was called with.
    let response = app
        .call(
            Method::POST,
            "/api/auth/password/change",
            &fresh,
            Some(json!({ "current_password": STRONG, "new_password": STRONGER })),
        )
        .await;
    assert_eq!(response.status(), 200);
    let body: Value = response.json().await.expect("json");
    let newest = body["access_token"].as_str().expect("token");
    assert_eq!(app.get_with("/api/me", newest).await.status(), 200);
    assert_problem(app.get_with("/api/me", &fresh).await, 401).await;
    assert!(!app.audit_rows("password_change").await.is_empty());
    // The user was told by mail.
    let mail = app.last_mail_to("analyst@acme.com").await.expect("mail");
    assert!(mail["subject"]
        .as_str()
        .expect("subject")
        .contains("password was changed"));
}

async fn one_session_can_be_ended_from_another(app: TestApp) {
    let login = || async {
        let client = reqwest::Client::builder()
            .cookie_store(true)
            .build()
            .expect("client");
        let response = client
            .post(app.url("/bff/login"))
            .header("x-requested-with", "kyros-shell")
            .header("user-agent", "Test Browser 1.0")
            .json(&json!({ "email": "viewer@beta.com", "password": DEMO_PASSWORD }))
            .send()
            .await
            .expect("login");
        assert_eq!(response.status(), 200);
        client
    };
    let a = login().await;
    let b = login().await;
    let sessions: Value = a
        .get(app.url("/bff/sessions"))
        .send()
        .await
        .expect("list")
        .json()
        .await
        .expect("json");
    let other = sessions
        .as_array()
        .expect("list")
        .iter()
        .find(|s| s["current"] == false)
        .expect("the other session")["id"]
        .as_str()
        .expect("id")
        .to_owned();
    assert_eq!(sessions[0]["user_agent"], "Test Browser 1.0");
    let ended = a
        .delete(app.url(&format!("/bff/sessions/{other}")))
        .header("x-requested-with", "kyros-shell")
        .send()
        .await
        .expect("end");
    assert_eq!(ended.status(), StatusCode::NO_CONTENT);
    assert_problem(b.get(app.url("/bff/me")).send().await.expect("me"), 401).await;
    assert_eq!(
        a.get(app.url("/bff/me")).send().await.expect("me").status(),
        200
    );
    // Not one's own (or no such) session: 404, and CSRF rules apply.
    let unknown = a
        .delete(app.url("/bff/sessions/00000000-0000-4000-8000-000000000000"))
        .header("x-requested-with", "kyros-shell")
        .send()
        .await
        .expect("end");
    assert_problem(unknown, 404).await;
    let no_csrf = a
        .delete(app.url(&format!("/bff/sessions/{other}")))
        .send()
        .await
        .expect("end");
    assert_problem(no_csrf, 403).await;
}

async fn operators_manage_the_directory(app: TestApp) {
    let admin = app.admin_token().await;
    let acme = app.tenant_id("acme-corp").await;
    let created = app
        .admin(
            Method::POST,
            "/admin/users",
            &admin,
            Some(json!({ "email": "dana@example.com", "name": "Dana", "memberships": [{ "tenant_id": acme, "role": "viewer" }] })),
        )
        .await;
    assert_eq!(created.status(), StatusCode::CREATED);
    let created: Value = created.json().await.expect("json");
    assert!(created["invitation_url"]
        .as_str()
        .expect("url")
        .contains("/invite#token="));
    assert_eq!(created["user"]["invitation_pending"], true);
    let id = created["user"]["id"].as_str().expect("id").to_owned();
    // A second account with the same email is a conflict; unknown tenants are 404.
    let duplicate = app
        .admin(
            Method::POST,
            "/admin/users",
            &admin,
            Some(json!({ "email": "DANA@example.com" })),
        )
        .await;
    assert_problem(duplicate, 409).await;
    let unknown_tenant = app
        .admin(
            Method::POST,
            "/admin/users",
            &admin,
            Some(json!({ "email": "eve@example.com", "memberships": [{ "tenant_id": "00000000-0000-4000-8000-000000000000", "role": "viewer" }] })),
        )
        .await;
    assert_problem(unknown_tenant, 404).await;

    // Exact search, and paging with a cursor.
    let found: Value = app
        .admin(
            Method::GET,
            "/admin/users?email=dana@example.com",
            &admin,
            None,
        )
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(found["items"].as_array().expect("items").len(), 1);
    let mut seen = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let path = match &cursor {
            Some(c) => format!("/admin/users?limit=2&cursor={c}"),
            None => "/admin/users?limit=2".to_owned(),
        };
        let page: Value = app
            .admin(Method::GET, &path, &admin, None)
            .await
            .json()
            .await
            .expect("json");
        for item in page["items"].as_array().expect("items") {
            seen.push(item["email"].as_str().expect("email").to_owned());
        }
        match page["next_cursor"].as_str() {
            Some(next) => cursor = Some(next.to_owned()),
            None => break,
        }
    }
    assert_eq!(seen.len(), 4, "three demo users and Dana: {seen:?}");
    let mut sorted = seen.clone();
    sorted.sort();
    assert_eq!(seen, sorted);
    assert_problem(
        app.admin(Method::GET, "/admin/users?cursor=%%%", &admin, None)
            .await,
        400,
    )
    .await;
    assert_problem(
        app.admin(Method::GET, "/admin/users?limit=0", &admin, None)
            .await,
        400,
    )
    .await;

    // Rename and deactivate.
    let patched = app
        .admin(
            Method::PATCH,
            &format!("/admin/users/{id}"),
            &admin,
            Some(json!({ "name": "Dana Scully", "is_active": false })),
        )
        .await;
    assert_eq!(patched.status(), 200);
    let patched: Value = patched.json().await.expect("json");
    assert_eq!(patched["name"], "Dana Scully");
    assert_eq!(patched["is_active"], false);
    for bad in [
        json!({ "name": "x".repeat(201) }),
        json!({ "name": "a\u{0}b" }),
        json!([true]),
    ] {
        assert_problem(
            app.admin(
                Method::PATCH,
                &format!("/admin/users/{id}"),
                &admin,
                Some(bad),
            )
            .await,
            400,
        )
        .await;
    }
    assert_problem(
        app.admin(
            Method::PATCH,
            "/admin/users/not-a-uuid",
            &admin,
            Some(json!({})),
        )
        .await,
        404,
    )
    .await;

    // Tenants are listed a page at a time too.
    let tenants: Value = app
        .admin(Method::GET, "/admin/tenants?limit=1", &admin, None)
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(tenants["items"].as_array().expect("items").len(), 1);
    assert!(tenants["next_cursor"].is_string());
    // The outbox holds the invitation (no SMTP configured).
    let mail = app.last_mail_to("dana@example.com").await.expect("mail");
    assert_eq!(mail["status"], "logged");
}

async fn erasure_leaves_no_personal_data_but_audit_ids(app: TestApp) {
    let email = "erin.erasable@example.com";
    let id = app.provision(email, "acme-corp", "viewer").await;
    // Leave traces: sessions, preferences, audit rows, mail, a failed login.
    let client = reqwest::Client::builder()
        .cookie_store(true)
        .build()
        .expect("client");
    let login = client
        .post(app.url("/bff/login"))
        .header("x-requested-with", "kyros-shell")
        .json(&json!({ "email": email, "password": STRONG }))
        .send()
        .await
        .expect("login");
    assert_eq!(login.status(), 200);
    let _ = app.login_response(email, "wrong password here").await;
    app.post_json("/api/auth/password/forgot", json!({ "email": email }))
        .await;
    app.mailed_token(email).await;

    let admin = app.admin_token().await;
    let erased = app
        .admin(Method::DELETE, &format!("/admin/users/{id}"), &admin, None)
        .await;
    assert_eq!(erased.status(), StatusCode::NO_CONTENT);
    assert_problem(
        app.admin(Method::DELETE, &format!("/admin/users/{id}"), &admin, None)
            .await,
        404,
    )
    .await;
    assert_problem(
        client.get(app.url("/bff/me")).send().await.expect("me"),
        401,
    )
    .await;

    let rows = app.db.run(every_row_as_text).await.expect("dump");
    for (table, row) in &rows {
        for secret in [email, "Pat Example", "erin.erasable"] {
            assert!(
                !row.contains(secret),
                "{table} still holds {secret:?}: {row}"
            );
        }
    }
    assert!(
        rows.iter()
            .any(|(t, row)| t == "audit_logs" && row.contains(&id)),
        "the audit trail keeps the user id"
    );
}

/// Every row of every table, as text (SQLite and PostgreSQL).
fn every_row_as_text(
    conn: &mut kyros::store::DbConnection,
) -> kyros::store::StoreResult<Vec<(String, String)>> {
    use diesel::prelude::*;
    use diesel::sql_types::Text;
    #[derive(QueryableByName)]
    struct Name {
        #[diesel(sql_type = Text)]
        name: String,
    }
    #[derive(QueryableByName)]
    struct RowText {
        #[diesel(sql_type = Text)]
        row_text: String,
    }
    let postgres = matches!(conn, kyros::store::DbConnection::Postgres(_));
    let tables: Vec<Name> = if postgres {
        diesel::sql_query("SELECT table_name::text AS name FROM information_schema.tables WHERE table_schema = 'public'")
            .load(conn)?
    } else {
        diesel::sql_query(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'",
        )
        .load(conn)?
    };
    let mut out = Vec::new();
    for Name { name } in tables {
        let query = if postgres {
            format!("SELECT row_to_json(t)::text AS row_text FROM \"{name}\" t")
        } else {
            let columns: Vec<Name> =
                diesel::sql_query(format!("SELECT name FROM pragma_table_info('{name}')"))
                    .load(conn)?;
            let joined = columns
                .iter()
                .map(|c| format!("COALESCE(CAST(\"{}\" AS TEXT), '')", c.name))
                .collect::<Vec<_>>()
                .join(" || '|' || ");
            format!("SELECT {joined} AS row_text FROM \"{name}\"")
        };
        for RowText { row_text } in diesel::sql_query(query).load::<RowText>(conn)? {
            out.push((name.clone(), row_text));
        }
    }
    Ok(out)
}

async fn hostile_people_input_is_refused_cleanly(app: TestApp) {
    let (admin, acme) = app.scoped_token("admin@acme.com", "acme-corp").await;
    let path = format!("/api/tenant/{acme}/users");
    for email in [
        "\u{0430}dmin@acme.com".to_owned(),
        "nul\u{0}@example.com".to_owned(),
        format!("{}@example.com", "a".repeat(10_000)),
        "not-an-email".to_owned(),
        "<script>@example.com".to_owned(),
    ] {
        let response = app
            .call(
                Method::POST,
                &path,
                &admin,
                Some(json!({ "email": email, "role": "viewer" })),
            )
            .await;
        let status = response.status().as_u16();
        assert!(status == 400 || status == 413, "{status}");
        assert_problem(response, status).await;
    }
    let response = app
        .call(
            Method::POST,
            &path,
            &admin,
            Some(json!({ "email": "a@example.com", "role": "owner" })),
        )
        .await;
    assert_problem(response, 400).await;
    let operator = app.admin_token().await;
    for body in [
        json!({ "email": "b@example.com", "name": "n".repeat(10_000) }),
        json!({ "email": "c@example.com", "name": "bad\u{0}name" }),
        json!({ "email": "\u{0}" }),
    ] {
        let response = app
            .admin(Method::POST, "/admin/users", &operator, Some(body))
            .await;
        let status = response.status().as_u16();
        assert!(status == 400 || status == 413, "{status}");
        assert_problem(response, status).await;
    }
    for body in [
        json!({ "token": "\u{0}", "password": STRONG }),
        json!({ "token": "x".repeat(100_000), "password": STRONG }),
        json!({ "token": "abc", "password": "\u{0}".repeat(20) }),
    ] {
        let response = app.post_json("/api/auth/invitations/accept", body).await;
        let status = response.status().as_u16();
        assert!(status == 400 || status == 413, "{status}");
        assert_problem(response, status).await;
    }
}

async fn an_invitation_burst_is_limited_per_tenant(backend: Backend) {
    let app = spawn_app_with(backend, &[("KYROS_INVITES_PER_HOUR", "25")]).await;
    let (admin, acme) = app.scoped_token("admin@acme.com", "acme-corp").await;
    let path = format!("/api/tenant/{acme}/users");
    let mut created = 0;
    let mut limited = 0;
    for chunk in 0..100 {
        let calls = (0..100).map(|i| {
            let body =
                json!({ "email": format!("burst-{chunk}-{i}@example.com"), "role": "viewer" });
            app.call(Method::POST, &path, &admin, Some(body))
        });
        for response in futures_util::future::join_all(calls).await {
            match response.status().as_u16() {
                201 => created += 1,
                429 => {
                    assert!(response.headers().contains_key("retry-after"));
                    assert_problem(response, 429).await;
                    limited += 1;
                }
                other => panic!("unexpected {other}"),
            }
        }
    }
    assert_eq!(created + limited, 10_000);
    assert!(
        created <= 26,
        "at most the hourly allowance got through: {created}"
    );
    assert!(created >= 1);
}

async fn failed_sign_ins_back_off_per_account_without_locking_anyone_out(backend: Backend) {
    let app = spawn_app_with(backend, &[("KYROS_SIGNIN_BACKOFF_AFTER", "3")]).await;
    for _ in 0..3 {
        assert_problem(
            app.login_response("analyst@acme.com", "wrong guess").await,
            401,
        )
        .await;
    }
    // The next attempt waits, even with the right password, and says how long.
    let held = app.login_response("analyst@acme.com", DEMO_PASSWORD).await;
    let retry: u64 = held.headers()["retry-after"]
        .to_str()
        .expect("ascii")
        .parse()
        .expect("seconds");
    assert!((1..=900).contains(&retry));
    assert_problem(held, 429).await;
    // Unknown accounts are held back the same way (nothing to learn from the answers).
    for _ in 0..3 {
        assert_problem(
            app.login_response("ghost@example.com", "wrong guess").await,
            401,
        )
        .await;
    }
    assert_problem(
        app.login_response("ghost@example.com", "wrong guess").await,
        429,
    )
    .await;
    // Other accounts are not affected.
    app.token_for("viewer@beta.com", DEMO_PASSWORD).await;
    // Not a lock-out: once the wait is over, the right password works.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    loop {
        let response = app.login_response("analyst@acme.com", DEMO_PASSWORD).await;
        if response.status() == 200 {
            break;
        }
        assert_eq!(response.status(), 429);
        assert!(std::time::Instant::now() < deadline, "still held back");
        actix_web::rt::time::sleep(std::time::Duration::from_millis(200)).await;
    }
    let throttled = app.audit_rows("login").await;
    assert!(throttled.iter().any(|r| r["outcome"] == "throttled"));
}

matrix!(
    an_invited_person_accepts_and_signs_in,
    resets_with_used_expired_or_forged_tokens_change_nothing,
    two_concurrent_uses_of_one_link_let_exactly_one_win,
    a_tenant_admin_of_acme_cannot_touch_beta,
    the_last_admin_is_kept,
    viewers_cannot_manage_people,
    answers_do_not_tell_whether_an_email_exists,
    a_password_change_ends_other_sessions_and_old_tokens,
    one_session_can_be_ended_from_another,
    operators_manage_the_directory,
    erasure_leaves_no_personal_data_but_audit_ids,
    hostile_people_input_is_refused_cleanly,
);

mod backend_matrix {
    use super::*;

    #[actix_web::test]
    async fn invitation_burst_sqlite() {
        an_invitation_burst_is_limited_per_tenant(Backend::Sqlite).await
    }
    #[actix_web::test]
    async fn invitation_burst_postgres() {
        an_invitation_burst_is_limited_per_tenant(Backend::Postgres).await
    }
    #[actix_web::test]
    async fn sign_in_back_off_sqlite() {
        failed_sign_ins_back_off_per_account_without_locking_anyone_out(Backend::Sqlite).await
    }
    #[actix_web::test]
    async fn sign_in_back_off_postgres() {
        failed_sign_ins_back_off_per_account_without_locking_anyone_out(Backend::Postgres).await
    }
}
