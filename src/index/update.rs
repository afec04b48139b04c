//! Applying an update: read, extract and parse the inputs on every core,
//! write their documents in input order, delete what the plan removes, and
//! commit once. Nothing is visible until that commit, so a run that fails or
//! is interrupted leaves the last committed index as it was.

use super::codec::Kind;
use super::export::{is_export, read_export};
use super::plan::{Existing, Plan};
use super::store::Store;
use super::vectors::{Meta, ReportVectors, Vectors};
use crate::embed::Model;
use crate::extract;
use crate::hash::fnv64;
use crate::report::{self, Report};
use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Condvar, Mutex, mpsc};
use tantivy::IndexWriter;
use tantivy::TantivyDocument;

/// One document to read: a file on disk or a report compiled into the binary.
pub enum Input {
    /// A file named on the command line: always indexed when it has text.
    File(PathBuf),
    /// A file found by walking a folder: indexed when it reads as a report.
    Found(PathBuf),
    Bundled {
        source: String,
        text: &'static str,
    },
}

impl Input {
    pub fn source(&self) -> String {
        match self {
            Input::File(p) | Input::Found(p) => p.display().to_string(),
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

#[derive(Debug, Default)]
pub struct Summary {
    pub indexed: usize,
    pub unchanged: usize,
    pub removed: usize,
    pub skipped: Vec<(String, String)>,
    /// (report_id, warning)
    pub warnings: Vec<(String, String)>,
    pub n_paragraphs: usize,
    /// Paragraphs embedded in this run, and the model that embedded them.
    pub embedded: usize,
    pub model: Option<String>,
}

/// A report read and parsed, with its content hash and, when a model is
/// given, its paragraphs' vectors.
pub struct Parsed {
    report: Report,
    hash: String,
    vectors: Option<ReportVectors>,
}

#[derive(Debug, thiserror::Error)]
pub enum EmbedError {
    #[error(
        "the index at {dir} holds paragraph vectors made by {index_model} (weights sha256 {index_sha}), and the model given is {given_model} (sha256 {given_sha}); vectors of two models cannot be mixed: give the same model, or rebuild with `insp index --rebuild --model PATH`"
    )]
    Mixed { dir: PathBuf, index_model: String, index_sha: String, given_model: String, given_sha: String },
    #[error(
        "the index at {dir} holds paragraph vectors made by {model}; updating it needs that model: give --model PATH (or INSP_MODEL)"
    )]
    NoModel { dir: PathBuf, model: String },
}

/// What a reader made of one input: nothing to do (unchanged), a report and
/// its content hash, or the reason it cannot be indexed.
type ReadResult = Result<Option<Parsed>, String>;

/// One input in the order of writing: still to be read by a worker, or
/// already read (the reports of an export).
enum Job {
    Read(Input),
    Done(Box<Read>),
}

/// An input's source and what reading it gave.
type Read = (String, ReadResult);

impl Job {
    fn source(&self) -> String {
        match self {
            Job::Read(input) => input.source(),
            Job::Done(done) => done.0.clone(),
        }
    }
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
    update_embedding(store, inputs, roots, rebuild, None, progress)
}

/// The index's vectors to keep in step with this update, checked against
/// `model`: none without a model, an empty set on a rebuild or a first
/// embedding; mixing two models is refused.
fn vectors_to_update(store: &Store, rebuild: bool, model: Option<&Model>) -> anyhow::Result<Option<Vectors>> {
    let old = if rebuild { None } else { Vectors::load(&store.dir)? };
    let Some(model) = model else {
        return match old {
            Some(v) => Err(EmbedError::NoModel { dir: store.dir.clone(), model: v.meta.model.name }.into()),
            None => Ok(None),
        };
    };
    if let Some(v) = &old
        && v.meta.model.sha256 != model.id.sha256
    {
        return Err(EmbedError::Mixed {
            dir: store.dir.clone(),
            index_model: v.meta.model.name.clone(),
            index_sha: v.meta.model.sha256.clone(),
            given_model: model.id.name.clone(),
            given_sha: model.id.sha256.clone(),
        }
        .into());
    }
    let meta = Meta { model: model.id.clone(), model_path: model.path.clone(), paragraphs: 0 };
    Ok(Some(match old {
        Some(v) => Vectors { meta, ..v },
        None => Vectors::new(meta),
    }))
}

