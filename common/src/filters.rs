//! The filter value grammar, one rule for the shell and the engine: dates, numbers,
//! size caps and range checks. Pure (builds for wasm32); the shell turns a refusal into
//! a sentence next to the control, the engine into a 400 naming the parameter — and
//! both refuse exactly the same inputs.
//!
//! - A date is `YYYY-MM` (the first day of that month) or `YYYY-MM-DD`, a real calendar
//!   day between 1900 and 2200. Nothing else (no `2024-02-30`, no time, no spaces).
//! - A number is a plain decimal: optional `-`, digits, optional `.` and digits, at most
//!   32 characters. No exponent (`1e5`), no leading dot (`.5`), no `+`, no `NaN`/`inf`.
//! - A range's bounds are inclusive; an inverted range (`from` after `to`) is refused.
//!   A range wider than the filter's declared bounds is **clamped** to them (saved links
//!   and clients asking for "everything since 2020" keep working and share a cache
//!   entry with "everything"); a range that lies wholly beyond the bounds is kept as it
//!   is (it selects nothing).

use std::cmp::Ordering;
use std::fmt;

/// Longest accepted value (and parameter name), in bytes.
pub const MAX_VALUE_BYTES: usize = 100;
/// Most values accepted for one multi-select field.
pub const MAX_VALUES_PER_FIELD: usize = 50;
/// Most query pairs accepted in one request.
pub const MAX_PAIRS: usize = 200;
/// Longest plain decimal, in characters.
pub const MAX_NUMBER_CHARS: usize = 32;
/// Years a date may name.
pub const MIN_YEAR: i32 = 1900;
pub const MAX_YEAR: i32 = 2200;

/// A calendar day (a month is its first day). Ordered chronologically.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct CalendarDate {
    pub year: i32,
    pub month: u32,
    pub day: u32,
}

impl CalendarDate {
    /// `YYYY-MM-DD`, the canonical form.
    pub fn iso(&self) -> String {
        format!("{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }

    /// `YYYY-MM`.
    pub fn month_text(&self) -> String {
        format!("{:04}-{:02}", self.year, self.month)
    }
}

fn is_leap(year: i32) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

fn days_in_month(year: i32, month: u32) -> u32 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap(year) => 29,
        2 => 28,
        _ => 0,
    }
}

/// `YYYY-MM` (the first day of that month) or `YYYY-MM-DD` (that day).
pub fn parse_date(text: &str) -> Option<CalendarDate> {
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
    if !(MIN_YEAR..=MAX_YEAR).contains(&year) || !(1..=12).contains(&month) {
        return None;
    }
    (day >= 1 && day <= days_in_month(year, month)).then_some(CalendarDate { year, month, day })
}

/// A plain decimal (see the module docs), finite.
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

/// The canonical text of a number: the shortest decimal that reads back exactly.
pub fn format_number(n: f64) -> String {
    if n == 0.0 {
        // Normalises -0 as well.
        "0".to_string()
    } else {
        format!("{n}")
    }
}

/// What a range filter ranges over.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RangeKind {
    Date,
    Number,
}

/// One typed bound.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum RangeValue {
    Date(CalendarDate),
    Number(f64),
}

impl RangeValue {
    fn compare(&self, other: &RangeValue) -> Option<Ordering> {
        match (self, other) {
            (RangeValue::Date(a), RangeValue::Date(b)) => Some(a.cmp(b)),
            (RangeValue::Number(a), RangeValue::Number(b)) => a.partial_cmp(b),
            _ => None,
        }
    }

    /// The canonical text (`YYYY-MM-DD` or the shortest decimal).
    pub fn canonical(&self) -> String {
        match self {
            RangeValue::Date(d) => d.iso(),
            RangeValue::Number(n) => format_number(*n),
        }
    }
}

/// Parses one bound of a range of `kind`.
pub fn parse_bound(kind: RangeKind, text: &str) -> Option<RangeValue> {
    match kind {
        RangeKind::Date => parse_date(text).map(RangeValue::Date),
        RangeKind::Number => parse_number(text).map(RangeValue::Number),
    }
}

/// Which end of a range.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    From,
    To,
}

