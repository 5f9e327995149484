//! Verifier-fixed parameters and the soundness report.

use p3_sumcheck::PrescribedPointPcs;
use p3_whir::{
    FoldingFactor, ProtocolParameters, SecurityAssumption, WhirConfig, ZkParameters, ZkWhirConfig,
};
use zkinfer_field::{EF, F};
use zkinfer_transcript::Challenger;

use crate::PcsError;
use crate::layout::{MAX_NUM_VARS, StackLayout};
use crate::types::{Dft, Whir, mmcs};

/// WHIR parameters. Fixed by the verifier; never read from a proof.
#[derive(Clone, Debug, PartialEq)]
pub struct PcsParams {
    /// Target bits for *each* error term (p3's `security_level`); the combined bound is lower.
    pub security_level: usize,
    /// Grinding budget per round.
    pub pow_bits: usize,
    /// Variables folded per WHIR round (`k`, also the first round's `k0`).
    pub folding_factor: usize,
    /// `log2(1/rate)` of the first Reed-Solomon code.
    pub starting_log_inv_rate: usize,
    /// Proximity regime. Only `UniqueDecoding` and `JohnsonBound` are provable.
    pub soundness: SecurityAssumption,
    /// Openings and verifications refuse shapes whose combined provable bound is below this.
    pub min_soundness_bits: f64,
}

impl Default for PcsParams {
    /// EF4 + unique decoding, 106 bits per term, 16 PoW bits, k = 4, rate 1/2: combined bound
    /// >= 100.88 bits up to 2^22 (p3-whir's conjectured round-by-round soundness at these parameters).
    fn default() -> Self {
        Self {
            security_level: 106,
            pow_bits: 16,
            folding_factor: 4,
            starting_log_inv_rate: 1,
            soundness: SecurityAssumption::UniqueDecoding,
            min_soundness_bits: 100.0,
        }
    }
}

impl PcsParams {
    pub(crate) fn protocol_parameters(&self) -> ProtocolParameters {
        ProtocolParameters {
            security_level: self.security_level,
            pow_bits: self.pow_bits,
            soundness_type: self.soundness,
            folding_factor: FoldingFactor::Constant(self.folding_factor),
            starting_log_inv_rate: self.starting_log_inv_rate,
            round_log_inv_rates: vec![],
        }
    }

    /// Refuses the conjectured regime: this crate promises provable soundness.
    pub(crate) fn check_provable(&self) -> Result<(), PcsError> {
        if self.soundness == SecurityAssumption::CapacityBound {
            return Err(PcsError::Security(
                "CapacityBound is conjectured, not provable".into(),
            ));
        }
        Ok(())
    }

    /// The plain WHIR instance for a stacked commitment of `num_vars` variables.
    pub(crate) fn whir(&self, num_vars: usize) -> Result<Whir, PcsError> {
        self.check_provable()?;
        let dft = Dft::default();
        let config = WhirConfig::<EF, F, Challenger>::new_with_domain(
            num_vars,
            self.protocol_parameters(),
            &dft,
        )
        .map_err(|e| PcsError::Config(e.to_string()))?;
        Ok(Whir::new(config, dft, mmcs()))
    }
}

/// The shape of one opening: the committed polynomials' sizes and which polynomial each claim
/// opens (the points do not affect the bound).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OpeningShape {
    /// Number of variables of each committed polynomial.
    pub num_vars: Vec<usize>,
    /// For each claim, the index of the polynomial it opens.
    pub claim_polys: Vec<usize>,
}

impl OpeningShape {
    /// One polynomial of `num_vars` variables opened at `num_claims` points.
    pub fn single(num_vars: usize, num_claims: usize) -> Self {
        Self {
            num_vars: vec![num_vars],
            claim_polys: vec![0; num_claims],
        }
    }
}

/// The combined provable soundness bound, in bits, of a plain opening of this shape under
/// `params`: p3's `prescribed_security(..).error().bits()`, the union bound over claim batching,
/// every fold, OOD and query term (PoW credited). Excludes hash collisions (~124 bits).
pub fn soundness_bits(params: &PcsParams, shape: &OpeningShape) -> Result<f64, PcsError> {
    let layout = StackLayout::new(&shape.num_vars, params.folding_factor)?;
    layout.check_claims(
        shape
            .claim_polys
            .iter()
            .map(|&p| (p, layout.slots.get(p).map_or(0, |s| s.num_vars))),
    )?;
    let whir = params.whir(layout.stacked_vars)?;
    let protocol = layout.protocol(&shape.claim_polys);
    bits_of(&whir, &protocol)
}

