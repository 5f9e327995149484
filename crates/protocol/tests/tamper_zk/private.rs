//! The battery on proofs with a private input (`prove_zk_private` / `verify_zk_private`): the same
//! generic walk (sampled; it also reaches the link value `input_value`), the input commitment and
//! its opening at the byte level, the private parts swapped, removed or grafted onto a public
//! proof, and a private proof presented as a public one and the other way round.

use std::sync::OnceLock;
use std::time::Instant;

use zkinfer_ir::QModel;
use zkinfer_pcs::{Commitment, HidingOpeningProof};
use zkinfer_protocol::test_support::{Rng, input_len, maxpool, mlp};
use zkinfer_protocol::{
    VerifierKey, ZkModelProof, prove_zk, prove_zk_private, setup, verify_zk, verify_zk_private,
};

use super::fixture::Tally;
use super::harness::spread;
use super::map;
use super::mutants::{element_mutants, structure_mutants};
use super::serde_walk::splice;

pub struct PrivateFixture {
    pub name: &'static str,
    pub vk: VerifierKey,
    pub other_weights_vk: VerifierKey,
    pub input: Vec<i64>,
    pub output: Vec<i64>,
    /// A private-input proof of `input`.
    pub proof: ZkModelProof,
    /// Another private-input proof of the same input (another input commitment).
    pub again: ZkModelProof,
    /// A public-input proof of the same input.
    pub public: ZkModelProof,
}

fn fixture(name: &'static str, build: fn(u64) -> QModel) -> PrivateFixture {
    let model = build(7);
    let input = Rng(8).vec(input_len(&model), 127);
    let (pk, vk) = setup(model, zkinfer_protocol::ProofMode::ZeroKnowledge).unwrap();
    let (_, other_weights_vk) =
        setup(build(9), zkinfer_protocol::ProofMode::ZeroKnowledge).unwrap();
    let (output, proof, _) = prove_zk_private(&pk, &input).unwrap();
    let (_, again, _) = prove_zk_private(&pk, &input).unwrap();
    let (_, public) = prove_zk(&pk, &input).unwrap();
    verify_zk_private(&vk, &output, &proof).expect("the private proof verifies");
    verify_zk_private(&vk, &output, &again).expect("the other private proof verifies");
    verify_zk(&vk, &input, &output, &public).expect("the public proof verifies");
    assert_ne!(proof.input_commitment, again.input_commitment);
    PrivateFixture {
        name,
        vk,
        other_weights_vk,
        input,
        output,
        proof,
        again,
        public,
    }
}

pub fn fixtures() -> &'static [PrivateFixture] {
    static ALL: OnceLock<Vec<PrivateFixture>> = OnceLock::new();
    ALL.get_or_init(|| vec![fixture("mlp", mlp), fixture("maxpool", maxpool)])
}

