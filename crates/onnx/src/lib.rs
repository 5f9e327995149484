//! zkinfer-onnx: the only crate that knows ONNX. It loads a model with tract, calibrates activation
//! ranges, quantizes it into the integer IR of `zkinfer-ir`, and runs the float model for comparison.

mod error;
mod load;
mod read;
mod validate;

pub use error::OnnxError;
pub use load::{MAX_MODEL_BYTES, load_typed, load_typed_bytes};
pub use read::{open_capped, over_cap, read_capped};
pub use validate::{IR_VERSIONS, MAX_CONSTANT_ABS, MAX_NAME_BYTES, MAX_NODES, OPSETS};
mod data;
mod float;

pub use data::{
    InputFile, InputLimits, MAX_DATA_VALUES, MAX_JSON_BYTES, TestSet, parse_input_file,
    parse_test_set, read_input_file, read_input_file_with, read_test_set, split_samples,
};
pub use float::{FloatRunner, Ranges};
mod quantize;

pub use quantize::{Issue, quantize, unsupported_nodes};
mod pipeline;

pub use pipeline::{
    AUTO_ACT_BITS, Prepared, ProvableCheck, model_name, prepare, prepare_bytes, prepare_checked,
    prepare_loaded, prepare_with_samples,
};
mod accuracy;

pub use accuracy::{AccuracyReport, accuracy, argmax};
mod inspect;

pub use inspect::{NodeInfo, describe};
mod conformance;

pub use conformance::{ConformanceCase, ConformanceRow, conformance_cases, run_conformance};
