//! Account forms and sessions, pure: the link token in a URL fragment, the new-password
//! and email checks, where a refusal is shown, and how a session reads.

use std::fmt::Display;

use kyros_common::email::normalise_email;
use kyros_common::error::ErrorCode;
use kyros_common::password::{check_length, DEFAULT_MIN_CHARS};

use crate::api::ApiError;

pub const INVALID_INVITATION: &str =
    "This invitation link is invalid, used or expired \u{2014} ask your administrator for a new one.";
pub const INVALID_RESET_LINK: &str =
    "This password reset link is invalid, used or expired \u{2014} ask for a new one below.";
pub const FORGOT_ACKNOWLEDGEMENT: &str =
    "If an account exists for that address, we sent a link to choose a new password.";
pub const PASSWORD_CHANGED: &str = "Password changed; your other sessions were signed out";
pub const WRONG_CURRENT_PASSWORD: &str = "The current password is incorrect.";
pub const ENTER_CURRENT_PASSWORD: &str = "Enter your current password.";
pub const REPEAT_PASSWORD: &str = "Repeat the new password.";
pub const PASSWORDS_DIFFER: &str = "The two passwords do not match.";

/// Longest link token accepted (the server's are 43 characters).
const MAX_TOKEN_CHARS: usize = 128;
/// Longest user-agent description shown.
const MAX_AGENT_CHARS: usize = 40;

/// The hint under a new-password field.
pub fn password_hint() -> String {
    format!("At least {DEFAULT_MIN_CHARS} characters; spaces are allowed.")
}

/// The token of an invitation or reset link, from `location.hash` (`#token=…`).
///
/// Only the characters the server's tokens use (URL-safe base64) are accepted; anything
/// else cannot be a valid link, so it is treated like a missing token.
pub fn token_from_fragment(hash: &str) -> Option<String> {
    let fragment = hash.strip_prefix('#').unwrap_or(hash);
    let value = fragment
        .split('&')
        .find_map(|pair| pair.strip_prefix("token="))?;
    let token = percent_decode(value)?;
    let plausible = !token.is_empty()
        && token.len() <= MAX_TOKEN_CHARS
        && token
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    plausible.then_some(token)
}

