//! Facet filters: validated once from what the user typed, then turned into
//! tantivy clauses.

use crate::index::Codec;
use crate::report::{ParagraphKind, ReportType};
use crate::vocab::VOCAB;
use std::ops::Bound;
use tantivy::Term;
use tantivy::query::{BooleanQuery, Occur, PhraseQuery, Query, RangeQuery, TermQuery};
use tantivy::schema::IndexRecordOption;

/// Filters as typed on the command line or in a batch line, declared once:
/// the command line's options are these fields (their doc comments are the
/// `--help` text), and a batch line's keys are held to them by a test.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct RawFilters {
    /// Only this authority (repeatable; any spelling: "Wakefield Council", "BCP").
    #[arg(long, value_name = "NAME", value_parser = super::hints::authorities(), hide_possible_values = true)]
    pub authority: Vec<String>,
    /// Only paragraphs under this grade (repeatable): 1-4, outstanding, good,
    /// requires-improvement (or adequate), inadequate.
    #[arg(long, value_name = "G", value_parser = super::hints::grades(), hide_possible_values = true)]
    pub grade: Vec<String>,
    /// Only paragraphs whose section path has this at any level (repeatable).
    #[arg(long, value_name = "TEXT")]
    pub section: Vec<String>,
    /// Only this report type (repeatable): slac, lac, sif, lscb_review, ilacs,
    /// ilacs_short, focused_visit, monitoring_visit, jtai, area_send,
    /// cabinet_report, other.
    #[arg(long = "type", value_name = "T", value_parser = super::hints::report_types(), hide_possible_values = true)]
    pub report_type: Vec<String>,
    /// Inspected on or after this date (YYYY, YYYY-MM or YYYY-MM-DD).
    #[arg(long, value_name = "DATE")]
    pub since: Option<String>,
    /// Inspected on or before this date (YYYY, YYYY-MM or YYYY-MM-DD).
    #[arg(long, value_name = "DATE")]
    pub until: Option<String>,
    /// Only paragraphs of this kind (repeatable): finding, summary,
    /// recommendation, scope, boilerplate. Without it, every kind but
    /// boilerplate (the frameworks' fixed texts).
    #[arg(long, value_name = "KIND", value_parser = super::hints::kinds(), hide_possible_values = true)]
    pub kind: Vec<String>,
    /// Also the frameworks' fixed texts (grade definitions, letters' opening
    /// and closing sentences), which are left out by default.
    #[arg(long)]
    pub boilerplate: bool,
}

