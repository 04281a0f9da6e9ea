//! Named, reproducible random streams.
//!
//! Every random number in womsim comes from a stream derived from
//! `(scenario seed, purpose, parts…)` — never from a thread, a global, or the
//! wall clock. The generator of named streams ([`stream`]) is Xoshiro256++
//! (output fully specified by its reference implementation); its 256-bit
//! state is filled by SplitMix64 from a 64-bit key, the seeding procedure
//! recommended by the Xoshiro authors. The short per-node streams of the
//! dynamics ([`node_stream`]) are SplitMix64 itself, used as a counter-based
//! generator (see there for why and what it is).
//!
//! Purposes are hashed with FNV-1a (stable across platforms and Rust
//! versions), then mixed with each part through SplitMix64's finaliser, so
//! `stream(seed, "dynamics", &[r])` and `stream(seed, "seeding", &[r])` are
//! unrelated even for equal `r`. Because a purpose names one component, the
//! draws of one component never shift those of another (the trick CDC's ixa
//! uses); because strategies compared in one run use the same
//! `("dynamics", replicate)` key, their outcomes are paired (common random
//! numbers).

use rand::SeedableRng;
pub use rand_xoshiro::SplitMix64 as NodeRng;
pub use rand_xoshiro::Xoshiro256PlusPlus as Rng64;

/// Well-known purposes, so a typo cannot silently create a new stream.
pub mod purpose {
    /// Network generators.
    pub const NETWORK: &str = "network";
    /// Assignment of roles (friends, interest mix) to the population.
    pub const POPULATION: &str = "population";
    /// Seeding strategies (random picks, Monte Carlo inside greedy/RIS).
    pub const SEEDING: &str = "seeding";
    /// Propagation dynamics of one replicate (shared by all strategies).
    pub const DYNAMICS: &str = "dynamics";
    /// Posterior draws of `womsim fit`'s likelihood and Bass fits (normal approximations).
    pub const FIT_POSTERIOR: &str = "fit-posterior";
    /// ABC-SMC proposals: prior draws and perturbations (`fit::abc`).
    pub const ABC: &str = "abc";
    /// ABC-SMC: the simulation key of one proposal (`fit::abc`).
    pub const ABC_SIM: &str = "abc-sim";
    /// Synthetic data sets drawn to validate fits (calibration campaigns).
    pub const FIT_SYNTHETIC: &str = "fit-synthetic";
    /// Parameter draws of an `[uncertain]` scenario: `(seed, "uncertain",
    /// [hash_str(key), draw])`, keyed by the key's name so that draws do not
    /// depend on the order of keys in the file.
    pub const UNCERTAIN: &str = "uncertain";
    /// Sensitivity designs (Sobol's A and B matrices, Morris trajectories)
    /// and the bootstrap resamples of their indices' CIs
    /// ([`crate::scenario::uncertain::Design`], [`crate::sensitivity`]).
    pub const SENSITIVITY: &str = "sensitivity";
}

