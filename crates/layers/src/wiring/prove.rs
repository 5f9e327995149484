//! The wiring prover; it follows [`super::verify`] step for step.

use zkinfer_field::{EF, F, PrimeCharacteristicRing};
use zkinfer_sumcheck::zk::masked::{Factor, Table};
use zkinfer_transcript::FiatShamir;

use super::{LAYER, WiringProof, extended_inputs, input_claims, instance, shape};
use crate::mode::Mode;
use crate::{Claim, LayerError, SparseMap};

/// A wiring proof and the claims it leaves on the inputs.
pub type Proven<M> = (WiringProof<M>, Vec<Claim<<M as Mode>::Value>>);

/// Proves `claims` about `out = sum_i maps[i] inputs[i]`. `inputs[i]` is the padded table of input
/// `i` (length `2^maps[i].in_vars()`). In zero knowledge `secrets` matches [`super::shape`] and is
/// committed under `ids`, as is every vector `hidden` returns (the claims' hidden parts are
/// evaluated with it). Returns the proof and one claim per input, equal to what
/// [`super::verify`] returns.
pub fn prove<'h, M: Mode>(
    maps: &[&SparseMap],
    inputs: &[&[F]],
    claims: &[Claim<M::Value>],
    ids: &M::Ids,
    mut secrets: M::Secrets,
    hidden: &dyn Fn(usize) -> Option<&'h [F]>,
    transcript: &mut impl FiatShamir<EF>,
) -> Result<Proven<M>, LayerError> {
    let (instance, n) = instance::<M>(maps)?;
    let zk_shape = shape(maps)?;
    M::check_ids(LAYER, &zk_shape, ids)?;
    let tables = extended_inputs(maps, inputs, n)?;
    let mut randomizers = M::randomizers(LAYER, &zk_shape, &mut secrets)?.into_iter();

    let out_vars = maps.first().map_or(0, |m| m.out_vars());
    let (weights, combined) = crate::claim::combine(LAYER, claims, out_vars, transcript)?;
    let deferred = super::deferred_input(maps);
    let mut factors = Vec::with_capacity(2 * maps.len());
    for (i, (map, table)) in maps.iter().zip(tables).enumerate() {
        let mut m = map.pull_back(&weights);
        m.resize(1 << n, EF::ZERO);
        factors.push(Factor::Public(Table::Ext(m)));
        factors.push(if i != deferred {
            M::sent_factor(Table::Base(table), randomizers.next())
        } else {
            // The deferred input: the final check is linear in it (mode.rs).
            M::deferred_factor(Table::Base(table))
        });
    }
    let (sumcheck, sub) = M::prove_sumcheck(
        LAYER, &instance, factors, &combined, secrets, hidden, transcript,
    )?;
    let claims = input_claims::<M>(maps, &weights, &combined, ids, &sub, instance.degree())?;
    Ok((WiringProof { sumcheck }, claims))
}
