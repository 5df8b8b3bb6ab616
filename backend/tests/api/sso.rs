//! Single sign-on against a real OpenID provider (`oidc-provider` from npm, started per
//! test): the whole authorization-code + PKCE redirect flow over HTTP, tenant providers
//! through the admin API with just-in-time provisioning, ID tokens of integrations at
//! `/api/token/exchange`, and the hostile cases (wrong state, replayed code, forged,
//! expired or misaddressed ID tokens, unverified email, unprovisioned user): each a 4xx
//! (or, for a browser, the login page with the reason), never a session.

use jsonwebtoken::{encode, Algorithm, EncodingKey, Header};
use reqwest::header::{ACCEPT, LOCATION, SET_COOKIE};
use reqwest::{Method, Response, StatusCode};
use serde_json::{json, Value};

use crate::counterparts::{free_port, OidcProvider};
use crate::helpers::{assert_problem, spawn_app_with, Backend, TestApp};

const CLIENT_ID: &str = "kyros";
const CLIENT_SECRET: &str = "kyros-test-client-secret-0123456789";
/// A second client of the same provider, signing ID tokens with ES256 (tenant providers).
const ES_CLIENT_ID: &str = "kyros-es";
const ES_CLIENT_SECRET: &str = "kyros-es-test-client-secret-0123456789";
const ID_TOKEN_TYPE: &str = "urn:ietf:params:oauth:token-type:id_token";
const GRANT_TYPE: &str = "urn:ietf:params:oauth:grant-type:token-exchange";

/// A provider and a Kyros whose global provider it is (on a port chosen first, so the
/// provider knows Kyros's callback).
struct World {
    provider: OidcProvider,
    app: TestApp,
}

fn accounts() -> Value {
    json!({
        "alice": { "email": "analyst@acme.com", "email_verified": true, "name": "Alice Analyst" },
        "unverified": { "email": "viewer@beta.com", "email_verified": false, "name": "Vic" },
        "stranger": { "email": "stranger@nowhere.example", "email_verified": true, "name": "S" },
        "newbie": { "email": "new.person@jit.example", "email_verified": true, "name": "New Person" },
        "mallory": { "email": "admin@acme.com", "email_verified": true, "name": "Mallory" },
        "latecomer": { "email": "late@jit.example", "email_verified": true, "name": "Late" },
    })
}

async fn world(backend: Backend) -> World {
    let port = free_port();
    let callback = format!("http://127.0.0.1:{port}/bff/sso/callback");
    let clients = json!([
        {
            "client_id": CLIENT_ID,
            "client_secret": CLIENT_SECRET,
            "redirect_uris": [callback],
            "grant_types": ["authorization_code"],
            "response_types": ["code"],
            "id_token_signed_response_alg": "RS256",
        },
        {
            "client_id": ES_CLIENT_ID,
            "client_secret": ES_CLIENT_SECRET,
            "redirect_uris": [callback],
            "grant_types": ["authorization_code"],
            "response_types": ["code"],
            "id_token_signed_response_alg": "ES256",
        },
    ]);
    let provider = OidcProvider::start(&clients, &accounts());
    let bind = format!("127.0.0.1:{port}");
    let app = spawn_app_with(
        backend,
        &[
            ("KYROS_BIND", bind.as_str()),
            ("KYROS_OIDC_ISSUER", provider.issuer()),
            ("KYROS_OIDC_CLIENT_ID", CLIENT_ID),
            ("KYROS_OIDC_CLIENT_SECRET", CLIENT_SECRET),
        ],
    )
    .await;
    World { provider, app }
}

/// A browser: its own cookie jar (Kyros's cookies and the provider's), no automatic
/// redirects, so every hop is seen.
struct Browser {
    client: reqwest::Client,
}

impl Browser {
    fn new() -> Self {
        Browser {
            client: reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .cookie_store(true)
                .build()
                .expect("client"),
        }
    }

    async fn get(&self, url: &str) -> Response {
        self.client
            .get(url)
            .header(ACCEPT, "application/json")
            .send()
            .await
            .expect("request")
    }

