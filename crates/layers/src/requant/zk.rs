//! Zero-knowledge requantization: steps 2 and 3 of [`super`] (the saturation zero-check and the
//! limb identity) with no evaluation of a hidden column revealed in the clear. Step 1, the range
//! check of the limbs, is the zero-knowledge range check (`zkinfer_lookup::zk`), which leaves form
//! claims on the limb columns at its point `r`; the caller hands `r` to [`identity`].
//!
//! **Zero-check** (when `a` or `b` exists). With `t` (and `gamma` when both exist) drawn as in the
//! plain proof, one masked sumcheck (`zkinfer_sumcheck::zk::masked`, module docs of [`crate::zk`])
//! proves `sum_x eq(t, x) [a (max - out) + gamma b (out - min)](x) = 0`, with `eq(t, .)` public,
//! `a` and `b` masked by caller-given randomizers, and `out` deferred (public on the prover's side,
//! never revealed). The public claimed value is 0 and there is no hidden constant, so the final
//! check at the sumcheck's point `t'` is, with `a^, b^` the revealed masked values,
//!
//! ```text
//! eq(t, t') [max a^ - gamma min b^] + eq(t, t') [gamma b^ - a^] out~(t') + rho g(t') = e
//! ```
//!
//! which is linear in `out~(t')` and the mask: it becomes the form claim
//! `eq(t, t') [gamma b^ - a^] out~(t') + rho <l(t'), g> = e - eq(t, t') [max a^ - gamma min b^]`
//! (no division, so a vanishing coefficient costs nothing), next to `a~(t') + <phi(t'), c_a> = a^`
//! and the same for `b`. The verifier never learns `out~(t')`, `a~(t')` or `b~(t')`.
//!
//! **Identity** at `r`: the linear relations of the plain identity, each a [`FormClaim`] with a
//! public value (`out - OutLo = min`, `out + OutHi = max`, `a - SatHi = 0`, `a + SatHiCap =
//! q_max - max`, and the same for `b`), and the symbolic claim on the input
//! `x~(r) = (2^s (out + a - b)~(r) + rem~(r) - off) / m`. A pure function of the spec, the column
//! ids and `r`: no proof data.
//!
//! Ids: committed column `c` has id `first_col + layout.column_index(c)` (the protocol's
//! commitment order); the mask and randomizers have the caller's [`ZkIds`].
//!
//! Transcript schedule of [`prove`]/[`verify`]: draw `t` ([`LABEL_ZERO_POINT`]), `gamma`
//! ([`LABEL_GAMMA`], only when both `a` and `b` exist), then the masked sumcheck (`G`, `rho`,
//! rounds, the final values `[a^?, b^?]`).

#![cfg_attr(
    not(test),
    deny(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::panic,
        clippy::indexing_slicing
    )
)]

use serde::{Deserialize, Serialize};
use zkinfer_field::{EF, F, Field, PrimeCharacteristicRing};
use zkinfer_poly::{eq_eval, eq_table};
use zkinfer_sumcheck::zk::MaskPoly;
use zkinfer_sumcheck::zk::form::{Form, FormClaim, Symbolic, randomizer_form};
use zkinfer_sumcheck::zk::masked::{
    Factor, FactorKind, MaskedFactor, MaskedInstance, MaskedSubclaim, MaskedSumcheckProof, Table,
};
use zkinfer_transcript::FiatShamir;

use super::{
    LABEL_GAMMA, LABEL_ZERO_POINT, Layout, Part, RequantColumn, RequantSpec, RequantWitness, signed,
};
use crate::LayerError;
use crate::zk::{SymClaim, ZkIds, ZkSecrets, ZkShape, prover_subclaim};

const LAYER: &str = "zk requant";

/// A zero-knowledge requantization zero-check proof.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ZkRequantProof {
    /// The masked zero-check; its final values are `[a^(t')?, b^(t')?]`.
    pub sumcheck: MaskedSumcheckProof<EF>,
}

/// What the identity at the range check's point leaves to settle.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ZkRequantIdentity {
    /// The linear relations between `out`, `a`, `b` and their limbs at `r`.
    pub columns: Vec<FormClaim<EF>>,
    /// The symbolic claim on the input `x` at `r`.
    pub input: SymClaim,
}

