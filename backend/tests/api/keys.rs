//! Public verification keys: with an asymmetric ring (`KYROS_SIGNING_ALG=EdDSA|RS256`)
//! `/.well-known/jwks.json` publishes the keys that verify tokens now, an independent
//! verifier accepts Kyros tokens with them, a rotated-out key leaves the set after its
//! grace, and key material is sealed at rest.

use jsonwebtoken::jwk::{Jwk, JwkSet};
use jsonwebtoken::{
    decode, decode_header, encode, Algorithm, DecodingKey, EncodingKey, Header, Validation,
};
use reqwest::Method;
use serde_json::Value;

use crate::helpers::{assert_problem, spawn_app_with, Backend, TestApp};

async fn jwks(app: &TestApp) -> JwkSet {
    let response = app
        .client
        .get(app.url("/.well-known/jwks.json"))
        .send()
        .await
        .expect("jwks");
    assert_eq!(response.status(), 200);
    assert!(response.headers()["cache-control"]
        .to_str()
        .expect("ascii")
        .contains("max-age"));
    response.json().await.expect("a JWK set")
}

fn verify_independently(token: &str, set: &JwkSet, audience: &str) -> Value {
    let kid = decode_header(token).expect("header").kid.expect("kid");
    let jwk: &Jwk = set.find(&kid).expect("the token's key is published");
    let key = DecodingKey::from_jwk(jwk).expect("usable JWK");
    let alg = decode_header(token).expect("header").alg;
    let mut validation = Validation::new(alg);
    validation.set_audience(&[audience]);
    validation.set_issuer(&["kyros"]);
    decode::<Value>(token, &key, &validation)
        .expect("verifies with the published key")
        .claims
}

async fn published_keys_verify_tokens_and_leave_after_their_grace(backend: Backend, alg: &str) {
    let app = spawn_app_with(
        backend,
        &[
            ("KYROS_SIGNING_ALG", alg),
            ("KYROS_USER_TOKEN_TTL", "3"),
            ("KYROS_TENANT_TOKEN_TTL", "2"),
        ],
    )
    .await;
    let user = app.user_token("analyst@acme.com").await;
    assert_eq!(
        format!("{:?}", decode_header(&user).expect("header").alg).to_uppercase(),
        alg.to_uppercase()
    );
    let set = jwks(&app).await;
    assert_eq!(set.keys.len(), 1);
    let claims = verify_independently(&user, &set, "kyros:user");
    assert_eq!(claims["email"], "analyst@acme.com");
    let (scoped, _) = app.scoped_token("analyst@acme.com", "acme-corp").await;
    verify_independently(&scoped, &set, "kyros:tenant");
    // No private part is ever published.
    let raw: Value = app
        .client
        .get(app.url("/.well-known/jwks.json"))
        .send()
        .await
        .expect("jwks")
        .json()
        .await
        .expect("json");
    for key in raw["keys"].as_array().expect("keys") {
        for private in ["d", "p", "q", "dp", "dq", "qi"] {
            assert!(key.get(private).is_none(), "{private} published: {key}");
        }
    }

    // Rotation: the new key signs, the old one stays published (and verifying) for its grace.
    let admin = app.admin_token().await;
    let rotated = app
        .admin(Method::POST, "/admin/rotate-secret", &admin, None)
        .await;
    assert_eq!(rotated.status(), 200);
    let new_kid = rotated.json::<Value>().await.expect("json")["kid"]
        .as_str()
        .expect("kid")
        .to_owned();
    let set = jwks(&app).await;
    assert_eq!(set.keys.len(), 2);
    let fresh = app.user_token("analyst@acme.com").await;
    assert_eq!(
        decode_header(&fresh).expect("header").kid.as_deref(),
        Some(new_kid.as_str())
    );
    verify_independently(&fresh, &set, "kyros:user");
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(15);
    loop {
        if jwks(&app).await.keys.len() == 1 {
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "the retired key never left the set"
        );
        actix_web::rt::time::sleep(std::time::Duration::from_millis(200)).await;
    }
    assert_eq!(
        jwks(&app).await.keys[0].common.key_id.as_deref(),
        Some(new_kid.as_str())
    );
    assert_problem(app.get_with("/api/me", &user).await, 401).await;

    // Key material is sealed at rest.
    let stored: Vec<String> = app
        .db
        .run(|conn| {
            use diesel::prelude::*;
            use kyros::store::schema::signing_keys;
            Ok(signing_keys::table
                .select(signing_keys::material)
                .load::<String>(conn)?)
        })
        .await
        .expect("rows");
    assert!(stored.iter().all(|m| m.starts_with("kek1:")), "{stored:?}");
}

#[actix_web::test]
async fn eddsa_sqlite() {
    published_keys_verify_tokens_and_leave_after_their_grace(Backend::Sqlite, "EdDSA").await
}
#[actix_web::test]
async fn eddsa_postgres() {
    published_keys_verify_tokens_and_leave_after_their_grace(Backend::Postgres, "EdDSA").await
}
#[actix_web::test]
async fn rs256_sqlite() {
    published_keys_verify_tokens_and_leave_after_their_grace(Backend::Sqlite, "RS256").await
}

#[actix_web::test]
async fn an_hs256_ring_publishes_no_key_and_keeps_its_secret_sealed() {
    let app = spawn_app_with(Backend::Sqlite, &[]).await;
    assert!(jwks(&app).await.keys.is_empty());
    let stored: Vec<String> = app
        .db
        .run(|conn| {
            use diesel::prelude::*;
            use kyros::store::schema::signing_keys;
            Ok(signing_keys::table
                .select(signing_keys::material)
                .load::<String>(conn)?)
        })
        .await
        .expect("rows");
    use base64::Engine as _;
    let plain = base64::engine::general_purpose::STANDARD.encode(crate::helpers::SIGNING_KEY);
    assert!(stored
        .iter()
        .all(|m| m.starts_with("kek1:") && !m.contains(&plain)));
}

#[actix_web::test]
async fn algorithm_confusion_with_a_published_key_is_refused() {
    let app = spawn_app_with(Backend::Sqlite, &[("KYROS_SIGNING_ALG", "RS256")]).await;
    let user = app.user_token("analyst@acme.com").await;
    let set = jwks(&app).await;
    let jwk = &set.keys[0];
    let kid = jwk.common.key_id.clone().expect("kid");
    let claims: Value = verify_independently(&user, &set, "kyros:user");
    // HS256 keyed with the public modulus (the classic confusion), and `none`.
    let n = match &jwk.algorithm {
        jsonwebtoken::jwk::AlgorithmParameters::RSA(rsa) => rsa.n.clone(),
        other => panic!("expected an RSA key, got {other:?}"),
    };
    let header = Header {
        kid: Some(kid.clone()),
        ..Header::new(Algorithm::HS256)
    };
    let forged = encode(&header, &claims, &EncodingKey::from_secret(n.as_bytes())).expect("sign");
    assert_problem(app.get_with("/api/me", &forged).await, 401).await;
    use base64::Engine as _;
    let b64 = base64::engine::general_purpose::URL_SAFE_NO_PAD;
    let none = format!(
        "{}.{}.",
        b64.encode(format!(r#"{{"alg":"none","kid":"{kid}"}}"#)),
        b64.encode(claims.to_string())
    );
    assert_problem(app.get_with("/api/me", &none).await, 401).await;
}
