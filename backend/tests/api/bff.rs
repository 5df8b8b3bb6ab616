//! The BFF: cookie sessions, CSRF, session hygiene, refresh flow, no token ever exposed.

use std::sync::Mutex;
use std::time::{Duration, Instant};

use reqwest::{Method, Response};
use serde_json::{json, Value};

use crate::helpers::{assert_problem, spawn_app_with, Backend, TestApp, DEMO_PASSWORD};

const COOKIE: &str = "__Host-kyros_session";

/// A browser-like client: keeps the session cookie by hand, because reqwest's cookie
/// store (rightly) never sends a `Secure` cookie over plain HTTP, while browsers do on
/// localhost.
pub struct Browser<'a> {
    app: &'a TestApp,
    pub cookie: Mutex<Option<String>>,
    pub seen: Mutex<Vec<String>>,
}

impl<'a> Browser<'a> {
    pub fn new(app: &'a TestApp) -> Self {
        Browser {
            app,
            cookie: Mutex::new(None),
            seen: Mutex::new(Vec::new()),
        }
    }

    pub fn cookie(&self) -> Option<String> {
        self.cookie.lock().expect("lock").clone()
    }

    pub async fn send(
        &self,
        method: Method,
        path: &str,
        body: Option<Value>,
        csrf: bool,
    ) -> Response {
        let mut request = self.app.client.request(method, self.app.url(path));
        if let Some(cookie) = self.cookie() {
            request = request.header("cookie", format!("{COOKIE}={cookie}"));
        }
        if csrf {
            request = request.header("x-requested-with", "kyros-shell");
        }
        if let Some(body) = body {
            request = request.json(&body);
        }
        let response = request.send().await.expect("request");
        for value in response.headers().get_all("set-cookie") {
            let text = value.to_str().expect("ascii").to_owned();
            if let Some(rest) = text.strip_prefix(&format!("{COOKIE}=")) {
                let value = rest.split(';').next().unwrap_or("").to_owned();
                *self.cookie.lock().expect("lock") = (!value.is_empty()).then_some(value);
            }
            self.seen.lock().expect("lock").push(text);
        }
        // No header of any BFF response may contain a JWT.
        for (name, value) in response.headers() {
            assert!(
                !value.to_str().unwrap_or("").contains("eyJ"),
                "JWT in header {name}"
            );
        }
        response
    }

    /// Sends and returns (status, headers-refreshed flag, JSON body), asserting no JWT in the body.
    pub async fn call(
        &self,
        method: Method,
        path: &str,
        body: Option<Value>,
    ) -> (u16, bool, Value) {
        let response = self.send(method, path, body, true).await;
        let status = response.status().as_u16();
        let refreshed = response
            .headers()
            .get("x-kyros-session-refreshed")
            .is_some();
        let text = response.text().await.expect("body");
        assert!(!text.contains("eyJ"), "JWT in body of {path}: {text}");
        let json = if text.is_empty() {
            Value::Null
        } else {
            serde_json::from_str(&text).unwrap_or(Value::Null)
        };
        (status, refreshed, json)
    }

    pub async fn login(&self, email: &str) -> Value {
        let (status, _, body) = self
            .call(
                Method::POST,
                "/bff/login",
                Some(json!({ "email": email, "password": DEMO_PASSWORD })),
            )
            .await;
        assert_eq!(status, 200, "login {email}: {body}");
        body
    }
}

