//! Byte-level mutation operators, for any file: bit flips, byte sets, truncation, extension, and
//! duplicated, deleted, inserted or swapped spans. One to four are stacked per case.

use super::rng::Rng;

/// The operators, named as the report prints them.
pub const OPERATORS: [&str; 8] = [
    "flip bit",
    "set byte",
    "truncate",
    "extend",
    "duplicate span",
    "delete span",
    "insert bytes",
    "swap spans",
];

/// A position: a quarter of the time in the first 96 bytes (header, key id, output, the first
/// lengths and tags, where one changed byte moves everything after it), an eighth in the last 64,
/// otherwise anywhere.
fn position(len: usize, rng: &mut Rng) -> usize {
    match rng.below(8) {
        0 | 1 => rng.below(len.min(96)),
        2 => len - 1 - rng.below(len.min(64)),
        _ => rng.below(len),
    }
}

/// A span length: mostly short, sometimes up to a quarter of the data (at least 1).
fn span(len: usize, rng: &mut Rng) -> usize {
    let max = if rng.chance(1, 4) {
        (len / 4).clamp(1, 4096)
    } else {
        16
    };
    rng.between(1, max)
}

fn apply_one(data: &mut Vec<u8>, rng: &mut Rng) -> String {
    let len = data.len();
    let op = if len == 0 {
        3
    } else {
        rng.below(OPERATORS.len())
    };
    let name = OPERATORS[op];
    match op {
        0 => {
            let (p, bit) = (position(len, rng), rng.below(8));
            data[p] ^= 1 << bit;
            format!("{name} {bit} at {p}")
        }
        1 => {
            let p = position(len, rng);
            let v = match rng.below(3) {
                0 => 0x00,
                1 => 0xff,
                _ => rng.byte(),
            };
            data[p] = v;
            format!("{name} {p} = {v:#04x}")
        }
        2 => {
            let to = if rng.chance(1, 3) {
                len - rng.between(1, len.min(40))
            } else {
                rng.below(len)
            };
            data.truncate(to);
            format!("{name} to {to} of {len}")
        }
        3 => {
            let n = if rng.chance(1, 8) {
                rng.between(1, 4096)
            } else {
                rng.between(1, 64)
            };
            data.extend(rng.bytes(n));
            format!("{name} by {n}")
        }
        4 => {
            let l = span(len, rng).min(len);
            let from = rng.below(len - l + 1);
            let to = rng.below(len + 1);
            let copy = data[from..from + l].to_vec();
            data.splice(to..to, copy);
            format!("{name} {from}..{} to {to}", from + l)
        }
        5 => {
            let l = span(len, rng).min(len);
            let from = position(len, rng).min(len - l);
            data.drain(from..from + l);
            format!("{name} {from}..{}", from + l)
        }
        6 => {
            let (at, n) = (position(len, rng), rng.between(1, 16));
            data.splice(at..at, rng.bytes(n));
            format!("{name} {n} at {at}")
        }
        _ => {
            let l = span(len, rng).min(len / 2);
            if l == 0 {
                data[0] ^= 0x80;
                return "flip bit 7 at 0".into();
            }
            let a = rng.below(len - 2 * l + 1);
            let b = a + l + rng.below(len - a - 2 * l + 1);
            let (left, right) = data.split_at_mut(b);
            left[a..a + l].swap_with_slice(&mut right[..l]);
            format!("{name} {a}..{} with {b}..{}", a + l, b + l)
        }
    }
}

/// `data` with one to four stacked operators applied, and their description; never equal to
/// `data` (an operator that changes nothing, such as a byte set to its own value, is redrawn).
pub fn mutate(data: &[u8], rng: &mut Rng) -> (Vec<u8>, String) {
    loop {
        let count = if rng.chance(3, 10) {
            rng.between(2, 4)
        } else {
            1
        };
        let mut out = data.to_vec();
        let steps: Vec<String> = (0..count).map(|_| apply_one(&mut out, rng)).collect();
        if out != data {
            return (out, steps.join("; "));
        }
    }
}
