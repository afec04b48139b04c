//! Reports into tantivy documents and back: the only code that names the
//! index's fields and its two kinds of document.
//!
//! A report is stored as one `report` document (its metadata and judgements
//! as JSON in `data`, with its source and content hash) and one `paragraph`
//! document per paragraph. Both carry `report_id`, so a changed report is
//! replaced by deleting one term. Adding a field: declare it in
//! `index_schema/fields.tsv`, add it to [`Fields`], and write it in
//! [`Codec::encode`] (and read it back in a decoder if it is stored).

use crate::index::schema::plain_analyzer;
use crate::report::{Paragraph, ParagraphKind, Report, ReportInfo, ReportType, date_number};
use serde_json::{Value, json};
use tantivy::query::{BooleanQuery, Occur, Query, TermQuery};
use tantivy::schema::{Field, IndexRecordOption, Schema, Value as _};
use tantivy::{TantivyDocument, Term};

/// The fields the code uses, as tantivy handles.
#[derive(Debug, Clone, Copy)]
pub struct Fields {
    pub kind: Field,
    pub id: Field,
    pub report_id: Field,
    pub source: Field,
    pub content_hash: Field,
    pub text: Field,
    pub text_pairs: Field,
    pub section: Field,
    pub heading: Field,
    pub authority: Field,
    pub report_type: Field,
    pub grade: Field,
    pub date: Field,
    pub para: Field,
    pub paragraph_kind: Field,
    pub judgement: Field,
    pub judged: Field,
    pub n_words: Field,
    pub data: Field,
}

/// The names `Fields` looks up; a test holds this list to the declarations.
pub const USED_FIELDS: [&str; 19] = [
    "kind",
    "id",
    "report_id",
    "source",
    "content_hash",
    "text",
    "text_pairs",
    "section",
    "heading",
    "authority",
    "type",
    "grade",
    "date",
    "para",
    "paragraph_kind",
    "judgement",
    "judged",
    "n_words",
    "data",
];

impl Fields {
    /// Fails when the schema lacks one of the fields.
    pub fn from_schema(schema: &Schema) -> tantivy::Result<Fields> {
        let f = |name: &str| schema.get_field(name);
        Ok(Fields {
            kind: f("kind")?,
            id: f("id")?,
            report_id: f("report_id")?,
            source: f("source")?,
            content_hash: f("content_hash")?,
            text: f("text")?,
            text_pairs: f("text_pairs")?,
            section: f("section")?,
            heading: f("heading")?,
            authority: f("authority")?,
            report_type: f("type")?,
            grade: f("grade")?,
            date: f("date")?,
            para: f("para")?,
            paragraph_kind: f("paragraph_kind")?,
            judgement: f("judgement")?,
            judged: f("judged")?,
            n_words: f("n_words")?,
            data: f("data")?,
        })
    }
}

/// The value of the `judged` field for a judgement: `overall=4`.
fn judged_value(key: &str, grade: u8) -> String {
    format!("{key}={grade}")
}

/// The two kinds of document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Report,
    Paragraph,
}

impl Kind {
    fn as_str(self) -> &'static str {
        match self {
            Kind::Report => "report",
            Kind::Paragraph => "paragraph",
        }
    }
}

/// A paragraph as stored: with its position in the report, since the
/// writer's threads may spread one report's documents over segments.
#[derive(serde::Serialize, serde::Deserialize)]
pub struct StoredParagraph {
    #[serde(default)]
    pub pos: usize,
    #[serde(flatten)]
    pub paragraph: Paragraph,
}

/// A document as field name -> value(s): the format of `insp export`.
pub type FieldMap = serde_json::Map<String, Value>;

/// A stored document that does not read back as the codec wrote it.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct DecodeError(pub String);

/// One document of an `insp export` file, decoded.
pub enum ExportDoc {
    Report { info: ReportInfo, content_hash: String },
    Paragraph { report_id: String, paragraph: StoredParagraph },
}

