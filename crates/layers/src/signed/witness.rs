//! The prover's columns of a signed range check.

use zkinfer_field::{F, PrimeCharacteristicRing, PrimeField64};

use super::{SignedLayout, SignedSpec};
use crate::LayerError;

/// The committed columns of one signed range check, and whether the column was in range.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignedWitness {
    /// The layout they follow.
    pub layout: SignedLayout,
    /// The limbs of `u` then of `d`, least significant first (Limbs only).
    pub limbs: Vec<Vec<F>>,
    /// The range table's multiplicities (empty for Zero).
    pub mults: Vec<F>,
    /// Every entry lies in the declared width. When not, the columns above are still built (a
    /// value's excess lands in its top limb, out of range entries are not counted), so that a
    /// prover that goes on makes a proof the verifier rejects.
    pub in_range: bool,
}

impl SignedWitness {
    /// The committed columns in order ([`SignedLayout::columns`]).
    pub fn columns(&self) -> Vec<&[F]> {
        let mut c: Vec<&[F]> = self.limbs.iter().map(Vec::as_slice).collect();
        if self.layout != SignedLayout::Zero {
            c.push(&self.mults);
        }
        c
    }
}

/// `u = v + B` and `d = B - v` for every entry of `values`.
pub(crate) fn shifted(spec: &SignedSpec, values: &[F]) -> [Vec<F>; 2] {
    let b = spec.bound_f();
    [
        values.iter().map(|&v| v + b).collect(),
        values.iter().map(|&v| b - v).collect(),
    ]
}

/// The columns the range check looks up: `[u, d]` computed here for a direct layout (they are
/// affine in `values`, so not committed), else the witness's limbs. `direct` holds the computed
/// columns for the borrow.
pub(crate) fn looked_up<'a>(
    layout: &SignedLayout,
    spec: &SignedSpec,
    values: &[F],
    w: &'a SignedWitness,
    direct: &'a mut Option<[Vec<F>; 2]>,
) -> Vec<&'a [F]> {
    match layout {
        SignedLayout::Direct => direct
            .insert(shifted(spec, values))
            .iter()
            .map(Vec::as_slice)
            .collect(),
        _ => w.limbs.iter().map(Vec::as_slice).collect(),
    }
}

/// The columns for `values` (`2^num_vars` field elements).
pub fn witness(spec: &SignedSpec, values: &[F]) -> Result<SignedWitness, LayerError> {
    let layout = spec.layout()?;
    if values.len() != 1 << spec.num_vars {
        return Err(LayerError::Parameter {
            layer: "signed range",
            detail: format!("{} entries, expected 2^{}", values.len(), spec.num_vars),
        });
    }
    let k = spec.bits as usize;
    let [u, d] = shifted(spec, values);
    let in_width = |x: &F| x.as_canonical_u64() < 1 << k;
    let in_range = u.iter().chain(&d).all(in_width);
    let (limbs, range) = match (layout, layout.range_spec(spec)) {
        (SignedLayout::Zero, _) | (_, None) => {
            let in_range = values.iter().all(|v| *v == F::ZERO);
            return Ok(SignedWitness {
                layout,
                limbs: vec![],
                mults: vec![],
                in_range,
            });
        }
        (SignedLayout::Direct, Some(range)) => (vec![], (range, vec![u, d])),
        (SignedLayout::Limbs { limb_bits, limbs }, Some(range)) => {
            let mask = (1u64 << limb_bits) - 1;
            let mut cols = vec![Vec::with_capacity(values.len()); 2 * limbs];
            for (side, chunk) in [&u, &d].into_iter().zip(cols.chunks_mut(limbs)) {
                for &x in side {
                    let mut rest = x.as_canonical_u64();
                    for (j, col) in chunk.iter_mut().enumerate() {
                        // The top limb takes whatever is left, so an excess fails its range.
                        let limb = if j + 1 == limbs { rest } else { rest & mask };
                        col.push(F::from_u64(limb));
                        rest >>= limb_bits;
                    }
                }
            }
            (cols.clone(), (range, cols))
        }
    };
    let (range, looked_up) = range;
    let refs: Vec<&[F]> = looked_up.iter().map(Vec::as_slice).collect();
    let mut counts = vec![0u64; 1 << range.bits];
    for x in range.virtual_column(&refs)? {
        if let Some(c) = counts.get_mut(x.as_canonical_u64() as usize) {
            *c += 1;
        }
    }
    Ok(SignedWitness {
        layout,
        limbs,
        mults: counts.into_iter().map(F::from_u64).collect(),
        in_range,
    })
}