    /// `GET /bff/sso/start?…`: must be a 302 to the provider; returns its location.
    async fn start(&self, app: &TestApp, query: &str) -> (String, Response) {
        let response = self.get(&app.url(&format!("/bff/sso/start?{query}"))).await;
        assert_eq!(response.status(), StatusCode::FOUND, "start {query}");
        let location = location(&response);
        (location, response)
    }

    /// Signs in at the provider as `login` (its login form, then its redirects) and
    /// returns the URL the provider sends the browser back to.
    async fn at_provider(&self, issuer: &str, authorize: &str, login: &str) -> String {
        let mut url = authorize.to_owned();
        for _ in 0..10 {
            let response = self.client.get(&url).send().await.expect("provider");
            if response.status().is_redirection() {
                let next = absolute(issuer, &location(&response));
                if next.contains("/bff/sso/callback") {
                    return next;
                }
                url = next;
                continue;
            }
            assert_eq!(response.status(), StatusCode::OK, "provider page {url}");
            let html = response.text().await.expect("html");
            let action = attribute(&html, "action=\"").expect("a form");
            let prompt = html
                .split("name=\"prompt\" value=\"")
                .nth(1)
                .and_then(|rest| rest.split('"').next())
                .expect("prompt")
                .to_owned();
            let submitted = self
                .client
                .post(absolute(issuer, &action))
                .form(&[
                    ("prompt", prompt.as_str()),
                    ("login", login),
                    ("password", "any"),
                ])
                .send()
                .await
                .expect("submit");
            assert!(
                submitted.status().is_redirection(),
                "form answered {}",
                submitted.status()
            );
            url = absolute(issuer, &location(&submitted));
            if url.contains("/bff/sso/callback") {
                return url;
            }
        }
        panic!("the provider never sent the browser back");
    }

    /// The whole flow: start, provider, callback; returns the callback's response.
    async fn sign_in(&self, world: &World, query: &str, login: &str) -> Response {
        let (authorize, _) = self.start(&world.app, query).await;
        let callback = self
            .at_provider(world.provider.issuer(), &authorize, login)
            .await;
        self.get(&callback).await
    }

    async fn me(&self, app: &TestApp) -> Response {
        self.get(&app.url("/bff/me")).await
    }
}

fn location(response: &Response) -> String {
    response
        .headers()
        .get(LOCATION)
        .and_then(|v| v.to_str().ok())
        .expect("a Location")
        .to_owned()
}

fn absolute(issuer: &str, location: &str) -> String {
    if location.starts_with("http") {
        location.to_owned()
    } else {
        format!("{issuer}{location}")
    }
}

fn attribute(html: &str, prefix: &str) -> Option<String> {
    let rest = html.split(prefix).nth(1)?;
    Some(rest.split('"').next()?.replace("&amp;", "&"))
}

fn query_param(url: &str, name: &str) -> Option<String> {
    url::Url::parse(url)
        .ok()?
        .query_pairs()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.into_owned())
}

fn set_cookies(response: &Response) -> Vec<String> {
    response
        .headers()
        .get_all(SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok().map(str::to_owned))
        .collect()
}

fn session_cookie_set(response: &Response) -> bool {
    set_cookies(response)
        .iter()
        .any(|c| c.starts_with("__Host-kyros_session=") && !c.contains("Max-Age=0"))
}

