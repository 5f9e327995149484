//! The symbolic bookkeeping shared by prover and verifier: the layer instance, the claims carried
//! from layer to layer, the deferred claim of each layer sumcheck, and the leaf forms.
#![cfg_attr(
    not(test),
    deny(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::panic,
        clippy::indexing_slicing
    )
)]

use zkinfer_field::{EF, F, PrimeCharacteristicRing};
use zkinfer_sumcheck::zk::form::{Atom, Form, FormClaim, Symbolic, ext_weights, randomizer_form};
use zkinfer_sumcheck::zk::masked::{DeferredMaskClaim, FactorKind, MaskedInstance};

use super::{ZkRangeError, ZkRangeIds, ZkRangeSpec};

/// The claims `p_k(point) = p`, `q_k(point) = q` on layer `k = point.len()`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Claims {
    pub(super) p: Symbolic<EF>,
    pub(super) q: Symbolic<EF>,
    pub(super) point: Vec<EF>,
}

impl Claims {
    /// Layer 1 at `mu`, from the root children `[p_1(0), p_1(1), q_1(0), q_1(1)]`: public.
    pub(super) fn root(root: &[EF; 4], mu: EF) -> Self {
        let [p0, p1, q0, q1] = *root;
        Self {
            p: Symbolic::public(p0 + mu * (p1 - p0)),
            q: Symbolic::public(q0 + mu * (q1 - q0)),
            point: vec![mu],
        }
    }

    /// The public value of the layer sumcheck: the public part of `P + lambda Q`. The hidden part
    /// goes into the sumcheck's hidden constant `K = -(hidden(P) + lambda hidden(Q))`.
    pub(super) fn public_value(&self, lambda: EF) -> EF {
        self.p.public + lambda * self.q.public
    }

    /// The claims on layer `k + 1` at `(mu, s)` from the revealed `[p0^, p1^, q0^, q1^](s)`:
    /// `p_{k+1}(mu, s) = (1 - mu) p0~(s) + mu p1~(s)` with `p0~(s) = p0^(s) - <phi(s), c_p0>`
    /// (offsets are zero), and the same for `q`.
    pub(super) fn next(values: &[EF; 4], s: &[EF], mu: EF, randomizers: [usize; 4]) -> Self {
        let [a0, a1, b0, b1] = *values;
        let [i0, i1, j0, j1] = randomizers;
        let line = |x0: EF, x1: EF, id0: usize, id1: usize| Symbolic {
            public: x0 + mu * (x1 - x0),
            hidden: randomizer_form::<F, EF>(id0, s)
                .scaled(mu - EF::ONE)
                .plus(randomizer_form::<F, EF>(id1, s).scaled(-mu)),
        };
        Self {
            p: line(a0, a1, i0, i1),
            q: line(b0, b1, j0, j1),
            point: core::iter::once(mu).chain(s.iter().copied()).collect(),
        }
    }

    /// The deferred claim `rho g(s) + K / 2^k = e` of the layer sumcheck, with
    /// `K = -(hidden(P) + lambda hidden(Q))`, as a claim on the mask and the hidden data.
    pub(super) fn layer_claim(
        &self,
        deferred: &DeferredMaskClaim<EF>,
        lambda: EF,
        mask_id: usize,
    ) -> FormClaim<EF> {
        let k_form = self
            .p
            .hidden
            .clone()
            .plus(self.q.hidden.clone().scaled(lambda))
            .scaled(-deferred.hidden_coeff());
        FormClaim {
            form: Form::dense(mask_id, deferred.mask_form::<F>()).plus(k_form),
            value: deferred.value,
        }
    }
}

/// Layer `k`'s sumcheck: factors `[eq, p0, p1, q0, q1]`, terms
/// `eq p0 q1 + eq p1 q0 + lambda eq q0 q1` (round degree 5).
pub(super) fn layer_instance(k: usize, lambda: EF) -> MaskedInstance<EF> {
    use FactorKind::{Masked, Public};
    MaskedInstance::new(
        k,
        vec![
            (EF::ONE, vec![0, 1, 4]),
            (EF::ONE, vec![0, 2, 3]),
            (lambda, vec![0, 3, 4]),
        ],
        vec![Public, Masked, Masked, Masked, Masked],
    )
}

/// `eq(a, b)` (equal lengths; the caller checks).
pub(super) fn eq_eval(a: &[EF], b: &[EF]) -> EF {
    a.iter()
        .zip(b)
        .map(|(&x, &y)| x * y + (EF::ONE - x) * (EF::ONE - y))
        .product()
}

/// `eq(point, x)` for every `x`, MSB-first.
pub(super) fn eq_table(point: &[EF]) -> Vec<EF> {
    let mut t = vec![EF::ONE];
    for &r in point {
        t = t.iter().flat_map(|&e| [e - e * r, e * r]).collect();
    }
    t
}

/// Where the leaf claims read the committed columns: the last `column_vars` coordinates of the
/// leaf point (the lookups' low coordinates without the segment selector).
pub(super) fn column_point(spec: &ZkRangeSpec, leaf_point: &[EF]) -> Result<Vec<EF>, ZkRangeError> {
    let short = || ZkRangeError::Shape("leaf point");
    // The side variable comes first, so at least column_vars + 1 coordinates.
    let (_, tp) = leaf_point.split_first().ok_or_else(short)?;
    let top = tp.len().checked_sub(spec.column_vars).ok_or_else(short)?;
    Ok(tp.get(top..).ok_or_else(short)?.to_vec())
}

