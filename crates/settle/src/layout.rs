//! Where every segment sits in the one committed vector `Q`.
//!
//! Segments have power-of-two sizes and are placed in decreasing size order, so each starts at a
//! multiple of its own size: segment `s` with `n_s` variables occupies the indices whose top
//! `N - n_s` bits equal `prefix(s)`, and `Q~(prefix(s), x) = s~(x)` for Boolean prefixes. Two
//! reserved segments follow the caller's: the blinding block and the mask region.

use zkinfer_field::{EF, F, PrimeCharacteristicRing};

use crate::ZkError;

/// Variables of the blinding block: `2^BLIND_VARS` uniformly random entries that make `Q~(z)`
/// uniform at any point `z` off the cube.
pub const BLIND_VARS: usize = 6;

/// Variables of one slot of the mask region. A slot holds the `4 * (1 + 2N)` base-field
/// coefficients of the degree-2 Libra mask over `N <= 31` variables.
pub const MASK_VARS: usize = 8;

/// The mask region: 8 slots (3 selector variables), the mask coefficients and 7 companions.
pub(crate) const REGION_SELECT_VARS: usize = 3;

/// Largest segment a [`crate::Term::Dense`] may weight (the verifier's work is linear in it).
pub const MAX_DENSE_VARS: usize = 16;

/// Largest `N`: the mask must fit its slot, and HVZK-WHIR stops well before.
const MAX_VARS: usize = 30;

/// One segment's place in `Q`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Segment {
    /// First index in `Q`, a multiple of `2^num_vars`.
    pub offset: usize,
    /// Variables of the segment.
    pub num_vars: usize,
}

impl Segment {
    /// Number of slots.
    pub fn len(&self) -> usize {
        1 << self.num_vars
    }

    /// Never empty (a segment has at least one slot); here for clippy's `len` rule.
    pub fn is_empty(&self) -> bool {
        false
    }

    /// The top `total_vars - num_vars` coordinates that select this segment, as 0/1 values.
    pub fn prefix(&self, total_vars: usize) -> Vec<EF> {
        let top = total_vars - self.num_vars;
        let index = self.offset >> self.num_vars;
        (0..top)
            .map(|b| {
                if (index >> (top - 1 - b)) & 1 == 1 {
                    EF::ONE
                } else {
                    EF::ZERO
                }
            })
            .collect()
    }
}

/// The placement of the caller's segments and the reserved ones in `Q`. Prover and verifier
/// build it from the same segment sizes (public: they follow from the model's architecture).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Layout {
    num_vars: usize,
    segments: Vec<Segment>,
    blind: Segment,
    region: Segment,
}

impl Layout {
    /// Places segments of `segment_vars[i]` variables each.
    pub fn new(segment_vars: &[usize]) -> Result<Self, ZkError> {
        let region_vars = MASK_VARS + REGION_SELECT_VARS;
        let mut all: Vec<(usize, usize)> = segment_vars.iter().copied().enumerate().collect();
        let blind_id = all.len();
        all.push((blind_id, BLIND_VARS));
        all.push((blind_id + 1, region_vars));
        if let Some(&(i, v)) = all.iter().find(|(_, v)| *v > MAX_VARS) {
            return Err(ZkError::Layout(format!(
                "segment {i} has {v} variables (at most {MAX_VARS})"
            )));
        }
        // Stable sort by decreasing size: offsets are then multiples of each segment's size.
        all.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        let mut placed = vec![
            Segment {
                offset: 0,
                num_vars: 0
            };
            all.len()
        ];
        let mut offset = 0usize;
        for &(id, vars) in &all {
            if let Some(slot) = placed.get_mut(id) {
                *slot = Segment {
                    offset,
                    num_vars: vars,
                };
            }
            offset += 1 << vars;
        }
        let num_vars = offset.next_power_of_two().trailing_zeros() as usize;
        if num_vars > MAX_VARS {
            return Err(ZkError::Layout(format!(
                "{offset} committed entries need {num_vars} variables (at most {MAX_VARS})"
            )));
        }
        let region = placed.pop().ok_or(ZkError::Layout("no region".into()))?;
        let blind = placed.pop().ok_or(ZkError::Layout("no blind".into()))?;
        Ok(Self {
            num_vars,
            segments: placed,
            blind,
            region,
        })
    }

    /// Variables `N` of `Q`.
    pub fn num_vars(&self) -> usize {
        self.num_vars
    }

    /// The caller's segments, in the order given to [`Layout::new`].
    pub fn segments(&self) -> &[Segment] {
        &self.segments
    }

    /// The blinding block.
    pub(crate) fn blind(&self) -> Segment {
        self.blind
    }

    /// The mask region (slot 0: mask coefficients; slots 1..8: companions).
    pub(crate) fn region(&self) -> Segment {
        self.region
    }

    /// The point of `Q` that evaluates `sum_s eq(tau, s) * slot_s~(z)` over the region's slots.
    pub(crate) fn region_point(&self, tau: &[EF], z: &[EF]) -> Vec<EF> {
        let mut p = self.region.prefix(self.num_vars);
        p.extend_from_slice(tau);
        p.extend_from_slice(z);
        p
    }

    /// Writes `values` into segment `s` of `q` (the rest of the segment stays zero).
    pub(crate) fn place(&self, q: &mut [F], s: usize, values: &[F]) -> Result<(), ZkError> {
        let seg = self.segments.get(s).ok_or(ZkError::SegmentCount {
            expected: self.segments.len(),
            got: s + 1,
        })?;
        if values.len() > seg.len() {
            return Err(ZkError::SegmentTooLong {
                segment: s,
                len: values.len(),
                capacity: seg.len(),
            });
        }
        let dst = q
            .get_mut(seg.offset..seg.offset + values.len())
            .ok_or_else(|| ZkError::Internal("segment past the end of Q".into()))?;
        dst.copy_from_slice(values);
        Ok(())
    }
}
