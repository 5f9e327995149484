//! What each kind of file must do when mutated, checked through the library calls the CLI makes:
//! be refused when decoded or parsed, be rejected by the verifier (a prover key: make a proof the
//! original verifier key rejects, or none), or decode to a value equal to the original's, which must
//! then be accepted as the original is. Anything else is a [`Verdict::Bug`].

use zkinfer_protocol::{
    CodecError, InputOpening, Proof, ProofFile, ProtocolError, ProverKey, VerifierKey, prove,
    prove_zk_with, verify, verify_zk_with,
};

use super::corpus::{Corpus, Keys, ProofBytes, quantize_json};

/// Equal in meaning to the original, and accepted as it is.
pub const EQUAL: &str = "equal in meaning, accepted";

/// The kinds of file mutated.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    PlainProof,
    ZkProof,
    PrivateProof,
    InputOpening,
    InputJson,
    PlainVk,
    ZkVk,
    PlainPk,
    ZkPk,
}

/// How a key file is mutated: its bytes, its bytes with the integrity digest recomputed after
/// (so the parser and the model's validation behind the digest see the mutated body), or its value
/// (`reencode.rs`: the key writer encodes the mutated value, with a consistent model hash).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Seal {
    Raw,
    Resealed,
    Reencoded,
}

/// A kind of file, and how it is mutated.
#[derive(Clone, Copy, Debug)]
pub struct Target {
    pub name: &'static str,
    pub kind: Kind,
    pub seal: Seal,
}

const fn t(name: &'static str, kind: Kind, seal: Seal) -> Target {
    Target { name, kind, seal }
}

use Seal::{Raw, Reencoded, Resealed};

/// Every target; case `i` of a run mutates `TARGETS[i % TARGETS.len()]`.
pub const TARGETS: [Target; 17] = [
    t("plain proof", Kind::PlainProof, Raw),
    t("zk proof", Kind::ZkProof, Raw),
    t("zk proof, private input", Kind::PrivateProof, Raw),
    t("input opening (JSON)", Kind::InputOpening, Raw),
    t("input (JSON)", Kind::InputJson, Raw),
    t("plain verifier key", Kind::PlainVk, Raw),
    t("plain verifier key, resealed", Kind::PlainVk, Resealed),
    t("plain verifier key, re-encoded", Kind::PlainVk, Reencoded),
    t("zk verifier key", Kind::ZkVk, Raw),
    t("zk verifier key, resealed", Kind::ZkVk, Resealed),
    t("zk verifier key, re-encoded", Kind::ZkVk, Reencoded),
    t("plain prover key", Kind::PlainPk, Raw),
    t("plain prover key, resealed", Kind::PlainPk, Resealed),
    t("plain prover key, re-encoded", Kind::PlainPk, Reencoded),
    t("zk prover key", Kind::ZkPk, Raw),
    t("zk prover key, resealed", Kind::ZkPk, Resealed),
    t("zk prover key, re-encoded", Kind::ZkPk, Reencoded),
];

/// The result of one case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// An allowed outcome, named for the report.
    Ok(&'static str),
    /// A wrongly accepted or wrongly rejected file.
    Bug(String),
}

fn codec(e: &CodecError) -> Verdict {
    Verdict::Ok(match e {
        CodecError::TooLarge { .. } => "refused: too large",
        CodecError::Truncated { .. } => "refused: truncated",
        CodecError::BadMagic { .. } => "refused: magic",
        CodecError::UnsupportedVersion { .. } => "refused: version",
        CodecError::Corrupt { .. } => "refused: digest mismatch",
        CodecError::Malformed { .. } => "refused: malformed",
        CodecError::TrailingBytes { .. } => "refused: trailing bytes",
        CodecError::NonCanonical { .. } => "refused: non-canonical",
    })
}

/// Checks a proof of either kind as `zkinfer verify` does (the input only for a public-input
/// proof), without the key id, which the callers check when it matters.
pub fn verify_any(
    vk: &VerifierKey,
    input: &[i64],
    output: &[i64],
    proof: &Proof,
) -> Result<(), ProtocolError> {
    match proof {
        Proof::Plain(p) => verify(vk, input, output, p).map(|_| ()),
        Proof::Zk(p) => {
            let input = p.input_commitment.is_none().then_some(input);
            verify_zk_with(vk, input, output, p).map(|_| ())
        }
    }
}

/// `equal`: the mutated file means the original; `accepted`: it passed every check.
fn judge(equal: bool, accepted: bool, rejected: &'static str, what: &str) -> Verdict {
    match (equal, accepted) {
        (true, true) => Verdict::Ok(EQUAL),
        (false, false) => Verdict::Ok(rejected),
        (true, false) => Verdict::Bug(format!("{what} equal to the original was rejected")),
        (false, true) => Verdict::Bug(format!("a changed {what} was accepted")),
    }
}

fn check_proof(c: &Corpus, keys: &Keys, original: &ProofBytes, bytes: &[u8]) -> Verdict {
    let pf = match ProofFile::from_bytes(bytes) {
        Ok(pf) => pf,
        Err(e) => return codec(&e),
    };
    let equal = pf.to_bytes() == original.bytes;
    // Both checks run, so a changed key id alone does not stop the verifier from being exercised.
    let key = pf.check_key(&keys.vk);
    let verified = verify_any(&keys.vk, &c.input, &pf.output, &pf.proof);
    let label = if verified.is_ok() {
        "rejected: key id (the rest verifies)"
    } else {
        "rejected by the verifier"
    };
    judge(equal, key.is_ok() && verified.is_ok(), label, "proof")
}

