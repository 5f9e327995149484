//! The states of a batch of permutations, layer by layer: the tables a layered sumcheck over the
//! rounds proves one round at a time.

use p3_maybe_rayon::prelude::*;
use zkinfer_field::F;

use crate::WIDTH;
use crate::spec::{ROUNDS, trace};

/// The state tables of `inputs.len()` permutations (a power of two, so each table is a
/// multilinear table): `ROUNDS + 1` tables, table 0 the inputs and table `i + 1` the output of
/// round `i`, each laid out `table[c * WIDTH + l]` for permutation `c`, lane `l`.
pub fn layer_tables(inputs: &[[F; WIDTH]]) -> Vec<Vec<F>> {
    debug_assert!(
        inputs.len().is_power_of_two(),
        "batch of {} permutations",
        inputs.len()
    );
    // Each permutation is traced once; the scatter into per-layer tables is then a pure copy.
    let traces: Vec<Vec<[F; WIDTH]>> = inputs.par_iter().map(trace).collect();
    (0..=ROUNDS)
        .into_par_iter()
        .map(|layer| traces.iter().flat_map(|t| t[layer]).collect())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_util::random_state;
    use rand::SeedableRng;
    use rand::rngs::StdRng;

    #[test]
    fn tables_agree_with_trace() {
        let mut rng = StdRng::seed_from_u64(7);
        let inputs: Vec<[F; WIDTH]> = (0..8).map(|_| random_state(&mut rng)).collect();
        let tables = layer_tables(&inputs);
        assert_eq!(tables.len(), ROUNDS + 1);
        for (c, x) in inputs.iter().enumerate() {
            for (layer, state) in trace(x).iter().enumerate() {
                assert_eq!(&tables[layer][c * WIDTH..(c + 1) * WIDTH], state);
            }
        }
    }

    #[test]
    fn single_permutation() {
        let x = random_state(&mut StdRng::seed_from_u64(8));
        let tables = layer_tables(&[x]);
        assert_eq!(tables[0], x.to_vec());
        assert_eq!(tables[ROUNDS], crate::permute(&x).to_vec());
    }
}
