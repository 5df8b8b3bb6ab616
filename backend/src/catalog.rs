//! The dashboards Kyros ships (specs live in the engine crate), installed by the seed.

use crate::store::seed::DashboardDef;

/// The built-in dashboard specs.
pub fn builtin_dashboards() -> Vec<DashboardDef> {
    kyros_engine::BUILTIN_SPECS.to_vec()
}
