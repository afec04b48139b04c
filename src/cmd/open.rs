//! `insp open`: a paragraph's source at its page (PDF) or line (text).

use super::{Context, Found};
use crate::cli::OpenArgs;
use anyhow::{Context as _, bail};
use insp::report::Fate;
use insp::search::Searcher;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// PDF viewers that open a file at a page: program and arguments
/// (`{file}`, `{page}` replaced), tried in this order.
const VIEWERS: [(&str, &str); 5] = [
    ("zathura", "--page={page} {file}"),
    ("evince", "--page-label={page} {file}"),
    ("okular", "--page {page} {file}"),
    ("qpdfview", "{file}#{page}"),
    ("mupdf", "{file} {page}"),
];

pub fn run(ctx: &Context, args: OpenArgs) -> anyhow::Result<Found> {
    let store = ctx.open_for_reading()?;
    let searcher = Searcher::new(&store)?;
    let found = searcher.lookup(&args.id)?;
    let (report, paragraph) = (&found.report, found.position.map(|k| &found.paragraphs[k]));
    let path = PathBuf::from(&report.source);
    if !path.is_file() {
        bail!(
            "the source of '{}' is not here: {} (moved, or a bundled sample); `insp show {}` prints the text",
            report.report_id,
            report.source,
            args.id
        );
    }
    let path = path.canonicalize().with_context(|| format!("cannot resolve {}", report.source))?;
    let is_pdf = std::fs::read(&path).map(|b| b.starts_with(b"%PDF")).unwrap_or(false);
    if !is_pdf {
        let line = match paragraph {
            Some(p) => first_line(&path, p.para)?,
            None => 1,
        };
        println!("{}:{line}", path.display());
        eprintln!("insp: a text file: the paragraph starts on line {line}");
        return Ok(Found::Something);
    }
    let page = paragraph.and_then(|p| p.page_start).unwrap_or(1);
    let url = format!("{}#page={page}", file_url(&path));
    match viewer(&path, page, &url) {
        Some(mut cmd) => {
            let shown = format!("{cmd:?}");
            cmd.stdin(Stdio::null()).stdout(Stdio::null()).stderr(Stdio::null());
            cmd.spawn().with_context(|| format!("cannot start the viewer: {shown}"))?;
            println!("{url}");
            eprintln!("insp: opened page {page} with {shown}");
        }
        None => {
            println!("{url}");
            eprintln!(
                "insp: no PDF viewer that opens at a page was found (zathura, evince, okular, qpdfview, mupdf); \
                 open the link above in a browser, or set INSP_PDF_VIEWER, e.g. \"evince --page-label={{page}} {{file}}\""
            );
        }
    }
    Ok(Found::Something)
}

/// The command that shows `path` at `page`: `INSP_PDF_VIEWER` if set, else
/// the first known viewer on the PATH.
fn viewer(path: &Path, page: u32, url: &str) -> Option<Command> {
    let (program, template) = match std::env::var("INSP_PDF_VIEWER").ok().filter(|v| !v.trim().is_empty()) {
        Some(v) => {
            let (program, rest) = v.trim().split_once(char::is_whitespace).unwrap_or((v.trim(), "{file}"));
            (program.to_string(), rest.to_string())
        }
        None => VIEWERS.iter().find(|(p, _)| on_path(p)).map(|(p, t)| (p.to_string(), t.to_string()))?,
    };
    let file = path.display().to_string();
    let mut cmd = Command::new(program);
    for arg in template.split_whitespace() {
        cmd.arg(arg.replace("{file}", &file).replace("{page}", &page.to_string()).replace("{url}", url));
    }
    Some(cmd)
}

fn on_path(program: &str) -> bool {
    std::env::var_os("PATH").is_some_and(|p| std::env::split_paths(&p).any(|d| d.join(program).is_file()))
}

/// `file:///a%20b.pdf`: the path with what a URL cannot hold escaped.
fn file_url(path: &Path) -> String {
    let mut out = String::from("file://");
    for b in path.display().to_string().bytes() {
        if b.is_ascii_alphanumeric() || b"/-._~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// The line of a text file on which paragraph `para` starts, as the parser reads it now.
fn first_line(path: &Path, para: u32) -> anyhow::Result<usize> {
    let bytes = std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
    let text = insp::extract::text_of(path, &bytes).with_context(|| format!("cannot read {}", path.display()))?;
    let report = insp::report::parse(&text, &path.display().to_string());
    let line = report.lines.iter().find(|l| l.fate == Fate::Paragraph(para)).map(|l| l.line);
    line.with_context(|| format!("{} no longer has paragraph {para}; `insp index` it again", path.display()))
}