async fn login_sets_a_hardened_session_cookie_and_exposes_no_token(app: TestApp) {
    let browser = Browser::new(&app);
    let response = browser
        .send(
            Method::POST,
            "/bff/login",
            Some(json!({ "email": "analyst@acme.com", "password": DEMO_PASSWORD })),
            true,
        )
        .await;
    assert_eq!(response.status(), 200);
    let set_cookie = browser
        .seen
        .lock()
        .expect("lock")
        .last()
        .cloned()
        .expect("a cookie is set");
    assert!(
        set_cookie.starts_with(&format!("{COOKIE}=")),
        "{set_cookie}"
    );
    for attribute in ["HttpOnly", "Secure", "SameSite=Strict", "Path=/"] {
        assert!(
            set_cookie.contains(attribute),
            "{attribute} missing: {set_cookie}"
        );
    }
    assert!(
        !set_cookie.contains("Domain"),
        "a __Host- cookie has no Domain"
    );
    let body: Value = response.json().await.expect("json");
    assert!(!body.to_string().contains("eyJ"));
    assert_eq!(body["user"]["email"], "analyst@acme.com");
    // A single-tenant user starts with that tenant selected.
    assert_eq!(body["active_tenant"]["slug"], "acme-corp");
    let (status, _, dashboards) = browser.call(Method::GET, "/bff/dashboards", None).await;
    assert_eq!(status, 200);
    assert_eq!(dashboards.as_array().expect("list").len(), 3);
}

async fn wrong_password_is_401_and_sets_no_session(app: TestApp) {
    let browser = Browser::new(&app);
    let response = browser
        .send(
            Method::POST,
            "/bff/login",
            Some(json!({ "email": "analyst@acme.com", "password": "nope-nope" })),
            true,
        )
        .await;
    let body = assert_problem(response, 401).await;
    assert_eq!(body["code"], "invalid_credentials");
    assert!(browser.cookie().is_none());
    let (status, _, body) = browser.call(Method::GET, "/bff/me", None).await;
    assert_eq!(
        (status, body["code"].as_str()),
        (401, Some("unauthenticated"))
    );
}

async fn a_multi_tenant_user_chooses_and_switches_with_a_new_session_id(app: TestApp) {
    let browser = Browser::new(&app);
    let body = browser.login("admin@acme.com").await;
    assert!(body["active_tenant"].is_null());
    assert_eq!(body["tenants"].as_array().expect("tenants").len(), 2);
    let at_login = browser.cookie().expect("cookie");
    let (status, _, problem) = browser.call(Method::GET, "/bff/dashboards", None).await;
    assert_eq!(status, 400, "{problem}");

    let (status, _, body) = browser
        .call(
            Method::POST,
            "/bff/tenant",
            Some(json!({ "tenant": "beta-ind" })),
        )
        .await;
    assert_eq!(status, 200);
    assert_eq!(body["active_tenant"]["slug"], "beta-ind");
    assert_eq!(
        body["active_tenant"]["branding"]["display_name"],
        "Beta Industries"
    );
    let after_switch = browser.cookie().expect("cookie");
    assert_ne!(
        at_login, after_switch,
        "session id renewed at tenant switch"
    );
    let (_, _, list) = browser.call(Method::GET, "/bff/dashboards", None).await;
    let slugs: Vec<&str> = list
        .as_array()
        .expect("list")
        .iter()
        .map(|d| d["slug"].as_str().expect("slug"))
        .collect();
    assert_eq!(slugs, ["risk-analysis"]);

    browser
        .call(
            Method::POST,
            "/bff/tenant",
            Some(json!({ "tenant": "acme-corp" })),
        )
        .await;
    assert_ne!(browser.cookie().expect("cookie"), after_switch);
    let (_, _, list) = browser.call(Method::GET, "/bff/dashboards", None).await;
    assert_eq!(list.as_array().expect("list").len(), 3);

    // The old session id no longer works.
    *browser.cookie.lock().expect("lock") = Some(at_login);
    let (status, _, _) = browser.call(Method::GET, "/bff/me", None).await;
    assert_eq!(status, 401);
}

