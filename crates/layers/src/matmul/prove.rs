//! The matmul prover.

use zkinfer_field::{EF, F};
use zkinfer_poly::eq_table;
use zkinfer_sumcheck::ProductSum;
use zkinfer_transcript::FiatShamir;

use super::{LABEL_BIAS, MatMulClaims, MatMulProof, MatMulShape};
use crate::{Claim, LayerError, mle_eval};

/// Proves `claim` about `prod = w x + bias` at a point `(r_o, r_p)`.
pub fn prove(
    shape: MatMulShape,
    w: &[F],
    x: &[F],
    bias: Option<&[F]>,
    claim: &Claim,
    transcript: &mut impl FiatShamir<EF>,
) -> Result<(MatMulProof, MatMulClaims), LayerError> {
    let (r_o, r_p) = split_point(shape, &claim.point)?;
    let (k_len, p_len) = (1usize << shape.k_vars, 1usize << shape.p_vars);
    let eq_o = eq_table(r_o);
    let eq_p = eq_table(r_p);
    // w(r_o, k) and x(k, r_p) for every k.
    let mut w_r = vec![EF::default(); k_len];
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
    let (sumcheck, r_k, evals) = zkinfer_sumcheck::prove(
        &ProductSum::product(shape.k_vars, 2),
        vec![w_r, x_r],
        transcript,
    );
    let weight_eval = evals.first().copied().unwrap_or_default();
    let input_eval = evals.get(1).copied().unwrap_or_default();
    let claims = MatMulClaims {
        weight: Claim {
            point: [r_o, &r_k].concat(),
            value: weight_eval,
        },
        input: Claim {
            point: [&r_k, r_p].concat(),
            value: input_eval,
        },
        bias: bias_eval.map(|value| Claim {
            point: r_o.to_vec(),
            value,
        }),
    };
    Ok((
        MatMulProof {
            bias_eval,
            sumcheck,
            weight_eval,
            input_eval,
        },
        claims,
    ))
}

/// Splits a point on the `O x P` domain into `(r_o, r_p)`.
pub(super) fn split_point(shape: MatMulShape, point: &[EF]) -> Result<(&[EF], &[EF]), LayerError> {
    let expected = shape.o_vars + shape.p_vars;
    if point.len() != expected {
        return Err(LayerError::PointLength {
            layer: "matmul",
            expected,
            got: point.len(),
        });
    }
    Ok(point.split_at(shape.o_vars))
}
