//! What makes each tenant's synthetic data different: size and mix, derived
//! deterministically from the tenant id and a base seed.

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use uuid::Uuid;

/// The base seed of the demo data.
pub const DEMO_SEED: u64 = 0x4b59_524f_535f_3031;
/// Rows generated and written per Parquet row group; bounds the generator's memory.
pub const DEFAULT_CHUNK_ROWS: usize = 128 * 1024;

/// Size and mix of one tenant's data. Every field is public so a caller (or a
/// benchmark) can pin, say, an exact row count after deriving the rest.
#[derive(Debug, Clone, PartialEq)]
pub struct TenantProfile {
    pub seed: u64,
    pub customers_rows: usize,
    pub exposures_rows: usize,
    /// Relative weights of `Consumer, SMB, Mid-Market, Enterprise`.
    pub segment_weights: [f64; 4],
    /// Relative weights of `North America, EMEA, APAC, LATAM`.
    pub region_weights: [f64; 4],
    /// Relative weights of `Direct, Partner, Online, Referral`.
    pub channel_weights: [f64; 4],
    /// Relative weights of `Purchase, Cash Advance, Balance Transfer, Fee, Refund`.
    pub transaction_weights: [f64; 5],
    /// Multiplies order values (a tenant's price level), around 1.
    pub revenue_scale: f64,
    /// Month-over-month growth of customer acquisition and exposure volume.
    pub monthly_growth: f64,
    /// Beta distribution shape of risk scores (mean = alpha / (alpha + beta)).
    pub risk_alpha: f64,
    pub risk_beta: f64,
    pub chunk_rows: usize,
}

impl TenantProfile {
    /// The profile of `tenant_id` for a target size of about `rows` rows per dataset
    /// (each tenant gets 80–120% of it for customers and 90–140% for exposures).
    pub fn derive(tenant_id: Uuid, base_seed: u64, rows: usize) -> TenantProfile {
        let seed = tenant_seed(tenant_id, base_seed);
        let mut rng = StdRng::seed_from_u64(mix(seed, 0x5052_4f46));
        let scale = |rng: &mut StdRng, lo: f64, hi: f64| -> usize {
            (rows as f64 * rng.random_range(lo..hi)).round() as usize
        };
        let customers_rows = scale(&mut rng, 0.8, 1.2);
        let exposures_rows = scale(&mut rng, 0.9, 1.4);
        let mut jitter = |base: f64| base * rng.random_range(0.5..1.5);
        let segment_weights = [jitter(40.0), jitter(33.0), jitter(18.0), jitter(9.0)];
        let region_weights = [jitter(40.0), jitter(30.0), jitter(20.0), jitter(10.0)];
        let channel_weights = [jitter(30.0), jitter(20.0), jitter(35.0), jitter(15.0)];
        let transaction_weights = [
            jitter(55.0),
            jitter(12.0),
            jitter(10.0),
            jitter(15.0),
            jitter(8.0),
        ];
        TenantProfile {
            seed,
            customers_rows,
            exposures_rows,
            segment_weights,
            region_weights,
            channel_weights,
            transaction_weights,
            revenue_scale: rng.random_range(0.7..1.4),
            monthly_growth: rng.random_range(0.0..0.035),
            risk_alpha: rng.random_range(1.8..2.6),
            risk_beta: rng.random_range(2.6..3.8),
            chunk_rows: DEFAULT_CHUNK_ROWS,
        }
    }
}

/// The demo profile of a tenant: [`TenantProfile::derive`] with [`DEMO_SEED`].
pub fn demo_profile(tenant_id: Uuid, rows: usize) -> TenantProfile {
    TenantProfile::derive(tenant_id, DEMO_SEED, rows)
}

/// FNV-1a over the tenant id and the base seed, finished with a SplitMix64 round.
/// Stable across platforms and Rust versions (unlike `DefaultHasher`).
fn tenant_seed(tenant_id: Uuid, base_seed: u64) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in tenant_id
        .as_bytes()
        .iter()
        .chain(base_seed.to_le_bytes().iter())
    {
        hash ^= u64::from(*byte);
        hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
    }
    mix(hash, 0)
}

/// SplitMix64 of `seed` combined with `stream`: independent seeds per purpose/chunk.
pub(crate) fn mix(seed: u64, stream: u64) -> u64 {
    let mut z = seed ^ stream.wrapping_mul(0x9e37_79b9_7f4a_7c15);
    z = z.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// Samples an index with probability proportional to its weight.
#[derive(Debug, Clone)]
pub(crate) struct Weighted {
    cumulative: Vec<f64>,
}

impl Weighted {
    /// Non-finite or negative weights count as zero; all-zero weights sample uniformly.
    pub fn new(weights: &[f64]) -> Weighted {
        let clean: Vec<f64> = weights
            .iter()
            .map(|w| if w.is_finite() && *w > 0.0 { *w } else { 0.0 })
            .collect();
        let total: f64 = clean.iter().sum();
        let clean = if total > 0.0 {
            clean
        } else {
            vec![1.0; weights.len().max(1)]
        };
        let total: f64 = clean.iter().sum();
        let mut acc = 0.0;
        let cumulative = clean
            .iter()
            .map(|w| {
                acc += w / total;
                acc
            })
            .collect();
        Weighted { cumulative }
    }

    pub fn sample<R: Rng>(&self, rng: &mut R) -> usize {
        let u: f64 = rng.random();
        self.cumulative
            .partition_point(|c| *c <= u)
            .min(self.cumulative.len() - 1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn profiles_are_deterministic_and_differ_between_tenants() {
        let a = Uuid::from_u128(1);
        let b = Uuid::from_u128(2);
        assert_eq!(demo_profile(a, 1000), demo_profile(a, 1000));
        assert_ne!(demo_profile(a, 1000), demo_profile(b, 1000));
        assert_ne!(
            demo_profile(a, 1000).seed,
            TenantProfile::derive(a, 1, 1000).seed
        );
        let p = demo_profile(a, 100_000);
        assert!((80_000..=120_000).contains(&p.customers_rows));
        assert!((90_000..=140_000).contains(&p.exposures_rows));
    }

    #[test]
    fn weighted_sampling_follows_the_weights() {
        let weighted = Weighted::new(&[1.0, 0.0, 3.0]);
        let mut rng = StdRng::seed_from_u64(3);
        let mut counts = [0usize; 3];
        for _ in 0..4000 {
            counts[weighted.sample(&mut rng)] += 1;
        }
        assert_eq!(counts[1], 0);
        assert!(counts[2] > 2 * counts[0], "{counts:?}");
        assert!(Weighted::new(&[f64::NAN, -1.0]).sample(&mut rng) < 2);
    }
}
