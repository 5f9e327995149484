//! Subcommands.

pub mod accuracy;
pub mod conformance;
pub mod estimate;
pub mod inspect;
mod inspect_proof;
pub mod quant_args;
pub mod run;
