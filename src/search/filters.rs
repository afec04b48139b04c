//! Facet filters: validated once from what the user typed, then turned into
//! tantivy clauses.

use crate::index::Codec;
use crate::report::{ParagraphKind, ReportType};
use crate::vocab::VOCAB;
use std::ops::Bound;
use tantivy::Term;
use tantivy::query::{BooleanQuery, Occur, PhraseQuery, Query, RangeQuery, TermQuery};
use tantivy::schema::IndexRecordOption;

// Filters as typed on the command line or in a batch line, declared once:
// the command line's options are these fields (their doc comments are the
// `--help` text), and a batch line's keys are held to them by a test. (Not
// a doc comment: clap would make it the about of every command that
// flattens the filters in, since their arguments are built deferred.)
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
    /// Only councils of this region (repeatable; any case): London, South
    /// East, South West, East of England, East Midlands, West Midlands,
    /// North West, North East, Yorkshire and the Humber.
    #[arg(long, value_name = "NAME")]
    pub region: Vec<String>,
    /// Only this authority and its DfE statistical neighbours (repeatable).
    #[arg(long, value_name = "NAME")]
    pub neighbours_of: Vec<String>,
    /// Only the council with this DfE LA code (repeatable), e.g. 384.
    #[arg(long, value_name = "N")]
    pub la_code: Vec<String>,
    /// Only reports whose overall effectiveness had this grade (repeatable),
    /// e.g. inadequate: every paragraph of such a report, whatever its section.
    #[arg(long, value_name = "G")]
    pub overall: Vec<String>,
    /// Only reports with this judgement at this grade, KEY=GRADE (repeatable;
    /// the same key repeated means either grade, different keys mean both):
    /// overall, leaders, help_and_protection, in_care, adoption,
    /// care_leavers, lscb, capacity, lac_overall, ... e.g. care_leavers=inadequate.
    #[arg(long, value_name = "KEY=GRADE")]
    pub judged: Vec<String>,
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
    /// Region names as the lookup table spells them.
    pub regions: Vec<String>,
    /// Canonical authority names whose statistical neighbours are wanted too.
    pub neighbours_of: Vec<String>,
    pub la_codes: Vec<u16>,
    /// Report-level judgements (canonical key, grade), sorted.
    pub judged: Vec<(String, u8)>,
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
    #[error("unknown region '{0}'; use one of {1}")]
    Region(String, String),
    #[error("no council has the DfE LA code '{0}'; LA codes are three digits, e.g. 384 for Wakefield")]
    LaCode(String),
    #[error("'{0}' has no statistical neighbours in the lookup table (a trust: use the council it serves)")]
    NoNeighbours(String),
    #[error("cannot read --judged '{0}'; use KEY=GRADE, e.g. care_leavers=inadequate")]
    Judged(String),
    #[error("unknown judgement key '{0}'; use one of {1}")]
    JudgementKey(String, String),
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

/// The canonical name of an authority typed in any spelling.
fn authority(name: &str) -> Result<String, FilterError> {
    VOCAB.authorities.lookup(name).map(str::to_string).ok_or_else(|| {
        let suggestions = VOCAB.authorities.nearest(name, 3).into_iter().map(str::to_string).collect();
        FilterError::UnknownAuthority { name: name.to_string(), suggestions }
    })
}

/// `care_leavers=inadequate` as (canonical key, grade).
pub fn parse_judged(s: &str) -> Result<(String, u8), FilterError> {
    let (key, grade) = s.split_once('=').ok_or_else(|| FilterError::Judged(s.to_string()))?;
    let key = key.trim().to_lowercase().replace(['-', ' '], "_");
    let keys = VOCAB.judgement_keys();
    if !keys.contains(&key.as_str()) {
        let main: Vec<&str> = keys.iter().copied().filter(|k| !k.starts_with("lac_")).collect();
        return Err(FilterError::JudgementKey(key, format!("{} (and lac_ forms in SLAC reports)", main.join(", "))));
    }
    Ok((key, parse_grade(grade)?))
}

