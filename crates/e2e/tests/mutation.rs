//! Mutation testing of every file a stranger may hand zkinfer (issue 15): proofs of the three
//! kinds (plain, zero-knowledge, zero-knowledge with a private input), the private input's
//! opening, verifier keys, prover keys (each also with its integrity digest recomputed after the
//! mutation, so the parser and validation behind the digest are reached) and input JSON.
//!
//! Case `i` mutates target `i mod 17` (see `mutation/oracle.rs`) with a stream drawn from the seed
//! and `i` alone. No case may panic, take over `MAX_CASE`, or end in a wrong verdict: a changed
//! file accepted, or one equal in meaning to the original rejected (`mutation/oracle.rs`).
//!
//! - CI (`cargo test --workspace`): `SLICE` cases with a fixed seed, under a minute on 2 cores.
//! - The full run (docs/hostile-input.md records its result):
//!   `ZKINFER_MUTATIONS=17000 cargo test -p zkinfer-e2e --test mutation -- --nocapture`.
//! - `ZKINFER_MUTATION_SEED=N` picks another seed; `ZKINFER_MUTATION_CASE=I` replays case `I`
//!   alone (a failure prints the command); `ZKINFER_MUTATION_REPORT=FILE` writes the table.

#[path = "mutation/bytes.rs"]
mod bytes;
#[path = "mutation/corpus.rs"]
mod corpus;
#[path = "mutation/json.rs"]
mod json;
#[path = "mutation/oracle.rs"]
mod oracle;
#[path = "mutation/reencode.rs"]
mod reencode;
#[path = "mutation/rng.rs"]
mod rng;
#[path = "mutation/run.rs"]
mod run;

use std::sync::OnceLock;
use std::time::Instant;

use corpus::Corpus;
use oracle::{EQUAL, Kind, Seal, TARGETS, Verdict, check, original};
use run::{Tally, make_case};

/// Cases run by `cargo test` (about 150 per target).
const SLICE: u64 = 2550;
/// The seed when `ZKINFER_MUTATION_SEED` is not set.
const DEFAULT_SEED: u64 = 0x15_5eed;

fn corpus() -> &'static Corpus {
    static CORPUS: OnceLock<Corpus> = OnceLock::new();
    CORPUS.get_or_init(Corpus::build)
}

fn env_u64(name: &str) -> Option<u64> {
    let v = std::env::var(name).ok()?;
    let parsed = match v.strip_prefix("0x") {
        Some(hex) => u64::from_str_radix(hex, 16),
        None => v.parse(),
    };
    Some(parsed.unwrap_or_else(|e| panic!("{name}={v}: {e}")))
}

#[test]
fn seeded_mutations_are_refused_or_rejected_never_accepted() {
    let c = corpus();
    let seed = env_u64("ZKINFER_MUTATION_SEED").unwrap_or(DEFAULT_SEED);
    let count = env_u64("ZKINFER_MUTATIONS").unwrap_or(SLICE);
    let cases = match env_u64("ZKINFER_MUTATION_CASE") {
        Some(i) => i..i + 1,
        None => 0..count,
    };
    let single = cases.end - cases.start == 1;
    let mut tally = Tally::new(seed);
    let start = Instant::now();
    for i in cases {
        let case = make_case(c, seed, i);
        let verdict = tally.run(c, &case);
        if single {
            eprintln!(
                "case {i} ({}): {}: {verdict:?}",
                case.target.name, case.desc
            );
        }
    }
    let report = tally.report();
    eprintln!("{report}\nwall time {:.1} s", start.elapsed().as_secs_f64());
    if let Ok(path) = std::env::var("ZKINFER_MUTATION_REPORT") {
        std::fs::write(&path, &report).unwrap_or_else(|e| panic!("{path}: {e}"));
    }
    tally.assert_clean();
    // Every file but a key mutated without resealing (its digest refuses it, as it should) must
    // have cases that get past reading: otherwise the mutations only test the decoder.
    if !single {
        for (t, target) in TARGETS.iter().enumerate() {
            let raw_key = target.seal == Seal::Raw
                && matches!(
                    target.kind,
                    Kind::PlainVk | Kind::ZkVk | Kind::PlainPk | Kind::ZkPk
                );
            if !raw_key {
                assert!(
                    tally.checked(t) > 0,
                    "{}: no mutation got past reading",
                    target.name
                );
            }
        }
    }
}

