//! Claims about multilinear extensions, and their random linear combination.

use serde::{Deserialize, Serialize};
use zkinfer_field::{EF, PrimeCharacteristicRing};
use zkinfer_poly::eq_table_scaled;
use zkinfer_transcript::FiatShamir;

use crate::LayerError;

/// "The multilinear extension of some tensor takes `value` at `point`."
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Claim {
    /// The point, MSB-first.
    pub point: Vec<EF>,
    /// The claimed value.
    pub value: EF,
}

/// Combines claims on one tensor of `num_vars` variables into a single weighted claim:
/// returns `(E, v)` with `E(x) = sum_i rho_i eq(r_i, x)` and `v = sum_i rho_i v_i`, so that the claims
/// hold (with high probability) iff `sum_x E(x) T(x) = v`. With one claim `rho_0 = 1` and nothing is
/// drawn; otherwise the `rho_i` are drawn after the claims, which the caller has already observed.
pub fn combine_claims(
    layer: &'static str,
    claims: &[Claim],
    num_vars: usize,
    transcript: &mut impl FiatShamir<EF>,
) -> Result<(Vec<EF>, EF), LayerError> {
    if claims.is_empty() {
        return Err(LayerError::NoClaims { layer });
    }
    for c in claims {
        if c.point.len() != num_vars {
            return Err(LayerError::PointLength {
                layer,
                expected: num_vars,
                got: c.point.len(),
            });
        }
    }
    let rhos = if claims.len() == 1 {
        vec![EF::ONE]
    } else {
        transcript.challenges("layers.combine_claims", claims.len())
    };
    let mut table = vec![EF::ZERO; 1 << num_vars];
    let mut value = EF::ZERO;
    for (c, &rho) in claims.iter().zip(&rhos) {
        for (t, e) in table.iter_mut().zip(eq_table_scaled(&c.point, rho)) {
            *t += e;
        }
        value += rho * c.value;
    }
    Ok((table, value))
}

/// The number of variables of a table holding `len` entries (at least 0: `len <= 1` gives 0).
pub fn log2_ceil(len: usize) -> usize {
    len.max(1).next_power_of_two().trailing_zeros() as usize
}

/// `len` rounded up to a power of two (1 for an empty tensor).
pub fn padded_len(len: usize) -> usize {
    len.max(1).next_power_of_two()
}

/// The multilinear extension of a base-field table, zero-padded to `2^point.len()` entries, at a
/// point (`O(2^n)`); entries beyond the padded size are ignored, as the table's padded column holds
/// none.
pub fn mle_eval(table: &[zkinfer_field::F], point: &[EF]) -> EF {
    let len = 1usize.checked_shl(point.len() as u32).unwrap_or(usize::MAX);
    zkinfer_poly::evaluate_padded(table.get(..len).unwrap_or(table), point).unwrap_or(EF::ZERO)
}
