//! `--format csv`: a header row, then one row per hit, paragraph, report,
//! bucket or line (the tables of `table.rs`); fields quoted only where they
//! must be.

use super::table::{Table, TableSink};
use std::io::{self, Write};

pub struct Csv;

fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) { format!("\"{}\"", s.replace('"', "\"\"")) } else { s.to_string() }
}

fn row(w: &mut dyn Write, fields: &[String]) -> io::Result<()> {
    let line: Vec<String> = fields.iter().map(|f| csv_field(f)).collect();
    writeln!(w, "{}", line.join(","))
}

impl TableSink for Csv {
    fn write(&self, w: &mut dyn Write, table: &Table) -> io::Result<()> {
        row(w, &table.header)?;
        for r in &table.rows {
            row(w, r)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_are_quoted_only_where_they_must_be() {
        let mut out = Vec::new();
        row(&mut out, &["plain".into(), "a, b".into(), "say \"no\"".into(), "two\nlines".into()]).unwrap();
        assert_eq!(String::from_utf8(out).unwrap(), "plain,\"a, b\",\"say \"\"no\"\"\",\"two\nlines\"\n");
    }
}
