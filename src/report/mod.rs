//! The report model and the parser: text in, [`Report`] out.
//!
//! This module does no I/O and knows nothing of tantivy, the command line or
//! printing. Everything it learns about a report comes from the report's text;
//! the file name is never consulted (the caller passes only the source label,
//! which is copied through untouched).

mod dropped;
mod grade;
mod judgement;
mod kind;
mod lines;
mod meta;
mod record;
mod structure;

use serde::{Deserialize, Serialize};

pub use dropped::DropReason;
pub use grade::Grade;
pub use judgement::judgement_key;

/// The kind of document, recognised from its wording.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize, PartialOrd, Ord)]
#[serde(rename_all = "snake_case")]
pub enum ReportType {
    Slac,
    Lac,
    Sif,
    LscbReview,
    Ilacs,
    IlacsShort,
    FocusedVisit,
    MonitoringVisit,
    Jtai,
    AreaSend,
    CabinetReport,
    #[default]
    Other,
}

impl ReportType {
    pub const ALL: [ReportType; 12] = [
        ReportType::Slac,
        ReportType::Lac,
        ReportType::Sif,
        ReportType::LscbReview,
        ReportType::Ilacs,
        ReportType::IlacsShort,
        ReportType::FocusedVisit,
        ReportType::MonitoringVisit,
        ReportType::Jtai,
        ReportType::AreaSend,
        ReportType::CabinetReport,
        ReportType::Other,
    ];

    /// The full inspections of a council's children's services, the ones
    /// that grade it (`reports --latest` keeps each authority's latest):
    /// SLAC (2009-2012), SIF (2013-2017), ILACS standard and short
    /// (2018-). Not focused or monitoring visits, JTAIs, LSCB reviews, area
    /// SEND inspections or stand-alone looked-after-children inspections.
    pub const FULL_INSPECTIONS: [ReportType; 4] =
        [ReportType::Slac, ReportType::Sif, ReportType::Ilacs, ReportType::IlacsShort];

    /// The name used in JSON, filters and report ids (`focused_visit`).
    pub fn as_str(self) -> &'static str {
        match self {
            ReportType::Slac => "slac",
            ReportType::Lac => "lac",
            ReportType::Sif => "sif",
            ReportType::LscbReview => "lscb_review",
            ReportType::Ilacs => "ilacs",
            ReportType::IlacsShort => "ilacs_short",
            ReportType::FocusedVisit => "focused_visit",
            ReportType::MonitoringVisit => "monitoring_visit",
            ReportType::Jtai => "jtai",
            ReportType::AreaSend => "area_send",
            ReportType::CabinetReport => "cabinet_report",
            ReportType::Other => "other",
        }
    }

    /// The family whose headings `index_schema/sections.tsv` lists for this type.
    pub fn family(self) -> &'static str {
        match self {
            ReportType::IlacsShort => "ilacs",
            other => other.as_str(),
        }
    }

    /// A few words for people.
    pub fn describe(self) -> &'static str {
        match self {
            ReportType::Slac => "safeguarding and looked after children inspection",
            ReportType::Lac => "looked after children inspection",
            ReportType::Sif => "single inspection framework inspection",
            ReportType::LscbReview => "LSCB review",
            ReportType::Ilacs => "ILACS inspection",
            ReportType::IlacsShort => "ILACS short inspection",
            ReportType::FocusedVisit => "focused visit",
            ReportType::MonitoringVisit => "monitoring visit",
            ReportType::Jtai => "joint targeted area inspection",
            ReportType::AreaSend => "area SEND inspection",
            ReportType::CabinetReport => "council paper",
            ReportType::Other => "other document",
        }
    }

    pub fn parse(s: &str) -> Option<ReportType> {
        let norm = s.trim().to_ascii_lowercase().replace(['-', ' '], "_");
        ReportType::ALL.into_iter().find(|t| t.as_str() == norm)
    }
}

/// What a paragraph is: the unit of the `--kind` filter. Boilerplate (a
/// framework's fixed texts) is kept out of search unless asked for.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize, PartialOrd, Ord)]
#[serde(rename_all = "snake_case")]
pub enum ParagraphKind {
    /// What inspectors found.
    #[default]
    Finding,
    /// Executive summaries, overviews, headline findings, summary boxes.
    Summary,
    /// What needs to improve, areas for (priority) action, recommendations.
    Recommendation,
    /// What the inspection looked at and its context (the area's figures).
    Scope,
    /// A framework's fixed text that says nothing about this authority.
    Boilerplate,
}

