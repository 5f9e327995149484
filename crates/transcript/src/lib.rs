//! zkinfer-transcript (placeholder)
