//! Reports into the index: open or create it, check its schema version, and
//! update it incrementally and safely. Nothing is visible until the single
//! commit at the end of a run, so a run that fails or is interrupted leaves
//! the last committed index as it was.

use crate::extract;
use crate::hash::fnv64;
use crate::report::{self, Report, ReportInfo, date_number};
use crate::schema::{self, Fields};
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;
use tantivy::collector::DocSetCollector;
use tantivy::query::TermQuery;
use tantivy::schema::{IndexRecordOption, Value};
use tantivy::{Index, IndexReader, IndexWriter, ReloadPolicy, TantivyDocument, Term};

/// The file beside tantivy's own that records which insp schema built the index.
pub const VERSION_FILE: &str = "insp-version.json";

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("no index at {0}; run `insp index` to build one")]
    Missing(PathBuf),
    #[error(
        "{0} is not an insp index ({1}); choose another --index directory, or delete this one and run `insp index`"
    )]
    NotAnIndex(PathBuf, String),
    #[error(
        "the index at {dir} was built by another version of insp (schema {found}, this insp needs {expected}); rebuild it with `insp index --rebuild`"
    )]
    SchemaMismatch { dir: PathBuf, found: String, expected: String },
    #[error("another insp is writing to the index at {0}; wait for it to finish and try again")]
    Locked(PathBuf),
    #[error("the index at {0} is damaged ({1}); rebuild it with `insp index --rebuild`")]
    Damaged(PathBuf, String),
    #[error(
        "cannot use the index at {0}: {1}; nothing in it was changed. Check the directory's permissions and free space, or choose another with --index"
    )]
    Access(PathBuf, String),
}

impl StoreError {
    /// A storage error from tantivy or the file system: a permission, a
    /// read-only or full disk (which a rebuild would not mend), else damage.
    pub fn from_storage(dir: &Path, error: &dyn std::fmt::Display) -> StoreError {
        let text = error.to_string();
        let lower = text.to_lowercase();
        let reason = if lower.contains("permission denied") || lower.contains("permissiondenied") {
            "permission denied"
        } else if lower.contains("read-only file system") || lower.contains("readonlyfilesystem") {
            "the file system is read-only"
        } else if lower.contains("no space left") || lower.contains("storagefull") {
            "the disk is full"
        } else if lower.contains("quota") {
            "the disk quota is used up"
        } else if lower.contains("too many open files") {
            "too many open files (raise the limit with `ulimit -n`)"
        } else if lower.contains("file too large") || lower.contains("filetoolarge") {
            "a file grew past the size this system allows (a full disk or a file size limit)"
        } else if lower.contains("index writer was killed") {
            // tantivy's indexing thread stopped on an I/O error it keeps to itself.
            "writing to it failed part way (a full disk, a file size limit or a permission problem)"
        } else {
            return StoreError::Damaged(dir.to_path_buf(), text);
        };
        StoreError::Access(dir.to_path_buf(), reason.to_string())
    }
}

/// An open index.
pub struct Store {
    pub dir: PathBuf,
    pub index: Index,
    pub fields: Fields,
}

impl Store {
    /// Is there an index (of any version) in `dir`?
    pub fn exists(dir: &Path) -> bool {
        dir.join("meta.json").exists()
    }

    pub fn open(dir: &Path) -> Result<Store, StoreError> {
        if !dir.exists() {
            return Err(StoreError::Missing(dir.to_path_buf()));
        }
        if !Self::exists(dir) {
            let empty = std::fs::read_dir(dir).map(|mut d| d.next().is_none()).unwrap_or(false);
            return Err(if empty {
                StoreError::Missing(dir.to_path_buf())
            } else {
                StoreError::NotAnIndex(dir.to_path_buf(), "it has no meta.json".into())
            });
        }
        let found = read_version(dir).map_err(|e| StoreError::NotAnIndex(dir.to_path_buf(), e))?;
        if found != schema::version() {
            return Err(StoreError::SchemaMismatch { dir: dir.to_path_buf(), found, expected: schema::version() });
        }
        let index = Index::open_in_dir(dir).map_err(|e| StoreError::from_storage(dir, &e))?;
        schema::register_analyzers(&index);
        let fields =
            Fields::from_schema(&index.schema()).map_err(|e| StoreError::Damaged(dir.to_path_buf(), e.to_string()))?;
        Ok(Store { dir: dir.to_path_buf(), index, fields })
    }

