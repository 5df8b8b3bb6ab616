//! Multi-factor authentication: enrolment with a QR code, sign-in in two steps (BFF and
//! REST), codes never accepted twice, recovery codes once each, attempt limits, tenants
//! that require MFA, and turning it off.

use reqwest::Method;
use serde_json::{json, Value};
use totp_rs::{Algorithm, Secret, TOTP};

use crate::helpers::{assert_problem, TestApp, DEMO_PASSWORD};

/// A browser-like client: cookie jar and the CSRF header.
struct Shell {
    client: reqwest::Client,
    base: String,
}

impl Shell {
    fn new(app: &TestApp) -> Self {
        Shell {
            client: reqwest::Client::builder()
                .cookie_store(true)
                .build()
                .expect("client"),
            base: app.address.clone(),
        }
    }

    async fn call(&self, method: Method, path: &str, body: Option<Value>) -> reqwest::Response {
        let mut request = self
            .client
            .request(method, format!("{}{path}", self.base))
            .header("x-requested-with", "kyros-shell");
        if let Some(body) = body {
            request = request.json(&body);
        }
        request.send().await.expect("request")
    }

    async fn login(&self, email: &str, password: &str) -> Value {
        let response = self
            .call(
                Method::POST,
                "/bff/login",
                Some(json!({ "email": email, "password": password })),
            )
            .await;
        assert_eq!(response.status(), 200);
        response.json().await.expect("json")
    }
}

fn totp_for(secret: &str, email: &str) -> TOTP {
    TOTP::new(
        Algorithm::SHA1,
        6,
        1,
        30,
        Secret::Encoded(secret.to_owned())
            .to_bytes()
            .expect("base32"),
        Some("Kyros".into()),
        email.to_owned(),
    )
    .expect("totp")
}

fn now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("clock")
        .as_secs()
}

/// Enrols `email` through the shell's calls; returns the secret and the recovery codes.
async fn enrol(shell: &Shell, email: &str) -> (String, Vec<String>) {
    let enrolment: Value = shell
        .call(Method::POST, "/bff/mfa/enroll", None)
        .await
        .json()
        .await
        .expect("json");
    let secret = enrolment["secret"].as_str().expect("secret").to_owned();
    assert!(enrolment["qr_svg"].as_str().expect("svg").contains("<svg"));
    assert!(enrolment["otpauth_url"]
        .as_str()
        .expect("url")
        .starts_with("otpauth://totp/Kyros:"));
    let wrong = shell
        .call(
            Method::POST,
            "/bff/mfa/confirm",
            Some(json!({ "code": "000000" })),
        )
        .await;
    assert_eq!(
        assert_problem(wrong, 403).await["code"],
        "invalid_credentials"
    );
    let code = totp_for(&secret, email).generate(now());
    let confirmed = shell
        .call(
            Method::POST,
            "/bff/mfa/confirm",
            Some(json!({ "code": code })),
        )
        .await;
    assert_eq!(confirmed.status(), 200);
    let codes: Vec<String> = confirmed.json::<Value>().await.expect("json")["recovery_codes"]
        .as_array()
        .expect("codes")
        .iter()
        .map(|c| c.as_str().expect("code").to_owned())
        .collect();
    assert_eq!(codes.len(), 10);
    (secret, codes)
}