/// The zero-check's instance: factor 0 is `eq(t, .)`, 1 is `out` (deferred), then `a?`, `b?`
/// (masked), with terms `max eq a - eq a out + gamma eq b out - gamma min eq b`.
pub(super) fn instance(spec: &RequantSpec, layout: &Layout, gamma: EF) -> MaskedInstance<EF> {
    let mut kinds = vec![FactorKind::Public, FactorKind::Public];
    let mut terms = vec![];
    if layout.sat_hi {
        let a = kinds.len();
        kinds.push(FactorKind::Masked);
        terms.push((EF::from(signed(spec.max)), vec![0, a]));
        terms.push((-EF::ONE, vec![0, a, 1]));
    }
    if layout.sat_lo {
        let b = kinds.len();
        kinds.push(FactorKind::Masked);
        terms.push((gamma, vec![0, b, 1]));
        terms.push((-gamma * signed(spec.min), vec![0, b]));
    }
    MaskedInstance::new(spec.num_vars, terms, kinds)
}

/// The hidden vectors of the zero-check: the mask and one randomizer of `num_vars` coefficients
/// for each of `a`, `b` that exists; `None` when neither exists (there is no zero-check).
pub fn shape(spec: &RequantSpec) -> Result<Option<ZkShape>, LayerError> {
    let layout = spec.layout()?;
    Ok(zk_shape(spec, &layout))
}

fn zk_shape(spec: &RequantSpec, layout: &Layout) -> Option<ZkShape> {
    (layout.sat_hi || layout.sat_lo).then(|| ZkShape {
        num_vars: spec.num_vars,
        degree: instance(spec, layout, EF::ONE).degree(),
        randomizers: vec![spec.num_vars; usize::from(layout.sat_hi) + usize::from(layout.sat_lo)],
    })
}

/// The layout and zero-check shape, after checking `ids` against it.
fn setup(spec: &RequantSpec, ids: &ZkIds) -> Result<(Layout, ZkShape), LayerError> {
    let layout = spec.layout()?;
    let shape = zk_shape(spec, &layout).ok_or_else(|| LayerError::Parameter {
        layer: LAYER,
        detail: "no saturation column: the layer has no zero-check".into(),
    })?;
    if ids.randomizers.len() != shape.randomizers.len() {
        return Err(LayerError::Parameter {
            layer: LAYER,
            detail: format!(
                "{} randomizer ids for {} masked columns",
                ids.randomizers.len(),
                shape.randomizers.len()
            ),
        });
    }
    Ok((layout, shape))
}

/// Draws `t` and `gamma` on the plain proof's schedule.
pub(super) fn challenges(
    spec: &RequantSpec,
    layout: &Layout,
    transcript: &mut impl FiatShamir<EF>,
) -> (Vec<EF>, EF) {
    let t = transcript.challenges(LABEL_ZERO_POINT, spec.num_vars);
    let gamma = if layout.sat_hi && layout.sat_lo {
        transcript.challenge(LABEL_GAMMA)
    } else {
        EF::ONE
    };
    (t, gamma)
}

/// Proves the zero-check for the witness `w`, whose columns are committed under
/// `first_col + layout.column_index(..)`; `secrets` matches [`shape`] and is committed under
/// `ids`. Returns the proof and the form claims [`verify`] returns. Errors when the layout has no
/// `a` and no `b`.
pub fn prove(
    spec: &RequantSpec,
    w: &RequantWitness,
    first_col: usize,
    ids: &ZkIds,
    secrets: ZkSecrets,
    transcript: &mut impl FiatShamir<EF>,
) -> Result<(ZkRequantProof, Vec<FormClaim<EF>>), LayerError> {
    let (layout, shape) = setup(spec, ids)?;
    let n = 1usize << spec.num_vars;
    let mut masked = vec![];
    if layout.sat_hi {
        masked.push(("a", &w.sat_hi));
    }
    if layout.sat_lo {
        masked.push(("b", &w.sat_lo));
    }
    for (name, col) in std::iter::once(("out", &w.out)).chain(masked.iter().copied()) {
        if col.len() != n {
            return Err(LayerError::Parameter {
                layer: LAYER,
                detail: format!("column {name} has {} entries, expected {n}", col.len()),
            });
        }
    }
    shape.check_secrets(LAYER, &secrets)?;

    let (t, gamma) = challenges(spec, &layout, transcript);
    let instance = instance(spec, &layout, gamma);
    let mut factors = vec![
        Factor::Public(Table::Ext(eq_table(&t))),
        // Hidden, unmasked: the prover must not skip work on its zeros.
        Factor::Hidden(Table::Base(w.out.clone())),
    ];
    for ((_, col), coeffs) in masked.into_iter().zip(secrets.randomizers) {
        factors.push(Factor::Masked(MaskedFactor {
            table: Table::Base(col.clone()),
            offset: EF::ZERO,
            coeffs,
        }));
    }
    let out =
        zkinfer_sumcheck::zk::masked::prove(&instance, factors, EF::ZERO, secrets.mask, transcript);
    let sub = prover_subclaim(&out.proof, out.point, out.deferred.rho, EF::ZERO);
    let claims = claims(spec, &layout, first_col, ids, &t, gamma, &sub, shape.degree)?;
    Ok((
        ZkRequantProof {
            sumcheck: out.proof,
        },
        claims,
    ))
}

