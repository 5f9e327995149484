//! Quantization settings.

use serde::{Deserialize, Serialize};

/// Bit widths and table precisions of the quantizer. All values are symmetric (zero point 0): an
/// `n`-bit tensor holds integers in `[-(2^(n-1)-1), 2^(n-1)-1]`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuantConfig {
    /// Bits of weights (Gemm, MatMul and Conv kernels, constant multipliers). 2..=16.
    pub weight_bits: u32,
    /// Bits of activations (every requantized tensor, table outputs). 2..=16; tables over an
    /// activation domain have at most 2^act_bits entries.
    pub act_bits: u32,
    /// Softmax: the exp table's output is an integer in [0, 2^softmax_exp_bits].
    pub softmax_exp_bits: u32,
    /// Softmax: probabilities are integers in [0, 2^softmax_out_bits] (scale 2^-softmax_out_bits).
    pub softmax_out_bits: u32,
    /// Largest requantization multiplier m (in bits); m is also limited by the accumulator bound.
    pub max_multiplier_bits: u32,
}

impl Default for QuantConfig {
    /// 12-bit weights, activations of at most 16 bits (narrowed per layer where an accumulator would
    /// otherwise reach the field limit): chosen by measured accuracy on the shared models, see
    /// docs/quantization.md.
    fn default() -> Self {
        Self {
            weight_bits: 12,
            act_bits: 16,
            softmax_exp_bits: 14,
            softmax_out_bits: 14,
            max_multiplier_bits: 16,
        }
    }
}

impl QuantConfig {
    /// Largest weight magnitude, 2^(weight_bits-1) - 1.
    pub fn weight_max(&self) -> i64 {
        (1i64 << (self.weight_bits - 1)) - 1
    }

    /// Largest activation magnitude, 2^(act_bits-1) - 1.
    pub fn act_max(&self) -> i64 {
        (1i64 << (self.act_bits - 1)) - 1
    }

    /// Rejects widths the integer pipeline cannot honour (tables would exceed 2^16 entries, or
    /// shifts would overflow).
    pub fn check(&self) -> Result<(), String> {
        if !(2..=16).contains(&self.weight_bits) {
            return Err(format!("weight_bits {} not in 2..=16", self.weight_bits));
        }
        if !(2..=16).contains(&self.act_bits) {
            return Err(format!("act_bits {} not in 2..=16", self.act_bits));
        }
        if !(4..=15).contains(&self.softmax_exp_bits) || !(4..=15).contains(&self.softmax_out_bits)
        {
            return Err("softmax_exp_bits and softmax_out_bits must be in 4..=15".into());
        }
        if self.softmax_exp_bits + self.softmax_out_bits > 28 {
            return Err("softmax_exp_bits + softmax_out_bits must be <= 28 (field bound)".into());
        }
        if !(1..=24).contains(&self.max_multiplier_bits) {
            return Err(format!(
                "max_multiplier_bits {} not in 1..=24",
                self.max_multiplier_bits
            ));
        }
        Ok(())
    }
}
