//! Signing in beyond the password, in the browser: a demo user turns on two-step
//! verification on the account page and signs in again with a code from an
//! authenticator (computed here from the secret the page shows); a tenant that requires it
//! sends its member there first; the login page explains a refused single sign-on and
//! opens "Sign in with your organisation"; a lost session leads back to the page it
//! interrupted.

use std::time::{SystemTime, UNIX_EPOCH};

use serde_json::json;
use totp_rs::{Algorithm, Secret, TOTP};

use crate::support::{Session, DEMO_PASSWORD};

const ANALYST: &str = "analyst@acme.com";
const BETA_VIEWER: &str = "viewer@beta.com";
/// The TOTP time step of the server (RFC 6238's default).
const STEP_SECS: u64 = 30;

/// The authenticator app: SHA-1, six digits, 30-second steps (the issuer and account
/// label only matter to the `otpauth://` link).
fn authenticator(secret: &str, email: &str) -> TOTP {
    let key = Secret::Encoded(secret.to_owned())
        .to_bytes()
        .unwrap_or_else(|e| panic!("the page's secret {secret:?} is not base32: {e:?}"));
    TOTP::new(
        Algorithm::SHA1,
        6,
        1,
        STEP_SECS,
        key,
        Some("Kyros".into()),
        email.into(),
    )
    .expect("a valid TOTP configuration")
}

fn current_step() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .expect("a clock after 1970")
        .as_secs()
        / STEP_SECS
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

/// Two-step verification just turned on: the user's app, the time step its first code
/// used, and the recovery codes shown.
struct Enrolled {
    app: TOTP,
    step: u64,
    recovery_codes: Vec<String>,
}

impl Enrolled {
    /// A code the server has not seen: each step's code works once and the enrolment
    /// used its step, but the server also takes the next step's code, so nobody waits
    /// for the clock.
    fn fresh_code(&self) -> String {
        let step = current_step().max(self.step + 1);
        self.app.generate(step * STEP_SECS)
    }
}

/// On the account page: sets up two-step verification with the secret as text (the QR
/// code's image shown too; `screenshot` saves the page then, for the docs) and waits for
/// the recovery codes.
async fn enrol(s: &Session, email: &str, screenshot: Option<&str>) -> Enrolled {
    s.click("#mfa-enrol").await;
    let secret: String = text_of(s, "the secret to type", "#mfa-secret")
        .await
        .split_whitespace()
        .collect();
    s.wait_for(
        "the QR code image",
        "const img = document.querySelector('#mfa-qr');
         return img !== null && img.complete && img.naturalWidth > 0 && img.src.startsWith('data:image/svg+xml;base64,');",
    )
    .await;
    if let Some(name) = screenshot {
        s.screenshot_for_docs(name).await;
    }
    let app = authenticator(&secret, email);
    let step = current_step();
    s.type_into("#mfa-confirm-code", &app.generate(step * STEP_SECS))
        .await;
    s.click("#mfa-confirm").await;
    let codes = s
        .wait_for(
            "the recovery codes",
            "const items = document.querySelectorAll('#mfa-recovery-codes li');
             return items.length > 0 ? Array.from(items, li => li.textContent.trim()) : null;",
        )
        .await;
    let recovery_codes: Vec<String> = serde_json::from_value(codes).expect("codes");
    Enrolled {
        app,
        step,
        recovery_codes,
    }
}

#[actix_web::test]
async fn a_user_turns_on_two_step_verification_and_then_signs_in_with_a_code() {
    let s = Session::start().await;
    s.login(ANALYST).await;
    s.dashboard_tiles().await;

    // Account page: set it up with the QR code or, here, the secret as text.
    s.click("#nav-account").await;
    s.wait_for_path("/account").await;
    let enrolled = enrol(&s, ANALYST, Some("mfa-enrolment")).await;
    assert_eq!(
        enrolled.recovery_codes.len(),
        10,
        "{:?}",
        enrolled.recovery_codes
    );
    for code in &enrolled.recovery_codes {
        assert!(
            code.len() == 11 && code.as_bytes()[5] == b'-',
            "a recovery code looks like abcde-fghjk: {code}"
        );
    }
    s.screenshot("account-mfa-recovery-codes").await;
    s.click("#mfa-recovery-done").await;
    let status = text_of(
        &s,
        "two-step verification on",
        "#mfa-status[data-enabled=\"true\"]",
    )
    .await;
    assert!(status.contains("10 recovery codes left"), "{status}");
    s.screenshot("account-mfa-on").await;

    // Signed out, the password alone only leads to the code step.
    s.click("#logout-button").await;
    s.wait_for_path("/login").await;
    s.login(ANALYST).await;
    s.wait_for(
        "the code step",
        "const input = document.querySelector('#mfa-code');
         return input !== null && input.getAttribute('autocomplete') === 'one-time-code'
           && document.activeElement === input;",
    )
    .await;
    assert_eq!(s.path().await, "/login");
    s.screenshot_for_docs("login-mfa-step").await;

    let code = enrolled.fresh_code();
    let wrong: String = code
        .chars()
        .map(|c| {
            if c == '9' {
                '0'
            } else {
                char::from(c as u8 + 1)
            }
        })
        .collect();
    s.type_into("#mfa-code", &wrong).await;
    s.click("#mfa-submit").await;
    let refusal = text_of(&s, "the wrong-code message", "#mfa-error").await;
    assert!(refusal.contains("not right"), "{refusal}");
    assert_eq!(
        s.js("return document.querySelector('#mfa-error').getAttribute('role');")
            .await,
        json!("alert")
    );

    s.type_into("#mfa-code", &code).await;
    s.click("#mfa-submit").await;
    assert!(!s.dashboard_tiles().await.is_empty());
    s.finish().await;
}