/// Verifies the zero-check; returns the form claims on the committed columns and hidden vectors
/// (module docs), which the caller must prove. Errors when the layout has no `a` and no `b`.
pub fn verify(
    spec: &RequantSpec,
    first_col: usize,
    ids: &ZkIds,
    proof: &ZkRequantProof,
    transcript: &mut impl FiatShamir<EF>,
) -> Result<Vec<FormClaim<EF>>, LayerError> {
    let (layout, shape) = setup(spec, ids)?;
    let (t, gamma) = challenges(spec, &layout, transcript);
    let instance = instance(spec, &layout, gamma);
    let sub =
        zkinfer_sumcheck::zk::masked::verify(&instance, EF::ZERO, &proof.sumcheck, transcript)
            .map_err(|source| LayerError::Sumcheck {
                layer: LAYER,
                source,
            })?;
    claims(spec, &layout, first_col, ids, &t, gamma, &sub, shape.degree)
}

/// The form claims from the subclaim: `T~(t') + <phi(t'), c_T> = T^` for `T = a, b`, then the
/// final check solved as a claim linear in `out~(t')` and the mask (module docs).
#[allow(clippy::too_many_arguments)]
fn claims(
    spec: &RequantSpec,
    layout: &Layout,
    first_col: usize,
    ids: &ZkIds,
    t: &[EF],
    gamma: EF,
    sub: &MaskedSubclaim<EF>,
    degree: usize,
) -> Result<Vec<FormClaim<EF>>, LayerError> {
    let s = &sub.point;
    let id = |c: RequantColumn| first_col + layout.column_index(c);
    let mut names = vec![];
    if layout.sat_hi {
        names.push(RequantColumn::SatHi);
    }
    if layout.sat_lo {
        names.push(RequantColumn::SatLo);
    }
    if sub.final_values.len() != names.len() || ids.randomizers.len() != names.len() {
        return Err(LayerError::EvalCount {
            layer: LAYER,
            expected: names.len(),
            got: sub.final_values.len(),
        });
    }
    let mut out = Vec::with_capacity(names.len() + 1);
    let (mut a, mut b) = (EF::ZERO, EF::ZERO);
    for ((&c, &v), &rid) in names.iter().zip(&sub.final_values).zip(&ids.randomizers) {
        out.push(masked_claim(id(c), rid, s, v));
        if c == RequantColumn::SatHi {
            a = v;
        } else {
            b = v;
        }
    }
    let eq = eq_eval(t, s).map_err(|_| LayerError::PointLength {
        layer: LAYER,
        expected: t.len(),
        got: s.len(),
    })?;
    let (max, min) = (EF::from(signed(spec.max)), EF::from(signed(spec.min)));
    let known = eq * (max * a - gamma * min * b);
    let coeff = eq * (gamma * b - a);
    out.push(deferred_claim(
        sub,
        degree,
        ids.mask,
        id(RequantColumn::Out),
        known,
        coeff,
    ));
    Ok(out)
}

/// `T~(s) + <phi(s), c> = T^(s)` for a masked factor `T` (vector `id`, randomizer `randomizer`)
/// with zero offset and revealed value `revealed`.
pub(crate) fn masked_claim(id: usize, randomizer: usize, s: &[EF], revealed: EF) -> FormClaim<EF> {
    FormClaim {
        form: Form::eval(EF::ONE, id, s.to_vec()).plus(randomizer_form::<F, EF>(randomizer, s)),
        value: revealed,
    }
}

