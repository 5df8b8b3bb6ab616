//! The operators' service behind the admin API (private listener): tenants, their
//! configuration and dashboards, role grants, user activity, dashboard specs and key
//! rotation. Every change writes its audit entry in the same transaction, as the owner
//! role (the explicit cross-tenant path).

mod dashboards;
mod keys;
mod service;
mod tenants;
mod users;

pub use dashboards::DashboardPut;
pub use service::{valid_slug, Admin, AdminError};
pub use tenants::{AssignDashboards, CreateTenant, TenantOut};
pub use users::{GrantRole, RoleGranted};
