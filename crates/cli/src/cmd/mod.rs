//! Subcommands.

pub mod accuracy;
pub mod conformance;
pub mod demo;
pub mod estimate;
pub mod files;
pub mod inspect;
mod inspect_proof;
pub mod prove;
pub mod quant_args;
pub mod run;
pub mod setup;
pub mod verify;
