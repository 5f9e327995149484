//! Convolution and pooling windows: kernel, strides, dilations and pads each in range and of the
//! input's spatial rank, groups that divide the channels, and a (dilated) kernel no larger than the
//! padded input. Returns the output shape (ONNX's formulas, `auto_pad` included).

use super::CAP;
use super::shape::{At, Dims, show};

/// A list attribute of `n` entries (one or two per spatial axis) each within `lo..=CAP`, or
/// `default` everywhere when absent.
fn list(at: &At, name: &str, n: usize, lo: i64, default: i64) -> Result<Vec<usize>, String> {
    let Some(v) = at.int_list(name) else {
        return Ok(vec![default as usize; n]);
    };
    if v.len() != n {
        return Err(at.err(format!(
            "{name} {v:?} has {} entries where the input's spatial axes need {n}",
            v.len()
        )));
    }
    if let Some(x) = v.iter().find(|&&x| x < lo || x as u128 > CAP) {
        return Err(at.err(format!("{name} {v:?}: {x} is out of range ({lo} to {CAP})")));
    }
    Ok(v.iter().map(|&x| x as usize).collect())
}

pub(super) fn check(at: &At) -> Result<Option<Dims>, String> {
    let op = at.node.op_type.as_str();
    let is_conv = op.starts_with("Conv");
    let x = at.dims(0).cloned();
    let w = if is_conv { at.dims(1).cloned() } else { None };
    let rank = x.as_ref().map(Vec::len).or(w.as_ref().map(Vec::len));
    if let Some(g) = at.int("group")
        && g < 1
    {
        return Err(at.err(format!("group {g} (must be at least 1)")));
    }
    let Some(rank) = rank else {
        // Ranks unknown: still refuse values that are wrong at any rank.
        for (name, lo) in [
            ("kernel_shape", 1),
            ("strides", 1),
            ("dilations", 1),
            ("pads", 0),
        ] {
            let n = at.int_list(name).map_or(0, <[i64]>::len);
            list(at, name, n, lo, lo)?;
        }
        return Ok(None);
    };
    if rank < 3 {
        return Err(at.err(format!(
            "input of rank {rank} (N, C and at least one spatial axis)"
        )));
    }
    let sp = rank - 2;
    if let Some(w) = &w
        && w.len() != rank
    {
        return Err(at.err(format!(
            "weight of shape {} for an input of rank {rank}",
            show(w)
        )));
    }
    let kernel = match (at.int_list("kernel_shape"), &w) {
        (Some(_), _) => list(at, "kernel_shape", sp, 1, 1)?,
        (None, Some(w)) => match w[2..].iter().copied().collect::<Option<Vec<usize>>>() {
            Some(k) => k,
            None => return Ok(None),
        },
        (None, None) => return Err(at.err("no kernel_shape")),
    };
    if let Some(k) = kernel.iter().find(|&&k| k == 0) {
        return Err(at.err(format!("kernel {kernel:?} has a zero entry {k}")));
    }
    let strides = list(at, "strides", sp, 1, 1)?;
    let dilations = list(at, "dilations", sp, 1, 1)?;
    let pads = list(at, "pads", 2 * sp, 0, 0)?;
    let group = at.int("group").unwrap_or(1) as usize;
    let Some(x) = x else { return Ok(None) };
    if op == "ConvTranspose" {
        // A transposed convolution grows its input: no window has to fit.
        return Ok(None);
    }
    if let Some(w) = &w {
        check_groups(at, &x, w, group)?;
    }
    let auto_pad = at.string("auto_pad").unwrap_or_default();
    let ceil = at.int("ceil_mode").unwrap_or(0) != 0;
    let mut out = vec![
        x[0],
        if is_conv {
            w.as_ref().and_then(|w| w[0])
        } else {
            x[1]
        },
    ];
    for i in 0..sp {
        let Some(d) = x[2 + i] else {
            out.push(None);
            continue;
        };
        let eff = (kernel[i] - 1) * dilations[i] + 1;
        let s = strides[i];
        out.push(Some(match auto_pad.as_str() {
            "SAME_UPPER" | "SAME_LOWER" => d.div_ceil(s),
            "VALID" | "NOTSET" | "" => {
                let padded = if auto_pad == "VALID" {
                    d
                } else {
                    d + pads[i] + pads[i + sp]
                };
                if eff > padded {
                    return Err(at.err(format!(
                        "kernel {} (dilated to {eff}) is larger than the padded input {padded} \
                         on spatial axis {i} of {}",
                        kernel[i],
                        show(&x)
                    )));
                }
                let span = padded - eff;
                (if ceil { span.div_ceil(s) } else { span / s }) + 1
            }
            other => return Err(at.err(format!("auto_pad {other:?}"))),
        }));
    }
    Ok(Some(out))
}

/// Input channels = weight channels x group, output channels divisible by group.
fn check_groups(at: &At, x: &Dims, w: &Dims, group: usize) -> Result<(), String> {
    if let (Some(c), Some(wc)) = (x[1], w[1])
        && c != wc.saturating_mul(group)
    {
        return Err(at.err(format!(
            "group {group}: input has {c} channels, the weight {} expects {}",
            show(w),
            wc.saturating_mul(group)
        )));
    }
    if let Some(m) = w[0]
        && m % group != 0
    {
        return Err(at.err(format!(
            "group {group} does not divide the weight's {m} output channels"
        )));
    }
    Ok(())
}