/// The final check `known + coeff T~(s) + rho g(s) = e` of a masked sumcheck without hidden
/// constant, with the deferred factor `T` (vector `deferred`) and the mask `g` (vector `mask`, of
/// degree `degree`): the form claim `coeff T~(s) + rho <l(s), g> = e - known`. Unlike solving for
/// `T~(s)`, it needs no inverse, so it stays sound (and complete) when `coeff` vanishes.
pub(crate) fn deferred_claim(
    sub: &MaskedSubclaim<EF>,
    degree: usize,
    mask: usize,
    deferred: usize,
    known: EF,
    coeff: EF,
) -> FormClaim<EF> {
    let mask_weights = MaskPoly::<F, EF>::linear_form(degree, &sub.point)
        .into_iter()
        .map(|l| sub.rho * l)
        .collect();
    FormClaim {
        form: Form::eval(coeff, deferred, sub.point.clone()).plus(Form::dense(mask, mask_weights)),
        value: sub.expected_eval - known,
    }
}

/// The identity at the range check's point `r` (module docs): the linear relations between the
/// committed `out`, `a`, `b` and their limbs, and the symbolic claim on `x~(r)`. Used by both sides.
pub fn identity(
    spec: &RequantSpec,
    first_col: usize,
    r: &[EF],
) -> Result<ZkRequantIdentity, LayerError> {
    let layout = spec.layout()?;
    if r.len() != spec.num_vars {
        return Err(LayerError::PointLength {
            layer: LAYER,
            expected: spec.num_vars,
            got: r.len(),
        });
    }
    let eval = |c: RequantColumn, coeff: EF| {
        Form::eval(coeff, first_col + layout.column_index(c), r.to_vec())
    };
    let radix = EF::from(F::from_u64(1 << layout.limb_bits));
    let ranges = layout.limb_ranges();
    // scale * sum_i 2^(i * limb_bits) limb_i~(r) over the limbs of `part`.
    let part = |part: Part, scale: EF| -> Form<EF> {
        let mut form = Form::zero();
        let mut weight = scale;
        for &(p, first, count) in &ranges {
            if p == part {
                for i in first..first + count {
                    form = form.plus(eval(RequantColumn::Limb(i), weight));
                    weight *= radix;
                }
            }
        }
        form
    };
    let has = |p: Part| layout.parts.iter().any(|&(q, _)| q == p);
    let c = |v: i64| EF::from(signed(v));
    let claim = |form: Form<EF>, value: EF| FormClaim { form, value };
    let (out, a, b) = (
        RequantColumn::Out,
        RequantColumn::SatHi,
        RequantColumn::SatLo,
    );

    let mut columns = vec![claim(
        eval(out, EF::ONE).plus(part(Part::OutLo, -EF::ONE)),
        c(spec.min),
    )];
    if has(Part::OutHi) {
        columns.push(claim(
            eval(out, EF::ONE).plus(part(Part::OutHi, EF::ONE)),
            c(spec.max),
        ));
    }
    let m_inv = F::from_u64(spec.multiplier.unsigned_abs())
        .try_inverse()
        .map(EF::from)
        .ok_or_else(|| LayerError::Parameter {
            layer: LAYER,
            detail: "the multiplier vanishes in the field".into(),
        })?;
    let scale = EF::from(F::from_u64(1 << spec.shift)) * m_inv;
    // x = (2^s (out + a - b) + rem - off) / m.
    let mut input = eval(out, scale).plus(part(Part::Rem, m_inv));
    if layout.sat_hi {
        columns.push(claim(
            eval(a, EF::ONE).plus(part(Part::SatHi, -EF::ONE)),
            EF::ZERO,
        ));
        if has(Part::SatHiCap) {
            columns.push(claim(
                eval(a, EF::ONE).plus(part(Part::SatHiCap, EF::ONE)),
                c(spec.q_max - spec.max),
            ));
        }
        input = input.plus(eval(a, scale));
    }
    if layout.sat_lo {
        columns.push(claim(
            eval(b, EF::ONE).plus(part(Part::SatLo, -EF::ONE)),
            EF::ZERO,
        ));
        if has(Part::SatLoCap) {
            columns.push(claim(
                eval(b, EF::ONE).plus(part(Part::SatLoCap, EF::ONE)),
                c(spec.min - spec.q_min),
            ));
        }
        input = input.plus(eval(b, -scale));
    }
    Ok(ZkRequantIdentity {
        columns,
        input: SymClaim {
            point: r.to_vec(),
            value: Symbolic {
                public: -c(spec.offset()) * m_inv,
                hidden: input,
            },
        },
    })
}
