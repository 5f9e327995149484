//! What the proving subcommands (`setup`, `prove`, `verify`, `demo`) share on the terminal:
//! progress spinners and number formatting. Files, keys and inputs are the library's
//! (`zkinfer_api`).

use std::io::IsTerminal;
use std::sync::Arc;
use std::time::Duration;

use indicatif::{ProgressBar, ProgressStyle};
use zkinfer_api::Progress;

/// A spinner on stderr for one long step; hidden with `--json` or when stderr is not a terminal.
pub fn spinner(quiet: bool, msg: &str) -> ProgressBar {
    if quiet || !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let pb = ProgressBar::new_spinner();
    if let Ok(style) = ProgressStyle::with_template("{spinner} {msg} ({elapsed})") {
        pb.set_style(style);
    }
    pb.set_message(msg.to_string());
    pb.enable_steady_tick(Duration::from_millis(100));
    pb
}

/// The library's progress reports shown as `pb`'s message (a hidden spinner shows nothing).
pub fn progress(pb: &ProgressBar) -> Progress {
    let pb = pb.clone();
    Arc::new(move |step: &str| pb.set_message(step.to_string()))
}

/// Formats real values for text output.
pub fn fmt_values(xs: &[f64]) -> String {
    let v: Vec<String> = xs.iter().map(|x| format!("{x:.6}")).collect();
    format!("[{}]", v.join(", "))
}