/// Where `encode` writes a document's values: a tantivy document, or an
/// export's field map.
trait Sink {
    fn text(&mut self, field: Field, value: &str);
    /// A value the index derives from another field's (the export leaves
    /// it out: whoever reads the export derives it again).
    fn derived(&mut self, field: Field, value: &str);
    fn texts(&mut self, field: Field, values: &[String]);
    fn number(&mut self, field: Field, value: u64);
}

impl Sink for TantivyDocument {
    fn text(&mut self, field: Field, value: &str) {
        self.add_text(field, value);
    }
    fn derived(&mut self, field: Field, value: &str) {
        self.add_text(field, value);
    }
    fn texts(&mut self, field: Field, values: &[String]) {
        for v in values {
            self.add_text(field, v);
        }
    }
    fn number(&mut self, field: Field, value: u64) {
        self.add_u64(field, value);
    }
}

struct JsonSink<'a> {
    schema: &'a Schema,
    map: FieldMap,
}

impl Sink for JsonSink<'_> {
    fn text(&mut self, field: Field, value: &str) {
        self.map.insert(self.schema.get_field_name(field).to_string(), json!(value));
    }
    fn derived(&mut self, _field: Field, _value: &str) {}
    fn texts(&mut self, field: Field, values: &[String]) {
        self.map.insert(self.schema.get_field_name(field).to_string(), json!(values));
    }
    fn number(&mut self, field: Field, value: u64) {
        self.map.insert(self.schema.get_field_name(field).to_string(), json!(value));
    }
}

/// The codec of one index's schema.
#[derive(Clone)]
pub struct Codec {
    pub fields: Fields,
    schema: Schema,
}

impl Codec {
    pub fn new(schema: &Schema) -> tantivy::Result<Codec> {
        Ok(Codec { fields: Fields::from_schema(schema)?, schema: schema.clone() })
    }

    /// The documents of one report: its own, then one per paragraph.
    pub fn documents(&self, report: &Report, hash: &str) -> Vec<TantivyDocument> {
        self.encode(report, hash, TantivyDocument::default)
    }

    /// The same documents as `insp export` writes them.
    pub fn export_documents(&self, report: &Report, hash: &str) -> Vec<FieldMap> {
        let sinks = self.encode(report, hash, || JsonSink { schema: &self.schema, map: FieldMap::new() });
        sinks.into_iter().map(|s| s.map).collect()
    }

    fn encode<S: Sink>(&self, report: &Report, hash: &str, new: impl Fn() -> S) -> Vec<S> {
        let f = &self.fields;
        let rid = &report.report_id;
        let judged: Vec<String> = report.judgements.iter().map(|j| judged_value(&j.key, j.grade)).collect();
        let common = |doc: &mut S| {
            doc.text(f.report_id, rid);
            if let Some(a) = &report.authority {
                doc.text(f.authority, &authority_key(a));
            }
            doc.text(f.report_type, report.report_type.as_str());
            if let Some(d) = report.date().and_then(date_number) {
                doc.number(f.date, d);
            }
            doc.texts(f.judged, &judged);
        };
        let mut out = Vec::with_capacity(report.paragraphs.len() + 1);
        let mut doc = new();
        common(&mut doc);
        doc.text(f.kind, Kind::Report.as_str());
        doc.text(f.id, rid);
        doc.text(f.source, &report.source);
        doc.text(f.content_hash, hash);
        doc.text(f.data, &serde_json::to_string(&ReportInfo::of(report)).unwrap_or_default());
        out.push(doc);
        for (pos, p) in report.paragraphs.iter().enumerate() {
            let mut doc = new();
            common(&mut doc);
            doc.text(f.kind, Kind::Paragraph.as_str());
            doc.text(f.id, &format!("{rid}#{}", p.para));
            doc.text(f.text, &p.text);
            doc.derived(f.text_pairs, &p.text);
            doc.texts(f.section, &p.section);
            if let Some(heading) = p.section.last() {
                doc.text(f.heading, heading);
            }
            if let Some(g) = p.grade {
                doc.number(f.grade, u64::from(g));
            }
            doc.number(f.para, u64::from(p.para));
            doc.text(f.paragraph_kind, p.kind.as_str());
            doc.number(f.n_words, p.text.split_whitespace().count() as u64);
            if let Some(key) = &p.judgement {
                doc.text(f.judgement, key);
            }
            let stored = StoredParagraph { pos, paragraph: p.clone() };
            doc.text(f.data, &serde_json::to_string(&stored).unwrap_or_default());
            out.push(doc);
        }
        out
    }

