//! Private input: the input is committed in its own hiding commitment `C_x`, which the statement
//! carries instead of the input, and linked to the copy in the proof's hidden commitment `Q`.
//!
//! `C_x` commits, with HVZK-WHIR (masking randomness derived from a secret seed, so that whoever
//! holds the [`InputOpening`] recomputes `C_x`), the table on `n + 3` variables `(b, w, z)`
//!
//! `X = [x, 0, 0, 0, r_00, r_01, r_10, r_11]`
//!
//! (`x` the input padded to `2^n`, `r_ab` four blocks of `2^n` uniform entries, `r_x` their
//! concatenation). After `Q` is committed the verifier draws `(beta, z)`; the prover reveals
//!
//! `v = X~(beta, w*, z) = (1 - beta) eq(w*, 00) x~(z) + beta r_x~(w*, z)`
//!
//! at the fixed public `w* = (g, g^2)` ([`blinder_coords`]; `g` the root `EF` adjoins to `F`,
//! `g^4 = 3`), opens `C_x` there once, and the same value becomes a linear claim on `Q`'s copies
//! of `x` and `r_x`.
//!
//! **Hiding** (docs/pitfalls.md, 12: each revealed `EF` value is four base-field equations). `v` is
//! the only revealed value that depends on `X` (HVZK-WHIR reveals only the opened value, and the
//! link is the only claim on `r_x`), so the input is hidden iff `v` is independent of `x`. The
//! four values `eq(w*, ab)` are an `F`-basis of `EF` (they are `1, g, g^2, g^3` up to an
//! invertible integer matrix). Some `eq(z, i)` is non-zero (they sum to 1), so for `beta != 0` the
//! four coefficients `beta eq(z, i) eq(w*, ab)` of `r_ab[i]` are again a basis: the `F`-linear map
//! `r_x -> beta r_x~(w*, z)` is onto `EF` for **every** input size and every `z`, and with `r_x`
//! uniform, `v` is uniform whatever `x` is. Before, `r_x` had `2^n` entries and `v` was four
//! equations in `k + 2^n` unknowns: an input of 1 or 2 values was solved for exactly
//! (`input_tests.rs`). `beta = 0` (probability `1 / |EF|`) is the only exception.
//!
//! **Binding.** `(beta, z)` is drawn after `C_x` and `Q` are committed (`w*` is a constant), so
//! `X~(beta, w*, z) = (1 - beta) eq(w*, 00) x_Q~(z) + beta r_Q~(w*, z)` holds as a polynomial
//! identity in `(beta, z)` except with probability `(n + 1) / |EF|` (degree one in each of the
//! `n + 1` variables). Its `beta`-free part says `sum_ab eq(w*, ab) X_ab[i] = eq(w*, 00) x_Q[i]`
//! for every `i` (`X_ab` the quarters of `X`'s first half), all in `F`: since the `eq(w*, ab)` are
//! `F`-independent, `X`'s first half is exactly `[x_Q, 0, 0, 0]`. So the copy of the input the
//! proof uses is the committed input.

use rand::{CryptoRng, RngExt};
use serde::{Deserialize, Serialize};
use zkinfer_field::{
    BasedVectorSpace, EF, F, PrimeCharacteristicRing, PrimeField32, encode_signed,
};
use zkinfer_pcs::{Commitment, HidingPcs, HidingProverData};
use zkinfer_sumcheck::zk::form::{Form, FormClaim};
use zkinfer_transcript::{Statement, Transcript};

use zkinfer_layers::range::{MAX_RANGE_BITS, RangeSpec, Segment};

use crate::ProtocolError;
use crate::statement::hiding_params;

/// The range check that a private input lies in `[-B, B]` (`B` the input node's bound): the
/// columns `x + B` and `B - x`, each in `[0, 2^bits)` with `2^bits > 2B`, so both are non-negative
/// integers and `x` is within the bound the plan's static bounds assume (without it, a prover
/// could commit any field elements as the input).
pub(crate) fn input_range_spec(num_vars: usize, bound: i64) -> Result<RangeSpec, ProtocolError> {
    let span = bound
        .checked_mul(2)
        .and_then(|b| b.checked_add(1))
        .filter(|&s| s > 0)
        .ok_or_else(|| ProtocolError::Malformed(format!("input bound {bound}")))?;
    let bits = (64 - (span as u64 - 1).leading_zeros()).max(1) as usize;
    if bits > MAX_RANGE_BITS {
        return Err(ProtocolError::Unsupported(format!(
            "a private input with bound {bound} needs a {bits}-bit range check (at most \
             {MAX_RANGE_BITS})"
        )));
    }
    Ok(RangeSpec {
        num_vars,
        bits,
        columns: 2,
        segments: vec![
            Segment {
                column: 0,
                shift: 0,
            },
            Segment {
                column: 1,
                shift: 0,
            },
        ],
    })
}

