//! The scaling plot: prove time and peak memory against MACs, log-log, two panels in one SVG.

use std::path::Path;

use anyhow::{Result, anyhow};
use plotters::prelude::*;

/// One point: MACs, prove seconds, peak MB, and a label drawn beside it.
pub type Point = (f64, f64, f64, Option<String>);

/// One series of points.
#[derive(Debug, Clone)]
pub struct Series {
    pub label: String,
    pub color: RGBColor,
    /// Join the points with a line (a family of models) or not (unrelated models).
    pub line: bool,
    /// Triangles instead of circles (the other prover).
    pub triangles: bool,
    pub points: Vec<Point>,
}

/// `[10^floor(log10 lo), 10^ceil(log10 hi)]` of the positive values.
fn decades(vals: impl Iterator<Item = f64>) -> (f64, f64) {
    let (lo, hi) = vals
        .filter(|v| v.is_finite() && *v > 0.0)
        .fold((f64::MAX, f64::MIN), |(a, b), v| (a.min(v), b.max(v)));
    if lo > hi {
        return (1.0, 10.0);
    }
    let lo = 10f64.powf(lo.log10().floor());
    let hi = 10f64.powf(hi.log10().ceil()).max(lo * 10.0);
    (lo, hi)
}

type Area<'a> = DrawingArea<SVGBackend<'a>, plotters::coord::Shift>;

fn panel(
    area: &Area,
    series: &[Series],
    title: &str,
    y_desc: &str,
    y: fn(&Point) -> f64,
    legend: SeriesLabelPosition,
) -> Result<()> {
    let err = |e: DrawingAreaErrorKind<std::io::Error>| anyhow!("drawing {title}: {e:?}");
    let all = || series.iter().flat_map(|s| s.points.iter());
    let (x0, x1) = decades(all().map(|p| p.0));
    let (y0, y1) = decades(all().map(y));
    let mut chart = ChartBuilder::on(area)
        .caption(title, ("sans-serif", 20))
        .margin(12)
        .x_label_area_size(45)
        .y_label_area_size(65)
        .build_cartesian_2d((x0..x1).log_scale(), (y0..y1).log_scale())
        .map_err(err)?;
    chart
        .configure_mesh()
        .x_desc("MACs (multiply-accumulates per inference)")
        .y_desc(y_desc)
        .x_label_formatter(&|v| format!("{v:.0e}"))
        .y_label_formatter(&|v| format!("{v}"))
        .draw()
        .map_err(err)?;
    for s in series.iter().filter(|s| !s.points.is_empty()) {
        let pts: Vec<(f64, f64)> = s.points.iter().map(|p| (p.0, y(p))).collect();
        let color = s.color;
        if s.line {
            chart
                .draw_series(LineSeries::new(pts.clone(), color.stroke_width(2)))
                .map_err(err)?;
        }
        let anno = if s.triangles {
            chart.draw_series(
                pts.iter()
                    .map(|&p| TriangleMarker::new(p, 7, color.filled())),
            )
        } else {
            chart.draw_series(pts.iter().map(|&p| Circle::new(p, 4, color.filled())))
        }
        .map_err(err)?;
        let anno = anno.label(&s.label);
        if s.triangles {
            anno.legend(move |(x, y)| TriangleMarker::new((x + 9, y), 6, color.filled()));
        } else if !s.line {
            anno.legend(move |(x, y)| Circle::new((x + 9, y), 4, color.filled()));
        } else {
            anno.legend(move |(x, y)| {
                PathElement::new(vec![(x, y), (x + 18, y)], color.stroke_width(3))
            });
        }
        for (p, q) in s.points.iter().zip(&pts) {
            if let Some(name) = &p.3 {
                let style = ("sans-serif", 11).into_font().color(&color);
                let text = Text::new(name.clone(), (6, -12), style);
                chart
                    .draw_series(std::iter::once(EmptyElement::at(*q) + text))
                    .map_err(err)?;
            }
        }
    }
    chart
        .configure_series_labels()
        .position(legend)
        .background_style(WHITE.mix(0.85))
        .border_style(BLACK)
        .label_font(("sans-serif", 13))
        .draw()
        .map_err(err)?;
    Ok(())
}

/// Writes the two-panel SVG to `path`.
pub fn plot(path: &Path, series: &[Series], subtitle: &str) -> Result<()> {
    let root = SVGBackend::new(path, (1400, 620)).into_drawing_area();
    let err =
        |e: DrawingAreaErrorKind<std::io::Error>| anyhow!("drawing {}: {e:?}", path.display());
    root.fill(&WHITE).map_err(err)?;
    let root = root.titled(subtitle, ("sans-serif", 15)).map_err(err)?;
    let (left, right) = root.split_horizontally(700);
    // Each legend goes where its panel has no points: small models prove fast (lower right is
    // empty), and memory has a fixed base under the small models (upper left is empty).
    let (lower_right, upper_left) = (
        SeriesLabelPosition::LowerRight,
        SeriesLabelPosition::UpperLeft,
    );
    panel(
        &left,
        series,
        "Prove time",
        "prove time (s)",
        |p| p.1,
        lower_right,
    )?;
    let mem = "peak resident memory (MB)";
    panel(&right, series, "Peak memory", mem, |p| p.2, upper_left)?;
    root.present().map_err(err)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decades_cover_the_values() {
        assert_eq!(decades([640.0, 3.1e7].into_iter()), (100.0, 1e8));
        assert_eq!(decades([5.0].into_iter()), (1.0, 10.0));
        assert_eq!(decades([f64::NAN, 0.0].into_iter()), (1.0, 10.0));
    }

    #[test]
    fn writes_an_svg_with_every_label() {
        let dir = std::env::temp_dir().join(format!("zkinfer-plot-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("t.svg");
        let s = |label: &str, line, triangles| Series {
            label: label.into(),
            color: RGBColor(200, 0, 0),
            line,
            triangles,
            points: vec![(1e3, 0.1, 30.0, Some("a".into())), (1e6, 2.0, 300.0, None)],
        };
        plot(
            &path,
            &[s("zk-mlp", true, false), s("ezkl", false, true)],
            "sub",
        )
        .unwrap();
        let svg = std::fs::read_to_string(&path).unwrap();
        for needle in ["zk-mlp", "ezkl", "Prove time", "Peak memory", "MACs", "sub"] {
            assert!(svg.contains(needle), "{needle} missing");
        }
        std::fs::remove_dir_all(dir).unwrap();
    }
}
