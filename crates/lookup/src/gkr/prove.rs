//! Prover of the fractional-sum GKR: builds every tree bottom-up, then runs the layer sumchecks
//! top-down on the schedule of verify.rs.

use p3_field::{ExtensionField, Field};
use p3_maybe_rayon::prelude::*;
use zkinfer_sumcheck::{LABEL_CHALLENGE, LABEL_FINAL_EVALS, LABEL_ROUND, SumcheckProof};
use zkinfer_transcript::FiatShamir;

use super::{FractionSumProof, LayerProof, LeafClaim, labels};

/// Below this many entries a loop runs on one thread (rayon's split overhead dominates).
const PAR_MIN: usize = 1 << 11;

/// The numerators of a tree's leaves.
#[derive(Clone, Copy, Debug)]
pub enum Numerator<'a, F> {
    /// Every leaf has the same numerator (e.g. `-1` for looked-up values).
    Constant(F),
    /// One numerator per leaf (e.g. multiplicities).
    Column(&'a [F]),
}

/// The leaves of one tree in LogUp form: leaf `x` is `numerator(x) / (α - Σ_k γ_k columns_k(x))`,
/// with `γ_0 = 1`, so the denominator folds a tuple of base-field columns into one value.
#[derive(Clone, Debug)]
pub struct FractionTree<'a, F> {
    /// The leaf numerators.
    pub numerator: Numerator<'a, F>,
    /// The base-field columns folded into the denominators; all of length `2^depth`.
    pub columns: Vec<&'a [F]>,
}

impl<F> FractionTree<'_, F> {
    /// The number of variables of the leaf layer (columns have power-of-two length).
    pub fn depth(&self) -> usize {
        self.columns
            .first()
            .map_or(0, |c| c.len().trailing_zeros() as usize)
    }
}

/// A layer's numerators: a constant (only possible at the leaves) or a table.
enum Num<EF> {
    Const(EF),
    Table(Vec<EF>),
}

/// One layer of a tree: numerators and denominators, both of length `2^k`.
struct Layer<EF> {
    p: Num<EF>,
    q: Vec<EF>,
}