fn percent_decode(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut index = 0;
    while let Some(&byte) = bytes.get(index) {
        if byte == b'%' {
            let hex = text.get(index + 1..index + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            index += 3;
        } else {
            out.push(byte);
            index += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// A message from a lower-case fragment ("use at least 12 characters"): capitalised, with
/// a full stop.
pub fn sentence(fragment: impl Display) -> String {
    let text = fragment.to_string();
    let mut chars = text.chars();
    let mut out: String = match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => return text,
    };
    if !out.ends_with(['.', '!', '?']) {
        out.push('.');
    }
    out
}

/// What is wrong with a new password and its repetition, for the message next to each.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct PasswordProblems {
    pub password: Option<String>,
    pub repeat: Option<String>,
}

impl PasswordProblems {
    pub fn is_empty(&self) -> bool {
        self.password.is_none() && self.repeat.is_none()
    }
}

/// Checks a new password and its repetition as the user types.
///
/// Before the first submit an empty field is not a problem yet, and a repetition that is
/// still a beginning of the password is taken as unfinished; after it, everything counts.
pub fn check_new_password(password: &str, repeat: &str, submitted: bool) -> PasswordProblems {
    let password_problem = (submitted || !password.is_empty())
        .then(|| check_length(password, DEFAULT_MIN_CHARS).err())
        .flatten()
        .map(sentence);
    let repeat_problem = if repeat.is_empty() {
        submitted.then(|| REPEAT_PASSWORD.to_owned())
    } else if repeat != password && (submitted || !password.starts_with(repeat)) {
        Some(PASSWORDS_DIFFER.to_owned())
    } else {
        None
    };
    PasswordProblems {
        password: password_problem,
        repeat: repeat_problem,
    }
}

/// The address to send, or the sentence saying why it is not one.
pub fn check_email(text: &str) -> Result<String, String> {
    normalise_email(text).map_err(sentence)
}

/// The optional display name of an invitation: trimmed, `None` when left empty.
pub fn optional_name(text: &str) -> Option<String> {
    let name = text.trim();
    (!name.is_empty()).then(|| name.to_owned())
}

/// Where an account form shows a refusal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// Next to the new password (the server's strength check), its sentence as is.
    NewPassword(String),
    /// Next to the current password.
    CurrentPassword,
    /// Next to the email address.
    Email(String),
    /// The invitation or reset link is unknown, used or expired.
    InvalidLink,
    /// The session is gone; the shell is already on its way to the login page.
    SessionLost,
    /// Above the form (rate limit, network, server).
    Form(String),
}

pub fn refusal(error: &ApiError) -> Refusal {
    match error {
        ApiError::BadRequest {
            code: ErrorCode::WeakPassword,
            detail,
        } => Refusal::NewPassword(detail.clone()),
        ApiError::BadRequest {
            code: ErrorCode::InvalidEmail,
            detail,
        } => Refusal::Email(detail.clone()),
        ApiError::BadRequest {
            code: ErrorCode::InvalidLink,
            ..
        } => Refusal::InvalidLink,
        ApiError::InvalidCredentials => Refusal::CurrentPassword,
        error if error.is_auth_lost() => Refusal::SessionLost,
        error => Refusal::Form(error.message()),
    }
}

/// A readable name for a session's browser: "Firefox on Linux", "Safari on iOS", the
/// program name for non-browsers ("curl"), at most 40 characters.
pub fn describe_user_agent(user_agent: &str) -> String {
    let ua = user_agent.trim();
    let has = |needle: &str| ua.contains(needle);
    let browser = if has("Edg/") || has("EdgA/") || has("EdgiOS/") || has("Edge/") {
        Some("Edge")
    } else if has("OPR/") || has("Opera") {
        Some("Opera")
    } else if has("SamsungBrowser/") {
        Some("Samsung Internet")
    } else if has("HeadlessChrome/") {
        Some("Headless Chrome")
    } else if has("Chromium/") {
        Some("Chromium")
    } else if has("CriOS/") || has("Chrome/") {
        Some("Chrome")
    } else if has("FxiOS/") || has("Firefox/") {
        Some("Firefox")
    } else if has("Safari/") && has("Version/") {
        Some("Safari")
    } else {
        None
    };
    let system = if has("iPhone") || has("iPad") || has("iPod") {
        Some("iOS")
    } else if has("Android") {
        Some("Android")
    } else if has("Windows") {
        Some("Windows")
    } else if has("CrOS") {
        Some("ChromeOS")
    } else if has("Macintosh") || has("Mac OS X") {
        Some("macOS")
    } else if has("Linux") || has("X11") {
        Some("Linux")
    } else {
        None
    };
    match (browser, system) {
        (Some(browser), Some(system)) => format!("{browser} on {system}"),
        (Some(browser), None) => browser.to_owned(),
        (None, Some(system)) => format!("A browser on {system}"),
        (None, None) => program_name(ua),
    }
}

/// The first product of a user agent ("curl/8.5.0" → "curl"), shortened.
fn program_name(ua: &str) -> String {
    let product = ua
        .split_whitespace()
        .next()
        .map(|token| token.split('/').next().unwrap_or(token))
        .unwrap_or_default();
    let printable: String = product.chars().filter(|c| !c.is_control()).collect();
    if printable.is_empty() || printable == "Mozilla" {
        return "Unknown browser".to_owned();
    }
    if printable.chars().count() > MAX_AGENT_CHARS {
        let short: String = printable.chars().take(MAX_AGENT_CHARS - 1).collect();
        format!("{short}\u{2026}")
    } else {
        printable
    }
}

/// A moment in a calendar, as shown to the user.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Moment {
    pub year: i32,
    /// 1–12.
    pub month: u32,
    pub day: u32,
    pub hour: u32,
    pub minute: u32,
}

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// "1 May 2024, 09:05".
pub fn format_moment(moment: Moment) -> String {
    let month = moment
        .month
        .checked_sub(1)
        .and_then(|index| MONTHS.get(index as usize))
        .copied()
        .unwrap_or("?");
    format!(
        "{} {month} {}, {:02}:{:02}",
        moment.day, moment.year, moment.hour, moment.minute
    )
}

