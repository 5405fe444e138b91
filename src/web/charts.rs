//! Charts as geometry for hand-written SVG in the templates (no CDN, fits the strict CSP,
//! prints crisply): horizontal stacked bars and a 12-month trend. Pure: numbers in, shapes
//! out; the template draws them and translates the legend.

use serde::Serialize;

const LABEL_W: f64 = 130.0;
const BAR_W: f64 = 420.0;
const ROW_H: f64 = 26.0;
const BAR_H: f64 = 18.0;
const TOP: f64 = 8.0;

/// One segment of a bar.
#[derive(Debug, Clone, Serialize)]
pub struct Segment {
    pub x: f64,
    pub w: f64,
    pub class: &'static str,
    pub value: i64,
}

/// One bar: its label, its segments, the total written after it.
#[derive(Debug, Clone, Serialize)]
pub struct Bar {
    pub label: String,
    pub y: f64,
    pub text_y: f64,
    pub segments: Vec<Segment>,
    pub total: i64,
    pub total_x: f64,
    /// Where the bar's label links (the lines behind it), if anywhere.
    pub href: Option<String>,
}

/// Horizontal stacked bars, all on one scale.
#[derive(Debug, Clone, Serialize)]
pub struct Bars {
    pub width: f64,
    pub height: f64,
    pub label_w: f64,
    pub bar_h: f64,
    pub bars: Vec<Bar>,
    /// The segment classes in order, for the legend.
    pub legend: Vec<&'static str>,
    /// Written after each total: `%` for shares, nothing for counts.
    pub unit: &'static str,
}