async fn sso_success(world: World) {
    let app = &world.app;
    let browser = Browser::new();
    let (authorize, start) = browser
        .start(
            app,
            "email=analyst%40acme.com&next=%2Fdashboards%2Frisk-analysis",
        )
        .await;
    // The pending sign-in travels in a sealed, HttpOnly, Secure, SameSite=Lax cookie.
    let flow = set_cookies(&start)
        .into_iter()
        .find(|c| c.starts_with("__Host-kyros_sso="))
        .expect("flow cookie");
    for attribute in [
        "HttpOnly",
        "Secure",
        "SameSite=Lax",
        "Path=/",
        "Max-Age=600",
    ] {
        assert!(flow.contains(attribute), "{attribute} missing in {flow}");
    }
    assert!(!flow.contains("analyst"), "the flow cookie is sealed");
    assert!(authorize.starts_with(world.provider.issuer()));
    assert_eq!(
        query_param(&authorize, "code_challenge_method").as_deref(),
        Some("S256")
    );
    assert_eq!(
        query_param(&authorize, "client_id").as_deref(),
        Some(CLIENT_ID)
    );
    assert_eq!(
        query_param(&authorize, "login_hint").as_deref(),
        Some("analyst@acme.com")
    );
    for param in ["state", "nonce", "code_challenge", "redirect_uri"] {
        assert!(query_param(&authorize, param).is_some(), "{param} missing");
    }
    assert!(query_param(&authorize, "scope")
        .unwrap_or_default()
        .contains("openid"));

    let callback = browser
        .at_provider(world.provider.issuer(), &authorize, "alice")
        .await;
    let response = browser.get(&callback).await;
    assert_eq!(response.status(), StatusCode::FOUND);
    assert_eq!(location(&response), "/dashboards/risk-analysis");
    assert!(session_cookie_set(&response), "a session cookie is set");
    assert!(
        set_cookies(&response)
            .iter()
            .any(|c| c.starts_with("__Host-kyros_sso=") && c.contains("Max-Age=0")),
        "the flow cookie is removed"
    );
    let me = browser.me(app).await;
    assert_eq!(me.status(), StatusCode::OK);
    let me: Value = me.json().await.expect("json");
    assert_eq!(me["user"]["email"], "analyst@acme.com");
    assert_eq!(
        me["second_factor"], true,
        "the provider authenticated (amr ext)"
    );
    // Only tenant: selected at once, as after a password sign-in.
    assert_eq!(me["active_tenant"]["slug"], "acme-corp");
    let sessions = browser.get(&app.url("/bff/sessions")).await;
    assert_eq!(sessions.status(), StatusCode::OK);
    let links = app.audit_rows("sso_link").await;
    assert_eq!(links.len(), 1, "the subject was linked once");
    assert_eq!(links[0]["target"], "analyst@acme.com");

    // The same callback again: the flow cookie is gone → no session.
    let again = Browser::new();
    let replay = again.get(&callback).await;
    assert_problem(replay, 400).await;
    assert_eq!(again.me(app).await.status(), StatusCode::UNAUTHORIZED);

    // Signing in again uses the link; `next` pointing elsewhere is dropped.
    let second = Browser::new();
    let response = second
        .sign_in(&world, "provider=global&next=%2F%2Fevil.example", "alice")
        .await;
    assert_eq!(response.status(), StatusCode::FOUND);
    assert_eq!(location(&response), "/");
    assert_eq!(app.audit_rows("sso_link").await.len(), 1);
    let third = Browser::new();
    let response = third
        .sign_in(
            &world,
            "provider=global&next=https%3A%2F%2Fevil.example%2F",
            "alice",
        )
        .await;
    assert_eq!(location(&response), "/");
    let logins = app.audit_rows("login").await;
    assert!(logins
        .iter()
        .any(|r| r["outcome"] == "success" && r["detail"]["amr"] == json!(["ext"])));
}

#[actix_web::test]
async fn the_redirect_flow_signs_in_a_provisioned_user_sqlite() {
    sso_success(world(Backend::Sqlite).await).await
}

#[actix_web::test]
async fn the_redirect_flow_signs_in_a_provisioned_user_postgres() {
    sso_success(world(Backend::Postgres).await).await
}

