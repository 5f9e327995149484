//! zkinfer-ir (placeholder)
