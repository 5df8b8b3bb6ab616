//! Opaque page cursors: base64url of an offset and a checksum binding it to the
//! dashboard, dataset and filters it was issued for. A tampered, truncated or
//! foreign cursor is a bad request, never a panic or a silent restart.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;

use crate::error::EngineError;

/// Offsets beyond this are never issued (and so never accepted).
const MAX_OFFSET: u64 = 1 << 40;
const MAX_CURSOR_CHARS: usize = 64;

fn checksum(offset: u64, binding: &str) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    let bytes = b"kyros-cursor-v1|"
        .iter()
        .copied()
        .chain(offset.to_le_bytes())
        .chain(binding.bytes());
    for byte in bytes {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
    }
    hash
}

pub(crate) fn encode(offset: u64, binding: &str) -> String {
    let mut bytes = [0u8; 16];
    bytes[..8].copy_from_slice(&offset.to_le_bytes());
    bytes[8..].copy_from_slice(&checksum(offset, binding).to_le_bytes());
    URL_SAFE_NO_PAD.encode(bytes)
}

pub(crate) fn decode(cursor: &str, binding: &str) -> Result<u64, EngineError> {
    let invalid =
        || EngineError::BadRequest("cursor: invalid or not issued for this query".to_string());
    if cursor.len() > MAX_CURSOR_CHARS {
        return Err(invalid());
    }
    let bytes = URL_SAFE_NO_PAD.decode(cursor).map_err(|_| invalid())?;
    let bytes: [u8; 16] = bytes.try_into().map_err(|_| invalid())?;
    let mut offset = [0u8; 8];
    let mut sum = [0u8; 8];
    offset.copy_from_slice(&bytes[..8]);
    sum.copy_from_slice(&bytes[8..]);
    let offset = u64::from_le_bytes(offset);
    if offset > MAX_OFFSET || u64::from_le_bytes(sum) != checksum(offset, binding) {
        return Err(invalid());
    }
    Ok(offset)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cursor_round_trips_for_its_own_query_only() {
        let cursor = encode(200, "risk|exposures|region=EMEA");
        assert_eq!(
            decode(&cursor, "risk|exposures|region=EMEA").expect("valid"),
            200
        );
        assert!(decode(&cursor, "risk|exposures|region=APAC").is_err());
    }

    #[test]
    fn tampered_or_garbage_cursors_are_bad_requests() {
        let cursor = encode(200, "b");
        let mut tampered: Vec<char> = cursor.chars().collect();
        tampered[0] = if tampered[0] == 'A' { 'B' } else { 'A' };
        let tampered: String = tampered.into_iter().collect();
        for bad in [
            tampered.as_str(),
            "",
            "!!!!",
            "AAAA",
            &"A".repeat(500),
            "../../etc/passwd",
        ] {
            assert!(
                matches!(decode(bad, "b"), Err(EngineError::BadRequest(_))),
                "{bad:?}"
            );
        }
    }
}
