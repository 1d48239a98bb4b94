//! Deterministic pseudo-random numbers keyed by what they describe.
//!
//! The simulation must give the same answer for the same (seed, device, time) in every process and
//! with every version of the `rand` crate, so it uses its own tiny generator (SplitMix64) instead.

/// SplitMix64's output function: a good 64-bit mixer.
pub fn mix(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// One key from several parts, order-sensitive.
pub fn key(parts: &[u64]) -> u64 {
    parts.iter().fold(0x005E_ED0F_E7AC_u64, |h, &p| {
        mix(h ^ mix(p.wrapping_add(0x632B_E59B_D9B4_E019)))
    })
}

/// A small deterministic generator.
#[derive(Clone, Debug)]
pub struct Rng(u64);

impl Rng {
    /// A generator for `key` (see [`key`]).
    pub fn new(key: u64) -> Self {
        Self(mix(key))
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        mix(self.0)
    }

    /// Uniform in `[0, 1)`.
    pub fn f64(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// Uniform in `[lo, hi)`.
    pub fn range_f64(&mut self, lo: f64, hi: f64) -> f64 {
        lo + (hi - lo) * self.f64()
    }

    /// Uniform in `[lo, hi]`.
    pub fn range_i64(&mut self, lo: i64, hi: i64) -> i64 {
        if hi <= lo {
            return lo;
        }
        let span = (hi - lo) as u64 + 1;
        lo + (self.next_u64() % span) as i64
    }

    /// True with probability `p`.
    pub fn chance(&mut self, p: f64) -> bool {
        self.f64() < p
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_key_same_stream_and_ranges_hold() {
        let mut a = Rng::new(key(&[7, 1, 2]));
        let mut b = Rng::new(key(&[7, 1, 2]));
        let mut c = Rng::new(key(&[7, 2, 1]));
        let xs: Vec<u64> = (0..8).map(|_| a.next_u64()).collect();
        let ys: Vec<u64> = (0..8).map(|_| b.next_u64()).collect();
        let zs: Vec<u64> = (0..8).map(|_| c.next_u64()).collect();
        assert_eq!(xs, ys);
        assert_ne!(xs, zs);
        for _ in 0..1000 {
            let v = a.range_i64(-3, 3);
            assert!((-3..=3).contains(&v));
            let f = a.range_f64(2.0, 5.0);
            assert!((2.0..5.0).contains(&f));
        }
    }
}