/// `update`, embedding the paragraphs of new and changed reports with
/// `model` (on the reading threads) and keeping the vectors beside the
/// index in step: removed and replaced reports lose theirs. Reports indexed
/// before the index had vectors are read again, to be embedded.
pub fn update_embedding(
    store: &Store,
    inputs: Vec<Input>,
    roots: &[String],
    rebuild: bool,
    model: Option<&Model>,
    progress: &mut dyn FnMut(Progress),
) -> anyhow::Result<Summary> {
    let mut vectors = vectors_to_update(store, rebuild, model)?;
    let mut existing = if rebuild { HashMap::new() } else { existing_reports(store)? };
    if let Some(v) = &vectors {
        // Unchanged reports without vectors are read again (a forgotten hash).
        existing.values_mut().filter(|e| !v.reports.contains_key(&e.report_id)).for_each(|e| e.hash.clear());
    }
    let mut writer = store.writer(reading_dominates(&inputs, model))?;
    if rebuild {
        writer.delete_all_documents()?;
    }
    let jobs = jobs(inputs, &existing);
    progress(Progress::Start { total: jobs.len() });
    let sources: HashSet<String> = jobs.iter().map(Job::source).collect();
    let mut plan = Plan::new(existing.clone(), &sources, roots);
    let mut summary = Summary { model: model.map(|m| m.id.name.clone()), ..Summary::default() };
    // Files gone from an indexed folder are deleted first: a delete applies
    // only to documents added before it, so a new report may then reuse the
    // freed id (a renamed file keeps its id).
    for report_id in &plan.remove {
        writer.delete_term(store.codec.report_term(report_id));
        if let Some(v) = &mut vectors {
            v.reports.remove(report_id);
        }
        summary.removed += 1;
    }
    let mut apply = |source: String, result: ReadResult| -> anyhow::Result<()> {
        progress(Progress::Done { source: &source, outcome: &outcome(&result) });
        let mut out = Written { plan: &mut plan, summary: &mut summary, vectors: vectors.as_mut() };
        write_one(store, &writer, &mut out, model, source, result)
    };
    read_in_order(jobs, &existing, model, &mut apply)?;
    if summary.indexed == 0 && summary.removed == 0 && !rebuild {
        // Nothing changed: leave the last commit exactly as it was.
        writer.rollback()?;
        return Ok(summary);
    }
    progress(Progress::Committing);
    writer.commit().map_err(|e| store.storage_error(&e))?;
    merge_segments(store, &mut writer)?;
    writer.wait_merging_threads()?;
    if let Some(v) = &mut vectors {
        v.save(&store.dir)?;
    }
    store.share()?;
    Ok(summary)
}

/// Whether reading the inputs, not indexing them, will keep the cores
/// busy: most are PDFs (extraction is most of their cost), or paragraphs
/// are embedded as they are read. Then one indexing thread keeps up, and
/// its one segment needs no merge at the end (83 dev PDFs: 1.62 -> 1.43 s,
/// alternated); text is indexed a thread a core (one thread: 1.24x slower).
fn reading_dominates(inputs: &[Input], model: Option<&Model>) -> bool {
    let pdf = |i: &Input| matches!(i, Input::File(p) | Input::Found(p) if extract::is_pdf(p));
    model.is_some() || inputs.iter().filter(|i| pdf(i)).count() * 2 > inputs.len()
}

