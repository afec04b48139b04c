//! The "Record of main findings" table (and tables like it): each row a
//! judgement and its grade. The body is the truth; where the table disagrees
//! with it, a warning says so. Judgements the body does not grade come from
//! the table, placed by the body's own sections where the table's group
//! headers are wrong.

use super::Judgement;
use super::grade::Grade;
use crate::vocab::{VOCAB, normalise_heading};
use regex::Regex;
use std::sync::LazyLock;

#[cfg(test)]
mod tests {
    use super::summary_sentence;

    #[test]
    fn summary_verdicts() {
        let g = |s: &str| summary_sentence(s).and_then(|r| r.grade).map(|g| (g.number, g.label));
        assert_eq!(g("The overall judgement is good"), Some((2, "good".into())));
        assert_eq!(
            g("The overall judgement is that children’s services require improvement"),
            Some((3, "requires improvement".into()))
        );
        assert_eq!(
            g("Children’s services in London Borough of Lambeth require improvement to be good"),
            Some((3, "requires improvement to be good".into()))
        );
        assert_eq!(g("Children’s services in Kirklees are inadequate"), Some((4, "inadequate".into())));
        assert_eq!(
            g("The effectiveness of the Local Safeguarding Children Board (LSCB) requires improvement"),
            Some((3, "requires improvement".into()))
        );
        assert_eq!(g("Children’s services in Kirklees are improving quickly"), None);
    }
}

#[derive(Debug, Clone)]
pub struct RecordRow {
    pub name: String,
    /// None for a group header row ("Safeguarding services" with no grade).
    pub grade: Option<Grade>,
}

/// A table row that is a judgement and a grade, or a known group header.
pub fn row(cells: &[String]) -> Option<RecordRow> {
    let name = cells.first()?.trim().trim_end_matches(':');
    if name.is_empty() {
        return None;
    }
    let rest: Vec<&String> = cells[1..].iter().filter(|c| !c.is_empty()).collect();
    match rest.as_slice() {
        [] => VOCAB.section(name).map(|_| RecordRow { name: name.to_string(), grade: None }),
        [label] => Grade::from_label(label).map(|g| RecordRow { name: name.to_string(), grade: Some(g) }),
        _ => None,
    }
}

static SUMMARY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(?:the overall judgement is(?: that [\w’' ]+? (?:is|are|requires?))?|children['’]s services in [\w ,&'’-]+? (?:are|is|requires?))\s+(outstanding|good|inadequate|(?:requires? )?improvement(?: to be good)?)\s*\.?$").unwrap()
});
static LSCB: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^the effectiveness of the (?:[\w’' -]{2,40} )?(?:safeguarding children board|lscb)\b.*?\s(?:is\s+)?(outstanding|good|inadequate|requires improvement)\s*\.?$").unwrap()
});

/// A summary verdict in a sentence of its own: "The overall judgement is
/// good", "Children’s services in Kirklees are inadequate", "The
/// effectiveness of the LSCB requires improvement".
pub fn summary_sentence(text: &str) -> Option<RecordRow> {
    let text = text.trim();
    if text.len() > 160 {
        return None;
    }
    if let Some(c) = SUMMARY.captures(text) {
        let label = if c[1].to_lowercase().starts_with("improvement") {
            format!("requires {}", &c[1])
        } else {
            c[1].to_string()
        };
        return Grade::from_label(&label)
            .map(|g| RecordRow { name: "Overall effectiveness".to_string(), grade: Some(g) });
    }
    if let Some(c) = LSCB.captures(text) {
        return Grade::from_label(&c[1]).map(|g| RecordRow {
            name: "The effectiveness of the Local Safeguarding Children Board".to_string(),
            grade: Some(g),
        });
    }
    None
}

/// Two wordings of one judgement: the SIF table's "Children who need help and
/// protection" is the body's "The experiences and progress of children who
/// need help and protection"; "The graded judgement about the experience and
/// progress of care leavers" is "Experiences and progress of care leavers".
fn same(a: &str, b: &str) -> bool {
    judgement_key(a) == judgement_key(b)
        || super::judgement::key_from_words(a).is_some_and(|k| Some(k) == super::judgement::key_from_words(b))
}

fn judgement_key(name: &str) -> String {
    let mut k = normalise_heading(name);
    for prefix in ["the graded judgement about ", "the graded judgment about ", "the "] {
        if let Some(rest) = k.strip_prefix(prefix) {
            k = rest.to_string();
        }
    }
    for prefix in ["experiences and progress of ", "experience and progress of "] {
        if let Some(rest) = k.strip_prefix(prefix) {
            k = rest.to_string();
        }
    }
    k
}

/// The body's judgements with the table's rows reconciled into them: the
/// judgements the body does not grade added from the table, and warnings
/// where the two disagree.
pub fn reconcile(body: Vec<Judgement>, rows: &[RecordRow], family: &str) -> (Vec<Judgement>, Vec<String>) {
    let mut r = Reconciler {
        family,
        used: vec![false; body.len()],
        out: body,
        warnings: Vec::new(),
        last_match: None,
        insert_at: 0,
        group_part: None,
        group_part_fresh: false,
        group_inner: None,
        current_part: None,
    };
    for row in rows {
        r.read(row);
    }
    (r.out, r.warnings)
}

/// The walk down the table's rows beside the body's judgements.
struct Reconciler<'a> {
    family: &'a str,
    out: Vec<Judgement>,
    warnings: Vec<String>,
    /// Which judgements of `out` a row has matched.
    used: Vec<bool>,
    last_match: Option<usize>,
    /// Where in `out` the next table-only judgement goes.
    insert_at: usize,
    /// The table's last group header for a part ("Safeguarding services"),
    /// fresh until a row under it matches the body.
    group_part: Option<String>,
    group_part_fresh: bool,
    /// The table's last group header inside a part.
    group_inner: Option<String>,
    /// The body's part of the judgement last matched.
    current_part: Option<String>,
}

