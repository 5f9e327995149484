//! EZKL's stored figures (../shared/ezkl/results.md): the reference the benchmarks compare with.

/// One model proven by EZKL 23.0.5 in its default configuration (input and output public, weights
/// fixed in the circuit), on the same machine kind.
#[derive(Debug, Clone, Copy)]
pub struct EzklPoint {
    pub model: &'static str,
    /// MACs of the model (../shared/models/summary.json).
    pub macs: u64,
    pub prove_s: f64,
    pub verify_s: f64,
    pub proof_bytes: u64,
    /// Peak RSS of the proving process, MB.
    pub peak_mb: f64,
}

/// EZKL 23.0.5, default config, medians of 3 (lenet5_28: 1 prove).
pub const EZKL: [EzklPoint; 5] = [
    point("digits_linear", 640, 3.585, 0.030, 3072, 338.0),
    point("digits_mlp", 6_464, 3.780, 0.028, 3072, 346.0),
    point("digits_cnn", 23_680, 8.286, 0.049, 3072, 656.0),
    point("lenet5_28", 416_520, 137.9, 0.729, 4032, 11_119.0),
    point("attention", 10_240, 116.0, 0.418, 7456, 9_941.0),
];

const fn point(
    model: &'static str,
    macs: u64,
    prove_s: f64,
    verify_s: f64,
    proof_bytes: u64,
    peak_mb: f64,
) -> EzklPoint {
    EzklPoint {
        model,
        macs,
        prove_s,
        verify_s,
        proof_bytes,
        peak_mb,
    }
}

/// EZKL's figures for `model`, if it has them.
pub fn ezkl(model: &str) -> Option<&'static EzklPoint> {
    EZKL.iter().find(|e| e.model == model)
}