impl Side {
    /// The query-parameter suffix of this end.
    pub fn suffix(&self) -> &'static str {
        match self {
            Side::From => "_from",
            Side::To => "_to",
        }
    }
}

/// Why a range is refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RangeProblem {
    /// One end is longer than [`MAX_VALUE_BYTES`].
    TooLong(Side),
    /// One end is not a value of the range's kind.
    Malformed(Side, RangeKind),
    /// `from` is after `to`.
    Inverted,
}

impl RangeProblem {
    /// The end at fault, when it is one end.
    pub fn side(&self) -> Option<Side> {
        match self {
            RangeProblem::TooLong(side) | RangeProblem::Malformed(side, _) => Some(*side),
            RangeProblem::Inverted => None,
        }
    }
}

impl fmt::Display for RangeProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RangeProblem::TooLong(_) => write!(f, "value is longer than {MAX_VALUE_BYTES} bytes"),
            RangeProblem::Malformed(_, RangeKind::Date) => {
                f.write_str("expected a date YYYY-MM or YYYY-MM-DD")
            }
            RangeProblem::Malformed(_, RangeKind::Number) => {
                f.write_str("expected a plain decimal number")
            }
            RangeProblem::Inverted => f.write_str("the range is inverted (from is after to)"),
        }
    }
}

/// A checked range: typed, inclusive, clamped into the filter's bounds.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CheckedRange {
    pub from: Option<RangeValue>,
    pub to: Option<RangeValue>,
}

