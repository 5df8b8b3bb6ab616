//! Property tests of JWT validation: arbitrary strings, and genuine tokens with bytes
//! flipped, characters inserted, segments swapped, dropped or spliced from other
//! tokens, base64 garbage, forged headers (`alg`, `kid`) and payloads, or a signature
//! made with another key — `Tokens::validate` never panics, and never accepts a token
//! that differs from every token issued, as any of the three token kinds.

use std::sync::Arc;
use std::time::Duration;

use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64URL;
use base64::Engine as _;
use jsonwebtoken::{encode, Algorithm, EncodingKey, Header};
use kyros::auth::jwt::{AdminClaims, TenantClaims, Tokens, UserClaims};
use kyros::auth::keys::KeyRing;
use kyros::config::DatabaseSettings;
use kyros::store::{migrations, Db};
use kyros_common::api::tenants::Role;
use proptest::collection::vec;
use proptest::prelude::*;
use proptest::sample::{select, Index};
use proptest::test_runner::{Config, TestCaseError, TestRunner};
use secrecy::SecretString;
use serde_json::{json, Value};
use uuid::Uuid;

const CASES: u32 = 128;

struct Fixture {
    tokens: Tokens,
    /// A genuine user, tenant-scoped and admin token, in that order.
    genuine: Vec<String>,
    kid: String,
    _dir: tempfile::TempDir,
}

fn fixture() -> Fixture {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = Db::new(
        &DatabaseSettings::Sqlite(dir.path().join("t.db")),
        2,
        Duration::from_secs(5),
    );
    migrations::run_pending(&db).expect("migrate");
    let key = SecretString::from("proptest-signing-key-0123456789abcdef");
    let ring = KeyRing::load(
        db,
        Some(&key),
        Duration::from_secs(3600),
        kyros::config::SigningAlg::Hs256,
        kyros::auth::kek::Sealer::from_key([5; 32]),
    )
    .expect("key ring");
    let tokens = Tokens::new(
        Arc::new(ring),
        "kyros".into(),
        Duration::from_secs(3600),
        Duration::from_secs(1800),
    );
    let user = tokens
        .issue_user(
            Uuid::new_v4(),
            "a@b.c",
            vec![Uuid::new_v4().to_string()],
            0,
            &[],
        )
        .expect("issue user");
    let claims = tokens
        .validate::<UserClaims>(&user.token)
        .expect("genuine user token");
    let tenant = tokens
        .issue_tenant(&claims, Uuid::new_v4(), Role::Viewer)
        .expect("issue tenant");
    let admin = tokens
        .issue_admin("ops-client", Duration::from_secs(600))
        .expect("issue admin");
    let kid = Tokens::kid_of(&user.token).expect("kid");
    Fixture {
        tokens,
        genuine: vec![user.token, tenant.token, admin.token],
        kid,
        _dir: dir,
    }
}

fn runner() -> TestRunner {
    TestRunner::new(Config {
        cases: CASES,
        failure_persistence: None,
        ..Config::default()
    })
}

/// Refused as every kind of token.
fn refused(tokens: &Tokens, token: &str) -> Result<(), TestCaseError> {
    let user = tokens.validate::<UserClaims>(token);
    prop_assert!(
        user.is_err(),
        "accepted as a user token: {token:?} -> {user:?}"
    );
    let tenant = tokens.validate::<TenantClaims>(token);
    prop_assert!(
        tenant.is_err(),
        "accepted as a tenant token: {token:?} -> {tenant:?}"
    );
    let admin = tokens.validate::<AdminClaims>(token);
    prop_assert!(
        admin.is_err(),
        "accepted as an admin token: {token:?} -> {admin:?}"
    );
    Ok(())
}

/// Accepted as exactly its own kind.
fn accepted_as(tokens: &Tokens, index: usize, token: &str) -> bool {
    [
        tokens.validate::<UserClaims>(token).is_ok(),
        tokens.validate::<TenantClaims>(token).is_ok(),
        tokens.validate::<AdminClaims>(token).is_ok(),
    ]
    .iter()
    .enumerate()
    .all(|(kind, ok)| *ok == (kind == index))
}

fn b64_json(value: &Value) -> String {
    B64URL.encode(value.to_string())
}

#[derive(Debug, Clone)]
enum Tamper {
    /// XOR one byte with a 7-bit mask (the token stays ASCII).
    FlipBits {
        at: Index,
        mask: u8,
    },
    ReplaceChar {
        at: Index,
        with: char,
    },
    InsertChar {
        at: Index,
        with: char,
    },
    /// Keep only a prefix.
    Truncate {
        at: Index,
    },
    Append(String),
    SwapSegments {
        a: usize,
        b: usize,
    },
    DropSegment(usize),
    DuplicateSegment(usize),
    /// A segment replaced by garbage (base64 of random bytes, random base64 text, …).
    ReplaceSegment {
        which: usize,
        with: String,
    },
    /// A segment taken from another genuine token.
    Splice {
        which: usize,
        from: usize,
    },
    /// A new header (`alg`, `kid`, `typ` games); `{kid}` stands for the real kid.
    Header(Value),
    /// The payload re-encoded with one claim set to `value` (`None` removes it).
    Claim {
        name: String,
        value: Option<Value>,
    },
    /// Signed again — same header fields, possibly other claims — with a wrong key.
    Resign {
        key: Vec<u8>,
        claim: Option<(String, Value)>,
    },
}

