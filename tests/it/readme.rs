//! Every command line in README.md runs (issue 16): the lines of its `sh`
//! and `console` blocks that start with `insp` (and the `mkdir` and
//! `cat > FILE <<` lines that set them up), in README order, in a fresh
//! home directory as a new user has it. A line fails when it exits 2; a
//! `console` block also fails when its output (at 80 columns, or piped) is
//! not what the README shows. A line that fails on the samples is tried
//! again on an index of `../shared/reports-dev` (when it is here; CI must
//! have it). A line ending in `# untested: REASON` is not run.
//!
//! The README's examples name `report.txt` (one report) and
//! `~/Downloads/ofsted` (a folder of reports): here both hold sample reports.

use crate::harness::*;
use std::path::{Path, PathBuf};
use std::process::Command;

/// What marks a README line the test must not run.
const UNTESTED: &str = "# untested:";

/// A command from the README, with where it is and what it should print.
#[derive(Debug)]
struct Example {
    /// 1-based line in README.md.
    line: usize,
    /// Shell text (a here-document spans several lines).
    script: String,
    /// A `console` block's output, shown below the command.
    expected: Option<String>,
}

/// The first word of a command line, and whether this test runs such lines.
fn is_run(command: &str) -> bool {
    let first = command.split_whitespace().next().unwrap_or("");
    (first == "insp" || first == "mkdir") && !command.contains(UNTESTED)
}

/// The examples of the README's `sh` and `console` blocks, in order.
fn examples(readme: &str) -> Vec<Example> {
    let lines: Vec<&str> = readme.lines().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let lang = lines[i].strip_prefix("```").map(str::trim);
        i += 1;
        let Some(lang @ ("sh" | "console")) = lang else { continue };
        let end = (i..lines.len()).find(|&k| lines[k].starts_with("```")).unwrap_or(lines.len());
        if lang == "sh" {
            sh_block(&lines, i, end, &mut out);
        } else {
            console_block(&lines, i, end, &mut out);
        }
        i = end + 1;
    }
    out
}

fn sh_block(lines: &[&str], start: usize, end: usize, out: &mut Vec<Example>) {
    let mut k = start;
    while k < end {
        let line = lines[k].trim();
        if let Some(tag) = line.strip_prefix("cat > ").and_then(|l| l.split_once("<<")).map(|(_, t)| t.trim()) {
            // A here-document: the command runs through its closing tag.
            let tag = tag.trim_matches(|c| c == '\'' || c == '"');
            let close = (k + 1..end).find(|&j| lines[j].trim() == tag).unwrap_or(end - 1);
            out.push(Example { line: k + 1, script: lines[k..=close].join("\n"), expected: None });
            k = close + 1;
            continue;
        }
        if is_run(line) {
            out.push(Example { line: k + 1, script: line.to_string(), expected: None });
        }
        k += 1;
    }
}

fn console_block(lines: &[&str], start: usize, end: usize, out: &mut Vec<Example>) {
    let mut k = start;
    while k < end {
        let Some(command) = lines[k].strip_prefix("$ ") else {
            k += 1;
            continue;
        };
        let next = (k + 1..end).find(|&j| lines[j].starts_with("$ ")).unwrap_or(end);
        let shown: Vec<&str> = lines[k + 1..next].iter().map(|l| l.trim_end()).collect();
        if is_run(command) {
            out.push(Example { line: k + 1, script: command.to_string(), expected: Some(shown.join("\n")) });
        }
        k = next;
    }
}

/// A shell in `home`, with insp first on PATH, its data in `data`, no
/// colour and no pager (as output is piped), `columns` wide if set.
fn shell(home: &Path, data: &Path, columns: Option<&str>, script: &str) -> Command {
    let bin_dir = Path::new(env!("CARGO_BIN_EXE_insp")).parent().unwrap().display().to_string();
    let mut cmd = Command::new("sh");
    cmd.env_clear()
        .env("HOME", home)
        .env("XDG_DATA_HOME", data)
        .env("PATH", format!("{bin_dir}:{}", std::env::var("PATH").unwrap_or_default()))
        .current_dir(home)
        .args(["-c", script]);
    if let Some(c) = columns {
        cmd.env("COLUMNS", c);
    }
    cmd
}

/// What a run of an example did.
struct Outcome {
    code: i32,
    stdout: String,
    stderr: String,
}