/// Checks one range filter's raw ends (empty = open) against its declared bounds:
/// each end must parse as the kind, `from ≤ to`; an end beyond the near bound is
/// clamped to it (`from` below `min` becomes `min`, `to` above `max` becomes `max`)
/// unless the whole range lies beyond the bounds. Idempotent: a checked range checks
/// to itself.
pub fn check_range(
    kind: RangeKind,
    from: Option<&str>,
    to: Option<&str>,
    min: Option<RangeValue>,
    max: Option<RangeValue>,
) -> Result<CheckedRange, RangeProblem> {
    let parse = |side: Side, text: Option<&str>| -> Result<Option<RangeValue>, RangeProblem> {
        let Some(text) = text.filter(|t| !t.is_empty()) else {
            return Ok(None);
        };
        if text.len() > MAX_VALUE_BYTES {
            return Err(RangeProblem::TooLong(side));
        }
        parse_bound(kind, text)
            .map(Some)
            .ok_or(RangeProblem::Malformed(side, kind))
    };
    let (mut from, mut to) = (parse(Side::From, from)?, parse(Side::To, to)?);
    if let (Some(a), Some(b)) = (&from, &to) {
        if a.compare(b) == Some(Ordering::Greater) {
            return Err(RangeProblem::Inverted);
        }
    }
    // Clamping must not change which rows the range selects (nor make it inverted): an
    // end is moved to the near bound only while the other end still reaches the bounds.
    let reaches = |end: &Option<RangeValue>, bound: &RangeValue, beyond: Ordering| {
        end.as_ref()
            .is_none_or(|e| e.compare(bound) != Some(beyond))
    };
    if let (Some(value), Some(min)) = (from, min) {
        if value.compare(&min) == Some(Ordering::Less) && reaches(&to, &min, Ordering::Less) {
            from = Some(min);
        }
    }
    if let (Some(value), Some(max)) = (to, max) {
        if value.compare(&max) == Some(Ordering::Greater) && reaches(&from, &max, Ordering::Greater)
        {
            to = Some(max);
        }
    }
    Ok(CheckedRange { from, to })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> CalendarDate {
        CalendarDate {
            year: y,
            month: m,
            day: d,
        }
    }

    #[test]
    fn months_parse_to_their_first_day_and_days_to_themselves() {
        assert_eq!(parse_date("2023-06"), Some(date(2023, 6, 1)));
        assert_eq!(parse_date("2023-06-15"), Some(date(2023, 6, 15)));
        assert_eq!(parse_date("2024-02-29"), Some(date(2024, 2, 29)));
        assert_eq!(parse_date("2000-02-29"), Some(date(2000, 2, 29)));
    }

    #[test]
    fn impossible_or_oddly_written_dates_are_rejected() {
        for bad in [
            "2023-13",
            "2023-00",
            "2023-02-30",
            "2023-02-29",
            "1900-02-29",
            "2023-04-31",
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
            "2023-01-00",
        ] {
            assert_eq!(parse_date(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn plain_decimals_parse_and_nothing_clever_does() {
        assert_eq!(parse_number("0.5"), Some(0.5));
        assert_eq!(parse_number("-12"), Some(-12.0));
        assert_eq!(parse_number("15000"), Some(15000.0));
        for bad in [
            "NaN", "nan", "inf", "-inf", "infinity", "1e308", "1E5", "1e5", "+1", "1.", ".5",
            "--1", "0x10", "1_000", " 1", "1 ", "", "-", "1.2.3", "½",
        ] {
            assert_eq!(parse_number(bad), None, "{bad:?}");
        }
        assert_eq!(parse_number(&"9".repeat(33)), None);
    }

    #[test]
    fn canonical_forms_are_stable() {
        assert_eq!(format_number(0.5), "0.5");
        assert_eq!(format_number(1.0), "1");
        assert_eq!(format_number(-0.0), "0");
        assert_eq!(date(2023, 1, 1).iso(), "2023-01-01");
        assert_eq!(date(2023, 1, 1).month_text(), "2023-01");
    }

    fn months(min: &str, max: &str) -> (Option<RangeValue>, Option<RangeValue>) {
        (
            parse_bound(RangeKind::Date, min),
            parse_bound(RangeKind::Date, max),
        )
    }

    #[test]
    fn a_range_wider_than_the_bounds_is_clamped_not_refused() {
        let (min, max) = months("2023-01", "2024-12");
        let checked = check_range(RangeKind::Date, Some("2020-01"), Some("2030-12"), min, max)
            .expect("clamped");
        assert_eq!(checked.from, min);
        assert_eq!(checked.to, max);
        let checked = check_range(
            RangeKind::Number,
            Some("-3"),
            Some("1.5"),
            Some(RangeValue::Number(0.0)),
            Some(RangeValue::Number(1.0)),
        )
        .expect("clamped");
        assert_eq!(
            (checked.from, checked.to),
            (Some(RangeValue::Number(0.0)), Some(RangeValue::Number(1.0)))
        );
    }

    #[test]
    fn a_range_wholly_beyond_the_bounds_is_kept_and_selects_nothing() {
        let (min, max) = months("2023-01", "2024-12");
        let checked = check_range(RangeKind::Date, Some("2030-01"), None, min, max).expect("kept");
        assert_eq!(checked.from, parse_bound(RangeKind::Date, "2030-01"));
        let checked =
            check_range(RangeKind::Date, Some("2025-01"), Some("2030-12"), min, max).expect("kept");
        assert_eq!(
            checked.to,
            parse_bound(RangeKind::Date, "2030-12"),
            "not clamped into an inverted range"
        );
        let checked =
            check_range(RangeKind::Date, Some("2020-01"), Some("2022-06"), min, max).expect("kept");
        assert_eq!(checked.from, parse_bound(RangeKind::Date, "2020-01"));
    }

    #[test]
    fn malformed_inverted_and_oversized_ranges_are_refused() {
        let (min, max) = months("2023-01", "2024-12");
        assert_eq!(
            check_range(RangeKind::Date, Some("2024-02-30"), None, min, max),
            Err(RangeProblem::Malformed(Side::From, RangeKind::Date))
        );
        assert_eq!(
            check_range(RangeKind::Date, Some("2024-06"), Some("2024-01"), min, max),
            Err(RangeProblem::Inverted)
        );
        assert_eq!(
            check_range(RangeKind::Number, None, Some("1e5"), None, None),
            Err(RangeProblem::Malformed(Side::To, RangeKind::Number))
        );
        let long = "1".repeat(MAX_VALUE_BYTES + 1);
        assert_eq!(
            check_range(RangeKind::Number, Some(&long), None, None, None),
            Err(RangeProblem::TooLong(Side::From))
        );
        assert!(
            check_range(RangeKind::Number, Some(""), Some(""), None, None).is_ok(),
            "empty ends are open"
        );
    }
}
