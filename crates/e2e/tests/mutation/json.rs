//! Mutations of JSON files (inputs, input openings): byte-level ones, number tokens replaced in the
//! text (by what JSON cannot hold as a value, too: `NaN`, `1e400`), and structural edits of the
//! parsed value (numbers made huge, negative or strings; arrays nested, emptied, lengthened; keys
//! renamed, removed, added or duplicated).

use serde_json::{Map, Number, Value, json};

use super::bytes;
use super::rng::Rng;

/// Replacements for a number token, as text.
const TOKENS: [&str; 30] = [
    "1e400",
    "-1e400",
    "NaN",
    "Infinity",
    "-Infinity",
    "1e39",
    "-3.5e38",
    "3.4028235e38",
    "1e-400",
    "-0",
    "0.0000000000000000000001",
    "18446744073709551616",
    "-9223372036854775809",
    "9223372036854775807",
    "4294967296",
    "2147483648",
    "\"0.5\"",
    "null",
    "true",
    "[]",
    "{}",
    "[0]",
    "1.",
    ".5",
    "01",
    "+1",
    "0x10",
    "1e",
    "123456789012345678901234567890",
    "-",
];

/// The byte ranges of the number tokens outside strings.
fn number_tokens(text: &[u8]) -> Vec<(usize, usize)> {
    let (mut out, mut i, mut in_string) = (vec![], 0, false);
    while i < text.len() {
        let c = text[i];
        if in_string {
            match c {
                b'\\' => i += 1,
                b'"' => in_string = false,
                _ => {}
            }
            i += 1;
        } else if c == b'"' {
            in_string = true;
            i += 1;
        } else if c == b'-' || c.is_ascii_digit() {
            let start = i;
            while i < text.len()
                && matches!(text[i], b'0'..=b'9' | b'-' | b'+' | b'.' | b'e' | b'E')
            {
                i += 1;
            }
            out.push((start, i));
        } else {
            i += 1;
        }
    }
    out
}

fn replace_token(text: &[u8], rng: &mut Rng) -> Option<(Vec<u8>, String)> {
    let tokens = number_tokens(text);
    if tokens.is_empty() {
        return None;
    }
    let (a, b) = *rng.pick(&tokens);
    let old = String::from_utf8_lossy(&text[a..b]).into_owned();
    let new = match rng.below(4) {
        0 => old
            .strip_prefix('-')
            .map_or(format!("-{old}"), str::to_string),
        1 => format!("{old}e{}", rng.between(1, 400)),
        _ => rng.pick(&TOKENS).to_string(),
    };
    let mut out = text[..a].to_vec();
    out.extend_from_slice(new.as_bytes());
    out.extend_from_slice(&text[b..]);
    Some((out, format!("number token {a}..{b} {old} -> {new}")))
}

#[derive(Clone, Debug)]
enum Seg {
    Key(String),
    At(usize),
}

/// Every node's path, and whether it is an array or an object.
fn paths(v: &Value, here: &mut Vec<Seg>, out: &mut Vec<(Vec<Seg>, bool)>) {
    out.push((here.clone(), v.is_array() || v.is_object()));
    match v {
        Value::Array(a) => {
            for (i, x) in a.iter().enumerate() {
                here.push(Seg::At(i));
                paths(x, here, out);
                here.pop();
            }
        }
        Value::Object(m) => {
            for (k, x) in m {
                here.push(Seg::Key(k.clone()));
                paths(x, here, out);
                here.pop();
            }
        }
        _ => {}
    }
}

fn at<'a>(v: &'a mut Value, path: &[Seg]) -> &'a mut Value {
    path.iter().fold(v, |v, s| match s {
        Seg::Key(k) => &mut v[k.as_str()],
        Seg::At(i) => &mut v[*i],
    })
}

fn huge_number(rng: &mut Rng) -> Value {
    let n = |f: f64| Value::Number(Number::from_f64(f).unwrap_or(Number::from(0)));
    match rng.below(8) {
        0 => json!(u64::MAX),
        1 => json!(i64::MIN),
        2 => n(1e300),
        3 => n(-3.5e38),
        4 => n(1e-300),
        5 => json!(1u64 << 32),
        6 => json!(-(rng.next_u64() as i64).abs()),
        _ => n(f64::from_bits(rng.next_u64()) % 1e6),
    }
}

fn edit_number(v: &mut Value, rng: &mut Rng) -> &'static str {
    let x = v.clone();
    let small = |d: f64| json!(x.as_f64().unwrap_or(0.0) + d);
    let (new, what) = match rng.below(9) {
        // Small steps keep a key well formed, so they reach the checks past validation.
        6 => (
            x.as_i64()
                .map_or(small(1.0), |i| json!(i.saturating_add(1))),
            "plus one",
        ),
        7 => (
            x.as_i64()
                .map_or(small(-1.0), |i| json!(i.saturating_sub(1))),
            "minus one",
        ),
        8 => (json!(0), "zero"),
        0 => (huge_number(rng), "huge or odd number"),
        1 => (json!(-x.as_f64().unwrap_or(1.0) - 1.0), "negated"),
        2 => (Value::String(x.to_string()), "as a string"),
        3 => (Value::Null, "null"),
        4 => (json!([x]), "wrapped in an array"),
        _ => (json!({ "v": x }), "wrapped in an object"),
    };
    *v = new;
    what
}

