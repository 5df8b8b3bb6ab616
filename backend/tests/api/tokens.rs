//! Hostile tokens: every one of them is 401.

use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64URL;
use base64::Engine as _;
use jsonwebtoken::{encode, Algorithm, EncodingKey, Header};
use serde_json::{json, Value};

use crate::helpers::{assert_problem, TestApp, SIGNING_KEY};

fn claims_of(token: &str) -> Value {
    let payload = token.split('.').nth(1).expect("payload");
    serde_json::from_slice(&B64URL.decode(payload).expect("base64")).expect("json")
}

fn sign(claims: &Value, kid: Option<String>, key: &[u8]) -> String {
    let header = Header {
        kid,
        ..Header::new(Algorithm::HS256)
    };
    encode(&header, claims, &EncodingKey::from_secret(key)).expect("sign")
}

fn env_kid() -> Option<String> {
    Some(kyros::auth::keys::kid_for(SIGNING_KEY.as_bytes()))
}

async fn hostile_tokens_are_rejected_with_401(app: TestApp) {
    let (scoped, acme) = app.scoped_token("analyst@acme.com", "acme-corp").await;
    let user = app.user_token("analyst@acme.com").await;
    let route = format!("/api/tenant/{acme}");
    assert_eq!(
        app.get_with(&route, &scoped).await.status(),
        200,
        "the genuine token works"
    );

    let base = claims_of(&scoped);
    let now = chrono::Utc::now().timestamp();
    let with = |key: &str, value: Value| {
        let mut c = base.clone();
        c[key] = value;
        c
    };

    // Tampered signature: flip the last signature character.
    let mut tampered = scoped.clone();
    let last = tampered.pop().expect("char");
    tampered.push(if last == 'A' { 'B' } else { 'A' });
    // Tampered payload with the original signature.
    let parts: Vec<&str> = scoped.split('.').collect();
    let forged_payload =
        B64URL.encode(serde_json::to_vec(&with("role", json!("admin"))).expect("json"));
    let payload_swap = format!("{}.{}.{}", parts[0], forged_payload, parts[2]);
    // alg: none.
    let none_header =
        B64URL.encode(json!({ "alg": "none", "typ": "JWT", "kid": env_kid() }).to_string());
    let alg_none = format!("{none_header}.{}.", parts[1]);
    // HS512 with the right key (algorithm switching).
    let hs512 = encode(
        &Header {
            kid: env_kid(),
            ..Header::new(Algorithm::HS512)
        },
        &base,
        &EncodingKey::from_secret(SIGNING_KEY.as_bytes()),
    )
    .expect("sign");

    let cases: Vec<(&str, String)> = vec![
        ("tampered signature", tampered),
        ("tampered payload", payload_swap),
        ("alg none", alg_none),
        ("algorithm switch to HS512", hs512),
        (
            "expired",
            sign(
                &with("exp", json!(now - 3600)),
                env_kid(),
                SIGNING_KEY.as_bytes(),
            ),
        ),
        (
            "not yet valid",
            sign(
                &with("nbf", json!(now + 3600)),
                env_kid(),
                SIGNING_KEY.as_bytes(),
            ),
        ),
        (
            "wrong issuer",
            sign(
                &with("iss", json!("evil")),
                env_kid(),
                SIGNING_KEY.as_bytes(),
            ),
        ),
        (
            "wrong audience",
            sign(
                &with("aud", json!("kyros:user")),
                env_kid(),
                SIGNING_KEY.as_bytes(),
            ),
        ),
        (
            "unknown kid",
            sign(
                &base,
                Some("hs256-0000000000000000".into()),
                SIGNING_KEY.as_bytes(),
            ),
        ),
        ("no kid", sign(&base, None, SIGNING_KEY.as_bytes())),
        (
            "wrong key",
            sign(&base, env_kid(), b"another-key-another-key-another-key!!"),
        ),
        ("missing exp", {
            let mut c = base.clone();
            c.as_object_mut().expect("object").remove("exp");
            sign(&c, env_kid(), SIGNING_KEY.as_bytes())
        }),
        ("missing sub", {
            let mut c = base.clone();
            c.as_object_mut().expect("object").remove("sub");
            sign(&c, env_kid(), SIGNING_KEY.as_bytes())
        }),
        (
            "exp as a string",
            sign(
                &with("exp", json!((now + 3600).to_string())),
                env_kid(),
                SIGNING_KEY.as_bytes(),
            ),
        ),
        ("user token where a scoped one is needed", user.clone()),
        ("garbage", "not.a.jwt".into()),
        ("empty segments", "..".into()),
    ];
    for (name, token) in cases {
        let body = assert_problem(app.get_with(&route, &token).await, 401).await;
        assert!(
            body["code"] == "invalid_token" || body["code"] == "unauthenticated",
            "{name}: {body}"
        );
    }

    // The reverse: a scoped token where a user token is needed.
    assert_problem(app.get_with("/api/me", &scoped).await, 401).await;
    // A user token forged with the scoped audience but user claims is refused too.
    let user_as_scoped = {
        let mut c = claims_of(&user);
        c["aud"] = json!("kyros:tenant");
        sign(&c, env_kid(), SIGNING_KEY.as_bytes())
    };
    assert_problem(app.get_with(&route, &user_as_scoped).await, 401).await;
}

async fn a_token_within_the_leeway_is_still_accepted(app: TestApp) {
    let (scoped, acme) = app.scoped_token("analyst@acme.com", "acme-corp").await;
    let mut claims = claims_of(&scoped);
    claims["exp"] = json!(chrono::Utc::now().timestamp() - 1);
    let token = sign(&claims, env_kid(), SIGNING_KEY.as_bytes());
    assert_eq!(
        app.get_with(&format!("/api/tenant/{acme}"), &token)
            .await
            .status(),
        200
    );
}

matrix!(
    hostile_tokens_are_rejected_with_401,
    a_token_within_the_leeway_is_still_accepted
);
