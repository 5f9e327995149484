//! zkinfer-field (placeholder)
