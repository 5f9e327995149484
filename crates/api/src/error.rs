//! One error type for every call, with a kind for programs to branch on (the CLI's `--json`
//! `error.kind`, the Python package's `ZkinferError.kind`) and a message that names the file,
//! node or value at fault.

use thiserror::Error;
use zkinfer_onnx::OnnxError;
use zkinfer_protocol::{CodecError, ProtocolError};

/// Why a call failed, by kind (docs/cli.md, "JSON output").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    /// Arguments that do not parse or do not fit together.
    Usage,
    /// `setup` would overwrite keys (`force` allows it).
    KeysExist,
    /// A key file's contents do not match its integrity digest.
    CorruptKey,
    /// A key or proof file that is not one, of another format version, or malformed.
    MalformedFile,
    /// Keys of one proof mode used for the other.
    WrongMode,
    /// `verify`: the proof was made for another verifier key.
    WrongKey,
    /// `verify`: the proof is rejected.
    InvalidProof,
    /// The model uses something the prover does not support.
    Unsupported,
    /// Anything else: a file that cannot be read, a model, calibration or input that is refused.
    BadInput,
}

impl ErrorKind {
    /// The kind's name (`--json`'s `error.kind`).
    pub fn name(self) -> &'static str {
        match self {
            Self::Usage => "usage",
            Self::KeysExist => "keys_exist",
            Self::CorruptKey => "corrupt_key",
            Self::MalformedFile => "malformed_file",
            Self::WrongMode => "wrong_mode",
            Self::WrongKey => "wrong_key",
            Self::InvalidProof => "invalid_proof",
            Self::Unsupported => "unsupported",
            Self::BadInput => "bad_input",
        }
    }
}

/// The kind of a protocol error, if it has one of its own.
pub fn protocol_kind(e: &ProtocolError) -> Option<ErrorKind> {
    match e {
        ProtocolError::WrongMode { .. } => Some(ErrorKind::WrongMode),
        ProtocolError::WrongKey { .. } => Some(ErrorKind::WrongKey),
        ProtocolError::Unsupported(_) => Some(ErrorKind::Unsupported),
        _ => None,
    }
}

/// What went wrong. The variants with a `context` display it alone and keep the cause as their
/// source, so [`ApiError::message`] reads "context: cause" (as `anyhow`'s `{:#}` prints it).
#[derive(Debug, Error)]
pub enum ApiError {
    /// A refusal of a kind of its own (keys exist, wrong mode, usage).
    #[error("{message}")]
    Refused {
        /// The kind.
        kind: ErrorKind,
        /// Why.
        message: String,
    },
    /// A key or proof file that does not decode; the context names it.
    #[error("{context}")]
    Codec {
        /// The file.
        context: String,
        /// What is wrong with it.
        source: CodecError,
    },
    /// Setup or the prover refused.
    #[error("{context}")]
    Protocol {
        /// What was being done.
        context: String,
        /// Why it failed.
        source: ProtocolError,
    },
    /// Import or quantization failed.
    #[error("{context}")]
    Prepare {
        /// The model.
        context: String,
        /// Why.
        source: OnnxError,
    },
    /// A data file or value refused (its message names it), or a float or quantized run failed.
    #[error(transparent)]
    Data(#[from] OnnxError),
    /// A file that cannot be written.
    #[error("{context}")]
    Io {
        /// The file and what was being done.
        context: String,
        /// The system's error.
        source: std::io::Error,
    },
    /// Anything else refused: the message says what and where.
    #[error("{0}")]
    Invalid(String),
}

impl ApiError {
    /// A refusal of kind `kind`.
    pub fn refused(kind: ErrorKind, message: impl Into<String>) -> Self {
        Self::Refused {
            kind,
            message: message.into(),
        }
    }

    /// The kind of the error.
    pub fn kind(&self) -> ErrorKind {
        match self {
            Self::Refused { kind, .. } => *kind,
            Self::Codec {
                source: CodecError::Corrupt { .. },
                ..
            } => ErrorKind::CorruptKey,
            Self::Codec { .. } => ErrorKind::MalformedFile,
            Self::Protocol { source, .. } => protocol_kind(source).unwrap_or(ErrorKind::BadInput),
            _ => ErrorKind::BadInput,
        }
    }

    /// The whole message: this error and each of its causes, joined by ": ".
    pub fn message(&self) -> String {
        let mut text = self.to_string();
        let mut cause = std::error::Error::source(self);
        while let Some(c) = cause {
            text.push_str(": ");
            text.push_str(&c.to_string());
            cause = c.source();
        }
        text
    }
}

/// `Invalid` with a formatted message.
macro_rules! invalid {
    ($($t:tt)*) => { $crate::error::ApiError::Invalid(format!($($t)*)) };
}
pub(crate) use invalid;