/// Merge the committed segments into one, as a search engine's "force
/// merge" does for an index that is mostly read: a query then sets up its
/// scorers and reads its dictionaries once, not once per segment (15 to 27%
/// fewer instructions for a one-off search at 1000x; the merge itself reads
/// no text and took 2 s of the 15 s build). The commit above stands if it is
/// interrupted.
fn merge_segments(store: &Store, writer: &mut IndexWriter) -> anyhow::Result<()> {
    let ids = store.index.searchable_segment_ids().map_err(|e| store.storage_error(&e))?;
    if ids.len() > 1 {
        writer.merge(&ids).wait().map_err(|e| store.storage_error(&e))?;
    }
    Ok(())
}

/// The inputs in order of writing. Exports are read here: the sources of
/// their reports must be known before anything is deleted.
fn jobs(inputs: Vec<Input>, existing: &HashMap<String, Existing>) -> Vec<Job> {
    let mut jobs = Vec::with_capacity(inputs.len());
    for input in inputs {
        match &input {
            Input::File(path) | Input::Found(path) if is_export(path) => match read_export(path) {
                Ok(reports) => {
                    for (report, hash) in reports {
                        let unchanged = existing.get(&report.source).is_some_and(|e| e.hash == hash);
                        let source = report.source.clone();
                        let parsed = Parsed { report, hash, vectors: None };
                        jobs.push(Job::Done(Box::new((source, Ok((!unchanged).then_some(parsed))))));
                    }
                }
                Err(e) => jobs.push(Job::Done(Box::new((input.source(), Err(e))))),
            },
            _ => jobs.push(Job::Read(input)),
        }
    }
    jobs
}

fn outcome(result: &ReadResult) -> Outcome {
    match result {
        Ok(None) => Outcome::Unchanged,
        Ok(Some(Parsed { report: r, .. })) => Outcome::Indexed {
            report_id: r.report_id.clone(),
            n_paragraphs: r.paragraphs.len(),
            n_warnings: r.warnings.len(),
        },
        Err(reason) => Outcome::Skipped { reason: reason.clone() },
    }
}

/// What writing changes besides the index: the plan, the summary and the vectors.
struct Written<'a> {
    plan: &'a mut Plan,
    summary: &'a mut Summary,
    vectors: Option<&'a mut Vectors>,
}

/// Add one read input's report to the writer (replacing its old report, and
/// its vectors), or count it as unchanged or skipped. A file that can no
/// longer be read keeps its last good report.
fn write_one(
    store: &Store,
    writer: &IndexWriter,
    out: &mut Written,
    model: Option<&Model>,
    source: String,
    result: ReadResult,
) -> anyhow::Result<()> {
    let Written { plan, summary, vectors } = out;
    match result {
        Ok(None) => summary.unchanged += 1,
        Err(reason) => summary.skipped.push((source, reason)),
        Ok(Some(Parsed { mut report, hash, vectors: embedded })) => {
            if let Some(old) = plan.replace(&source) {
                writer.delete_term(store.codec.report_term(&old));
                if let Some(v) = vectors.as_deref_mut() {
                    v.reports.remove(&old);
                }
            }
            report.report_id = plan.claim_id(&report.report_id);
            if let (Some(v), Some(model)) = (vectors.as_deref_mut(), model) {
                let rows = embedded.unwrap_or_else(|| embed_report(model, &report));
                summary.embedded += rows.paras.len();
                v.reports.insert(report.report_id.clone(), rows);
            }
            summary.indexed += 1;
            summary.n_paragraphs += report.paragraphs.len();
            for w in &report.warnings {
                summary.warnings.push((report.report_id.clone(), w.clone()));
            }
            for doc in store.codec.documents(&report, &hash) {
                // Fails when an indexing thread has stopped (a disk error while it wrote a segment).
                writer.add_document(doc).map_err(|e| store.storage_error(&e))?;
            }
        }
    }
    Ok(())
}

/// How far readers may run ahead of the writer: they stay within this many
/// inputs of the last one written (per reader), so that one slow file does
/// not pile every later report up in memory.
const WINDOW_PER_READER: usize = 8;
/// Read results waiting in the channel, per reader.
const CHANNEL_PER_READER: usize = 4;

