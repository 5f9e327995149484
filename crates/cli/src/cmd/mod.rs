//! Subcommands.

pub mod accuracy;
pub mod conformance;
pub mod inspect;
pub mod quant_args;
pub mod run;
