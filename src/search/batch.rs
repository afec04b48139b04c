//! Batch input: one query per line, plain text or a JSON object with an id,
//! the query, filters, a limit and hits per report.

use super::{Filters, RawFilters};
use serde::Deserialize;

/// One line of a batch, validated.
#[derive(Debug, Clone)]
pub struct BatchQuery {
    pub id: String,
    pub line: usize,
    pub query: String,
    /// The line's own filters; unset fields fall back to the command line's.
    pub filters: Filters,
    pub limit: Option<usize>,
    /// At most this many hits from one report.
    pub per_report: Option<usize>,
    /// How this line's hits are ranked, if it says.
    pub mode: Option<super::Mode>,
}

/// A string or a list of strings (`"authority": "Leeds"` or `["Leeds", "York"]`).
#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum OneOrMany {
    Many(Vec<serde_json::Value>),
    One(serde_json::Value),
}

impl OneOrMany {
    fn strings(self) -> Vec<String> {
        let text = |v: serde_json::Value| match v {
            serde_json::Value::String(s) => s,
            other => other.to_string(),
        };
        match self {
            OneOrMany::One(serde_json::Value::Null) => Vec::new(),
            OneOrMany::One(v) => vec![text(v)],
            OneOrMany::Many(vs) => vs.into_iter().map(text).collect(),
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct JsonLine {
    id: Option<serde_json::Value>,
    query: String,
    authority: Option<OneOrMany>,
    grade: Option<OneOrMany>,
    section: Option<OneOrMany>,
    #[serde(rename = "type")]
    report_type: Option<OneOrMany>,
    since: Option<String>,
    until: Option<String>,
    kind: Option<OneOrMany>,
    #[serde(default)]
    boilerplate: bool,
    region: Option<OneOrMany>,
    #[serde(rename = "neighbours-of")]
    neighbours_of: Option<OneOrMany>,
    #[serde(rename = "la-code")]
    la_code: Option<OneOrMany>,
    overall: Option<OneOrMany>,
    judged: Option<OneOrMany>,
    limit: Option<usize>,
    per_report: Option<usize>,
    mode: Option<super::Mode>,
}

/// What is wrong with a batch line, with the line's id when it has one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineError {
    pub id: Option<String>,
    pub message: String,
}

/// Parse one input line (1-based `line`). `Ok(None)` for a blank or comment
/// line; `Err` says what is wrong with it.
pub fn parse_line(text: &str, line: usize) -> Result<Option<BatchQuery>, LineError> {
    let t = text.trim();
    if t.is_empty() || t.starts_with('#') {
        return Ok(None);
    }
    if !t.starts_with(JSON_OBJECT) {
        return Ok(Some(BatchQuery {
            id: line.to_string(),
            line,
            query: t.to_string(),
            filters: Filters::default(),
            limit: None,
            per_report: None,
            mode: None,
        }));
    }
    let j: JsonLine = serde_json::from_str(t)
        .map_err(|e| LineError { id: None, message: format!("not a valid query object: {e}") })?;
    let id = match &j.id {
        None | Some(serde_json::Value::Null) => line.to_string(),
        Some(serde_json::Value::String(s)) => s.clone(),
        Some(other) => other.to_string(),
    };
    let (query, limit, per_report, mode) = (j.query.clone(), j.limit, j.per_report, j.mode);
    if per_report == Some(0) {
        return Err(LineError { id: Some(id), message: "\"per_report\" must be 1 or more".into() });
    }
    let filters =
        Filters::from_raw(&j.raw_filters()).map_err(|e| LineError { id: Some(id.clone()), message: e.to_string() })?;
    Ok(Some(BatchQuery { id, line, query, filters, limit, per_report, mode }))
}

/// What starts a line that is a query object rather than plain query text.
const JSON_OBJECT: char = '{';

impl JsonLine {
    /// The line's filters, as the command line would have them.
    fn raw_filters(self) -> RawFilters {
        let many = |v: Option<OneOrMany>| v.map(OneOrMany::strings).unwrap_or_default();
        RawFilters {
            authority: many(self.authority),
            grade: many(self.grade),
            section: many(self.section),
            report_type: many(self.report_type),
            since: self.since,
            until: self.until,
            kind: many(self.kind),
            boilerplate: self.boilerplate,
            region: many(self.region),
            neighbours_of: many(self.neighbours_of),
            la_code: many(self.la_code),
            overall: many(self.overall),
            judged: many(self.judged),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_and_json_lines() {
        let q = parse_line("unallocated cases", 3).unwrap().unwrap();
        assert_eq!((q.id.as_str(), q.query.as_str()), ("3", "unallocated cases"));
        let q =
            parse_line(r#"{"id": "q1", "query": "IRO", "authority": ["Leeds", "York"], "grade": 4, "limit": 5}"#, 1)
                .unwrap()
                .unwrap();
        assert_eq!(q.id, "q1");
        assert_eq!(q.filters.authorities, ["Leeds", "York"]);
        assert_eq!(q.filters.grades, [4]);
        assert_eq!(q.limit, Some(5));
        assert!(parse_line("   ", 2).unwrap().is_none());
        assert!(parse_line("# a comment", 2).unwrap().is_none());
    }

    /// A batch line takes the command line's filters, by the same names.
    #[test]
    fn a_batch_line_takes_every_filter() {
        use clap::Args;
        let mut cli: Vec<String> = RawFilters::augment_args(clap::Command::new("t"))
            .get_arguments()
            .filter_map(|a| a.get_long().map(str::to_string))
            .collect();
        // serde lists every key a line may have when it meets one it does not know.
        let err = parse_line(r#"{"query": "x", "?": 1}"#, 1).unwrap_err().message;
        let listed = err.split("expected one of ").nth(1).expect("serde lists the keys");
        let mut keys: Vec<String> = listed.split('`').skip(1).step_by(2).map(str::to_string).collect();
        keys.retain(|k| !["id", "query", "limit", "per_report", "mode"].contains(&k.as_str()));
        cli.sort();
        keys.sort();
        assert_eq!(keys, cli, "JsonLine and RawFilters name different filters");
    }

    #[test]
    fn bad_lines_say_why() {
        let err = |s: &str| parse_line(s, 1).unwrap_err();
        assert!(err(r#"{"query": "x""#).message.starts_with("not a valid query object"));
        let e = err(r#"{"id": "g", "query": "x", "authority": "Atlantis"}"#);
        assert_eq!(e.id.as_deref(), Some("g"));
        assert!(e.message.starts_with("unknown authority 'Atlantis'"));
        assert!(err(r#"{"query": "x", "since": "May"}"#).message.contains("cannot read the date 'May'"));
        assert!(err(r#"{"query": "x", "colour": "red"}"#).message.contains("unknown field `colour`"));
    }
}
