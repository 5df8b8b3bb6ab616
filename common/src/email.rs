//! Email addresses, one rule for the shell and the server.
//!
//! Kyros accepts ASCII addresses only: `local@domain`, the local part of letters, digits
//! and `. _ % + -`, the domain of dot-separated labels of letters, digits and `-` with a
//! letter top-level label, at most 254 characters, stored in lower case. Internationalised
//! addresses are refused on purpose: look-alike characters (a Cyrillic `а` in
//! `аdmin@acme.com`) could otherwise impersonate a colleague in invitations and audit
//! trails.

use std::fmt;

/// Longest address accepted (RFC 5321's path limit minus the brackets).
pub const MAX_EMAIL_CHARS: usize = 254;

/// Why an address is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EmailProblem {
    Empty,
    TooLong,
    NotAscii,
    Malformed,
}

impl fmt::Display for EmailProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            EmailProblem::Empty => "enter an email address",
            EmailProblem::TooLong => "the email address is longer than 254 characters",
            EmailProblem::NotAscii => {
                "email addresses may only use unaccented Latin letters, digits and . _ % + -"
            }
            EmailProblem::Malformed => "this is not an email address (name@company.com)",
        })
    }
}

/// The canonical (trimmed, lower-case) form of a valid address.
pub fn normalise_email(text: &str) -> Result<String, EmailProblem> {
    let text = text.trim();
    if text.is_empty() {
        return Err(EmailProblem::Empty);
    }
    if text.chars().count() > MAX_EMAIL_CHARS {
        return Err(EmailProblem::TooLong);
    }
    if !text.is_ascii() {
        return Err(EmailProblem::NotAscii);
    }
    let lower = text.to_ascii_lowercase();
    let (local, domain) = lower.split_once('@').ok_or(EmailProblem::Malformed)?;
    let local_ok = !local.is_empty()
        && local.len() <= 64
        && !local.starts_with('.')
        && !local.ends_with('.')
        && !local.contains("..")
        && local
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"._%+-".contains(&b));
    let labels: Vec<&str> = domain.split('.').collect();
    let domain_ok = labels.len() >= 2
        && labels.iter().all(|l| {
            !l.is_empty()
                && l.len() <= 63
                && !l.starts_with('-')
                && !l.ends_with('-')
                && l.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
        })
        && labels
            .last()
            .is_some_and(|tld| tld.len() >= 2 && tld.bytes().all(|b| b.is_ascii_alphabetic()));
    if local_ok && domain_ok {
        Ok(lower)
    } else {
        Err(EmailProblem::Malformed)
    }
}

/// The domain of a valid, normalised address.
pub fn domain_of(email: &str) -> Option<&str> {
    email.rsplit_once('@').map(|(_, d)| d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_are_trimmed_and_lower_cased() {
        assert_eq!(
            normalise_email("  Ada.Lovelace+kyros@Acme.COM "),
            Ok("ada.lovelace+kyros@acme.com".into())
        );
        assert_eq!(domain_of("a@acme.com"), Some("acme.com"));
    }

    #[test]
    fn look_alikes_control_characters_and_junk_are_refused() {
        assert_eq!(
            normalise_email("\u{0430}dmin@acme.com"),
            Err(EmailProblem::NotAscii)
        );
        assert_eq!(
            normalise_email("admin@acme.com\u{0}"),
            Err(EmailProblem::Malformed)
        );
        assert_eq!(normalise_email(""), Err(EmailProblem::Empty));
        assert_eq!(
            normalise_email(&format!("{}@a.io", "a".repeat(300))),
            Err(EmailProblem::TooLong)
        );
        for bad in [
            "admin",
            "@acme.com",
            "admin@",
            "admin@acme",
            "a b@acme.com",
            "a@@acme.com",
            "a@acme..com",
            ".a@acme.com",
            "a.@acme.com",
            "a@-acme.com",
            "a@acme.c0m",
            "<a@acme.com>",
            "a@acme.com;drop",
            "a\"b@acme.com",
        ] {
            assert_eq!(
                normalise_email(bad),
                Err(EmailProblem::Malformed),
                "{bad:?}"
            );
        }
    }
}
