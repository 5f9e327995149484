//! The verifier: [`crate::prove`]'s schedule from the layout, the claims and the proof alone.

use zkinfer_field::{EF, F, PrimeCharacteristicRing};
use zkinfer_pcs::{Commitment, HidingPcs};
use zkinfer_poly::{MultilinearPoly, eq_table};
use zkinfer_sumcheck::zk::MaskPoly;
use zkinfer_sumcheck::{ProductSum, observe_final_evals, verify_final, with_eq_factor};
use zkinfer_transcript::Transcript;

use crate::claim::{eval_weights, validate};
use crate::layout::REGION_SELECT_VARS;
use crate::proof::COMPANIONS;
use crate::{
    LABEL_BATCH, LABEL_CLAIM_VALUES, LABEL_COMPANIONS, LABEL_NUM_CLAIMS, LABEL_TAU, Layout,
    LinearClaim, MASK_VARS, OpeningProof, ZkError,
};

/// Absorbs the commitment to `Q` exactly as [`crate::commit`] did.
pub fn observe_commitment(
    pcs: &HidingPcs,
    layout: &Layout,
    commitment: &Commitment,
    transcript: &mut Transcript,
) -> Result<(), ZkError> {
    Ok(pcs.observe_commitment(commitment, layout.num_vars(), transcript)?)
}

/// Checks that `Q` (committed in `commitment`, observed before with [`observe_commitment`])
/// satisfies every claim. Never panics on a malformed proof.
pub fn verify(
    pcs: &HidingPcs,
    layout: &Layout,
    commitment: &Commitment,
    claims: &[LinearClaim],
    proof: &OpeningProof,
    transcript: &mut Transcript,
) -> Result<(), ZkError> {
    if claims.is_empty() {
        return Err(ZkError::NoClaims);
    }
    validate(layout, claims)?;
    let n = layout.num_vars();
    let values: Vec<EF> = claims.iter().map(|c| c.value).collect();
    transcript.observe_u64(LABEL_NUM_CLAIMS, claims.len() as u64);
    transcript.observe_ext(LABEL_CLAIM_VALUES, &values);
    let beta = transcript.sample_ext(LABEL_BATCH);
    let mut claimed = EF::ZERO;
    let mut scale = EF::ONE;
    for v in &values {
        claimed += scale * *v;
        scale *= beta;
    }

    // Step 3.
    let batch = |source| ZkError::Sumcheck {
        which: "batch",
        source,
    };
    let instance = with_eq_factor(&ProductSum::product(n, 1));
    let sub = zkinfer_sumcheck::zk::verify(&instance, claimed, &proof.batch, transcript)
        .map_err(batch)?;
    let z = sub.point.clone();
    let mut l_at_z = EF::ZERO;
    let mut scale = EF::ONE;
    for (c, claim) in claims.iter().enumerate() {
        for (t, term) in claim.terms.iter().enumerate() {
            l_at_z += scale * eval_weights(layout, c, t, term, &z)?;
        }
        scale *= beta;
    }
    observe_final_evals(transcript, &[proof.q_at_z]);
    let mask_claim = zkinfer_sumcheck::zk::verify_final(&instance, &sub, &[l_at_z, proof.q_at_z])
        .map_err(batch)?;

    // Step 4.
    let mask = |source| ZkError::Sumcheck {
        which: "mask",
        source,
    };
    if proof.companions.len() != COMPANIONS {
        return Err(ZkError::BadTerm {
            claim: 0,
            term: 0,
            what: format!(
                "proof has {} companion values, expected {COMPANIONS}",
                proof.companions.len()
            ),
        });
    }
    transcript.observe_ext(LABEL_COMPANIONS, &proof.companions);
    let tau = transcript.sample_ext_vec(LABEL_TAU, REGION_SELECT_VARS);
    let weights = eq_table(&tau);
    let slot_claim = weights.first().copied().unwrap_or(EF::ZERO) * mask_claim.value
        + weights
            .iter()
            .skip(1)
            .zip(&proof.companions)
            .map(|(&w, &u)| w * u)
            .sum::<EF>();
    let small = ProductSum::product(MASK_VARS, 2);
    let sub2 =
        zkinfer_sumcheck::verify(&small, slot_claim, &proof.mask, transcript).map_err(mask)?;
    let mut form = MaskPoly::<F, EF>::linear_form(2, &z);
    form.resize(1 << MASK_VARS, EF::ZERO);
    let form_at = MultilinearPoly::new(form)
        .and_then(|p| p.evaluate(&sub2.point))
        .map_err(|e| ZkError::Internal(e.to_string()))?;
    let finals = [form_at, proof.v_at_z];
    observe_final_evals(transcript, &finals);
    verify_final(&small, &sub2, &finals).map_err(mask)?;

    // Step 5.
    let points = vec![
        (z, proof.q_at_z),
        (layout.region_point(&tau, &sub2.point), proof.v_at_z),
    ];
    pcs.verify(commitment, n, &points, &proof.opening, transcript)?;
    Ok(())
}
