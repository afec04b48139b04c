//! `trend --svg FILE` and `--png FILE`: the trend as a bar chart image
//! (plotters), a bar per bucket and query, with the title, axis labels, a
//! legend for several queries and the denominator in a footnote. Text is
//! DejaVu Sans compiled into the binary (no system fonts needed), laid out
//! in the PNG by `glyphs`.

use super::chart::{denominator_note, percent, title};
use crate::search::trend::{SMALL_BUCKET, Trend};
use plotters::coord::Shift;
use plotters::coord::combinators::{BindKeyPoints, WithKeyPoints};
use plotters::coord::types::{RangedCoordf64, RangedCoordi32};
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

/// The image's size in pixels.
pub const SIZE: (u32, u32) = (1000, 600);
const FONT: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans.ttf");
const SANS: &str = "sans-serif";
/// The queries' colours, in turn (colour-blind-safe Okabe-Ito hues).
const PALETTE: [RGBColor; 6] = [
    RGBColor(0, 114, 178),
    RGBColor(213, 94, 0),
    RGBColor(0, 158, 115),
    RGBColor(204, 121, 167),
    RGBColor(230, 159, 0),
    RGBColor(86, 180, 233),
];
/// Footnote lines are wrapped at this many characters.
const FOOT_CHARS: usize = 125;
/// A bucket's width on the x axis.
const UNIT: i32 = 1000;
/// Count labels are written above the bars when there are at most this many.
const MAX_COUNT_LABELS: usize = 40;

#[derive(Debug, thiserror::Error)]
#[error("cannot draw the chart: {0}")]
pub struct PlotError(String);

fn fail(e: impl std::fmt::Display) -> PlotError {
    PlotError(e.to_string())
}

/// plotters finds fonts by family name; the bundled one is registered once.
fn register_font() -> Result<(), PlotError> {
    static REGISTERED: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
    let ok = *REGISTERED.get_or_init(|| plotters::style::register_font(SANS, FontStyle::Normal, FONT).is_ok());
    if ok { Ok(()) } else { Err(PlotError("the bundled font does not load".into())) }
}

/// The chart as an SVG document.
pub fn svg(t: &Trend) -> Result<String, PlotError> {
    register_font()?;
    let mut out = String::new();
    {
        let root = SVGBackend::with_string(&mut out, SIZE).into_drawing_area();
        draw(&root, t).map_err(fail)?;
        root.present().map_err(fail)?;
    }
    Ok(out)
}

/// The chart as a PNG image.
pub fn png(t: &Trend) -> Result<Vec<u8>, PlotError> {
    register_font()?;
    let (width, height) = SIZE;
    let mut rgb = vec![0u8; (width * height * 3) as usize];
    {
        let backend = super::glyphs::Bitmap::new(BitMapBackend::with_buffer(&mut rgb, SIZE), FONT)
            .ok_or_else(|| PlotError("the bundled font does not load".into()))?;
        let root = backend.into_drawing_area();
        draw(&root, t).map_err(fail)?;
        root.present().map_err(fail)?;
    }
    let mut out = Vec::new();
    let mut encoder = png::Encoder::new(&mut out, width, height);
    encoder.set_color(png::ColorType::Rgb);
    encoder.set_depth(png::BitDepth::Eight);
    let mut writer = encoder.write_header().map_err(fail)?;
    writer.write_image_data(&rgb).map_err(fail)?;
    writer.finish().map_err(fail)?;
    Ok(out)
}

/// The footnote's lines: the denominator, and what pale bars mean.
fn footnote(t: &Trend) -> Vec<String> {
    let mut text = denominator_note(t);
    text.push_str(" n: the reports in each bucket.");
    if t.buckets.iter().any(|b| b.small) {
        text.push_str(&format!(" Pale bars and n marked *: fewer than {SMALL_BUCKET} reports, too few for a trend."));
    }
    super::chart::wrap(&text, FOOT_CHARS)
}

/// A small bucket's colour: the query's, mostly white (opaque, so grid
/// lines do not show through).
fn pale(c: RGBColor) -> RGBColor {
    let mix = |v: u8| (f64::from(v) * 0.35 + 255.0 * 0.65).round() as u8;
    RGBColor(mix(c.0), mix(c.1), mix(c.2))
}

type DrawResult<DB> = Result<(), DrawingAreaErrorKind<<DB as DrawingBackend>::ErrorType>>;