#[actix_web::test]
async fn a_tenant_that_requires_two_step_verification_sends_its_member_to_set_it_up() {
    let s = Session::start().await;
    let services = s.services();
    let beta = services
        .db
        .run(|conn| kyros::store::tenants::find_by_slug(conn, "beta-ind"))
        .await
        .expect("query")
        .expect("Beta");
    let mut config = beta.config();
    config.features.insert("mfa_required".into(), true);
    let beta_id = beta.tenant_id().expect("Beta's id").to_string();
    services
        .admin
        .set_tenant_config("e2e".into(), &beta_id, config)
        .await
        .expect("Beta requires MFA");

    // Signed in with the password alone: Beta, the only tenant, does not open; the account
    // page says why, at its two-step verification section.
    s.login(BETA_VIEWER).await;
    s.wait_for_path("/account").await;
    let notice = text_of(&s, "why the account page opened", "#mfa-notice").await;
    assert_eq!(
        notice,
        "Beta Industries requires two-step verification. Set it up below, then open Beta Industries."
    );
    assert_eq!(
        s.js("return document.activeElement && document.activeElement.id;")
            .await,
        json!("mfa-heading")
    );

    // Set up here, this sign-in counts as two-step: Beta opens.
    enrol(&s, BETA_VIEWER, None).await;
    let notice = text_of(&s, "the way on", "#mfa-continue").await;
    assert_eq!(notice, "Continue to Beta Industries");
    s.click("#mfa-continue").await;
    assert_eq!(s.dashboard_tiles().await, ["risk-analysis"]);

    // The chooser marks such a tenant (an admin of both tenants sees it).
    s.click("#logout-button").await;
    s.wait_for_path("/login").await;
    s.login("admin@acme.com").await;
    s.wait_for(
        "Beta marked in the tenant chooser",
        "const b = document.querySelector('button.tenant-choice[data-tenant-slug=\"beta-ind\"]');
         return b !== null && b.dataset.mfaRequired === 'true' && b.textContent.includes('Requires two-step verification');",
    )
    .await;
    s.finish().await;
}

#[actix_web::test]
async fn the_login_page_explains_a_refused_single_sign_on_and_opens_the_organisation_form() {
    let s = Session::start().await;
    s.goto("/login?sso_error=not_provisioned").await;
    let message = text_of(&s, "the single sign-on refusal", "#sso-error").await;
    assert!(
        message.contains("Ask your administrator for an invitation"),
        "{message}"
    );
    assert_eq!(
        s.js("return [document.querySelector('#sso-error').getAttribute('role'), document.querySelector('#sso-email') === null];")
            .await,
        json!(["alert", true])
    );

    s.click("#sso-toggle").await;
    s.wait_for(
        "the work email field, focused",
        "const input = document.querySelector('#sso-email');
         return input !== null && document.activeElement === input
           && document.querySelector('#sso-toggle').getAttribute('aria-expanded') === 'true';",
    )
    .await;
    s.screenshot("login-sso-not-provisioned").await;

    // The whole window goes to the BFF; with no provider for the address, it comes back
    // to the login page with the reason.
    s.type_into("#sso-email", "someone@nowhere.example").await;
    s.click("#sso-submit").await;
    s.wait_for(
        "the way back from /bff/sso/start",
        "return location.pathname === '/login' && location.search === '?sso_error=no_provider';",
    )
    .await;
    let message = text_of(&s, "the no-provider message", "#sso-error").await;
    assert!(message.contains("Sign in with your password"), "{message}");
    s.finish().await;
}

#[actix_web::test]
async fn signing_in_leads_back_to_the_page_a_lost_session_interrupted() {
    let s = Session::start().await;
    s.goto("/dashboards/risk-analysis?segment=SMB").await;
    s.wait_for_path("/login").await;
    assert_eq!(
        s.js("return location.search;").await,
        json!("?next=%2Fdashboards%2Frisk-analysis%3Fsegment%3DSMB")
    );
    s.wait_for(
        "the login form",
        "return document.querySelector('#login-form') !== null;",
    )
    .await;
    s.type_into("#email", ANALYST).await;
    s.type_into("#password", DEMO_PASSWORD).await;
    s.click("#login-submit").await;
    s.wait_for(
        "the interrupted page",
        "return location.pathname + location.search === '/dashboards/risk-analysis?segment=SMB';",
    )
    .await;
    s.wait_for_charts("risk-analysis").await;

    // Already signed in, the login page follows `next` at once, but never off the site.
    s.goto("/login?next=%2Fdashboards").await;
    s.dashboard_tiles().await;
    s.goto("/login?next=https%3A%2F%2Fevil.example%2F").await;
    s.wait_for(
        "home instead of another site",
        "return location.origin !== 'https://evil.example' && location.pathname === '/dashboards';",
    )
    .await;
    s.finish().await;
}