/// A replayed authorization code (the flow cookie kept by an attacker) is refused by the
/// provider; a different state, a callback without a started sign-in, an error from the
/// provider: all refused, no session.
#[actix_web::test]
async fn hostile_callbacks_make_no_session() {
    let world = world(Backend::Sqlite).await;
    let app = &world.app;

    // Replayed code: capture the flow cookie, complete the sign-in, then replay both.
    let browser = Browser::new();
    let (authorize, start) = browser.start(app, "provider=global").await;
    let flow = set_cookies(&start)
        .into_iter()
        .find(|c| c.starts_with("__Host-kyros_sso="))
        .and_then(|c| c.split(';').next().map(str::to_owned))
        .expect("flow cookie");
    let callback = browser
        .at_provider(world.provider.issuer(), &authorize, "alice")
        .await;
    assert_eq!(browser.get(&callback).await.status(), StatusCode::FOUND);
    let attacker = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client");
    let replay = attacker
        .get(&callback)
        .header("cookie", &flow)
        .send()
        .await
        .expect("replay");
    assert!(!session_cookie_set(&replay));
    let problem = assert_problem(replay, 401).await;
    assert_eq!(problem["code"], "sso_rejected");

    // Wrong state: the provider's answer to another sign-in.
    let victim = Browser::new();
    let (authorize, _) = victim.start(app, "provider=global").await;
    let callback = victim
        .at_provider(world.provider.issuer(), &authorize, "alice")
        .await;
    let tampered = callback.replace("state=", "state=x");
    let response = victim.get(&tampered).await;
    assert!(!session_cookie_set(&response));
    let problem = assert_problem(response, 400).await;
    assert_eq!(problem["code"], "sso_state");
    assert_eq!(victim.me(app).await.status(), StatusCode::UNAUTHORIZED);

    // A browser gets the login page with the reason instead.
    let (authorize, _) = victim.start(app, "provider=global").await;
    let callback = victim
        .at_provider(world.provider.issuer(), &authorize, "alice")
        .await;
    let response = victim
        .client
        .get(callback.replace("state=", "state=x"))
        .header(ACCEPT, "text/html,application/xhtml+xml")
        .send()
        .await
        .expect("request");
    assert_eq!(response.status(), StatusCode::FOUND);
    assert_eq!(location(&response), "/login?sso_error=sso_state");
    assert!(!session_cookie_set(&response));

    // Nobody started a sign-in here.
    let stranger = Browser::new();
    let response = stranger
        .get(&app.url("/bff/sso/callback?code=abc&state=def"))
        .await;
    assert_eq!(assert_problem(response, 400).await["code"], "sso_state");

    // The provider answers with an error (the user cancelled).
    let (_, start) = stranger.start(app, "provider=global").await;
    let authorize = location(&start);
    let state = query_param(&authorize, "state").expect("state");
    let response = stranger
        .get(&app.url(&format!(
            "/bff/sso/callback?error=access_denied&state={state}"
        )))
        .await;
    assert_eq!(assert_problem(response, 403).await["code"], "sso_denied");

    // Unverified email, unprovisioned person: refused by Kyros after the provider.
    let response = Browser::new()
        .sign_in(&world, "provider=global", "unverified")
        .await;
    assert!(!session_cookie_set(&response));
    assert_eq!(
        assert_problem(response, 403).await["code"],
        "email_not_verified"
    );
    let response = Browser::new()
        .sign_in(&world, "provider=global", "stranger")
        .await;
    assert!(!session_cookie_set(&response));
    assert_eq!(
        assert_problem(response, 403).await["code"],
        "not_provisioned"
    );

    // Start: nothing to go on, or both.
    let response = stranger
        .client
        .get(app.url("/bff/sso/start"))
        .send()
        .await
        .expect("r");
    assert_problem(response, 400).await;
    let response = stranger
        .client
        .get(app.url("/bff/sso/start?email=a%40b.example&provider=global"))
        .send()
        .await
        .expect("r");
    assert_problem(response, 400).await;
    let failures = app.audit_rows("login").await;
    for outcome in [
        "sso_state",
        "sso_rejected",
        "sso_denied",
        "sso_email_unverified",
        "sso_not_provisioned",
    ] {
        assert!(
            failures.iter().any(|r| r["outcome"] == outcome),
            "{outcome} is audited"
        );
    }
}

/// Signs ID-token claims with a key (RS256 or ES256).
fn id_token(alg: Algorithm, kid: &str, pem: &str, claims: &Value) -> String {
    let mut header = Header::new(alg);
    header.kid = Some(kid.to_owned());
    let key = match alg {
        Algorithm::ES256 => EncodingKey::from_ec_pem(pem.as_bytes()).expect("ec pem"),
        _ => EncodingKey::from_rsa_pem(pem.as_bytes()).expect("rsa pem"),
    };
    encode(&header, claims, &key).expect("sign")
}

