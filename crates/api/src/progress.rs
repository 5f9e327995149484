//! Progress reports: a callback told, on the calling thread, of each long step as it starts
//! ("quantizing the model", "committing to the weights", "proving: witness", ...). The CLI's
//! spinner shows them; the Python package passes them to a Python callable.

use std::sync::Arc;

/// A progress callback. `Send + Sync` so that a caller that runs the work on another thread (the
/// Python package releases the GIL while proving) can hand it over.
pub type Progress = Arc<dyn Fn(&str) + Send + Sync>;

/// Tells `progress` (if any) that `step` starts.
pub(crate) fn report(progress: Option<&Progress>, step: &str) {
    if let Some(p) = progress {
        p(step);
    }
}

/// Runs `f` with every phase of a proof made inside it reported to `progress` as
/// "proving: PHASE" (`zkinfer_protocol::with_phase_observer`).
pub fn with_phases<R>(progress: Option<&Progress>, f: impl FnOnce() -> R) -> R {
    match progress {
        Some(p) => {
            let p = p.clone();
            zkinfer_protocol::with_phase_observer(
                move |phase| p(&format!("proving: {}", phase.name())),
                f,
            )
        }
        None => f(),
    }
}
