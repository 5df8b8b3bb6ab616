//! Two-step verification on the account page, pure: the QR code as an image source, the
//! secret in readable groups, recovery codes left, and why the user was sent there.

use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine as _;

use crate::api::ApiError;

pub const WRONG_CONFIRM_CODE: &str =
    "That code is not right. Enter the code your app shows now (and check that your device's clock is set automatically).";
pub const WRONG_DISABLE_CREDENTIALS: &str = "The password or the code is not right.";
pub const ENTER_PASSWORD_AND_CODE: &str = "Enter your password and a code from your app.";

/// Why the account page was opened: a tenant that requires two-step verification refused
/// this sign-in. Travels as history state (never in the URL: no route names a tenant).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MfaPrompt {
    pub tenant_name: String,
}

impl MfaPrompt {
    /// The explanation above the two-step verification section, for a session where MFA
    /// is (`mfa_enabled`) or is not on, and whose sign-in did (`second_factor`) or did
    /// not use it.
    pub fn message(&self, mfa_enabled: bool, second_factor: bool) -> String {
        let tenant = &self.tenant_name;
        match (mfa_enabled, second_factor) {
            (_, true) => format!("Two-step verification is on: {tenant} opens now."),
            // On since this session started (elsewhere): the sign-in itself lacks it.
            (true, false) => format!(
                "{tenant} requires two-step verification, and this sign-in did not use it. \
                 Sign out, then sign in again with a code from your authenticator app."
            ),
            (false, false) => format!(
                "{tenant} requires two-step verification. Set it up below, then open {tenant}."
            ),
        }
    }
}

/// The server's SVG QR code as an `<img>` source: an image cannot run script, unlike SVG
/// markup placed in the page.
pub fn qr_image_src(svg: &str) -> String {
    format!("data:image/svg+xml;base64,{}", BASE64.encode(svg))
}

/// A base32 secret in groups of four ("ABCD EFGH …") for typing into an app by hand;
/// apps ignore the spaces.
pub fn grouped_secret(secret: &str) -> String {
    secret
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect::<Vec<char>>()
        .chunks(4)
        .map(|group| group.iter().collect::<String>())
        .collect::<Vec<String>>()
        .join(" ")
}

/// The `otpauth://` link, only when it is one (it opens an authenticator app on this device).
pub fn authenticator_link(otpauth_url: &str) -> Option<&str> {
    otpauth_url
        .starts_with("otpauth://totp/")
        .then_some(otpauth_url)
}

/// "9 recovery codes left", with advice when none are.
pub fn recovery_codes_left(left: i64) -> String {
    match left {
        i64::MIN..=0 => "No recovery codes left. Turn two-step verification off and set it up again to get new ones.".to_owned(),
        1 => "1 recovery code left.".to_owned(),
        n => format!("{n} recovery codes left."),
    }
}

/// The sentence for a refused confirmation or turning off: a wrong code (or password) is
/// the form's own message; the rest say what they are.
pub fn refusal_message(error: &ApiError, wrong: &str) -> String {
    match error {
        ApiError::InvalidCredentials => wrong.to_owned(),
        other => other.message(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_qr_code_is_an_image_not_markup() {
        let src = qr_image_src("<svg xmlns=\"http://www.w3.org/2000/svg\"/>");
        assert_eq!(
            src,
            "data:image/svg+xml;base64,PHN2ZyB4bWxucz0iaHR0cDovL3d3dy53My5vcmcvMjAwMC9zdmciLz4="
        );
        assert!(!qr_image_src("<svg onload=\"x\">\"'").contains(['<', '"', '\'']));
    }

    #[test]
    fn the_secret_reads_in_groups_of_four() {
        assert_eq!(
            grouped_secret("JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"),
            "JBSW Y3DP EHPK 3PXP JBSW Y3DP EHPK 3PXP"
        );
        assert_eq!(grouped_secret("ABCDEF"), "ABCD EF");
        assert_eq!(grouped_secret(""), "");
    }

    #[test]
    fn only_otpauth_links_are_offered() {
        let url = "otpauth://totp/Kyros:ada%40acme.com?secret=ABCD&issuer=Kyros";
        assert_eq!(authenticator_link(url), Some(url));
        assert_eq!(authenticator_link("javascript:alert(1)"), None);
        assert_eq!(authenticator_link("https://evil.example"), None);
    }

    #[test]
    fn recovery_codes_left_are_counted_and_none_left_says_what_to_do() {
        assert_eq!(recovery_codes_left(10), "10 recovery codes left.");
        assert_eq!(recovery_codes_left(1), "1 recovery code left.");
        assert!(recovery_codes_left(0).contains("set it up again"));
    }

    #[test]
    fn a_tenant_prompt_says_what_to_do_next() {
        let prompt = MfaPrompt {
            tenant_name: "Acme Corp".into(),
        };
        assert_eq!(
            prompt.message(false, false),
            "Acme Corp requires two-step verification. Set it up below, then open Acme Corp."
        );
        assert!(prompt.message(true, false).contains("sign in again"));
        assert_eq!(
            prompt.message(true, true),
            "Two-step verification is on: Acme Corp opens now."
        );
    }

    #[test]
    fn a_wrong_code_gets_the_forms_sentence_and_other_failures_their_own() {
        assert_eq!(
            refusal_message(&ApiError::InvalidCredentials, WRONG_CONFIRM_CODE),
            WRONG_CONFIRM_CODE
        );
        assert_eq!(
            refusal_message(&ApiError::Network, WRONG_CONFIRM_CODE),
            ApiError::Network.message()
        );
    }
}
