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

/// One batch while grouping: its point, its columns, and the claims per column.
type LocalBatch<'a> = (&'a [EF], Vec<usize>, Vec<Vec<usize>>);

/// An opening protocol with its points, and which claims each opened value answers.
pub(crate) struct Batches {
    /// The p3 protocol.
    pub protocol: OpeningProtocol,
    /// One lifted point per batch, in p3's order.
    pub points: Vec<Point<EF>>,
    /// `members[b][k]`: the claims answered by batch `b`'s `k`-th column.
    pub members: Vec<Vec<Vec<usize>>>,
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
            .ok_or(PcsError::StackTooLarge {
                num_vars: usize::MAX,
                max: MAX_NUM_VARS,
            })?;
        let stacked_vars = total.next_power_of_two().trailing_zeros() as usize;
        if stacked_vars > MAX_NUM_VARS {
            return Err(PcsError::StackTooLarge {
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

    /// The p3 opening protocol for claims on `claim_polys` (already checked), each at its own
    /// point: the worst case, which [`crate::soundness_bits`] reports for a shape without points.
    pub fn protocol(&self, claim_polys: &[usize]) -> OpeningProtocol {
        let specs = self
            .tables
            .iter()
            .enumerate()
            .map(|(t, (n, polys))| {
                let schedule = claim_polys
                    .iter()
                    .filter_map(|&poly| {
                        let slot = self.slots.get(poly)?;
                        (slot.table == t).then(|| OpeningBatch::new(vec![slot.column], vec![]))
                    })
                    .collect();
                TableSpec::new(TableShape::new(*n, polys.len()), schedule)
            })
            .collect();
        OpeningProtocol::new(specs)
    }

    /// The p3 opening protocol for `claims` `(poly, point)` (already checked): claims on one table
    /// at one point share an opening batch (one eq table in p3 instead of one per claim), and a
    /// repeated `(poly, point)` is opened once. Batches are table-major, then in order of first
    /// appearance, so both parties build the same protocol.
    pub fn batches(&self, claims: &[(usize, &[EF])]) -> Batches {
        let mut points = vec![];
        let mut members: Vec<Vec<Vec<usize>>> = vec![];
        let specs = self
            .tables
            .iter()
            .enumerate()
            .map(|(t, (n, polys))| {
                let mut local: Vec<LocalBatch> = vec![];
                for (i, &(poly, point)) in claims.iter().enumerate() {
                    let Some(slot) = self.slots.get(poly).filter(|s| s.table == t) else {
                        continue;
                    };
                    let b = match local.iter().position(|(p, _, _)| *p == point) {
                        Some(b) => b,
                        None => {
                            local.push((point, vec![], vec![]));
                            local.len() - 1
                        }
                    };
                    if let Some((_, cols, who)) = local.get_mut(b) {
                        match cols.iter().position(|&c| c == slot.column) {
                            Some(k) => who.get_mut(k).into_iter().for_each(|w| w.push(i)),
                            None => {
                                cols.push(slot.column);
                                who.push(vec![i]);
                            }
                        }
                    }
                }
                let schedule = local
                    .into_iter()
                    .map(|(point, cols, who)| {
                        let poly = who
                            .first()
                            .and_then(|w| w.first())
                            .and_then(|&i| claims.get(i))
                            .map_or(0, |c| c.0);
                        points.push(self.lift_point(poly, point));
                        members.push(who);
                        OpeningBatch::new(cols, vec![])
                    })
                    .collect();
                TableSpec::new(TableShape::new(*n, polys.len()), schedule)
            })
            .collect();
        Batches {
            protocol: OpeningProtocol::new(specs),
            points,
            members,
        }
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
