//! Strict parsing of filter values: dates and plain decimals, nothing clever.

use chrono::{Datelike, NaiveDate};

const MIN_YEAR: i32 = 1900;
const MAX_YEAR: i32 = 2200;
const MAX_NUMBER_CHARS: usize = 32;

/// `YYYY-MM` (the first day of that month) or `YYYY-MM-DD` (that day).
pub fn parse_date(text: &str) -> Option<NaiveDate> {
    let bytes = text.as_bytes();
    let digits = |range: std::ops::Range<usize>| -> Option<u32> {
        let part = bytes.get(range)?;
        if part.iter().all(u8::is_ascii_digit) {
            std::str::from_utf8(part).ok()?.parse().ok()
        } else {
            None
        }
    };
    let (year, month, day) = match bytes.len() {
        7 if bytes[4] == b'-' => (digits(0..4)?, digits(5..7)?, 1),
        10 if bytes[4] == b'-' && bytes[7] == b'-' => {
            (digits(0..4)?, digits(5..7)?, digits(8..10)?)
        }
        _ => return None,
    };
    let year = i32::try_from(year).ok()?;
    if !(MIN_YEAR..=MAX_YEAR).contains(&year) {
        return None;
    }
    NaiveDate::from_ymd_opt(year, month, day)
}

/// A plain decimal: optional `-`, digits, optional `.` and digits. No exponent,
/// no `NaN`/`inf`, no `+`, no whitespace, at most 32 characters.
pub fn parse_number(text: &str) -> Option<f64> {
    if text.is_empty() || text.len() > MAX_NUMBER_CHARS {
        return None;
    }
    let unsigned = text.strip_prefix('-').unwrap_or(text);
    let (int_part, frac_part) = match unsigned.split_once('.') {
        Some((int_part, frac_part)) => (int_part, Some(frac_part)),
        None => (unsigned, None),
    };
    let all_digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if !all_digits(int_part) || frac_part.is_some_and(|f| !all_digits(f)) {
        return None;
    }
    text.parse::<f64>().ok().filter(|n| n.is_finite())
}

/// The canonical text of a date: `YYYY-MM-DD`.
pub fn format_date(date: NaiveDate) -> String {
    format!("{:04}-{:02}-{:02}", date.year(), date.month(), date.day())
}

/// The canonical text of a number: the shortest decimal that reads back exactly.
pub fn format_number(n: f64) -> String {
    if n == 0.0 {
        // Normalises -0 as well.
        "0".to_string()
    } else {
        format!("{n}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn months_parse_to_their_first_day_and_days_to_themselves() {
        assert_eq!(parse_date("2023-06"), NaiveDate::from_ymd_opt(2023, 6, 1));
        assert_eq!(
            parse_date("2023-06-15"),
            NaiveDate::from_ymd_opt(2023, 6, 15)
        );
    }

    #[test]
    fn impossible_or_oddly_written_dates_are_rejected() {
        for bad in [
            "2023-13",
            "2023-00",
            "2023-02-30",
            "23-01",
            "2023/01",
            "2023-1",
            "2023-01-1",
            " 2023-01",
            "2023-01 ",
            "+023-01",
            "1800-01",
            "9999-01",
            "２０２３-01",
            "",
            "2023-01-01T00",
        ] {
            assert_eq!(parse_date(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn plain_decimals_parse() {
        assert_eq!(parse_number("0.5"), Some(0.5));
        assert_eq!(parse_number("-12"), Some(-12.0));
        assert_eq!(parse_number("15000"), Some(15000.0));
    }

    #[test]
    fn exponents_specials_and_signs_are_not_numbers() {
        for bad in [
            "NaN",
            "nan",
            "inf",
            "-inf",
            "infinity",
            "1e308",
            "1E5",
            "+1",
            "1.",
            ".5",
            "--1",
            "0x10",
            "1_000",
            " 1",
            "1 ",
            "",
            "-",
            "1.2.3",
            &"9".repeat(33),
        ] {
            assert_eq!(parse_number(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn canonical_forms_are_stable() {
        assert_eq!(format_number(0.5), "0.5");
        assert_eq!(format_number(1.0), "1");
        assert_eq!(format_number(-0.0), "0");
        assert_eq!(
            format_date(NaiveDate::from_ymd_opt(2023, 1, 1).expect("date")),
            "2023-01-01"
        );
    }
}
