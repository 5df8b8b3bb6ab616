//! Single sign-on in the browser, through a real OpenID provider: the certified
//! `oidc-provider` (npm), run by the backend's own test counterpart
//! (`backend/tests/api/counterparts.rs`, `backend/tests/oidc/provider.mjs`) as Kyros's
//! global provider. "Sign in with your organisation" on the login page, the provider's
//! sign-in form, back to the dashboard the person asked for — signed in, with no token in
//! the address bar or in script-readable cookies; and the refusal of a person the
//! provider knows but Kyros does not.

#[path = "../../../backend/tests/api/counterparts.rs"]
#[allow(dead_code)]
mod counterparts;

use serde_json::{json, Value};

use crate::support::Session;
use counterparts::{free_port, OidcProvider};

const CLIENT_ID: &str = "kyros";
const CLIENT_SECRET: &str = "kyros-e2e-client-secret-0123456789";
/// A demo user of Acme (backend/src/store/seed.rs), and a dashboard Acme has.
const ANALYST: &str = "analyst@acme.com";
const DASHBOARD: &str = "risk-analysis";
/// A person the provider signs in whose verified email has no Kyros account.
const STRANGER: &str = "stranger@nowhere.example";

/// The provider's people (login → claims): its dev login form takes any of these names,
/// with any password.
fn accounts() -> Value {
    json!({
        "alice": { "email": ANALYST, "email_verified": true, "name": "Alice" },
        "stranger": { "email": STRANGER, "email_verified": true, "name": "Stranger" },
    })
}

/// An OpenID provider and a Kyros whose global provider it is. Kyros's port is chosen
/// first: the provider must know the redirect URI (on `localhost`, the origin the
/// browser uses, so the cookies Kyros sets at the callback are those of the shell). The
/// port stays free until Kyros binds it after the browser-test lock: the same small race
/// as the backend's SSO API tests.
async fn start() -> (OidcProvider, Session) {
    let port = free_port();
    let origin = format!("http://localhost:{port}");
    let clients = json!([{
        "client_id": CLIENT_ID,
        "client_secret": CLIENT_SECRET,
        "redirect_uris": [format!("{origin}/bff/sso/callback")],
        "grant_types": ["authorization_code"],
        "response_types": ["code"],
        "id_token_signed_response_alg": "RS256",
    }]);
    let provider = OidcProvider::start(&clients, &accounts());
    let session = Session::start_with(&[
        ("KYROS_BIND", format!("127.0.0.1:{port}")),
        ("KYROS_PUBLIC_URL", origin.clone()),
        ("KYROS_OIDC_ISSUER", provider.issuer().to_owned()),
        ("KYROS_OIDC_CLIENT_ID", CLIENT_ID.to_owned()),
        ("KYROS_OIDC_CLIENT_SECRET", CLIENT_SECRET.to_owned()),
    ])
    .await;
    assert_eq!(
        session.url(""),
        origin,
        "the browser uses the origin the provider sends it back to"
    );
    (provider, session)
}

/// The text of `css` once it is not empty.
async fn text_of(s: &Session, what: &str, css: &str) -> String {
    let script = format!(
        "const e = document.querySelector({css}); const t = e ? e.textContent.trim() : ''; return t || null;",
        css = json!(css)
    );
    let text = s.wait_for(what, &script).await;
    text.as_str().unwrap_or_default().to_owned()
}

/// On Kyros's login page (`/login?next=…`): "Sign in with your organisation" with `email`,
/// up to the provider's sign-in form. `screenshots` saves both pages for the docs.
async fn continue_to_provider(
    s: &Session,
    provider: &OidcProvider,
    next: &str,
    email: &str,
    screenshots: bool,
) {
    s.goto(&format!("/login?next={}", next.replace('/', "%2F")))
        .await;
    s.wait_for(
        "the login form",
        "return document.querySelector('#login-form') !== null;",
    )
    .await;
    s.click("#sso-toggle").await;
    s.wait_for(
        "the work email field",
        "return document.querySelector('#sso-email') !== null;",
    )
    .await;
    s.type_into("#sso-email", email).await;
    s.wait_for(
        "the typed work email",
        &format!(
            "const i = document.querySelector('#sso-email'); return i !== null && i.value === {};",
            json!(email)
        ),
    )
    .await;
    if screenshots {
        s.screenshot_for_docs("sso-login").await;
    }
    s.click("#sso-submit").await;

    // The whole window: /bff/sso/start → the provider's /auth → its interaction page.
    s.wait_for(
        "the provider's sign-in form",
        &format!(
            "return location.origin === {issuer} && location.pathname.startsWith('/interaction/')
               && document.querySelector('input[name=login]') !== null
               && document.querySelector('input[name=password]') !== null;",
            issuer = json!(provider.issuer())
        ),
    )
    .await;
    if screenshots {
        s.screenshot_for_docs("sso-provider").await;
    }
}

