//! Charts drawn with plotters into SVG strings, each with a `<title>`, a `<desc>` and its data as
//! a table beside it. Series differ in lightness (and the markers in dash) so they read in
//! greyscale print too.

use plotters::coord::types::RangedCoordf64;
use plotters::element::DashedPathElement;
use plotters::prelude::*;
use serde::Serialize;

/// A data table: what the chart shows, as text.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Table {
    /// Column headings.
    pub headers: Vec<String>,
    /// Rows of cells.
    pub rows: Vec<Vec<String>>,
}

/// A rendered chart with its text alternatives.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Chart {
    /// Element id, unique in the page.
    pub id: String,
    /// Short title (also the `<title>`).
    pub title: String,
    /// One or two sentences describing what it shows (the `<desc>`).
    pub desc: String,
    /// The inline SVG.
    pub svg: String,
    /// The same data as a table.
    pub table: Table,
}

/// One series of values over the chart's categories.
#[derive(Debug, Clone)]
pub struct Series {
    /// Legend name.
    pub name: String,
    /// One value per category (None = no data).
    pub values: Vec<Option<f64>>,
}

/// Fill shades, dark to light, far apart in lightness.
const SHADES: [RGBColor; 4] =
    [RGBColor(0x1f, 0x3b, 0x57), RGBColor(0x7a, 0xa6, 0xcc), RGBColor(0xc6, 0xd9, 0xea), RGBColor(0x8a, 0x6d, 0x00)];
const INK: RGBColor = RGBColor(0x22, 0x22, 0x22);
const GRID: RGBColor = RGBColor(0xdd, 0xdd, 0xdd);
const FONT: &str = "sans-serif";

/// How the bars of several series sit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layout {
    /// Side by side.
    Grouped,
    /// On top of each other.
    Stacked,
    /// Lines with points.
    Lines,
    /// One series as horizontal bars, categories down the side (for long labels).
    Horizontal,
}

/// A vertical marker between categories (e.g. the response limit).
#[derive(Debug, Clone)]
pub struct Marker {
    /// Position in category units (0 = left edge of the first category).
    pub at: f64,
    /// Label drawn beside it.
    pub label: String,
}

/// Everything a chart needs.
#[derive(Debug, Clone)]
pub struct Spec {
    /// Element id.
    pub id: String,
    /// Title.
    pub title: String,
    /// Description.
    pub desc: String,
    /// Category labels along the x axis.
    pub categories: Vec<String>,
    /// The series.
    pub series: Vec<Series>,
    /// Bars or lines.
    pub layout: Layout,
    /// Y axis label.
    pub y_label: String,
    /// Fixed top of the y axis (e.g. 100 for percentages).
    pub y_max: Option<f64>,
    /// Vertical markers.
    pub markers: Vec<Marker>,
    /// Width and height in pixels.
    pub size: (u32, u32),
}