fn claims(world: &World, email: &str, verified: bool) -> Value {
    let now = chrono::Utc::now().timestamp();
    json!({
        "iss": world.provider.issuer(),
        "sub": format!("integration-{email}"),
        "aud": CLIENT_ID,
        "iat": now,
        "exp": now + 300,
        "email": email,
        "email_verified": verified,
    })
}

async fn exchange_id_token(app: &TestApp, token: &str) -> Response {
    app.client
        .post(app.url("/api/token/exchange"))
        .form(&[
            ("grant_type", GRANT_TYPE),
            ("subject_token", token),
            ("subject_token_type", ID_TOKEN_TYPE),
        ])
        .send()
        .await
        .expect("request")
}

fn unsigned(header: &Value, claims: &Value) -> String {
    use base64::Engine;
    let b64 = base64::engine::general_purpose::URL_SAFE_NO_PAD;
    format!(
        "{}.{}.",
        b64.encode(header.to_string()),
        b64.encode(claims.to_string())
    )
}

/// An integration exchanges an ID token of the configured provider for a Kyros user
/// token; every forged, expired or misaddressed token is a 401, unverified or unknown
/// people a 403.
async fn id_tokens_at_the_exchange(world: World) {
    let app = &world.app;
    let keys = world.provider.keys.clone();
    let good = id_token(
        Algorithm::RS256,
        &keys.rsa_kid,
        &keys.rsa_pem,
        &claims(&world, "analyst@acme.com", true),
    );
    let response = exchange_id_token(app, &good).await;
    assert_eq!(response.status(), StatusCode::OK);
    let body: Value = response.json().await.expect("json");
    assert_eq!(
        body["issued_token_type"],
        "urn:ietf:params:oauth:token-type:access_token"
    );
    assert!(body.get("tenant_id").is_none());
    let user_token = body["access_token"].as_str().expect("token").to_owned();
    let me = app.me(&user_token).await;
    assert_eq!(me["user"]["email"], "analyst@acme.com");
    // The user token goes on to a tenant-scoped token as usual.
    let acme = app.tenant_id("acme-corp").await;
    assert_eq!(
        app.exchange(&user_token, &acme).await.status(),
        StatusCode::OK
    );

    // ES256 with the provider's EC key works too.
    let es = id_token(
        Algorithm::ES256,
        &keys.ec_kid,
        &keys.ec_pem,
        &claims(&world, "analyst@acme.com", true),
    );
    assert_eq!(exchange_id_token(app, &es).await.status(), StatusCode::OK);

    // Entra ID's "email domain owner verified" stands in for email_verified.
    let mut entra = claims(&world, "admin@acme.com", false);
    entra
        .as_object_mut()
        .expect("object")
        .remove("email_verified");
    entra["xms_edov"] = json!(true);
    let entra = id_token(Algorithm::RS256, &keys.rsa_kid, &keys.rsa_pem, &entra);
    assert_eq!(
        exchange_id_token(app, &entra).await.status(),
        StatusCode::OK
    );

    let base = claims(&world, "analyst@acme.com", true);
    let with = |key: &str, value: Value| {
        let mut c = base.clone();
        c[key] = value;
        c
    };
    let now = chrono::Utc::now().timestamp();
    // The HMAC "public key" confusion: HS256 keyed with the provider's RSA public key.
    let public_pem = {
        use rsa::pkcs8::{DecodePrivateKey, EncodePublicKey};
        rsa::RsaPrivateKey::from_pkcs8_pem(&keys.rsa_pem)
            .expect("rsa")
            .to_public_key()
            .to_public_key_pem(rsa::pkcs8::LineEnding::LF)
            .expect("pem")
    };
    let hs = |secret: &[u8]| {
        let mut header = Header::new(Algorithm::HS256);
        header.kid = Some(keys.rsa_kid.clone());
        encode(&header, &base, &EncodingKey::from_secret(secret)).expect("sign")
    };
    let hostile: Vec<(&str, String)> = vec![
        (
            "unknown key",
            id_token(
                Algorithm::RS256,
                "not-published",
                &keys.untrusted_pem,
                &base,
            ),
        ),
        (
            "unknown key under a published kid",
            id_token(Algorithm::RS256, &keys.rsa_kid, &keys.untrusted_pem, &base),
        ),
        (
            "alg none",
            unsigned(&json!({ "alg": "none", "kid": keys.rsa_kid }), &base),
        ),
        ("HS256 with the public key", hs(public_pem.as_bytes())),
        ("HS256 with the client secret", hs(CLIENT_SECRET.as_bytes())),
        (
            "wrong audience",
            id_token(
                Algorithm::RS256,
                &keys.rsa_kid,
                &keys.rsa_pem,
                &with("aud", json!("someone-else")),
            ),
        ),
        (
            "an untrusted second audience",
            id_token(
                Algorithm::RS256,
                &keys.rsa_kid,
                &keys.rsa_pem,
                &with("aud", json!([CLIENT_ID, "someone-else"])),
            ),
        ),
        (
            "another issuer",
            id_token(
                Algorithm::RS256,
                &keys.rsa_kid,
                &keys.rsa_pem,
                &with("iss", json!("https://evil.example")),
            ),
        ),
        (
            "expired",
            id_token(
                Algorithm::RS256,
                &keys.rsa_kid,
                &keys.rsa_pem,
                &with("exp", json!(now - 3600)),
            ),
        ),
        (
            "authorized party of another client",
            id_token(
                Algorithm::RS256,
                &keys.rsa_kid,
                &keys.rsa_pem,
                &with("azp", json!("someone-else")),
            ),
        ),
        ("garbage", "not.a.token".to_owned()),
        ("empty", String::new()),
    ];
    for (what, token) in hostile {
        let response = exchange_id_token(app, &token).await;
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED, "{what}");
        let problem = assert_problem(response, 401).await;
        assert_eq!(problem["code"], "sso_rejected", "{what}");
    }

    let unverified = id_token(
        Algorithm::RS256,
        &keys.rsa_kid,
        &keys.rsa_pem,
        &claims(&world, "viewer@beta.com", false),
    );
    let problem = assert_problem(exchange_id_token(app, &unverified).await, 403).await;
    assert_eq!(problem["code"], "email_not_verified");
    let unknown = id_token(
        Algorithm::RS256,
        &keys.rsa_kid,
        &keys.rsa_pem,
        &claims(&world, "nobody@nowhere.example", true),
    );
    let problem = assert_problem(exchange_id_token(app, &unknown).await, 403).await;
    assert_eq!(problem["code"], "not_provisioned");

    // An ID token is exchanged for a user token only: no audience.
    let response = app
        .client
        .post(app.url("/api/token/exchange"))
        .form(&[
            ("grant_type", GRANT_TYPE),
            ("subject_token", good.as_str()),
            ("subject_token_type", ID_TOKEN_TYPE),
            ("audience", "acme-corp"),
        ])
        .send()
        .await
        .expect("request");
    assert_problem(response, 400).await;
}