#[test]
fn private_input_proof_tampered_is_rejected() {
    let start = Instant::now();
    for fx in fixtures() {
        let mut tally = Tally::default();
        let (vk, y, p) = (&fx.vk, &fx.output, &fx.proof);
        // The same walk as the public battery. A private verification opens the input commitment
        // before it reaches the back end, so a mutant costs a full opening check (~20 ms): of
        // each top-level field (`input_value`, `input_range`, `steps`, `opening`...) every
        // `stride`-th mutant is tried, at most `PER_FIELD` (all of the small ones). The public
        // battery covers all but the `input_*` fields exhaustively.
        const PER_FIELD: usize = 60;
        let m = map(p);
        let all: Vec<_> = element_mutants(&m)
            .into_iter()
            .chain(structure_mutants(&m))
            .collect();
        let top = |path: &str| {
            path.split(['.', '['])
                .next()
                .unwrap_or_default()
                .to_string()
        };
        let mut by_field = std::collections::BTreeMap::<String, Vec<_>>::new();
        for mt in &all {
            by_field.entry(top(&mt.path)).or_default().push(mt);
        }
        let list = by_field.values().flat_map(|v| {
            let stride = v.len().div_ceil(PER_FIELD);
            v.iter().step_by(stride).copied()
        });
        let mut private_parts = 0;
        for mt in list {
            private_parts += mt.path.starts_with("input_") as usize;
            let bytes = splice(&m.bytes, &mt.edits);
            assert_ne!(bytes, m.bytes);
            let label = || format!("{} {:?}", mt.path, mt.what);
            tally.check_bytes_with(&mt.field(), label, vk, None, y, &bytes);
        }
        assert!(
            private_parts >= 4,
            "{}: {private_parts} private-part mutants",
            fx.name
        );
        // The input commitment and its opening, at the byte level.
        let bytes = p.input_opening.as_ref().unwrap().to_bytes();
        for pos in spread(bytes.len(), 60) {
            for flip in [0x01u8, 0x80] {
                let mut b = bytes.clone();
                b[pos] ^= flip;
                let Ok(o) = HidingOpeningProof::from_bytes(&b) else {
                    tally.refused_by_decoder += 1;
                    continue;
                };
                let mut bad = p.clone();
                bad.input_opening = Some(o);
                let label = || format!("input_opening byte {pos} ^ {flip:#x}");
                tally.check_with("input_opening bytes", label, vk, None, y, &bad);
            }
        }
        let bytes = p.input_commitment.as_ref().unwrap().to_bytes();
        for pos in 0..bytes.len() {
            let mut b = bytes.clone();
            b[pos] ^= 1;
            let Ok(c) = Commitment::from_bytes(&b) else {
                tally.refused_by_decoder += 1;
                continue;
            };
            let mut bad = p.clone();
            bad.input_commitment = Some(c);
            let label = || format!("input_commitment byte {pos} ^ 1");
            tally.check_with("input_commitment bytes", label, vk, None, y, &bad);
        }
        // The private parts from the other private proof of the same input, or removed.
        type Part = fn(&mut ZkModelProof, &ZkModelProof);
        let parts: [(&str, Part); 6] = [
            ("input_commitment", |b, d| {
                b.input_commitment = d.input_commitment.clone()
            }),
            ("input_value", |b, d| b.input_value = d.input_value),
            ("input_range", |b, d| b.input_range = d.input_range.clone()),
            ("input_opening", |b, d| {
                b.input_opening = d.input_opening.clone()
            }),
            ("input_commitment and its opening", |b, d| {
                b.input_commitment = d.input_commitment.clone();
                b.input_opening = d.input_opening.clone();
            }),
            ("every private part", |b, d| {
                b.input_commitment = d.input_commitment.clone();
                b.input_value = d.input_value;
                b.input_opening = d.input_opening.clone();
                b.input_range = d.input_range.clone();
            }),
        ];
        let none = fx.public.clone();
        for (what, take) in parts {
            let mut bad = p.clone();
            take(&mut bad, &fx.again);
            let label = || format!("{what} from the other private proof");
            tally.check_with("private part swapped", label, vk, None, y, &bad);
            let mut bad = p.clone();
            take(&mut bad, &none);
            let label = || format!("{what} removed");
            tally.check_with("private part removed", label, vk, None, y, &bad);
            // Grafted onto the public proof of the same input, checked either way.
            let mut bad = fx.public.clone();
            take(&mut bad, p);
            let label = || format!("{what} grafted onto the public proof, private");
            tally.check_with("grafted", label, vk, None, y, &bad);
            let label = || format!("{what} grafted onto the public proof, public");
            tally.check_with("grafted", label, vk, Some(&fx.input), y, &bad);
        }
        // The other private proof's statement parts with this proof's body.
        let mut bad = fx.again.clone();
        bad.steps = p.steps.clone();
        tally.check_with(
            "private part swapped",
            || "steps of the other private proof".into(),
            vk,
            None,
            y,
            &bad,
        );
        // Modes crossed, statements changed.
        let x = Some(fx.input.as_slice());
        tally.check_with(
            "mode",
            || "private proof verified as public".into(),
            vk,
            x,
            y,
            p,
        );
        tally.check_with(
            "mode",
            || "public proof verified as private".into(),
            vk,
            None,
            y,
            &fx.public,
        );
        for i in 0..y.len() {
            for d in [1, -1] {
                let mut bad = y.clone();
                bad[i] += d;
                tally.check_with("output", || format!("output[{i}] {d:+}"), vk, None, &bad, p);
            }
        }
        let owk = &fx.other_weights_vk;
        tally.check_with(
            "other key",
            || "vk of other weights".into(),
            owk,
            None,
            y,
            p,
        );
        tally.assert_all_rejected(&format!("{} private input", fx.name), 300);
    }
    eprintln!("private input: {:?}", start.elapsed());
}
