//! Zero-knowledge batched range check: every entry of a virtual column built from hidden committed
//! columns lies in `[0, 2^bits)`, by LogUp (Haböck, eprint 2022/1530) in the fractional-sum GKR
//! form of Papini and Haböck (eprint 2023/1284, Sec. 3), revealing nothing about the columns or the
//! multiplicities. See docs/lookup.md for the plain protocol; this module masks it.
//!
//! # One merged tree
//!
//! The leaf layer has `2^D` entries in two sides of `2^h` slots, `h = D - 1`: leaf `(side, x)` is
//! entry `side 2^h + x`, so the side is the FIRST variable and is merged first (layer `k` merges
//! the first variable of layer `k+1`, as in crate::gkr). The root children `p_1(c), q_1(c)` are
//! then the sums over the leaves whose LAST variable, the least significant bit of `x`, is `c`:
//! each child holds half of the lookups and half of the table. Side 0 holds the lookups
//! `1 / (alpha - v[x])` for the `2^n_v` entries of the virtual column, side 1 the table
//! `-m[j] / (alpha - j)`, padding `0 / 1` elsewhere. The blinders sit in the last four slots
//! `x = 2^h - 4 .. 2^h` of the smaller side (the lookups' on a tie): `u / delta`, `-u / delta`,
//! `0 / delta_0`, `0 / delta_1` (`x` even, odd, even, odd), so child `c` holds one member of the
//! cancelling pair and its own `delta_c`. `h` is the least with `2^h >= 2^n_v, 2^bits` and
//! `2^h >= 2^small + 4` ([`ZkRangeSpec::side_vars`]): `h = max(n_v, bits)` when the sizes differ
//! and the smaller side has at least 2 variables or the larger at least 3; else (equal sizes, tiny
//! sides) `h = max(max(n_v, bits) + 1, 3)`.
//!
//! The signed sum is `sum_x 1/(alpha - v[x]) - sum_j m[j]/(alpha - j)` (the blinders cancel
//! exactly), zero iff LogUp holds. `u, delta, delta_0, delta_1` are uniform secret `EF` values:
//! the root children `q_1(c) = Q_c delta delta_c` (`Q_c` the product of child `c`'s other
//! denominators) and `p_1(0) = q_1(0) (S_0 + u/delta)` are then uniform, so the proof sends them in
//! the clear; `p_1(1)` follows from the root relation. Every leaf is in exactly one child, and
//! `q_1(c)` is the product of its leaf denominators, so the verifier's check
//! `q_1(0), q_1(1) != 0` rules out a zero leaf denominator (a zero blinder included), which would
//! zero that child's `q_1` and void the root relation.
//!
//! # Layers
//!
//! The claims on layer `k >= 1` at `r` are [`Symbolic`]: a public number plus a linear form in hidden
//! committed data. Layer `k -> k+1` is one masked sumcheck (`zkinfer_sumcheck::zk::masked`) over `k`
//! variables of `sum_x eq(r,x) [p0 q1 + p1 q0 + lambda q0 q1](x) = P + lambda Q`, with the four
//! halves `p0, p1, q0, q1` of layer `k+1` masked by randomizers and `eq` public. Its hidden constant
//! is `K = -(hidden(P) + lambda hidden(Q))`, so the public claimed value is the public part. Its
//! deferred claim `rho g(s) + K / 2^k = e` becomes a [`FormClaim`]; the revealed `T^(s)` give the
//! symbolic claims `p_{k+1}(mu, s) = (1-mu) (p0^(s) - <phi(s), c_p0>) + mu (...)` on layer `k+1`.
//! The leaf claims are linear in the columns, the multiplicities and the blinders: two more
//! [`FormClaim`]s. The caller proves every returned claim on its one hiding commitment.
//!
//! # Transcript schedule
//!
//! Precondition (docs/pitfalls.md, 3): the caller has bound the statement and observed the ONE hiding
//! commitment to every hidden vector (columns, multiplicities, blinder, masks, randomizers). Then:
//! observe [`labels::INSTANCE`], draw `alpha`, observe the root children [`labels::ROOT`], draw `mu`;
//! for `k = 1 .. D-1`: draw `lambda`, the masked sumcheck (`G`, `rho`, `k` rounds of 6 values, the
//! 4 final values), draw `mu`.
//!
//! # Hidden vectors and ids
//!
//! The caller names every hidden vector by an id ([`ZkRangeIds`]): its columns, the multiplicities,
//! the blinder (16 base-field entries: the coordinates of `u, delta, delta_0, delta_1`), and a
//! consecutive block from `first_random` for the masks and randomizers: layer `k` (`1 <= k < D`) uses
//! `first_random + 5 (k-1)` for its Libra mask and the next four for the randomizers of
//! `p0, p1, q0, q1` (each `k` `EF` coefficients, stored as `4k` coordinates).

