//! The password policy (after NIST SP 800-63B): the shared length rule
//! (`kyros_common::password`) and a strength estimate — a password that is common or
//! easily guessed is refused, with the estimator's reason in words.

use zxcvbn::Score;

#[derive(Debug, Clone)]
pub struct PasswordPolicy {
    min_chars: usize,
}

impl PasswordPolicy {
    pub fn new(min_chars: usize) -> Self {
        PasswordPolicy { min_chars }
    }

    /// `Ok` when the password may be used; else a sentence saying why. `context` are
    /// words the password must not lean on (the email, the name, "kyros").
    pub fn check(&self, password: &str, context: &[&str]) -> Result<(), String> {
        kyros_common::password::check_length(password, self.min_chars).map_err(|p| {
            let mut s = p.to_string();
            s[..1].make_ascii_uppercase();
            format!("{s}.")
        })?;
        let mut inputs: Vec<&str> = vec!["kyros", "analytics"];
        inputs.extend(context.iter().copied().filter(|c| !c.is_empty()));
        let estimate = zxcvbn::zxcvbn(password, &inputs);
        if estimate.score() >= Score::Three {
            return Ok(());
        }
        let reason = estimate
            .feedback()
            .and_then(|f| f.warning())
            .map(|w| format!(" {w}"))
            .unwrap_or_default();
        let hint = estimate
            .feedback()
            .and_then(|f| f.suggestions().first())
            .map(|s| format!(" {s}"))
            .unwrap_or_else(|| " Add another word or two; uncommon words are better.".into());
        Err(format!("This password is too easy to guess.{reason}{hint}"))
    }

    /// [`PasswordPolicy::check`] off the async workers (the estimate is CPU work).
    pub async fn check_async(&self, password: &str, context: &[&str]) -> Result<(), String> {
        let policy = self.clone();
        let password = password.to_owned();
        let context: Vec<String> = context.iter().map(|c| (*c).to_owned()).collect();
        actix_web::web::block(move || {
            let refs: Vec<&str> = context.iter().map(String::as_str).collect();
            policy.check(&password, &refs)
        })
        .await
        .map_err(|e| format!("the password could not be checked: {e}"))?
    }
}

/// Words of an email that a password should not be built on.
pub(super) fn email_words(email: &str) -> Vec<String> {
    email
        .split(['@', '.', '+', '-', '_'])
        .filter(|w| w.len() >= 3)
        .map(str::to_owned)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_uncommon_passphrases_pass_and_common_or_short_ones_say_why() {
        let policy = PasswordPolicy::new(12);
        assert!(policy.check("orbit lantern cactus violin", &[]).is_ok());
        let short = policy.check("Tr0ub4dor&3", &[]).expect_err("short");
        assert!(short.contains("at least 12 characters"), "{short}");
        let common = policy.check("password1234", &[]).expect_err("common");
        assert!(
            common.starts_with("This password is too easy to guess."),
            "{common}"
        );
        let repeated = policy.check("aaaaaaaaaaaaaaaa", &[]).expect_err("repeats");
        assert!(repeated.contains("easy to guess"), "{repeated}");
        let long = policy.check(&"x".repeat(129), &[]).expect_err("long");
        assert!(long.contains("at most 128"), "{long}");
    }

    #[test]
    fn a_password_built_on_the_email_is_refused() {
        let policy = PasswordPolicy::new(12);
        let words = email_words("margaret.hamilton@acme.com");
        let context: Vec<&str> = words.iter().map(String::as_str).collect();
        assert!(policy.check("margarethamilton", &context).is_err());
    }
}