fn edit_array(a: &mut Vec<Value>, rng: &mut Rng) -> &'static str {
    let n = a.len();
    match rng.below(7) {
        0 => {
            a.clear();
            "emptied"
        }
        1 => {
            let inner = std::mem::take(a);
            a.push(Value::Array(inner));
            "nested"
        }
        2 if n > 0 => {
            let i = rng.below(n);
            let x = a[i].take();
            a[i] = json!([x]);
            "element nested"
        }
        3 => {
            let k = if rng.chance(1, 4) {
                n.max(1)
            } else {
                rng.between(1, 4)
            };
            for _ in 0..k {
                let x = if n > 0 && rng.chance(1, 2) {
                    a[rng.below(n)].clone()
                } else {
                    huge_number(rng)
                };
                a.push(x);
            }
            "lengthened"
        }
        4 if n > 0 => {
            if rng.chance(1, 2) {
                a.remove(rng.below(n));
            } else {
                a.truncate(n / 2);
            }
            "shortened"
        }
        5 if n > 1 => {
            a.swap(rng.below(n), rng.below(n));
            "two elements swapped"
        }
        _ => {
            let copy = a.clone();
            a.extend(copy);
            "doubled"
        }
    }
}

fn renamed(k: &str, rng: &mut Rng) -> String {
    match rng.below(5) {
        0 => k.to_uppercase(),
        1 => k.chars().skip(1).collect(),
        2 => format!("{k}_"),
        3 => String::new(),
        _ => format!("{k}\u{e9}"),
    }
}

fn edit_object(m: &mut Map<String, Value>, rng: &mut Rng) -> &'static str {
    let keys: Vec<String> = m.keys().cloned().collect();
    if keys.is_empty() {
        m.insert("input_data".into(), json!([[0]]));
        return "key added";
    }
    let k = rng.pick(&keys).clone();
    match rng.below(4) {
        0 => {
            let v = m.remove(&k).unwrap_or(Value::Null);
            m.insert(renamed(&k, rng), v);
            "key renamed"
        }
        1 => {
            m.remove(&k);
            "key removed"
        }
        2 => {
            m.insert("extra".into(), json!([1, 2, 3]));
            "key added"
        }
        _ => {
            m.insert(k, Value::Null);
            "value set to null"
        }
    }
}

fn edit_string(s: &mut String, rng: &mut Rng) -> &'static str {
    match rng.below(4) {
        0 => {
            *s = s.to_uppercase();
            "upper-cased"
        }
        1 => {
            s.pop();
            "shortened"
        }
        2 => {
            s.push('0');
            "lengthened"
        }
        _ => {
            *s = s.chars().rev().collect();
            "reversed"
        }
    }
}

/// A structural edit of the parsed value, then the value written back (compact or pretty), and a
/// duplicated first key written into the text now and then.
fn edit_value(text: &[u8], rng: &mut Rng) -> Option<(Vec<u8>, String)> {
    let mut v: Value = serde_json::from_slice(text).ok()?;
    let mut all = vec![];
    paths(&v, &mut vec![], &mut all);
    let containers: Vec<&Vec<Seg>> = all.iter().filter(|p| p.1).map(|p| &p.0).collect();
    let path = if rng.chance(1, 2) && !containers.is_empty() {
        (*rng.pick(&containers)).clone()
    } else {
        rng.pick(&all).0.clone()
    };
    let node = at(&mut v, &path);
    let what = match node {
        Value::Number(_) => edit_number(node, rng),
        Value::Array(a) => edit_array(a, rng),
        Value::Object(m) => edit_object(m, rng),
        Value::String(s) => edit_string(s, rng),
        _ => {
            *node = json!(1);
            "set to 1"
        }
    };
    let mut out = if rng.chance(1, 2) {
        serde_json::to_vec(&v).ok()?
    } else {
        serde_json::to_vec_pretty(&v).ok()?
    };
    let mut desc = format!("{path:?}: {what}");
    if rng.chance(1, 8)
        && let Some((k, x)) = v.as_object().and_then(|m| m.iter().next())
    {
        let dup = format!("{{{}:{},", Value::String(k.clone()), edit_copy(x, rng));
        out.splice(0..1, dup.into_bytes());
        desc.push_str(&format!("; key {k:?} duplicated"));
    }
    Some((out, desc))
}

fn edit_copy(x: &Value, rng: &mut Rng) -> Value {
    let mut x = x.clone();
    if let Value::Array(a) = &mut x {
        edit_array(a, rng);
    }
    x
}

/// A structural edit or a replaced number token of the JSON `text` (`None` if neither changed it).
pub fn edit(text: &[u8], rng: &mut Rng) -> Option<(Vec<u8>, String)> {
    let edited = if rng.chance(1, 3) {
        replace_token(text, rng)
    } else {
        edit_value(text, rng)
    };
    edited.filter(|(out, _)| out != text)
}

/// A mutated copy of the JSON `text` and its description; never equal to `text`.
pub fn mutate(text: &[u8], rng: &mut Rng) -> (Vec<u8>, String) {
    let edited = match rng.below(10) {
        0..=2 => None,
        3..=5 => replace_token(text, rng),
        _ => edit_value(text, rng),
    };
    match edited {
        Some((out, desc)) if out != text => (out, desc),
        _ => bytes::mutate(text, rng),
    }
}
