//! Soundness tests: each tampering is caught by the check it targets.