/// The two range-checked columns `x + B` and `B - x` over the padded input table.
pub(crate) fn shifted_columns(x: &[F], bound: i64) -> Result<[Vec<F>; 2], ProtocolError> {
    let b: F = encode_signed(bound).map_err(|e| ProtocolError::Malformed(format!("bound: {e}")))?;
    Ok([
        x.iter().map(|&v| v + b).collect(),
        x.iter().map(|&v| b - v).collect(),
    ])
}

/// The identities tying the range-checked columns (ids `up`, `down`) to the input copy `x_id` at
/// the range check's point `r`: `(x + B)~(r) - x~(r) = B` and `(x + B)~(r) + (B - x)~(r) = 2B`.
pub(crate) fn range_identities(
    r: &[EF],
    x_id: usize,
    up: usize,
    down: usize,
    bound: i64,
) -> Result<[FormClaim<EF>; 2], ProtocolError> {
    let b = EF::from(
        encode_signed::<F>(bound).map_err(|e| ProtocolError::Malformed(format!("bound: {e}")))?,
    );
    Ok([
        FormClaim {
            form: Form::eval(EF::ONE, up, r.to_vec()).plus(Form::eval(-EF::ONE, x_id, r.to_vec())),
            value: b,
        },
        FormClaim {
            form: Form::eval(EF::ONE, up, r.to_vec()).plus(Form::eval(EF::ONE, down, r.to_vec())),
            value: b + b,
        },
    ])
}

/// Transcript label of the link point `(beta, z)`.
pub(crate) const LABEL_INPUT_POINT: &str = "model.zk.input_point";
/// Transcript label of the link value.
pub(crate) const LABEL_INPUT_VALUE: &str = "model.zk.input_value";

/// Variables of the blinder `r_x` for an input table of `input_vars` variables (its copy in `Q`
/// has as many): four blocks of the input's size, so that the link value has four independent
/// base-field blinders behind it whatever the input's size (module doc).
pub(crate) fn blinder_vars(input_vars: usize) -> usize {
    input_vars + 2
}

/// Variables of the private input's vectors in `Q`, in id order: the input's copy, the blinder,
/// the range check's two shifted columns and its multiplicities.
pub(crate) fn q_vars(input_vars: usize, range_bits: usize) -> [usize; 5] {
    [
        input_vars,
        blinder_vars(input_vars),
        input_vars,
        input_vars,
        range_bits,
    ]
}

/// Variables of the committed table `X = [x, 0, 0, 0, r_x]`.
pub(crate) fn commitment_vars(input_vars: usize) -> usize {
    blinder_vars(input_vars) + 1
}

/// The fixed coordinates `w* = (g, g^2)` of the blinder's block variables in the link point (`X`
/// the generator of `EF` over `F`): `eq(w*, ab)` for `ab` in `{0, 1}^2` is an `F`-basis of `EF`.
pub(crate) fn blinder_coords() -> [EF; 2] {
    let power = |k: usize| EF::from_basis_coefficients_fn(|i| F::from_bool(i == k));
    [power(1), power(2)]
}

/// Draws the link point (after `C_x` and `Q` are observed): `(beta, w*, z)`, with `(beta, z)`
/// from the transcript and `w*` the fixed [`blinder_coords`].
pub(crate) fn link_point(t: &mut Transcript, input_vars: usize) -> Vec<EF> {
    let drawn = t.sample_ext_vec(LABEL_INPUT_POINT, input_vars + 1);
    let (beta, z) = drawn.split_at(drawn.len().min(1));
    [beta, &blinder_coords(), z].concat()
}

/// The committed table: `x` (`2^n` entries) at block `w = 00` of the first half, zeros in the
/// other three blocks, then the blinder (`4 * 2^n` entries).
pub(crate) fn committed_table(x: &[F], blinder: &[F]) -> Vec<F> {
    let mut t = Vec::with_capacity(8 * x.len());
    t.extend_from_slice(x);
    t.resize(4 * x.len(), F::ZERO);
    t.extend_from_slice(blinder);
    t
}

/// Version of the [`InputOpening`] file (JSON) and of the committed table's layout: 1 was
/// `[x, r_x]` with `2^n` blinder entries (an input of 1 or 2 values was recoverable from the
/// proof), 2 is `[x, 0, 0, 0, r_x]` with `4 * 2^n` (module doc). Files without the field are
/// version 1.
pub const INPUT_OPENING_VERSION: u32 = 2;

fn version_1() -> u32 {
    1
}

/// What the input's owner keeps: enough to recompute the input commitment of a proof.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InputOpening {
    /// Layout version ([`INPUT_OPENING_VERSION`]); an opening of another version is refused.
    #[serde(default = "version_1")]
    pub version: u32,
    /// The quantized input.
    pub input: Vec<i64>,
    /// Variables of the padded input table.
    pub num_vars: usize,
    /// The random half of the committed table, `4 * 2^num_vars` canonical field elements.
    pub blinder: Vec<u32>,
    /// The seed of the commitment's masking randomness, hex.
    pub seed: String,
}

