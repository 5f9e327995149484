//! Private input: the input is committed in its own hiding commitment `C_x`, which the statement
//! carries instead of the input, and linked to the copy in the proof's hidden commitment `Q`.
//!
//! `C_x` commits `X = [x, r_x]` (the padded input table and as many uniformly random entries) with
//! HVZK-WHIR, its masking randomness derived from a secret seed, so that whoever holds the
//! [`InputOpening`] (input, blinder, seed) recomputes `C_x`. After `Q` is committed the verifier
//! draws `(beta, z)`; the prover reveals `v = X~(beta, z) = (1 - beta) x~(z) + beta r_x~(z)`
//! (uniform because of `r_x`), opens `C_x` there once, and the same value becomes a linear claim on
//! `Q`'s copies of `x` and `r_x`. Both commitments are binding and `(beta, z)` is drawn after both,
//! so the copies equal the committed input except with probability `(n + 1) / |EF|`.

use rand::{CryptoRng, RngExt};
use serde::{Deserialize, Serialize};
use zkinfer_field::{EF, F, PrimeCharacteristicRing, PrimeField32, encode_signed};
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
/// has as many).
pub(crate) fn blinder_vars(input_vars: usize) -> usize {
    input_vars
}

/// Variables of the committed table `X = [x, r_x]`.
pub(crate) fn commitment_vars(input_vars: usize) -> usize {
    blinder_vars(input_vars) + 1
}

/// Draws the link point (after `C_x` and `Q` are observed): `(beta, z)`, one coordinate per
/// variable of `X`.
pub(crate) fn link_point(t: &mut Transcript, input_vars: usize) -> Vec<EF> {
    t.sample_ext_vec(LABEL_INPUT_POINT, commitment_vars(input_vars))
}

/// What the input's owner keeps: enough to recompute the input commitment of a proof.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InputOpening {
    /// The quantized input.
    pub input: Vec<i64>,
    /// Variables of the padded input table.
    pub num_vars: usize,
    /// The random half of the committed table (canonical field elements).
    pub blinder: Vec<u32>,
    /// The seed of the commitment's masking randomness, hex.
    pub seed: String,
}

impl InputOpening {
    /// The committed table `[x padded to 2^num_vars, r_x]`.
    pub fn table(&self) -> Result<Vec<F>, ProtocolError> {
        let n = 1usize
            .checked_shl(self.num_vars as u32)
            .filter(|&n| n >= self.input.len() && self.num_vars <= 24)
            .ok_or_else(|| ProtocolError::Malformed("input opening: bad num_vars".into()))?;
        if self.blinder.len() != n {
            return Err(ProtocolError::Malformed(format!(
                "input opening: {} blinder entries, expected {n}",
                self.blinder.len()
            )));
        }
        let mut t = Vec::with_capacity(2 * n);
        if self.input.len() > n {
            return Err(ProtocolError::Malformed(format!(
                "input opening: {} input values for {n} slots",
                self.input.len()
            )));
        }
        for &v in &self.input {
            t.push(
                encode_signed(v)
                    .map_err(|e| ProtocolError::Malformed(format!("input opening: {e}")))?,
            );
        }
        t.resize(n, F::ZERO);
        for &b in &self.blinder {
            if b >= F::ORDER_U32 {
                return Err(ProtocolError::Malformed(
                    "input opening: blinder entry is not a canonical field element".into(),
                ));
            }
            t.push(F::from_u32(b));
        }
        Ok(t)
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
    let mut t = Transcript::new(&Statement::new("zkinfer/input-commitment", 1));
    HidingPcs::new(hiding_params())
        .commit_seeded(table, seed, &mut t)
        .map_err(|source| ProtocolError::Pcs {
            what: "input",
            source,
        })
}

/// The prover's side: a fresh blinder and seed, the commitment, its opening data and the owner's
/// opening. `x` is the padded input table (`2^n` entries).
pub(crate) fn commit_input<R: CryptoRng + ?Sized>(
    input: &[i64],
    x: &[F],
    rng: &mut R,
) -> Result<(Commitment, HidingProverData, InputOpening, Vec<F>), ProtocolError> {
    let blinder: Vec<F> = (0..x.len()).map(|_| rng.random::<F>()).collect();
    let seed: [u8; 32] = rng.random();
    let opening = InputOpening {
        input: input.to_vec(),
        num_vars: x.len().trailing_zeros() as usize,
        blinder: blinder.iter().map(|b| b.as_canonical_u32()).collect(),
        seed: seed.iter().map(|b| format!("{b:02x}")).collect(),
    };
    let mut table = x.to_vec();
    table.extend_from_slice(&blinder);
    let (c, data) = commit(table, seed)?;
    Ok((c, data, opening, blinder))
}

/// The linear claim on `Q`'s copies (ids `x_id`, `r_id`) that the link value `v` at `(beta, z)`
/// imposes.
pub(crate) fn link_claim(point: &[EF], x_id: usize, r_id: usize, v: EF) -> FormClaim<EF> {
    let (beta, z) = match point.split_first() {
        Some((&b, z)) => (b, z.to_vec()),
        None => (EF::ZERO, vec![]),
    };
    FormClaim {
        form: Form::eval(EF::ONE - beta, x_id, z.clone()).plus(Form::eval(beta, r_id, z)),
        value: v,
    }
}