    /// A new, empty index in `dir` (which must be missing or empty).
    pub fn create(dir: &Path) -> anyhow::Result<Store> {
        use anyhow::Context;
        std::fs::create_dir_all(dir).with_context(|| format!("cannot create the index directory {}", dir.display()))?;
        let version = serde_json::json!({ "schema_version": schema::version(), "insp": env!("CARGO_PKG_VERSION") });
        std::fs::write(dir.join(VERSION_FILE), serde_json::to_vec_pretty(&version)?)
            .with_context(|| format!("cannot write to the index directory {}", dir.display()))?;
        let index = Index::create_in_dir(dir, schema::build_schema())
            .with_context(|| format!("cannot create an index in {}", dir.display()))?;
        schema::register_analyzers(&index);
        let fields = Fields::from_schema(&index.schema())?;
        Ok(Store { dir: dir.to_path_buf(), index, fields })
    }

    /// Is `dir` an index insp built (of any schema version)?
    pub fn is_insp(dir: &Path) -> bool {
        Self::exists(dir) && read_version(dir).is_ok()
    }

    /// Hold the writer lock of the index in `dir` (any schema version), if
    /// there is one there, until the returned value is dropped.
    pub fn lock(dir: &Path) -> Result<Option<IndexWriter>, StoreError> {
        if !Self::is_insp(dir) {
            return Ok(None);
        }
        let Ok(index) = Index::open_in_dir(dir) else { return Ok(None) };
        match index.writer_with_num_threads(1, 15_000_000) {
            Ok(w) => Ok(Some(w)),
            Err(tantivy::TantivyError::LockFailure(tantivy::directory::error::LockError::LockBusy, _)) => {
                Err(StoreError::Locked(dir.to_path_buf()))
            }
            Err(_) => Ok(None),
        }
    }

    /// A reader that sees the last commit; one-shot commands need no reloads.
    pub fn reader(&self) -> Result<IndexReader, StoreError> {
        self.index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()
            .map_err(|e: tantivy::TantivyError| StoreError::from_storage(&self.dir, &e))
    }

    fn writer(&self) -> Result<IndexWriter, StoreError> {
        self.index.writer(128_000_000).map_err(|e| match e {
            tantivy::TantivyError::LockFailure(tantivy::directory::error::LockError::LockBusy, _) => {
                StoreError::Locked(self.dir.clone())
            }
            other => StoreError::from_storage(&self.dir, &other),
        })
    }
}

fn read_version(dir: &Path) -> Result<String, String> {
    let bytes = std::fs::read(dir.join(VERSION_FILE)).map_err(|_| format!("it has no {VERSION_FILE}"))?;
    let v: serde_json::Value =
        serde_json::from_slice(&bytes).map_err(|e| format!("{VERSION_FILE} is unreadable: {e}"))?;
    v.get("schema_version")
        .and_then(|s| s.as_str())
        .map(str::to_string)
        .ok_or_else(|| format!("{VERSION_FILE} has no schema_version"))
}

/// One document to read: a file on disk or a report compiled into the binary.
pub enum Input {
    File(PathBuf),
    Bundled { source: String, text: &'static str },
}

impl Input {
    pub fn source(&self) -> String {
        match self {
            Input::File(p) => p.display().to_string(),
            Input::Bundled { source, .. } => source.clone(),
        }
    }
}

/// What happened to one input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    Indexed { report_id: String, n_paragraphs: usize, n_warnings: usize },
    Unchanged,
    Skipped { reason: String },
}

