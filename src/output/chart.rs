//! `trend` as a bar chart of text: one labelled row of Unicode blocks per
//! bucket and query, within a given width (80 columns by default), in
//! colour only when the style says so.

use super::text::Style;
use crate::search::trend::{Per, SMALL_BUCKET, Trend, TrendBucket};
use std::io::{self, Write};

/// The width the chart is drawn in.
pub const WIDTH: usize = 80;
/// The longest bucket label shown whole.
const MAX_LABEL: usize = 24;
/// The columns after a bar: " share count* other".
const TAIL: usize = 25;
/// The narrowest bar.
const MIN_BAR: usize = 10;
/// Eighths of a block, for the end of a bar.
const EIGHTHS: [char; 8] = [' ', '▏', '▎', '▍', '▌', '▋', '▊', '▉'];
/// The colours of the queries' bars (ANSI), in turn.
const COLOURS: [&str; 6] = ["36", "35", "33", "32", "34", "31"];

/// A query's letter in the chart and its legend.
pub fn letter(i: usize) -> char {
    (b'a' + (i % 26) as u8) as char
}

/// A query in quotes, unless it has its own (a phrase).
pub fn quoted(query: &str) -> String {
    if query.contains('"') { query.to_string() } else { format!("\"{query}\"") }
}

/// Queries in quotes, joined: "county lines" and "criminal exploitation".
pub fn queries_label(t: &Trend) -> String {
    let quoted: Vec<String> = t.queries.iter().map(|q| quoted(q)).collect();
    match quoted.len() {
        0 | 1 => quoted.join(""),
        n => format!("{} and {}", quoted[..n - 1].join(", "), quoted[n - 1]),
    }
}

/// The title: the queries, the buckets and the filters.
pub fn title(t: &Trend) -> String {
    let filters = super::filters_label(&t.filters);
    let mut s = format!("{} by {}", queries_label(t), t.by.as_str());
    if !filters.is_empty() {
        s.push_str(&format!(" ({filters})"));
    }
    s
}

/// What a share is a share of, in a sentence.
pub fn denominator_note(t: &Trend) -> String {
    let what = match t.per {
        Per::Reports => "Share of the reports in each bucket that mention it",
        Per::Paragraphs => "Share of the paragraphs in each bucket that match",
    };
    format!(
        "{what} (a paragraph with every word; boilerplate left out), of {} reports and {} paragraphs in all.",
        t.reports, t.paragraphs
    )
}

/// A share as people read it: "0%", "2.5%", "31%".
pub fn percent(share: f64) -> String {
    let p = share * 100.0;
    if p == 0.0 {
        "0%".to_string()
    } else if p < 9.95 {
        format!("{p:.1}%")
    } else {
        format!("{p:.0}%")
    }
}

/// Words wrapped into lines of at most `width` characters.
pub(super) fn wrap(text: &str, width: usize) -> Vec<String> {
    wrap_pieces(text.split_whitespace(), width)
}

/// Pieces that are not to be broken (words, legend entries) joined by
/// spaces into lines of at most `width` characters (a longer piece alone).
fn wrap_pieces<'a>(pieces: impl IntoIterator<Item = &'a str>, width: usize) -> Vec<String> {
    let mut lines = vec![String::new()];
    for word in pieces {
        let line = lines.last_mut().expect("one line");
        if !line.is_empty() && line.chars().count() + 1 + word.chars().count() > width {
            lines.push(word.to_string());
        } else {
            if !line.is_empty() {
                line.push(' ');
            }
            line.push_str(word);
        }
    }
    lines
}

/// A label cut to `width` characters, with an ellipsis where it was cut.
fn fit(label: &str, width: usize) -> String {
    if label.chars().count() <= width {
        label.to_string()
    } else {
        let mut s: String = label.chars().take(width.saturating_sub(1)).collect();
        s.push('…');
        s
    }
}

/// A bar of `cells` cells of `width`: whole blocks and an eighth; a small
/// bucket's in light shade; a share above zero shows at least a sliver.
fn bar(cells: f64, small: bool) -> String {
    if small {
        let n = cells.round() as usize;
        return "░".repeat(if n == 0 && cells > 0.0 { 1 } else { n });
    }
    let full = cells.floor() as usize;
    let eighth = ((cells - full as f64) * 8.0).round() as usize;
    let mut s = "█".repeat(full);
    match eighth {
        0 if full == 0 && cells > 0.0 => s.push('▏'),
        0 => {}
        8 => s.push('█'),
        e => s.push(EIGHTHS[e]),
    }
    s
}

