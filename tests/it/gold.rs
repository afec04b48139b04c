//! The parser scored against the hand-checked paragraph gold of real
//! reports (`eval/gold/*.tsv`, over `../shared/reports-dev`). Run it alone,
//! with the table printed, as `cargo test --release --test it gold -- --nocapture`.
//!
//! A gold row is *fully right* when the parse has a paragraph that starts
//! with the same words, in order, under the same section, with the same
//! judgement key, grade and kind. A boilerplate row is also right when the
//! parse leaves its text out of every paragraph. A paragraph the parse
//! makes that the gold does not have (a table row, a heading read as text)
//! counts as one more error, unless the parse itself marks it boilerplate.

use crate::harness::{Env, reports_dev};
use serde_json::Value;
use std::path::{Path, PathBuf};

/// The share of gold rows (plus invented paragraphs) the parse must get
/// fully right: raised as the parser improves, never lowered.
const FLOOR_FULLY_RIGHT: f64 = 0.995;

struct GoldRow {
    page: Option<u32>,
    start: Vec<String>,
    section: String,
    judgement: String,
    grade: String,
    kind: String,
}

fn gold_rows(path: &Path) -> Vec<GoldRow> {
    let text = std::fs::read_to_string(path).unwrap();
    let mut lines = text.lines();
    assert_eq!(lines.next(), Some("page\tpara\tstart\tsection\tjudgement\tgrade\tkind"), "{}", path.display());
    lines
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let c: Vec<&str> = l.split('\t').collect();
            assert_eq!(c.len(), 7, "{}: {l:?}", path.display());
            GoldRow {
                page: c[0].parse().ok(),
                start: words(c[2]),
                section: norm_section(c[3]),
                judgement: c[4].to_string(),
                grade: c[5].to_string(),
                kind: c[6].to_string(),
            }
        })
        .collect()
}

/// Lower-case words of letters and digits, quotes and dashes folded.
fn words(s: &str) -> Vec<String> {
    s.to_lowercase().split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).map(str::to_string).collect()
}

/// A heading as compared: lower case, without a grade or a judgement
/// sentence's wording around it ("The graded judgement for adoption
/// performance is good" and "Adoption performance" are one section).
fn norm_section(s: &str) -> String {
    // SIF boxes print "experience and progress", tables "experiences and progress".
    let mut w: Vec<String> =
        words(s).into_iter().map(|w| if w == "experiences" { "experience".to_string() } else { w }).collect();
    let grades = ["outstanding", "good", "adequate", "inadequate", "requires", "require", "improvement", "to", "be"];
    while w.last().is_some_and(|x| grades.contains(&x.as_str())) {
        w.pop();
    }
    let mut s = w.join(" ");
    for tail in [" is that it is", " is that it", " is that they are", " are", " is"] {
        if let Some(t) = s.strip_suffix(tail) {
            s = t.to_string();
        }
    }
    for head in [
        "the graded judgement about the ",
        "the graded judgement for the ",
        "the graded judgement about ",
        "the graded judgement for ",
        "the graded judgment for ",
        "the graded judgment about ",
    ] {
        if let Some(t) = s.strip_prefix(head) {
            s = t.to_string();
        }
    }
    s.strip_prefix("the ").unwrap_or(&s).to_string()
}

fn same_section(gold: &str, parsed: &str) -> bool {
    gold == parsed || (gold.len() >= 8 && parsed.len() >= 8 && (gold.ends_with(parsed) || parsed.ends_with(gold)))
}

struct Parsed {
    start: Vec<String>,
    all: String,
    section: String,
    judgement: String,
    grade: String,
    kind: String,
    page: Option<u32>,
}

fn parsed(v: &Value) -> Vec<Parsed> {
    let s = |x: &Value| x.as_str().unwrap_or("").to_string();
    v["paragraphs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            let text = p["text"].as_str().unwrap();
            let section = p["section"].as_array().and_then(|a| a.last()).map(s).unwrap_or_default();
            Parsed {
                start: words(text).into_iter().take(12).collect(),
                all: words(text).join(" "),
                section: norm_section(&section),
                judgement: s(&p["judgement"]),
                grade: p["grade"].as_u64().map(|g| g.to_string()).unwrap_or_default(),
                kind: p["kind"].as_str().unwrap_or("finding").to_string(),
                page: p["page_start"].as_u64().map(|n| n as u32),
            }
        })
        .collect()
}