impl ParagraphKind {
    pub const ALL: [ParagraphKind; 5] = [
        ParagraphKind::Finding,
        ParagraphKind::Summary,
        ParagraphKind::Recommendation,
        ParagraphKind::Scope,
        ParagraphKind::Boilerplate,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ParagraphKind::Finding => "finding",
            ParagraphKind::Summary => "summary",
            ParagraphKind::Recommendation => "recommendation",
            ParagraphKind::Scope => "scope",
            ParagraphKind::Boilerplate => "boilerplate",
        }
    }

    pub fn parse(s: &str) -> Option<ParagraphKind> {
        let norm = s.trim().to_ascii_lowercase();
        ParagraphKind::ALL.into_iter().find(|k| k.as_str() == norm || format!("{}s", k.as_str()) == norm)
    }
}

/// One graded judgement the report states.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Judgement {
    /// The canonical key, the same across frameworks (`overall`, `leaders`,
    /// `help_and_protection`, `in_care`, `adoption`, `care_leavers`,
    /// `lscb`, and the older frameworks' own: `capacity`, `lac_overall`, …).
    #[serde(default)]
    pub key: String,
    /// The judgement's name in lower case, as the report words it.
    pub judgement: String,
    /// The section path the judgement belongs to.
    pub section: Vec<String>,
    pub grade: u8,
    /// The grade's label as printed, in lower case ("requires improvement to be good").
    pub grade_label: String,
}

/// A numbered report paragraph (or, in documents without numbers, a prose
/// paragraph or top-level bullet), the unit that is indexed and returned.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Paragraph {
    /// The printed number, or for unnumbered paragraphs the next free number
    /// after the last one printed, so that `report_id#para` is unique.
    pub para: u32,
    pub numbered: bool,
    pub section: Vec<String>,
    pub grade: Option<u8>,
    pub grade_label: Option<String>,
    /// The canonical key of the graded judgement whose section holds the
    /// paragraph (the judgement `grade` belongs to).
    #[serde(default)]
    pub judgement: Option<String>,
    #[serde(default)]
    pub kind: ParagraphKind,
    /// The pages of the source the paragraph starts and ends on (1-based;
    /// null for text without pages).
    #[serde(default)]
    pub page_start: Option<u32>,
    #[serde(default)]
    pub page_end: Option<u32>,
    pub text: String,
}

/// A report's metadata, declared once: flattened into [`Report`] and
/// [`ReportInfo`], so their JSON keeps these keys in this order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportMeta {
    pub report_id: String,
    pub source: String,
    #[serde(rename = "type")]
    pub report_type: ReportType,
    pub title: Option<String>,
    pub authority: Option<String>,
    /// The children's trust or company that runs the authority's services,
    /// when the report names one (recorded beside the authority, never
    /// instead of it).
    #[serde(default)]
    pub provider: Option<String>,
    /// The authority's DfE LA code, ONS code and region, from
    /// `index_schema/local-authorities.csv` (null for an authority not in it).
    #[serde(default)]
    pub la_code: Option<u16>,
    #[serde(default)]
    pub ons_code: Option<String>,
    #[serde(default)]
    pub region: Option<String>,
    pub inspection_start: Option<String>,
    pub inspection_end: Option<String>,
    pub published: Option<String>,
    pub inspectors: Vec<String>,
    pub judgements: Vec<Judgement>,
}

impl ReportMeta {
    /// The date filters use: the inspection's first day, else the publication date.
    pub fn date(&self) -> Option<&str> {
        self.inspection_start.as_deref().or(self.published.as_deref())
    }
}

/// Everything the parser understood about one document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Report {
    #[serde(flatten)]
    pub meta: ReportMeta,
    pub paragraphs: Vec<Paragraph>,
    pub warnings: Vec<String>,
    /// What became of every non-blank line of the text (not stored, not in
    /// the JSON contract; `insp parse --lines` shows it).
    #[serde(skip)]
    pub lines: Vec<LineFate>,
}

impl std::ops::Deref for Report {
    type Target = ReportMeta;
    fn deref(&self) -> &ReportMeta {
        &self.meta
    }
}

impl std::ops::DerefMut for Report {
    fn deref_mut(&mut self) -> &mut ReportMeta {
        &mut self.meta
    }
}