    fn stored_str<'d>(&self, doc: &'d TantivyDocument, field: Field) -> Option<&'d str> {
        doc.get_first(field).and_then(|v| v.as_str())
    }

    /// A report document's metadata.
    pub fn report_info(&self, doc: &TantivyDocument) -> Result<ReportInfo, DecodeError> {
        let data = self.stored_str(doc, self.fields.data).ok_or_else(|| DecodeError("a report without data".into()))?;
        ReportInfo::from_json(data).map_err(|e| DecodeError(e.to_string()))
    }

    /// A paragraph document's paragraph, with its position in the report.
    pub fn paragraph(&self, doc: &TantivyDocument) -> Result<StoredParagraph, DecodeError> {
        let data =
            self.stored_str(doc, self.fields.data).ok_or_else(|| DecodeError("a paragraph without data".into()))?;
        serde_json::from_str(data).map_err(|e| DecodeError(e.to_string()))
    }

    /// The report a document belongs to ("" if it says none).
    pub fn report_id(&self, doc: &TantivyDocument) -> String {
        self.stored_str(doc, self.fields.report_id).unwrap_or_default().to_string()
    }

    /// A report document's source and content hash ("" where missing).
    pub fn source_and_hash(&self, doc: &TantivyDocument) -> (String, String) {
        let get = |f| self.stored_str(doc, f).unwrap_or_default().to_string();
        (get(self.fields.source), get(self.fields.content_hash))
    }

    /// One line of an `insp export` file.
    pub fn export_doc(&self, doc: &FieldMap) -> Result<ExportDoc, String> {
        let field = |f: Field| doc.get(self.schema.get_field_name(f)).and_then(|v| v.as_str()).unwrap_or_default();
        let data = field(self.fields.data);
        match field(self.fields.kind) {
            "report" => Ok(ExportDoc::Report {
                info: serde_json::from_str(data).map_err(|e| e.to_string())?,
                content_hash: field(self.fields.content_hash).to_string(),
            }),
            "paragraph" => Ok(ExportDoc::Paragraph {
                report_id: field(self.fields.report_id).to_string(),
                paragraph: serde_json::from_str(data).map_err(|e| e.to_string())?,
            }),
            other => Err(format!("unknown document kind {other:?}")),
        }
    }

    /// Every document of a kind.
    pub fn kind_query(&self, kind: Kind) -> Box<dyn Query> {
        Box::new(TermQuery::new(Term::from_field_text(self.fields.kind, kind.as_str()), IndexRecordOption::Basic))
    }

    /// The documents of a kind of one report.
    pub fn report_query(&self, kind: Kind, report_id: &str) -> BooleanQuery {
        let id = TermQuery::new(Term::from_field_text(self.fields.report_id, report_id), IndexRecordOption::Basic);
        BooleanQuery::new(vec![(Occur::Must, self.kind_query(kind)), (Occur::Must, Box::new(id))])
    }

    /// A report's own document (its `id` is the report id; a paragraph's
    /// is `report_id#para`).
    pub fn report_doc_term(&self, report_id: &str) -> Term {
        Term::from_field_text(self.fields.id, report_id)
    }

    /// Every document of one report, for deleting it.
    pub fn report_term(&self, report_id: &str) -> Term {
        Term::from_field_text(self.fields.report_id, report_id)
    }

    /// A paragraph's word, as the analyzer made it.
    pub fn text_term(&self, token: &str) -> Term {
        Term::from_field_text(self.fields.text, token)
    }

    /// Two adjacent words of a paragraph, as the analyzer made them.
    pub fn pair_term(&self, first: &str, second: &str) -> Term {
        Term::from_field_text(self.fields.text_pairs, &crate::index::schema::pair(first, second))
    }

    pub fn authority_term(&self, canonical_name: &str) -> Term {
        Term::from_field_text(self.fields.authority, &authority_key(canonical_name))
    }

    /// A report-level judgement (`overall=4`), on a report and its paragraphs.
    pub fn judged_term(&self, key: &str, grade: u8) -> Term {
        Term::from_field_text(self.fields.judged, &judged_value(key, grade))
    }

    pub fn type_term(&self, t: ReportType) -> Term {
        Term::from_field_text(self.fields.report_type, t.as_str())
    }

    pub fn paragraph_kind_term(&self, kind: ParagraphKind) -> Term {
        Term::from_field_text(self.fields.paragraph_kind, kind.as_str())
    }

    pub fn grade_term(&self, grade: u8) -> Term {
        Term::from_field_u64(self.fields.grade, u64::from(grade))
    }

    /// A YYYYMMDD date.
    pub fn date_term(&self, date: u64) -> Term {
        Term::from_field_u64(self.fields.date, date)
    }

    /// The words of a section filter, as the section field's analyzer makes them.
    pub fn section_terms(&self, words: &str) -> Vec<Term> {
        let mut analyzer = plain_analyzer();
        let mut stream = analyzer.token_stream(words);
        let mut terms = Vec::new();
        while let Some(t) = stream.next() {
            terms.push(Term::from_field_text(self.fields.section, &t.text));
        }
        terms
    }

    /// The column (fast field) a facet counts.
    pub fn column(&self, field: Field) -> &str {
        self.schema.get_field_name(field)
    }
}