impl InputOpening {
    /// The committed table `[x padded to 2^num_vars, 0, 0, 0, blinder]` (three zero blocks of
    /// `2^num_vars`).
    pub fn table(&self) -> Result<Vec<F>, ProtocolError> {
        if self.version != INPUT_OPENING_VERSION {
            return Err(ProtocolError::Malformed(format!(
                "input opening: version {}, this program reads version {INPUT_OPENING_VERSION}",
                self.version
            )));
        }
        let n = 1usize
            .checked_shl(self.num_vars as u32)
            .filter(|&n| n >= self.input.len() && self.num_vars <= 24)
            .ok_or_else(|| ProtocolError::Malformed("input opening: bad num_vars".into()))?;
        if self.blinder.len() != 4 * n {
            return Err(ProtocolError::Malformed(format!(
                "input opening: {} blinder entries, expected {}",
                self.blinder.len(),
                4 * n
            )));
        }
        let mut x = Vec::with_capacity(n);
        for &v in &self.input {
            x.push(
                encode_signed(v)
                    .map_err(|e| ProtocolError::Malformed(format!("input opening: {e}")))?,
            );
        }
        x.resize(n, F::ZERO);
        let mut blinder = Vec::with_capacity(4 * n);
        for &b in &self.blinder {
            if b >= F::ORDER_U32 {
                return Err(ProtocolError::Malformed(
                    "input opening: blinder entry is not a canonical field element".into(),
                ));
            }
            blinder.push(F::from_u32(b));
        }
        Ok(committed_table(&x, &blinder))
    }

    fn seed_bytes(&self) -> Result<[u8; 32], ProtocolError> {
        let bad =
            || ProtocolError::Malformed("input opening: the seed is not 64 hex digits".into());
        if self.seed.len() != 64 {
            return Err(bad());
        }
        let mut out = [0u8; 32];
        for (i, o) in out.iter_mut().enumerate() {
            *o = u8::from_str_radix(self.seed.get(2 * i..2 * i + 2).ok_or_else(bad)?, 16)
                .map_err(|_| bad())?;
        }
        Ok(out)
    }

    /// Recomputes the input commitment.
    pub fn commitment(&self) -> Result<Commitment, ProtocolError> {
        Ok(commit(self.table()?, self.seed_bytes()?)?.0)
    }
}

/// Commits `table` with masking randomness from `seed`, on a transcript of its own (the commitment
/// is made before the proof's statement, which contains it).
fn commit(table: Vec<F>, seed: [u8; 32]) -> Result<(Commitment, HidingProverData), ProtocolError> {
    let mut t = Transcript::new(&Statement::new(
        "zkinfer/input-commitment",
        INPUT_OPENING_VERSION,
    ));
    HidingPcs::new(hiding_params())
        .commit_seeded(table, seed, &mut t)
        .map_err(|source| ProtocolError::Pcs {
            what: "input",
            source,
        })
}

/// The prover's side: a fresh blinder and seed, the commitment, its opening data and the owner's
/// opening. `x` is the padded input table (`2^n` entries); the blinder has `4 * 2^n`.
pub(crate) fn commit_input<R: CryptoRng + ?Sized>(
    input: &[i64],
    x: &[F],
    rng: &mut R,
) -> Result<(Commitment, HidingProverData, InputOpening, Vec<F>), ProtocolError> {
    let blinder: Vec<F> = (0..4 * x.len()).map(|_| rng.random::<F>()).collect();
    let seed: [u8; 32] = rng.random();
    let opening = InputOpening {
        version: INPUT_OPENING_VERSION,
        input: input.to_vec(),
        num_vars: x.len().trailing_zeros() as usize,
        blinder: blinder.iter().map(|b| b.as_canonical_u32()).collect(),
        seed: seed.iter().map(|b| format!("{b:02x}")).collect(),
    };
    let (c, data) = commit(committed_table(x, &blinder), seed)?;
    Ok((c, data, opening, blinder))
}

/// The linear claim on `Q`'s copies (ids `x_id` on `n` variables, `r_id` on `n + 2`) that the
/// link value `v` at [`link_point`] `(beta, w*, z)` imposes:
/// `(1 - beta) eq(w*, 00) x~(z) + beta r_x~(w*, z) = v`.
pub(crate) fn link_claim(point: &[EF], x_id: usize, r_id: usize, v: EF) -> FormClaim<EF> {
    let (beta, rest) = match point.split_first() {
        Some((&b, rest)) => (b, rest),
        None => (EF::ZERO, &[][..]),
    };
    let (w, z) = rest.split_at(rest.len().min(2));
    let eq_w_00: EF = w.iter().map(|&c| EF::ONE - c).product();
    FormClaim {
        form: Form::eval((EF::ONE - beta) * eq_w_00, x_id, z.to_vec()).plus(Form::eval(
            beta,
            r_id,
            rest.to_vec(),
        )),
        value: v,
    }
}
