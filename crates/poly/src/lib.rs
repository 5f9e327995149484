//! zkinfer-poly (placeholder)
