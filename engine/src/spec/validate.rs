//! Validation of a parsed spec: every name resolved, every size bounded.

use super::model::SpecDocument;
use super::{chart_rules, filter_rules, SpecError, MAX_SPEC_BYTES, MAX_SPEC_DEPTH};
use crate::datasets::{self, DatasetDef};

pub(super) const MAX_CHARTS: usize = 40;
const MAX_THRESHOLDS: usize = 32;
const MAX_DATASETS: usize = 4;
pub(super) const MAX_LABEL_CHARS: usize = 100;
pub(super) const MAX_TITLE_CHARS: usize = 200;
pub(super) const MAX_DESCRIPTION_CHARS: usize = 2000;

/// Size and nesting limits, checked before the JSON is parsed.
/// serde fills a struct from a JSON array by position; a spec must use objects. The
/// document is an object and no array holds an array (every list in a spec holds
/// objects or scalars).
fn check_objects_where_structs_go(json: &str) -> Result<(), SpecError> {
    fn walk(value: &serde_json::Value, path: &str) -> Result<(), SpecError> {
        match value {
            serde_json::Value::Array(items) => {
                for (i, item) in items.iter().enumerate() {
                    if item.is_array() {
                        return Err(SpecError::new(
                            format!("{path}[{i}]"),
                            "expected an object or a value, found a list",
                        ));
                    }
                    walk(item, &format!("{path}[{i}]"))?;
                }
                Ok(())
            }
            serde_json::Value::Object(map) => {
                for (key, item) in map {
                    let child = if path.is_empty() {
                        key.clone()
                    } else {
                        format!("{path}.{key}")
                    };
                    walk(item, &child)?;
                }
                Ok(())
            }
            _ => Ok(()),
        }
    }
    let value: serde_json::Value =
        serde_json::from_str(json).map_err(|e| SpecError::new("", e.to_string()))?;
    if !value.is_object() {
        return Err(SpecError::new("", "a dashboard spec must be a JSON object"));
    }
    walk(&value, "")
}