/// The chart in `width` columns.
pub fn bars(w: &mut dyn Write, t: &Trend, style: Style, width: usize) -> io::Result<()> {
    for line in wrap(&title(t), width) {
        writeln!(w, "{}", style.bold(&line))?;
    }
    let max = t.buckets.iter().flat_map(|b| b.mentions.iter().map(|m| m.share)).fold(0.0, f64::max);
    let label_width = t.buckets.iter().map(|b| b.value.chars().count()).chain([t.by.as_str().len()]).max().unwrap_or(0);
    let label_width = label_width.min(MAX_LABEL);
    let mark = if t.queries.len() > 1 { 2 } else { 0 };
    let bar_width = width.saturating_sub(label_width + 1 + mark + TAIL).max(MIN_BAR);
    let (count_name, other_name) = match t.per {
        Per::Reports => ("reports", "¶"),
        Per::Paragraphs => ("paragraphs", "rep."),
    };
    let scale = format!("(longest = {})", percent(max));
    let header = format!(
        "{:<label_width$} {:<bars$} {:>5} {count_name:>11}  {other_name:>5}",
        t.by.as_str(),
        scale,
        "share",
        bars = mark + bar_width
    );
    writeln!(w, "\n{}", style.dim(&header))?;
    for b in &t.buckets {
        bucket_rows(w, t, b, style, (label_width, bar_width, max))?;
    }
    writeln!(w)?;
    if t.queries.len() > 1 {
        let n = t.queries.len();
        let legend: Vec<String> = t
            .queries
            .iter()
            .enumerate()
            .map(|(i, q)| format!("{} = {}{}", letter(i), quoted(q), if i + 1 < n { "," } else { "" }))
            .collect();
        for line in wrap_pieces(legend.iter().map(String::as_str), width) {
            writeln!(w, "{line}")?;
        }
    }
    footnotes(w, t, width)
}

/// A bucket's rows: one per query, the label on the first.
fn bucket_rows(
    w: &mut dyn Write,
    t: &Trend,
    b: &TrendBucket,
    style: Style,
    (label_width, bar_width, max): (usize, usize, f64),
) -> io::Result<()> {
    for (i, m) in b.mentions.iter().enumerate() {
        let label = if i == 0 { fit(&b.value, label_width) } else { String::new() };
        let mark = if t.queries.len() > 1 { format!("{} ", letter(i)) } else { String::new() };
        let cells = if max > 0.0 { m.share / max * bar_width as f64 } else { 0.0 };
        let drawn = bar(cells, b.small);
        let pad = " ".repeat(bar_width.saturating_sub(drawn.chars().count()));
        let painted = if b.small { style.dim(&drawn) } else { style.paint(COLOURS[i % COLOURS.len()], &drawn) };
        let (n, d, other) = match t.per {
            Per::Reports => (m.reports, b.reports, m.paragraphs),
            Per::Paragraphs => (m.paragraphs, b.paragraphs, m.reports),
        };
        let star = if b.small { "*" } else { " " };
        writeln!(
            w,
            "{label:<label_width$} {mark}{painted}{pad} {:>5} {:>11}{star} {other:>5}",
            percent(m.share),
            format!("{n}/{d}")
        )?;
    }
    Ok(())
}

/// What the shares are of, what the small marks mean, absent words.
fn footnotes(w: &mut dyn Write, t: &Trend, width: usize) -> io::Result<()> {
    let mut notes = vec![denominator_note(t)];
    if t.reports == 0 {
        notes.push("No indexed report passes the filters (`insp reports` with them lists what does).".to_string());
    }
    if t.buckets.iter().any(|b| b.small) {
        notes.push(format!("░ and *: fewer than {SMALL_BUCKET} reports, too few for a trend."));
    }
    if t.per == Per::Reports {
        notes.push("¶: the matching paragraphs.".to_string());
    }
    for (q, absent) in t.queries.iter().zip(&t.absent) {
        if !absent.is_empty() {
            notes.push(format!("No indexed paragraph has {} (in {}).", absent.join(", "), quoted(q)));
        }
    }
    for line in wrap(&notes.join(" "), width) {
        writeln!(w, "{line}")?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bars_grow_by_eighths_and_show_a_sliver_above_zero() {
        assert_eq!(bar(2.5, false), "██▌");
        assert_eq!(bar(0.01, false), "▏");
        assert_eq!(bar(0.0, false), "");
        assert_eq!(bar(2.99, false), "███");
        assert_eq!(bar(2.4, true), "░░");
        assert_eq!(bar(0.2, true), "░");
    }

    #[test]
    fn percents_and_labels() {
        assert_eq!(percent(0.0), "0%");
        assert_eq!(percent(0.025), "2.5%");
        assert_eq!(percent(1.0 / 3.0), "33%");
        assert_eq!(fit("Barking and Dagenham", 10), "Barking a…");
        assert_eq!(wrap("one two three", 7), ["one two", "three"]);
    }
}
