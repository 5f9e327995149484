//! Seeded random states for the tests.

use rand::RngExt;
use rand::rngs::StdRng;
use zkinfer_field::F;

use crate::WIDTH;

pub(crate) fn random_state(rng: &mut StdRng) -> [F; WIDTH] {
    std::array::from_fn(|_| rng.random::<F>())
}