pub(super) fn check_raw_json(json: &str) -> Result<(), SpecError> {
    if json.len() > MAX_SPEC_BYTES {
        return Err(SpecError::new(
            "",
            format!(
                "spec is {} bytes; the limit is {MAX_SPEC_BYTES}",
                json.len()
            ),
        ));
    }
    let (mut depth, mut in_string, mut escaped) = (0usize, false, false);
    for byte in json.bytes() {
        if in_string {
            match byte {
                _ if escaped => escaped = false,
                b'\\' => escaped = true,
                b'"' => in_string = false,
                _ => {}
            }
            continue;
        }
        match byte {
            b'"' => in_string = true,
            b'{' | b'[' => {
                depth += 1;
                if depth > MAX_SPEC_DEPTH {
                    return Err(SpecError::new(
                        "",
                        format!("spec nests deeper than {MAX_SPEC_DEPTH} levels"),
                    ));
                }
            }
            b'}' | b']' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    check_objects_where_structs_go(json)?;
    Ok(())
}

/// `^[a-z][a-z0-9_]{0,max_tail}$` (with `-` also allowed when `dash`).
pub(crate) fn is_identifier(s: &str, max_tail: usize, dash: bool) -> bool {
    let mut bytes = s.bytes();
    matches!(bytes.next(), Some(b'a'..=b'z'))
        && s.len() <= max_tail + 1
        && bytes.all(|b| {
            b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_' || (dash && b == b'-')
        })
}

fn is_slug(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 64
        && !s.starts_with('-')
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

pub(super) fn check_text(
    path: &str,
    text: &str,
    max: usize,
    required: bool,
) -> Result<(), SpecError> {
    if required && text.trim().is_empty() {
        return Err(SpecError::new(path, "must not be empty"));
    }
    if text.chars().count() > max {
        return Err(SpecError::new(
            path,
            format!("longer than {max} characters"),
        ));
    }
    if text.chars().any(char::is_control) {
        return Err(SpecError::new(path, "contains control characters"));
    }
    Ok(())
}

/// Validates everything and resolves the datasets.
pub(super) fn validate(
    slug: &str,
    doc: &SpecDocument,
) -> Result<Vec<&'static DatasetDef>, SpecError> {
    if !is_slug(slug) {
        return Err(SpecError::new(
            "slug",
            format!("invalid slug {:?}", super::model::truncate(slug, 70)),
        ));
    }
    check_text("title", &doc.title, MAX_TITLE_CHARS, true)?;
    check_text(
        "description",
        &doc.description,
        MAX_DESCRIPTION_CHARS,
        false,
    )?;
    let datasets = validate_datasets(&doc.datasets)?;
    validate_thresholds(doc)?;
    filter_rules::validate_filters(doc, &datasets)?;
    chart_rules::validate_charts(doc, &datasets)?;
    Ok(datasets)
}

fn validate_datasets(names: &[String]) -> Result<Vec<&'static DatasetDef>, SpecError> {
    if names.is_empty() || names.len() > MAX_DATASETS {
        return Err(SpecError::new(
            "datasets",
            format!("must list 1 to {MAX_DATASETS} datasets"),
        ));
    }
    let mut resolved: Vec<&'static DatasetDef> = Vec::new();
    for (i, name) in names.iter().enumerate() {
        let path = format!("datasets[{i}]");
        if !is_identifier(name, 40, false) {
            return Err(SpecError::new(
                path,
                format!(
                    "invalid dataset name {:?}",
                    super::model::truncate(name, 50)
                ),
            ));
        }
        let def = datasets::dataset(name)
            .ok_or_else(|| SpecError::new(&path, format!("unknown dataset {name:?}")))?;
        if resolved.iter().any(|d| d.name == def.name) {
            return Err(SpecError::new(path, format!("duplicate dataset {name:?}")));
        }
        resolved.push(def);
    }
    Ok(resolved)
}

fn validate_thresholds(doc: &SpecDocument) -> Result<(), SpecError> {
    if doc.thresholds.len() > MAX_THRESHOLDS {
        return Err(SpecError::new(
            "thresholds",
            format!("more than {MAX_THRESHOLDS} thresholds"),
        ));
    }
    for (name, value) in &doc.thresholds {
        let path = format!("thresholds.{name}");
        if !is_identifier(name, 40, false) {
            return Err(SpecError::new(path, "invalid threshold name"));
        }
        if !value.is_finite() {
            return Err(SpecError::new(path, "must be a finite number"));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identifiers_follow_the_lowercase_pattern() {
        assert!(is_identifier("customers", 40, false));
        assert!(is_identifier("a1_b", 40, false));
        assert!(!is_identifier("1abc", 40, false));
        assert!(!is_identifier("Abc", 40, false));
        assert!(!is_identifier("a-b", 40, false));
        assert!(is_identifier("a-b", 40, true));
        assert!(!is_identifier(&"a".repeat(42), 40, false));
        assert!(!is_identifier("", 40, false));
    }

    #[test]
    fn deeply_nested_json_is_refused_before_parsing() {
        let json = format!("{}{}", "[".repeat(20), "]".repeat(20));
        assert!(check_raw_json(&json).is_err());
        assert!(check_raw_json(r#"{"a": "[[[[[[[[[[[[[[[[[["}"#).is_ok());
    }
}

#[cfg(test)]
mod spec_tests {
    use serde_json::json;

    use crate::spec::{error_after, DashboardSpec, MAX_SPEC_BYTES};

    #[test]
    fn unknown_or_malformed_datasets_are_rejected() {
        assert_eq!(
            error_after(|v| v["datasets"] = json!(["users"])).path,
            "datasets[0]"
        );
        assert_eq!(
            error_after(|v| v["datasets"] = json!(["../customers"])).path,
            "datasets[0]"
        );
        assert_eq!(error_after(|v| v["datasets"] = json!([])).path, "datasets");
        assert_eq!(
            error_after(|v| v["datasets"] = json!(["exposures", "exposures"])).path,
            "datasets[1]"
        );
        let err = error_after(|v| v["datasets"] = json!(["customers"]));
        assert!(
            err.path.starts_with("filters[") || err.path.starts_with("charts["),
            "{err}"
        );
    }

    #[test]
    fn thresholds_must_be_named_like_identifiers() {
        assert_eq!(
            error_after(|v| v["thresholds"]["Bad Name"] = json!(1)).path,
            "thresholds.Bad Name"
        );
    }

    #[test]
    fn oversized_deep_or_broken_json_is_rejected() {
        let big = format!("{{\"title\": \"{}\"}}", "x".repeat(MAX_SPEC_BYTES));
        assert!(DashboardSpec::from_json("big", &big)
            .expect_err("big")
            .message
            .contains("limit"));
        let deep = format!("{}{}", "[".repeat(64), "]".repeat(64));
        assert!(DashboardSpec::from_json("deep", &deep)
            .expect_err("deep")
            .message
            .contains("nests"));
        assert!(DashboardSpec::from_json("broken", "{\"title\": ").is_err());
        assert!(DashboardSpec::from_json("trailing", "{} {}").is_err());
    }

    #[test]
    fn slugs_are_checked() {
        let json = crate::spec::BUILTIN_SPECS[0].3;
        assert_eq!(
            DashboardSpec::from_json("../etc", json)
                .expect_err("slug")
                .path,
            "slug"
        );
        assert_eq!(
            DashboardSpec::from_json("", json).expect_err("slug").path,
            "slug"
        );
    }
}

#[cfg(test)]
mod positional_tests {
    use crate::spec::DashboardSpec;

    #[test]
    fn arrays_in_place_of_objects_are_refused() {
        let err = DashboardSpec::from_json("x", r#"["Risk", "", ["exposures"], {}, [], []]"#)
            .expect_err("array spec");
        assert!(err.to_string().contains("JSON object"), "{err}");
        let (slug, _, _, json) = crate::BUILTIN_SPECS[1];
        let mut value: serde_json::Value = serde_json::from_str(json).expect("json");
        let first = value["filters"][0].clone();
        let as_array: Vec<serde_json::Value> = first
            .as_object()
            .expect("object")
            .values()
            .cloned()
            .collect();
        value["filters"][0] = serde_json::Value::Array(as_array);
        let err = DashboardSpec::from_json(slug, &value.to_string()).expect_err("filter as array");
        assert!(err.path.starts_with("filters[0]"), "{err:?}");
    }
}