async fn a_tenant_outside_the_users_reach_is_403(app: TestApp) {
    let browser = Browser::new(&app);
    browser.login("analyst@acme.com").await;
    for tenant in ["beta-ind", "no-such-tenant", "' OR 1=1 --"] {
        let (status, _, body) = browser
            .call(
                Method::POST,
                "/bff/tenant",
                Some(json!({ "tenant": tenant })),
            )
            .await;
        assert_eq!(status, 403, "{tenant}: {body}");
    }
    let (_, _, me) = browser.call(Method::GET, "/bff/me", None).await;
    assert_eq!(me["active_tenant"]["slug"], "acme-corp");
}

async fn state_changing_calls_without_the_csrf_header_or_with_a_foreign_origin_are_403(
    app: TestApp,
) {
    let browser = Browser::new(&app);
    let login = json!({ "email": "analyst@acme.com", "password": DEMO_PASSWORD });
    let response = browser
        .send(Method::POST, "/bff/login", Some(login.clone()), false)
        .await;
    let body = assert_problem(response, 403).await;
    assert_eq!(body["code"], "csrf_rejected");

    let response = app
        .client
        .post(app.url("/bff/login"))
        .header("x-requested-with", "kyros-shell")
        .header("origin", "https://evil.example")
        .json(&login)
        .send()
        .await
        .expect("request");
    assert_eq!(assert_problem(response, 403).await["code"], "csrf_rejected");

    let host = app.address.trim_start_matches("http://").to_owned();
    let response = app
        .client
        .post(app.url("/bff/login"))
        .header("x-requested-with", "kyros-shell")
        .header("origin", format!("http://{host}"))
        .json(&login)
        .send()
        .await
        .expect("request");
    assert_eq!(response.status(), 200);

    browser.login("analyst@acme.com").await;
    for (method, path) in [(Method::POST, "/bff/logout"), (Method::POST, "/bff/tenant")] {
        let response = browser
            .send(method, path, Some(json!({ "tenant": "acme-corp" })), false)
            .await;
        assert_problem(response, 403).await;
    }
    // The session survived the rejected logout.
    assert_eq!(browser.call(Method::GET, "/bff/me", None).await.0, 200);
}

async fn logout_destroys_the_server_side_session(app: TestApp) {
    let browser = Browser::new(&app);
    browser.login("viewer@beta.com").await;
    let cookie = browser.cookie().expect("cookie");
    let (status, _, _) = browser.call(Method::POST, "/bff/logout", None).await;
    assert_eq!(status, 204);
    // Replaying the old cookie: the server no longer knows the session.
    *browser.cookie.lock().expect("lock") = Some(cookie);
    let (status, _, body) = browser.call(Method::GET, "/bff/me", None).await;
    assert_eq!(status, 401);
    assert_eq!(body["code"], "unauthenticated");
    let (status, _, _) = browser.call(Method::GET, "/bff/dashboards", None).await;
    assert_eq!(status, 401);
}

async fn poll<F, Fut>(deadline: Duration, mut attempt: F) -> (u16, bool, Value)
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Option<(u16, bool, Value)>>,
{
    let start = Instant::now();
    loop {
        if let Some(result) = attempt().await {
            return result;
        }
        assert!(
            start.elapsed() < deadline,
            "condition not met within {deadline:?}"
        );
        actix_web::rt::time::sleep(Duration::from_millis(250)).await;
    }
}

async fn an_expired_scoped_token_is_refreshed_silently(backend: Backend) {
    let app = spawn_app_with(backend, &[("KYROS_TENANT_TOKEN_TTL", "1")]).await;
    let browser = Browser::new(&app);
    browser.login("analyst@acme.com").await;
    let (status, refreshed, _) = browser.call(Method::GET, "/bff/dashboards", None).await;
    assert_eq!((status, refreshed), (200, false));
    let (status, _, list) = poll(Duration::from_secs(20), || async {
        let result = browser.call(Method::GET, "/bff/dashboards", None).await;
        result.1.then_some(result)
    })
    .await;
    assert_eq!(status, 200);
    assert_eq!(list.as_array().expect("list").len(), 3);
    // The fresh token is kept: the next call is not refreshed again.
    let (status, refreshed, _) = browser.call(Method::GET, "/bff/dashboards", None).await;
    assert_eq!((status, refreshed), (200, false));
}