/// Progress events for a caller's progress bar.
pub enum Progress<'a> {
    Start { total: usize },
    Done { source: &'a str, outcome: &'a Outcome },
    Committing,
}

/// A paragraph as stored: with its position in the report, since the
/// writer's threads may spread one report's documents over segments.
#[derive(serde::Serialize, serde::Deserialize)]
pub struct StoredParagraph {
    #[serde(default)]
    pub pos: usize,
    #[serde(flatten)]
    pub paragraph: crate::report::Paragraph,
}

/// What a worker made of one input: nothing to do (unchanged), a report and
/// its content hash, or the reason it cannot be indexed.
type ReadResult = Result<Option<(Report, String)>, String>;

#[derive(Debug, Default)]
pub struct Summary {
    pub indexed: usize,
    pub unchanged: usize,
    pub removed: usize,
    pub skipped: Vec<(String, String)>,
    /// (report_id, warning)
    pub warnings: Vec<(String, String)>,
    pub n_paragraphs: usize,
}

struct Existing {
    report_id: String,
    hash: String,
}

fn existing_reports(store: &Store) -> anyhow::Result<HashMap<String, Existing>> {
    let reader = store.reader()?;
    let searcher = reader.searcher();
    let q = TermQuery::new(Term::from_field_text(store.fields.kind, "report"), IndexRecordOption::Basic);
    let mut out = HashMap::new();
    for addr in searcher.search(&q, &DocSetCollector)? {
        let doc: TantivyDocument = searcher.doc(addr)?;
        let get = |f| doc.get_first(f).and_then(|v| v.as_str()).unwrap_or("").to_string();
        out.insert(
            get(store.fields.source),
            Existing { report_id: get(store.fields.report_id), hash: get(store.fields.content_hash) },
        );
    }
    Ok(out)
}