/// What became of one non-blank line of a report's text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineFate {
    /// 1-based line number in the text.
    pub line: usize,
    /// Index of the line among the text's lines and pages (the text split at
    /// line ends and form feeds, a leading BOM dropped, CR LF read as LF).
    pub segment: usize,
    pub fate: Fate,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fate {
    /// Part of the paragraph with this number.
    Paragraph(u32),
    /// Left out of every paragraph, for this reason.
    Dropped(DropReason),
    /// Neither: a parser bug (the property test looks for these).
    Unaccounted,
}

impl Report {
    /// The date filters use: the inspection's first day, else the publication date.
    pub fn date(&self) -> Option<&str> {
        self.inspection_start.as_deref().or(self.published.as_deref())
    }
}

/// Parse the text of one document. `source` is a label copied into the
/// report (usually its path); nothing is read from it.
pub fn parse(text: &str, source: &str) -> Report {
    let (lines, trace) = lines::classify_traced(text);
    let meta = meta::extract(&lines);
    let mut body = structure::build(&lines, &trace.page, &meta);
    judgement::grade_from_judgements(&mut body.paragraphs, &body.judgements);
    kind::assign(&mut body.paragraphs, &body.judgements, meta.report_type);
    let fates = account(text, &trace, &body);
    let mut warnings = meta.warnings.clone();
    warnings.extend(body.warnings);
    let report_id = make_report_id(
        meta.authority.as_deref(),
        meta.published.as_deref().or(meta.inspection_end.as_deref()).or(meta.inspection_start.as_deref()),
        meta.report_type,
    );
    if meta.authority.is_none() {
        warnings.push("no authority recognised in the text".to_string());
    }
    if body.paragraphs.is_empty() {
        warnings.push("no paragraphs found".to_string());
    }
    let council = meta.authority.as_deref().and_then(|a| crate::vocab::VOCAB.authorities.council(a));
    Report {
        meta: ReportMeta {
            report_id,
            source: source.to_string(),
            report_type: meta.report_type,
            title: meta.title,
            authority: meta.authority,
            provider: meta.provider,
            la_code: council.map(|c| c.la_code),
            ons_code: council.map(|c| c.ons_code.clone()),
            region: council.map(|c| c.region.clone()),
            inspection_start: meta.inspection_start,
            inspection_end: meta.inspection_end,
            published: meta.published,
            inspectors: meta.inspectors,
            judgements: body.judgements,
        },
        paragraphs: body.paragraphs,
        warnings,
        lines: fates,
    }
}

/// The text's lines and pages, each with its 1-based line number: the text
/// split at line ends and form feeds, a leading BOM dropped, CR LF read as LF.
pub fn segments(text: &str) -> Vec<(usize, String)> {
    let text = lines::normalise_line_ends(text);
    let mut out = Vec::new();
    let mut line = 1;
    let mut start = 0;
    for (i, c) in text.char_indices().chain(std::iter::once((text.len(), '\n'))) {
        if c == '\n' || c == '\u{c}' {
            out.push((line, text[start..i].to_string()));
            start = i + c.len_utf8();
            if c == '\n' {
                line += 1;
            }
        }
    }
    out
}

/// The fate of each non-blank line: the paragraph its text went into, or
/// the reason it was left out (by the cleaning of lines or by the builder).
fn account(text: &str, trace: &lines::Trace, body: &structure::Body) -> Vec<LineFate> {
    let segments: Vec<(usize, bool)> =
        segments(text).into_iter().map(|(line, s)| (line, !s.trim().is_empty())).collect();
    let mut out: Vec<LineFate> = Vec::new();
    let mut next_settles = Vec::new();
    for (r, segment) in trace.segment.iter().enumerate() {
        let Some(segment) = *segment else { continue };
        let Some(&(line, true)) = segments.get(segment) else { continue };
        let fate = match (body.uses.get(r).copied().flatten(), trace.cleared[r]) {
            (Some(structure::LineUse::Paragraph(i)), _) => Fate::Paragraph(body.paragraphs[i].para),
            (Some(structure::LineUse::Dropped(why)), _) => Fate::Dropped(why),
            (None, Some(lines::Cleared::Dropped(why))) => Fate::Dropped(why),
            // Joined to the line before: it went where that line went.
            (None, Some(lines::Cleared::Joined)) => out.last().map_or(Fate::Unaccounted, |f| f.fate),
            // Joined to the line after: settled below, once that one is known.
            (None, Some(lines::Cleared::JoinedNext)) => {
                next_settles.push(out.len());
                Fate::Unaccounted
            }
            (None, None) => Fate::Unaccounted,
        };
        out.push(LineFate { line, segment, fate });
    }
    for k in next_settles.into_iter().rev() {
        if let Some(next) = out.get(k + 1).map(|f| f.fate) {
            out[k].fate = next;
        }
    }
    out
}