/// A bar to draw: its label, its segments (class, value), and where it links.
pub type BarRow = (String, Vec<(&'static str, i64)>, Option<String>);

/// A line of a trend: its class, the figure's key, the monthly values, whether a rate.
pub type TrendSeries = (&'static str, &'static str, Vec<Option<f64>>, bool);

/// Bars from rows of (label, segments by class, link).
pub fn bars(rows: Vec<BarRow>) -> Bars {
    let max = rows
        .iter()
        .map(|(_, s, _)| s.iter().map(|(_, v)| (*v).max(0)).sum::<i64>())
        .max()
        .unwrap_or(0)
        .max(1) as f64;
    let mut legend: Vec<&'static str> = Vec::new();
    let bars = rows
        .into_iter()
        .enumerate()
        .map(|(i, (label, segs, href))| {
            let y = TOP + i as f64 * ROW_H;
            let mut x = LABEL_W;
            let mut total = 0;
            let segments: Vec<Segment> = segs
                .into_iter()
                .map(|(class, value)| {
                    if !legend.contains(&class) {
                        legend.push(class);
                    }
                    let w = value.max(0) as f64 / max * BAR_W;
                    let s = Segment { x, w, class, value };
                    x += w;
                    total += value;
                    s
                })
                .collect();
            // A link with nothing drawn in it would be an empty, unnamed tab stop.
            let drawn = segments.iter().any(|s| s.w > 0.0);
            Bar {
                label,
                y,
                text_y: y + BAR_H - 4.0,
                segments,
                total,
                total_x: x + 6.0,
                href: href.filter(|_| drawn),
            }
        })
        .collect::<Vec<_>>();
    Bars {
        width: LABEL_W + BAR_W + 60.0,
        height: TOP * 2.0 + bars.len().max(1) as f64 * ROW_H,
        label_w: LABEL_W,
        bar_h: BAR_H,
        bars,
        legend,
        unit: "",
    }
}

/// X6: one bar per row showing a share (the CSI) on a fixed 0–100 % scale; a row without a
/// share (no answers) gets no bar and a dash.
pub fn shares(class: &'static str, rows: Vec<(String, Option<f64>, Option<String>)>) -> Bars {
    let mut b = bars(
        rows.iter()
            .map(|(label, v, href)| {
                let pct = v.map(|v| (v * 100.0).round() as i64).unwrap_or(0);
                (label.clone(), vec![(class, pct)], href.clone())
            })
            .collect(),
    );
    for (bar, (_, v, _)) in b.bars.iter_mut().zip(&rows) {
        for s in &mut bar.segments {
            s.w = v.unwrap_or(0.0).clamp(0.0, 1.0) * BAR_W;
        }
        bar.total_x = LABEL_W + v.unwrap_or(0.0).clamp(0.0, 1.0) * BAR_W + 6.0;
        if !bar.segments.iter().any(|s| s.w > 0.0) {
            bar.href = None;
        }
    }
    b.unit = "%";
    b
}

/// A point of a trend line.
#[derive(Debug, Clone, Serialize)]
pub struct Point {
    pub x: f64,
    pub y: f64,
    pub value: String,
}

/// One line of a trend chart.
#[derive(Debug, Clone, Serialize)]
pub struct Series {
    pub class: &'static str,
    /// The figure's key (its legend is the figure's name).
    pub key: &'static str,
    pub points: String,
    pub dots: Vec<Point>,
}

/// A trend over months, each series on its own scale from 0 to its own maximum (or 0–100 %).
#[derive(Debug, Clone, Serialize)]
pub struct Trend {
    pub width: f64,
    pub height: f64,
    pub left: f64,
    pub bottom: f64,
    pub right: f64,
    pub top: f64,
    pub x_labels: Vec<Point>,
    pub series: Vec<Series>,
}

const T_W: f64 = 600.0;
const T_H: f64 = 220.0;
const T_LEFT: f64 = 40.0;
const T_RIGHT: f64 = 580.0;
const T_TOP: f64 = 14.0;
const T_BOTTOM: f64 = 190.0;

/// A trend of monthly values; a rate series (`percent`) runs 0–100 %, a count from 0 to its
/// maximum. Missing values break nothing: the line joins the months that have one.
pub fn trend(labels: &[String], series: Vec<TrendSeries>) -> Trend {
    let n = labels.len().max(1);
    let step = if n > 1 {
        (T_RIGHT - T_LEFT) / (n - 1) as f64
    } else {
        0.0
    };
    let x_of = |i: usize| T_LEFT + i as f64 * step;
    let series = series
        .into_iter()
        .map(|(class, key, values, percent)| {
            let max = if percent {
                1.0
            } else {
                values
                    .iter()
                    .flatten()
                    .fold(0.0_f64, |a, b| a.max(*b))
                    .max(1.0)
            };
            let dots: Vec<Point> = values
                .iter()
                .enumerate()
                .filter_map(|(i, v)| {
                    v.map(|v| Point {
                        x: x_of(i),
                        y: T_BOTTOM - (v / max) * (T_BOTTOM - T_TOP),
                        value: if percent {
                            format!("{:.0}%", v * 100.0)
                        } else {
                            format!("{v:.0}")
                        },
                    })
                })
                .collect();
            Series {
                class,
                key,
                points: dots
                    .iter()
                    .map(|p| format!("{:.1},{:.1}", p.x, p.y))
                    .collect::<Vec<_>>()
                    .join(" "),
                dots,
            }
        })
        .collect();
    Trend {
        width: T_W,
        height: T_H,
        left: T_LEFT,
        bottom: T_BOTTOM,
        right: T_RIGHT,
        top: T_TOP,
        x_labels: labels
            .iter()
            .enumerate()
            .map(|(i, l)| Point {
                x: x_of(i),
                y: T_BOTTOM + 18.0,
                value: l.clone(),
            })
            .collect(),
        series,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn r10_bars_share_one_scale_and_stack() {
        let b = bars(vec![
            ("a".into(), vec![("on-time", 3), ("late", 1)], None),
            ("b".into(), vec![("on-time", 2), ("late", 0)], None),
        ]);
        assert_eq!(b.legend, vec!["on-time", "late"]);
        let a = &b.bars[0];
        assert_eq!(a.total, 4);
        assert!((a.segments[0].w - BAR_W * 0.75).abs() < 1e-9);
        assert!((a.segments[1].x - (LABEL_W + BAR_W * 0.75)).abs() < 1e-9);
        assert!((b.bars[1].segments[0].w - BAR_W * 0.5).abs() < 1e-9);
    }

    #[test]
    fn r10_a_bar_with_nothing_drawn_links_nowhere() {
        let b = bars(vec![
            ("a".into(), vec![("on-time", 2)], Some("/a".into())),
            ("b".into(), vec![("on-time", 0)], Some("/b".into())),
        ]);
        assert_eq!(b.bars[0].href.as_deref(), Some("/a"));
        assert_eq!(b.bars[1].href, None);
    }

    #[test]
    fn x6_shares_run_on_a_fixed_hundred_percent_scale() {
        let b = shares(
            "csi",
            vec![("a".into(), Some(0.5), None), ("b".into(), None, None)],
        );
        assert_eq!(b.bars[0].total, 50);
        assert!((b.bars[0].segments[0].w - BAR_W * 0.5).abs() < 1e-9);
        assert_eq!(b.bars[1].segments[0].w, 0.0);
        assert_eq!(b.unit, "%");
    }

    #[test]
    fn r10_trend_skips_missing_months() {
        let labels: Vec<String> = (1..=3).map(|m| format!("{m:02}")).collect();
        let t = trend(
            &labels,
            vec![(
                "reach",
                "reach_rate",
                vec![Some(1.0), None, Some(0.5)],
                true,
            )],
        );
        assert_eq!(t.series[0].dots.len(), 2);
        assert_eq!(t.series[0].dots[0].y, T_TOP);
        assert_eq!(t.series[0].dots[1].value, "50%");
    }
}
