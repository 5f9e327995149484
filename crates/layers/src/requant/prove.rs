//! The requantization prover, and the steps the verifier shares with it.

use zkinfer_field::{EF, F, Field, PrimeCharacteristicRing};
use zkinfer_sumcheck::{ProductSum, prove_eq};
use zkinfer_transcript::FiatShamir;

use super::{
    LABEL_GAMMA, LABEL_ZERO_POINT, Layout, Part, RequantClaims, RequantColumn, RequantProof,
    RequantSpec, RequantWitness, signed,
};
use crate::{Claim, LayerError, range};

/// Proves that `w` is the requantization of some `x` and returns the claim on `x`. The caller must
/// have committed every column of `w` (and observed the commitment) before calling.
pub fn prove(
    spec: &RequantSpec,
    w: &RequantWitness,
    transcript: &mut impl FiatShamir<EF>,
) -> Result<(RequantProof, RequantClaims), LayerError> {
    let layout = spec.layout()?;
    let (range_proof, rc) = range::prove(
        &layout.range_spec(spec.num_vars),
        &w.limb_refs(),
        &w.mults,
        transcript,
    )?;
    let mut columns = vec![(RequantColumn::Multiplicities, rc.multiplicities.clone())];
    let (zero_check, zero_evals) = match zero_check_instance(spec, &layout, transcript) {
        Some((t, inner)) => {
            let mut polys = vec![w.out.clone()];
            if layout.sat_hi {
                polys.push(w.sat_hi.clone());
            }
            if layout.sat_lo {
                polys.push(w.sat_lo.clone());
            }
            let (proof, point, evals) = prove_eq(&t, &inner, polys, transcript);
            push_zero_claims(&mut columns, &layout, &point, &evals)?;
            (Some(proof), evals)
        }
        None => (None, vec![]),
    };
    let input = identity(spec, &layout, &rc.point, &rc.evals, &mut columns)?;
    Ok((
        RequantProof {
            range: range_proof,
            zero_check,
            zero_evals,
        },
        RequantClaims { columns, input },
    ))
}

/// Draws the zero-check point and builds `a (max - out) + gamma b (out - min)` over the polynomials
/// `[out, a?, b?]`; `None` when neither `a` nor `b` exists.
pub(super) fn zero_check_instance(
    spec: &RequantSpec,
    layout: &Layout,
    transcript: &mut impl FiatShamir<EF>,
) -> Option<(Vec<EF>, ProductSum<EF>)> {
    if !layout.sat_hi && !layout.sat_lo {
        return None;
    }
    let t = transcript.challenges(LABEL_ZERO_POINT, spec.num_vars);
    let gamma = if layout.sat_hi && layout.sat_lo {
        transcript.challenge(LABEL_GAMMA)
    } else {
        EF::ONE
    };
    let mut terms = vec![];
    if layout.sat_hi {
        terms.push((EF::from(signed(spec.max)), vec![1]));
        terms.push((-EF::ONE, vec![1, 0]));
    }
    if layout.sat_lo {
        let b = 1 + usize::from(layout.sat_hi);
        terms.push((gamma, vec![b, 0]));
        terms.push((-gamma * signed(spec.min), vec![b]));
    }
    Some((t, ProductSum::new(spec.num_vars, terms)))
}

/// The claims `[out, a?, b?]` at the zero-check's point.
pub(super) fn push_zero_claims(
    columns: &mut Vec<(RequantColumn, Claim)>,
    layout: &Layout,
    point: &[EF],
    evals: &[EF],
) -> Result<(), LayerError> {
    let mut names = vec![RequantColumn::Out];
    if layout.sat_hi {
        names.push(RequantColumn::SatHi);
    }
    if layout.sat_lo {
        names.push(RequantColumn::SatLo);
    }
    if evals.len() != names.len() {
        return Err(LayerError::EvalCount {
            layer: "requant",
            expected: names.len(),
            got: evals.len(),
        });
    }
    for (c, &v) in names.into_iter().zip(evals) {
        columns.push((
            c,
            Claim {
                point: point.to_vec(),
                value: v,
            },
        ));
    }
    Ok(())
}

/// At the range check's point `r`: recombines each part from its limbs, pushes the claims on the
/// limbs, `out`, `a` and `b`, checks the complements, and returns the claim on `x`.
pub(super) fn identity(
    spec: &RequantSpec,
    layout: &Layout,
    r: &[EF],
    limbs: &[EF],
    columns: &mut Vec<(RequantColumn, Claim)>,
) -> Result<Claim, LayerError> {
    if limbs.len() != layout.num_limbs() {
        return Err(LayerError::EvalCount {
            layer: "requant",
            expected: layout.num_limbs(),
            got: limbs.len(),
        });
    }
    let claim = |value: EF| Claim {
        point: r.to_vec(),
        value,
    };
    for (i, &v) in limbs.iter().enumerate() {
        columns.push((RequantColumn::Limb(i), claim(v)));
    }
    let radix = F::from_u64(1 << layout.limb_bits);
    let ranges = layout.limb_ranges();
    let value = |part: Part| -> EF {
        let mut acc = EF::ZERO;
        let mut weight = F::ONE;
        for &(p, first, count) in &ranges {
            if p == part {
                for &l in limbs.iter().skip(first).take(count) {
                    acc += l * weight;
                    weight *= radix;
                }
            }
        }
        acc
    };
    let c = |v: i64| EF::from(signed(v));
    let out = c(spec.min) + value(Part::OutLo);
    columns.push((RequantColumn::Out, claim(out)));
    let has = |part: Part| layout.parts.iter().any(|&(p, _)| p == part);
    let mismatch = || LayerError::PartialSums { layer: "requant" };
    if has(Part::OutHi) && value(Part::OutHi) != c(spec.max) - out {
        return Err(mismatch());
    }
    let a = value(Part::SatHi);
    if layout.sat_hi {
        columns.push((RequantColumn::SatHi, claim(a)));
        if has(Part::SatHiCap) && value(Part::SatHiCap) != c(spec.q_max - spec.max) - a {
            return Err(mismatch());
        }
    }
    let b = value(Part::SatLo);
    if layout.sat_lo {
        columns.push((RequantColumn::SatLo, claim(b)));
        if has(Part::SatLoCap) && value(Part::SatLoCap) != c(spec.min - spec.q_min) - b {
            return Err(mismatch());
        }
    }
    let q = out + a - b;
    let numerator = q * F::from_u64(1 << spec.shift) + value(Part::Rem) - c(spec.offset());
    let m_inv = F::from_u64(spec.multiplier as u64).inverse();
    Ok(claim(numerator * m_inv))
}
