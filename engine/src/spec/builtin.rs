//! The dashboards shipped with Kyros, as plain spec JSON (no dashboard-specific code).

/// `(slug, title, description, spec_json)` of every built-in dashboard; the title and
/// description repeat the spec's own (a test keeps them equal) so the backend can
/// seed its `dashboards` rows without parsing.
pub const BUILTIN_SPECS: &[(&str, &str, &str, &str)] = &[
    (
        "customer-lifetime-value",
        "Customer Lifetime Value",
        "Who your customers are, what they are worth, and which cohorts and segments drive value.",
        include_str!("../../specs/customer-lifetime-value.json"),
    ),
    (
        "risk-analysis",
        "Risk Analysis",
        "Exposure by risk bucket over time, score distribution against the warning and critical thresholds, and the accounts that need attention.",
        include_str!("../../specs/risk-analysis.json"),
    ),
    (
        "channel-performance",
        "Channel Performance",
        "How each acquisition channel performs: revenue, margin, order volume and customer value.",
        include_str!("../../specs/channel-performance.json"),
    ),
];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::spec::DashboardSpec;

    #[test]
    fn every_shipped_spec_validates_and_matches_its_catalogue_entry() {
        for (slug, title, description, json) in BUILTIN_SPECS {
            let spec =
                DashboardSpec::from_json(slug, json).unwrap_or_else(|e| panic!("{slug}: {e}"));
            assert_eq!(spec.title(), *title);
            assert_eq!(spec.description(), *description);
            let view = spec.view(slug);
            assert_eq!(view.slug, *slug);
            assert_eq!(view.charts.len(), spec.charts().len());
            assert_eq!(view.filters.len(), spec.filters().len());
        }
    }

    #[test]
    fn the_view_shows_filters_with_their_options_and_bounds() {
        let (slug, _, _, json) = BUILTIN_SPECS[1];
        let view = DashboardSpec::from_json(slug, json)
            .expect("valid")
            .view(slug);
        let score = view
            .filters
            .iter()
            .find(|f| f.field == "risk_score")
            .expect("filter");
        assert_eq!(
            (score.min.as_deref(), score.max.as_deref()),
            (Some("0"), Some("1"))
        );
        let region = view
            .filters
            .iter()
            .find(|f| f.field == "region")
            .expect("filter");
        assert_eq!(region.options.len(), 4);
        assert!(view.charts.iter().all(|c| (1..=12).contains(&c.width)));
    }
}
