//! The prover: commit to `Q`, then settle the claims. It follows [`crate::verify`] step for step.

use rand::distr::{Distribution, StandardUniform};
use rand::{CryptoRng, RngExt};
use zkinfer_field::{EF, F, PrimeCharacteristicRing};
use zkinfer_pcs::{Commitment, HidingPcs, HidingProverData};
use zkinfer_poly::eq_table;
use zkinfer_sumcheck::ProductSum;
use zkinfer_sumcheck::zk::{MaskPoly, prove_weighted};
use zkinfer_transcript::Transcript;

use crate::claim::{accumulate, validate};
use crate::layout::REGION_SELECT_VARS;
use crate::proof::COMPANIONS;
use crate::{
    LABEL_BATCH, LABEL_CLAIM_VALUES, LABEL_COMPANIONS, LABEL_NUM_CLAIMS, LABEL_TAU, Layout,
    LinearClaim, MASK_VARS, OpeningProof, ZkError,
};

/// What the prover keeps between [`commit`] and [`prove`]. Not `Clone`: `Q` is opened once.
pub struct Committed {
    layout: Layout,
    q: Vec<F>,
    data: HidingProverData,
    mask: MaskPoly<F, EF>,
}

impl Committed {
    /// The committed vector (the caller's segments, blinding, mask region).
    pub fn values(&self) -> &[F] {
        &self.q
    }
}

/// Builds `Q` from the caller's segments (one per segment of `layout`, each at most its size),
/// fills the blinding block and the mask region from `rng`, commits with the hiding PCS and
/// observes the commitment.
///
/// `rng` must be a CSPRNG seeded from the operating system: the randomness is what hides.
pub fn commit<R: CryptoRng + ?Sized>(
    pcs: &HidingPcs,
    layout: &Layout,
    segments: &[&[F]],
    rng: &mut R,
    transcript: &mut Transcript,
) -> Result<(Commitment, Committed), ZkError>
where
    StandardUniform: Distribution<F>,
{
    commit_inner(pcs, layout, segments, Blinding::Random(rng), transcript)
}

/// Where the back end's own randomness comes from.
pub(crate) enum Blinding<'a, R: ?Sized> {
    Random(&'a mut R),
    /// All blinding, mask and companion entries zero: the "masks off" reference for tests.
    #[cfg(test)]
    Zero,
}

pub(crate) fn commit_inner<R: CryptoRng + ?Sized>(
    pcs: &HidingPcs,
    layout: &Layout,
    segments: &[&[F]],
    blinding: Blinding<'_, R>,
    transcript: &mut Transcript,
) -> Result<(Commitment, Committed), ZkError>
where
    StandardUniform: Distribution<F>,
{
    if segments.len() != layout.segments().len() {
        return Err(ZkError::SegmentCount {
            expected: layout.segments().len(),
            got: segments.len(),
        });
    }
    let n = layout.num_vars();
    let mut q = vec![F::ZERO; 1 << n];
    for (s, values) in segments.iter().enumerate() {
        layout.place(&mut q, s, values)?;
    }
    let (blind, region) = (layout.blind(), layout.region());
    let mask = match blinding {
        Blinding::Random(rng) => {
            let mask = MaskPoly::<F, EF>::random(n, 2, rng);
            for v in slice_mut(&mut q, blind.offset, blind.len())? {
                *v = rng.random::<F>();
            }
            // Slots 1..8 of the region: the companions.
            let slot = 1 << MASK_VARS;
            for v in slice_mut(&mut q, region.offset + slot, region.len() - slot)? {
                *v = rng.random::<F>();
            }
            mask
        }
        #[cfg(test)]
        Blinding::Zero => MaskPoly::zero(n, 2),
    };
    let coeffs = mask.coeffs();
    slice_mut(&mut q, region.offset, coeffs.len())?.copy_from_slice(&coeffs);
    let (commitment, data) = pcs.commit(q.clone(), transcript)?;
    Ok((
        commitment,
        Committed {
            layout: layout.clone(),
            q,
            data,
            mask,
        },
    ))
}

fn slice_mut(q: &mut [F], offset: usize, len: usize) -> Result<&mut [F], ZkError> {
    q.get_mut(offset..offset + len)
        .ok_or_else(|| ZkError::Internal("reserved segment past the end of Q".into()))
}

