//! The matmul verifier.

use zkinfer_field::EF;
use zkinfer_sumcheck::ProductSum;
use zkinfer_transcript::FiatShamir;

use super::prove::split_point;
use super::{LABEL_BIAS, MatMulClaims, MatMulProof, MatMulShape};
use crate::{Claim, LayerError};

const LAYER: &str = "matmul";

/// Verifies `proof` for `claim` about `prod = w x + bias`; returns the claims about `w`, `x` and
/// the bias, which the caller must settle.
pub fn verify(
    shape: MatMulShape,
    claim: &Claim,
    proof: &MatMulProof,
    transcript: &mut impl FiatShamir<EF>,
) -> Result<MatMulClaims, LayerError> {
    let (r_o, r_p) = split_point(shape, &claim.point)?;
    let bias_eval = match (shape.has_bias, proof.bias_eval) {
        (true, Some(b)) => {
            transcript.observe(LABEL_BIAS, &[b]);
            Some(b)
        }
        (false, None) => None,
        (expected, _) => {
            return Err(LayerError::PartCount {
                layer: LAYER,
                expected: usize::from(expected),
                got: usize::from(!expected),
            });
        }
    };
    let instance = ProductSum::product(shape.k_vars, 2);
    let sum = claim.value - bias_eval.unwrap_or_default();
    let evals = [proof.weight_eval, proof.input_eval];
    let r_k =
        zkinfer_sumcheck::verify_with_evals(&instance, sum, &proof.sumcheck, &evals, transcript)
            .map_err(|source| LayerError::Sumcheck {
                layer: LAYER,
                source,
            })?;
    Ok(MatMulClaims {
        weight: Claim {
            point: [r_o, &r_k].concat(),
            value: proof.weight_eval,
        },
        input: Claim {
            point: [&r_k, r_p].concat(),
            value: proof.input_eval,
        },
        bias: bias_eval.map(|value| Claim {
            point: r_o.to_vec(),
            value,
        }),
    })
}
