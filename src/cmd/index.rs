//! `insp index [PATH]...`: gather files, update the index, report what happened.

use super::{Context, Found};
use crate::cli::IndexArgs;
use anyhow::{Context as _, bail};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use insp::embed::Model;
use insp::index::{self, Input, Progress, Rebuild, Store};
use insp::{corpus, extract, output};
use std::collections::HashSet;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};

pub fn run(ctx: &Context, args: IndexArgs) -> anyhow::Result<Found> {
    let (inputs, roots) = gather(&args.paths)?;
    let n_inputs = inputs.len();
    let dir = &ctx.index.dir;
    let fresh = !Store::exists(dir);
    // The model named, else the one the index's vectors were made by (a
    // rebuild keeps them too; with --model it may change model).
    let model = super::model_for(dir, args.model.as_deref())?;
    let summary = if args.rebuild {
        rebuild(dir, inputs, &roots, model.as_ref())?
    } else {
        let store = Store::open_or_create(dir)?;
        update_with_progress(&store, inputs, &roots, false, model.as_ref())?
    };
    if fresh {
        say_created(ctx, args.paths.is_empty());
    }
    output::index_summary(&mut std::io::stderr().lock(), &summary, &dir.display().to_string())?;
    if n_inputs > 0 && summary.indexed + summary.unchanged == 0 {
        bail!("none of the {n_inputs} file(s) could be indexed (reasons above); the index is unchanged");
    }
    Ok(Found::Something)
}

/// A new index: say where, and (at the default location) that the bundled
/// samples are not in it.
fn say_created(ctx: &Context, samples: bool) {
    let dir = ctx.index.dir.display();
    if ctx.index.explicit || samples {
        eprintln!("insp: created a new index at {dir}");
    } else {
        eprintln!(
            "insp: created a new index at {dir} for your reports; the bundled samples are not in it (`insp index` with no PATH adds them)"
        );
    }
}

/// Build the index from the bundled sample reports (zero set-up).
pub fn bootstrap(dir: &Path) -> anyhow::Result<()> {
    let (inputs, roots) = gather(&[])?;
    let store = Store::create(dir)?;
    index::update(&store, inputs, &roots, false, &mut |_| {})?;
    Ok(())
}

/// A fresh index beside the old one, swapped in only once it is complete;
/// the old one is kept when no file could be indexed.
fn rebuild(dir: &Path, inputs: Vec<Input>, roots: &[String], model: Option<&Model>) -> anyhow::Result<index::Summary> {
    let n_inputs = inputs.len();
    let (rebuild, store) = Rebuild::begin(dir)?;
    let summary = update_with_progress(&store, inputs, roots, true, model)?;
    drop(store);
    if n_inputs > 0 && summary.indexed == 0 {
        output::index_summary(&mut std::io::stderr().lock(), &summary, &rebuild.dir.display().to_string())?;
        rebuild.abandon();
        bail!("none of the {n_inputs} file(s) could be indexed; the old index is kept");
    }
    rebuild.finish()?;
    Ok(summary)
}

fn update_with_progress(
    store: &Store,
    inputs: Vec<Input>,
    roots: &[String],
    rebuild: bool,
    model: Option<&Model>,
) -> anyhow::Result<index::Summary> {
    let bar = if std::io::stderr().is_terminal() { ProgressBar::new(0) } else { ProgressBar::hidden() };
    bar.set_draw_target(if std::io::stderr().is_terminal() {
        ProgressDrawTarget::stderr()
    } else {
        ProgressDrawTarget::hidden()
    });
    bar.set_style(
        ProgressStyle::with_template("{spinner} [{bar:30}] {pos}/{len} files, {per_sec}, ETA {eta} {wide_msg}")
            .expect("valid template")
            .progress_chars("=> "),
    );
    let summary = index::update_embedding(store, inputs, roots, rebuild, model, &mut |p| match p {
        Progress::Start { total } => bar.set_length(total as u64),
        Progress::Done { source, .. } => {
            bar.set_message(
                Path::new(source).file_name().map(|f| f.to_string_lossy().into_owned()).unwrap_or_default(),
            );
            bar.inc(1);
        }
        Progress::Committing => bar.set_message("committing"),
    });
    bar.finish_and_clear();
    summary
}

/// Files to read and the folders they were found under (a file that
/// disappears from one of these folders is removed from the index).
fn gather(paths: &[PathBuf]) -> anyhow::Result<(Vec<Input>, Vec<String>)> {
    if paths.is_empty() {
        let inputs =
            corpus::BUNDLED.iter().map(|(source, text)| Input::Bundled { source: source.to_string(), text }).collect();
        return Ok((inputs, vec![corpus::ROOT.to_string()]));
    }
    let (mut named, mut found) = (Vec::new(), Vec::new());
    let mut roots = Vec::new();
    for p in paths {
        let meta =
            std::fs::metadata(p).with_context(|| format!("cannot index {}: no such file or directory", p.display()))?;
        let canon = std::fs::canonicalize(p).with_context(|| format!("cannot resolve {}", p.display()))?;
        if meta.is_dir() {
            let before = found.len();
            walk(&canon, &mut found, &mut HashSet::new());
            if found.len() == before {
                bail!("no reports under {} (insp reads .pdf, .txt and .md files)", p.display());
            }
            roots.push(canon.display().to_string());
        } else {
            named.push(canon);
        }
    }
    named.sort();
    named.dedup();
    found.sort();
    found.dedup();
    found.retain(|f| named.binary_search(f).is_err());
    let mut inputs: Vec<Input> =
        named.into_iter().map(Input::File).chain(found.into_iter().map(Input::Found)).collect();
    inputs.sort_by_key(Input::source);
    Ok((inputs, roots))
}

/// Every supported file under `dir`, following links but never twice into
/// the same folder (so a symlink loop ends).
fn walk(dir: &Path, files: &mut Vec<PathBuf>, seen: &mut HashSet<PathBuf>) {
    let Ok(canon) = std::fs::canonicalize(dir) else {
        return;
    };
    if !seen.insert(canon) {
        return;
    }
    let Ok(entries) = std::fs::read_dir(dir) else {
        eprintln!("insp: cannot read the folder {}; skipped", dir.display());
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        match std::fs::metadata(&path) {
            Ok(m) if m.is_dir() => walk(&path, files, seen),
            Ok(m) if m.is_file() && extract::is_supported(&path) => files.push(path),
            Ok(_) => {}
            Err(_) if extract::is_supported(&path) => files.push(path),
            Err(_) => {}
        }
    }
}