async fn sign_in_takes_two_steps_and_no_code_works_twice(app: TestApp) {
    let email = "analyst@acme.com";
    let shell = Shell::new(&app);
    let info = shell.login(email, DEMO_PASSWORD).await;
    assert_eq!(info["mfa_enabled"], false);
    let (secret, recovery) = enrol(&shell, email).await;
    let status: Value = shell
        .call(Method::GET, "/bff/mfa", None)
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(
        status,
        json!({ "enabled": true, "recovery_codes_left": 10 })
    );

    // The password alone now only earns a request for the code.
    let fresh = Shell::new(&app);
    let raw = fresh
        .call(
            Method::POST,
            "/bff/login",
            Some(json!({ "email": email, "password": DEMO_PASSWORD })),
        )
        .await;
    let answer: Value = raw.json().await.expect("json");
    assert_eq!(answer["mfa_required"], true);
    assert!(
        answer.get("challenge").is_none(),
        "the BFF keeps the challenge server-side"
    );
    assert_problem(fresh.call(Method::GET, "/bff/me", None).await, 401).await;
    let wrong = fresh
        .call(
            Method::POST,
            "/bff/login/mfa",
            Some(json!({ "code": "123456" })),
        )
        .await;
    assert_eq!(
        assert_problem(wrong, 401).await["code"],
        "invalid_credentials"
    );
    // The next step's code (enrolment used this one).
    let code = totp_for(&secret, email).generate(now() + 30);
    let signed_in = fresh
        .call(
            Method::POST,
            "/bff/login/mfa",
            Some(json!({ "code": code })),
        )
        .await;
    assert_eq!(signed_in.status(), 200);
    let info: Value = signed_in.json().await.expect("json");
    assert_eq!(info["second_factor"], true);
    assert_eq!(
        fresh
            .call(Method::GET, "/bff/dashboards", None)
            .await
            .status(),
        200
    );

    // The same code is refused for another sign-in.
    let replay = Shell::new(&app);
    replay.login(email, DEMO_PASSWORD).await;
    let again = replay
        .call(
            Method::POST,
            "/bff/login/mfa",
            Some(json!({ "code": code })),
        )
        .await;
    assert_problem(again, 401).await;

    // A recovery code works once, typed any way.
    let rest = app
        .post_json(
            "/api/auth/login",
            json!({ "email": email, "password": DEMO_PASSWORD }),
        )
        .await;
    let challenge: Value = rest.json().await.expect("json");
    assert_eq!(challenge["mfa_required"], true);
    let token = challenge["challenge"]
        .as_str()
        .expect("challenge")
        .to_owned();
    let typed = recovery[0].to_uppercase().replace('-', " ");
    let response = app
        .post_json(
            "/api/auth/login/mfa",
            json!({ "challenge": token, "code": typed }),
        )
        .await;
    assert_eq!(response.status(), 200);
    let user_token = response.json::<Value>().await.expect("json")["access_token"]
        .as_str()
        .expect("token")
        .to_owned();
    assert_eq!(app.get_with("/api/me", &user_token).await.status(), 200);
    let payload = user_token.split('.').nth(1).expect("payload");
    use base64::Engine as _;
    let claims: Value = serde_json::from_slice(
        &base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(payload)
            .expect("base64"),
    )
    .expect("claims");
    assert_eq!(claims["amr"], json!(["pwd", "otp"]));
    // The challenge was used up; the recovery code too.
    let reused = app
        .post_json(
            "/api/auth/login/mfa",
            json!({ "challenge": token, "code": recovery[1] }),
        )
        .await;
    assert_problem(reused, 401).await;
    let rest = app
        .post_json(
            "/api/auth/login",
            json!({ "email": email, "password": DEMO_PASSWORD }),
        )
        .await;
    let second = rest.json::<Value>().await.expect("json")["challenge"]
        .as_str()
        .expect("challenge")
        .to_owned();
    let reused_code = app
        .post_json(
            "/api/auth/login/mfa",
            json!({ "challenge": second, "code": recovery[0] }),
        )
        .await;
    assert_problem(reused_code, 401).await;
    let status: Value = shell
        .call(Method::GET, "/bff/mfa", None)
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(status["recovery_codes_left"], 9);

    // Turning it off needs the password and a code.
    let no_password = shell
        .call(
            Method::POST,
            "/bff/mfa/disable",
            Some(json!({ "password": "wrong-wrong", "code": recovery[2] })),
        )
        .await;
    assert_problem(no_password, 403).await;
    let off = shell
        .call(
            Method::POST,
            "/bff/mfa/disable",
            Some(json!({ "password": DEMO_PASSWORD, "code": recovery[3] })),
        )
        .await;
    assert_eq!(off.status(), 204);
    let plain = Shell::new(&app).login(email, DEMO_PASSWORD).await;
    assert!(plain.get("mfa_required").is_none(), "{plain}");
    for action in ["mfa_enable", "mfa_disable", "mfa_recovery_code"] {
        assert!(!app.audit_rows(action).await.is_empty(), "{action} audited");
    }
}