/// Read, extract and parse on every core while this thread hands each result
/// to `apply` in input order, so that clashing report ids get the same
/// suffixes every run. The bounded channel and the window keep the readers
/// from running far ahead of the writer (memory stays flat however many files).
fn read_in_order(
    jobs: Vec<Job>,
    existing: &HashMap<String, Existing>,
    model: Option<&Model>,
    apply: &mut dyn FnMut(String, ReadResult) -> anyhow::Result<()>,
) -> anyhow::Result<()> {
    let n_to_read = jobs.iter().filter(|j| matches!(j, Job::Read(_))).count();
    let n_readers = std::thread::available_parallelism().map_or(2, |n| n.get()).min(jobs.len().max(1));
    let (to_read, mut done): (Vec<Option<Input>>, Vec<Option<Box<Read>>>) = jobs
        .into_iter()
        .map(|job| match job {
            Job::Read(input) => (Some(input), None),
            Job::Done(done) => (None, Some(done)),
        })
        .unzip();
    let next = AtomicUsize::new(0);
    let window = Window::new(n_readers * WINDOW_PER_READER);
    let (tx, rx) = mpsc::sync_channel::<(usize, String, ReadResult)>(n_readers * CHANNEL_PER_READER);
    std::thread::scope(|scope| -> anyhow::Result<()> {
        for _ in 0..n_readers.min(n_to_read) {
            let tx = tx.clone();
            let (next, to_read, window) = (&next, &to_read, &window);
            scope.spawn(move || reader(next, to_read, (existing, model), window, tx));
        }
        drop(tx);
        // Owned here, so that an early return (a write that failed) drops it
        // and the readers' sends fail instead of waiting for ever; the guard
        // also releases readers waiting for the window to move.
        let rx = rx;
        let _release = Release(&window);
        let mut pending: BTreeMap<usize, (String, ReadResult)> = BTreeMap::new();
        for (i, slot) in done.iter_mut().enumerate() {
            let (source, result) = match slot.take() {
                Some(r) => *r,
                None => loop {
                    if let Some(r) = pending.remove(&i) {
                        break r;
                    }
                    let (j, source, result) =
                        rx.recv().map_err(|_| anyhow::anyhow!("a reader thread stopped before its file was read"))?;
                    pending.insert(j, (source, result));
                },
            };
            window.written(i + 1);
            apply(source, result)?;
        }
        Ok(())
    })
}

/// One reader thread: take the next input to read, wait until it is within
/// the window, read it and send the result.
fn reader(
    next: &AtomicUsize,
    to_read: &[Option<Input>],
    (existing, model): (&HashMap<String, Existing>, Option<&Model>),
    window: &Window,
    tx: mpsc::SyncSender<(usize, String, ReadResult)>,
) {
    loop {
        let i = next.fetch_add(1, Ordering::Relaxed);
        if i >= to_read.len() {
            break;
        }
        let Some(input) = &to_read[i] else { continue };
        if !window.wait_for(i) {
            return;
        }
        let source = input.source();
        let result =
            std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| read_one(input, &source, existing, model)))
                .unwrap_or_else(|_| Err("the reader crashed on this file (please report it)".to_string()));
        if tx.send((i, source, result)).is_err() {
            break;
        }
    }
}

/// How many inputs have been written, for readers to wait on; or stopped.
struct Window {
    size: usize,
    state: Mutex<(usize, bool)>,
    moved: Condvar,
}

impl Window {
    fn new(size: usize) -> Window {
        Window { size, state: Mutex::new((0, false)), moved: Condvar::new() }
    }

    fn written(&self, n: usize) {
        crate::locked(&self.state).0 = n;
        self.moved.notify_all();
    }

    fn stop(&self) {
        crate::locked(&self.state).1 = true;
        self.moved.notify_all();
    }

    /// Wait until input `i` is within the window: true, or false once stopped.
    fn wait_for(&self, i: usize) -> bool {
        let mut state = crate::locked(&self.state);
        while i >= state.0 + self.size && !state.1 {
            state = self.moved.wait(state).unwrap_or_else(|e| e.into_inner());
        }
        !state.1
    }
}