/// Milliseconds since the Unix epoch of an RFC 3339 timestamp
/// (`2024-05-01T12:34:56.123456+00:00`), so the browser can show it in local time
/// without parsing date strings itself. `None` when it is not one.
pub fn epoch_millis(timestamp: &str) -> Option<f64> {
    let (date, rest) = timestamp.trim().split_once(['T', 't', ' '])?;
    let mut date_parts = date.split('-');
    let year: i64 = date_parts.next()?.parse().ok()?;
    let month: i64 = date_parts.next()?.parse().ok()?;
    let day: i64 = date_parts.next()?.parse().ok()?;
    if date_parts.next().is_some() || !(1..=12).contains(&month) || !(1..=31).contains(&day) {
        return None;
    }
    let (time, offset_minutes) = split_offset(rest)?;
    let mut time_parts = time.split(':');
    let hour: i64 = time_parts.next()?.parse().ok()?;
    let minute: i64 = time_parts.next()?.parse().ok()?;
    let seconds: f64 = time_parts.next().unwrap_or("0").parse().ok()?;
    if time_parts.next().is_some()
        || !(0..24).contains(&hour)
        || !(0..60).contains(&minute)
        || !(0.0..61.0).contains(&seconds)
    {
        return None;
    }
    let days = days_from_civil(year, month, day);
    let minutes = days * 24 * 60 + hour * 60 + minute - offset_minutes;
    Some(minutes as f64 * 60_000.0 + seconds * 1_000.0)
}

