use std::time::Instant;
use zkinfer_protocol::test_support::{Rng, cnn, input_len, linear, maxpool, mlp};
use zkinfer_protocol::{ZkModelProof, prove_zk, setup, verify_zk};

#[test]
fn probe() {
    for (name, build) in [
        ("mlp", mlp as fn(u64) -> _),
        ("cnn", cnn),
        ("maxpool", maxpool),
        ("linear", linear),
    ] {
        let model = build(7);
        let input = Rng(8).vec(input_len(&model), 127);
        let t = Instant::now();
        let (pk, vk) = setup(model).unwrap();
        let (out, proof) = prove_zk(&pk, &input).unwrap();
        let tp = t.elapsed();
        let t = Instant::now();
        verify_zk(&vk, &input, &out, &proof).unwrap();
        let tv = t.elapsed();
        let mut bad = proof.clone();
        bad.opening.q_at_z += <zkinfer_field::EF as zkinfer_field::PrimeCharacteristicRing>::ONE;
        let t = Instant::now();
        let e = verify_zk(&vk, &input, &out, &bad).unwrap_err();
        let tb = t.elapsed();
        let json = serde_json::to_value(&proof).unwrap();
        let s = serde_json::to_string(&json).unwrap();
        let t = Instant::now();
        let _p: ZkModelProof = serde_json::from_value(json.clone()).unwrap();
        let td = t.elapsed();
        let t = Instant::now();
        let _c = proof.clone();
        let tc = t.elapsed();
        let pc = postcard::to_allocvec(&proof).unwrap().len();
        eprintln!(
            "{name}: prove {tp:?} verify {tv:?} bad {tb:?} ({e}) json {} deser {td:?} clone {tc:?} postcard {pc} steps {}",
            s.len(),
            proof.steps.len()
        );
        if name == "mlp" {
            std::fs::write("/tmp/mlp_zk.json", serde_json::to_string_pretty(&serde_json::json!({"output_view": json["output_view"], "steps": json["steps"], "weight_evals": json["weight_evals"], "wr": json["weight_reduction"], "batch": json["opening"]["batch"], "hc": json["hidden_commitment"]})).unwrap()).unwrap();
        }
    }
}
