//! `spawn_app` and friends.

use std::collections::HashMap;

use diesel::connection::SimpleConnection;
use diesel::{Connection, PgConnection};
use kyros::config::Settings;
use kyros::startup::Application;
use kyros::store::Db;
use reqwest::{Response, StatusCode};
use serde_json::{json, Value};

pub const SIGNING_KEY: &str = "integration-tests-signing-key-0123456789";
pub const DEMO_PASSWORD: &str = "demo-password-for-tests";
pub const ADMIN_CLIENT_ID: &str = "ops-console";
pub const ADMIN_CLIENT_SECRET: &str = "admin-secret-for-tests-0123";

#[derive(Debug, Clone, Copy)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// A throw-away PostgreSQL database, dropped with the test.
pub struct PgDatabase {
    admin_url: String,
    name: String,
}

impl PgDatabase {
    pub fn create() -> Self {
        let admin_url = std::env::var("KYROS_TEST_PG_URL")
            .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into());
        let name = format!("kyros_test_{}", uuid::Uuid::new_v4().simple());
        let mut conn = PgConnection::establish(&admin_url)
            .expect("PostgreSQL at KYROS_TEST_PG_URL is reachable");
        conn.batch_execute(&format!("CREATE DATABASE {name}"))
            .expect("create test database");
        PgDatabase { admin_url, name }
    }

    pub fn url(&self) -> String {
        match self.admin_url.rsplit_once('/') {
            Some((base, _)) => format!("{base}/{}", self.name),
            None => panic!("bad KYROS_TEST_PG_URL"),
        }
    }
}

impl Drop for PgDatabase {
    fn drop(&mut self) {
        if let Ok(mut conn) = PgConnection::establish(&self.admin_url) {
            let _ = conn.batch_execute(&format!(
                "DROP DATABASE IF EXISTS {} WITH (FORCE)",
                self.name
            ));
        }
    }
}

pub struct TestApp {
    pub address: String,
    pub admin_address: String,
    pub client: reqwest::Client,
    pub db: Db,
    pub settings: Settings,
    _data_dir: tempfile::TempDir,
    _pg: Option<PgDatabase>,
}

pub async fn spawn_app(backend: Backend) -> TestApp {
    spawn_app_with(backend, &[]).await
}

/// Spawns the application with extra environment-style settings.
pub async fn spawn_app_with(backend: Backend, extra: &[(&str, &str)]) -> TestApp {
    let data_dir = tempfile::tempdir().expect("temp dir");
    let pg = match backend {
        Backend::Postgres => Some(PgDatabase::create()),
        Backend::Sqlite => None,
    };
    let mut vars: HashMap<String, String> = HashMap::new();
    vars.insert("KYROS_BIND".into(), "127.0.0.1:0".into());
    vars.insert("KYROS_ADMIN_BIND".into(), "127.0.0.1:0".into());
    vars.insert(
        "KYROS_DATA_DIR".into(),
        data_dir.path().display().to_string(),
    );
    vars.insert("KYROS_SIGNING_KEY".into(), SIGNING_KEY.into());
    vars.insert("KYROS_DEMO_PASSWORD".into(), DEMO_PASSWORD.into());
    vars.insert("KYROS_GENERATE_DEMO_DATA".into(), "false".into());
    vars.insert("KYROS_ADMIN_CLIENT_ID".into(), ADMIN_CLIENT_ID.into());
    // Tests log in far more often than people; the rate-limit tests set their own limits.
    vars.insert("KYROS_LOGIN_RATE_PER_MIN".into(), "100000".into());
    vars.insert(
        "KYROS_ADMIN_CLIENT_SECRET".into(),
        ADMIN_CLIENT_SECRET.into(),
    );
    if let Some(pg) = &pg {
        vars.insert("DATABASE_URL".into(), pg.url());
    }
    for (k, v) in extra {
        vars.insert((*k).into(), (*v).into());
    }
    let settings =
        Settings::from_lookup(|k| vars.get(k).cloned()).expect("test settings are valid");
    let app = Application::build(settings.clone())
        .await
        .expect("application builds");
    let address = format!("http://127.0.0.1:{}", app.port());
    let admin_address = format!("http://127.0.0.1:{}", app.admin_port());
    actix_web::rt::spawn(app.run_until_stopped());
    let db = Db::new(&settings.database, 2, std::time::Duration::from_secs(5));
    let settings = settings.clone();
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .cookie_store(true)
        .build()
        .expect("client");
    TestApp {
        address,
        admin_address,
        client,
        db,
        settings,
        _data_dir: data_dir,
        _pg: pg,
    }
}

/// A parsed problem+json response.
pub async fn assert_problem(response: Response, status: u16) -> Value {
    assert_eq!(response.status().as_u16(), status, "unexpected status");
    assert!(
        response.headers().contains_key("x-request-id"),
        "x-request-id missing"
    );
    let content_type = response
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_owned();
    assert_eq!(content_type, "application/problem+json");
    let body: Value = response.json().await.expect("problem body is JSON");
    for member in ["type", "title", "status", "detail", "code", "request_id"] {
        assert!(body.get(member).is_some(), "problem lacks {member}: {body}");
    }
    assert_eq!(body["status"], status);
    assert!(!body["request_id"].as_str().unwrap_or("").is_empty());
    body
}

