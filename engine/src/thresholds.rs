//! Named thresholds: a spec's defaults, overridden by a tenant's configuration.

use std::collections::BTreeMap;

use crate::spec::DashboardSpec;

/// Threshold values by name (e.g. `risk_critical` → 0.8).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Thresholds(BTreeMap<String, f64>);

impl Thresholds {
    /// The defaults declared by the spec.
    pub fn from_spec(spec: &DashboardSpec) -> Thresholds {
        Thresholds(spec.thresholds().clone())
    }

    /// Applies a tenant's overrides. Only thresholds the spec declares are taken
    /// (a tenant config may carry thresholds of other dashboards) and non-finite
    /// values are ignored.
    pub fn with_overrides(mut self, overrides: &BTreeMap<String, f64>) -> Thresholds {
        for (name, value) in overrides {
            if let Some(slot) = self.0.get_mut(name) {
                if value.is_finite() {
                    *slot = *value;
                }
            }
        }
        self
    }

    pub fn get(&self, name: &str) -> Option<f64> {
        self.0.get(name).copied()
    }

    /// A canonical string for cache keys.
    pub fn cache_key(&self) -> String {
        self.0
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join(";")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::spec::BUILTIN_SPECS;

    #[test]
    fn tenant_overrides_replace_only_declared_finite_thresholds() {
        let (slug, _, _, json) = BUILTIN_SPECS[1];
        let spec = DashboardSpec::from_json(slug, json).expect("valid spec");
        let overrides = BTreeMap::from([
            ("risk_critical".to_string(), 0.9),
            ("risk_warning".to_string(), f64::NAN),
            ("unrelated".to_string(), 1.0),
        ]);
        let thresholds = Thresholds::from_spec(&spec).with_overrides(&overrides);
        assert_eq!(thresholds.get("risk_critical"), Some(0.9));
        assert_eq!(thresholds.get("risk_warning"), Some(0.5));
        assert_eq!(thresholds.get("unrelated"), None);
    }
}
