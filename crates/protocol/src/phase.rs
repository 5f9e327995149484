//! The prover's phases, announced as each starts to an observer the caller installs (the CLI's
//! spinner names them). One hook serves [`crate::prove`], [`crate::prove_zk`] and the sessions,
//! without a parameter threaded through every prover function and its cheating-prover twins.
//!
//! The observer is scoped to the calling thread: the phases are entered on it (the parallel work
//! inside a phase runs on rayon's threads, which never call the hook).

use std::cell::RefCell;

/// A phase of a proof, in the order a prover runs them (the fields of [`crate::ProveTiming`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    /// Evaluating the model and building the witness columns.
    Witness,
    /// Committing to the weights and the witness.
    Commit,
    /// The layers' sumchecks and lookups.
    Layers,
    /// The batched openings.
    Openings,
}

impl Phase {
    /// A short name for progress messages (the names `prove` prints its timing under).
    pub fn name(self) -> &'static str {
        match self {
            Self::Witness => "witness",
            Self::Commit => "commitments",
            Self::Layers => "layer proofs",
            Self::Openings => "openings",
        }
    }
}

type Observer = Box<dyn Fn(Phase)>;

thread_local! {
    static OBSERVER: RefCell<Option<Observer>> = const { RefCell::new(None) };
}

/// Runs `f` with `observer` told of every phase a proof on this thread enters; the previous
/// observer (if any) is restored afterwards, also when `f` panics.
pub fn with_phase_observer<R>(observer: impl Fn(Phase) + 'static, f: impl FnOnce() -> R) -> R {
    struct Restore(Option<Observer>);
    impl Drop for Restore {
        fn drop(&mut self) {
            let previous = self.0.take();
            OBSERVER.with(|o| *o.borrow_mut() = previous);
        }
    }
    let previous = OBSERVER.with(|o| o.borrow_mut().replace(Box::new(observer)));
    let _restore = Restore(previous);
    f()
}

/// Announces that `phase` starts.
pub(crate) fn enter(phase: Phase) {
    OBSERVER.with(|o| {
        if let Ok(o) = o.try_borrow()
            && let Some(f) = o.as_ref()
        {
            f(phase);
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::{input_len, mlp};
    use crate::{ProofMode, setup};
    use Phase::*;
    use std::rc::Rc;

    #[test]
    fn both_provers_announce_their_phases_in_order() {
        let model = mlp(3);
        let input: Vec<i64> = (0..input_len(&model) as i64).map(|i| i % 5 - 2).collect();
        // The plain prover recommits the weights before the witness is built.
        let cases: [(bool, &[Phase]); 2] = [
            (false, &[Commit, Witness, Commit, Layers, Openings]),
            (true, &[Witness, Commit, Layers, Openings]),
        ];
        for (zk, want) in cases {
            let mode = if zk {
                ProofMode::ZeroKnowledge
            } else {
                ProofMode::Plain
            };
            let (pk, _) = setup(model.clone(), mode).unwrap();
            let seen = Rc::new(RefCell::new(Vec::new()));
            let log = seen.clone();
            let proved = with_phase_observer(
                move |p| log.borrow_mut().push(p),
                || match zk {
                    true => crate::prove_zk(&pk, &input).map(|_| ()),
                    false => crate::prove(&pk, &input).map(|_| ()),
                },
            );
            proved.unwrap();
            let mut seen = seen.borrow().clone();
            seen.dedup();
            assert_eq!(seen, want, "zero knowledge: {zk}");
        }
        // Outside the scope nothing is observed (and nothing panics).
        enter(Layers);
    }
}