fn fmt_value(v: f64) -> String {
    if v.fract() == 0.0 && v >= 0.0 {
        crate::format::thousands(v as u64)
    } else if v.fract() == 0.0 {
        format!("{}", v as i64)
    } else {
        format!("{v:.1}")
    }
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

/// Draws the chart; the table holds one row per category and one column per series.
pub fn render(spec: Spec) -> Chart {
    let mut table = Table { headers: vec![String::new()], rows: Vec::new() };
    table.headers.extend(spec.series.iter().map(|s| s.name.clone()));
    for (i, c) in spec.categories.iter().enumerate() {
        let mut row = vec![c.clone()];
        row.extend(
            spec.series.iter().map(|s| s.values.get(i).copied().flatten().map(fmt_value).unwrap_or_else(|| "–".into())),
        );
        table.rows.push(row);
    }
    let mut svg = String::new();
    // Drawing into a String cannot fail for I/O; a plotting error leaves a chart with its table.
    let _ = draw(&spec, &mut svg);
    let svg = accessible(&svg, &spec.id, &spec.title, &spec.desc);
    Chart { id: spec.id, title: spec.title, desc: spec.desc, svg, table }
}

/// Gives the SVG a role, a title and a description, and lets it scale to its container.
fn accessible(svg: &str, id: &str, title: &str, desc: &str) -> String {
    let Some(end) = svg.find('>') else { return svg.to_string() };
    let (open, rest) = svg.split_at(end);
    let open = open.replacen(
        "<svg ",
        &format!("<svg role=\"img\" aria-labelledby=\"{id}-title {id}-desc\" class=\"chart\" "),
        1,
    );
    // Fixed pixel sizes would stop the chart shrinking to an A4 column; the viewBox keeps the shape.
    let open = strip_attr(&strip_attr(&open, "width"), "height");
    format!(
        "{open}><title id=\"{id}-title\">{}</title><desc id=\"{id}-desc\">{}</desc>{}",
        escape(title),
        escape(desc),
        &rest[1..]
    )
}

fn strip_attr(tag: &str, name: &str) -> String {
    let pat = format!(" {name}=\"");
    match tag.find(&pat) {
        Some(start) => {
            let after = start + pat.len();
            let close = tag[after..].find('"').map(|e| after + e + 1).unwrap_or(tag.len());
            format!("{}{}", &tag[..start], &tag[close..])
        }
        None => tag.to_string(),
    }
}

type DrawResult = Result<(), Box<dyn std::error::Error>>;
type Area<'b> = DrawingArea<SVGBackend<'b>, plotters::coord::Shift>;
type Plot<'a, 'b> = ChartContext<'a, SVGBackend<'b>, Cartesian2d<RangedCoordf64, RangedCoordf64>>;

fn draw(spec: &Spec, out: &mut String) -> DrawResult {
    let root = SVGBackend::with_string(out, spec.size).into_drawing_area();
    root.fill(&WHITE)?;
    let n = spec.categories.len().max(1);
    let totals: Vec<f64> = (0..n)
        .map(|i| {
            let vals = spec.series.iter().filter_map(|s| s.values.get(i).copied().flatten());
            if spec.layout == Layout::Stacked {
                vals.sum()
            } else {
                vals.fold(0.0, f64::max)
            }
        })
        .collect();
    let top = spec.y_max.unwrap_or_else(|| nice_ceiling(totals.iter().copied().fold(0.0, f64::max)));
    let legend_h = if spec.series.len() > 1 { 26 } else { 6 };
    let (legend_area, chart_area) = root.split_vertically(legend_h);
    if spec.series.len() > 1 {
        draw_legend(spec, &legend_area)?;
    }
    if spec.layout == Layout::Horizontal {
        return draw_horizontal(spec, &root, chart_area, top);
    }
    // Labels turn on their side only when they do not fit their slot; long axes label every 5th.
    let plot_px = spec.size.0 as f64 - 70.0;
    let longest_label = spec.categories.iter().map(|c| c.chars().count()).max().unwrap_or(0) as f64;
    let every = if n > 25 { 5 } else { 1 };
    let rotate = longest_label * 7.0 > plot_px / n as f64 * every as f64;
    let mut chart = ChartBuilder::on(&chart_area)
        .margin_right(12)
        .margin_top(6)
        .x_label_area_size(if rotate { (longest_label * 7.0) as u32 + 14 } else { 28 })
        .y_label_area_size(52)
        .build_cartesian_2d(0f64..n as f64, 0f64..top.max(1.0))?;
    chart
        .configure_mesh()
        .disable_x_mesh()
        .x_labels(0)
        .y_labels(6)
        .light_line_style(TRANSPARENT)
        .bold_line_style(GRID)
        .axis_style(INK)
        .y_desc(spec.y_label.clone())
        .y_label_formatter(&|v| fmt_value(*v))
        .label_style((FONT, 12).into_font().color(&INK))
        .axis_desc_style((FONT, 12).into_font().color(&INK))
        .draw()?;
    draw_category_labels(spec, &root, &chart, every, rotate)?;
    match spec.layout {
        Layout::Stacked => draw_stacked(spec, &mut chart)?,
        Layout::Grouped => draw_grouped(spec, &mut chart)?,
        Layout::Lines => draw_lines(spec, &mut chart)?,
        Layout::Horizontal => {}
    }
    draw_markers(spec, &root, &mut chart, top)?;
    root.present()?;
    Ok(())
}

/// A swatch and the name of each series, left to right.
fn draw_legend(spec: &Spec, area: &Area) -> DrawResult {
    let mut x = 60;
    for (i, s) in spec.series.iter().enumerate() {
        let shade = SHADES[i % SHADES.len()];
        if spec.layout == Layout::Lines {
            area.draw(&PathElement::new(vec![(x, 13), (x + 18, 13)], shade.stroke_width(3)))?;
        } else {
            area.draw(&Rectangle::new([(x, 6), (x + 14, 20)], shade.filled()))?;
            area.draw(&Rectangle::new([(x, 6), (x + 14, 20)], INK.stroke_width(1)))?;
        }
        area.draw(&Text::new(s.name.clone(), (x + 22, 7), (FONT, 13).into_font().color(&INK)))?;
        x += 30 + (s.name.chars().count() as i32) * 7;
    }
    Ok(())
}

/// Category labels under each slot: every `every`-th, and the last when not crowded.
fn draw_category_labels(spec: &Spec, root: &Area, chart: &Plot, every: usize, rotate: bool) -> DrawResult {
    let n = spec.categories.len().max(1);
    let label_style = (FONT, 12).into_font().color(&INK);
    for (i, c) in spec.categories.iter().enumerate() {
        let last_fits = i + 1 == n && (every == 1 || i % every >= 3);
        if i % every != 0 && !last_fits {
            continue;
        }
        let (x, y) = chart.backend_coord(&(i as f64 + 0.5, 0.0));
        let (pos, style) = if rotate {
            ((x - 6, y + 8), label_style.clone().transform(FontTransform::Rotate90))
        } else {
            ((x - (c.chars().count() as i32 * 3), y + 8), label_style.clone())
        };
        root.draw(&Text::new(c.clone(), pos, style))?;
    }
    Ok(())
}

/// One outlined, filled bar.
fn bar(chart: &mut Plot, corners: [(f64, f64); 2], shade: RGBColor) -> DrawResult {
    chart.draw_series(std::iter::once(Rectangle::new(corners, shade.filled())))?;
    chart.draw_series(std::iter::once(Rectangle::new(corners, INK.stroke_width(1))))?;
    Ok(())
}

fn draw_stacked(spec: &Spec, chart: &mut Plot) -> DrawResult {
    for i in 0..spec.categories.len().max(1) {
        let mut base = 0.0;
        for (k, s) in spec.series.iter().enumerate() {
            if let Some(v) = s.values.get(i).copied().flatten() {
                bar(chart, [(i as f64 + 0.15, base), (i as f64 + 0.85, base + v)], SHADES[k % SHADES.len()])?;
                base += v;
            }
        }
    }
    Ok(())
}

fn draw_grouped(spec: &Spec, chart: &mut Plot) -> DrawResult {
    let width = 0.7 / spec.series.len().max(1) as f64;
    for (k, s) in spec.series.iter().enumerate() {
        for (i, v) in s.values.iter().enumerate() {
            if let Some(v) = v {
                let x0 = i as f64 + 0.15 + k as f64 * width;
                bar(chart, [(x0, 0.0), (x0 + width, *v)], SHADES[k % SHADES.len()])?;
            }
        }
    }
    Ok(())
}

fn draw_lines(spec: &Spec, chart: &mut Plot) -> DrawResult {
    for (k, s) in spec.series.iter().enumerate() {
        let shade = SHADES[k % SHADES.len()];
        let points: Vec<(f64, f64)> =
            s.values.iter().enumerate().filter_map(|(i, v)| v.map(|v| (i as f64 + 0.5, v))).collect();
        chart.draw_series(LineSeries::new(points.clone(), shade.stroke_width(3)))?;
        // Different point shapes keep the lines apart without colour.
        if k % 2 == 0 {
            chart.draw_series(points.iter().map(|p| Circle::new(*p, 4, shade.filled())))?;
        } else {
            chart.draw_series(points.iter().map(|p| TriangleMarker::new(*p, 6, shade.filled())))?;
        }
    }
    Ok(())
}

fn draw_markers(spec: &Spec, root: &Area, chart: &mut Plot, top: f64) -> DrawResult {
    for m in &spec.markers {
        chart.draw_series(std::iter::once(DashedPathElement::new(
            vec![(m.at, 0.0), (m.at, top)],
            6,
            4,
            INK.stroke_width(2),
        )))?;
        let (x, y) = chart.backend_coord(&(m.at, top));
        root.draw(&Text::new(m.label.clone(), (x + 4, y + 4), (FONT, 12).into_font().color(&INK)))?;
    }
    Ok(())
}

/// Horizontal bars: categories down the left, values along the bottom, each bar labelled.
fn draw_horizontal<DB: DrawingBackend>(
    spec: &Spec,
    root: &DrawingArea<DB, plotters::coord::Shift>,
    area: DrawingArea<DB, plotters::coord::Shift>,
    top: f64,
) -> Result<(), Box<dyn std::error::Error>>
where
    DB::ErrorType: 'static,
{
    let n = spec.categories.len().max(1);
    let longest_label = spec.categories.iter().map(|c| c.chars().count()).max().unwrap_or(0) as u32;
    let mut chart = ChartBuilder::on(&area)
        .margin_right(30)
        .margin_top(4)
        .x_label_area_size(36)
        .y_label_area_size(longest_label * 7 + 16)
        .build_cartesian_2d(0f64..top.max(1.0), 0f64..n as f64)?;
    chart
        .configure_mesh()
        .disable_y_mesh()
        .y_labels(0)
        .x_labels(6)
        .light_line_style(TRANSPARENT)
        .bold_line_style(GRID)
        .axis_style(INK)
        .x_desc(spec.y_label.clone())
        .x_label_formatter(&|v| fmt_value(*v))
        .label_style((FONT, 12).into_font().color(&INK))
        .axis_desc_style((FONT, 12).into_font().color(&INK))
        .draw()?;
    let label_style = (FONT, 12).into_font().color(&INK);
    let shade = SHADES[0];
    for (i, c) in spec.categories.iter().enumerate() {
        // The first category at the top.
        let slot = (n - 1 - i) as f64;
        let (x, y) = chart.backend_coord(&(0.0, slot + 0.5));
        root.draw(&Text::new(c.clone(), (x - 8 - c.chars().count() as i32 * 7, y - 6), label_style.clone()))?;
        if let Some(v) = spec.series.first().and_then(|s| s.values.get(i).copied().flatten()) {
            let bar = [(0.0, slot + 0.15), (v, slot + 0.85)];
            chart.draw_series(std::iter::once(Rectangle::new(bar, shade.filled())))?;
            let (bx, by) = chart.backend_coord(&(v, slot + 0.5));
            root.draw(&Text::new(fmt_value(v), (bx + 4, by - 6), label_style.clone()))?;
        }
    }
    root.present()?;
    Ok(())
}

/// A round number at or above `v` for the top of an axis.
fn nice_ceiling(v: f64) -> f64 {
    if v <= 0.0 {
        return 1.0;
    }
    let magnitude = 10f64.powf(v.log10().floor());
    for step in [1.0, 2.0, 2.5, 5.0, 10.0] {
        if step * magnitude >= v {
            return step * magnitude;
        }
    }
    10.0 * magnitude
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chart_has_title_desc_and_escapes_labels() {
        let c = render(Spec {
            id: "t".into(),
            title: "Volumes <by> quarter".into(),
            desc: "A & B".into(),
            categories: vec!["<script>alert(1)</script>".into(), "Q2".into()],
            series: vec![Series { name: "Stage 1".into(), values: vec![Some(3.0), Some(5.0)] }],
            layout: Layout::Grouped,
            y_label: "complaints".into(),
            y_max: None,
            markers: vec![Marker { at: 1.0, label: "limit".into() }],
            size: (600, 300),
        });
        assert!(c.svg.contains("<title id=\"t-title\">Volumes &lt;by&gt; quarter</title>"));
        assert!(c.svg.contains("<desc id=\"t-desc\">A &amp; B</desc>"));
        assert!(!c.svg.contains("<script>"));
        assert!(c.svg.starts_with("<svg role=\"img\""));
        assert_eq!(c.table.rows[1], vec!["Q2".to_string(), "5".to_string()]);
    }

    #[test]
    fn axis_tops() {
        assert_eq!(nice_ceiling(0.0), 1.0);
        assert_eq!(nice_ceiling(7.0), 10.0);
        assert_eq!(nice_ceiling(120.0), 200.0);
        assert_eq!(nice_ceiling(240.0), 250.0);
    }
}

/// A strip chart: every peer's figure as a dot along one axis, the quartiles marked, the
/// landlord's own figure highlighted.
#[derive(Debug, Clone)]
pub struct Strip {
    /// Element id.
    pub id: String,
    /// Title.
    pub title: String,
    /// Description.
    pub desc: String,
    /// Every peer's figure.
    pub values: Vec<f64>,
    /// Lower quartile, median, upper quartile.
    pub quartiles: [f64; 3],
    /// The landlord's figures to mark, with their labels ("Us, year to date").
    pub ours: Vec<(String, f64)>,
    /// Axis label.
    pub x_label: String,
    /// Fixed end of the axis (100 for percentages).
    pub x_max: Option<f64>,
}

/// Draws a strip chart; its table gives the quartiles, the landlord's figures and the count.
pub fn strip(spec: Strip) -> Chart {
    let mut rows = vec![
        vec!["Lower quartile".to_string(), format!("{:.1}", spec.quartiles[0])],
        vec!["Median".to_string(), format!("{:.1}", spec.quartiles[1])],
        vec!["Upper quartile".to_string(), format!("{:.1}", spec.quartiles[2])],
    ];
    rows.extend(spec.ours.iter().map(|(label, v)| vec![label.clone(), format!("{v:.1}")]));
    rows.push(vec!["Landlords compared".to_string(), crate::format::thousands(spec.values.len() as u64)]);
    let table = Table { headers: vec![String::new(), "Value".to_string()], rows };
    let mut svg = String::new();
    // Drawing into a String cannot fail for I/O; a plotting error leaves a chart with its table.
    let _ = draw_strip(&spec, &mut svg);
    let svg = accessible(&svg, &spec.id, &spec.title, &spec.desc);
    Chart { id: spec.id, title: spec.title, desc: spec.desc, svg, table }
}

fn draw_strip(spec: &Strip, out: &mut String) -> DrawResult {
    let size = (640u32, 170u32);
    let root = SVGBackend::with_string(out, size).into_drawing_area();
    root.fill(&WHITE)?;
    let largest = spec.values.iter().chain(spec.ours.iter().map(|(_, v)| v)).copied().fold(0.0, f64::max);
    let right = spec.x_max.unwrap_or_else(|| nice_ceiling(largest));
    let mut chart = ChartBuilder::on(&root)
        .margin(10)
        .margin_top(24)
        .x_label_area_size(34)
        .y_label_area_size(8)
        .build_cartesian_2d(0f64..right.max(1.0), 0f64..1f64)?;
    chart
        .configure_mesh()
        .disable_y_mesh()
        .disable_y_axis()
        .x_labels(8)
        .light_line_style(TRANSPARENT)
        .bold_line_style(GRID)
        .axis_style(INK)
        .x_desc(spec.x_label.clone())
        .x_label_formatter(&|v| fmt_value(*v))
        .label_style((FONT, 12).into_font().color(&INK))
        .axis_desc_style((FONT, 12).into_font().color(&INK))
        .draw()?;
    // Dots spread up and down by their rank so equal values stay visible; the same data always
    // gives the same picture.
    chart.draw_series(spec.values.iter().enumerate().map(|(i, v)| {
        let y = 0.36 + 0.4 * ((i * 37 % 17) as f64 / 16.0);
        Circle::new((v.min(right), y), 3, SHADES[1].filled())
    }))?;
    for (q, name) in spec.quartiles.iter().zip(["LQ", "median", "UQ"]) {
        chart.draw_series(std::iter::once(DashedPathElement::new(
            vec![(*q, 0.3), (*q, 0.84)],
            4,
            3,
            INK.stroke_width(1),
        )))?;
        chart.draw_series(std::iter::once(Text::new(
            name.to_string(),
            (*q, 0.98),
            (FONT, 11).into_font().color(&INK).pos(plotters::style::text_anchor::Pos::new(
                plotters::style::text_anchor::HPos::Center,
                plotters::style::text_anchor::VPos::Top,
            )),
        )))?;
    }
    // Our figures sit under the dots, each a triangle pointing up at its value, labelled beside it.
    for (i, (label, v)) in spec.ours.iter().enumerate() {
        let y = 0.17 - 0.12 * i as f64;
        let x = v.min(right);
        let shade = if i == 0 { SHADES[0] } else { SHADES[3] };
        chart.draw_series(std::iter::once(TriangleMarker::new((x, y), 8, shade.filled())))?;
        let left = *v > right * 0.6;
        let offset = right * 0.015 * if left { -1.0 } else { 1.0 };
        chart.draw_series(std::iter::once(Text::new(
            format!("{label}: {v:.1}"),
            (x + offset, y),
            (FONT, 12).into_font().color(&INK).pos(plotters::style::text_anchor::Pos::new(
                if left { plotters::style::text_anchor::HPos::Right } else { plotters::style::text_anchor::HPos::Left },
                plotters::style::text_anchor::VPos::Center,
            )),
        )))?;
    }
    root.present()?;
    Ok(())
}