impl Filters {
    pub fn from_raw(raw: &RawFilters) -> Result<Filters, FilterError> {
        let mut f = Filters::default();
        for a in &raw.authority {
            f.authorities.push(authority(a)?);
        }
        f.set_councils(raw)?;
        for g in &raw.overall {
            f.judged.push(("overall".to_string(), parse_grade(g)?));
        }
        for j in &raw.judged {
            f.judged.push(parse_judged(j)?);
        }
        f.judged.sort();
        f.judged.dedup();
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

    /// `--region`, `--neighbours-of`, `--la-code`, checked against the
    /// lookup table of councils.
    fn set_councils(&mut self, raw: &RawFilters) -> Result<(), FilterError> {
        let councils = &VOCAB.authorities;
        for r in &raw.region {
            let regions = councils.regions();
            let found = regions.iter().find(|known| known.eq_ignore_ascii_case(r.trim()));
            let found = found.ok_or_else(|| FilterError::Region(r.clone(), regions.join(", ")))?;
            self.regions.push(found.to_string());
        }
        for a in &raw.neighbours_of {
            let name = authority(a)?;
            if councils.council(&name).is_none() {
                return Err(FilterError::NoNeighbours(name));
            }
            self.neighbours_of.push(name);
        }
        for c in &raw.la_code {
            let code = c.trim().parse::<u16>().ok().filter(|&n| councils.by_la_code(n).is_some());
            self.la_codes.push(code.ok_or_else(|| FilterError::LaCode(c.clone()))?);
        }
        Ok(())
    }

    /// The authorities each council filter allows (one list per filter
    /// set: an authority must be in every list).
    fn council_sets(&self) -> Vec<Vec<String>> {
        let councils = &VOCAB.authorities;
        let mut sets = Vec::new();
        if !self.regions.is_empty() {
            sets.push(self.regions.iter().flat_map(|r| councils.in_region(r)).map(str::to_string).collect());
        }
        if !self.neighbours_of.is_empty() {
            let mut set = Vec::new();
            for a in &self.neighbours_of {
                set.push(a.clone());
                let neighbours = councils.council(a).map(|c| c.neighbours.clone()).unwrap_or_default();
                set.extend(neighbours.into_iter().filter_map(|n| councils.by_la_code(n)).map(str::to_string));
            }
            sets.push(set);
        }
        if !self.la_codes.is_empty() {
            sets.push(self.la_codes.iter().filter_map(|&n| councils.by_la_code(n)).map(str::to_string).collect());
        }
        sets
    }

    /// Does a report's own judgements pass `--overall` and `--judged`?
    pub fn judged_ok(&self, judgements: &[crate::report::Judgement]) -> bool {
        self.judged_groups()
            .iter()
            .all(|(key, grades)| judgements.iter().any(|j| j.key == *key && grades.contains(&j.grade)))
    }

    /// `--judged` by key: any of a key's grades, every key.
    fn judged_groups(&self) -> Vec<(String, Vec<u8>)> {
        let mut groups: Vec<(String, Vec<u8>)> = Vec::new();
        for (key, grade) in &self.judged {
            match groups.iter_mut().find(|(k, _)| k == key) {
                Some((_, grades)) => grades.push(*grade),
                None => groups.push((key.clone(), vec![*grade])),
            }
        }
        groups
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
            regions: if other.regions.is_empty() { self.regions.clone() } else { other.regions.clone() },
            neighbours_of: if other.neighbours_of.is_empty() {
                self.neighbours_of.clone()
            } else {
                other.neighbours_of.clone()
            },
            la_codes: if other.la_codes.is_empty() { self.la_codes.clone() } else { other.la_codes.clone() },
            judged: if other.judged.is_empty() { self.judged.clone() } else { other.judged.clone() },
        }
    }

    /// One clause per filter that is set: each must match, but for the
    /// one kind left out (boilerplate, by default), which must not. A query
    /// built of these must keep to paragraph documents by another clause
    /// (its words, or the document kind).
    pub fn queries(&self, codec: &Codec) -> Vec<(Occur, Box<dyn Query>)> {
        let mut out: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        let any = |qs: Vec<Box<dyn Query>>| -> Box<dyn Query> {
            if qs.len() == 1 {
                qs.into_iter().next().unwrap()
            } else {
                Box::new(BooleanQuery::new(qs.into_iter().map(|q| (Occur::Should, q)).collect()))
            }
        };
        let term = |t: Term| -> Box<dyn Query> { Box::new(TermQuery::new(t, IndexRecordOption::Basic)) };
        if !self.authorities.is_empty() {
            out.push((Occur::Must, any(self.authorities.iter().map(|a| term(codec.authority_term(a))).collect())));
        }
        for set in self.council_sets() {
            // An empty set (a region with no council indexed) matches nothing.
            out.push((Occur::Must, any(set.iter().map(|a| term(codec.authority_term(a))).collect())));
        }
        for (key, grades) in self.judged_groups() {
            out.push((Occur::Must, any(grades.iter().map(|g| term(codec.judged_term(&key, *g))).collect())));
        }
        if !self.grades.is_empty() {
            out.push((Occur::Must, any(self.grades.iter().map(|g| term(codec.grade_term(*g))).collect())));
        }
        if !self.types.is_empty() {
            out.push((Occur::Must, any(self.types.iter().map(|t| term(codec.type_term(*t))).collect())));
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
                out.push((Occur::Must, any(qs)));
            }
        }
        // Boilerplate is left out unless asked for; all five kinds is no clause.
        let kinds: Vec<ParagraphKind> = if self.kinds.is_empty() {
            ParagraphKind::ALL.into_iter().filter(|k| *k != ParagraphKind::Boilerplate).collect()
        } else {
            self.kinds.clone()
        };
        if kinds.len() + 1 == ParagraphKind::ALL.len() {
            // Every kind but one (boilerplate, by default): paragraphs less
            // that kind, far cheaper to intersect than a union of four.
            // A clause of the query itself, not a nested one: tantivy
            // walks a nested "paragraphs less boilerplate" whole (every
            // paragraph of the index) for each search. The query must hold
            // a clause that keeps to paragraphs (its words, or the kind).
            let left_out = ParagraphKind::ALL.into_iter().find(|k| !kinds.contains(k)).expect("one kind left out");
            out.push((Occur::MustNot, term(codec.paragraph_kind_term(left_out))));
        } else if kinds.len() < ParagraphKind::ALL.len() {
            out.push((Occur::Must, any(kinds.into_iter().map(|k| term(codec.paragraph_kind_term(k))).collect())));
        }
        if self.since.is_some() || self.until.is_some() {
            let lo = self.since.map_or(Bound::Unbounded, |d| Bound::Included(codec.date_term(d)));
            let hi = self.until.map_or(Bound::Unbounded, |d| Bound::Included(codec.date_term(d)));
            out.push((Occur::Must, Box::new(RangeQuery::new(lo, hi))));
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