/// Bring the index up to date with `inputs`. Reports whose source lies under
/// one of `roots` but is no longer among the inputs are removed. With
/// `rebuild`, every report is read again.
pub fn update(
    store: &Store,
    inputs: Vec<Input>,
    roots: &[String],
    rebuild: bool,
    progress: &mut dyn FnMut(Progress),
) -> anyhow::Result<Summary> {
    let existing = if rebuild { HashMap::new() } else { existing_reports(store)? };
    let mut writer = store.writer()?;
    if rebuild {
        writer.delete_all_documents()?;
    }
    // Exports are read first: the sources of their reports must be known
    // before anything is deleted. Every other input is read by the workers.
    let mut to_read: Vec<Option<Input>> = Vec::with_capacity(inputs.len());
    let mut ready: Vec<Option<(String, ReadResult)>> = Vec::with_capacity(inputs.len());
    for input in inputs {
        match &input {
            Input::File(path) if is_export(path) => match read_export(path) {
                Ok(reports) => {
                    for (report, hash) in reports {
                        let unchanged = existing.get(&report.source).is_some_and(|e| e.hash == hash);
                        let src = report.source.clone();
                        to_read.push(None);
                        ready.push(Some((src, if unchanged { Ok(None) } else { Ok(Some((report, hash))) })));
                    }
                }
                Err(e) => {
                    ready.push(Some((input.source(), Err(e))));
                    to_read.push(None);
                }
            },
            _ => {
                ready.push(None);
                to_read.push(Some(input));
            }
        }
    }
    let n_jobs = to_read.len();
    progress(Progress::Start { total: n_jobs });
    let seen: HashSet<String> = to_read
        .iter()
        .zip(&ready)
        .map(|(input, done)| match (input, done) {
            (Some(input), _) => input.source(),
            (None, Some((source, _))) => source.clone(),
            (None, None) => unreachable!("every job is either to read or read"),
        })
        .collect();
    let mut taken: HashSet<String> = existing
        .iter()
        .filter(|(src, _)| seen.contains(*src) || !under_roots(src, roots))
        .map(|(_, e)| e.report_id.clone())
        .collect();
    let mut summary = Summary::default();
    // Files gone from an indexed folder are deleted first: a delete applies
    // only to documents added before it, so a new report may then reuse the
    // freed id (a renamed file keeps its id).
    for (source, old) in &existing {
        if !seen.contains(source) && under_roots(source, roots) {
            writer.delete_term(Term::from_field_text(store.fields.report_id, &old.report_id));
            summary.removed += 1;
        }
    }

    // Read, extract and parse on every core while this thread feeds the
    // index writer, in input order, so that clashing report ids get the same
    // suffixes every run. The bounded channel keeps the readers from running
    // far ahead of the writer (memory stays flat however many files).
    let n_workers = std::thread::available_parallelism().map_or(2, |n| n.get()).min(n_jobs.max(1));
    let next = AtomicUsize::new(0);
    // Readers stay within WINDOW inputs of the last one written, so that one
    // slow file does not pile every later report up in memory.
    let window = n_workers * 8;
    let written = AtomicUsize::new(0);
    let stop = std::sync::atomic::AtomicBool::new(false);
    let (tx, rx) = mpsc::sync_channel::<(usize, String, ReadResult)>(n_workers * 4);
    std::thread::scope(|scope| -> anyhow::Result<()> {
        for _ in 0..n_workers {
            let tx = tx.clone();
            let (next, to_read, existing, written, stop) = (&next, &to_read, &existing, &written, &stop);
            scope.spawn(move || {
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    if i >= to_read.len() {
                        break;
                    }
                    let Some(input) = &to_read[i] else { continue };
                    while i >= written.load(Ordering::Acquire) + window {
                        if stop.load(Ordering::Acquire) {
                            return;
                        }
                        std::thread::sleep(std::time::Duration::from_millis(1));
                    }
                    let source = input.source();
                    let result =
                        std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| read_one(input, &source, existing)))
                            .unwrap_or_else(|_| Err("the reader crashed on this file (please report it)".to_string()));
                    if tx.send((i, source, result)).is_err() {
                        break;
                    }
                }
            });
        }
        drop(tx);
        // Owned here, so that an early return (a write that failed) drops it
        // and the readers' sends fail instead of waiting for ever; the guard
        // also releases readers waiting for the window to move.
        let rx = rx;
        struct Release<'a>(&'a std::sync::atomic::AtomicBool);
        impl Drop for Release<'_> {
            fn drop(&mut self) {
                self.0.store(true, Ordering::Release);
            }
        }
        let _release = Release(&stop);
        let mut pending: std::collections::BTreeMap<usize, (String, ReadResult)> = Default::default();
        for (out, done) in ready.iter_mut().enumerate() {
            let (source, result) = match done.take() {
                Some(r) => r,
                None => loop {
                    if let Some(r) = pending.remove(&out) {
                        break r;
                    }
                    let (i, source, result) =
                        rx.recv().map_err(|_| anyhow::anyhow!("a reader thread stopped before its file was read"))?;
                    pending.insert(i, (source, result));
                },
            };
            let outcome = match &result {
                Ok(None) => Outcome::Unchanged,
                Ok(Some((r, _))) => Outcome::Indexed {
                    report_id: r.report_id.clone(),
                    n_paragraphs: r.paragraphs.len(),
                    n_warnings: r.warnings.len(),
                },
                Err(reason) => Outcome::Skipped { reason: reason.clone() },
            };
            progress(Progress::Done { source: &source, outcome: &outcome });
            written.store(out + 1, Ordering::Release);
            match result {
                Ok(None) => summary.unchanged += 1,
                Err(reason) => {
                    // A file that can no longer be read keeps its last good report.
                    summary.skipped.push((source, reason));
                }
                Ok(Some((mut report, hash))) => {
                    if let Some(old) = existing.get(&source) {
                        writer.delete_term(Term::from_field_text(store.fields.report_id, &old.report_id));
                        taken.remove(&old.report_id);
                    }
                    report.report_id = unique_id(&report.report_id, &mut taken);
                    summary.indexed += 1;
                    summary.n_paragraphs += report.paragraphs.len();
                    for w in &report.warnings {
                        summary.warnings.push((report.report_id.clone(), w.clone()));
                    }
                    add_report(store, &writer, &report, &hash)?;
                }
            }
        }
        Ok(())
    })?;
    if summary.indexed == 0 && summary.removed == 0 && !rebuild {
        // Nothing changed: leave the last commit exactly as it was.
        writer.rollback()?;
        return Ok(summary);
    }
    progress(Progress::Committing);
    writer.commit().map_err(|e| StoreError::from_storage(&store.dir, &e))?;
    writer.wait_merging_threads()?;
    Ok(summary)
}