mod claims;
mod prove;
mod randomness;
mod verify;

#[cfg(test)]
mod layout_tests;
#[cfg(test)]
mod soundness_tests;
#[cfg(test)]
mod tests;

pub use prove::{ProvedAt, prove, prove_at};
pub use randomness::ZkRangeRandomness;
pub use verify::{verify, verify_at};

use serde::{Deserialize, Serialize};
use thiserror::Error;
use zkinfer_field::{EF, EXT_DEGREE, F, PrimeCharacteristicRing, challenge_field_bits};
use zkinfer_sumcheck::SumcheckError;
use zkinfer_sumcheck::zk::MaskPoly;
use zkinfer_sumcheck::zk::masked::MaskedSumcheckProof;

#[cfg(doc)]
use zkinfer_sumcheck::zk::form::{FormClaim, Symbolic};

use crate::{MAX_LOOKUP_VARS, MAX_TABLE_BITS};

/// Transcript labels of the zero-knowledge range check.
pub mod labels {
    /// The public spec.
    pub const INSTANCE: &str = "logup.zk.instance";
    /// The LogUp challenge `alpha`.
    pub const ALPHA: &str = "logup.zk.alpha";
    /// The root children `[p_1(0), p_1(1), q_1(0), q_1(1)]`.
    pub const ROOT: &str = "logup.zk.root";
    /// The batching challenge of a layer's `P` and `Q`.
    pub const LAMBDA: &str = "logup.zk.lambda";
    /// The challenge that merges a layer's halves.
    pub const MU: &str = "logup.zk.mu";
}

/// Round degree of every layer sumcheck: `eq` (1) times two masked factors (2 each).
pub const LAYER_DEGREE: usize = 5;
/// Base-field length of the blinder vector: four `EF` values.
pub const BLINDER_LEN: usize = 4 * EXT_DEGREE;
/// Ids per layer in the consecutive block: the mask, then the randomizers of `p0, p1, q0, q1`.
pub const IDS_PER_LAYER: usize = 5;

/// One segment of the virtual column: `2^shift * column`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ZkSegment {
    /// Index of the committed column (into the caller's list).
    pub column: usize,
    /// Power of two the column is scaled by (`< bits`).
    pub shift: u32,
}

/// Public parameters. The virtual column has `2^n_v` entries, `n_v = column_vars + segment_vars`:
/// segment `j` (the most significant `segment_vars` index bits) holds `2^shift_j * column_j`, and
/// segments past the last are zero.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ZkRangeSpec {
    /// Variables of each committed column.
    pub column_vars: usize,
    /// The table is `[0, 2^bits)`.
    pub bits: usize,
    /// Number of committed columns.
    pub num_columns: usize,
    /// The virtual column's segments, in order.
    pub segments: Vec<ZkSegment>,
}

/// What the caller must sample and commit for one proof (besides columns and multiplicities).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ZkRangeShape {
    /// Depth `D` of the leaf layer.
    pub depth: usize,
    /// `(num_vars, degree)` of the Libra mask of layer `k = 1 .. D-1` (index `k - 1`).
    pub masks: Vec<(usize, usize)>,
    /// `EF` coefficients of each of the four randomizers of layer `k` (index `k - 1`): `k`.
    pub randomizer_coeffs: Vec<usize>,
    /// Base-field entries of the blinder vector.
    pub blinder_len: usize,
}