/// The time of day and the UTC offset in minutes (`Z`, `+02:00`, `-0530`).
fn split_offset(rest: &str) -> Option<(&str, i64)> {
    if let Some(time) = rest.strip_suffix(['Z', 'z']) {
        return Some((time, 0));
    }
    let at = rest.rfind(['+', '-'])?;
    let (time, offset) = rest.split_at(at);
    let sign = if offset.starts_with('-') { -1 } else { 1 };
    let digits: String = offset.chars().skip(1).filter(|c| *c != ':').collect();
    if digits.len() != 4 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let hours: i64 = digits.get(..2)?.parse().ok()?;
    let minutes: i64 = digits.get(2..)?.parse().ok()?;
    Some((time, sign * (hours * 60 + minutes)))
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let year_of_era = year - era * 400;
    let month_from_march = (month + 9) % 12;
    let day_of_year = (153 * month_from_march + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_token_is_read_from_the_fragment() {
        let token = "abcDEF012-_xyz";
        assert_eq!(
            token_from_fragment(&format!("#token={token}")),
            Some(token.to_owned())
        );
        assert_eq!(
            token_from_fragment(&format!("#from=mail&token={token}")),
            Some(token.to_owned())
        );
        assert_eq!(token_from_fragment("token=abc"), Some("abc".to_owned()));
    }

    #[test]
    fn a_percent_encoded_token_is_decoded() {
        assert_eq!(
            token_from_fragment("#token=ab%2Dcd"),
            Some("ab-cd".to_owned())
        );
    }

    #[test]
    fn a_missing_empty_or_implausible_token_counts_as_no_token() {
        for hash in [
            "",
            "#",
            "#token=",
            "#tokens=abc",
            "#xtoken=abc",
            "#token=a%2",
            "#token=a%zz",
            "#token=a+b",
            "#token=a%20b",
            "#token=%C3%A9",
            "#token=<script>",
        ] {
            assert_eq!(token_from_fragment(hash), None, "{hash:?}");
        }
        assert_eq!(
            token_from_fragment(&format!("#token={}", "a".repeat(129))),
            None
        );
    }

    #[test]
    fn fragments_become_sentences() {
        assert_eq!(
            sentence("enter an email address"),
            "Enter an email address."
        );
        assert_eq!(sentence("Already one."), "Already one.");
        assert_eq!(sentence(""), "");
    }

    #[test]
    fn a_short_password_is_reported_while_typing_with_the_shared_rule() {
        let problems = check_new_password("short", "", false);
        let expected = check_length("short", DEFAULT_MIN_CHARS).err().map(sentence);
        assert_eq!(problems.password, expected);
        assert!(problems
            .password
            .as_deref()
            .is_some_and(|p| p.starts_with("Use at least 12 characters")));
        assert_eq!(problems.repeat, None);
    }

    #[test]
    fn empty_fields_are_only_reported_after_a_submit() {
        assert!(check_new_password("", "", false).is_empty());
        let problems = check_new_password("", "", true);
        assert!(problems.password.is_some());
        assert_eq!(problems.repeat.as_deref(), Some(REPEAT_PASSWORD));
    }

    #[test]
    fn an_unfinished_repetition_is_not_a_mismatch_until_submit() {
        let password = "correct horse battery";
        assert!(check_new_password(password, "correct ho", false).is_empty());
        assert_eq!(
            check_new_password(password, "correct ho", true)
                .repeat
                .as_deref(),
            Some(PASSWORDS_DIFFER)
        );
        assert_eq!(
            check_new_password(password, "correct hx", false)
                .repeat
                .as_deref(),
            Some(PASSWORDS_DIFFER)
        );
    }

    #[test]
    fn a_long_enough_password_repeated_exactly_passes() {
        assert!(
            check_new_password("correct horse battery", "correct horse battery", true).is_empty()
        );
        assert!(check_new_password("ééééééééééééé", "ééééééééééééé", true).is_empty());
    }

    #[test]
    fn too_long_and_control_characters_are_refused() {
        let long = "x".repeat(129);
        assert!(check_new_password(&long, &long, true).password.is_some());
        let control = "twelve chars\u{7}";
        assert!(check_new_password(control, control, true)
            .password
            .is_some());
    }

    #[test]
    fn an_email_is_normalised_or_explained() {
        assert_eq!(check_email(" Ada@Acme.COM "), Ok("ada@acme.com".to_owned()));
        assert_eq!(check_email(""), Err("Enter an email address.".to_owned()));
        assert_eq!(
            check_email("ada"),
            Err("This is not an email address (name@company.com).".to_owned())
        );
    }

    #[test]
    fn an_empty_name_is_left_out() {
        assert_eq!(optional_name("  "), None);
        assert_eq!(
            optional_name(" Ada Lovelace "),
            Some("Ada Lovelace".to_owned())
        );
    }

    fn bad_request(code: ErrorCode) -> ApiError {
        ApiError::BadRequest {
            code,
            detail: "the server's sentence".into(),
        }
    }

    #[test]
    fn each_refusal_is_shown_where_it_belongs() {
        assert_eq!(
            refusal(&bad_request(ErrorCode::WeakPassword)),
            Refusal::NewPassword("the server's sentence".into())
        );
        assert_eq!(
            refusal(&bad_request(ErrorCode::InvalidEmail)),
            Refusal::Email("the server's sentence".into())
        );
        assert_eq!(
            refusal(&bad_request(ErrorCode::InvalidLink)),
            Refusal::InvalidLink
        );
        assert_eq!(
            refusal(&ApiError::InvalidCredentials),
            Refusal::CurrentPassword
        );
        assert_eq!(refusal(&ApiError::SessionExpired), Refusal::SessionLost);
        assert_eq!(
            refusal(&ApiError::RateLimited {
                retry_after_secs: Some(5)
            }),
            Refusal::Form("Too many attempts; try again in 5 seconds.".into())
        );
        assert_eq!(
            refusal(&bad_request(ErrorCode::InvalidJson)),
            Refusal::Form("the server's sentence".into())
        );
    }

    #[test]
    fn common_browsers_are_named_with_their_system() {
        for (ua, expected) in [
            ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36", "Chrome on Windows"),
            ("Mozilla/5.0 (X11; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0", "Firefox on Linux"),
            ("Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1", "Safari on iOS"),
            ("Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Safari/605.1.15", "Safari on macOS"),
            ("Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36 Edg/124.0.2478.51", "Edge on macOS"),
            ("Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Mobile Safari/537.36", "Chrome on Android"),
            ("Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) CriOS/124.0.6367.88 Mobile/15E148 Safari/604.1", "Chrome on iOS"),
            ("Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/124.0.0.0 Safari/537.36", "Headless Chrome on Linux"),
            ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36 OPR/109.0.0.0", "Opera on Windows"),
        ] {
            assert_eq!(describe_user_agent(ua), expected, "{ua}");
        }
    }

    #[test]
    fn other_clients_are_named_by_their_program_and_stay_short() {
        assert_eq!(describe_user_agent("curl/8.5.0"), "curl");
        assert_eq!(describe_user_agent(""), "Unknown browser");
        assert_eq!(describe_user_agent("Mozilla/5.0"), "Unknown browser");
        assert_eq!(
            describe_user_agent("Mozilla/5.0 (X11; Linux x86_64)"),
            "A browser on Linux"
        );
        let long = describe_user_agent(&"x".repeat(500));
        assert_eq!(long.chars().count(), 40);
        assert!(long.ends_with('\u{2026}'));
        assert_eq!(describe_user_agent("bot\u{0}\u{1b}[31m/1"), "bot[31m");
    }

    #[test]
    fn moments_read_as_day_month_year_and_time() {
        let moment = Moment {
            year: 2024,
            month: 5,
            day: 1,
            hour: 9,
            minute: 5,
        };
        assert_eq!(format_moment(moment), "1 May 2024, 09:05");
        assert_eq!(
            format_moment(Moment {
                month: 13,
                ..moment
            }),
            "1 ? 2024, 09:05"
        );
    }

    #[test]
    fn server_timestamps_become_epoch_milliseconds() {
        assert_eq!(epoch_millis("1970-01-01T00:00:00Z"), Some(0.0));
        assert_eq!(epoch_millis("1970-01-01T00:00:00+00:00"), Some(0.0));
        // 2024-05-01T12:34:56Z is 1714566896 s after the epoch.
        assert_eq!(
            epoch_millis("2024-05-01T12:34:56.250+00:00"),
            Some(1_714_566_896_250.0)
        );
        assert_eq!(
            epoch_millis("2024-05-01T14:34:56.250+02:00"),
            Some(1_714_566_896_250.0)
        );
        assert_eq!(
            epoch_millis("2024-05-01T07:04:56.250-05:30"),
            Some(1_714_566_896_250.0)
        );
        assert_eq!(
            epoch_millis("2024-02-29T00:00:00.125000+00:00"),
            Some(1_709_164_800_125.0)
        );
    }

    #[test]
    fn text_that_is_not_a_timestamp_has_no_epoch() {
        for text in [
            "",
            "yesterday",
            "2024-05-01",
            "2024-13-01T00:00:00Z",
            "2024-05-01T25:00:00Z",
            "2024-05-01T12:00:00",
            "2024-05-01T12:00:00+2",
        ] {
            assert_eq!(epoch_millis(text), None, "{text:?}");
        }
    }
}