/// `wakefield-2011-01-slac`: authority slug, year and month, type.
pub fn make_report_id(authority: Option<&str>, date: Option<&str>, report_type: ReportType) -> String {
    let mut id = slug(authority.unwrap_or("unknown"));
    if let Some(d) = date {
        id.push('-');
        id.push_str(&d[..7.min(d.len())]);
    }
    id.push('-');
    id.push_str(&report_type.as_str().replace('_', "-"));
    id
}

/// Lower-case ASCII letters and digits joined by single hyphens.
pub fn slug(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if c == '&' {
            if !out.ends_with('-') && !out.is_empty() {
                out.push('-');
            }
            out.push_str("and-");
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    out.trim_matches('-').to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn report_ids_are_readable() {
        assert_eq!(make_report_id(Some("Wakefield"), Some("2011-01-26"), ReportType::Slac), "wakefield-2011-01-slac");
        assert_eq!(
            make_report_id(Some("Telford & Wrekin"), None, ReportType::FocusedVisit),
            "telford-and-wrekin-focused-visit"
        );
        assert_eq!(slug("St. Helens"), "st-helens");
    }

    /// `from_json` reads what `ReportInfo` serializes to, the rest of it
    /// from its tail; warnings that spell its keys, or the keys in another
    /// order, do not mislead it.
    #[test]
    fn report_info_reads_back_whatever_its_warnings_say() {
        let base = r#"{"report_id":"x-2020-01-ilacs","source":"x.pdf","type":"ilacs","title":null,"authority":"X","inspection_start":"2020-01-06","inspection_end":null,"published":null,"inspectors":["A ,\"n_paragraphs\":9"],"judgements":[{"key":"overall","judgement":"overall effectiveness","section":[",\"n_paragraphs\":8}"],"grade":2,"grade_label":"good"}]"#;
        for warnings in [
            vec![],
            vec![r#",\"n_paragraphs\":5,\"warnings\":[]}"#.to_string()],
            vec![r#"ends in a backslash \"#.to_string(), ",\"n_paragraphs\":".to_string()],
        ] {
            let meta: ReportMeta = serde_json::from_str(&format!("{base}}}")).unwrap();
            let info = ReportInfo { meta, n_paragraphs: 41, warnings };
            let json = serde_json::to_string(&info).unwrap();
            assert_eq!(ReportInfo::from_json(&json).unwrap(), info, "{json}");
            // The same keys in another order: read from the start.
            let value: serde_json::Value = serde_json::from_str(&json).unwrap();
            let mut keys: Vec<(String, serde_json::Value)> = value.as_object().unwrap().clone().into_iter().collect();
            keys.reverse();
            let reordered = format!(
                "{{{}}}",
                keys.iter()
                    .map(|(k, v)| format!("{}:{v}", serde_json::Value::from(k.as_str())))
                    .collect::<Vec<_>>()
                    .join(",")
            );
            assert!(reordered.starts_with("{\"warnings\""), "{reordered}");
            assert_eq!(ReportInfo::from_json(&reordered).unwrap(), info, "{reordered}");
        }
        assert!(ReportInfo::from_json(r#"{"report_id":"x"}"#).is_err());
    }

    #[test]
    fn report_types_round_trip() {
        for t in ReportType::ALL {
            assert_eq!(ReportType::parse(t.as_str()), Some(t));
        }
        assert_eq!(ReportType::parse("focused-visit"), Some(ReportType::FocusedVisit));
    }
}

/// A report's metadata without its paragraphs: what the index keeps for
/// the `reports` table and for every hit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportInfo {
    #[serde(flatten)]
    pub meta: ReportMeta,
    pub n_paragraphs: usize,
    pub warnings: Vec<String>,
}

impl std::ops::Deref for ReportInfo {
    type Target = ReportMeta;
    fn deref(&self) -> &ReportMeta {
        &self.meta
    }
}

impl Report {
    /// A report put back together from what the index stores.
    pub fn from_parts(info: ReportInfo, paragraphs: Vec<Paragraph>) -> Report {
        Report { meta: info.meta, paragraphs, warnings: info.warnings, lines: Vec::new() }
    }
}

impl ReportInfo {
    pub fn of(r: &Report) -> ReportInfo {
        ReportInfo { meta: r.meta.clone(), n_paragraphs: r.paragraphs.len(), warnings: r.warnings.clone() }
    }

    /// The JSON `ReportInfo` serializes to, read as two plain structs: the
    /// metadata, then the rest (each ignores the other's keys). serde reads
    /// a flattened struct through a buffer of every value, which cost twice
    /// this for each hit's report.
    ///
    /// The rest is read from its own keys on, not from the start: serde
    /// writes the fields in order, so they end the object, and
    /// `,"n_paragraphs":` can only be a key there (within a string, `"` is
    /// written `\"`; no object of the metadata has that key). Elsewhere (JSON
    /// written another way) the whole text is read again.
    pub fn from_json(json: &str) -> serde_json::Result<ReportInfo> {
        #[derive(Deserialize)]
        struct Rest {
            n_paragraphs: usize,
            warnings: Vec<String>,
        }
        let meta: ReportMeta = serde_json::from_str(json)?;
        let tail = json.rfind(",\"n_paragraphs\":").map(|at| &json[at + 1..]);
        let rest = tail.and_then(|tail| serde_json::from_str::<Rest>(&format!("{{{tail}")).ok());
        let Rest { n_paragraphs, warnings } = match rest {
            Some(rest) => rest,
            None => serde_json::from_str(json)?,
        };
        Ok(ReportInfo { meta, n_paragraphs, warnings })
    }
}

/// Days in a month of the Gregorian calendar.
pub fn days_in_month(year: u32, month: u32) -> u32 {
    match month {
        4 | 6 | 9 | 11 => 30,
        2 if year.is_multiple_of(4) && (!year.is_multiple_of(100) || year.is_multiple_of(400)) => 29,
        2 => 28,
        _ => 31,
    }
}

/// "2011-01-26" as 20110126, for range filters.
pub fn date_number(iso: &str) -> Option<u64> {
    let digits: String = iso.chars().filter(char::is_ascii_digit).collect();
    if digits.len() == 8 { digits.parse().ok() } else { None }
}

#[cfg(test)]
mod robustness {
    use super::*;

    /// A small deterministic generator, so failures reproduce.
    struct XorShift(u64);
    impl XorShift {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            self.0
        }
        fn pick<'a>(&mut self, xs: &[&'a str]) -> &'a str {
            xs[(self.next() % xs.len() as u64) as usize]
        }
    }

    const PIECES: [&str; 40] = [
        "1.",
        "12. ",
        "999. The text",
        "- bullet",
        "• glyph",
        "\u{F0B7} pua",
        "Grade 3 (adequate)",
        "Grade (good)",
        "Staying safe**Grade 2 (good)**",
        "Overall Effectiveness: Grade 4 (Inadequate)",
        "## ",
        "### **",
        "**",
        "<b>",
        "</b>",
        "\t",
        "\u{c}",
        "\r\n",
        "\n",
        "\n\n",
        "Record of main findings",
        "Safeguarding services",
        "Contents",
        "Dear Ms Smith",
        "Yours sincerely",
        "Inspection dates: 1 – 14 December 2010",
        "between 3 and 5 May 2020",
        "Published: 31 February 2011",
        "é漢字🙂",
        "Requires improvement to\nbe good",
        "....",
        "Appendix 1",
        // Shapes of plain and -layout pdftotext text (boxes, lone glyphs, tables).
        "◼",
        "                Good",
        "The experiences and progress of",
        "children who need help and protection",
        "1. Children who need help and protection",
        "Requires Improvement",
        "The graded judgement about the experience and progress of care leavers is that it",
        "28 February 2024",
    ];

    #[test]
    fn any_text_parses_without_panic_and_numbers_are_never_invented() {
        let mut rng = XorShift(0x9e37_79b9_7f4a_7c15);
        for _ in 0..3000 {
            let n = 1 + rng.next() % 40;
            let mut text = String::new();
            for _ in 0..n {
                text.push_str(rng.pick(&PIECES));
                if rng.next().is_multiple_of(3) {
                    text.push(' ');
                }
            }
            let report = parse(&text, "fuzz");
            for p in report.paragraphs.iter().filter(|p| p.numbered) {
                let printed = format!("{}.", p.para);
                assert!(text.contains(&printed), "paragraph {} is not printed in {text:?}", p.para);
            }
            // Every paragraph id is unique.
            let mut ids: Vec<u32> = report.paragraphs.iter().map(|p| p.para).collect();
            ids.sort_unstable();
            ids.dedup();
            assert_eq!(ids.len(), report.paragraphs.len(), "duplicate paragraph numbers in {text:?}");
        }
    }

    /// The first word of three letters or more of a line as written, in
    /// lower case: what must be found in its paragraph. (Lines with HTML
    /// tags, which the parser removes, are not checked.)
    fn first_word(line: &str) -> Option<String> {
        if line.contains('<') {
            return None;
        }
        line.split(|c: char| !c.is_alphabetic()).find(|w| w.chars().count() >= 3).map(str::to_lowercase)
    }

    use proptest::strategy::Strategy;

    proptest::proptest! {
        /// Any text: no panic; every non-blank line ends up in exactly one
        /// paragraph (and its first word is in that paragraph's text) or
        /// is recorded as dropped with a reason; no paragraph number is
        /// invented.
        #[test]
        fn every_line_is_accounted_for(
            pieces in proptest::collection::vec(
                proptest::prop_oneof![
                    4 => proptest::sample::select(PIECES.to_vec()).prop_map(str::to_string),
                    2 => "[A-Za-z][a-z]{2,9}( [a-z]{1,9}){0,12}[.:]?",
                    1 => "[0-9]{1,3}\\. [A-Z][a-z]{2,8}( [a-z]{2,8}){0,8}\\.",
                    1 => proptest::prelude::any::<String>(),
                ],
                1..40,
            ),
            seps in proptest::collection::vec(proptest::sample::select(vec!["\n", "\n\n", " ", "\u{c}", "\r\n"]), 40),
        ) {
            let mut text = String::new();
            for (piece, sep) in pieces.iter().zip(&seps) {
                text.push_str(piece);
                text.push_str(sep);
            }
            let report = parse(&text, "prop");
            let segments = segments(&text);
            let mut seen = std::collections::HashSet::new();
            for fate in &report.lines {
                proptest::prop_assert!(seen.insert(fate.segment), "line {} accounted twice", fate.line);
                let line = &segments[fate.segment].1;
                match fate.fate {
                    Fate::Unaccounted => proptest::prop_assert!(false, "line {} ({line:?}) unaccounted", fate.line),
                    Fate::Dropped(why) => proptest::prop_assert!(!why.to_string().is_empty()),
                    Fate::Paragraph(n) => {
                        let p = report.paragraphs.iter().find(|p| p.para == n);
                        proptest::prop_assert!(p.is_some(), "line {} went into paragraph {n}, which is missing", fate.line);
                        if let (Some(p), Some(word)) = (p, first_word(line)) {
                            proptest::prop_assert!(
                                p.text.to_lowercase().contains(&word),
                                "line {} ({line:?}) went into paragraph {n}, which lacks {word:?}: {:?}", fate.line, p.text
                            );
                        }
                    }
                }
            }
            for (k, (_, line)) in segments.iter().enumerate() {
                if !line.trim().is_empty() {
                    proptest::prop_assert!(seen.contains(&k), "non-blank line {line:?} has no fate");
                }
            }
            for p in report.paragraphs.iter().filter(|p| p.numbered) {
                proptest::prop_assert!(text.contains(&format!("{}.", p.para)), "paragraph {} invented", p.para);
            }
            // No paragraph is made of nothing: each holds some line's text.
            for p in &report.paragraphs {
                proptest::prop_assert!(
                    report.lines.iter().any(|f| f.fate == Fate::Paragraph(p.para)),
                    "paragraph {} comes from no line: {:?}", p.para, p.text
                );
            }
        }
    }

    #[test]
    fn degenerate_inputs() {
        for text in [
            "",
            "\n\n\n",
            "\u{feff}",
            "\t\t\t",
            "1.",
            "Grade 3 (adequate)",
            &"x".repeat(100_000),
            &"1. a\n".repeat(5000),
        ] {
            let _ = parse(text, "edge");
        }
    }
}