async fn a_challenge_takes_five_codes_at_most(app: TestApp) {
    let email = "viewer@beta.com";
    let shell = Shell::new(&app);
    shell.login(email, DEMO_PASSWORD).await;
    let (secret, _) = enrol(&shell, email).await;
    let rest = app
        .post_json(
            "/api/auth/login",
            json!({ "email": email, "password": DEMO_PASSWORD }),
        )
        .await;
    let token = rest.json::<Value>().await.expect("json")["challenge"]
        .as_str()
        .expect("challenge")
        .to_owned();
    for _ in 0..5 {
        let response = app
            .post_json(
                "/api/auth/login/mfa",
                json!({ "challenge": token, "code": "000000" }),
            )
            .await;
        assert_problem(response, 401).await;
    }
    let code = totp_for(&secret, email).generate(now() + 30);
    let too_late = app
        .post_json(
            "/api/auth/login/mfa",
            json!({ "challenge": token, "code": code }),
        )
        .await;
    assert_problem(too_late, 401).await;
    for hostile in [
        json!({ "challenge": "x".repeat(10_000), "code": "1" }),
        json!({ "challenge": "\u{0}", "code": "\u{0}" }),
    ] {
        let response = app.post_json("/api/auth/login/mfa", hostile).await;
        let status = response.status().as_u16();
        assert!(status == 401 || status == 413, "{status}");
        assert_problem(response, status).await;
    }
}

async fn a_tenant_can_require_mfa_of_its_members(app: TestApp) {
    let admin = app.admin_token().await;
    let beta = app.tenant_id("beta-ind").await;
    let response = app
        .admin(
            Method::POST,
            &format!("/admin/tenants/{beta}/metadata"),
            &admin,
            Some(json!({ "features": { "mfa_required": true } })),
        )
        .await;
    assert_eq!(response.status(), 200);
    // Without a second factor the exchange into Beta is refused, with a reason.
    let user = app.user_token("viewer@beta.com").await;
    let refused = app.exchange(&user, &beta).await;
    assert_eq!(assert_problem(refused, 403).await["code"], "mfa_required");
    // In the browser: signed in, but no tenant until a second factor is set up.
    let shell = Shell::new(&app);
    let info = shell.login("viewer@beta.com", DEMO_PASSWORD).await;
    assert!(info["active_tenant"].is_null());
    assert_eq!(info["tenants"][0]["mfa_required"], true);
    let blocked = shell
        .call(
            Method::POST,
            "/bff/tenant",
            Some(json!({ "tenant": "beta-ind" })),
        )
        .await;
    assert_eq!(assert_problem(blocked, 403).await["code"], "mfa_required");
    enrol(&shell, "viewer@beta.com").await;
    let chosen = shell
        .call(
            Method::POST,
            "/bff/tenant",
            Some(json!({ "tenant": "beta-ind" })),
        )
        .await;
    assert_eq!(chosen.status(), 200);
    assert_eq!(
        shell
            .call(Method::GET, "/bff/dashboards", None)
            .await
            .status(),
        200
    );
    // Acme (no requirement) is unaffected for its members.
    let analyst = app.user_token("analyst@acme.com").await;
    let acme = app.tenant_id("acme-corp").await;
    assert_eq!(app.exchange(&analyst, &acme).await.status(), 200);
}

matrix!(
    sign_in_takes_two_steps_and_no_code_works_twice,
    a_challenge_takes_five_codes_at_most,
    a_tenant_can_require_mfa_of_its_members,
);
