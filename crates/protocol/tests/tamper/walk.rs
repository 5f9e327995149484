//! A typed walk over every extension-field element and every list of a [`ModelProof`]'s layer
//! proofs (the PCS openings are p3 types, tampered at the byte level elsewhere), and the mutations
//! applied to what it finds.
//!
//! The walk visits "slots" in a fixed order; a mutant is (slot index, mutation). It is applied to a
//! clone by walking again and mutating the slot with that index, so no path type is needed.

use serde::Serialize;
use zkinfer_field::{EF, PrimeCharacteristicRing};
use zkinfer_layers::Plain;
use zkinfer_layers::matmul::MatMulProof;
use zkinfer_layers::maxpool::MaxPoolProof;
use zkinfer_layers::range::RangeProof;
use zkinfer_layers::requant::RequantProof;
use zkinfer_layers::wiring::WiringProof;
use zkinfer_lookup::LookupProof;
use zkinfer_protocol::{GroupReduction, ModelProof, StepProof};
use zkinfer_sumcheck::SumcheckProof;
use zkinfer_sumcheck::zk::masked::ClearSumcheckProof;

/// A list of composite items (sub-proofs, round polynomials, GKR children...): reorderable and
/// resizable without knowing the item type.
pub trait Items {
    fn len(&self) -> usize;
    fn same(&self, i: usize, j: usize) -> bool;
    fn swap(&mut self, i: usize, j: usize);
    fn pop(&mut self);
    fn dup_last(&mut self);
}

impl<T: Clone + Serialize> Items for Vec<T> {
    fn len(&self) -> usize {
        Vec::len(self)
    }
    fn same(&self, i: usize, j: usize) -> bool {
        postcard::to_allocvec(&self[i]).unwrap() == postcard::to_allocvec(&self[j]).unwrap()
    }
    fn swap(&mut self, i: usize, j: usize) {
        <[T]>::swap(self, i, j)
    }
    fn pop(&mut self) {
        Vec::pop(self);
    }
    fn dup_last(&mut self) {
        if let Some(x) = self.last().cloned() {
            self.push(x);
        }
    }
}

/// What the walk hands to its visitor.
pub enum Slot<'a> {
    /// A variable-length list of field elements.
    List(&'a mut Vec<EF>),
    /// A fixed group of field elements (an array, or one scalar).
    Fixed(&'a mut [EF]),
    /// A list of composite items.
    Items(&'a mut dyn Items),
}

type Visit<'v> = dyn FnMut(&str, Slot<'_>) + 'v;

fn sumcheck(path: &str, p: &mut SumcheckProof<EF>, f: &mut Visit) {
    f(
        &format!("{path}.round_polys"),
        Slot::Items(&mut p.round_polys),
    );
    for (i, r) in p.round_polys.iter_mut().enumerate() {
        f(&format!("{path}.round_polys[{i}]"), Slot::List(r));
    }
}

fn clear(path: &str, p: &mut ClearSumcheckProof<EF>, f: &mut Visit) {
    sumcheck(&format!("{path}.rounds"), &mut p.rounds, f);
    f(
        &format!("{path}.final_values"),
        Slot::List(&mut p.final_values),
    );
}

fn wiring(path: &str, p: &mut WiringProof<Plain>, f: &mut Visit) {
    clear(&format!("{path}.sumcheck"), &mut p.sumcheck, f);
}

fn matmul(path: &str, p: &mut MatMulProof<Plain>, f: &mut Visit) {
    if let Some(b) = p.bias_eval.as_mut() {
        f(
            &format!("{path}.bias_eval"),
            Slot::Fixed(std::slice::from_mut(b)),
        );
    }
    clear(&format!("{path}.sumcheck"), &mut p.sumcheck, f);
}

fn lookup(path: &str, p: &mut LookupProof<EF>, f: &mut Visit) {
    let gkr = &mut p.gkr;
    f(&format!("{path}.gkr.roots"), Slot::Items(&mut gkr.roots));
    for (i, r) in gkr.roots.iter_mut().enumerate() {
        f(&format!("{path}.gkr.roots[{i}]"), Slot::Fixed(r));
    }
    f(&format!("{path}.gkr.layers"), Slot::Items(&mut gkr.layers));
    for (i, l) in gkr.layers.iter_mut().enumerate() {
        let lp = format!("{path}.gkr.layers[{i}]");
        sumcheck(&format!("{lp}.sumcheck"), &mut l.sumcheck, f);
        f(&format!("{lp}.children"), Slot::Items(&mut l.children));
        for (j, c) in l.children.iter_mut().enumerate() {
            f(&format!("{lp}.children[{j}]"), Slot::Fixed(c));
        }
    }
    f(
        &format!("{path}.lookup_evals"),
        Slot::List(&mut p.lookup_evals),
    );
}

fn range(path: &str, p: &mut RangeProof, f: &mut Visit) {
    lookup(&format!("{path}.lookup"), &mut p.lookup, f);
    f(&format!("{path}.evals"), Slot::List(&mut p.evals));
}

fn requant(path: &str, p: &mut RequantProof, f: &mut Visit) {
    range(&format!("{path}.range"), &mut p.range, f);
    if let Some(zc) = p.zero_check.as_mut() {
        sumcheck(&format!("{path}.zero_check"), zc, f);
    }
    f(&format!("{path}.zero_evals"), Slot::List(&mut p.zero_evals));
}

fn maxpool(path: &str, p: &mut MaxPoolProof, f: &mut Visit) {
    range(&format!("{path}.range"), &mut p.range, f);
    sumcheck(&format!("{path}.zerocheck"), &mut p.zerocheck, f);
    f(&format!("{path}.diff_evals"), Slot::List(&mut p.diff_evals));
    f(&format!("{path}.evals"), Slot::List(&mut p.evals));
}

fn reductions(path: &str, rs: &mut Vec<GroupReduction>, f: &mut Visit) {
    f(path, Slot::Items(rs));
    for (i, r) in rs.iter_mut().enumerate() {
        sumcheck(&format!("{path}[{i}].sumcheck"), &mut r.sumcheck, f);
        f(&format!("{path}[{i}].evals"), Slot::List(&mut r.evals));
    }
}

/// Visits every slot of the layer proofs, the weights' range checks and the claim reductions, in
/// a fixed order.
pub fn walk(proof: &mut ModelProof, f: &mut Visit) {
    reductions("witness_reduction", &mut proof.witness_reduction, f);
    reductions("weight_reduction", &mut proof.weight_reduction, f);
    wiring("output_view", &mut proof.output_view, f);
    for (i, step) in proof.steps.iter_mut().enumerate() {
        match step {
            StepProof::Linear(w) => wiring(&format!("steps[{i}].Linear"), w, f),
            StepProof::MatMul {
                to_prod,
                matmul: m,
                patches,
            } => {
                wiring(&format!("steps[{i}].MatMul.to_prod"), to_prod, f);
                matmul(&format!("steps[{i}].MatMul.matmul"), m, f);
                wiring(&format!("steps[{i}].MatMul.patches"), patches, f);
            }
            StepProof::Requant(r) => requant(&format!("steps[{i}].Requant"), r, f),
            StepProof::MaxPool { pool, taps } => {
                maxpool(&format!("steps[{i}].MaxPool.pool"), pool, f);
                f(&format!("steps[{i}].MaxPool.taps"), Slot::Items(taps));
                for (j, t) in taps.iter_mut().enumerate() {
                    wiring(&format!("steps[{i}].MaxPool.taps[{j}]"), t, f);
                }
            }
        }
    }
    f("weight_range", Slot::Items(&mut proof.weight_range));
    for (i, w) in proof.weight_range.iter_mut().enumerate() {
        if let Some(r) = w.range.as_mut() {
            range(&format!("weight_range[{i}].range"), r, f);
        }
    }
}

/// One tampering of one slot.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mutation {
    /// Element `i` plus one.
    Add1(usize),
    /// Element `i` set to zero.
    Zero(usize),
    /// Element `i` set to `p - 1`.
    MinusOne(usize),
    /// Elements (or items) `i` and `i + 1` swapped.
    SwapNext(usize),
    /// A zero element appended to a list.
    PushZero,
    /// The last element (or item) removed.
    Pop,
    /// The last item repeated.
    DupLast,
}