fn under_roots(source: &str, roots: &[String]) -> bool {
    roots.iter().any(|r| source == r || source.starts_with(&format!("{}/", r.trim_end_matches('/'))))
}

fn unique_id(id: &str, taken: &mut HashSet<String>) -> String {
    let mut candidate = id.to_string();
    let mut n = 2;
    while taken.contains(&candidate) {
        candidate = format!("{id}-{n}");
        n += 1;
    }
    taken.insert(candidate.clone());
    candidate
}

/// Read one input: Ok(None) when unchanged, Ok(Some) with the parsed report
/// and its content hash, Err with a reason when it cannot be indexed.
fn read_one(
    input: &Input,
    source: &str,
    existing: &HashMap<String, Existing>,
) -> Result<Option<(Report, String)>, String> {
    let (bytes, path): (std::borrow::Cow<[u8]>, PathBuf) = match input {
        Input::File(p) => (std::fs::read(p).map_err(|e| format!("cannot read it: {e}"))?.into(), p.clone()),
        Input::Bundled { source, text } => (str::as_bytes(text).into(), PathBuf::from(source)),
    };
    let hash = format!("{:016x}", fnv64(&bytes));
    if existing.get(source).is_some_and(|e| e.hash == hash) {
        return Ok(None);
    }
    let text = extract::text_of(&path, &bytes).map_err(|e| e.to_string())?;
    let report = report::parse(&text, source);
    if report.paragraphs.is_empty() {
        return Err("no report paragraphs found in it".to_string());
    }
    let unrecognised = report.report_type == crate::report::ReportType::Other
        && report.authority.is_none()
        && report.inspection_start.is_none()
        && report.published.is_none();
    if unrecognised {
        return Err("does not look like an inspection report (no title, authority or dates found)".to_string());
    }
    Ok(Some((report, hash)))
}

/// Is this file an `insp export` (NDJSON of documents)?
pub fn is_export(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("ndjson") || e.eq_ignore_ascii_case("jsonl"))
}

/// The reports of an `insp export` file, each with its own source and
/// content hash, as they were indexed.
pub fn read_export(path: &Path) -> Result<Vec<(Report, String)>, String> {
    use std::io::BufRead;
    // Line by line: an export can be larger than the memory it would take whole.
    let file = std::fs::File::open(path).map_err(|e| format!("cannot read it: {e}"))?;
    let mut infos: Vec<(ReportInfo, String)> = Vec::new();
    let mut paragraphs: HashMap<String, Vec<StoredParagraph>> = HashMap::new();
    for (i, line) in std::io::BufReader::new(file).lines().enumerate() {
        let line = line.map_err(|e| format!("line {}: cannot read it: {e}", i + 1))?;
        if line.trim().is_empty() {
            continue;
        }
        let doc: FieldMap =
            serde_json::from_str(&line).map_err(|e| format!("line {}: not an insp export line: {e}", i + 1))?;
        let field = |name: &str| doc.get(name).and_then(|v| v.as_str()).unwrap_or_default();
        let data = field("data");
        match field("kind") {
            "report" => {
                let info: ReportInfo = serde_json::from_str(data).map_err(|e| format!("line {}: {e}", i + 1))?;
                infos.push((info, field("content_hash").to_string()));
            }
            "paragraph" => {
                let p: StoredParagraph = serde_json::from_str(data).map_err(|e| format!("line {}: {e}", i + 1))?;
                paragraphs.entry(field("report_id").to_string()).or_default().push(p);
            }
            other => return Err(format!("line {}: unknown document kind {other:?}", i + 1)),
        }
    }
    if infos.is_empty() {
        return Err("no reports in it (is it an `insp export`?)".to_string());
    }
    Ok(infos
        .into_iter()
        .map(|(info, hash)| {
            let mut ps = paragraphs.remove(&info.report_id).unwrap_or_default();
            ps.sort_by_key(|p| p.pos);
            (Report::from_parts(info, ps.into_iter().map(|p| p.paragraph).collect()), hash)
        })
        .collect())
}

