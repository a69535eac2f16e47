//! One SVG bar chart per group: for every case a cluster of horizontal bars,
//! one per contender, each the contender's time relative to arena-pool on a
//! log scale, so that 2× slower and 2× faster are bars of the same length.

use std::path::Path;

use plotters::coord::Shift;
use plotters::coord::combinators::BindKeyPoints;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::BASELINE;

/// One contender's bar.
#[derive(Clone, Debug)]
pub struct Bar {
    pub contender: String,
    /// Contender time over arena-pool time.
    pub ratio: f64,
}

/// One case's bars, or why it has none.
#[derive(Clone, Debug)]
pub struct Cluster {
    pub case: String,
    pub bars: Vec<Bar>,
    /// Shown instead of bars when there are none (a failed case).
    pub note: Option<String>,
}

/// Text lines below the chart.
pub struct Caption<'a> {
    pub title: &'a str,
    pub lines: &'a [String],
}

const WIDTH: u32 = 1100;
const ROW: f64 = 22.0;
const TOP: u32 = 56;
const AXIS: u32 = 56;
const CAPTION_LINE: u32 = 20;
const FONT: &str = "sans-serif";
/// A generous estimate of the width of one character of 13 px text (the
/// SVG backend cannot measure text), used to size the label margin.
const CHAR_WIDTH: f64 = 7.6;

const BASELINE_COLOR: RGBColor = RGBColor(230, 115, 0);
const PALETTE: [RGBColor; 9] = [
    RGBColor(31, 119, 180),
    RGBColor(44, 160, 44),
    RGBColor(148, 103, 189),
    RGBColor(214, 39, 40),
    RGBColor(140, 86, 75),
    RGBColor(227, 119, 194),
    RGBColor(127, 127, 127),
    RGBColor(188, 189, 34),
    RGBColor(23, 190, 207),
];

/// Row positions: a header row for each case, one row per bar, and half a
/// row between clusters.
struct Layout {
    /// For each cluster, the row of its header and the rows of its bars.
    clusters: Vec<(f64, Vec<f64>)>,
    rows: f64,
}

impl Layout {
    fn new(clusters: &[Cluster]) -> Self {
        let mut row = 0.0;
        let mut out = Vec::with_capacity(clusters.len());
        for cluster in clusters {
            let header = row;
            row += 1.0;
            let count = cluster.bars.len().max(usize::from(cluster.note.is_some()));
            let bars = (0..cluster.bars.len()).map(|i| row + i as f64).collect();
            row += count as f64 + 0.5;
            out.push((header, bars));
        }
        Self {
            clusters: out,
            rows: (row - 0.5).max(1.0),
        }
    }
}

/// The x range: every ratio and 1, with room on both sides for the value
/// labels, widened to at least 0.5..2.
pub fn x_range(clusters: &[Cluster]) -> (f64, f64) {
    let ratios = clusters
        .iter()
        .flat_map(|c| c.bars.iter().map(|b| b.ratio))
        .filter(|r| r.is_finite() && *r > 0.0);
    let (lo, hi) = ratios.fold((1.0f64, 1.0f64), |(lo, hi), r| (lo.min(r), hi.max(r)));
    // Label room: a factor on the log scale, more on a wide range.
    let pad = (hi / lo).powf(0.18).max(1.35);
    ((lo / pad).min(0.5), (hi * pad).max(2.0))
}

/// Color of each contender, stable within a chart: arena-pool its own, the
/// others by first appearance.
fn colors(clusters: &[Cluster]) -> Vec<(String, RGBColor)> {
    let mut out: Vec<(String, RGBColor)> = vec![(BASELINE.to_owned(), BASELINE_COLOR)];
    for bar in clusters.iter().flat_map(|c| &c.bars) {
        if !out.iter().any(|(name, _)| *name == bar.contender) {
            let color = PALETTE[(out.len() - 1) % PALETTE.len()];
            out.push((bar.contender.clone(), color));
        }
    }
    out
}

/// Formats a ratio for a bar label: `1.00×`, `12.3×`, `143×`.
pub fn ratio_label(ratio: f64) -> String {
    if ratio >= 99.95 {
        format!("{ratio:.0}×")
    } else if ratio >= 9.995 {
        format!("{ratio:.1}×")
    } else {
        format!("{ratio:.2}×")
    }
}

/// Formats an axis tick: `0.005`, `0.5`, `1`, `20` (ticks are made exact,
/// so the shortest form is the right one).
fn tick_label(value: f64) -> String {
    format!("{value}")
}

