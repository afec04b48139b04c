//! An index built by one user, searched by another who cannot write to it
//! (as `nobody`; the test needs root to switch users, as CI runs).

use crate::harness::*;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::Command;

fn is_root() -> bool {
    let out = Command::new("id").arg("-u").output().expect("`id -u` runs");
    String::from_utf8_lossy(&out.stdout).trim() == "0"
}

/// Can anyone enter every folder above `path`?
fn reachable_by_others(path: &Path) -> bool {
    path.ancestors().skip(1).all(|d| std::fs::metadata(d).is_ok_and(|m| m.permissions().mode() & 0o001 != 0))
}

fn chmod(path: &Path, mode: u32) {
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
}

/// Run insp as `nobody` with `index`.
fn as_nobody(bin: &Path, home: &Path, index: &Path, args: &[&str]) -> Run {
    let out = Command::new("runuser")
        .args(["-u", "nobody", "--"])
        .arg(bin)
        .arg("--index")
        .arg(index)
        .args(args)
        .env_clear()
        .env("HOME", home)
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .output()
        .expect("runuser runs (util-linux)");
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

fn listing(dir: &Path) -> Vec<(String, u64, std::time::SystemTime)> {
    let mut out: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| {
            let e = e.unwrap();
            let m = e.metadata().unwrap();
            (e.file_name().to_string_lossy().into_owned(), m.len(), m.modified().unwrap())
        })
        .collect();
    out.sort();
    out
}

#[test]
fn another_user_searches_an_index_they_cannot_write() {
    if !is_root() {
        eprintln!("not root: the test of searching another user's index (as nobody) did not run; CI runs it as root");
        return;
    }
    let env = Env::new();
    chmod(env.dir.path(), 0o755);
    let index = env.path("shared-index");
    let idx = index.to_str().unwrap();
    env.ok(&["--index", idx, "index", corpus(WAKEFIELD_SLAC).to_str().unwrap()], 0);
    // The files insp wrote are as readable as its own (tantivy writes some owner-only).
    let mode = |name: &str| std::fs::metadata(index.join(name)).unwrap().permissions().mode() & 0o777;
    for name in ["meta.json", ".managed.json"] {
        assert_eq!(mode(name), mode("insp-version.json"), "{name}");
    }
    chmod(&index, 0o555);
    let mut bin = PathBuf::from(env!("CARGO_BIN_EXE_insp"));
    if !reachable_by_others(&bin) {
        let copy = env.path("insp");
        std::fs::copy(&bin, &copy).unwrap();
        bin = copy;
    }
    let before = listing(&index);
    let mine = env.ok(&["--index", idx, "search", "unallocated cases", "--format", "json"], 0);
    let theirs = as_nobody(&bin, env.dir.path(), &index, &["search", "unallocated cases", "--format", "json"]);
    assert_eq!(theirs.code, 0, "{}", theirs.stderr);
    assert_eq!(theirs.stdout, mine.stdout);
    assert!(theirs.stdout.contains("wakefield-2011-01-slac#"), "{}", theirs.stdout);
    let stats = as_nobody(&bin, env.dir.path(), &index, &["stats"]);
    assert_eq!(stats.code, 0, "{}", stats.stderr);
    assert_eq!(listing(&index), before, "searching wrote nothing");
    // Writing is refused, clearly.
    let write = as_nobody(&bin, env.dir.path(), &index, &["index", corpus(KIRKLEES).to_str().unwrap()]);
    assert_eq!(write.code, 2);
    assert!(write.stderr.contains("permission denied; nothing in it was changed"), "{}", write.stderr);
    // A file they cannot read is named, with what to do.
    chmod(&index, 0o755);
    chmod(&index.join("meta.json"), 0o600);
    let r = as_nobody(&bin, env.dir.path(), &index, &["search", "unallocated cases"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("meta.json is not readable by this user"), "{}", r.stderr);
    assert!(r.stderr.contains(&format!("chmod -R a+rX {idx}")), "{}", r.stderr);
    chmod(&index, 0o700);
    let r = as_nobody(&bin, env.dir.path(), &index, &["search", "unallocated cases"]);
    assert!(r.stderr.contains("its directory is not readable by this user"), "{}", r.stderr);
}
