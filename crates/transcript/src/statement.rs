//! The public statement a transcript is bound to.

use thiserror::Error;
use zkinfer_field::F;

use crate::Transcript;

/// A malformed statement.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum StatementError {
    /// Two entries share a label, which would make the statement ambiguous to a reader.
    #[error("statement field {0:?} is given twice")]
    DuplicateLabel(String),
}

/// One labelled entry of a statement.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Entry {
    Bytes(Vec<u8>),
    Elems(Vec<F>),
    U64(u64),
}

/// Everything both parties agree on before the first prover message: a domain separator naming the
/// protocol, its version, the public parameters and the statement fields, in a fixed order.
///
/// Build it with the same calls on both sides; [`Transcript::new`] absorbs all of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Statement {
    domain: String,
    version: u32,
    parameters: Vec<(String, Entry)>,
    fields: Vec<(String, Entry)>,
}

impl Statement {
    /// Starts a statement for protocol `domain` (e.g. `"zkinfer/model-proof"`) at `version`.
    pub fn new(domain: &str, version: u32) -> Self {
        Self {
            domain: domain.to_owned(),
            version,
            parameters: vec![],
            fields: vec![],
        }
    }

    /// Adds a public parameter (security level, sizes, ...).
    pub fn parameter(mut self, label: &str, value: u64) -> Result<Self, StatementError> {
        Self::check_unique(&self.parameters, label)?;
        self.parameters.push((label.to_owned(), Entry::U64(value)));
        Ok(self)
    }

    /// Adds a statement field given as bytes (a hash, a commitment's encoding, ...).
    pub fn field_bytes(mut self, label: &str, bytes: &[u8]) -> Result<Self, StatementError> {
        Self::check_unique(&self.fields, label)?;
        self.fields
            .push((label.to_owned(), Entry::Bytes(bytes.to_vec())));
        Ok(self)
    }

    /// Adds a statement field given as field elements (an input or output tensor, ...).
    pub fn field_elems(mut self, label: &str, elems: &[F]) -> Result<Self, StatementError> {
        Self::check_unique(&self.fields, label)?;
        self.fields
            .push((label.to_owned(), Entry::Elems(elems.to_vec())));
        Ok(self)
    }

    /// The protocol version this statement was made for.
    pub fn version(&self) -> u32 {
        self.version
    }

    fn check_unique(entries: &[(String, Entry)], label: &str) -> Result<(), StatementError> {
        if entries.iter().any(|(l, _)| l == label) {
            return Err(StatementError::DuplicateLabel(label.to_owned()));
        }
        Ok(())
    }

    pub(crate) fn absorb_into(&self, t: &mut Transcript) {
        t.observe_bytes("zkinfer.domain", self.domain.as_bytes());
        t.observe_u64("zkinfer.version", u64::from(self.version));
        t.observe_u64("zkinfer.parameters", self.parameters.len() as u64);
        for (label, entry) in &self.parameters {
            absorb_entry(t, label, entry);
        }
        t.observe_u64("zkinfer.fields", self.fields.len() as u64);
        for (label, entry) in &self.fields {
            absorb_entry(t, label, entry);
        }
    }
}

fn absorb_entry(t: &mut Transcript, label: &str, entry: &Entry) {
    t.observe_bytes("entry.label", label.as_bytes());
    match entry {
        Entry::Bytes(b) => t.observe_bytes("entry.bytes", b),
        Entry::Elems(e) => t.observe_base("entry.elems", e),
        Entry::U64(v) => t.observe_u64("entry.u64", *v),
    }
}