#[actix_web::test]
async fn id_tokens_at_the_exchange_sqlite() {
    id_tokens_at_the_exchange(world(Backend::Sqlite).await).await
}

#[actix_web::test]
async fn id_tokens_at_the_exchange_postgres() {
    id_tokens_at_the_exchange(world(Backend::Postgres).await).await
}

fn provider_body(world: &World, domains: Value, jit: Value) -> Value {
    json!({
        "issuer": world.provider.issuer(),
        "client_id": ES_CLIENT_ID,
        "client_secret": ES_CLIENT_SECRET,
        "email_domains": domains,
        "jit": jit,
    })
}

/// Operators give a tenant its own provider; people of its domains are routed to it, and
/// newcomers are provisioned just in time with the tenant's default role. A tenant's
/// provider vouches only for the tenant's domains.
async fn tenant_providers(world: World) {
    let app = &world.app;
    let admin = app.admin_token().await;
    let beta = app.tenant_id("beta-ind").await;
    let acme = app.tenant_id("acme-corp").await;
    let path = format!("/admin/tenants/{beta}/identity-provider");

    let response = app.admin(Method::GET, &path, &admin, None).await;
    assert_problem(response, 404).await;
    let body = provider_body(
        &world,
        json!(["JIT.example"]),
        json!({ "enabled": true, "default_role": "viewer" }),
    );
    let response = app
        .admin(Method::PUT, &path, &admin, Some(body.clone()))
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let shown: Value = response.json().await.expect("json");
    assert_eq!(shown["email_domains"], json!(["jit.example"]));
    assert_eq!(shown["client_secret_set"], true);
    assert!(shown.get("client_secret").is_none());
    assert!(shown["redirect_url"]
        .as_str()
        .unwrap_or("")
        .ends_with("/bff/sso/callback"));
    // Again without the secret: kept.
    let mut without_secret = body.clone();
    without_secret
        .as_object_mut()
        .expect("object")
        .remove("client_secret");
    let response = app
        .admin(Method::PUT, &path, &admin, Some(without_secret))
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let response = app.admin(Method::GET, &path, &admin, None).await;
    assert_eq!(response.status(), StatusCode::OK);
    // The secret is sealed at rest.
    let mut conn = app.db.conn().expect("conn");
    let rows = kyros::store::identity::all_providers(&mut conn).expect("rows");
    assert!(!rows[0].client_secret_sealed.contains(ES_CLIENT_SECRET));

    // Refused configurations.
    let acme_path = format!("/admin/tenants/{acme}/identity-provider");
    let taken = provider_body(&world, json!(["jit.example"]), json!({}));
    assert_eq!(
        assert_problem(
            app.admin(Method::PUT, &acme_path, &admin, Some(taken))
                .await,
            409
        )
        .await["code"],
        "conflict"
    );
    for bad in [
        json!({ "issuer": "ftp://x", "client_id": "c", "client_secret": "s", "email_domains": ["a.example"] }),
        json!({ "issuer": "http://evil.example", "client_id": "c", "client_secret": "s", "email_domains": ["a.example"] }),
        json!({ "issuer": world.provider.issuer(), "client_id": "c", "client_secret": "s", "email_domains": [] }),
        json!({ "issuer": world.provider.issuer(), "client_id": "c", "client_secret": "s", "email_domains": ["not a domain"] }),
        json!({ "issuer": world.provider.issuer(), "client_id": "", "client_secret": "s", "email_domains": ["a.example"] }),
        json!({ "issuer": world.provider.issuer(), "client_id": "c", "email_domains": ["a.example"] }),
        json!({ "issuer": world.provider.issuer(), "client_id": "c", "client_secret": "s", "email_domains": ["a.example"], "extra": 1 }),
    ] {
        let response = app
            .admin(Method::PUT, &acme_path, &admin, Some(bad.clone()))
            .await;
        assert_eq!(response.status(), StatusCode::BAD_REQUEST, "{bad}");
    }
    let closed = format!("http://127.0.0.1:{}", free_port());
    let unreachable = json!({ "issuer": closed, "client_id": "c", "client_secret": "s", "email_domains": ["a.example"] });
    let problem = assert_problem(
        app.admin(Method::PUT, &acme_path, &admin, Some(unreachable))
            .await,
        400,
    )
    .await;
    assert_eq!(problem["code"], "provider_unreachable");
    let nowhere = format!("/admin/tenants/{}/identity-provider", uuid::Uuid::new_v4());
    assert_problem(app.admin(Method::GET, &nowhere, &admin, None).await, 404).await;
    // Admin API only: user tokens are refused.
    let user = app.user_token("admin@acme.com").await;
    assert_eq!(
        app.admin(Method::GET, &path, &user, None).await.status(),
        StatusCode::UNAUTHORIZED
    );

    // A newcomer of the tenant's domain: routed by email, provisioned just in time.
    let browser = Browser::new();
    let (authorize, _) = browser.start(app, "email=new.person%40jit.example").await;
    assert_eq!(
        query_param(&authorize, "client_id").as_deref(),
        Some(ES_CLIENT_ID)
    );
    let callback = browser
        .at_provider(world.provider.issuer(), &authorize, "newbie")
        .await;
    let response = browser.get(&callback).await;
    assert_eq!(
        response.status(),
        StatusCode::FOUND,
        "ES256 ID token accepted"
    );
    let me: Value = browser.me(app).await.json().await.expect("json");
    assert_eq!(me["user"]["email"], "new.person@jit.example");
    assert_eq!(me["active_tenant"]["slug"], "beta-ind");
    assert_eq!(me["active_tenant"]["role"], "viewer");
    assert_eq!(app.audit_rows("sso_provision").await.len(), 1);

    // The tenant's provider cannot vouch for an address outside its domains.
    let response = Browser::new()
        .sign_in(&world, "provider=beta-ind", "mallory")
        .await;
    assert!(!session_cookie_set(&response));
    assert_eq!(
        assert_problem(response, 403).await["code"],
        "not_provisioned"
    );

    // Without just-in-time provisioning, newcomers are refused.
    let no_jit = provider_body(&world, json!(["jit.example"]), json!({ "enabled": false }));
    assert_eq!(
        app.admin(Method::PUT, &path, &admin, Some(no_jit))
            .await
            .status(),
        StatusCode::OK
    );
    let response = Browser::new()
        .sign_in(&world, "provider=beta-ind", "latecomer")
        .await;
    assert_eq!(
        assert_problem(response, 403).await["code"],
        "not_provisioned"
    );

    let response = app.admin(Method::DELETE, &path, &admin, None).await;
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    assert_problem(app.admin(Method::GET, &path, &admin, None).await, 404).await;
    let response = Browser::new()
        .client
        .get(app.url("/bff/sso/start?provider=beta-ind"))
        .header(ACCEPT, "text/html")
        .send()
        .await
        .expect("r");
    assert_eq!(location(&response), "/login?sso_error=no_provider");
    assert!(app
        .audit_rows("identity_provider_put")
        .await
        .iter()
        .all(|r| !r.to_string().contains(ES_CLIENT_SECRET)));
}

