//! Where each committed polynomial lives in the stacked WHIR witness (see the crate docs).

use p3_multilinear_util::point::Point;
use p3_sumcheck::{OpeningBatch, OpeningProtocol, TableShape, TableSpec};
use zkinfer_field::{EF, PrimeCharacteristicRing};

use crate::PcsError;

/// Largest number of variables of one polynomial and of the stacked commitment: WHIR needs
/// `n + log2(1/rate) - k0 <= 24` (KoalaBear's two-adicity), i.e. 27 at rate 1/2 and `k0 = 4`;
/// 26 leaves one bit of headroom for parameter changes.
pub(crate) const MAX_NUM_VARS: usize = 26;

/// Placement of one polynomial.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Slot {
    /// Table holding it.
    pub table: usize,
    /// Column inside that table.
    pub column: usize,
    /// Its own number of variables.
    pub num_vars: usize,
    /// Zero coordinates prepended to a claim's point (`n' - n`).
    pub pad: usize,
}

/// The layout of a batched commitment, computed identically by prover and verifier.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct StackLayout {
    /// One slot per polynomial, in input order.
    pub slots: Vec<Slot>,
    /// Per table: padded number of variables and the polynomials in it, in column order.
    pub tables: Vec<(usize, Vec<usize>)>,
    /// Variables of the stacked committed polynomial.
    pub stacked_vars: usize,
}

impl StackLayout {
    /// Plans the layout for polynomials with `shapes[i]` variables; `k0` is the first folding
    /// factor (tables below it are padded up to it).
    pub fn new(shapes: &[usize], k0: usize) -> Result<Self, PcsError> {
        if shapes.is_empty() {
            return Err(PcsError::NoPolynomials);
        }
        for (poly, &n) in shapes.iter().enumerate() {
            if n > MAX_NUM_VARS {
                return Err(PcsError::TooManyVariables {
                    poly,
                    num_vars: n,
                    max: MAX_NUM_VARS,
                });
            }
        }
        let padded: Vec<usize> = shapes.iter().map(|&n| n.max(k0)).collect();
        let mut sizes = padded.clone();
        sizes.sort_unstable_by(|a, b| b.cmp(a));
        sizes.dedup();
        let tables: Vec<(usize, Vec<usize>)> = sizes
            .iter()
            .map(|&size| {
                (
                    size,
                    (0..shapes.len())
                        .filter(|&i| padded.get(i) == Some(&size))
                        .collect(),
                )
            })
            .collect();
        let mut slots = Vec::with_capacity(shapes.len());
        for (poly, (&n, &np)) in shapes.iter().zip(&padded).enumerate() {
            let (table, column) = tables
                .iter()
                .enumerate()
                .find_map(|(t, (_, polys))| polys.iter().position(|&p| p == poly).map(|c| (t, c)))
                .ok_or_else(|| PcsError::DataMismatch("layout lost a polynomial".into()))?;
            slots.push(Slot {
                table,
                column,
                num_vars: n,
                pad: np - n,
            });
        }
        // Each padded size is at most 2^26 and there are at most usize::MAX / 2^26 entries in
        // practice; use checked arithmetic anyway.
        let total = padded
            .iter()
            .try_fold(0usize, |acc, &n| acc.checked_add(1usize << n))
            .ok_or(PcsError::TooManyVariables {
                poly: usize::MAX,
                num_vars: usize::MAX,
                max: MAX_NUM_VARS,
            })?;
        let stacked_vars = total.next_power_of_two().trailing_zeros() as usize;
        if stacked_vars > MAX_NUM_VARS {
            return Err(PcsError::TooManyVariables {
                poly: usize::MAX,
                num_vars: stacked_vars,
                max: MAX_NUM_VARS,
            });
        }
        Ok(Self {
            slots,
            tables,
            stacked_vars,
        })
    }

    /// Checks a list of claims against the layout: known polynomial, one coordinate per
    /// variable. `claims` yields `(poly, point length)`.
    pub fn check_claims(
        &self,
        claims: impl ExactSizeIterator<Item = (usize, usize)>,
    ) -> Result<(), PcsError> {
        if claims.len() == 0 {
            return Err(PcsError::NoClaims);
        }
        for (claim, (poly, len)) in claims.enumerate() {
            let slot = self.slots.get(poly).ok_or(PcsError::UnknownPolynomial {
                claim,
                poly,
                num_polys: self.slots.len(),
            })?;
            if len != slot.num_vars {
                return Err(PcsError::PointLength {
                    claim,
                    expected: slot.num_vars,
                    actual: len,
                });
            }
        }
        Ok(())
    }

    /// The p3 opening protocol for claims on `claim_polys` (already checked), and for each
    /// opening batch in p3's order (table-major, then claim order) the index of its claim.
    pub fn protocol(&self, claim_polys: &[usize]) -> (OpeningProtocol, Vec<usize>) {
        let mut order = Vec::with_capacity(claim_polys.len());
        let specs = self
            .tables
            .iter()
            .enumerate()
            .map(|(t, (n, polys))| {
                let schedule = claim_polys
                    .iter()
                    .enumerate()
                    .filter_map(|(claim, &poly)| {
                        let slot = self.slots.get(poly)?;
                        (slot.table == t).then(|| {
                            order.push(claim);
                            OpeningBatch::new(vec![slot.column], vec![])
                        })
                    })
                    .collect();
                TableSpec::new(TableShape::new(*n, polys.len()), schedule)
            })
            .collect();
        (OpeningProtocol::new(specs), order)
    }

    /// The point on the padded column equivalent to `point` on polynomial `poly`: the padding
    /// variables are the most significant ones, fixed to 0.
    pub fn lift_point(&self, poly: usize, point: &[EF]) -> Point<EF> {
        let pad = self.slots.get(poly).map_or(0, |s| s.pad);
        let mut coords = vec![EF::ZERO; pad];
        coords.extend_from_slice(point);
        Point::new(coords)
    }
}