/// A document as field name -> value(s), exactly as `index_schema/fields.tsv`
/// names them: what is indexed, and what `insp export` writes.
pub type FieldMap = serde_json::Map<String, serde_json::Value>;

/// The documents of one report: its own, then one per paragraph.
pub fn documents(report: &Report, hash: &str) -> Vec<FieldMap> {
    use serde_json::{Value, json};
    let rid = &report.report_id;
    let mut common = FieldMap::new();
    common.insert("report_id".into(), json!(rid));
    if let Some(a) = &report.authority {
        common.insert("authority".into(), json!(a.to_lowercase()));
    }
    common.insert("type".into(), json!(report.report_type.as_str()));
    if let Some(d) = report.date().and_then(date_number) {
        common.insert("date".into(), json!(d));
    }
    let mut out = Vec::with_capacity(report.paragraphs.len() + 1);
    let mut doc = common.clone();
    doc.insert("kind".into(), json!("report"));
    doc.insert("id".into(), json!(rid));
    doc.insert("source".into(), json!(report.source));
    doc.insert("content_hash".into(), json!(hash));
    doc.insert("data".into(), Value::String(serde_json::to_string(&ReportInfo::of(report)).unwrap_or_default()));
    out.push(doc);
    for (pos, p) in report.paragraphs.iter().enumerate() {
        let mut doc = common.clone();
        doc.insert("kind".into(), json!("paragraph"));
        doc.insert("id".into(), json!(format!("{rid}#{}", p.para)));
        doc.insert("text".into(), json!(p.text));
        doc.insert("section".into(), json!(p.section));
        if let Some(heading) = p.section.last() {
            doc.insert("heading".into(), json!(heading));
        }
        if let Some(g) = p.grade {
            doc.insert("grade".into(), json!(g));
        }
        doc.insert("para".into(), json!(p.para));
        let stored = StoredParagraph { pos, paragraph: p.clone() };
        doc.insert("data".into(), Value::String(serde_json::to_string(&stored).unwrap_or_default()));
        out.push(doc);
    }
    out
}

/// A field map as a tantivy document of this schema.
fn to_tantivy(schema: &tantivy::schema::Schema, map: &FieldMap) -> anyhow::Result<TantivyDocument> {
    let mut doc = TantivyDocument::default();
    for (name, value) in map {
        let field = schema.get_field(name)?;
        let values = match value {
            serde_json::Value::Array(vs) => vs.iter().collect::<Vec<_>>(),
            other => vec![other],
        };
        for v in values {
            match v {
                serde_json::Value::String(s) => doc.add_text(field, s),
                serde_json::Value::Number(n) => doc.add_u64(field, n.as_u64().unwrap_or(0)),
                _ => {}
            }
        }
    }
    Ok(doc)
}

fn add_report(store: &Store, writer: &IndexWriter, report: &Report, hash: &str) -> anyhow::Result<()> {
    let schema = store.index.schema();
    for map in documents(report, hash) {
        // Fails when an indexing thread has stopped (a disk error while it wrote a segment).
        writer.add_document(to_tantivy(&schema, &map)?).map_err(|e| StoreError::from_storage(&store.dir, &e))?;
    }
    Ok(())
}
