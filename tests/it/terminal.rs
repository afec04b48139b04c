//! insp on a terminal (issue 16): colour in every command, wrapping at the
//! width, the pager, and help that matches the binary (man pages,
//! completions, `reports --help`).

use crate::harness::*;
use std::path::Path;

/// The harness's environment (private home and data directory), with the
/// binary's folder first on PATH and `vars` added, for a shell to run insp.
fn shell(env: &Env, program: &str, vars: &[(&str, &str)]) -> std::process::Command {
    let bin_dir = Path::new(env!("CARGO_BIN_EXE_insp")).parent().unwrap().display().to_string();
    let mut cmd = std::process::Command::new(program);
    cmd.env_clear().envs(env.cmd().get_envs().filter_map(|(k, v)| v.map(|v| (k.to_owned(), v.to_owned()))));
    cmd.env("PATH", format!("{bin_dir}:{}", std::env::var("PATH").unwrap_or_default())).current_dir(env.dir.path());
    for (k, v) in vars {
        cmd.env(k, v);
    }
    cmd
}

/// Run `insp ARGS` on a pseudo-terminal 100 columns wide (util-linux
/// `script`); what the terminal shows.
fn on_a_terminal(env: &Env, args: &str, vars: &[(&str, &str)]) -> String {
    let mut cmd = shell(env, "script", vars);
    cmd.env("TERM", "xterm").args(["-qec", &format!("stty cols 100 rows 40; insp {args}"), "/dev/null"]);
    let out = output_within(&mut cmd, 60);
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Every command's text output is coloured with --color always, never with
/// --color never, and not when piped.
#[test]
fn every_command_respects_color() {
    let env = Env::new();
    let sample = corpus(WAKEFIELD_FV);
    let sample = sample.to_str().unwrap();
    for args in [
        vec!["search", "thresholds", "-n", "2"],
        vec!["show", "wakefield-2011-01-slac#28", "-C", "1"],
        vec!["show", "wakefield-2011-01-slac"],
        vec!["reports"],
        vec!["stats"],
        vec!["facets", "--by", "year"],
        vec!["parse", sample],
    ] {
        let mut always = args.clone();
        always.extend(["--color", "always"]);
        assert!(env.ok(&always, 0).stdout.contains("\x1b["), "{always:?}");
        let mut never = args.clone();
        never.extend(["--color", "never"]);
        assert!(!env.ok(&never, 0).stdout.contains('\x1b'), "{never:?}");
        assert!(!env.ok(&args, 0).stdout.contains('\x1b'), "piped: {args:?}");
    }
}

/// On a terminal, colour unless NO_COLOR is set (or --color never).
#[test]
fn no_color_is_respected_on_a_terminal() {
    let env = Env::new();
    env.ok(&["stats"], 0);
    let coloured = on_a_terminal(&env, "search thresholds -n 1 --no-pager", &[]);
    assert!(coloured.contains("\x1b[1;31m"), "highlighted on a terminal: {coloured}");
    let plain = on_a_terminal(&env, "search thresholds -n 1 --no-pager", &[("NO_COLOR", "1")]);
    assert!(plain.contains("matching paragraph") && !plain.contains("\x1b[1"), "NO_COLOR: {plain}");
    let plain = on_a_terminal(&env, "reports --no-pager --color never", &[]);
    assert!(plain.contains("wakefield") && !plain.contains("\x1b[1"), "{plain}");
}

fn width(line: &str) -> usize {
    line.chars().count()
}

/// The words of a search's output below each header, in order (wrapping
/// only moves line ends, so a word broken in two would show here).
fn words_below_headers(text: &str) -> Vec<String> {
    text.lines()
        .filter(|l| !is_header(l))
        .flat_map(|l| l.split_whitespace().map(String::from).collect::<Vec<_>>())
        .collect()
}

fn is_header(line: &str) -> bool {
    ["wakefield-", "kirklees-", "wolverhampton-", "dudley-"].iter().any(|p| line.starts_with(p))
}

/// At 80 and 120 columns: no line longer, the header on one line, the text
/// wrapped at word boundaries under a two-space indent. Piped with no
/// COLUMNS: the lines as they are.
#[test]
fn search_output_wraps_at_the_width() {
    let env = Env::new();
    let args = ["search", "unallocated cases", "-n", "10", "-C", "1"];
    let piped = env.ok(&args, 0).stdout;
    assert!(piped.lines().any(|l| width(l) > 120), "piped, lines are not wrapped");
    for cols in [80, 120] {
        let out = env.cmd().env("COLUMNS", cols.to_string()).args(args).output().unwrap();
        let text = String::from_utf8(out.stdout).unwrap();
        for line in text.lines() {
            assert!(width(line) <= cols, "{cols} columns: {line:?} is {} wide", width(line));
        }
        assert_eq!(words_below_headers(&text), words_below_headers(&piped), "{cols} columns: no word broken");
        let headers: Vec<&str> = text.lines().filter(|l| is_header(l)).collect();
        assert_eq!(headers.len(), 10, "{text}");
        assert!(headers.iter().all(|h| h.contains(" · ¶") || h.contains("unnumbered")), "{headers:?}");
        for block in text.split("\n\n").filter(|b| is_header(b)) {
            assert!(block.lines().skip(1).all(|l| l.starts_with("  ")), "a hanging indent: {block}");
        }
        let graded = headers.iter().find(|h| h.contains("grade 3")).expect("a graded hit");
        assert_eq!(graded.contains("grade 3 (adequate)"), cols == 120, "the grade's name fits at 120: {graded}");
    }
}

/// On a terminal, long output goes through the pager ($PAGER); never with
/// --no-pager, and never when piped.
#[test]
fn a_pager_on_a_terminal_only() {
    let env = Env::new();
    env.ok(&["stats"], 0);
    let seen = env.path("paged.txt");
    let pager = env.write("fake-pager", format!("#!/bin/sh\ncat > '{}'\n", seen.display()));
    std::fs::set_permissions(&pager, std::os::unix::fs::PermissionsExt::from_mode(0o755)).unwrap();
    let pager = pager.to_str().unwrap();
    on_a_terminal(&env, "search thresholds -n 3", &[("PAGER", pager)]);
    let paged = std::fs::read_to_string(&seen).expect("the pager ran");
    assert!(paged.contains("3 of "), "the whole output went to the pager: {paged}");
    std::fs::remove_file(&seen).unwrap();
    // INSP_PAGER wins over PAGER; an empty one turns paging off.
    on_a_terminal(&env, "reports", &[("PAGER", "false"), ("INSP_PAGER", pager)]);
    assert!(std::fs::read_to_string(&seen).unwrap().contains("5 reports"));
    std::fs::remove_file(&seen).unwrap();
    let direct = on_a_terminal(&env, "reports", &[("PAGER", pager), ("INSP_PAGER", "")]);
    assert!(direct.contains("5 reports") && !seen.exists(), "{direct}");
    let direct = on_a_terminal(&env, "search thresholds -n 3 --no-pager", &[("PAGER", pager)]);
    assert!(direct.contains("3 of ") && !seen.exists(), "--no-pager: {direct}");
    let piped = env.cmd().env("PAGER", pager).args(["search", "thresholds", "-n", "3"]).output().unwrap();
    assert!(String::from_utf8_lossy(&piped.stdout).contains("3 of ") && !seen.exists(), "piped: no pager");
}

/// insp(1) names a page per command, and each can be printed or written.
#[test]
fn every_man_page_insp_points_to_exists() {
    let env = Env::new();
    let main = env.ok(&["man"], 0).stdout;
    let named: Vec<String> = main
        .split("insp\\-")
        .skip(1)
        .filter_map(|s| s.split_once("(1)").map(|(name, _)| name.to_string()))
        .filter(|n| n.chars().all(|c| c.is_ascii_lowercase()))
        .collect();
    assert!(named.len() >= 10, "{named:?}");
    for name in &named {
        let page = env.ok(&["man", name], 0).stdout;
        assert!(page.contains(&format!(".TH insp-{name} 1")), "insp man {name}: {page}");
    }
    env.ok(&["man", "--dir", "man1"], 0);
    for name in &named {
        assert!(env.path(&format!("man1/insp-{name}.1")).exists(), "insp-{name}.1");
    }
    assert!(env.path("man1/insp.1").exists());
    let r = env.ok(&["man", "serch"], 2);
    assert!(r.stderr.contains("no command 'serch'"), "{}", r.stderr);
}

/// bash completes filter values and, after `insp show`, the index's ids.
#[test]
fn completions_offer_values_and_report_ids() {
    let env = Env::new();
    env.ok(&["stats"], 0);
    let script = env.ok(&["completions", "bash"], 0).stdout;
    env.write("insp.bash", &script);
    let complete = |words: &str| -> Vec<String> {
        let w: Vec<&str> = words.split(' ').collect();
        let n = w.len();
        let line = format!(
            "source ./insp.bash; COMP_WORDS=({words}); COMP_CWORD={}; _insp_with_ids insp '{}' '{}'; printf '%s\\n' \"${{COMPREPLY[@]}}\"",
            n - 1,
            w[n - 1],
            w[n - 2]
        );
        let out = shell(&env, "bash", &[]).args(["-c", &line]).output().unwrap();
        String::from_utf8_lossy(&out.stdout).lines().filter(|l| !l.is_empty()).map(String::from).collect()
    };
    assert_eq!(complete("insp show wakefield-20"), ["wakefield-2011-01-slac", "wakefield-2020-12-focused-visit"]);
    assert_eq!(complete("insp search x --type foc"), ["focused_visit"]);
    assert_eq!(complete("insp search x --grade inad"), ["inadequate"]);
    assert_eq!(complete("insp reports --authority Wolv"), ["Wolverhampton"]);
    for shell in ["zsh", "fish"] {
        let s = env.ok(&["completions", shell], 0).stdout;
        assert!(s.contains("insp reports --format csv --no-pager"), "{shell} completes report ids");
        assert!(s.contains("focused_visit"), "{shell} completes --type");
    }
}

/// `reports --help` says its filters choose reports.
#[test]
fn reports_help_describes_report_filters() {
    let env = Env::new();
    let help = env.ok(&["reports", "--help"], 0).stdout;
    assert!(help.contains("Only reports with a judgement of this grade"), "{help}");
    assert!(help.contains("Only reports with a judgement whose section path"), "{help}");
    assert!(!help.contains("Only paragraphs"), "{help}");
    assert!(!help.contains("--kind"), "kinds do not choose reports: {help}");
    let search = env.ok(&["search", "--help"], 0).stdout;
    assert!(search.contains("Only paragraphs under this grade"), "{search}");
}

/// The other commands' text fits 80 columns too (section paths, long
/// titles and paragraphs wrapped under their indents).
#[test]
fn every_command_fits_80_columns() {
    let env = Env::new();
    let sample = corpus(WAKEFIELD_FV);
    for args in [
        vec!["show", "wakefield-2011-01-slac#28", "-C", "2"],
        vec!["show", "wakefield-2020-12-focused-visit"],
        vec!["reports"],
        vec!["stats"],
        vec!["facets"],
        vec!["parse", sample.to_str().unwrap()],
        vec!["search", "care leavers", "--explain", "-n", "2"],
    ] {
        let out = env.cmd().env("COLUMNS", "80").args(&args).output().unwrap();
        let text = String::from_utf8(out.stdout).unwrap();
        assert!(text.lines().count() > 3, "{args:?}: {text}");
        let long: Vec<&str> = text.lines().filter(|l| width(l) > 80).collect();
        // --explain's score tree is tantivy's own wording, left unwrapped.
        let long: Vec<&&str> =
            long.iter().filter(|l| !l.trim_start().starts_with(|c: char| c.is_ascii_digit())).collect();
        assert!(long.is_empty(), "{args:?}: {long:?}");
    }
}