/// Validated filters.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filters {
    /// Canonical authority names.
    pub authorities: Vec<String>,
    pub grades: Vec<u8>,
    pub sections: Vec<String>,
    pub types: Vec<ReportType>,
    /// YYYYMMDD bounds, inclusive.
    pub since: Option<u64>,
    pub until: Option<u64>,
    /// The kinds of paragraph wanted; empty: every kind but boilerplate.
    pub kinds: Vec<ParagraphKind>,
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum FilterError {
    #[error("unknown authority '{name}'; did you mean {}?", quote_list(.suggestions))]
    UnknownAuthority { name: String, suggestions: Vec<String> },
    #[error("unknown grade '{0}'; use 1-4 or outstanding, good, requires-improvement (or adequate), inadequate")]
    Grade(String),
    #[error("unknown report type '{0}'; use one of {1}")]
    Type(String, String),
    #[error("cannot read the date '{0}' for {1}; use YYYY, YYYY-MM or YYYY-MM-DD")]
    Date(String, &'static str),
    #[error("--since {0} is after --until {1}, so nothing can match")]
    EmptyRange(String, String),
    #[error("--section needs some words, e.g. --section \"quality of provision\"")]
    EmptySection,
    #[error("unknown paragraph kind '{0}'; use finding, summary, recommendation, scope or boilerplate")]
    Kind(String),
}

fn quote_list(names: &[String]) -> String {
    let quoted: Vec<String> = names.iter().map(|n| format!("'{n}'")).collect();
    match quoted.len() {
        0 => "a name from `insp reports`".to_string(),
        1 => quoted[0].clone(),
        n => format!("{} or {}", quoted[..n - 1].join(", "), quoted[n - 1]),
    }
}

pub fn parse_grade(s: &str) -> Result<u8, FilterError> {
    let norm = s.trim().to_lowercase().replace(['-', '_'], " ");
    let g = match norm.as_str() {
        "1" | "outstanding" => 1,
        "2" | "good" => 2,
        "3" | "adequate" | "requires improvement" | "requires improvement to be good" | "ri" => 3,
        "4" | "inadequate" => 4,
        _ => return Err(FilterError::Grade(s.to_string())),
    };
    Ok(g)
}

/// YYYY, YYYY-MM or YYYY-MM-DD as the first (`upper` false) or last day it covers.
pub fn parse_date(s: &str, upper: bool, what: &'static str) -> Result<u64, FilterError> {
    let bad = || FilterError::Date(s.to_string(), what);
    let parts: Vec<&str> = s.trim().split('-').collect();
    let num = |p: &str, len: usize| -> Result<u64, FilterError> {
        if p.len() != len || !p.chars().all(|c| c.is_ascii_digit()) {
            return Err(bad());
        }
        p.parse().map_err(|_| bad())
    };
    let (y, m, d) = match parts.as_slice() {
        [y] => (num(y, 4)?, if upper { 12 } else { 1 }, if upper { 31 } else { 1 }),
        [y, m] => (num(y, 4)?, num(m, 2)?, if upper { 31 } else { 1 }),
        [y, m, d] => (num(y, 4)?, num(m, 2)?, num(d, 2)?),
        _ => return Err(bad()),
    };
    if !(1..=12).contains(&m) || !(1..=31).contains(&d) {
        return Err(bad());
    }
    // A whole month (YYYY-MM) may end on the 31st; a day given must exist.
    if parts.len() == 3 && d > crate::report::days_in_month(y as u32, m as u32) as u64 {
        return Err(bad());
    }
    Ok(y * 10_000 + m * 100 + d)
}

impl Filters {
    pub fn from_raw(raw: &RawFilters) -> Result<Filters, FilterError> {
        let mut f = Filters::default();
        for a in &raw.authority {
            match VOCAB.authorities.lookup(a) {
                Some(name) => f.authorities.push(name.to_string()),
                None => {
                    let suggestions = VOCAB.authorities.nearest(a, 3).into_iter().map(str::to_string).collect();
                    return Err(FilterError::UnknownAuthority { name: a.clone(), suggestions });
                }
            }
        }
        for g in &raw.grade {
            f.grades.push(parse_grade(g)?);
        }
        for s in &raw.section {
            if !s.chars().any(char::is_alphanumeric) {
                return Err(FilterError::EmptySection);
            }
            f.sections.push(s.trim().to_string());
        }
        for t in &raw.report_type {
            let names: Vec<&str> = ReportType::ALL.iter().map(|t| t.as_str()).collect();
            f.types.push(ReportType::parse(t).ok_or_else(|| FilterError::Type(t.clone(), names.join(", ")))?);
        }
        for k in &raw.kind {
            f.kinds.push(ParagraphKind::parse(k).ok_or_else(|| FilterError::Kind(k.clone()))?);
        }
        if raw.boilerplate {
            f.kinds = if f.kinds.is_empty() { ParagraphKind::ALL.to_vec() } else { f.kinds };
            if !f.kinds.contains(&ParagraphKind::Boilerplate) {
                f.kinds.push(ParagraphKind::Boilerplate);
            }
        }
        f.kinds.sort_unstable();
        f.kinds.dedup();
        f.since = raw.since.as_deref().map(|s| parse_date(s, false, "--since")).transpose()?;
        f.until = raw.until.as_deref().map(|s| parse_date(s, true, "--until")).transpose()?;
        if let (Some(a), Some(b)) = (f.since, f.until)
            && a > b
        {
            return Err(FilterError::EmptyRange(raw.since.clone().unwrap(), raw.until.clone().unwrap()));
        }
        f.grades.sort_unstable();
        f.grades.dedup();
        Ok(f)
    }

    /// Later filters override earlier ones field by field (batch lines over
    /// command-line defaults).
    pub fn overridden_by(&self, other: &Filters) -> Filters {
        Filters {
            authorities: if other.authorities.is_empty() {
                self.authorities.clone()
            } else {
                other.authorities.clone()
            },
            grades: if other.grades.is_empty() { self.grades.clone() } else { other.grades.clone() },
            sections: if other.sections.is_empty() { self.sections.clone() } else { other.sections.clone() },
            types: if other.types.is_empty() { self.types.clone() } else { other.types.clone() },
            since: other.since.or(self.since),
            until: other.until.or(self.until),
            kinds: if other.kinds.is_empty() { self.kinds.clone() } else { other.kinds.clone() },
        }
    }

    /// One clause per filter that is set; each must match.
    pub fn queries(&self, codec: &Codec) -> Vec<Box<dyn Query>> {
        let mut out: Vec<Box<dyn Query>> = Vec::new();
        let any = |qs: Vec<Box<dyn Query>>| -> Box<dyn Query> {
            if qs.len() == 1 {
                qs.into_iter().next().unwrap()
            } else {
                Box::new(BooleanQuery::new(qs.into_iter().map(|q| (Occur::Should, q)).collect()))
            }
        };
        let term = |t: Term| -> Box<dyn Query> { Box::new(TermQuery::new(t, IndexRecordOption::Basic)) };
        if !self.authorities.is_empty() {
            out.push(any(self.authorities.iter().map(|a| term(codec.authority_term(a))).collect()));
        }
        if !self.grades.is_empty() {
            out.push(any(self.grades.iter().map(|g| term(codec.grade_term(*g))).collect()));
        }
        if !self.types.is_empty() {
            out.push(any(self.types.iter().map(|t| term(codec.type_term(*t))).collect()));
        }
        if !self.sections.is_empty() {
            let mut qs: Vec<Box<dyn Query>> = Vec::new();
            for s in &self.sections {
                let mut terms = codec.section_terms(s);
                match terms.len() {
                    0 => {}
                    1 => qs.push(term(terms.remove(0))),
                    _ => qs.push(Box::new(PhraseQuery::new(terms))),
                }
            }
            if !qs.is_empty() {
                out.push(any(qs));
            }
        }
        // Boilerplate is left out unless asked for; all five kinds is no clause.
        let kinds: Vec<ParagraphKind> = if self.kinds.is_empty() {
            ParagraphKind::ALL.into_iter().filter(|k| *k != ParagraphKind::Boilerplate).collect()
        } else {
            self.kinds.clone()
        };
        if kinds.len() < ParagraphKind::ALL.len() {
            out.push(any(kinds.into_iter().map(|k| term(codec.paragraph_kind_term(k))).collect()));
        }
        if self.since.is_some() || self.until.is_some() {
            let lo = self.since.map_or(Bound::Unbounded, |d| Bound::Included(codec.date_term(d)));
            let hi = self.until.map_or(Bound::Unbounded, |d| Bound::Included(codec.date_term(d)));
            out.push(Box::new(RangeQuery::new(lo, hi)));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates() {
        assert_eq!(parse_date("2018", false, "--since"), Ok(20180101));
        assert_eq!(parse_date("2018", true, "--until"), Ok(20181231));
        assert_eq!(parse_date("2018-05", true, "--until"), Ok(20180531));
        assert_eq!(parse_date("2018-05-07", false, "--since"), Ok(20180507));
        assert!(parse_date("2018-13", false, "--since").is_err());
        assert!(parse_date("May 2018", false, "--since").is_err());
        assert!(parse_date("2020-02-30", false, "--since").is_err());
        assert_eq!(parse_date("2020-02-29", false, "--since"), Ok(20200229));
    }

    #[test]
    fn grades() {
        assert_eq!(parse_grade("requires-improvement"), Ok(3));
        assert_eq!(parse_grade("Inadequate"), Ok(4));
        assert!(parse_grade("5").is_err());
    }

    #[test]
    fn unknown_authority_suggests() {
        let raw = RawFilters { authority: vec!["Wakefeild".into()], ..Default::default() };
        let err = Filters::from_raw(&raw).unwrap_err();
        assert!(err.to_string().starts_with("unknown authority 'Wakefeild'; did you mean 'Wakefield'"), "{err}");
    }
}
