//! The id of the request being served: taken from a sane incoming `X-Request-Id`, else
//! generated, and kept in a task-local so every log line and problem body can name it.
//! A leaf: imports nothing else of the crate.

use std::future::Future;

use uuid::Uuid;

/// The response (and request) header carrying the id.
pub const HEADER: &str = "x-request-id";
/// The longest incoming id that is honoured.
pub const MAX_LEN: usize = 64;

tokio::task_local! {
    static REQUEST_ID: String;
}

/// The id of the request being served, when called inside one.
pub fn current() -> Option<String> {
    REQUEST_ID.try_with(|id| id.clone()).ok()
}

/// Runs `fut` with `id` as the current request id.
pub async fn scope<F: Future>(id: String, fut: F) -> F::Output {
    REQUEST_ID.scope(id, fut).await
}

/// Runs `f` synchronously with `id` as the current request id.
pub fn sync_scope<R>(id: String, f: impl FnOnce() -> R) -> R {
    REQUEST_ID.sync_scope(id, f)
}

/// The id to use for a request: the caller's when it is 1 to [`MAX_LEN`] visible ASCII
/// characters (so it can be logged and echoed without escaping), else a new UUID.
pub fn choose(incoming: Option<&[u8]>) -> String {
    match incoming {
        Some(bytes) if is_sane(bytes) => String::from_utf8_lossy(bytes).into_owned(),
        _ => Uuid::new_v4().to_string(),
    }
}

fn is_sane(bytes: &[u8]) -> bool {
    (1..=MAX_LEN).contains(&bytes.len()) && bytes.iter().all(|b| b.is_ascii_graphic())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sane_incoming_id_is_kept() {
        assert_eq!(choose(Some(b"req-42")), "req-42");
        let longest = "a".repeat(MAX_LEN);
        assert_eq!(choose(Some(longest.as_bytes())), longest);
    }

    #[test]
    fn missing_long_or_unprintable_ids_are_replaced() {
        let too_long = "a".repeat(MAX_LEN + 1);
        for bad in [
            &b""[..],
            b"has space",
            b"tab\there",
            b"new\nline",
            "é".as_bytes(),
            too_long.as_bytes(),
            b"\x00",
        ] {
            let chosen = choose(Some(bad));
            assert!(Uuid::parse_str(&chosen).is_ok(), "{bad:?} → {chosen}");
        }
        assert!(Uuid::parse_str(&choose(None)).is_ok());
    }

    #[actix_web::test]
    async fn the_id_is_visible_inside_its_scope_only() {
        assert_eq!(current(), None);
        let seen = scope("abc".into(), async { current() }).await;
        assert_eq!(seen.as_deref(), Some("abc"));
        assert_eq!(sync_scope("x".into(), current).as_deref(), Some("x"));
    }
}