fn garbage_segment() -> BoxedStrategy<String> {
    prop_oneof![
        vec(any::<u8>(), 0..64).prop_map(|b| B64URL.encode(b)),
        "[A-Za-z0-9_-]{0,80}",
        "[A-Za-z0-9+/=_-]{0,80}",
        any::<String>(),
        select(vec![
            "", "=", "==", "e30", "bnVsbA", "W10", "eyJ9", "AA", "A"
        ])
        .prop_map(String::from),
        (any::<String>()).prop_map(|s| B64URL.encode(s)),
    ]
    .boxed()
}

fn claim_value() -> BoxedStrategy<Value> {
    prop_oneof![
        any::<i64>().prop_map(Value::from),
        any::<f64>().prop_map(|f| json!(f)),
        any::<String>().prop_map(Value::from),
        select(vec![
            json!(null),
            json!(true),
            json!([]),
            json!({}),
            json!("kyros:user"),
            json!("kyros:tenant"),
            json!("kyros:admin"),
            json!(["kyros:user"]),
            json!("user"),
            json!("tenant"),
            json!("admin"),
            json!("kyros"),
            json!(u64::MAX),
            json!(i64::MAX),
            json!(4102444800_i64),
            json!(0),
            json!(-1),
        ]),
    ]
    .boxed()
}

fn claim_name() -> BoxedStrategy<String> {
    prop_oneof![
        6 => select(vec![
            "sub", "email", "tenant_ids", "tenant_id", "role", "iat", "nbf", "exp", "iss",
            "aud", "jti", "token_use",
        ])
        .prop_map(String::from),
        1 => any::<String>(),
    ]
    .boxed()
}

fn header() -> BoxedStrategy<Value> {
    let alg = select(vec![
        json!("HS256"),
        json!("none"),
        json!("None"),
        json!("HS384"),
        json!("HS512"),
        json!("RS256"),
        json!("ES256"),
        json!("EdDSA"),
        json!("hs256"),
        json!("HS256 "),
        json!(""),
        json!(null),
        json!(256),
    ]);
    let kid = prop_oneof![
        4 => Just(json!("{kid}")),
        1 => any::<String>().prop_map(Value::from),
        1 => select(vec![json!(null), json!(1), json!(["{kid}"]), json!("../../etc/passwd")]),
    ];
    let extra = select(vec![
        None,
        Some(("typ", json!("JWT"))),
        Some(("typ", json!("at+jwt"))),
        Some(("jku", json!("http://127.0.0.1/keys"))),
        Some(("crit", json!(["b64"]))),
        Some(("b64", json!(false))),
    ]);
    (alg, kid, extra)
        .prop_map(|(alg, kid, extra)| {
            let mut h = json!({ "alg": alg, "kid": kid });
            if let (Some((k, v)), Some(map)) = (extra, h.as_object_mut()) {
                map.insert(k.to_string(), v);
            }
            h
        })
        .boxed()
}

fn tamper() -> BoxedStrategy<Tamper> {
    prop_oneof![
        4 => (any::<Index>(), 1u8..128).prop_map(|(at, mask)| Tamper::FlipBits { at, mask }),
        2 => (any::<Index>(), any::<char>()).prop_map(|(at, with)| Tamper::ReplaceChar { at, with }),
        2 => (any::<Index>(), prop_oneof![any::<char>(), select(vec![' ', '.', '=', '+', '/', '\0', '\n'])])
            .prop_map(|(at, with)| Tamper::InsertChar { at, with }),
        1 => any::<Index>().prop_map(|at| Tamper::Truncate { at }),
        1 => "\\PC{1,20}".prop_map(Tamper::Append),
        2 => (0usize..3, 0usize..3).prop_map(|(a, b)| Tamper::SwapSegments { a, b }),
        1 => (0usize..3).prop_map(Tamper::DropSegment),
        1 => (0usize..3).prop_map(Tamper::DuplicateSegment),
        3 => (0usize..3, garbage_segment()).prop_map(|(which, with)| Tamper::ReplaceSegment { which, with }),
        2 => (0usize..3, 0usize..3).prop_map(|(which, from)| Tamper::Splice { which, from }),
        3 => header().prop_map(Tamper::Header),
        3 => (claim_name(), proptest::option::of(claim_value()))
            .prop_map(|(name, value)| Tamper::Claim { name, value }),
        2 => (vec(any::<u8>(), 0..48), proptest::option::of((claim_name(), claim_value())))
            .prop_map(|(key, claim)| Tamper::Resign { key, claim }),
    ]
    .boxed()
}

fn segments(token: &str) -> Vec<String> {
    token.split('.').map(str::to_owned).collect()
}

