//! docs/ops.md and docs/conformance.md hold, verbatim, the tables `zkinfer conformance` prints:
//! per ONNX operator and per model of EZKL's corpus, whether it evaluates and whether it proves in
//! each mode (and README's Status their counts). Rerun `zkinfer conformance --ops` and `zkinfer conformance
//! ../shared/conformance/ezkl-examples` and paste their output when these fail.

mod common;

use std::path::PathBuf;

use common::shared;
use serde_json::Value;
use zkinfer_protocol::{OpProof, op_proof};

fn doc(name: &str) -> String {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../docs")
        .join(name);
    std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

/// Runs `zkinfer` from the repository's root, as the docs say to (error messages name paths).
fn run(args: &[&str]) -> String {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..");
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_zkinfer"))
        .args(args)
        .current_dir(root)
        .output()
        .expect("spawn zkinfer");
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// `table` appears in `doc` exactly; otherwise names the first line that differs.
fn assert_in_doc(doc_name: &str, table: &str) {
    let text = doc(doc_name);
    if text.contains(table) {
        return;
    }
    let stale = table
        .lines()
        .find(|l| !text.lines().any(|d| d == *l))
        .unwrap_or("(the lines are all there, in another order or with others between)");
    panic!("docs/{doc_name} is stale; the command prints\n{stale}\nwhich the doc lacks");
}

#[test]
fn ops_table_in_docs_is_current() {
    let table = run(&["conformance", "--ops"]);
    assert!(table.lines().count() > 40, "{table}");
    assert_in_doc("ops.md", &table);
}

#[test]
fn conformance_table_in_docs_is_current_and_lowerings_hold() {
    if shared().is_none() {
        return;
    }
    let corpus = "../shared/conformance/ezkl-examples";
    let table = run(&["conformance", corpus]);
    assert!(table.lines().count() > 100, "{table}");
    assert_in_doc("conformance.md", &table);

    let rows: Vec<Value> = serde_json::from_str(&run(&["conformance", corpus, "--json"])).unwrap();
    let count = |f: &str| rows.iter().filter(|r| r[f] == true).count();
    let evaluates = rows.iter().filter(|r| r["status"] == "ok").count();
    let (plain, zk) = (count("proves_plain"), count("proves_zk"));
    assert!(
        zk <= plain && plain <= evaluates && evaluates >= 60,
        "{zk} {plain} {evaluates}"
    );
    assert!(zk >= 6, "only {zk} models prove in zero knowledge");
    let readme =
        std::fs::read_to_string(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../README.md"))
            .expect("README.md");
    let counts = format!(
        "{evaluates} import and evaluate, {plain} prove plain and {zk} prove in zero knowledge"
    );
    assert!(
        readme
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            .contains(&counts),
        "README.md's Status does not say \"{counts}\""
    );
    for r in &rows {
        let ops: Vec<&str> = r["ir_ops"]
            .as_array()
            .unwrap()
            .iter()
            .map(|o| o.as_str().unwrap())
            .collect();
        if r["proves_plain"] == true {
            // A model that proves uses no IR operator the table says has no proof.
            for o in &ops {
                assert_ne!(
                    op_proof(o),
                    OpProof::Refused,
                    "{} proves with {o}",
                    r["name"]
                );
            }
        }
        // A refusal "operator X has no proof yet" names an operator the table says has none.
        let reason = r["plain_reason"].as_str().unwrap_or_default();
        if let Some(o) = reason
            .split("operator ")
            .nth(1)
            .and_then(|x| x.split(' ').next())
        {
            assert_ne!(op_proof(o), OpProof::Proven, "{}: {reason}", r["name"]);
        }
    }
    // Each operator row's IR operators are what the quantizer made of the model it names.
    let ops: Vec<Value> = serde_json::from_str(&run(&["conformance", "--ops", "--json"])).unwrap();
    let mut checked = 0;
    for o in &ops {
        let Some(m) = rows.iter().find(|r| r["name"] == o["model"]) else {
            continue;
        };
        assert_eq!(
            o["evaluates"],
            m["status"] == "ok",
            "{}: {}",
            o["onnx"],
            m["name"]
        );
        for ir in o["ir_ops"].as_array().unwrap() {
            let name = ir.as_str().unwrap().split(' ').next().unwrap();
            assert!(
                m["ir_ops"].as_array().unwrap().iter().any(|x| x == name),
                "docs/ops.md: {} lowers to {name}, but {} has {}",
                o["onnx"],
                m["name"],
                m["ir_ops"]
            );
        }
        checked += 1;
    }
    assert!(
        checked >= 30,
        "only {checked} operator rows name a corpus model"
    );
}