fn starts_alike(gold: &[String], parsed: &[String]) -> bool {
    let n = gold.len().min(6);
    n > 0 && parsed.len() >= n && gold[..n] == parsed[..n]
}

#[derive(Default, Clone, Copy)]
struct Score {
    rows: usize,
    found: usize,
    section: usize,
    judgement: usize,
    grade: usize,
    kind: usize,
    page: usize,
    pages_known: usize,
    fully: usize,
    invented: usize,
    boilerplate: usize,
    boilerplate_right: usize,
}

impl Score {
    fn add(&mut self, o: &Score) {
        self.rows += o.rows;
        self.found += o.found;
        self.section += o.section;
        self.judgement += o.judgement;
        self.grade += o.grade;
        self.kind += o.kind;
        self.page += o.page;
        self.pages_known += o.pages_known;
        self.fully += o.fully;
        self.invented += o.invented;
        self.boilerplate += o.boilerplate;
        self.boilerplate_right += o.boilerplate_right;
    }

    fn fully_right(&self) -> f64 {
        self.fully as f64 / (self.rows + self.invented).max(1) as f64
    }

    fn line(&self, name: &str) -> String {
        let pc = |a: usize, b: usize| 100.0 * a as f64 / b.max(1) as f64;
        format!(
            "{name:<48} {:>5} {:>6.1} {:>6.1} {:>6.1} {:>6.1} {:>6.1} {:>6.1} {:>5} {:>6.1} {:>7.1}",
            self.rows,
            pc(self.found, self.rows),
            pc(self.section, self.rows),
            pc(self.judgement, self.rows),
            pc(self.grade, self.rows),
            pc(self.kind, self.rows),
            pc(self.page, self.pages_known),
            self.invented,
            pc(self.boilerplate_right, self.boilerplate),
            100.0 * self.fully_right(),
        )
    }
}

/// Score one parse (`insp parse --format json`) against one gold file.
fn score(gold: &[GoldRow], parse: &[Parsed]) -> (Score, Vec<String>) {
    let mut s = Score { rows: gold.len(), ..Score::default() };
    let mut errors = Vec::new();
    let mut used = vec![false; parse.len()];
    let mut next = 0;
    for (i, g) in gold.iter().enumerate() {
        // In order first; then anywhere (a converter may read a page's
        // boxes in another order: the paragraph is still right).
        let found = (next..parse.len().min(next + 25))
            .find(|&k| !used[k] && starts_alike(&g.start, &parse[k].start))
            .or_else(|| (0..parse.len()).find(|&k| !used[k] && starts_alike(&g.start, &parse[k].start)));
        let is_boilerplate = g.kind == "boilerplate";
        s.boilerplate += is_boilerplate as usize;
        let Some(k) = found else {
            let start = g.start.join(" ");
            let swallowed = parse.iter().any(|p| p.all.contains(&start));
            if is_boilerplate && !swallowed {
                // Left out of every paragraph: recognised as not findings.
                s.found += 1;
                s.section += 1;
                s.judgement += 1;
                s.grade += 1;
                s.kind += 1;
                s.fully += 1;
                s.boilerplate_right += 1;
            } else {
                errors.push(format!(
                    "row {}: not found{}: {start}",
                    i + 2,
                    if swallowed { " (inside another paragraph)" } else { "" }
                ));
            }
            continue;
        };
        used[k] = true;
        next = next.max(k + 1);
        let p = &parse[k];
        s.found += 1;
        let section = same_section(&g.section, &p.section);
        let (judgement, grade, kind) = (g.judgement == p.judgement, g.grade == p.grade, g.kind == p.kind);
        s.section += section as usize;
        s.judgement += judgement as usize;
        s.grade += grade as usize;
        s.kind += kind as usize;
        s.boilerplate_right += (is_boilerplate && kind) as usize;
        if let Some(page) = g.page {
            s.pages_known += 1;
            s.page += (p.page == Some(page)) as usize;
        }
        if section && judgement && grade && kind {
            s.fully += 1;
        } else {
            errors.push(format!(
                "row {}: {}: section {:?}/{:?} judgement {:?}/{:?} grade {:?}/{:?} kind {:?}/{:?}",
                i + 2,
                g.start.join(" "),
                g.section,
                p.section,
                g.judgement,
                p.judgement,
                g.grade,
                p.grade,
                g.kind,
                p.kind
            ));
        }
    }
    for (k, p) in parse.iter().enumerate() {
        if !used[k] && p.kind != "boilerplate" {
            s.invented += 1;
            errors.push(format!("invented: {}", p.start.join(" ")));
        }
    }
    (s, errors)
}