/// The claims that the leaf MLEs at the leaf point equal the carried claims, as [`FormClaim`]s
/// `[numerator, denominator]` (form: the leaf's hidden part minus the claim's; value: the claim's
/// public part minus the leaf's).
///
/// Leaf `(side, x)` is entry `side 2^h + x` (module docs). With `t = (t_side, t')`,
/// `sl = 1 - t_side`, `sr = t_side`, `sb` the one of them for the blinder side,
/// `E_v = eq(t'_prefix, 0)` over the `h - n_v` top coordinates of `t'`, `E_t` the same over
/// `h - bits`, `top` the product of the first `h - 2` coordinates of `t'` (the eq weight of the
/// four blinder slots `x = 2^h - 4 .. 2^h` together) and `e_ab = top eq(t'_{h-2} t'_{h-1}, ab)`
/// the weight of slot `2^h - 4 + 2a + b`:
///
/// ```text
/// p~(t) = sl E_v - sr E_t m~(t'_low) + sb (e_00 - e_01) u
/// q~(t) = sl (alpha E_v - E_v v~(t'_low) + 1 - E_v) + sr (alpha E_t - E_t id~(t'_low) + 1 - E_t)
///       + sb (-top + (e_00 + e_01) delta + e_10 delta_0 + e_11 delta_1)
/// ```
///
/// (padding entries are `0 / 1`, `sum_x eq(t', x) = 1`, and the blinder slots lie in the smaller
/// side's padding), with `v~(y_hi, y_lo) = sum_j eq(y_hi, j) 2^shift_j col_j~(y_lo)` and
/// `id~(x) = sum_b 2^(bits-1-b) x_b`.
pub(super) fn leaf_claims(
    spec: &ZkRangeSpec,
    ids: &ZkRangeIds,
    alpha: EF,
    claims: &Claims,
) -> Result<[FormClaim<EF>; 2], ZkRangeError> {
    let short = || ZkRangeError::Shape("leaf point");
    // The side (lookups 0, table 1) is the first variable: it is merged first.
    let (&side, tp) = claims.point.split_first().ok_or_else(short)?;
    let h = tp.len();
    let (sl, sr) = (EF::ONE - side, side);
    let sb = if spec.blinder_side() == 0 { sl } else { sr };
    let split = |low: usize| h.checked_sub(low).and_then(|top| tp.split_at_checked(top));
    let (prefix_v, lo_v) = split(spec.lookup_vars()).ok_or_else(short)?;
    let (prefix_t, lo_t) = split(spec.bits).ok_or_else(short)?;
    let zeros = |prefix: &[EF]| prefix.iter().map(|&x| EF::ONE - x).product::<EF>();
    let (e_v, e_t) = (zeros(prefix_v), zeros(prefix_t));
    let (high, low) = split(2).ok_or_else(short)?;
    let top: EF = high.iter().copied().product();
    let [a, b] = <[EF; 2]>::try_from(low).map_err(|_| short())?;
    let eq_bit = |x: EF, bit: bool| if bit { x } else { EF::ONE - x };
    let slot = |hi: bool, lo: bool| sb * top * eq_bit(a, hi) * eq_bit(b, lo);

    // Numerators: 1 on the lookups, -m on the table, u and -u in the first two blinder slots.
    let p_leaf = Symbolic {
        public: sl * e_v,
        hidden: Form::eval(-(sr * e_t), ids.multiplicities, lo_t.to_vec()).plus(Form::dense(
            ids.blinder,
            ext_weights::<F, EF>(&[
                slot(false, false) - slot(false, true),
                EF::ZERO,
                EF::ZERO,
                EF::ZERO,
            ]),
        )),
    };

    // Denominators: alpha - v on the lookups, alpha - j on the table, padding 1, the deltas.
    let id_t = lo_t.iter().fold(EF::ZERO, |acc, &x| acc.double() + x);
    let q_public = sl * (alpha * e_v + EF::ONE - e_v)
        + sr * (alpha * e_t - e_t * id_t + EF::ONE - e_t)
        - sb * top;
    let (y_hi, y_lo) = lo_v
        .split_at_checked(spec.segment_vars())
        .ok_or_else(short)?;
    let mut q_hidden = Form::dense(
        ids.blinder,
        ext_weights::<F, EF>(&[
            EF::ZERO,
            slot(false, false) + slot(false, true),
            slot(true, false),
            slot(true, true),
        ]),
    );
    for (seg, e) in spec.segments.iter().zip(eq_table(y_hi)) {
        let id = *ids
            .columns
            .get(seg.column)
            .ok_or(ZkRangeError::Ids("one id per column"))?;
        let scale = EF::from(F::from_u64(1u64 << seg.shift));
        let atom = Atom::Eval {
            id,
            point: y_lo.to_vec(),
        };
        q_hidden.terms.push((-(sl * e_v * e * scale), atom));
    }
    let q_leaf = Symbolic {
        public: q_public,
        hidden: q_hidden,
    };
    Ok(
        [(p_leaf, &claims.p), (q_leaf, &claims.q)].map(|(leaf, claim)| FormClaim {
            form: leaf.hidden.plus(claim.hidden.clone().scaled(-EF::ONE)),
            value: claim.public - leaf.public,
        }),
    )
}