fn run(home: &Path, data: &Path, columns: Option<&str>, script: &str) -> Outcome {
    let out = output_within(&mut shell(home, data, columns, script), 300);
    let text = |b: &[u8]| String::from_utf8_lossy(b).into_owned();
    Outcome { code: out.status.code().unwrap_or(-1), stdout: text(&out.stdout), stderr: text(&out.stderr) }
}

/// Did the example do what the README says: not exit 2, and print what a
/// console block shows (its lines' ends trimmed)?
fn as_shown(ex: &Example, o: &Outcome) -> bool {
    o.code != 2
        && ex
            .expected
            .as_ref()
            .is_none_or(|shown| o.stdout.lines().map(str::trim_end).collect::<Vec<_>>().join("\n") == *shown)
}

/// Why an example failed, from its first run.
fn failure(ex: &Example, o: &Outcome) -> String {
    if o.code == 2 {
        return format!("README.md:{}: `{}` exited 2: {}", ex.line, ex.script, o.stderr.trim());
    }
    format!(
        "README.md:{}: `{}` printed\n{}\nnot what the README shows:\n{}",
        ex.line,
        ex.script,
        o.stdout.trim_end(),
        ex.expected.as_deref().unwrap_or("")
    )
}

/// The user's files the README's examples name.
fn user_files(env: &Env) {
    env.write("report.txt", std::fs::read(corpus(WAKEFIELD_FV)).unwrap());
    for name in [WAKEFIELD_SLAC, WAKEFIELD_FV, KIRKLEES, WOLVERHAMPTON, DUDLEY] {
        env.write(&format!("Downloads/ofsted/{name}"), std::fs::read(corpus(name)).unwrap());
    }
}

/// A data directory whose user index holds the dev reports, built once.
fn dev_data(env: &Env, built: &mut Option<PathBuf>) -> Option<PathBuf> {
    if built.is_none() {
        let dev = reports_dev()?;
        let data = env.path("dev-data");
        let index = data.join("insp/index");
        let script = format!("insp --index '{}' index '{}'", index.display(), dev.display());
        let o = run(env.dir.path(), &data, None, &script);
        assert_eq!(o.code, 0, "indexing the dev reports: {}", o.stderr);
        *built = Some(data);
    }
    built.clone()
}

#[test]
fn every_command_line_in_the_readme_runs() {
    let readme = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md")).unwrap();
    let examples = examples(&readme);
    assert!(examples.len() > 30, "the README's examples were found: {examples:?}");
    let env = Env::new();
    user_files(&env);
    let (home, data) = (env.dir.path(), env.path("data"));
    let mut dev: Option<PathBuf> = None;
    let mut failures = Vec::new();
    for ex in &examples {
        // On the samples at 80 columns; a console block's output may also
        // have been taken piped; then the same on the dev reports.
        let first = run(home, &data, Some("80"), &ex.script);
        let mut ok = as_shown(ex, &first);
        if !ok && ex.expected.is_some() {
            ok = as_shown(ex, &run(home, &data, None, &ex.script));
        }
        if !ok && let Some(dev_data) = dev_data(&env, &mut dev) {
            ok = as_shown(ex, &run(home, &dev_data, Some("80"), &ex.script))
                || (ex.expected.is_some() && as_shown(ex, &run(home, &dev_data, None, &ex.script)));
        }
        if !ok {
            failures.push(failure(ex, &first));
        }
    }
    assert!(failures.is_empty(), "{} README example(s) failed:\n{}", failures.len(), failures.join("\n\n"));
}

/// The parser finds commands, here-documents, console output and the marker.
#[test]
fn the_readme_parser_reads_blocks_as_a_user_does() {
    let text = "intro\n```sh\ninsp search a   # comment\ncargo test\ncat > q.txt <<'END'\nx\ny\nEND\ninsp open b  # untested: opens a window\n```\n```console\n$ insp --version\ninsp 0.1.0\n$ insp stats\nindex x\n```\n```json\ninsp no\n```\n";
    let found = examples(text);
    let scripts: Vec<&str> = found.iter().map(|e| e.script.as_str()).collect();
    assert_eq!(
        scripts,
        ["insp search a   # comment", "cat > q.txt <<'END'\nx\ny\nEND", "insp --version", "insp stats"]
    );
    assert_eq!(found[0].line, 3);
    assert_eq!(found[2].expected.as_deref(), Some("insp 0.1.0"));
    assert_eq!(found[3].expected.as_deref(), Some("index x"));
}