/// While a session is used it outlives its tokens (the BFF renews them itself); unused
/// for `KYROS_SESSION_IDLE` it ends (`session_expired`), and it never outlives
/// `KYROS_SESSION_MAX`.
async fn a_used_session_outlives_its_tokens_and_an_idle_or_old_one_ends(backend: Backend) {
    let app = spawn_app_with(
        backend,
        &[
            ("KYROS_TENANT_TOKEN_TTL", "1"),
            ("KYROS_USER_TOKEN_TTL", "2"),
            ("KYROS_SESSION_IDLE", "3"),
            ("KYROS_SESSION_MAX", "8"),
        ],
    )
    .await;
    let browser = Browser::new(&app);
    browser.login("analyst@acme.com").await;
    // Used every half second for five seconds: more than twice the user token's life.
    let started = std::time::Instant::now();
    while started.elapsed() < Duration::from_secs(5) {
        let (status, _, body) = browser.call(Method::GET, "/bff/dashboards", None).await;
        assert_eq!(status, 200, "{body}");
        actix_web::rt::time::sleep(Duration::from_millis(500)).await;
    }
    // The absolute cap holds however busy the session is.
    let (status, _, body) = poll(Duration::from_secs(20), || async {
        let result = browser.call(Method::GET, "/bff/dashboards", None).await;
        actix_web::rt::time::sleep(Duration::from_millis(500)).await;
        (result.0 != 200).then_some(result)
    })
    .await;
    assert_eq!(
        (status, body["code"].as_str()),
        (401, Some("session_expired"))
    );
    assert!(
        started.elapsed() >= Duration::from_secs(7),
        "ended only at the cap"
    );

    // An idle session ends after KYROS_SESSION_IDLE; replaying it is then unauthenticated.
    let idle = Browser::new(&app);
    idle.login("analyst@acme.com").await;
    let cookie = idle.cookie();
    let (status, _, _) = idle.call(Method::GET, "/bff/dashboards", None).await;
    assert_eq!(status, 200);
    actix_web::rt::time::sleep(Duration::from_secs(4)).await;
    let (status, _, body) = idle.call(Method::GET, "/bff/dashboards", None).await;
    assert_eq!(
        (status, body["code"].as_str()),
        (401, Some("session_expired"))
    );
    *idle.cookie.lock().expect("lock") = cookie;
    let (status, _, body) = idle.call(Method::GET, "/bff/me", None).await;
    assert_eq!(
        (status, body["code"].as_str()),
        (401, Some("unauthenticated"))
    );
}

mod refresh {
    #[actix_web::test]
    async fn sqlite() {
        super::an_expired_scoped_token_is_refreshed_silently(super::Backend::Sqlite).await
    }
    #[actix_web::test]
    async fn postgres() {
        super::an_expired_scoped_token_is_refreshed_silently(super::Backend::Postgres).await
    }
}

mod expiry {
    #[actix_web::test]
    async fn sqlite() {
        super::a_used_session_outlives_its_tokens_and_an_idle_or_old_one_ends(
            super::Backend::Sqlite,
        )
        .await
    }
    #[actix_web::test]
    async fn postgres() {
        super::a_used_session_outlives_its_tokens_and_an_idle_or_old_one_ends(
            super::Backend::Postgres,
        )
        .await
    }
}

matrix!(
    login_sets_a_hardened_session_cookie_and_exposes_no_token,
    wrong_password_is_401_and_sets_no_session,
    a_multi_tenant_user_chooses_and_switches_with_a_new_session_id,
    a_tenant_outside_the_users_reach_is_403,
    state_changing_calls_without_the_csrf_header_or_with_a_foreign_origin_are_403,
    logout_destroys_the_server_side_session,
);
