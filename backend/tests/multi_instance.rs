//! Three real `kyros serve` processes sharing one PostgreSQL database and one Redis
//! (`REDIS_URL`): a session started on one instance is the same session on the other,
//! and losing an instance loses nothing.
//!
//! Needs PostgreSQL on 127.0.0.1:5432 (or `KYROS_TEST_PG_URL`) and Redis on
//! 127.0.0.1:6379 (or `KYROS_TEST_REDIS_URL`); the test command starts both.

use std::net::TcpListener;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use diesel::connection::SimpleConnection;
use diesel::{Connection, PgConnection, RunQueryDsl};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

const COOKIE: &str = "__Host-kyros_session";
const PASSWORD: &str = "multi-instance-demo-password";
const SIGNING_KEY: &str = "multi-instance-shared-signing-key-0123456789";

struct PgDatabase {
    admin_url: String,
    name: String,
}

impl PgDatabase {
    fn create() -> Self {
        let admin_url = std::env::var("KYROS_TEST_PG_URL")
            .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into());
        let name = format!("kyros_multi_{}", uuid::Uuid::new_v4().simple());
        let mut conn = PgConnection::establish(&admin_url).expect("PostgreSQL is reachable");
        conn.batch_execute(&format!("CREATE DATABASE {name}"))
            .expect("create test database");
        PgDatabase { admin_url, name }
    }

    fn url(&self) -> String {
        let (base, _) = self
            .admin_url
            .rsplit_once('/')
            .expect("URL with a database");
        format!("{base}/{}", self.name)
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

/// One `kyros serve` child process, killed when dropped.
struct Instance {
    child: Child,
    base: String,
}

impl Drop for Instance {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

async fn start(name: &str, database_url: &str, data_dir: &Path) -> Instance {
    let redis =
        std::env::var("KYROS_TEST_REDIS_URL").unwrap_or_else(|_| "redis://127.0.0.1:6379".into());
    let port = free_port();
    let log = std::fs::File::create(data_dir.join(format!("{name}.log"))).expect("log file");
    let child = Command::new(env!("CARGO_BIN_EXE_kyros"))
        .arg("serve")
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("DATABASE_URL", database_url)
        .env("REDIS_URL", redis)
        .env("KYROS_BIND", format!("127.0.0.1:{port}"))
        .env("KYROS_ADMIN_BIND", "127.0.0.1:0")
        .env("KYROS_DATA_DIR", data_dir)
        .env("KYROS_SIGNING_KEY", SIGNING_KEY)
        .env("KYROS_DEMO_PASSWORD", PASSWORD)
        .env("KYROS_DEMO_ROWS", "3000")
        .env("KYROS_LOGIN_RATE_PER_MIN", "100000")
        .env("RUST_LOG", "warn")
        .stdout(Stdio::null())
        .stderr(log)
        .spawn()
        .expect("kyros serve starts");
    let instance = Instance {
        child,
        base: format!("http://127.0.0.1:{port}"),
    };
    let client = reqwest::Client::new();
    let deadline = Instant::now() + Duration::from_secs(120);
    loop {
        if let Ok(r) = client.get(format!("{}/ready", instance.base)).send().await {
            if r.status() == StatusCode::OK {
                return instance;
            }
        }
        assert!(
            Instant::now() < deadline,
            "instance {name} not ready in time; see {}",
            data_dir.join(format!("{name}.log")).display()
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

/// The browser: one cookie, whichever instance it talks to.
struct Browser {
    client: reqwest::Client,
    cookie: Option<String>,
}

impl Browser {
    async fn call(
        &mut self,
        instance: &Instance,
        method: Method,
        path: &str,
        body: Option<Value>,
    ) -> (StatusCode, Value) {
        let mut request = self
            .client
            .request(method, format!("{}{path}", instance.base))
            .header("x-requested-with", "kyros-shell");
        if let Some(cookie) = &self.cookie {
            request = request.header("cookie", format!("{COOKIE}={cookie}"));
        }
        if let Some(body) = body {
            request = request.json(&body);
        }
        let response = request.send().await.expect("request");
        for value in response.headers().get_all("set-cookie") {
            let text = value.to_str().expect("ascii");
            if let Some(rest) = text.strip_prefix(&format!("{COOKIE}=")) {
                let value = rest.split(';').next().unwrap_or_default().to_owned();
                self.cookie = (!value.is_empty()).then_some(value);
            }
        }
        let status = response.status();
        let body = response.json::<Value>().await.unwrap_or(Value::Null);
        (status, body)
    }
}

/// How many Kyros session keys Redis holds.
async fn redis_sessions() -> usize {
    let url =
        std::env::var("KYROS_TEST_REDIS_URL").unwrap_or_else(|_| "redis://127.0.0.1:6379".into());
    let client = redis::Client::open(url).expect("redis url");
    let mut conn = client
        .get_multiplexed_async_connection()
        .await
        .expect("redis connection");
    let keys: Vec<String> = redis::cmd("KEYS")
        .arg("kyros:session:*")
        .query_async(&mut conn)
        .await
        .expect("KEYS");
    keys.len()
}

fn active_tenant(me: &Value) -> &str {
    me["active_tenant"]["slug"].as_str().unwrap_or("")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_instances_share_sessions_through_redis_and_survive_losing_one() {
    let pg = PgDatabase::create();
    let data = tempfile::tempdir().expect("temp dir");
    // A first, alone: it migrates, seeds and generates the demo data; then B and C.
    let a = start("a", &pg.url(), data.path()).await;
    let b = start("b", &pg.url(), data.path()).await;
    let c = start("c", &pg.url(), data.path()).await;
    let mut browser = Browser {
        client: reqwest::Client::new(),
        cookie: None,
    };

    let (status, me) = browser
        .call(
            &a,
            Method::POST,
            "/bff/login",
            Some(json!({ "email": "admin@acme.com", "password": PASSWORD })),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "login on A: {me}");
    let (status, me) = browser
        .call(
            &a,
            Method::POST,
            "/bff/tenant",
            Some(json!({ "tenant": "acme-corp" })),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "tenant selected on A: {me}");
    // The session lives in Redis (not in the database's session table).
    assert!(
        redis_sessions().await >= 1,
        "a kyros:session:* key exists in Redis"
    );
    let mut conn = PgConnection::establish(&pg.url()).expect("database");
    let in_db: i64 = diesel::dsl::select(diesel::dsl::sql::<diesel::sql_types::BigInt>(
        "(SELECT count(*) FROM sessions)",
    ))
    .get_result(&mut conn)
    .expect("count");
    assert_eq!(
        in_db, 0,
        "no session row in the database when REDIS_URL is set"
    );

    // B serves the session A created.
    let (status, me) = browser.call(&b, Method::GET, "/bff/me", None).await;
    assert_eq!(status, StatusCode::OK, "the session is known on B: {me}");
    assert_eq!(active_tenant(&me), "acme-corp");
    let (status, charts) = browser
        .call(
            &b,
            Method::GET,
            "/bff/dashboards/customer-lifetime-value/charts",
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK, "charts through B: {charts}");
    assert!(!charts["charts"].as_array().expect("charts").is_empty());

    // Switch tenant on B; A sees the switch.
    let (status, me) = browser
        .call(
            &b,
            Method::POST,
            "/bff/tenant",
            Some(json!({ "tenant": "beta-ind" })),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "switch on B: {me}");
    let (_, me) = browser.call(&a, Method::GET, "/bff/me", None).await;
    assert_eq!(active_tenant(&me), "beta-ind", "A sees B's switch");
    let saved = json!({ "filters": { "region": ["EMEA"] } });
    let (status, _) = browser
        .call(
            &c,
            Method::PUT,
            "/bff/dashboards/risk-analysis/preferences",
            Some(saved),
        )
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT, "preferences saved on C");

    // Lose C mid-run: A and B keep serving the same session, nothing C wrote is lost.
    drop(c);
    for instance in [&a, &b] {
        let (status, me) = browser.call(instance, Method::GET, "/bff/me", None).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(active_tenant(&me), "beta-ind");
        let (status, detail) = browser
            .call(instance, Method::GET, "/bff/dashboards/risk-analysis", None)
            .await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(detail["saved_filters"]["region"], json!(["EMEA"]));
    }

    // A revocation written elsewhere (here: straight into the database, with the
    // metadata epoch bumped as every writer in `store/` does) reaches the membership
    // each instance remembers within its 250 ms epoch poll.
    let api = reqwest::Client::new();
    let login: Value = api
        .post(format!("{}/api/auth/login", a.base))
        .json(&json!({ "email": "admin@acme.com", "password": PASSWORD }))
        .send()
        .await
        .expect("login")
        .json()
        .await
        .expect("json");
    let user_token = login["access_token"].as_str().expect("user token");
    let beta: String = diesel::dsl::select(diesel::dsl::sql::<diesel::sql_types::Text>(
        "(SELECT id FROM tenants WHERE slug = 'beta-ind')",
    ))
    .get_result(&mut conn)
    .expect("beta id");
    let exchanged: Value = api
        .post(format!("{}/api/token/exchange", b.base))
        .bearer_auth(user_token)
        .json(&json!({ "tenant_id": beta }))
        .send()
        .await
        .expect("exchange")
        .json()
        .await
        .expect("json");
    let scoped = exchanged["access_token"].as_str().expect("scoped token");
    let tenant_status = |instance: &Instance| {
        let request = api
            .get(format!("{}/api/tenant/{beta}", instance.base))
            .bearer_auth(scoped)
            .send();
        async move { request.await.expect("request").status() }
    };
    for instance in [&a, &b] {
        assert_eq!(tenant_status(instance).await, StatusCode::OK);
    }
    conn.batch_execute(
        "DELETE FROM user_tenants \
         WHERE user_id = (SELECT id FROM users WHERE email = 'admin@acme.com') \
           AND tenant_id = (SELECT id FROM tenants WHERE slug = 'beta-ind'); \
         UPDATE metadata_epoch SET epoch = epoch + 1;",
    )
    .expect("revoked");
    for instance in [&a, &b] {
        let deadline = Instant::now() + Duration::from_secs(5);
        loop {
            let status = tenant_status(instance).await;
            if status == StatusCode::UNAUTHORIZED {
                break;
            }
            assert_eq!(
                status,
                StatusCode::OK,
                "only the remembered answer, then 401"
            );
            assert!(Instant::now() < deadline, "the revocation was not noticed");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    // Log out on A: the session is refused on B (and on A).
    let old_cookie = browser.cookie.clone();
    let (status, _) = browser.call(&a, Method::POST, "/bff/logout", None).await;
    assert!(status.is_success(), "logout on A: {status}");
    browser.cookie = old_cookie;
    let (status, problem) = browser.call(&b, Method::GET, "/bff/me", None).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "replayed on B: {problem}");
    let (status, _) = browser.call(&a, Method::GET, "/bff/me", None).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "replayed on A");
}