pub(crate) fn bits_of(
    whir: &Whir,
    protocol: &p3_sumcheck::OpeningProtocol,
) -> Result<f64, PcsError> {
    whir.prescribed_security(protocol)
        .map(|s| s.error().bits())
        .ok_or_else(|| {
            PcsError::Security("p3 reports no bound for this shape (claim budget exceeded?)".into())
        })
}

/// Parameters of the hiding scheme: the WHIR parameters plus the HVZK masking code.
#[derive(Clone, Debug, PartialEq)]
pub struct HidingParams {
    /// WHIR parameters (the default: EF4 + unique decoding, as for the plain scheme).
    pub whir: PcsParams,
    /// Mask code message length `ell_zk` of the masked sumcheck (>= 3).
    pub ell_zk: usize,
    /// `log2(1/rate)` of the mask codes.
    pub mask_log_inv_rate: usize,
}

impl Default for HidingParams {
    /// `ell_zk = 16`, mask rate 2^-5 (the notes' measured setting).
    fn default() -> Self {
        Self {
            whir: PcsParams::default(),
            ell_zk: 16,
            mask_log_inv_rate: 5,
        }
    }
}

impl HidingParams {
    /// Variables of the committed (padded) polynomial for a polynomial of `num_vars` variables:
    /// the smallest `m >= num_vars` for which the HVZK configuration exists.
    pub fn committed_vars(&self, num_vars: usize) -> Result<usize, PcsError> {
        let mut last = None;
        for m in num_vars..=MAX_NUM_VARS {
            match self.config(m) {
                Ok(_) => return Ok(m),
                Err(e) => last = Some(e),
            }
        }
        Err(last.unwrap_or(PcsError::TooManyVariables {
            poly: 0,
            num_vars,
            max: MAX_NUM_VARS,
        }))
    }

    pub(crate) fn config(
        &self,
        num_vars: usize,
    ) -> Result<ZkWhirConfig<EF, F, Challenger>, PcsError> {
        self.whir.check_provable()?;
        if num_vars > MAX_NUM_VARS {
            return Err(PcsError::TooManyVariables {
                poly: 0,
                num_vars,
                max: MAX_NUM_VARS,
            });
        }
        ZkWhirConfig::new(
            num_vars,
            self.whir.protocol_parameters(),
            ZkParameters {
                ell_zk: self.ell_zk,
                mask_log_inv_rate: self.mask_log_inv_rate,
            },
        )
        .map_err(|e| PcsError::Config(e.to_string()))
    }
}

/// Soundness evidence for a hiding opening. p3 0.8.0 has no end-to-end bound for HVZK-WHIR;
/// these are the pieces it does compute.
#[derive(Clone, Debug, PartialEq)]
pub struct HidingSecurity {
    /// The plain WHIR bound for the same round schedule and claim count (what
    /// [`soundness_bits`] reports for one polynomial). HVZK-WHIR reuses this schedule, but its
    /// masked sumcheck and code-switching rounds are analysed in eprint 2026/391, not by p3.
    pub schedule_bits: f64,
    /// The masked base case's round-by-round error before PoW, if p3 classifies it proven.
    pub base_case_proven_bits: Option<f64>,
    /// The base case's query round with the PoW credit (Fiat-Shamir grinding model).
    pub base_case_query_with_pow_bits: Option<f64>,
    /// The base case's shared-challenge (gamma) round, if available.
    pub base_case_gamma_bits: Option<f64>,
    /// `min(schedule_bits, gamma, query with PoW)`: the figure this crate reports and checks.
    pub bits: f64,
}

/// Soundness evidence for a hiding opening of one `num_vars`-variable polynomial at
/// `num_points` points (computed for the padded size the polynomial is committed at).
pub fn hiding_soundness(
    params: &HidingParams,
    num_vars: usize,
    num_points: usize,
) -> Result<HidingSecurity, PcsError> {
    let num_vars = params.committed_vars(num_vars)?;
    let config = params.config(num_vars)?;
    let schedule_bits = soundness_bits(&params.whir, &OpeningShape::single(num_vars, num_points))?;
    let report = config.hiding_base_case_security_report();
    let base_case_proven_bits = report.round_by_round.proven_bits();
    let base_case_query_with_pow_bits = report.query_round.with_pow.bits;
    let base_case_gamma_bits = report.gamma_round.combined.bits;
    let bits = [
        Some(schedule_bits),
        base_case_gamma_bits,
        base_case_query_with_pow_bits,
    ]
    .into_iter()
    .map(|b| b.unwrap_or(0.0))
    .fold(f64::INFINITY, f64::min);
    Ok(HidingSecurity {
        schedule_bits,
        base_case_proven_bits,
        base_case_query_with_pow_bits,
        base_case_gamma_bits,
        bits,
    })
}
