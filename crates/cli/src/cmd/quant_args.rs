//! Options shared by the commands that quantize.

use clap::Args as ClapArgs;
use zkinfer_api::Widths;
use zkinfer_ir::QuantConfig;

/// Bit-width overrides; without them the widest activations that fit the field are chosen.
#[derive(ClapArgs, Debug, Clone)]
pub struct QuantArgs {
    /// Weight bits (2..=16); default 12.
    #[arg(long)]
    pub weight_bits: Option<u32>,
    /// Activation bits (2..=16); default: the widest of 16, 14, 12, 10, 8 that fits.
    #[arg(long)]
    pub act_bits: Option<u32>,
}

impl QuantArgs {
    /// The widths asked for.
    pub fn widths(&self) -> Widths {
        Widths {
            weight_bits: self.weight_bits,
            act_bits: self.act_bits,
        }
    }

    /// The configuration to force, or `None` for the automatic choice.
    pub fn config(&self) -> anyhow::Result<Option<QuantConfig>> {
        Ok(self.widths().config()?)
    }
}
