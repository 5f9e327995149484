//! zkinfer-lookup (placeholder)