/// A mutated verifier key must not verify the original proof (of `proof`).
fn check_vk(c: &Corpus, keys: &Keys, proof: &ProofBytes, bytes: &[u8]) -> Verdict {
    let vk = match VerifierKey::from_bytes(bytes) {
        Ok(vk) => vk,
        Err(e) => return codec(&e),
    };
    let f = &proof.file;
    let accepted = verify_any(&vk, &c.input, &f.output, &f.proof).is_ok();
    judge(
        vk == keys.vk,
        accepted,
        "rejected by the verifier",
        "verifier key",
    )
}

/// A mutated prover key must not make a proof the original verifier key accepts.
fn check_pk(c: &Corpus, keys: &Keys, private: bool, bytes: &[u8]) -> Verdict {
    let pk = match ProverKey::from_bytes(bytes) {
        Ok(pk) => pk,
        Err(e) => return codec(&e),
    };
    let proved = if pk.mode().zero_knowledge() {
        prove_zk_with(&pk, &c.input, private).map(|z| (z.output, Proof::Zk(z.proof)))
    } else {
        prove(&pk, &c.input).map(|(o, p)| (o, Proof::Plain(p)))
    };
    let equal = pk == keys.pk;
    match proved {
        Err(_) if !equal => Verdict::Ok("the prover failed"),
        Err(e) => Verdict::Bug(format!(
            "the prover failed with a key equal to the original: {e}"
        )),
        Ok((output, proof)) => {
            let accepted = verify_any(&keys.vk, &c.input, &output, &proof).is_ok();
            judge(
                equal,
                accepted,
                "proved, rejected by the verifier",
                "prover key",
            )
        }
    }
}

/// A mutated input must not verify with the original proof unless it quantizes to the same values.
fn check_input(c: &Corpus, keys: &Keys, proof: &ProofBytes, bytes: &[u8]) -> Verdict {
    let x = match quantize_json(&keys.vk.architecture, bytes) {
        Ok(x) => x,
        Err(label) => return Verdict::Ok(label),
    };
    let f = &proof.file;
    let accepted = verify_any(&keys.vk, &x, &f.output, &f.proof).is_ok();
    judge(x == c.input, accepted, "rejected by the verifier", "input")
}

/// A mutated opening must not match the private proof's input commitment unless it opens it to the
/// same input (`verify --input-opening`).
fn check_opening(c: &Corpus, bytes: &[u8]) -> Verdict {
    let Ok(o) = serde_json::from_slice::<InputOpening>(bytes) else {
        return Verdict::Ok("refused: not an input opening");
    };
    let commitment = match o.commitment() {
        Ok(cm) => cm,
        Err(_) => return Verdict::Ok("refused: invalid opening"),
    };
    let Proof::Zk(p) = &c.private_proof.file.proof else {
        return Verdict::Bug("the private proof is not a zk proof".into());
    };
    let matches = p.input_commitment.as_ref() == Some(&commitment);
    // Binding: an opening of another input never matches. An opening equal to the original must
    // match; another spelling of it (an upper-case seed) may.
    match (matches, o.input == c.opening.input, o == c.opening) {
        (true, false, _) => Verdict::Bug("an opening of another input matches the proof".into()),
        (false, _, true) => Verdict::Bug("the original opening does not match".into()),
        (true, true, true) => Verdict::Ok(EQUAL),
        (true, true, false) => Verdict::Ok("matches: the same input, spelt otherwise"),
        (false, _, false) => Verdict::Ok("does not match the proof's commitment"),
    }
}

/// The verdict on `bytes`, a mutated file of `target`'s kind; `private` picks, where it matters,
/// the private-input proof over the public-input one.
pub fn check(c: &Corpus, target: &Target, bytes: &[u8], private: bool) -> Verdict {
    let zk_proof = if private {
        &c.private_proof
    } else {
        &c.zk_proof
    };
    match target.kind {
        Kind::PlainProof => check_proof(c, &c.plain, &c.plain_proof, bytes),
        Kind::ZkProof => check_proof(c, &c.zk, &c.zk_proof, bytes),
        Kind::PrivateProof => check_proof(c, &c.zk, &c.private_proof, bytes),
        Kind::InputOpening => check_opening(c, bytes),
        Kind::InputJson if private => check_input(c, &c.zk, &c.zk_proof, bytes),
        Kind::InputJson => check_input(c, &c.plain, &c.plain_proof, bytes),
        Kind::PlainVk => check_vk(c, &c.plain, &c.plain_proof, bytes),
        Kind::ZkVk => check_vk(c, &c.zk, zk_proof, bytes),
        Kind::PlainPk => check_pk(c, &c.plain, false, bytes),
        Kind::ZkPk => check_pk(c, &c.zk, private, bytes),
    }
}

/// The honest file of `target`'s kind.
pub fn original<'a>(c: &'a Corpus, target: &Target) -> &'a [u8] {
    match target.kind {
        Kind::PlainProof => &c.plain_proof.bytes,
        Kind::ZkProof => &c.zk_proof.bytes,
        Kind::PrivateProof => &c.private_proof.bytes,
        Kind::InputOpening => &c.opening_json,
        Kind::InputJson => &c.input_json,
        Kind::PlainVk => &c.plain.vk_bytes,
        Kind::ZkVk => &c.zk.vk_bytes,
        Kind::PlainPk => &c.plain.pk_bytes,
        Kind::ZkPk => &c.zk.pk_bytes,
    }
}