/// Stops the window when the writer's loop ends, however it ends.
struct Release<'a>(&'a Window);

impl Drop for Release<'_> {
    fn drop(&mut self) {
        self.0.stop();
    }
}

/// The index's reports by source, with their ids and content hashes.
fn existing_reports(store: &Store) -> anyhow::Result<HashMap<String, Existing>> {
    let reader = store.reader()?;
    let searcher = reader.searcher();
    let mut out = HashMap::new();
    for addr in super::store::in_store_order(&searcher, &*store.codec.kind_query(Kind::Report))? {
        let doc: TantivyDocument = searcher.doc(addr)?;
        let (source, hash) = store.codec.source_and_hash(&doc);
        out.insert(source, Existing { report_id: store.codec.report_id(&doc), hash });
    }
    Ok(out)
}

/// Each paragraph's vector, in paragraph-number order.
fn embed_report(model: &Model, report: &Report) -> ReportVectors {
    let mut paras: Vec<(u32, &str)> = report.paragraphs.iter().map(|p| (p.para, p.text.as_str())).collect();
    paras.sort_by_key(|p| p.0);
    let mut out = ReportVectors { paras: Vec::with_capacity(paras.len()), rows: Vec::new() };
    for (para, text) in paras {
        out.paras.push(para);
        out.rows.extend(model.embed(text));
    }
    out
}

/// Read one input: Ok(None) when unchanged, Ok(Some) with the parsed report,
/// its content hash and (with a model) its vectors, Err with a reason when
/// it cannot be indexed.
fn read_one(input: &Input, source: &str, existing: &HashMap<String, Existing>, model: Option<&Model>) -> ReadResult {
    let (bytes, path): (std::borrow::Cow<[u8]>, PathBuf) = match input {
        Input::File(p) | Input::Found(p) => {
            (std::fs::read(p).map_err(|e| format!("cannot read it: {e}"))?.into(), p.clone())
        }
        Input::Bundled { source, text } => (str::as_bytes(text).into(), PathBuf::from(source)),
    };
    let hash = format!("{:016x}", fnv64(&bytes));
    if existing.get(source).is_some_and(|e| e.hash == hash) {
        return Ok(None);
    }
    let text = extract::text_of(&path, &bytes).map_err(|e| e.to_string())?;
    let mut report = report::parse(&text, source);
    if report.paragraphs.is_empty() {
        return Err("no report paragraphs found in it".to_string());
    }
    // A report names its authority or has a title (a README beside the
    // reports has neither). Found by walking a folder, such a file is
    // skipped; named on the command line, it is indexed as `other`.
    if report.authority.is_none() && report.title.is_none() {
        if matches!(input, Input::Found(_)) {
            return Err(
                "does not look like an inspection report (no title or authority found); name the file itself to index it anyway"
                    .to_string(),
            );
        }
        report.report_type = crate::report::ReportType::Other;
        report.report_id = report::make_report_id(None, report.published.as_deref(), report.report_type);
        report.warnings.push(
            "not recognised as an inspection report (no title or authority found); indexed as 'other'".to_string(),
        );
    }
    let vectors = model.map(|m| embed_report(m, &report));
    Ok(Some(Parsed { report, hash, vectors }))
}

#[cfg(test)]
mod tests {
    use super::{Input, reading_dominates};

    /// Mostly PDFs: one indexing thread; text, or as many of each: one a core.
    #[test]
    fn pdfs_are_indexed_on_one_thread() {
        let found = |name: &str| Input::Found(name.into());
        assert!(reading_dominates(&[found("a.pdf"), found("b.PDF"), found("c.txt")], None));
        assert!(!reading_dominates(&[found("a.pdf"), found("b.txt")], None));
        assert!(!reading_dominates(&[found("a.txt"), found("b.md"), found("c.pdf.txt")], None));
        assert!(!reading_dominates(&[], None));
    }
}