/// The ids of the hidden vectors (see the module docs for the consecutive block).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ZkRangeIds {
    /// Committed column `i` has id `columns[i]`.
    pub columns: Vec<usize>,
    /// The multiplicities (`2^bits` entries).
    pub multiplicities: usize,
    /// The blinder vector ([`BLINDER_LEN`] entries).
    pub blinder: usize,
    /// First id of the block of `5 (D-1)` mask and randomizer ids.
    pub first_random: usize,
}

/// A zero-knowledge range-check proof.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ZkRangeProof {
    /// `[p_1(0), p_1(1), q_1(0), q_1(1)]`.
    pub root: [EF; 4],
    /// The masked sumcheck of layer `k = 1 .. D-1` (index `k - 1`).
    pub layers: Vec<MaskedSumcheckProof<EF>>,
}

/// Why a zero-knowledge range check could not be proven, or was rejected.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ZkRangeError {
    /// The spec is out of bounds or inconsistent.
    #[error("spec: {0}")]
    Spec(String),
    /// The ids are missing, repeated or overflow.
    #[error("ids: {0}")]
    Ids(&'static str),
    /// The prover's witness or randomness does not fit the spec.
    #[error("witness: {0}")]
    Witness(&'static str),
    /// The proof has the wrong number of layers or values.
    #[error("malformed proof: {0}")]
    Shape(&'static str),
    /// A root denominator is zero (some leaf denominator vanished).
    #[error("root denominator is zero")]
    ZeroDenominator,
    /// The signed root fractions do not cancel.
    #[error("the fractional sums do not cancel")]
    RootSum,
    /// A layer sumcheck was rejected.
    #[error("layer {layer}: {source}")]
    Sumcheck {
        /// The layer `k` being reduced.
        layer: usize,
        /// The sumcheck's verdict.
        source: SumcheckError,
    },
}

// Shared by the verifier: no panics.
#[cfg_attr(
    not(test),
    deny(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::panic,
        clippy::indexing_slicing
    )
)]
impl ZkRangeSpec {
    /// Checks the sizes both sides rely on.
    pub fn check(&self) -> Result<(), ZkRangeError> {
        let bad = |s: String| Err(ZkRangeError::Spec(s));
        if self.bits == 0 || self.bits > MAX_TABLE_BITS {
            return bad(format!("table of {} bits", self.bits));
        }
        if self.segments.is_empty() || self.num_columns == 0 {
            return bad("no segments or no columns".into());
        }
        for s in &self.segments {
            if s.column >= self.num_columns || s.shift as usize >= self.bits {
                return bad(format!("segment {s:?} with {} columns", self.num_columns));
            }
        }
        // LogUp needs p > the number of lookups (Haböck 2022, Lemma 5).
        if self.column_vars > MAX_LOOKUP_VARS || self.lookup_vars() > MAX_LOOKUP_VARS {
            return bad(format!("2^{} lookups", self.lookup_vars()));
        }
        Ok(())
    }

    /// Variables that index the segment.
    pub fn segment_vars(&self) -> usize {
        self.segments
            .len()
            .max(1)
            .next_power_of_two()
            .trailing_zeros() as usize
    }

    /// `n_v`: variables of the virtual column.
    pub fn lookup_vars(&self) -> usize {
        self.column_vars.saturating_add(self.segment_vars())
    }

    /// `h`: variables of each side of the leaf layer (module docs), the least `h` with
    /// `2^h >= max(2^n_v, 2^bits)` and `2^h >= 2^small + 4`, `small = min(n_v, bits)`, so that the
    /// last four slots of the smaller side are free for the blinders.
    pub fn side_vars(&self) -> usize {
        let (n_v, bits) = (self.lookup_vars(), self.bits);
        let small = n_v.min(bits);
        // The least `h` with 2^h >= 2^small + 4: small + 1 from small = 2 on, 3 below.
        let room = if small >= 2 {
            small.saturating_add(1)
        } else {
            3
        };
        n_v.max(bits).max(room)
    }

    /// The side that holds the blinders: the smaller one, the lookups (0) on a tie.
    pub fn blinder_side(&self) -> usize {
        usize::from(self.bits < self.lookup_vars())
    }

