//! Mail through a real SMTP server (aiosmtpd from PyPI, started per test): an
//! invitation is delivered, its link read out of the received message and used.

use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

use crate::counterparts::{body_text, link_token, SmtpServer};
use crate::helpers::{spawn_app_with, Backend};

async fn an_invitation_arrives_over_smtp_and_its_link_works(backend: Backend) {
    let smtp = SmtpServer::start();
    let url = smtp.url();
    let app = spawn_app_with(
        backend,
        &[
            ("KYROS_SMTP_URL", url.as_str()),
            ("KYROS_MAIL_FROM", "Kyros Tests <kyros@example.com>"),
            ("KYROS_PUBLIC_URL", "https://analytics.example.com"),
        ],
    )
    .await;
    let (admin, acme) = app.scoped_token("admin@acme.com", "acme-corp").await;
    let response = app
        .call(
            Method::POST,
            &format!("/api/tenant/{acme}/users"),
            &admin,
            Some(json!({ "email": "mailed.person@example.com", "role": "viewer" })),
        )
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);

    let raw = smtp.message_to("mailed.person@example.com").await;
    assert!(
        raw.contains("From: \"Kyros Tests\" <kyros@example.com>")
            || raw.contains("From: Kyros Tests <kyros@example.com>"),
        "{raw}"
    );
    let body = body_text(&raw);
    assert!(
        body.contains("https://analytics.example.com/invite#token="),
        "{body}"
    );
    let token = link_token(&body).expect("a link with a token");
    let accepted = app
        .post_json(
            "/api/auth/invitations/accept",
            json!({ "token": token, "password": "amber falcon orbit quiet 7" }),
        )
        .await;
    assert_eq!(accepted.status(), 200);
    app.token_for("mailed.person@example.com", "amber falcon orbit quiet 7")
        .await;

    // Delivered: marked sent, and the body (which carried the link) is not kept.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    loop {
        let mail: Value = app
            .last_mail_to("mailed.person@example.com")
            .await
            .expect("outbox row");
        if mail["status"] == "sent" {
            assert!(!mail["body"].as_str().expect("body").contains("#token="));
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "never marked sent: {mail}"
        );
        actix_web::rt::time::sleep(std::time::Duration::from_millis(50)).await;
    }
}

#[actix_web::test]
async fn smtp_sqlite() {
    an_invitation_arrives_over_smtp_and_its_link_works(Backend::Sqlite).await
}

#[actix_web::test]
async fn smtp_postgres() {
    an_invitation_arrives_over_smtp_and_its_link_works(Backend::Postgres).await
}
