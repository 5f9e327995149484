//! zkinfer-ir: the quantized integer intermediate representation that the provers consume.
//!
//! A [`QModel`] is a list of [`Node`]s in topological order. Every node produces one tensor of signed
//! integers (`i64`), row-major, with an explicit shape, a float `scale` (real value = integer * scale,
//! zero point 0 everywhere) and a static `bound` on its absolute value computed from the actual weights.
//! Every bound stays below [`BOUND_LIMIT`] = (p-1)/2 for the KoalaBear prime, so no value wraps mod p.
//!
//! [`evaluate`] is the bit-exact, integer-only reference semantics; its [`Trace`] (every node's tensor,
//! in node order) is the prover's witness. The rounding rule used everywhere is documented in
//! `docs/quantization.md`: round half up, `floor((x + d/2) / d)`.

mod bounds;
mod config;
mod dequant;
mod error;
pub mod eval;
mod limits;
mod model;
mod requant;
mod shape;
mod widths;

pub use bounds::{ModelBuilder, infer_bound, width_max};
pub use config::QuantConfig;
pub use dequant::{dequantize, quantize_value};
pub use error::IrError;
pub use eval::{Trace, evaluate};
pub use limits::{BOUND_LIMIT, KOALA_BEAR_P};
pub use model::{Node, Op, QModel, Table, TableFn};
pub use requant::{Requant, choose_requant, div_round_half_up};
pub use shape::{MAX_ELEMENTS, broadcast_shape, checked_len};
pub use widths::{declared_bits, signed_bits};