    /// `D = h + 1`: variables of the leaf layer.
    pub fn depth(&self) -> usize {
        self.side_vars().saturating_add(1)
    }

    /// What the caller must sample and commit.
    pub fn shape(&self) -> ZkRangeShape {
        let layers = 1..self.depth();
        ZkRangeShape {
            depth: self.depth(),
            masks: layers.clone().map(|k| (k, LAYER_DEGREE)).collect(),
            randomizer_coeffs: layers.collect(),
            blinder_len: BLINDER_LEN,
        }
    }

    /// log2 of the soundness error (before the back end's): LogUp's Schwartz-Zippel in `alpha`,
    /// `(2^n_v + 2^bits) / |EF|`; `mu` at the root, `1 / |EF|`; per layer `k`, `lambda` and `mu`
    /// (`1 / |EF|` each) and the masked sumcheck (`(5k + 1) / |EF|`).
    pub fn soundness_error_log2(&self) -> f64 {
        let logup = 2f64.powi(self.lookup_vars() as i32) + 2f64.powi(self.bits as i32);
        let gkr: usize = 1 + (1..self.depth()).map(|k| 5 * k + 3).sum::<usize>();
        (logup + gkr as f64).log2() - challenge_field_bits()
    }

    /// Encoding of the spec for the transcript.
    pub(crate) fn encode(&self) -> Vec<EF> {
        [
            self.column_vars,
            self.bits,
            self.num_columns,
            self.segments.len(),
        ]
        .into_iter()
        .chain(
            self.segments
                .iter()
                .flat_map(|s| [s.column, s.shift as usize]),
        )
        .map(|v| EF::from(F::from_u64(v as u64)))
        .collect()
    }
}

impl ZkRangeShape {
    /// The `(id, base-field length)` of every random vector (blinder, masks, randomizers), in the
    /// order of [`ZkRangeRandomness::vectors`].
    pub fn random_vectors(&self, ids: &ZkRangeIds) -> Vec<(usize, usize)> {
        let mut out = vec![(ids.blinder, self.blinder_len)];
        for (i, (&(n, d), &c)) in self.masks.iter().zip(&self.randomizer_coeffs).enumerate() {
            let k = i + 1;
            out.push((ids.mask(k), MaskPoly::<F, EF>::num_coeffs(n, d)));
            out.extend(ids.randomizers(k).map(|id| (id, EXT_DEGREE * c)));
        }
        out
    }
}

#[cfg_attr(
    not(test),
    deny(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::panic,
        clippy::indexing_slicing
    )
)]
impl ZkRangeIds {
    /// The id of layer `k`'s Libra mask (`k >= 1`).
    pub fn mask(&self, k: usize) -> usize {
        self.first_random
            .wrapping_add(IDS_PER_LAYER.wrapping_mul(k.wrapping_sub(1)))
    }

    /// The ids of layer `k`'s randomizers of `p0, p1, q0, q1`.
    pub fn randomizers(&self, k: usize) -> [usize; 4] {
        let m = self.mask(k);
        [1, 2, 3, 4].map(|j| m.wrapping_add(j))
    }

    /// Checks that there is one id per column and that all ids are distinct (the random block
    /// included, without overflow).
    pub fn check(&self, spec: &ZkRangeSpec) -> Result<(), ZkRangeError> {
        if self.columns.len() != spec.num_columns {
            return Err(ZkRangeError::Ids("one id per column"));
        }
        let block = IDS_PER_LAYER * spec.depth().saturating_sub(1);
        let end = self
            .first_random
            .checked_add(block)
            .ok_or(ZkRangeError::Ids("the random block overflows"))?;
        let mut fixed: Vec<usize> = self.columns.clone();
        fixed.extend([self.multiplicities, self.blinder]);
        if fixed.iter().any(|id| (self.first_random..end).contains(id)) {
            return Err(ZkRangeError::Ids("an id falls in the random block"));
        }
        fixed.sort_unstable();
        if fixed.windows(2).any(|w| w.first() == w.get(1)) {
            return Err(ZkRangeError::Ids("repeated id"));
        }
        Ok(())
    }
}