/// Labelled ticks at 1, 2 and 5 times the powers of ten within `lo..=hi`;
/// unlabelled grid lines at the other whole multiples.
fn ticks(lo: f64, hi: f64) -> (Vec<f64>, Vec<f64>) {
    let (mut bold, mut light) = (Vec::new(), Vec::new());
    for exponent in lo.log10().floor() as i32..=hi.log10().ceil() as i32 {
        let power = 10f64.powi(exponent.abs());
        for multiple in 1..10 {
            // Dividing by an exact power of ten gives the double nearest to
            // the decimal, as `0.3` itself is.
            let value = if exponent < 0 {
                f64::from(multiple) / power
            } else {
                f64::from(multiple) * power
            };
            if (lo..=hi).contains(&value) {
                if matches!(multiple, 1 | 2 | 5) {
                    bold.push(value);
                } else {
                    light.push(value);
                }
            }
        }
    }
    (bold, light)
}

/// Draws the chart of `group` to an SVG file at `path`.
///
/// # Errors
///
/// When the file cannot be written.
pub fn render(path: &Path, clusters: &[Cluster], caption: &Caption<'_>) -> Result<(), String> {
    let layout = Layout::new(clusters);
    let plot_height = (layout.rows * ROW).ceil() as u32;
    let caption_height = CAPTION_LINE * caption.lines.len() as u32 + 16;
    let height = TOP + plot_height + AXIS + caption_height;
    let longest = clusters
        .iter()
        .flat_map(|c| {
            std::iter::once(c.case.chars().count() + 2)
                .chain(c.bars.iter().map(|b| b.contender.chars().count() + 4))
        })
        .max()
        .unwrap_or(8);
    let label_width = (longest as f64 * CHAR_WIDTH).ceil() as u32 + 16;

    let root = SVGBackend::new(path, (WIDTH, height)).into_drawing_area();
    draw(
        &root,
        &layout,
        clusters,
        caption,
        label_width,
        height - caption_height,
    )
    .map_err(|e| format!("drawing {}: {e}", path.display()))?;
    root.present()
        .map_err(|e| format!("writing {}: {e}", path.display()))
}

type DrawResult = Result<(), DrawingAreaErrorKind<std::io::Error>>;

