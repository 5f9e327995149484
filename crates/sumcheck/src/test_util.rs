//! Shared helpers for the tests: seeded field elements, transcripts, brute-force sums.

use zkinfer_field::{BasedVectorSpace, EF, F, PrimeCharacteristicRing};
use zkinfer_poly::MultilinearPoly;
use zkinfer_transcript::{Statement, Transcript};

use crate::{ProductSum, SumcheckProof};

/// splitmix64: a seeded stream, so that proptest only has to shrink a seed.
pub struct Rng(pub u64);

impl Rng {
    pub fn next(&mut self) -> u64 {
        let mut s = zkinfer_field::SplitMix64(self.0);
        let v = s.next_u64();
        self.0 = s.0;
        v
    }
    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    pub fn base(&mut self) -> F {
        F::from_u64(self.next())
    }
    pub fn ext(&mut self) -> EF {
        EF::from_basis_coefficients_fn(|_| self.base())
    }
    pub fn tables(&mut self, count: usize, num_vars: usize) -> Vec<Vec<F>> {
        (0..count)
            .map(|_| (0..1 << num_vars).map(|_| self.base()).collect())
            .collect()
    }
    /// A random instance on `num_polys` polynomials whose longest term has exactly `degree`
    /// factors, with 1 to 3 terms.
    pub fn instance(&mut self, num_vars: usize, degree: usize, num_polys: usize) -> ProductSum<EF> {
        let num_terms = 1 + self.below(3);
        let mut terms: Vec<(EF, Vec<usize>)> = (0..num_terms)
            .map(|j| {
                let len = if j == 0 {
                    degree
                } else {
                    1 + self.below(degree)
                };
                (
                    self.ext(),
                    (0..len).map(|_| self.below(num_polys)).collect(),
                )
            })
            .collect();
        // Make every polynomial appear, so that num_polys() is exact and every final value counts.
        terms.extend((0..num_polys).map(|i| (self.ext(), vec![i])));
        ProductSum {
            num_vars,
            degree,
            terms,
        }
    }
}

pub fn transcript(domain: &str) -> Transcript {
    Transcript::new(&Statement::new(domain, 1))
}

/// sum_x sum_j c_j prod_i f_i(x), straight from the definition.
pub fn brute_force_sum(instance: &ProductSum<EF>, tables: &[Vec<F>]) -> EF {
    let size = 1 << instance.num_vars;
    (0..size)
        .map(|x| {
            let vals: Vec<EF> = tables.iter().map(|t| EF::from(t[x])).collect();
            instance.combine(&vals).unwrap()
        })
        .sum()
}

/// f_i(point) for every table, through zkinfer-poly.
pub fn brute_force_evals(tables: &[Vec<F>], point: &[EF]) -> Vec<EF> {
    tables
        .iter()
        .map(|t| {
            MultilinearPoly::new(t.clone())
                .unwrap()
                .evaluate(point)
                .unwrap()
        })
        .collect()
}

/// An honest proof of a random instance, with its claim and final evaluations.
pub struct Honest {
    pub instance: ProductSum<EF>,
    pub claim: EF,
    pub proof: SumcheckProof<EF>,
    pub point: Vec<EF>,
    pub evals: Vec<EF>,
    pub tables: Vec<Vec<F>>,
    /// The prover's transcript after the proof.
    pub transcript: Transcript,
}

pub fn honest(seed: u64, num_vars: usize, degree: usize) -> Honest {
    let mut rng = Rng(seed);
    let num_polys = 1 + rng.below(4);
    let instance = rng.instance(num_vars, degree, num_polys);
    let tables = rng.tables(num_polys, num_vars);
    let claim = brute_force_sum(&instance, &tables);
    let mut t = transcript("test");
    let (proof, point, evals) = crate::prove(&instance, tables.clone(), &mut t);
    Honest {
        instance,
        claim,
        proof,
        point,
        evals,
        tables,
        transcript: t,
    }
}
