//! Prover: commit and open.

use p3_commit::MultilinearPcs;
use p3_matrix::dense::RowMajorMatrix;
use p3_sumcheck::PrescribedPointPcs;
use p3_sumcheck::layout::{Layout, Table};
use zkinfer_field::{EF, F, PrimeCharacteristicRing};
use zkinfer_transcript::Transcript;

use p3_whir::WhirProverData;

use super::{
    Batches, Claim, OpeningProof, Pcs, ProverData, Stack, StackLayout, Whir, absorb_claims,
    absorb_shapes, check_bits,
};
use crate::types::Mmcs;
use crate::{Commitment, PcsError, PcsParams};

impl Pcs {
    /// Commits to several multilinear polynomials (evaluation tables of power-of-two lengths,
    /// possibly different) in one WHIR commitment, and absorbs the shapes and the root into
    /// `transcript` (step 1 of the crate docs).
    pub fn commit(
        &self,
        polys: Vec<Vec<F>>,
        transcript: &mut Transcript,
    ) -> Result<(Commitment, ProverData), PcsError> {
        let mut shapes = Vec::with_capacity(polys.len());
        for (poly, p) in polys.iter().enumerate() {
            if !p.len().is_power_of_two() {
                return Err(PcsError::NotPowerOfTwo { poly, len: p.len() });
            }
            shapes.push(p.len().trailing_zeros() as usize);
        }
        let layout = StackLayout::new(&shapes, self.params.folding_factor)?;
        let tables = build_tables(&layout, polys);
        let witness = Stack::new_witness(tables, self.params.folding_factor);
        if witness.num_variables() != layout.stacked_vars {
            return Err(PcsError::DataMismatch(format!(
                "p3 stacked {} variables, layout planned {}",
                witness.num_variables(),
                layout.stacked_vars
            )));
        }
        let whir = self.params.whir(layout.stacked_vars)?;
        absorb_shapes(&shapes, transcript);
        // p3's commit absorbs the root through the same call as `Pcs::observe_commitment`.
        let (root, inner) = whir
            .commit(witness, transcript.challenger_mut())
            .map_err(|e| PcsError::Config(e.to_string()))?;
        let data = ProverData {
            params: self.params.clone(),
            shapes,
            layout,
            whir,
            inner,
        };
        Ok((Commitment(root), data))
    }

    /// Opens the committed polynomials at the claims' points in one proof, and returns the proof
    /// with the value of each claim (in claim order). The points must come from the transcript,
    /// drawn after the commitment was absorbed (crate docs, step 3). `data` is kept for further
    /// openings (p3 consumes its prover data, so this clones the codeword and Merkle tree; use
    /// [`Pcs::open_once`] to avoid the copy on a last opening).
    pub fn open(
        &self,
        data: &ProverData,
        claims: &[Claim],
        transcript: &mut Transcript,
    ) -> Result<(OpeningProof, Vec<EF>), PcsError> {
        let inner = data.inner.clone();
        open_parts(
            self,
            &data.params,
            &data.layout,
            &data.whir,
            inner,
            claims,
            transcript,
        )
    }

    /// [`Pcs::open`], consuming the prover data (no copy of the committed codeword).
    pub fn open_once(
        &self,
        data: ProverData,
        claims: &[Claim],
        transcript: &mut Transcript,
    ) -> Result<(OpeningProof, Vec<EF>), PcsError> {
        let ProverData {
            params,
            layout,
            whir,
            inner,
            ..
        } = data;
        open_parts(self, &params, &layout, &whir, inner, claims, transcript)
    }
}

/// The opening shared by [`Pcs::open`] and [`Pcs::open_once`].
fn open_parts(
    pcs: &Pcs,
    params: &PcsParams,
    layout: &StackLayout,
    whir: &Whir,
    inner: WhirProverData<F, EF, Mmcs, Stack>,
    claims: &[Claim],
    transcript: &mut Transcript,
) -> Result<(OpeningProof, Vec<EF>), PcsError> {
    if *params != pcs.params {
        return Err(PcsError::DataMismatch(
            "committed under other parameters".into(),
        ));
    }
    layout.check_claims(claims.iter().map(|c| (c.poly, c.point.len())))?;
    let pairs: Vec<(usize, &[EF])> = claims
        .iter()
        .map(|c| (c.poly, c.point.as_slice()))
        .collect();
    let Batches {
        protocol,
        points,
        members,
    } = layout.batches(&pairs);
    protocol
        .check_points(&points)
        .map_err(|e| PcsError::DataMismatch(e.to_string()))?;
    check_bits(&pcs.params, whir, &protocol)?;

    absorb_claims(
        claims.iter().map(|c| (c.poly, c.point.as_slice())),
        transcript,
    );
    let proof = whir
        .open_at(inner, &protocol, &points, transcript.challenger_mut())
        .map_err(|e| PcsError::Prover(e.to_string()))?;

    let mut values = vec![EF::ZERO; claims.len()];
    for (who, batch) in members.iter().zip(&proof.evals) {
        if who.len() != batch.current().len() {
            return Err(PcsError::DataMismatch(
                "p3 returned an unexpected batch".into(),
            ));
        }
        for (claims_of_col, &v) in who.iter().zip(batch.current()) {
            for &c in claims_of_col {
                if let Some(slot) = values.get_mut(c) {
                    *slot = v;
                }
            }
        }
    }
    Ok((OpeningProof(proof), values))
}

/// One p3 table per padded size: a row-major matrix with one polynomial (zero-padded to the
/// table's size) per row. A single-polynomial table reuses the caller's vector.
fn build_tables(layout: &StackLayout, polys: Vec<Vec<F>>) -> Vec<Table<F>> {
    let mut polys: Vec<Option<Vec<F>>> = polys.into_iter().map(Some).collect();
    layout
        .tables
        .iter()
        .map(|(n, members)| {
            let width = 1usize << n;
            let mut values = Vec::new();
            for &p in members {
                let mut poly = polys.get_mut(p).and_then(Option::take).unwrap_or_default();
                poly.resize(width, F::ZERO);
                if values.is_empty() {
                    values = poly;
                    values.reserve(width * (members.len() - 1));
                } else {
                    values.extend_from_slice(&poly);
                }
            }
            Table::new(RowMajorMatrix::new(values, width))
        })
        .collect()
}
