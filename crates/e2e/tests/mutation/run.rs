//! Running cases: each case's mutated file is made from the run's seed and the case's number
//! alone, checked under `catch_unwind` and timed; the tally counts outcomes per target and keeps
//! every failure with the command that replays it.

use std::collections::BTreeMap;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::time::{Duration, Instant};

use sha2::{Digest, Sha256};
use zkinfer_protocol::DIGEST_BYTES;

use super::corpus::Corpus;
use super::oracle::{EQUAL, Kind, Seal, TARGETS, Target, Verdict, check, original};
use super::rng::Rng;
use super::{bytes, json, reencode};

/// The slowest a case may be (dev profile, 2 busy cores); the slowest cases measured take well
/// under a second.
pub const MAX_CASE: Duration = Duration::from_secs(20);

/// One mutated file.
pub struct Case {
    pub index: u64,
    pub target: Target,
    pub desc: String,
    pub bytes: Vec<u8>,
    /// Whether a zk verifier or prover key is checked with the private-input proof (and an input
    /// with the zk proof rather than the plain one).
    pub private: bool,
}

/// A key file's contents with a fresh digest appended: what a forger who rewrote the digest
/// after changing the body would hand over.
pub fn reseal(mut contents: Vec<u8>) -> Vec<u8> {
    let digest = Sha256::digest(&contents);
    contents.extend_from_slice(&digest);
    contents
}

/// Case `index` of the run seeded with `seed`.
pub fn make_case(c: &Corpus, seed: u64, index: u64) -> Case {
    let target = TARGETS[(index % TARGETS.len() as u64) as usize];
    let mut rng = Rng::for_case(seed, index);
    let honest = original(c, &target);
    let reencoded = match (target.seal, target.kind) {
        (Seal::Reencoded, Kind::PlainVk) => reencode::verifier_key(&c.plain.vk, &mut rng),
        (Seal::Reencoded, Kind::ZkVk) => reencode::verifier_key(&c.zk.vk, &mut rng),
        (Seal::Reencoded, Kind::PlainPk) => reencode::prover_key(&c.plain.pk, &mut rng),
        (Seal::Reencoded, Kind::ZkPk) => reencode::prover_key(&c.zk.pk, &mut rng),
        _ => None,
    };
    let (bytes, desc) = match (reencoded, target.kind) {
        (Some(r), _) => r,
        (None, Kind::InputJson | Kind::InputOpening) => json::mutate(honest, &mut rng),
        // A value no edit changed (rare): a resealed byte mutation instead.
        _ if target.seal != Seal::Raw => {
            let contents = &honest[..honest.len() - DIGEST_BYTES];
            let (m, desc) = bytes::mutate(contents, &mut rng);
            let desc = if target.seal == Seal::Reencoded {
                format!("(no edit read back; bytes, resealed) {desc}")
            } else {
                desc
            };
            (reseal(m), desc)
        }
        _ => bytes::mutate(honest, &mut rng),
    };
    Case {
        index,
        target,
        desc,
        bytes,
        private: rng.chance(1, 2),
    }
}

fn panic_message(p: &(dyn std::any::Any + Send)) -> String {
    p.downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| p.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "(non-string panic)".into())
}

/// Outcome counts, failures and the slowest cases of a run.
#[derive(Default)]
pub struct Tally {
    pub seed: u64,
    /// (target index, outcome) -> cases.
    pub counts: BTreeMap<(usize, &'static str), usize>,
    pub failures: Vec<String>,
    /// The five slowest cases, slowest first.
    pub slowest: Vec<(Duration, String)>,
    pub cases: u64,
    pub elapsed: Duration,
}

impl Tally {
    pub fn new(seed: u64) -> Self {
        Tally {
            seed,
            ..Tally::default()
        }
    }

    fn replay(&self, index: u64) -> String {
        format!(
            "ZKINFER_MUTATION_SEED={:#x} ZKINFER_MUTATION_CASE={index} cargo test -p zkinfer-e2e \
             --test mutation -- --nocapture",
            self.seed
        )
    }

    /// Checks `case` and counts its outcome.
    pub fn run(&mut self, c: &Corpus, case: &Case) -> Verdict {
        let start = Instant::now();
        let result = catch_unwind(AssertUnwindSafe(|| {
            check(c, &case.target, &case.bytes, case.private)
        }));
        let took = start.elapsed();
        self.cases += 1;
        self.elapsed += took;
        let verdict =
            result.unwrap_or_else(|p| Verdict::Bug(format!("PANIC: {}", panic_message(&*p))));
        let t = TARGETS
            .iter()
            .position(|t| t.name == case.target.name)
            .unwrap_or(0);
        let label = match &verdict {
            Verdict::Ok(l) => l,
            Verdict::Bug(m) if m.starts_with("PANIC") => "PANIC",
            Verdict::Bug(_) => "WRONG VERDICT",
        };
        *self.counts.entry((t, label)).or_default() += 1;
        let name = format!(
            "case {} ({}, {}): {}",
            case.index, c.name, case.target.name, case.desc
        );
        if let Verdict::Bug(m) = &verdict {
            self.failures.push(format!(
                "{name}: {m}\n    replay: {}",
                self.replay(case.index)
            ));
        }
        if took > MAX_CASE {
            self.failures.push(format!(
                "{name}: took {took:?} (limit {MAX_CASE:?})\n    replay: {}",
                self.replay(case.index)
            ));
        }
        self.slowest.push((took, name));
        self.slowest.sort_by_key(|s| std::cmp::Reverse(s.0));
        self.slowest.truncate(5);
        verdict
    }

    fn of(&self, t: usize) -> impl Iterator<Item = (&'static str, usize)> + '_ {
        self.counts
            .iter()
            .filter(move |((i, _), _)| *i == t)
            .map(|((_, l), n)| (*l, *n))
    }

    /// The outcome table (markdown) and the slowest cases.
    pub fn report(&self) -> String {
        let mut s = format!(
            "seed {:#x}, {} cases in {:.1} s of checking\n\n| file | cases | refused when read | \
             rejected when checked | equal in meaning | panics or wrong verdicts | outcomes |\n\
             |---|---|---|---|---|---|---|\n",
            self.seed,
            self.cases,
            self.elapsed.as_secs_f64()
        );
        for (t, target) in TARGETS.iter().enumerate() {
            let (mut total, mut refused, mut rejected, mut equal, mut bad) = (0, 0, 0, 0, 0);
            let mut detail = vec![];
            for (label, n) in self.of(t) {
                total += n;
                match label {
                    EQUAL => equal += n,
                    "PANIC" | "WRONG VERDICT" => bad += n,
                    l if l.starts_with("refused") => refused += n,
                    _ => rejected += n,
                }
                detail.push(format!("{label}: {n}"));
            }
            s += &format!(
                "| {} | {total} | {refused} | {rejected} | {equal} | {bad} | {} |\n",
                target.name,
                detail.join("; ")
            );
        }
        s += "\nslowest cases:\n";
        for (d, name) in &self.slowest {
            s += &format!("- {:.3} s: {name}\n", d.as_secs_f64());
        }
        s
    }

    /// Fails with every failure and its replay command.
    pub fn assert_clean(&self) {
        assert!(
            self.failures.is_empty(),
            "{} of {} mutation cases failed:\n{}",
            self.failures.len(),
            self.cases,
            self.failures.join("\n")
        );
    }

    /// Cases of target `t` that got past reading (so reached the verifier or the prover).
    pub fn checked(&self, t: usize) -> usize {
        self.of(t)
            .filter(|(l, _)| !l.starts_with("refused"))
            .map(|(_, n)| n)
            .sum()
    }
}
