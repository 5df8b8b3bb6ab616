//! The static schema of every dataset the engine knows, and the one place that turns
//! a tenant id and a dataset into a file path.
//!
//! Specs are validated against these schemas, so a query never names a column that
//! does not exist, and paths are built only from a [`Uuid`] and a `&'static` dataset
//! name — never from request text.

use std::path::{Path, PathBuf};

use uuid::Uuid;

/// The physical type of a column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColumnType {
    /// UTF-8 text.
    Text,
    /// A calendar date that is always the first day of a month.
    Month,
    /// 64-bit signed integer.
    Int,
    /// 64-bit float.
    Float,
}

impl ColumnType {
    pub fn is_numeric(self) -> bool {
        matches!(self, ColumnType::Int | ColumnType::Float)
    }
}

/// One column of a dataset.
#[derive(Debug)]
pub struct ColumnDef {
    pub name: &'static str,
    pub ty: ColumnType,
    /// The closed set of values of a categorical text column, in display order.
    /// Empty for free-text and non-text columns.
    pub categories: &'static [&'static str],
    /// An identifier (customer or account id): free text, many distinct values,
    /// counted with `count_distinct`.
    pub identifier: bool,
}

impl ColumnDef {
    /// Whether grouping by this column yields a small, bounded number of groups.
    pub fn is_groupable(&self) -> bool {
        !self.categories.is_empty() || self.ty == ColumnType::Month
    }
}

/// A dataset: a named Parquet file per tenant with a fixed schema.
#[derive(Debug)]
pub struct DatasetDef {
    pub name: &'static str,
    pub columns: &'static [ColumnDef],
}

impl DatasetDef {
    pub fn column(&self, name: &str) -> Option<&'static ColumnDef> {
        self.columns.iter().find(|c| c.name == name)
    }

    pub fn column_names(&self) -> Vec<&'static str> {
        self.columns.iter().map(|c| c.name).collect()
    }

    /// `<data_dir>/processed/<tenant_id>/<dataset>.parquet`.
    pub fn path(&self, data_dir: &Path, tenant_id: Uuid) -> PathBuf {
        tenant_dir(data_dir, tenant_id).join(format!("{}.parquet", self.name))
    }
}

/// `<data_dir>/processed/<tenant_id>`.
pub fn tenant_dir(data_dir: &Path, tenant_id: Uuid) -> PathBuf {
    data_dir
        .join("processed")
        .join(tenant_id.as_hyphenated().to_string())
}

pub const SEGMENTS: &[&str] = &["Consumer", "SMB", "Mid-Market", "Enterprise"];
pub const REGIONS: &[&str] = &["North America", "EMEA", "APAC", "LATAM"];
pub const CHANNELS: &[&str] = &["Direct", "Partner", "Online", "Referral"];
pub const TRANSACTION_TYPES: &[&str] = &[
    "Purchase",
    "Cash Advance",
    "Balance Transfer",
    "Fee",
    "Refund",
];
pub const RISK_BUCKETS: &[&str] = &["Low", "Medium", "High", "Critical"];

const fn column(name: &'static str, ty: ColumnType) -> ColumnDef {
    ColumnDef {
        name,
        ty,
        categories: &[],
        identifier: false,
    }
}

const fn identifier(name: &'static str) -> ColumnDef {
    ColumnDef {
        name,
        ty: ColumnType::Text,
        categories: &[],
        identifier: true,
    }
}

const fn categorical(name: &'static str, categories: &'static [&'static str]) -> ColumnDef {
    ColumnDef {
        name,
        ty: ColumnType::Text,
        categories,
        identifier: false,
    }
}

pub static CUSTOMERS: DatasetDef = DatasetDef {
    name: "customers",
    columns: &[
        column("tenant_id", ColumnType::Text),
        identifier("customer_id"),
        column("customer_name", ColumnType::Text),
        column("cohort_month", ColumnType::Month),
        categorical("segment", SEGMENTS),
        categorical("region", REGIONS),
        categorical("channel", CHANNELS),
        column("orders", ColumnType::Int),
        column("revenue", ColumnType::Float),
        column("margin", ColumnType::Float),
        column("predicted_clv", ColumnType::Float),
        column("churn_probability", ColumnType::Float),
    ],
};

pub static EXPOSURES: DatasetDef = DatasetDef {
    name: "exposures",
    columns: &[
        column("tenant_id", ColumnType::Text),
        identifier("account_id"),
        categorical("transaction_type", TRANSACTION_TYPES),
        column("earn_month", ColumnType::Month),
        column("risk_score", ColumnType::Float),
        categorical("risk_bucket", RISK_BUCKETS),
        column("exposure_amount", ColumnType::Float),
        categorical("region", REGIONS),
    ],
};

/// Every dataset the engine knows.
pub static DATASETS: &[&DatasetDef] = &[&CUSTOMERS, &EXPOSURES];

/// The dataset called `name`, if it is known.
pub fn dataset(name: &str) -> Option<&'static DatasetDef> {
    DATASETS.iter().copied().find(|d| d.name == name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dataset_paths_are_built_from_the_tenant_uuid_and_the_static_name() {
        let tenant = Uuid::from_u128(0x1234);
        let path = CUSTOMERS.path(Path::new("/data"), tenant);
        assert_eq!(
            path,
            PathBuf::from("/data/processed/00000000-0000-0000-0000-000000001234/customers.parquet")
        );
    }

    #[test]
    fn unknown_dataset_names_are_not_found() {
        assert!(dataset("customers").is_some());
        assert!(dataset("../customers").is_none());
        assert!(dataset("users").is_none());
    }
}
