//! The zero-knowledge range-check prover: the witness helpers, the merged tree, and the layer
//! sumchecks on the schedule of verify.rs.

use p3_maybe_rayon::prelude::*;
use zkinfer_field::{EF, F, PrimeCharacteristicRing, PrimeField64};
use zkinfer_sumcheck::zk::form::FormClaim;
use zkinfer_sumcheck::zk::masked::{self, Factor, MaskedFactor, Table};
use zkinfer_transcript::FiatShamir;

use super::claims::{Claims, column_point, eq_table, layer_instance, leaf_claims};
use super::{ZkRangeError, ZkRangeIds, ZkRangeProof, ZkRangeRandomness, ZkRangeSpec, labels};

/// A range proof, its form claims, and the point where they read the columns.
pub type ProvedAt = (ZkRangeProof, Vec<FormClaim<EF>>, Vec<EF>);

/// Below this many entries a loop runs on one thread.
const PAR_MIN: usize = 1 << 11;

impl ZkRangeSpec {
    /// The virtual column (`2^n_v` entries) from the committed columns (each `2^column_vars`).
    pub fn virtual_column(&self, columns: &[&[F]]) -> Result<Vec<F>, ZkRangeError> {
        self.check()?;
        let n = 1usize << self.column_vars;
        if columns.len() != self.num_columns || columns.iter().any(|c| c.len() != n) {
            return Err(ZkRangeError::Witness(
                "columns of the wrong count or length",
            ));
        }
        let mut out = vec![F::ZERO; n << self.segment_vars()];
        for (chunk, s) in out.chunks_mut(n).zip(&self.segments) {
            let scale = F::from_u64(1 << s.shift);
            for (o, &v) in chunk.iter_mut().zip(columns[s.column]) {
                *o = v * scale;
            }
        }
        Ok(out)
    }

    /// The honest prover's multiplicities (`2^bits` entries); an entry of the virtual column out of
    /// range is an error.
    pub fn multiplicities(&self, columns: &[&[F]]) -> Result<Vec<F>, ZkRangeError> {
        let mut counts = vec![0u64; 1 << self.bits];
        for v in self.virtual_column(columns)? {
            let c = counts
                .get_mut(v.as_canonical_u64() as usize)
                .ok_or(ZkRangeError::Witness("a lookup is out of range"))?;
            *c += 1;
        }
        Ok(counts.into_iter().map(F::from_u64).collect())
    }
}

/// Proves that every entry of the virtual column of `columns` is in `[0, 2^bits)`, with `mults`
/// the multiplicities ([`ZkRangeSpec::multiplicities`]). Returns the proof and the claims the caller
/// must prove on its commitment, equal to what [`super::verify`] returns.
///
/// Precondition: the caller has committed, in one hiding commitment, the columns, `mults` and
/// `randomness.vectors(ids)`, and observed the commitment in `transcript`.
///
/// Errors only on inputs of the wrong shape; a witness that does not balance gives a proof that
/// the verifier rejects (or claims that do not hold).
pub fn prove(
    spec: &ZkRangeSpec,
    columns: &[&[F]],
    mults: &[F],
    randomness: ZkRangeRandomness,
    ids: &ZkRangeIds,
    transcript: &mut impl FiatShamir<EF>,
) -> Result<(ZkRangeProof, Vec<FormClaim<EF>>), ZkRangeError> {
    prove_at(spec, columns, mults, randomness, ids, transcript).map(|(p, c, _)| (p, c))
}