impl TestApp {
    pub fn admin_url(&self, path: &str) -> String {
        format!("{}{}", self.admin_address, path)
    }

    /// An admin API token through client credentials (HTTP Basic).
    pub async fn admin_token(&self) -> String {
        let response = self
            .client
            .post(self.admin_url("/admin/token"))
            .basic_auth(ADMIN_CLIENT_ID, Some(ADMIN_CLIENT_SECRET))
            .form(&[("grant_type", "client_credentials")])
            .send()
            .await
            .expect("request");
        assert_eq!(response.status(), StatusCode::OK, "admin token");
        let body: Value = response.json().await.expect("json");
        body["access_token"].as_str().expect("token").to_owned()
    }

    pub async fn admin(
        &self,
        method: reqwest::Method,
        path: &str,
        token: &str,
        body: Option<Value>,
    ) -> Response {
        let mut request = self
            .client
            .request(method, self.admin_url(path))
            .bearer_auth(token);
        if let Some(body) = body {
            request = request.json(&body);
        }
        request.send().await.expect("request")
    }

    /// Audit rows of an action, newest first, through the admin API.
    pub async fn audit_rows(&self, action: &str) -> Vec<Value> {
        let token = self.admin_token().await;
        let response = self
            .admin(
                reqwest::Method::GET,
                "/admin/audit?limit=1000",
                &token,
                None,
            )
            .await;
        assert_eq!(response.status(), StatusCode::OK);
        let rows: Vec<Value> = response.json().await.expect("json");
        rows.into_iter().filter(|r| r["action"] == action).collect()
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.address, path)
    }

    pub async fn login_response(&self, email: &str, password: &str) -> Response {
        self.client
            .post(self.url("/api/auth/login"))
            .json(&json!({ "email": email, "password": password }))
            .send()
            .await
            .expect("request")
    }

    /// Logs in a demo user and returns the user access token.
    pub async fn user_token(&self, email: &str) -> String {
        let response = self.login_response(email, DEMO_PASSWORD).await;
        assert_eq!(response.status(), StatusCode::OK, "login of {email}");
        let body: Value = response.json().await.expect("json");
        body["access_token"].as_str().expect("token").to_owned()
    }

    pub async fn get_with(&self, path: &str, token: &str) -> Response {
        self.client
            .get(self.url(path))
            .bearer_auth(token)
            .send()
            .await
            .expect("request")
    }

    pub async fn me(&self, token: &str) -> Value {
        let response = self.get_with("/api/me", token).await;
        assert_eq!(response.status(), StatusCode::OK);
        response.json().await.expect("json")
    }

    /// The tenant id of a slug, as `admin@acme.com` (member of both) sees it.
    pub async fn tenant_id(&self, slug: &str) -> String {
        let token = self.user_token("admin@acme.com").await;
        let me = self.me(&token).await;
        me["tenants"]
            .as_array()
            .expect("tenants")
            .iter()
            .find(|t| t["slug"] == slug)
            .and_then(|t| t["id"].as_str())
            .expect("tenant present")
            .to_owned()
    }

    pub async fn exchange(&self, user_token: &str, tenant_id: &str) -> Response {
        self.client
            .post(self.url("/api/token/exchange"))
            .bearer_auth(user_token)
            .json(&json!({ "tenant_id": tenant_id }))
            .send()
            .await
            .expect("request")
    }

    /// A scoped token for a demo user in a demo tenant.
    pub async fn scoped_token(&self, email: &str, slug: &str) -> (String, String) {
        let tenant_id = self.tenant_id(slug).await;
        let user = self.user_token(email).await;
        let response = self.exchange(&user, &tenant_id).await;
        assert_eq!(
            response.status(),
            StatusCode::OK,
            "exchange {email} → {slug}"
        );
        let body: Value = response.json().await.expect("json");
        (
            body["access_token"].as_str().expect("token").to_owned(),
            tenant_id,
        )
    }

    /// The application's services over this test's database (a second instance of
    /// them, sharing the store and key ring).
    pub fn services(&self) -> kyros::state::AppState {
        let keys = kyros::auth::keys::KeyRing::for_settings(self.db.clone(), &self.settings)
            .expect("key ring");
        kyros::state::AppState::build(self.settings.clone(), self.db.clone(), keys, None)
            .expect("services")
    }

    /// A validated `TenantScope` for a demo user in a demo tenant: a real scoped token,
    /// checked by `Tenancy` (the only way to one).
    pub async fn tenant_scope(&self, email: &str, slug: &str) -> kyros::tenancy::TenantScope {
        let (token, _) = self.scoped_token(email, slug).await;
        self.services()
            .tenancy
            .scope_from_token(&token)
            .await
            .expect("a valid scoped token gives a scope")
    }

    pub fn user_id(&self, email: &str) -> kyros_common::ids::UserId {
        let mut conn = self.db.conn().expect("conn");
        kyros::store::users::find_by_email(&mut conn, email)
            .expect("query")
            .and_then(|u| u.user_id())
            .expect("user exists")
    }
}