/// Score every gold report, each read through `source` (the PDF itself, or
/// a text a converter made of it); the total.
fn score_all(source: &dyn Fn(&Env, &Path) -> PathBuf, label: &str) -> Score {
    let dev = reports_dev().expect("../shared/reports-dev");
    let gold_dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("eval/gold");
    let files = crate::harness::files_in(&gold_dir, "tsv");
    assert!(files.len() >= 15, "the gold covers at least 15 reports");
    let env = Env::new();
    let mut total = Score::default();
    let verbose = std::env::var_os("INSP_GOLD_ERRORS").is_some();
    eprintln!(
        "{:<48} {:>5} {:>6} {:>6} {:>6} {:>6} {:>6} {:>6} {:>5} {:>6} {:>7}",
        "report", "rows", "found", "sect", "judg", "grade", "kind", "page", "inv", "boiler", "FULLY"
    );
    for f in &files {
        let pdf = dev.join(f.file_stem().unwrap()).with_extension("pdf");
        let input = source(&env, &pdf);
        let r = env.ok(&["parse", input.to_str().unwrap(), "--format", "json"], 0);
        let v: Value = serde_json::from_str(&r.stdout).unwrap();
        let (s, errors) = score(&gold_rows(f), &parsed(&v));
        eprintln!("{}", s.line(&f.file_stem().unwrap().to_string_lossy()));
        if verbose {
            for e in errors {
                eprintln!("    {e}");
            }
        }
        total.add(&s);
    }
    eprintln!("{}", total.line(&format!("all ({label})")));
    total
}

#[test]
fn paragraph_gold_of_real_reports() {
    if reports_dev().is_none() {
        return;
    }
    let total = score_all(&|_, pdf| pdf.to_path_buf(), "PDF");
    assert!(
        total.fully_right() >= FLOOR_FULLY_RIGHT,
        "fully right {:.1}% fell below the floor {:.1}%",
        100.0 * total.fully_right(),
        100.0 * FLOOR_FULLY_RIGHT
    );
}

/// The text of a PDF as poppler's `pdftotext` makes it (with `args`).
fn pdftotext(env: &Env, pdf: &Path, args: &[&str]) -> PathBuf {
    let out = env.path(&format!("{}{}.txt", pdf.file_stem().unwrap().to_string_lossy(), args.join("")));
    let status = std::process::Command::new("pdftotext")
        .args(args)
        .arg(pdf)
        .arg(&out)
        .status()
        .expect("pdftotext runs (Debian: poppler-utils; .ci/run installs it)");
    assert!(status.success(), "pdftotext {args:?} {}", pdf.display());
    out
}

/// Users also have reports as text: the same gold, read from
/// `pdftotext -layout` text and from plain `pdftotext` text, scores within
/// two points of the PDF. (Plain text sets paragraphs apart by no blank
/// line, so where a paragraph's last line is full, only the rules of
/// `split_long_prose` guess that it ended; see the README's "Real reports".)
#[test]
fn the_text_path_is_as_good_as_the_pdf_path() {
    if reports_dev().is_none() {
        return;
    }
    let pdf = score_all(&|_, pdf| pdf.to_path_buf(), "PDF").fully_right();
    let layout = score_all(&|env, p| pdftotext(env, p, &["-layout"]), "pdftotext -layout").fully_right();
    let plain = score_all(&|env, p| pdftotext(env, p, &[]), "pdftotext").fully_right();
    assert!(
        layout >= pdf - 0.02,
        "pdftotext -layout: fully right {:.1}% against {:.1}% from the PDF",
        100.0 * layout,
        100.0 * pdf
    );
    assert!(
        plain >= pdf - 0.02,
        "pdftotext: fully right {:.2}% against {:.2}% from the PDF",
        100.0 * plain,
        100.0 * pdf
    );
}