fn claims_of(token: &str) -> Value {
    token
        .split('.')
        .nth(1)
        .and_then(|p| B64URL.decode(p).ok())
        .and_then(|b| serde_json::from_slice(&b).ok())
        .unwrap_or_else(|| json!({}))
}

fn apply(f: &Fixture, token: &str, tamper: &Tamper) -> String {
    let mut parts = segments(token);
    let n = parts.len();
    match tamper {
        Tamper::FlipBits { at, mask } => {
            let mut bytes = token.as_bytes().to_vec();
            if bytes.is_empty() {
                return token.to_owned();
            }
            let i = at.index(bytes.len());
            bytes[i] ^= mask;
            String::from_utf8(bytes).unwrap_or_else(|_| token.to_owned())
        }
        Tamper::ReplaceChar { at, with } => {
            let mut chars: Vec<char> = token.chars().collect();
            if chars.is_empty() {
                return with.to_string();
            }
            let i = at.index(chars.len());
            chars[i] = *with;
            chars.into_iter().collect()
        }
        Tamper::InsertChar { at, with } => {
            let mut chars: Vec<char> = token.chars().collect();
            chars.insert(at.index(chars.len() + 1), *with);
            chars.into_iter().collect()
        }
        Tamper::Truncate { at } => token
            .chars()
            .take(at.index(token.chars().count()))
            .collect(),
        Tamper::Append(s) => format!("{token}{s}"),
        Tamper::SwapSegments { a, b } => {
            parts.swap(a % n, b % n);
            parts.join(".")
        }
        Tamper::DropSegment(i) => {
            parts.remove(i % n);
            parts.join(".")
        }
        Tamper::DuplicateSegment(i) => {
            let copy = parts[i % n].clone();
            parts.insert(i % n, copy);
            parts.join(".")
        }
        Tamper::ReplaceSegment { which, with } => {
            parts[which % n] = with.clone();
            parts.join(".")
        }
        Tamper::Splice { which, from } => {
            let other = segments(&f.genuine[from % f.genuine.len()]);
            let i = which % n;
            if let Some(segment) = other.get(i) {
                parts[i] = segment.clone();
            }
            parts.join(".")
        }
        Tamper::Header(h) => {
            let text = h.to_string().replace("{kid}", &f.kid);
            parts[0] = B64URL.encode(text);
            parts.join(".")
        }
        Tamper::Claim { name, value } => {
            let mut claims = claims_of(token);
            if let Some(map) = claims.as_object_mut() {
                match value {
                    Some(v) => map.insert(name.clone(), v.clone()),
                    None => map.remove(name),
                };
            }
            if n > 1 {
                parts[1] = b64_json(&claims);
            }
            parts.join(".")
        }
        Tamper::Resign { key, claim } => {
            let mut claims = claims_of(token);
            if let (Some((name, v)), Some(map)) = (claim, claims.as_object_mut()) {
                map.insert(name.clone(), v.clone());
            }
            let header = Header {
                kid: Some(f.kid.clone()),
                ..Header::new(Algorithm::HS256)
            };
            encode(&header, &claims, &EncodingKey::from_secret(key))
                .unwrap_or_else(|_| token.to_owned())
        }
    }
}

#[test]
fn arbitrary_strings_are_refused_without_panicking() {
    let f = fixture();
    let strategy = prop_oneof![
        any::<String>(),
        "\\PC{0,300}",
        "[A-Za-z0-9_-]{0,60}\\.[A-Za-z0-9_-]{0,200}\\.[A-Za-z0-9_-]{0,60}",
        "[A-Za-z0-9_.=+/-]{0,400}",
        (vec(garbage_segment(), 0..6)).prop_map(|s| s.join(".")),
        (8150usize..8250).prop_map(|n| format!(
            "{}.{}.{}",
            "e".repeat(n / 2),
            "A".repeat(n / 2 - 10),
            "x".repeat(8)
        )),
    ];
    runner()
        .run(&strategy, |token| refused(&f.tokens, &token))
        .unwrap_or_else(|e| panic!("{e}"));
}

#[test]
fn tampered_tokens_are_never_accepted() {
    let f = fixture();
    for (kind, token) in f.genuine.iter().enumerate() {
        assert!(accepted_as(&f.tokens, kind, token), "genuine token {kind}");
    }
    let strategy = (0..f.genuine.len(), vec(tamper(), 1..4));
    runner()
        .run(&strategy, |(kind, tampers)| {
            let original = &f.genuine[kind];
            let token = tampers
                .iter()
                .fold(original.clone(), |t, tamper| apply(&f, &t, tamper));
            if f.genuine.contains(&token) {
                // Every tamper undone (a bit flipped twice, a swap with itself), or every
                // segment spliced from the same other genuine token.
                return Ok(());
            }
            refused(&f.tokens, &token)
        })
        .unwrap_or_else(|e| panic!("{e}"));
    for (kind, token) in f.genuine.iter().enumerate() {
        assert!(
            accepted_as(&f.tokens, kind, token),
            "genuine token {kind} still valid"
        );
    }
}