fn element_mutations(v: &[EF], out: &mut Vec<Mutation>) {
    for (i, &e) in v.iter().enumerate() {
        out.push(Mutation::Add1(i));
        if e != EF::ZERO {
            out.push(Mutation::Zero(i));
        }
        if e != EF::NEG_ONE {
            out.push(Mutation::MinusOne(i));
        }
        if v.get(i + 1).is_some_and(|&n| n != e) {
            out.push(Mutation::SwapNext(i));
        }
    }
}

/// Every mutant of `proof`'s layer proofs: (slot index, slot path, mutation). Mutations that leave
/// the proof unchanged (setting a zero to zero, swapping equal neighbours) are left out.
pub fn mutants(proof: &ModelProof) -> Vec<(usize, String, Mutation)> {
    let mut out = vec![];
    let mut slot = 0;
    walk(&mut proof.clone(), &mut |path, s| {
        let mut ms = vec![];
        match s {
            Slot::List(v) => {
                element_mutations(v, &mut ms);
                ms.push(Mutation::PushZero);
                if !v.is_empty() {
                    ms.push(Mutation::Pop);
                }
            }
            Slot::Fixed(v) => element_mutations(v, &mut ms),
            Slot::Items(items) => {
                for i in 0..items.len().saturating_sub(1) {
                    if !items.same(i, i + 1) {
                        ms.push(Mutation::SwapNext(i));
                    }
                }
                if items.len() > 0 {
                    ms.extend([Mutation::Pop, Mutation::DupLast]);
                }
            }
        }
        out.extend(ms.into_iter().map(|m| (slot, path.to_string(), m)));
        slot += 1;
    });
    out
}

fn mutate_elements(v: &mut [EF], m: Mutation) {
    match m {
        Mutation::Add1(i) => v[i] += EF::ONE,
        Mutation::Zero(i) => v[i] = EF::ZERO,
        Mutation::MinusOne(i) => v[i] = EF::NEG_ONE,
        Mutation::SwapNext(i) => v.swap(i, i + 1),
        Mutation::PushZero | Mutation::Pop | Mutation::DupLast => {
            unreachable!("{m:?} on a fixed group")
        }
    }
}

/// Applies mutation `m` to slot number `target` of `proof`.
pub fn apply(proof: &mut ModelProof, target: usize, m: &Mutation) {
    let mut slot = 0;
    let mut done = false;
    walk(proof, &mut |_, s| {
        if slot == target {
            match (s, *m) {
                (Slot::List(v), Mutation::PushZero) => v.push(EF::ZERO),
                (Slot::List(v), Mutation::Pop) => {
                    v.pop();
                }
                (Slot::List(v), m) => mutate_elements(v, m),
                (Slot::Fixed(v), m) => mutate_elements(v, m),
                (Slot::Items(items), Mutation::SwapNext(i)) => items.swap(i, i + 1),
                (Slot::Items(items), Mutation::Pop) => items.pop(),
                (Slot::Items(items), Mutation::DupLast) => items.dup_last(),
                (Slot::Items(_), m) => unreachable!("{m:?} on a list of items"),
            }
            done = true;
        }
        slot += 1;
    });
    assert!(done, "slot {target} not found");
}