#[actix_web::test]
async fn tenant_providers_sqlite() {
    tenant_providers(world(Backend::Sqlite).await).await
}

#[actix_web::test]
async fn tenant_providers_postgres() {
    tenant_providers(world(Backend::Postgres).await).await
}

/// A real ID token of the provider (obtained by an integration acting as the client)
/// exchanged for a Kyros user token.
#[actix_web::test]
async fn a_real_id_token_from_the_provider_is_exchanged() {
    let world = world(Backend::Sqlite).await;
    let app = &world.app;
    // Link alice's subject first (the provider's ID tokens of the code flow carry no
    // email; the link names the subject).
    let response = Browser::new()
        .sign_in(&world, "provider=global", "alice")
        .await;
    assert_eq!(response.status(), StatusCode::FOUND);

    // The integration: its own authorization request with PKCE, then the token endpoint.
    let verifier = "integration-verifier-0123456789-0123456789-0123456789";
    let challenge = {
        use base64::Engine;
        use sha2::Digest;
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(sha2::Sha256::digest(verifier))
    };
    let issuer = world.provider.issuer().to_owned();
    let redirect = app.url("/bff/sso/callback");
    let authorize = format!(
        "{issuer}/auth?client_id={CLIENT_ID}&response_type=code&scope=openid%20email&redirect_uri={}&state=s1&nonce=n1&code_challenge={challenge}&code_challenge_method=S256",
        urlencode(&redirect)
    );
    let browser = Browser::new();
    let callback = browser.at_provider(&issuer, &authorize, "alice").await;
    let code = query_param(&callback, "code").expect("code");
    let tokens: Value = reqwest::Client::new()
        .post(format!("{issuer}/token"))
        .basic_auth(CLIENT_ID, Some(CLIENT_SECRET))
        .form(&[
            ("grant_type", "authorization_code"),
            ("code", code.as_str()),
            ("redirect_uri", redirect.as_str()),
            ("code_verifier", verifier),
        ])
        .send()
        .await
        .expect("token endpoint")
        .json()
        .await
        .expect("json");
    let id_token = tokens["id_token"].as_str().expect("id_token");
    let response = exchange_id_token(app, id_token).await;
    assert_eq!(response.status(), StatusCode::OK);
    let body: Value = response.json().await.expect("json");
    let me = app.me(body["access_token"].as_str().expect("token")).await;
    assert_eq!(me["user"]["email"], "analyst@acme.com");
}

fn urlencode(text: &str) -> String {
    url::form_urlencoded::byte_serialize(text.as_bytes()).collect()
}