/// Proves every claim (which the caller has computed honestly; their values need not be bound in
/// the transcript before: this observes them). Consumes the commitment: `Q` is opened once.
pub fn prove(
    pcs: &HidingPcs,
    committed: Committed,
    claims: &[LinearClaim],
    transcript: &mut Transcript,
) -> Result<OpeningProof, ZkError> {
    let Committed {
        layout,
        q,
        data,
        mask,
    } = committed;
    if claims.is_empty() {
        return Err(ZkError::NoClaims);
    }
    validate(&layout, claims)?;
    let n = layout.num_vars();
    let values: Vec<EF> = claims.iter().map(|c| c.value).collect();
    transcript.observe_u64(LABEL_NUM_CLAIMS, claims.len() as u64);
    transcript.observe_ext(LABEL_CLAIM_VALUES, &values);
    let beta = transcript.sample_ext(LABEL_BATCH);

    // Step 2: L = sum_j beta^j L_j.
    let mut l = vec![EF::ZERO; 1 << n];
    let mut scale = EF::ONE;
    for (c, claim) in claims.iter().enumerate() {
        for (t, term) in claim.terms.iter().enumerate() {
            accumulate(&layout, c, t, term, scale, &mut l)?;
        }
        scale *= beta;
    }

    // Step 3: masked sumcheck of <L, Q>, down to Q~(z) and g(z).
    let region = layout.region();
    let region_q = q
        .get(region.offset..region.offset + region.len())
        .ok_or_else(|| ZkError::Internal("region past the end of Q".into()))?
        .to_vec();
    let out = prove_weighted(&ProductSum::product(n, 1), l, vec![q], mask, transcript);
    let z = out.point;
    let q_at_z = *out
        .final_evals
        .first()
        .ok_or_else(|| ZkError::Internal("no final value".into()))?;
    let g_at_z = out.proof.mask_eval;

    // Step 4: <l_z, slot 0> = g(z), blinded by the companions.
    let slot = 1 << MASK_VARS;
    let mut form = MaskPoly::<F, EF>::linear_form(2, &z);
    form.resize(slot, EF::ZERO);
    let slots: Vec<&[F]> = region_q.chunks_exact(slot).collect();
    let companions: Vec<EF> = slots
        .iter()
        .skip(1)
        .map(|h| form.iter().zip(*h).map(|(&a, &b)| a * b).sum())
        .collect();
    debug_assert_eq!(companions.len(), COMPANIONS);
    transcript.observe_ext(LABEL_COMPANIONS, &companions);
    let tau = transcript.sample_ext_vec(LABEL_TAU, REGION_SELECT_VARS);
    let weights = eq_table(&tau);
    let mut v = vec![EF::ZERO; slot];
    for (w, h) in weights.iter().zip(&slots) {
        for (acc, &x) in v.iter_mut().zip(*h) {
            *acc += *w * x;
        }
    }
    debug_assert_eq!(
        form.iter().zip(&v).map(|(&a, &b)| a * b).sum::<EF>(),
        weights.first().copied().unwrap_or(EF::ZERO) * g_at_z
            + weights
                .iter()
                .skip(1)
                .zip(&companions)
                .map(|(&w, &u)| w * u)
                .sum::<EF>()
    );
    let (mask_proof, z2, evals) = zkinfer_sumcheck::prove::<EF, EF>(
        &ProductSum::product(MASK_VARS, 2),
        vec![form, v],
        transcript,
    );
    let v_at_z = *evals
        .get(1)
        .ok_or_else(|| ZkError::Internal("no final value".into()))?;

    // Step 5: one hiding opening at two points.
    let points = vec![z.clone(), layout.region_point(&tau, &z2)];
    let (opening, opened) = pcs.open(data, &points, transcript)?;
    if opened != [q_at_z, v_at_z] {
        return Err(ZkError::Internal(
            "opened values differ from the sumchecks' final values".into(),
        ));
    }
    Ok(OpeningProof {
        batch: out.proof,
        q_at_z,
        companions,
        mask: mask_proof,
        v_at_z,
        opening,
    })
}

/// The base-field coordinates of `EF` values (for tests that look for values in a proof).
#[cfg(test)]
pub(crate) fn coords(values: &[EF]) -> Vec<F> {
    use zkinfer_field::BasedVectorSpace;
    values
        .iter()
        .flat_map(|v| v.as_basis_coefficients_slice().to_vec())
        .collect()
}
