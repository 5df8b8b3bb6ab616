//! The dashboards Kyros ships, installed by the seed.

use crate::store::seed::DashboardDef;

/// The built-in dashboard specs.
pub fn builtin_dashboards() -> Vec<DashboardDef> {
    vec![
        (
            "customer-lifetime-value",
            "Customer Lifetime Value",
            "Who your valuable customers are, how cohorts mature and where revenue comes from.",
            "{}",
        ),
        (
            "risk-analysis",
            "Risk Analysis",
            "Exposure by risk bucket, score distribution and the accounts above the critical threshold.",
            "{}",
        ),
    ]
}