/// Proves `Σ_i Σ_x p_i(x)/q_i(x) = 0` for the given trees (the caller guarantees it holds), with
/// leaf denominators `α - Σ_k γ_k col_k`. Returns the proof and one leaf claim per tree, identical
/// to what [`super::verify_fraction_sums`] returns on this proof.
pub fn prove_fraction_sums<F, EF, T>(
    trees: &[FractionTree<'_, F>],
    alpha: EF,
    gammas: &[EF],
    transcript: &mut T,
) -> (FractionSumProof<EF>, Vec<LeafClaim<EF>>)
where
    F: Field,
    EF: ExtensionField<F>,
    T: FiatShamir<EF>,
{
    let depths: Vec<usize> = trees.iter().map(FractionTree::depth).collect();
    let layers: Vec<Vec<Layer<EF>>> = trees.iter().map(|t| build_tree(t, alpha, gammas)).collect();
    let max_depth = depths.iter().copied().max().unwrap_or(0);

    let roots: Vec<[EF; 2]> = layers.iter().map(|l| root_of(&l[0])).collect();
    transcript.observe(
        labels::ROOTS,
        &roots.iter().flatten().copied().collect::<Vec<_>>(),
    );

    let mut claims: Vec<(EF, EF)> = roots.iter().map(|[p, q]| (*p, *q)).collect();
    let mut point: Vec<EF> = Vec::new();
    let mut leaves: Vec<Option<LeafClaim<EF>>> = vec![None; trees.len()];
    record_leaves(&depths, 0, &point, &claims, &mut leaves);
    let mut layer_proofs = Vec::with_capacity(max_depth);

    for depth in 0..max_depth {
        let active: Vec<usize> = (0..trees.len()).filter(|&i| depths[i] > depth).collect();
        let lambda = transcript.challenge(labels::LAMBDA);
        let children: Vec<&Layer<EF>> = active.iter().map(|&i| &layers[i][depth + 1]).collect();
        let (proof, s) = prove_layer(&children, &point, lambda, transcript);
        // The children are the sumcheck's final evaluations (zkinfer-sumcheck's schedule).
        let flat: Vec<EF> = proof.children.iter().flatten().copied().collect();
        transcript.observe(LABEL_FINAL_EVALS, &flat);
        let mu = transcript.challenge(labels::MU);
        for (&i, [p0, p1, q0, q1]) in active.iter().zip(&proof.children) {
            claims[i] = (*p0 + mu * (*p1 - *p0), *q0 + mu * (*q1 - *q0));
        }
        point = core::iter::once(mu).chain(s).collect();
        record_leaves(&depths, depth + 1, &point, &claims, &mut leaves);
        layer_proofs.push(proof);
    }
    let leaves = leaves
        .into_iter()
        .map(|c| c.expect("every tree reaches its leaves"))
        .collect();
    (
        FractionSumProof {
            roots,
            layers: layer_proofs,
        },
        leaves,
    )
}

fn record_leaves<EF: Field>(
    depths: &[usize],
    depth: usize,
    point: &[EF],
    claims: &[(EF, EF)],
    leaves: &mut [Option<LeafClaim<EF>>],
) {
    for i in 0..depths.len() {
        if depths[i] == depth {
            let (numerator, denominator) = claims[i];
            leaves[i] = Some(LeafClaim {
                point: point.to_vec(),
                numerator,
                denominator,
            });
        }
    }
}

fn root_of<EF: Field>(layer: &Layer<EF>) -> [EF; 2] {
    let p = match &layer.p {
        Num::Const(c) => *c,
        Num::Table(t) => t[0],
    };
    [p, layer.q[0]]
}

/// Builds all layers of one tree, indexed by depth (0 = root).
fn build_tree<F: Field, EF: ExtensionField<F>>(
    tree: &FractionTree<'_, F>,
    alpha: EF,
    gammas: &[EF],
) -> Vec<Layer<EF>> {
    let depth = tree.depth();
    let n = 1usize << depth;
    // Leaf denominators: α - Σ γ_k col_k. The first column has γ_0 = 1 (a base-field subtraction).
    let q: Vec<EF> = (0..n)
        .into_par_iter()
        .with_min_len(PAR_MIN)
        .map(|i| {
            let mut v = alpha - tree.columns[0][i];
            for (col, g) in tree.columns[1..].iter().zip(&gammas[1..]) {
                v -= *g * col[i];
            }
            v
        })
        .collect();
    let p = match tree.numerator {
        Numerator::Constant(c) => Num::Const(EF::from(c)),
        Numerator::Column(m) => Num::Table(m.par_iter().map(|&x| EF::from(x)).collect()),
    };
    let mut layers = vec![Layer { p, q }];
    for _ in 0..depth {
        let next = parent_layer(layers.last().expect("the leaf layer exists"));
        layers.push(next);
    }
    layers.reverse();
    layers
}

/// One layer up: entry `i` merges children `i` and `i + half` (the first variable).
fn parent_layer<EF: Field>(child: &Layer<EF>) -> Layer<EF> {
    let half = child.q.len() / 2;
    let (q_lo, q_hi) = child.q.split_at(half);
    let q: Vec<EF> = q_lo
        .par_iter()
        .with_min_len(PAR_MIN)
        .zip(q_hi)
        .map(|(&a, &b)| a * b)
        .collect();
    let p = match &child.p {
        Num::Const(c) => Num::Table(
            q_lo.par_iter()
                .with_min_len(PAR_MIN)
                .zip(q_hi)
                .map(|(&a, &b)| *c * (a + b))
                .collect(),
        ),
        Num::Table(p) => {
            let (p_lo, p_hi) = p.split_at(half);
            Num::Table(
                (0..half)
                    .into_par_iter()
                    .with_min_len(PAR_MIN)
                    .map(|i| p_lo[i] * q_hi[i] + p_hi[i] * q_lo[i])
                    .collect(),
            )
        }
    };
    Layer { p, q }
}

/// The four tables of one tree during a layer sumcheck: `p0, p1` (None when the numerator is a
/// constant), `q0, q1`, all of the same length.
struct Tables<EF> {
    constant: EF,
    p: Option<[Vec<EF>; 2]>,
    q: [Vec<EF>; 2],
}

/// Runs the sumcheck of one layer reduction; returns the layer proof and the sumcheck point.
fn prove_layer<EF: Field, T: FiatShamir<EF>>(
    children: &[&Layer<EF>],
    point: &[EF],
    lambda: EF,
    transcript: &mut T,
) -> (LayerProof<EF>, Vec<EF>) {
    let depth = point.len();
    let eqs = suffix_eq_tables(point);
    let mut tables: Vec<Tables<EF>> = children.iter().map(|c| split_children(c)).collect();
    let mut scale = EF::ONE; // Π_{i<j} eq(r_i, s_i)
    let mut rounds = Vec::with_capacity(depth);
    let mut s = Vec::with_capacity(depth);
    for (&r_j, eq) in point.iter().zip(&eqs) {
        // h(X) = Σ_{x'} eq(r_{>j}, x') G(X, x') at X = 0, 1, 2 (degree 2: Gruen's factoring of the
        // eq polynomial keeps the linear factor eq(r_j, X) out of the sum).
        let mut h = [EF::ZERO; 3];
        let mut coeff = EF::ONE;
        for t in &tables {
            let [a, b] = round_sums(t, eq);
            for x in 0..3 {
                h[x] += coeff * a[x] + coeff * lambda * b[x];
            }
            coeff *= lambda.square();
        }
        let h3 = h[0] + (h[2] - h[1]).double() + (h[2] - h[1]);
        let hs = [h[0], h[1], h[2], h3];
        let mut evals = [EF::ZERO; 4];
        let mut x = EF::ZERO;
        for (e, hx) in evals.iter_mut().zip(hs) {
            let eq_x = EF::ONE - r_j + x * (r_j.double() - EF::ONE);
            *e = scale * eq_x * hx;
            x += EF::ONE;
        }
        transcript.observe(LABEL_ROUND, &evals);
        let r = transcript.challenge(LABEL_CHALLENGE);
        rounds.push(evals.to_vec());
        for t in &mut tables {
            fold_tables(t, r);
        }
        scale *= r_j * r + (EF::ONE - r_j) * (EF::ONE - r);
        s.push(r);
    }
    let children = tables
        .iter()
        .map(|t| {
            let (p0, p1) = match &t.p {
                Some([p0, p1]) => (p0[0], p1[0]),
                None => (t.constant, t.constant),
            };
            [p0, p1, t.q[0][0], t.q[1][0]]
        })
        .collect();
    (
        LayerProof {
            sumcheck: SumcheckProof {
                round_polys: rounds,
            },
            children,
        },
        s,
    )
}

fn split_children<EF: Field>(child: &Layer<EF>) -> Tables<EF> {
    let half = child.q.len() / 2;
    let (q0, q1) = child.q.split_at(half);
    let (constant, p) = match &child.p {
        Num::Const(c) => (*c, None),
        Num::Table(p) => (EF::ZERO, Some([p[..half].to_vec(), p[half..].to_vec()])),
    };
    Tables {
        constant,
        p,
        q: [q0.to_vec(), q1.to_vec()],
    }
}

/// `[A, B]` at X = 0, 1, 2 where `A = Σ E (p0 q1 + p1 q0)` and `B = Σ E q0 q1`, binding the first
/// remaining variable to X.
fn round_sums<EF: Field>(t: &Tables<EF>, eq: &[EF]) -> [[EF; 3]; 2] {
    let half = t.q[0].len() / 2;
    let at = |v: &[EF], i: usize| {
        let (lo, hi) = (v[i], v[i + half]);
        [lo, hi, hi.double() - lo]
    };
    let zero = || [EF::ZERO; 6];
    let acc = (0..half)
        .into_par_iter()
        .with_min_len(PAR_MIN)
        .par_fold_reduce(
            zero,
            |mut acc, i| {
                let (q0, q1) = (at(&t.q[0], i), at(&t.q[1], i));
                let e = eq[i];
                match &t.p {
                    Some([p0, p1]) => {
                        let (p0, p1) = (at(p0, i), at(p1, i));
                        for x in 0..3 {
                            acc[x] += e * (p0[x] * q1[x] + p1[x] * q0[x]);
                        }
                    }
                    None => {
                        for x in 0..3 {
                            acc[x] += e * (q0[x] + q1[x]);
                        }
                    }
                }
                for x in 0..3 {
                    acc[3 + x] += e * (q0[x] * q1[x]);
                }
                acc
            },
            |mut a, b| {
                for (x, y) in a.iter_mut().zip(b) {
                    *x += y;
                }
                a
            },
        );
    let c = if t.p.is_some() { EF::ONE } else { t.constant };
    [
        [c * acc[0], c * acc[1], c * acc[2]],
        [acc[3], acc[4], acc[5]],
    ]
}

fn fold_tables<EF: Field>(t: &mut Tables<EF>, r: EF) {
    let fold = |v: &mut Vec<EF>| {
        let half = v.len() / 2;
        let (lo, hi) = v.split_at_mut(half);
        lo.par_iter_mut()
            .with_min_len(PAR_MIN)
            .zip(hi)
            .for_each(|(a, b)| *a += r * (*b - *a));
        v.truncate(half);
    };
    if let Some([p0, p1]) = &mut t.p {
        fold(p0);
        fold(p1);
    }
    fold(&mut t.q[0]);
    fold(&mut t.q[1]);
}

/// `E_j = eq(r_{j+1..}, ·)` for j = 0..len, MSB-first, built from the last variable up.
fn suffix_eq_tables<EF: Field>(r: &[EF]) -> Vec<Vec<EF>> {
    let mut tables = vec![vec![EF::ONE]];
    for &ri in r.iter().skip(1).rev() {
        let prev = tables.last().expect("seeded with one table");
        let mut next = Vec::with_capacity(prev.len() * 2);
        next.extend(prev.iter().map(|&e| e * (EF::ONE - ri)));
        next.extend(prev.iter().map(|&e| e * ri));
        tables.push(next);
    }
    tables.reverse();
    tables.truncate(r.len());
    tables
}
