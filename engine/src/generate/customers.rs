//! The `customers` dataset (CLV): one row per customer.
//!
//! Shape of the data: acquisition grows month over month with a spring/autumn
//! seasonality; order counts grow with segment size and cohort age; revenue is
//! log-normal (heavy-tailed) per order and rises with segment; predicted CLV
//! follows annualised revenue and decays for older cohorts; churn probability
//! falls as CLV rises.

use polars::prelude::*;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use rand_distr::StandardNormal;

use super::profile::{mix, TenantProfile, Weighted};
use super::{month_days, names, seasonal_weights};
use crate::datasets::{CHANNELS, REGIONS, SEGMENTS};
use crate::error::EngineError;

/// Cohorts span 36 months starting January 2022.
pub const COHORT_MONTHS: usize = 36;
const FIRST_COHORT: (i32, u32) = (2022, 1);
const STREAM: u64 = 0xC057;

/// Per-segment parameters, in [`SEGMENTS`] order.
const ORDERS_PER_YEAR: [f64; 4] = [3.0, 6.0, 11.0, 20.0];
const ORDER_VALUE: [f64; 4] = [55.0, 420.0, 1000.0, 2200.0];
const MARGIN_ADJUST: [f64; 4] = [0.05, 0.02, 0.0, -0.04];
/// Per-channel order value multipliers, in [`CHANNELS`] order.
const CHANNEL_VALUE: [f64; 4] = [1.15, 1.1, 0.9, 1.0];

/// Everything a chunk needs, computed once per tenant.
pub(super) struct CustomerModel<'a> {
    pub tenant: &'a str,
    pub prefix: &'a str,
    pub profile: &'a TenantProfile,
    cohorts: Weighted,
    segments: Weighted,
    regions: Weighted,
    channels: Weighted,
}

impl<'a> CustomerModel<'a> {
    pub fn new(tenant: &'a str, prefix: &'a str, profile: &'a TenantProfile) -> Self {
        CustomerModel {
            tenant,
            prefix,
            profile,
            cohorts: Weighted::new(&seasonal_weights(COHORT_MONTHS, profile.monthly_growth, 3)),
            segments: Weighted::new(&profile.segment_weights),
            regions: Weighted::new(&profile.region_weights),
            channels: Weighted::new(&profile.channel_weights),
        }
    }

    /// Rows `start..start + len`, generated from the chunk's own seed.
    pub fn chunk(&self, index: u64, start: usize, len: usize) -> Result<DataFrame, EngineError> {
        let mut rng = StdRng::seed_from_u64(mix(self.profile.seed, STREAM ^ (index << 16)));
        let mut ids = Vec::with_capacity(len);
        let mut names_col = Vec::with_capacity(len);
        let mut cohort = Vec::with_capacity(len);
        let mut segment = Vec::with_capacity(len);
        let mut region = Vec::with_capacity(len);
        let mut channel = Vec::with_capacity(len);
        let mut orders = Vec::with_capacity(len);
        let mut revenue = Vec::with_capacity(len);
        let mut margin = Vec::with_capacity(len);
        let mut clv = Vec::with_capacity(len);
        let mut churn = Vec::with_capacity(len);
        for row in start..start + len {
            let m = self.cohorts.sample(&mut rng);
            let seg = self.segments.sample(&mut rng);
            let chan = self.channels.sample(&mut rng);
            let age_years = (COHORT_MONTHS - m) as f64 / 12.0;
            let z = |rng: &mut StdRng| -> f64 { rng.sample(StandardNormal) };

            let order_count =
                (ORDERS_PER_YEAR[seg] * age_years.powf(0.7) * (0.35 * z(&mut rng)).exp())
                    .round()
                    .max(1.0);
            let order_value = ORDER_VALUE[seg] * CHANNEL_VALUE[chan] * self.profile.revenue_scale;
            let rev = order_count * order_value * (0.6 * z(&mut rng)).exp();
            let margin_rate = (0.30 + MARGIN_ADJUST[seg] + 0.07 * z(&mut rng)).clamp(0.02, 0.75);
            // Annualise, but not from a few weeks of history: young cohorts would explode.
            let annual = rev / age_years.max(0.5);
            let horizon = 1.6 + 1.6 * (-age_years / 1.5).exp();
            let value = annual * horizon * (0.25 * z(&mut rng)).exp();
            let logit = 2.2 - 0.42 * (value + 1.0).ln() + 0.25 * age_years + 0.45 * z(&mut rng);

            ids.push(format!("C-{}-{:07}", self.prefix, row + 1));
            names_col.push(if seg == 0 {
                names::person(&mut rng)
            } else {
                names::company(&mut rng)
            });
            cohort.push(month_days(FIRST_COHORT, m));
            segment.push(SEGMENTS[seg]);
            region.push(REGIONS[self.regions.sample(&mut rng)]);
            channel.push(CHANNELS[chan]);
            orders.push(order_count as i64);
            revenue.push(round2(rev));
            margin.push(round2(rev * margin_rate));
            clv.push(round2(value));
            churn.push(round4(1.0 / (1.0 + (-logit).exp())));
        }
        let columns = vec![
            Column::new("tenant_id".into(), vec![self.tenant; len]),
            Column::new("customer_id".into(), ids),
            Column::new("customer_name".into(), names_col),
            Int32Chunked::from_vec("cohort_month".into(), cohort)
                .into_date()
                .into_series()
                .into(),
            Column::new("segment".into(), segment),
            Column::new("region".into(), region),
            Column::new("channel".into(), channel),
            Column::new("orders".into(), orders),
            Column::new("revenue".into(), revenue),
            Column::new("margin".into(), margin),
            Column::new("predicted_clv".into(), clv),
            Column::new("churn_probability".into(), churn),
        ];
        Ok(DataFrame::new(len, columns)?)
    }
}

pub(super) fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

pub(super) fn round4(x: f64) -> f64 {
    (x * 10_000.0).round() / 10_000.0
}
