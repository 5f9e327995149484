//! The matmul prover; it follows [`super::verify`] step for step.

use zkinfer_field::{EF, F, PrimeCharacteristicRing};
use zkinfer_poly::eq_table;
use zkinfer_sumcheck::zk::masked::Table;
use zkinfer_transcript::FiatShamir;

use super::{LABEL_BIAS, LAYER, MatMulClaims, MatMulProof, MatMulShape, check_tables, claims};
use crate::claim::observe_claims;
use crate::mode::Mode;
use crate::{Claim, ClaimValue, LayerError, mle_eval};

/// Proves `claim` about `prod = w x + bias` at a point `(r_o, r_p)`. In zero knowledge `secrets`
/// matches [`super::shape`] and is committed under `ids`, as is every vector `hidden` returns.
/// Returns the proof and the claims [`super::verify`] returns.
#[allow(clippy::too_many_arguments)]
pub fn prove<'h, M: Mode>(
    shape: MatMulShape,
    w: &[F],
    x: &[F],
    bias: Option<&[F]>,
    claim: &Claim<M::Value>,
    ids: &M::Ids,
    mut secrets: M::Secrets,
    hidden: &dyn Fn(usize) -> Option<&'h [F]>,
    transcript: &mut impl FiatShamir<EF>,
) -> Result<(MatMulProof<M>, MatMulClaims<M::Value>), LayerError> {
    let zk_shape = super::shape(shape);
    M::check_ids(LAYER, &zk_shape, ids)?;
    check_tables(shape, w, x, bias)?;
    let randomizer = M::randomizers(LAYER, &zk_shape, &mut secrets)?
        .into_iter()
        .next();
    let (o, k, p) = (shape.o_vars, shape.k_vars, shape.p_vars);
    observe_claims(LAYER, std::slice::from_ref(claim), o + p, transcript)?;
    let (r_o, r_p) = super::split_point(shape, &claim.point)?;
    let (k_len, p_len) = (1usize << k, 1usize << p);
    let eq_o = eq_table(r_o);
    let eq_p = eq_table(r_p);
    // w(r_o, k) and x(k, r_p) for every k.
    let mut w_r = vec![EF::ZERO; k_len];
    for (row, &e) in w.chunks(k_len).zip(&eq_o) {
        for (acc, &v) in w_r.iter_mut().zip(row) {
            *acc += e * v;
        }
    }
    let x_r: Vec<EF> = x
        .chunks(p_len)
        .map(|row| row.iter().zip(&eq_p).map(|(&v, &e)| e * v).sum())
        .collect();

    let bias_eval = bias.map(|b| mle_eval(b, r_o));
    if let Some(b) = bias_eval {
        transcript.observe(LABEL_BIAS, &[b]);
    }
    let claimed = claim
        .value
        .clone()
        .plus_known(-bias_eval.unwrap_or(EF::ZERO));
    let factors = vec![
        M::sent_factor(Table::Ext(w_r), randomizer),
        // The input's partial evaluation: the deferred factor (mode.rs).
        M::deferred_factor(Table::Ext(x_r)),
    ];
    let instance = super::instance::<M>(shape);
    let (sumcheck, sub) = M::prove_sumcheck(
        LAYER, &instance, factors, &claimed, secrets, hidden, transcript,
    )?;
    let claims = claims::<M>(shape, claim, bias_eval, ids, &sub)?;
    Ok((
        MatMulProof {
            bias_eval,
            sumcheck,
        },
        claims,
    ))
}