fn draw(
    root: &DrawingArea<SVGBackend<'_>, Shift>,
    layout: &Layout,
    clusters: &[Cluster],
    caption: &Caption<'_>,
    label_width: u32,
    chart_height: u32,
) -> DrawResult {
    root.fill(&WHITE)?;
    let (chart_area, caption_area) = root.split_vertically(chart_height);
    let (lo, hi) = x_range(clusters);
    let rows = layout.rows;
    let (bold_ticks, light_ticks) = ticks(lo, hi);
    let x_axis = (lo..hi)
        .log_scale()
        .with_key_points(bold_ticks)
        .with_light_points(light_ticks);
    let mut chart = ChartBuilder::on(&chart_area)
        .caption(caption.title, (FONT, 20).into_font().style(FontStyle::Bold))
        .margin_top(12)
        .margin_left(8)
        .margin_right(24)
        .x_label_area_size(AXIS)
        .y_label_area_size(label_width)
        .build_cartesian_2d(x_axis, 0.0..rows)?;
    // Rows count from the top: row r spans y = rows - r - 1 .. rows - r.
    let y = move |row: f64| rows - row;

    // A light band behind every other cluster, to group its bars.
    chart.draw_series(
        layout
            .clusters
            .iter()
            .zip(clusters)
            .enumerate()
            .filter(|(i, _)| i % 2 == 1)
            .map(|(_, ((header, _), cluster))| {
                let rows_used = cluster.bars.len().max(usize::from(cluster.note.is_some()));
                let top = y(*header - 0.25);
                let bottom = y(*header + 1.0 + rows_used as f64 + 0.25);
                Rectangle::new([(lo, top), (hi, bottom)], RGBColor(242, 244, 247).filled())
            }),
    )?;

    chart
        .configure_mesh()
        .disable_y_mesh()
        .disable_y_axis()
        .x_label_formatter(&|v| tick_label(*v))
        .x_label_style((FONT, 13))
        .x_desc("time relative to arena-pool, log scale (lower is better; below 1 = faster than arena-pool)")
        .axis_desc_style((FONT, 14))
        .light_line_style(RGBColor(235, 235, 235))
        .bold_line_style(RGBColor(215, 215, 215))
        .draw()?;

    let palette = colors(clusters);
    let color_of = |name: &str| {
        palette
            .iter()
            .find(|(n, _)| n == name)
            .map_or(PALETTE[0], |(_, c)| *c)
    };
    let label = TextStyle::from((FONT, 13).into_font()).color(&BLACK);
    let bold = TextStyle::from((FONT, 13).into_font().style(FontStyle::Bold)).color(&BLACK);
    let grey = TextStyle::from((FONT, 13).into_font().style(FontStyle::Italic))
        .color(&RGBColor(110, 110, 110));

    for ((header, bar_rows), cluster) in layout.clusters.iter().zip(clusters) {
        // The case name, left-aligned in the label margin.
        let (_, header_y) = chart.backend_coord(&(lo, y(*header + 0.5)));
        root.draw(&Text::new(
            cluster.case.clone(),
            (10, header_y),
            bold.pos(Pos::new(HPos::Left, VPos::Center)),
        ))?;
        if let Some(note) = &cluster.note {
            chart.draw_series(std::iter::once(
                EmptyElement::at((lo, y(*header + 1.5)))
                    + Text::new(
                        note.clone(),
                        (8, 0),
                        grey.pos(Pos::new(HPos::Left, VPos::Center)),
                    ),
            ))?;
        }
        for (bar, &row) in cluster.bars.iter().zip(bar_rows) {
            let color = color_of(&bar.contender);
            let center = y(row + 0.5);
            let (_, name_y) = chart.backend_coord(&(lo, center));
            let (x_left, _) = chart.backend_coord(&(lo, center));
            let name_style = if bar.contender == BASELINE {
                &bold
            } else {
                &label
            };
            root.draw(&Text::new(
                bar.contender.clone(),
                (x_left - 8, name_y),
                name_style.pos(Pos::new(HPos::Right, VPos::Center)),
            ))?;
            let ratio = bar.ratio.clamp(lo, hi);
            let (top, bottom) = (y(row + 0.15), y(row + 0.85));
            chart.draw_series(std::iter::once(Rectangle::new(
                [(1.0, top), (ratio, bottom)],
                color.filled(),
            )))?;
            // The value just past the end of the bar, on the side it grows.
            let (offset, anchor) = if bar.ratio < 1.0 {
                (-5, HPos::Right)
            } else {
                (5, HPos::Left)
            };
            let nudge = if (bar.ratio - 1.0).abs() < 1e-9 { 3 } else { 0 };
            chart.draw_series(std::iter::once(
                EmptyElement::at((ratio, center))
                    + Text::new(
                        ratio_label(bar.ratio),
                        (offset + nudge, 0),
                        label.pos(Pos::new(anchor, VPos::Center)),
                    ),
            ))?;
        }
    }

    // arena-pool's line.
    chart.draw_series(std::iter::once(PathElement::new(
        vec![(1.0, 0.0), (1.0, rows)],
        BASELINE_COLOR.stroke_width(2),
    )))?;

    let small = TextStyle::from((FONT, 13).into_font()).color(&RGBColor(60, 60, 60));
    for (i, line) in caption.lines.iter().enumerate() {
        caption_area.draw(&Text::new(
            line.clone(),
            (10, 8 + CAPTION_LINE as i32 * i as i32),
            small.clone(),
        ))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels() {
        assert_eq!(ratio_label(1.0), "1.00×");
        assert_eq!(ratio_label(0.456), "0.46×");
        assert_eq!(ratio_label(12.34), "12.3×");
        assert_eq!(ratio_label(143.2), "143×");
        assert_eq!(tick_label(0.5), "0.5");
        assert_eq!(tick_label(0.005), "0.005");
        assert_eq!(tick_label(1.0), "1");
        assert_eq!(tick_label(2.5), "2.5");
        assert_eq!(ticks(0.002, 0.01).0, [0.002, 0.005, 0.01]);
        assert_eq!(tick_label(20.0), "20");
    }

    #[test]
    fn ticks_are_one_two_five() {
        let (bold, light) = ticks(0.3, 25.0);
        assert_eq!(bold, [0.5, 1.0, 2.0, 5.0, 10.0, 20.0]);
        assert_eq!(
            light,
            [0.3, 0.4, 0.6, 0.7, 0.8, 0.9, 3.0, 4.0, 6.0, 7.0, 8.0, 9.0]
        );
    }

    #[test]
    fn range_covers_every_ratio_and_one() {
        let cluster = |ratios: &[f64]| Cluster {
            case: "c".into(),
            bars: ratios
                .iter()
                .map(|&ratio| Bar {
                    contender: "x".into(),
                    ratio,
                })
                .collect(),
            note: None,
        };
        let (lo, hi) = x_range(&[cluster(&[1.0, 3.0]), cluster(&[0.2, f64::NAN])]);
        assert!(lo < 0.2 && hi > 3.0);
        let (lo, hi) = x_range(&[]);
        assert!(lo <= 0.5 && hi >= 2.0);
    }

    #[test]
    fn layout_rows() {
        let clusters = [
            Cluster {
                case: "a".into(),
                bars: vec![
                    Bar {
                        contender: "arena-pool".into(),
                        ratio: 1.0,
                    },
                    Bar {
                        contender: "b".into(),
                        ratio: 2.0,
                    },
                ],
                note: None,
            },
            Cluster {
                case: "b".into(),
                bars: vec![],
                note: Some("failed".into()),
            },
        ];
        let layout = Layout::new(&clusters);
        assert_eq!(layout.clusters[0], (0.0, vec![1.0, 2.0]));
        assert_eq!(layout.clusters[1], (3.5, vec![]));
        assert_eq!(layout.rows, 5.5);
    }
}