impl Reconciler<'_> {
    fn read(&mut self, row: &RecordRow) {
        let level = VOCAB.section_in(&row.name, self.family).map(|s| s.level);
        let Some(grade) = &row.grade else {
            if level.unwrap_or(1) <= 1 {
                self.group_part = Some(row.name.clone());
                self.group_part_fresh = true;
                self.group_inner = None;
            } else {
                self.group_inner = Some(row.name.clone());
            }
            return;
        };
        if level == Some(2) {
            self.group_inner = None;
        }
        let from = self.last_match.map_or(0, |m| m + 1);
        let n = self.out.len();
        let found =
            (from..n).chain(0..from.min(n)).find(|&j| !self.used[j] && same(&out_body_name(&self.out, j), &row.name));
        match found {
            Some(j) => self.matched(j, &row.name, grade),
            None => self.table_only(&row.name, grade, level),
        }
    }

    /// A row the body's judgement `j` states: the body's grade and place
    /// are kept, with a warning where the table differs.
    fn matched(&mut self, j: usize, name: &str, grade: &Grade) {
        self.used[j] = true;
        self.last_match = Some(j);
        let body_j = &self.out[j];
        if body_j.grade != grade.number {
            self.warnings.push(format!(
                "the record of main findings grades '{}' {} ({}); the body says {} ({}), which is kept",
                name, grade.number, grade.label, body_j.grade, body_j.grade_label
            ));
        }
        let body_part = body_j.section.first().cloned();
        if self.group_part_fresh
            && let (Some(gp), Some(bp)) = (&self.group_part, &body_part)
            && !same(gp, bp)
        {
            self.warnings.push(format!(
                "the record of main findings puts '{}' under '{}'; the body has it under '{}'",
                name, gp, bp
            ));
        }
        self.group_part_fresh = false;
        self.group_inner = if body_j.section.len() >= 3 { body_j.section.get(1).cloned() } else { None };
        self.current_part = body_part;
        self.insert_at = self.insert_at.max(j + 1);
    }

    /// A row the body does not grade: a judgement of its own, placed after
    /// the last one matched, in the body's part where the table's group
    /// headers are wrong.
    fn table_only(&mut self, name: &str, grade: &Grade, level: Option<u8>) {
        let section = self.section_of(name, level);
        // The same verdict stated twice in one part (a summary and the
        // body's box): once is enough.
        let part_of = |j: &Judgement| j.section[..j.section.len().saturating_sub(1)].to_vec();
        let this_part = section[..section.len() - 1].to_vec();
        if let Some(j) = self.out.iter().find(|j| same(&j.judgement, name) && part_of(j) == this_part) {
            if j.grade != grade.number {
                self.warnings
                    .push(format!("'{}' is graded {} in one place and {} in another", name, j.grade, grade.number));
            }
            return;
        }
        let prefix = section
            .first()
            .and_then(|p| VOCAB.section_in(p, self.family))
            .and_then(|s| s.key)
            .filter(|k| k.ends_with('_'))
            .unwrap_or("");
        let j = Judgement {
            key: super::judgement_key(name, self.family, prefix),
            judgement: name.to_lowercase(),
            section,
            grade: grade.number,
            grade_label: grade.label.clone(),
        };
        let at = self.insert_at.min(self.out.len());
        self.out.insert(at, j);
        // Indices of body judgements after `at` move up by one.
        shift(&mut self.used, &mut self.last_match, at);
        self.insert_at = at + 1;
    }

    /// The section path of a table-only judgement.
    fn section_of(&self, name: &str, level: Option<u8>) -> Vec<String> {
        let part = if self.group_part_fresh {
            self.group_part.clone()
        } else {
            self.current_part.clone().or(self.group_part.clone())
        };
        // A top-level judgement (ILACS "Overall effectiveness") belongs to no part.
        let part = if level == Some(1) { None } else { part };
        let mut section: Vec<String> = part.into_iter().collect();
        if level != Some(2)
            && let Some(g) = &self.group_inner
        {
            section.push(g.clone());
        }
        section.push(name.to_string());
        section
    }
}

fn out_body_name(out: &[Judgement], j: usize) -> String {
    out[j].section.last().cloned().unwrap_or_else(|| out[j].judgement.clone())
}

/// Keep `used` and `last_match` aligned with `out` after an insertion at `at`.
fn shift(used: &mut Vec<bool>, last_match: &mut Option<usize>, at: usize) {
    used.insert(at.min(used.len()), true);
    if let Some(m) = last_match
        && *m >= at
    {
        *m += 1;
    }
}
