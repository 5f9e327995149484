//! zkinfer-pcs (placeholder)
