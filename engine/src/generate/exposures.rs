//! The `exposures` dataset (risk): one row per exposure of an account.
//!
//! Shape of the data: volume grows over 24 earn months with a year-end peak; risk
//! scores are Beta-distributed with riskier transaction types shifted up; the
//! bucket is derived from the score; exposure amounts are log-normal and grow with
//! the score.

use polars::prelude::*;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use rand_distr::{Beta, Distribution, StandardNormal};

use super::customers::{round2, round4};
use super::profile::{mix, TenantProfile, Weighted};
use super::{month_days, seasonal_weights};
use crate::datasets::{REGIONS, RISK_BUCKETS, TRANSACTION_TYPES};
use crate::error::EngineError;

pub const EARN_MONTHS: usize = 24;
const FIRST_EARN_MONTH: (i32, u32) = (2023, 1);
const STREAM: u64 = 0xE4B0;

/// Per transaction type, in [`TRANSACTION_TYPES`] order: shift of the Beta alpha
/// and median amount.
const ALPHA_SHIFT: [f64; 5] = [0.0, 1.2, 0.5, 0.3, -0.6];
const MEDIAN_AMOUNT: [f64; 5] = [900.0, 1500.0, 4000.0, 60.0, 200.0];

/// The bucket of a risk score: Low < 0.3 ≤ Medium < 0.5 ≤ High < 0.8 ≤ Critical.
pub fn risk_bucket(score: f64) -> &'static str {
    let index = match score {
        s if s < 0.3 => 0,
        s if s < 0.5 => 1,
        s if s < 0.8 => 2,
        _ => 3,
    };
    RISK_BUCKETS[index]
}

pub(super) struct ExposureModel<'a> {
    pub tenant: &'a str,
    pub prefix: &'a str,
    pub profile: &'a TenantProfile,
    months: Weighted,
    types: Weighted,
    regions: Weighted,
    scores: Vec<Beta<f64>>,
}

impl<'a> ExposureModel<'a> {
    pub fn new(
        tenant: &'a str,
        prefix: &'a str,
        profile: &'a TenantProfile,
    ) -> Result<Self, EngineError> {
        let scores = ALPHA_SHIFT
            .iter()
            .map(|shift| {
                Beta::new(
                    (profile.risk_alpha + shift).max(0.5),
                    profile.risk_beta.max(0.5),
                )
                .map_err(|err| {
                    EngineError::BadRequest(format!("profile risk_alpha/risk_beta: {err}"))
                })
            })
            .collect::<Result<Vec<_>, _>>()?;
        Ok(ExposureModel {
            tenant,
            prefix,
            profile,
            months: Weighted::new(&seasonal_weights(EARN_MONTHS, profile.monthly_growth, 10)),
            types: Weighted::new(&profile.transaction_weights),
            regions: Weighted::new(&profile.region_weights),
            scores,
        })
    }

    pub fn chunk(&self, index: u64, start: usize, len: usize) -> Result<DataFrame, EngineError> {
        let mut rng = StdRng::seed_from_u64(mix(self.profile.seed, STREAM ^ (index << 16)));
        let accounts = (self.profile.exposures_rows / 3).max(1);
        let mut account = Vec::with_capacity(len);
        let mut kind = Vec::with_capacity(len);
        let mut month = Vec::with_capacity(len);
        let mut score = Vec::with_capacity(len);
        let mut bucket = Vec::with_capacity(len);
        let mut amount = Vec::with_capacity(len);
        let mut region = Vec::with_capacity(len);
        for _ in start..start + len {
            let t = self.types.sample(&mut rng);
            let s = round4(self.scores[t].sample(&mut rng).clamp(0.0, 0.9999));
            let noise: f64 = rng.sample(StandardNormal);
            account.push(format!(
                "A-{}-{:07}",
                self.prefix,
                rng.random_range(0..accounts) + 1
            ));
            kind.push(TRANSACTION_TYPES[t]);
            month.push(month_days(FIRST_EARN_MONTH, self.months.sample(&mut rng)));
            score.push(s);
            bucket.push(risk_bucket(s));
            amount.push(round2(MEDIAN_AMOUNT[t] * (1.4 * s + 0.9 * noise).exp()));
            region.push(REGIONS[self.regions.sample(&mut rng)]);
        }
        let columns = vec![
            Column::new("tenant_id".into(), vec![self.tenant; len]),
            Column::new("account_id".into(), account),
            Column::new("transaction_type".into(), kind),
            Int32Chunked::from_vec("earn_month".into(), month)
                .into_date()
                .into_series()
                .into(),
            Column::new("risk_score".into(), score),
            Column::new("risk_bucket".into(), bucket),
            Column::new("exposure_amount".into(), amount),
            Column::new("region".into(), region),
        ];
        Ok(DataFrame::new(len, columns)?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn buckets_follow_the_score_boundaries() {
        assert_eq!(risk_bucket(0.0), "Low");
        assert_eq!(risk_bucket(0.2999), "Low");
        assert_eq!(risk_bucket(0.3), "Medium");
        assert_eq!(risk_bucket(0.5), "High");
        assert_eq!(risk_bucket(0.7999), "High");
        assert_eq!(risk_bucket(0.8), "Critical");
    }
}
