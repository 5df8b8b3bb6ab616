//! Reusable pieces of the shell's pages.

pub mod app_bar;
pub mod change_password_form;
pub mod chart;
pub mod chart_card;
pub mod data_table;
pub mod echarts;
pub mod error_state;
pub mod filter_bar;
pub mod focus;
pub mod kpi_card;
pub mod link_password_form;
pub mod link_token;
pub mod page_title;
pub mod password_fields;
pub mod redirect;
pub mod require_session;
pub mod route_link;
pub mod session_list;
pub mod spinner;
pub mod tenant_switcher;
pub mod toasts;