/// SplitMix64 finaliser: a bijective 64-bit mixer (Steele, Lea & Flood 2014).
#[inline]
pub fn mix64(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// FNV-1a 64-bit hash of a purpose string.
pub fn hash_str(s: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in s.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}

/// Derive a 64-bit key from a seed, a purpose and any number of parts.
pub fn derive_key(seed: u64, purpose: &str, parts: &[u64]) -> u64 {
    let mut k = mix64(seed ^ mix64(hash_str(purpose)));
    for &p in parts {
        k = mix64(k ^ mix64(p.wrapping_add(0x632B_E59B_D9B4_E019)));
    }
    k
}

/// A generator for `(seed, purpose, parts…)`.
pub fn stream(seed: u64, purpose: &str, parts: &[u64]) -> Rng64 {
    Rng64::seed_from_u64(derive_key(seed, purpose, parts))
}

/// A generator for a sub-key (e.g. one node within one replicate's dynamics).
///
/// Cost: one SplitMix64 expansion (four multiply-xorshift rounds), so it is
/// cheap enough to create one per activated node in the hot loop.
#[inline]
pub fn substream(key: u64, part: u64) -> Rng64 {
    Rng64::seed_from_u64(mix64(key ^ mix64(part.wrapping_add(0x632B_E59B_D9B4_E019))))
}

/// Per-node stream tags inside one replicate's dynamics (see [`node_stream`]).
pub mod tag {
    /// Message draws of a talker with one share probability `p` for all its
    /// listeners (IC with uniform `p`, IC-N, the relationship-chain model):
    /// geometric skip sampling over the listener row in ascending order,
    /// already-reached listeners included (so the draws never depend on
    /// anyone else's state). With `w₁, w₂, …` the successive draws
    /// `1 - uniform` and `G(w) = max{g : w <= (1 - p)^g}` (the powers
    /// computed by repeated multiplication from 1; the exact rule, including
    /// its logarithm fallback far out in the tail, is `models::kernel::gaps::Gaps`), the
    /// successes are at indices `G(w₁)`, `G(w₁) + 1 + G(w₂)`, … while they
    /// fall in the row: one draw per row plus one per success, each listener
    /// independently succeeding with probability `p`. `p = 0` draws nothing.
    /// Per-arc probabilities (IC with weights or `1/in-degree`) instead draw
    /// one `uniform < p(u, v)` per listener, in ascending order.
    pub const SHARE: u64 = 1;
    /// A person's own experience after acting (`uniform < quality` = good).
    pub const EXPERIENCE: u64 = 2;
    /// Decisions to act on what was heard.
    pub const ACT: u64 = 3;
    /// Recovery / end of talking (SIR's gamma, etc.).
    pub const RECOVER: u64 = 4;
    /// Thresholds and other per-node constants drawn once per replicate.
    pub const THRESHOLD: u64 = 5;
    /// Trickle-down: conversion to friend, recruitment to ambassador.
    pub const TRICKLE: u64 = 6;
    /// Attention dilution (relationship chain): per message a talker's SHARE
    /// protocol picks, in listener-row order, one draw `< d_share` to keep
    /// it (when its share factor is below 1), then, for a kept good message,
    /// one draw `< d_persuade` for it to be able to persuade (when its
    /// persuasion factor is below 1).
    pub const DILUTE: u64 = 7;
}

/// The stream of node `node` for purpose `tag` at step `step` of the
/// replicate whose dynamics key is `key`.
///
/// Counter-based streams per (node, purpose, step) are what make common
/// random numbers work *inside* the dynamics: node u's coins at step t are
/// the same whichever strategy is running and whatever else happened, so two
/// strategies differ only through who is talking, not through a shifted
/// sequence of draws. IC-N and the relationship-chain model use the same tags
/// so that, with the chain model's extras switched off, their draws line up
/// replicate by replicate.
///
/// **Generator.** The stream key is
/// `k = key ^ mix64(tag·0xD6E8FEB86659FD93 ^ (node << 32 | step))` (`key` is
/// itself a mixed 64-bit value, [`derive_key`]) and
/// the stream is SplitMix64 started at `k` (Steele, Lea & Flood 2014, as in
/// `rand_xoshiro::SplitMix64`): draw `i` (from 0) is `mix64(k + i·γ)` with
/// `γ = 0x9E3779B97F4A7C15`, i.e. a counter-based generator with a 2⁶⁴
/// period that passes BigCrush. Node streams are short (a few draws:
/// one per success plus one) and created once per active node per step — the
/// simulators' hottest operation — so this costs one mix per draw and none to
/// seed beyond the one that hashes (tag, node, step), where Xoshiro256++
/// would cost four more (its state is filled by SplitMix64 anyway). Two streams overlap only if their keys are
/// within a few multiples of `γ` of each other, which for hashed keys has
/// probability about (streams² × draws) / 2⁶⁴. Long-lived streams
/// ([`stream`]) stay Xoshiro256++.
#[inline]
pub fn node_stream(key: u64, tag: u64, node: u32, step: u32) -> NodeRng {
    NodeRng::seed_from_u64(node_key(key, tag, node, step))
}

/// The SplitMix64 state `k` that [`node_stream`] starts from, for hot loops
/// that keep the counter themselves: draw `i` of the stream is
/// `mix64(k + i·γ)` ([`NODE_GAMMA`]).
#[inline(always)]
pub fn node_key(key: u64, tag: u64, node: u32, step: u32) -> u64 {
    key ^ mix64(tag.wrapping_mul(0xD6E8_FEB8_6659_FD93) ^ (u64::from(node) << 32 | u64::from(step)))
}

/// SplitMix64's increment γ: a node stream's counter advances by it per draw.
pub const NODE_GAMMA: u64 = 0x9E37_79B9_7F4A_7C15;

/// Uniform f64 in [0, 1) from the top 53 bits.
#[inline]
pub fn uniform<R: rand::Rng + ?Sized>(rng: &mut R) -> f64 {
    (rng.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
}

/// The integer form of a coin: for a draw `x = next_u64()`,
/// `uniform(x) < p` exactly when `(x >> 11) < coin_threshold(p)` (since
/// `uniform` is `(x >> 11)·2⁻⁵³` and scaling by 2⁵³ is exact, the threshold
/// is `ceil(p·2⁵³)`). Lets hot loops skip the float conversion without
/// changing a single outcome. `p` outside [0, 1] (or NaN) acts as clamped
/// (NaN as 0).
#[inline]
pub fn coin_threshold(p: f64) -> u64 {
    if p.is_nan() || p <= 0.0 {
        0
    } else if p >= 1.0 {
        1 << 53
    } else {
        // ceil without a libm call: the product is exact and below 2⁵³.
        // (via i64: the value is below 2⁵³, and signed conversions are
        // single instructions on x86-64 where unsigned ones are not).
        let x = p * (1u64 << 53) as f64;
        let t = x as i64;
        (if (t as f64) < x { t + 1 } else { t }) as u64
    }
}

/// Bernoulli trial with probability `p` (exactly `uniform < p`).
#[inline]
pub fn coin<R: rand::Rng + ?Sized>(rng: &mut R, p: f64) -> bool {
    uniform(rng) < p
}

/// Uniform integer in `0..n` (Lemire's nearly-divisionless method, unbiased).
#[inline]
pub fn below<R: rand::Rng + ?Sized>(rng: &mut R, n: u64) -> u64 {
    debug_assert!(n > 0);
    let mut m = u128::from(rng.next_u64()) * u128::from(n);
    if (m as u64) < n {
        let t = n.wrapping_neg() % n;
        while (m as u64) < t {
            m = u128::from(rng.next_u64()) * u128::from(n);
        }
    }
    (m >> 64) as u64
}

/// Number of failures before the first success of a Bernoulli(`p`) sequence,
/// i.e. the gap to skip in geometric skip sampling. `ln_q` must be
/// `ln(1 - p)` (precomputed by the caller, since it is loop-invariant).
/// Returns `u64::MAX` when `p == 0`.
#[inline]
pub fn geometric_gap<R: rand::Rng + ?Sized>(rng: &mut R, ln_q: f64) -> u64 {
    if ln_q == 0.0 {
        return u64::MAX;
    }
    if ln_q == f64::NEG_INFINITY {
        return 0;
    }
    // 1 - U is in (0, 1], so the log is finite.
    let u = 1.0 - uniform(rng);
    // The ratio is >= 0, so the truncating cast is the floor (without a libm
    // call); it saturates at u64::MAX.
    (u.ln() / ln_q) as u64
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::Rng as _;

    #[test]
    fn streams_are_reproducible_and_distinct() {
        let a: Vec<u64> =
            (0..4).map(|_| 0).scan(stream(7, purpose::DYNAMICS, &[3]), |r, _: u64| Some(r.next_u64())).collect();
        let b: Vec<u64> =
            (0..4).map(|_| 0).scan(stream(7, purpose::DYNAMICS, &[3]), |r, _: u64| Some(r.next_u64())).collect();
        let c: Vec<u64> =
            (0..4).map(|_| 0).scan(stream(7, purpose::SEEDING, &[3]), |r, _: u64| Some(r.next_u64())).collect();
        assert_eq!(a, b);
        assert_ne!(a, c);
        assert_ne!(derive_key(1, "x", &[1, 2]), derive_key(1, "x", &[2, 1]));
    }

    #[test]
    fn xoshiro_matches_reference_output() {
        // Reference: xoshiro256++ with state [1, 2, 3, 4] (Vigna's test vector
        // as used by rand_xoshiro's own tests).
        let mut r = Rng64::from_seed([
            1, 0, 0, 0, 0, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 3, 0, 0, 0, 0, 0, 0, 0, 4, 0, 0, 0, 0, 0, 0, 0,
        ]);
        let expected = [41943041u64, 58720359, 3588806011781223, 3591011842654386];
        for e in expected {
            assert_eq!(r.next_u64(), e);
        }
    }

    #[test]
    fn node_streams_are_splitmix64_counters() {
        // Draw i of a node stream is mix64(k + i·γ) for the documented key k.
        let (key, tag, node, step) = (0x1234_5678_9ABC_DEF0u64, tag::SHARE, 77u32, 3u32);
        let k = key ^ mix64(tag.wrapping_mul(0xD6E8_FEB8_6659_FD93) ^ (u64::from(node) << 32 | u64::from(step)));
        let mut r = node_stream(key, tag, node, step);
        assert_eq!(node_key(key, tag, node, step), k);
        for i in 0..5u64 {
            assert_eq!(r.next_u64(), mix64(k.wrapping_add(i.wrapping_mul(0x9E37_79B9_7F4A_7C15))));
        }
        // Distinct (tag, node, step) give distinct streams.
        let first = |t, n, s| node_stream(key, t, n, s).next_u64();
        let all = [first(1, 0, 1), first(2, 0, 1), first(1, 1, 1), first(1, 0, 2), first(1, 1, 0)];
        for i in 0..all.len() {
            for j in 0..i {
                assert_ne!(all[i], all[j]);
            }
        }
    }

    #[test]
    fn geometric_gap_has_the_right_mean() {
        let p: f64 = 0.1;
        let ln_q = (1.0 - p).ln();
        let mut r = stream(1, "test", &[]);
        let n = 200_000;
        let s: u64 = (0..n).map(|_| geometric_gap(&mut r, ln_q)).sum();
        let mean = s as f64 / n as f64;
        // E[gap] = (1-p)/p = 9, sd = sqrt(1-p)/p ≈ 9.49; 5 standard errors.
        assert!((mean - 9.0).abs() < 5.0 * 9.49 / (n as f64).sqrt(), "mean {mean}");
    }

    #[test]
    fn coin_threshold_is_exactly_uniform_less_than_p() {
        let mut r = stream(3, "test", &[]);
        let ps = [0.0, 1e-300, 1e-9, 0.05, 0.1, 0.2, 1.0 / 3.0, 0.5, 0.999_999, 1.0, 1.5, -0.2];
        let check = |x: u64| {
            for &p in &ps {
                let u = (x >> 11) as f64 * (1.0 / (1u64 << 53) as f64);
                assert_eq!(u < p, (x >> 11) < coin_threshold(p), "x {x:#x} p {p}");
            }
        };
        for _ in 0..50_000 {
            check(r.next_u64());
        }
        // Draws exactly at and next to the thresholds.
        for &p in &ps[..10] {
            let t = coin_threshold(p);
            for j in [t.saturating_sub(1), t, t + 1] {
                check(j.min((1 << 53) - 1) << 11);
            }
        }
    }

    #[test]
    fn below_is_in_range_and_uniformish() {
        let mut r = stream(1, "test", &[]);
        let mut counts = [0u32; 7];
        for _ in 0..70_000 {
            counts[below(&mut r, 7) as usize] += 1;
        }
        for c in counts {
            assert!((c as i64 - 10_000).abs() < 500, "{counts:?}");
        }
    }
}