/// Without this, an oracle that rejects everything would pass: the honest files, through the same
/// checks, are accepted (and equal to themselves).
#[test]
fn honest_files_are_accepted_by_every_oracle() {
    let c = corpus();
    for target in &TARGETS {
        for private in [false, true] {
            let bytes = original(c, target);
            let bytes = if target.seal != Seal::Raw {
                run::reseal(bytes[..bytes.len() - zkinfer_protocol::DIGEST_BYTES].to_vec())
            } else {
                bytes.to_vec()
            };
            assert_eq!(
                check(c, target, &bytes, private),
                Verdict::Ok(EQUAL),
                "{} (private {private})",
                target.name
            );
        }
    }
}

/// The oracles report a changed file that is accepted: each corpus below records an "original"
/// that differs from the honest file handed to the check, which verifies.
#[test]
fn a_planted_acceptance_is_reported() {
    let honest = corpus();
    let mut planted: Vec<(Kind, Corpus)> = vec![];
    let mut c = honest.clone();
    c.plain_proof.bytes[20] ^= 1;
    planted.push((Kind::PlainProof, c));
    let mut c = honest.clone();
    c.private_proof.bytes[20] ^= 1;
    planted.push((Kind::PrivateProof, c));
    let mut c = honest.clone();
    c.plain.vk.model_hash[0] ^= 1;
    planted.push((Kind::PlainVk, c));
    let mut c = honest.clone();
    c.zk.pk.model.name.push('!');
    planted.push((Kind::ZkPk, c));
    let mut c = honest.clone();
    c.input[0] += 1;
    c.input_json = honest.input_json.clone();
    planted.push((Kind::InputJson, c));
    let mut c = honest.clone();
    c.opening.input[0] += 1;
    planted.push((Kind::InputOpening, c));
    for (kind, c) in &planted {
        let target = TARGETS.iter().find(|t| t.kind == *kind).unwrap();
        let verdict = check(c, target, original(honest, target), false);
        assert!(
            matches!(&verdict, Verdict::Bug(m) if m.contains("accepted") || m.contains("matches")),
            "{}: {verdict:?}",
            target.name
        );
    }
    // And the tally turns a wrong verdict into a failure.
    let (kind, c) = &planted[0];
    let target = *TARGETS.iter().find(|t| t.kind == *kind).unwrap();
    let case = run::Case {
        index: 0,
        target,
        desc: "planted".into(),
        bytes: original(honest, &target).to_vec(),
        private: false,
    };
    let mut tally = Tally::new(0);
    tally.run(c, &case);
    assert_eq!(tally.failures.len(), 1);
    assert!(std::panic::catch_unwind(|| tally.assert_clean()).is_err());
}

/// A case is a function of the seed and its number, and always changes the file.
#[test]
fn cases_are_reproducible_and_change_the_file() {
    let c = corpus();
    for i in 0..2 * TARGETS.len() as u64 {
        let (a, b) = (make_case(c, 7, i), make_case(c, 7, i));
        assert_eq!((&a.bytes, &a.desc), (&b.bytes, &b.desc), "case {i}");
        assert_ne!(a.bytes, original(c, &a.target), "case {i} changed nothing");
    }
    let differ = (0..50)
        .filter(|&i| make_case(c, 7, i).bytes != make_case(c, 8, i).bytes)
        .count();
    assert!(
        differ >= 45,
        "seeds 7 and 8 gave the same file in {} of 50 cases",
        50 - differ
    );
}