/// An authority as indexed: its canonical name in lower case.
fn authority_key(name: &str) -> String {
    name.to_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::index::schema::{EN, PAIRS, PLAIN, build_schema, declarations};

    #[test]
    fn code_and_declarations_agree() {
        let mut declared: Vec<String> = declarations().into_iter().map(|d| d.name).collect();
        let mut used: Vec<String> = USED_FIELDS.iter().map(|s| s.to_string()).collect();
        declared.sort();
        used.sort();
        assert_eq!(declared, used, "src/index/codec.rs and index_schema/fields.tsv name different fields");
        Fields::from_schema(&build_schema()).expect("every used field is in the schema");
        for d in declarations() {
            if d.kind == "text" || d.kind == "pairs" {
                let t = d.tokenizer.as_deref().unwrap();
                assert!(
                    t == EN || t == PLAIN || (t == PAIRS && d.kind == "pairs"),
                    "field {} names tokenizer {t}, which the code does not register",
                    d.name
                );
            }
        }
    }

    /// The export's documents are the indexed ones, field for field, and
    /// read back as the report they came from.
    #[test]
    fn a_report_round_trips_through_the_export_format() {
        let codec = Codec::new(&build_schema()).unwrap();
        let (source, text) = crate::corpus::BUNDLED[0];
        let report = crate::report::parse(text, source);
        let maps = codec.export_documents(&report, "abc");
        let docs = codec.documents(&report, "abc");
        assert_eq!(maps.len(), report.paragraphs.len() + 1);
        assert_eq!(docs.len(), maps.len());
        assert_eq!(maps[0]["kind"], "report");
        assert_eq!(maps[1]["kind"], "paragraph");
        assert_eq!(codec.source_and_hash(&docs[0]), (source.to_string(), "abc".to_string()));
        let ExportDoc::Report { info, content_hash } = codec.export_doc(&maps[0]).unwrap() else {
            panic!("the first document is the report's")
        };
        assert_eq!((info, content_hash), (ReportInfo::of(&report), "abc".to_string()));
        let ExportDoc::Paragraph { report_id, paragraph } = codec.export_doc(&maps[2]).unwrap() else {
            panic!("then its paragraphs")
        };
        assert_eq!((report_id.as_str(), paragraph.pos), (report.report_id.as_str(), 1));
        assert_eq!(paragraph.paragraph, report.paragraphs[1]);
        assert_eq!(codec.paragraph(&docs[2]).unwrap().paragraph, report.paragraphs[1]);
        assert_eq!(codec.report_info(&docs[0]).unwrap(), ReportInfo::of(&report));
    }
}
