use super::*;
use zkinfer_field::PrimeCharacteristicRing;

fn make(domain: &str, version: u32, bits: u64, model_hash: &[u8], output: &[F]) -> Statement {
    Statement::new(domain, version)
        .parameter("security_bits", bits)
        .and_then(|s| s.field_bytes("model_hash", model_hash))
        .and_then(|s| s.field_elems("output", output))
        .unwrap()
}

fn statement(model_hash: &[u8], output: &[F]) -> Statement {
    make("zkinfer/test", 1, 100, model_hash, output)
}

/// Runs a fixed message schedule and returns every challenge drawn along it.
fn schedule(st: &Statement) -> Vec<EF> {
    let mut t = Transcript::new(st);
    let mut out = vec![];
    for round in 0..5u32 {
        t.observe_ext("round", &[EF::from_u32(round)]);
        out.push(t.sample_ext("r"));
    }
    out
}

#[test]
fn same_statement_same_challenges() {
    let out = [F::from_u32(7), F::from_u32(9)];
    assert_eq!(
        schedule(&statement(b"abc", &out)),
        schedule(&statement(b"abc", &out))
    );
}

#[test]
fn every_statement_field_changes_every_challenge() {
    let out = [F::from_u32(7), F::from_u32(9)];
    let base = schedule(&statement(b"abc", &out));
    let variants = [
        schedule(&statement(b"abd", &out)),
        schedule(&statement(b"abc", &[F::from_u32(7), F::from_u32(8)])),
        schedule(&statement(b"abc", &out[..1])),
        schedule(&make("zkinfer/test", 2, 100, b"abc", &out)),
        schedule(&make("zkinfer/test", 1, 101, b"abc", &out)),
        schedule(&make("zkinfer/other", 1, 100, b"abc", &out)),
    ];
    for v in &variants {
        for (a, b) in base.iter().zip(v) {
            assert_ne!(
                a, b,
                "a changed statement must change every later challenge"
            );
        }
    }
}

#[test]
fn labels_and_lengths_separate_messages() {
    let st = statement(b"m", &[]);
    let mut a = Transcript::new(&st);
    let mut b = Transcript::new(&st);
    a.observe_ext("x", &[EF::ONE, EF::ONE]);
    b.observe_ext("x", &[EF::ONE]);
    b.observe_ext("x", &[EF::ONE]);
    assert_ne!(a.sample_ext("r"), b.sample_ext("r"));
    let mut c = Transcript::new(&st);
    let mut d = Transcript::new(&st);
    c.observe_ext("x", &[EF::ONE]);
    d.observe_ext("y", &[EF::ONE]);
    assert_ne!(c.sample_ext("r"), d.sample_ext("r"));
}

#[test]
fn duplicate_labels_are_refused() {
    let s = Statement::new("d", 1).field_bytes("x", b"1").unwrap();
    assert_eq!(
        s.field_bytes("x", b"2"),
        Err(StatementError::DuplicateLabel("x".into()))
    );
}

#[test]
fn byte_packing_is_injective_on_trailing_zeros() {
    assert_ne!(pack_bytes(b"a"), pack_bytes(b"a\0"));
}

#[test]
fn short_and_long_lengths_never_collide() {
    assert_eq!(length_elems(5), vec![F::from_u64(5)]);
    let long = length_elems(1 << 30);
    assert_eq!(long.len(), 4);
    assert_eq!(long[0], F::from_u64(1 << 30));
    assert_ne!(length_elems((1 << 30) - 1), long[..1].to_vec());
}

#[test]
fn distinct_labels_get_distinct_tags() {
    // Every message label of the workspace's protocols is short; a sample of near-identical ones.
    let labels = [
        "sumcheck.round",
        "sumcheck.challenge",
        "sumcheck.final_evals",
        "logup.alpha",
        "logup.beta",
        "range.evals",
        "requant.gamma",
        "requant.zero_point",
        "reduce.rho",
        "reduce.values",
        "a",
        "b",
        "ab",
        "ba",
    ];
    let tags: std::collections::HashSet<_> = labels.iter().map(|l| label_tag(l)).collect();
    assert_eq!(tags.len(), labels.len());
}