/// At the provider's (development) sign-in form: `login`, any password, submit.
async fn sign_in_at_provider(s: &Session, login: &str) {
    s.type_into("input[name=login]", login).await;
    s.type_into("input[name=password]", "any password will do")
        .await;
    s.click("form button[type=submit]").await;
}

/// `GET path` from the page (the browser's cookies): the status.
async fn fetch_status(s: &Session, path: &str) -> Value {
    s.client()
        .execute_async(
            "const [path, done] = [arguments[0], arguments[arguments.length - 1]];
             fetch(path, { credentials: 'same-origin' }).then(r => done(r.status), () => done(0));",
            vec![json!(path)],
        )
        .await
        .unwrap_or_else(|e| panic!("fetch {path} from the page: {e}"))
}

#[actix_web::test]
async fn a_person_signs_in_with_their_organisation_and_lands_on_the_dashboard_they_asked_for() {
    let (provider, s) = start().await;
    let next = format!("/dashboards/{DASHBOARD}");
    continue_to_provider(&s, &provider, &next, ANALYST, true).await;
    sign_in_at_provider(&s, "alice").await;

    // The provider sends the browser to Kyros's callback, which signs it in and sends it
    // on to `next`: the dashboard, drawn.
    s.wait_for(
        "the dashboard asked for, back at Kyros",
        &format!(
            "return location.origin === {origin} && location.pathname === {next};",
            origin = json!(s.url("")),
            next = json!(next)
        ),
    )
    .await;
    let cards = s.wait_for_charts(DASHBOARD).await;
    assert!(cards > 0, "{DASHBOARD} has chart cards");
    s.assert_charts_drawn("risk-analysis after single sign-on")
        .await;
    s.wait_for_tenant("acme-corp").await;

    // Nothing of the exchange is readable by the page: the address is exactly the
    // dashboard's (the callback's code and state went by in a redirect), and
    // document.cookie shows no Kyros cookie.
    let seen = s
        .js("return { href: location.href, cookie: document.cookie };")
        .await;
    assert_eq!(seen["href"], json!(s.url(&next)), "{seen}");
    let cookie = seen["cookie"].as_str().unwrap_or_default();
    for secret in ["kyros_session", "kyros_sso", "token", "code", "state"] {
        assert!(
            !cookie.contains(secret),
            "document.cookie shows {secret}: {cookie:?}"
        );
    }
    assert_eq!(
        fetch_status(&s, "/bff/me").await,
        json!(200),
        "the browser is signed in"
    );
    // The browser does hold the session: HttpOnly (so not in document.cookie), Secure,
    // SameSite=Strict; the pending sign-in's cookie is gone.
    let jar = s
        .cdp("Network.getCookies", json!({ "urls": [s.url("/")] }))
        .await;
    let jar = jar["cookies"].as_array().cloned().unwrap_or_default();
    let session = jar
        .iter()
        .find(|c| c["name"] == json!("__Host-kyros_session"))
        .unwrap_or_else(|| panic!("no session cookie in the browser: {jar:?}"));
    assert_eq!(
        [
            &session["httpOnly"],
            &session["secure"],
            &session["sameSite"]
        ],
        [&json!(true), &json!(true), &json!("Strict")],
        "{session}"
    );
    assert!(
        !jar.iter().any(|c| c["name"] == json!("__Host-kyros_sso")),
        "the pending sign-in's cookie is removed: {jar:?}"
    );
    s.screenshot("sso-signed-in-risk-analysis").await;
    s.finish().await;
}

#[actix_web::test]
async fn a_person_the_provider_knows_but_kyros_does_not_is_refused_without_a_session() {
    let (provider, s) = start().await;
    continue_to_provider(&s, &provider, "/dashboards", STRANGER, false).await;
    sign_in_at_provider(&s, "stranger").await;

    s.wait_for(
        "the login page with the refusal",
        &format!(
            "return location.origin === {origin} && location.pathname === '/login'
               && location.search === '?sso_error=not_provisioned';",
            origin = json!(s.url(""))
        ),
    )
    .await;
    let message = text_of(&s, "the not-provisioned message", "#sso-error").await;
    assert_eq!(
        message,
        "There is no Kyros account for you yet. Ask your administrator for an invitation."
    );
    assert_eq!(
        fetch_status(&s, "/bff/me").await,
        json!(401),
        "no session for a person Kyros does not know"
    );
    s.finish().await;
}