fn draw<DB: DrawingBackend>(root: &DrawingArea<DB, Shift>, t: &Trend) -> DrawResult<DB> {
    root.fill(&WHITE)?;
    let foot = footnote(t);
    let foot_height = 12 + 18 * foot.len() as u32;
    let (area, foot_area) = root.split_vertically(SIZE.1 - foot_height);
    for (i, line) in foot.iter().enumerate() {
        foot_area.draw(&Text::new(line.clone(), (16, 4 + 18 * i as i32), (SANS, 14).into_font().color(&BLACK)))?;
    }
    let n = t.buckets.len().max(1);
    let max = t.buckets.iter().flat_map(|b| b.mentions.iter().map(|m| m.share)).fold(0.0, f64::max);
    // An axis of nothing but zeros still reads as percentages.
    let top = if max > 0.0 { max.max(0.005) } else { 0.05 };
    let longest = t.buckets.iter().map(|b| b.value.chars().count().min(24)).max().unwrap_or(4);
    // Labels side by side need about 7 px a character; else they stand
    // upright (with their " (n=12*)").
    let upright = n * (longest * 7 + 8) > 900;
    // A bucket is UNIT wide on the x axis (integers: plotters formats their
    // labels), its label at its centre.
    let centres: Vec<i32> = (0..n as i32).map(|i| i * UNIT + UNIT / 2).collect();
    let mut chart = ChartBuilder::on(&area)
        .caption(title(t), (SANS, 22))
        .margin(14)
        .x_label_area_size(if upright { 40 + 7 * (longest as u32 + 8) } else { 64 })
        .y_label_area_size(70)
        .build_cartesian_2d((0..n as i32 * UNIT).with_key_points(centres), 0.0..top * 100.0 * 1.15)?;
    let label = |x: &i32| {
        let name = t.buckets.get((*x / UNIT) as usize).map_or("", |b| b.value.as_str());
        if name.chars().count() > 24 {
            format!("{}…", name.chars().take(23).collect::<String>())
        } else {
            name.into()
        }
    };
    // Upright labels are drawn below (plotters centres rotated ones on the tick).
    let axis_label = |x: &i32| if upright { String::new() } else { label(x) };
    chart
        .configure_mesh()
        .disable_x_mesh()
        .y_max_light_lines(1)
        .x_label_formatter(&axis_label)
        .x_label_style((SANS, 13))
        .y_label_formatter(&|y| if top < 0.08 { format!("{y:.1}%") } else { format!("{y:.0}%") })
        .x_desc(t.by.as_str())
        .y_desc(format!("% of {}", t.per.as_str()))
        .axis_desc_style((SANS, 15))
        .draw()?;
    // Under each label, the bucket's reports: "n=7", "n=3*" when small.
    for (i, b) in t.buckets.iter().enumerate() {
        let centre = i as i32 * UNIT + UNIT / 2;
        let (x, y) = chart.backend_coord(&(centre, 0.0));
        let n_label = format!("n={}{}", b.reports, if b.small { "*" } else { "" });
        let colour = if b.small { RGBColor(150, 150, 150) } else { RGBColor(60, 60, 60) };
        if upright {
            let style = (SANS, 12).into_font().transform(FontTransform::Rotate90).color(&BLACK);
            root.draw(&Text::new(format!("{} ({n_label})", label(&centre)), (x + 6, y + 8), style))?;
        } else {
            let style = (SANS, 11).into_font().color(&colour).pos(Pos::new(HPos::Center, VPos::Top));
            root.draw(&Text::new(n_label, (x, y + 26), style))?;
        }
    }
    bars(&mut chart, t)
}

/// The chart: x a bucket's UNIT, y a share in percent.
type Chart<'a, DB> = ChartContext<'a, DB, Cartesian2d<WithKeyPoints<RangedCoordi32>, RangedCoordf64>>;

/// A bar per bucket and query, their counts above them where there is
/// room, and a legend for several queries.
fn bars<'a, DB: DrawingBackend + 'a>(chart: &mut Chart<'a, DB>, t: &Trend) -> DrawResult<DB> {
    let n = t.buckets.len().max(1);
    let groups = t.queries.len().max(1);
    // The bars of a bucket share 80% of its width.
    let width = UNIT * 4 / 5 / groups as i32;
    let x0 = |i: usize, j: usize| i as i32 * UNIT + UNIT / 10 + j as i32 * width;
    for (j, query) in t.queries.iter().enumerate() {
        let colour = PALETTE[j % PALETTE.len()];
        let bars = t.buckets.iter().enumerate().map(|(i, b)| {
            let style = if b.small { pale(colour).filled() } else { colour.filled() };
            Rectangle::new([(x0(i, j), 0.0), (x0(i, j) + width * 9 / 10, b.mentions[j].share * 100.0)], style)
        });
        let series = chart.draw_series(bars)?;
        if groups > 1 {
            series
                .label(super::chart::quoted(query))
                .legend(move |(x, y)| Rectangle::new([(x, y - 6), (x + 14, y + 6)], colour.filled()));
        }
        if n * groups <= MAX_COUNT_LABELS {
            let counts = t.buckets.iter().enumerate().map(|(i, b)| {
                let m = &b.mentions[j];
                let (num, den) = match t.per {
                    crate::search::trend::Per::Reports => (m.reports, b.reports),
                    crate::search::trend::Per::Paragraphs => (m.paragraphs, b.paragraphs),
                };
                let at = (x0(i, j) + width * 9 / 20, m.share * 100.0);
                let style = (SANS, 11).into_font().color(&BLACK).pos(Pos::new(HPos::Center, VPos::Bottom));
                let text = if groups == 1 { format!("{num}/{den}") } else { percent(m.share) };
                EmptyElement::at(at) + Text::new(text, (0, -4), style)
            });
            chart.draw_series(counts)?;
        }
    }
    if groups > 1 {
        chart
            .configure_series_labels()
            .position(SeriesLabelPosition::UpperRight)
            .background_style(WHITE.mix(0.9))
            .border_style(BLACK.mix(0.5))
            .label_font((SANS, 14))
            .draw()?;
    }
    Ok(())
}