/// [`prove`], also returning the point at which the claims read the committed columns (where a
/// caller states its own identities on those columns).
pub fn prove_at(
    spec: &ZkRangeSpec,
    columns: &[&[F]],
    mults: &[F],
    randomness: ZkRangeRandomness,
    ids: &ZkRangeIds,
    transcript: &mut impl FiatShamir<EF>,
) -> Result<ProvedAt, ZkRangeError> {
    spec.check()?;
    ids.check(spec)?;
    randomness.check(spec)?;
    let v = spec.virtual_column(columns)?;
    if mults.len() != 1 << spec.bits {
        return Err(ZkRangeError::Witness("one multiplicity per table row"));
    }
    let ZkRangeRandomness {
        masks,
        randomizers,
        blinder,
    } = randomness;

    transcript.observe(labels::INSTANCE, &spec.encode());
    let alpha = transcript.challenge(labels::ALPHA);
    let layers = build_tree(spec, &v, mults, alpha, blinder);
    let (p1, q1) = &layers[1];
    let root = [p1[0], p1[1], q1[0], q1[1]];
    transcript.observe(labels::ROOT, &root);
    let mu = transcript.challenge(labels::MU);
    let mut claims = Claims::root(&root, mu);
    // The true p_k~(r), q_k~(r), from which the hidden constant K is computed.
    let mut truth = (claims.p.public, claims.q.public);

    let mut out_claims = Vec::with_capacity(spec.depth() + 1);
    let mut proofs = Vec::with_capacity(spec.depth() - 1);
    for (k, (mask, rands)) in (1..spec.depth()).zip(masks.into_iter().zip(randomizers)) {
        let lambda = transcript.challenge(labels::LAMBDA);
        let instance = layer_instance(k, lambda);
        // v = public part, K = v - (P~ + lambda Q~) = -(hidden(P) + lambda hidden(Q)).
        let hidden = claims.public_value(lambda) - (truth.0 + lambda * truth.1);
        let (p, q) = &layers[k + 1];
        let half = 1 << k;
        let tables = [&p[..half], &p[half..], &q[..half], &q[half..]];
        let mut factors = vec![Factor::Public(Table::Ext(eq_table(&claims.point)))];
        for (t, c) in tables.iter().zip(&rands) {
            factors.push(Factor::Masked(MaskedFactor {
                table: Table::Ext(t.to_vec()),
                offset: EF::ZERO,
                coeffs: c.clone(),
            }));
        }
        let out = masked::prove(&instance, factors, hidden, mask, transcript);
        out_claims.push(claims.layer_claim(&out.deferred, lambda, ids.mask(k)));
        let values: [EF; 4] = out.proof.final_values[..].try_into().expect("four masked");
        let mu = transcript.challenge(labels::MU);
        // T~(s) = T^(s) - <phi(s), c>.
        let phi = MaskedFactor::<F, EF>::final_value_form(&out.point);
        let t: Vec<EF> = values
            .iter()
            .zip(&rands)
            .map(|(&x, c)| x - phi.iter().zip(c).map(|(&a, &b)| a * b).sum::<EF>())
            .collect();
        truth = (t[0] + mu * (t[1] - t[0]), t[2] + mu * (t[3] - t[2]));
        claims = Claims::next(&values, &out.point, mu, ids.randomizers(k));
        proofs.push(out.proof);
    }
    out_claims.extend(leaf_claims(spec, ids, alpha, &claims)?);
    let at = column_point(spec, &claims.point)?;
    Ok((
        ZkRangeProof {
            root,
            layers: proofs,
        },
        out_claims,
        at,
    ))
}

/// The leaves (module docs) and every layer above them: entry `k` is layer `k` as
/// `(numerators, denominators)`, `2^k` each.
pub(super) fn build_tree(
    spec: &ZkRangeSpec,
    v: &[F],
    mults: &[F],
    alpha: EF,
    blinder: [EF; 4],
) -> Vec<(Vec<EF>, Vec<EF>)> {
    let depth = spec.depth();
    // Leaf (side, x) sits at index side 2^h + x (module docs: the side is the first variable).
    let half = 1usize << spec.side_vars();
    let mut p = vec![EF::ZERO; 2 * half];
    let mut q = vec![EF::ONE; 2 * half];
    let (pl, pr) = p.split_at_mut(half);
    let (ql, qr) = q.split_at_mut(half);
    pl.par_iter_mut()
        .zip(ql.par_iter_mut())
        .zip(v.par_iter())
        .with_min_len(PAR_MIN)
        .for_each(|((p, q), &x)| (*p, *q) = (EF::ONE, alpha - x));
    pr.par_iter_mut()
        .zip(qr.par_iter_mut())
        .zip(mults.par_iter())
        .enumerate()
        .with_min_len(PAR_MIN)
        .for_each(|(j, ((p, q), &m))| {
            (*p, *q) = (-EF::from(m), alpha - EF::from(F::from_usize(j)));
        });
    // The last four slots of the blinder side: child 0 gets u/delta and 0/delta_0, child 1
    // -u/delta and 0/delta_1.
    let [u, delta, delta_0, delta_1] = blinder;
    let a = spec.blinder_side() * half + half - 4;
    p[a..a + 4].copy_from_slice(&[u, -u, EF::ZERO, EF::ZERO]);
    q[a..a + 4].copy_from_slice(&[delta, delta, delta_0, delta_1]);

    let mut layers = vec![(p, q)];
    for _ in 0..depth {
        let (p, q) = layers.last().expect("the leaves");
        let h = q.len() / 2;
        let parent: (Vec<EF>, Vec<EF>) = (0..h)
            .into_par_iter()
            .with_min_len(PAR_MIN)
            .map(|i| {
                let (p0, p1, q0, q1) = (p[i], p[i + h], q[i], q[i + h]);
                (p0 * q1 + p1 * q0, q0 * q1)
            })
            .unzip();
        layers.push(parent);
    }
    layers.reverse();
    layers
}
