//! Filter values as the engine types them: the shared grammar
//! (`kyros_common::filters`) with dates as `chrono` dates.

use chrono::{Datelike, NaiveDate};
use kyros_common::filters::{self as grammar, CalendarDate};

/// `YYYY-MM` (the first day of that month) or `YYYY-MM-DD` (that day).
pub fn parse_date(text: &str) -> Option<NaiveDate> {
    grammar::parse_date(text).and_then(to_naive)
}

/// A plain decimal (see `kyros_common::filters`).
pub fn parse_number(text: &str) -> Option<f64> {
    grammar::parse_number(text)
}

pub(crate) fn to_naive(date: CalendarDate) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(date.year, date.month, date.day)
}

pub(crate) fn from_naive(date: NaiveDate) -> CalendarDate {
    CalendarDate {
        year: date.year(),
        month: date.month(),
        day: date.day(),
    }
}

/// The canonical text of a date: `YYYY-MM-DD`.
pub fn format_date(date: NaiveDate) -> String {
    from_naive(date).iso()
}

/// The canonical text of a number: the shortest decimal that reads back exactly.
pub fn format_number(n: f64) -> String {
    grammar::format_number(n)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_engine_reads_the_shared_grammar_as_chrono_dates() {
        assert_eq!(parse_date("2023-06"), NaiveDate::from_ymd_opt(2023, 6, 1));
        assert_eq!(
            parse_date("2023-06-15"),
            NaiveDate::from_ymd_opt(2023, 6, 15)
        );
        assert_eq!(parse_date("2023-02-30"), None);
        assert_eq!(parse_number("1e5"), None);
        let d = NaiveDate::from_ymd_opt(2023, 1, 1).expect("date");
        assert_eq!(format_date(d), "2023-01-01");
        assert_eq!(to_naive(from_naive(d)), Some(d));
    }
}
