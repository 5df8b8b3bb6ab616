//! The password policy's length rule, one rule for the shell and the server (after NIST
//! SP 800-63B: a minimum length, a generous maximum, no composition rules). The server
//! adds what the shell cannot check cheaply: that the password is not common or easily
//! guessed (a strength estimate, `backend/src/users/passwords.rs`).

use std::fmt;

/// Default minimum length, in characters (`KYROS_PASSWORD_MIN_LENGTH`).
pub const DEFAULT_MIN_CHARS: usize = 12;
/// Longest password accepted, in characters.
pub const MAX_CHARS: usize = 128;
/// The minimum length can be configured within this range.
pub const MIN_CHARS_RANGE: std::ops::RangeInclusive<usize> = 8..=64;

/// Why a password is refused by the length rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LengthProblem {
    TooShort { min: usize },
    TooLong,
    ControlCharacters,
}

impl fmt::Display for LengthProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LengthProblem::TooShort { min } => write!(f, "use at least {min} characters; a few unrelated words make a long password easy to remember"),
            LengthProblem::TooLong => write!(f, "use at most {MAX_CHARS} characters"),
            LengthProblem::ControlCharacters => f.write_str("the password contains invisible control characters"),
        }
    }
}

/// Checks the length of a password (counted in characters, spaces allowed).
pub fn check_length(password: &str, min_chars: usize) -> Result<(), LengthProblem> {
    let count = password.chars().count();
    if password.chars().any(char::is_control) {
        return Err(LengthProblem::ControlCharacters);
    }
    if count < min_chars {
        return Err(LengthProblem::TooShort { min: min_chars });
    }
    if count > MAX_CHARS {
        return Err(LengthProblem::TooLong);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn length_counts_characters_and_composition_does_not_matter() {
        assert_eq!(
            check_length("short", 12),
            Err(LengthProblem::TooShort { min: 12 })
        );
        assert!(check_length("correct horse battery", 12).is_ok());
        assert!(
            check_length("ééééééééééééé", 12).is_ok(),
            "characters, not bytes"
        );
        assert_eq!(
            check_length(&"x".repeat(129), 12),
            Err(LengthProblem::TooLong)
        );
        assert_eq!(
            check_length("twelve chars\u{0}", 12),
            Err(LengthProblem::ControlCharacters)
        );
        assert!(
            check_length("alllowercaseletters", 12).is_ok(),
            "no composition rules"
        );
    }
}
