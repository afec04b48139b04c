//! `synth SCALE OUT_DIR [SEED]`: write SCALE x the bundled samples as
//! synthetic reports (see the library's docs), and print what was written.

use std::path::PathBuf;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (Some(scale), Some(out)) = (args.first().and_then(|s| s.parse::<usize>().ok()), args.get(1)) else {
        eprintln!("usage: synth SCALE OUT_DIR [SEED]   (SCALE 1 = the five samples' size, about 0.3 MB)");
        std::process::exit(2);
    };
    let seed = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(42);
    let out = PathBuf::from(out);
    let start = std::time::Instant::now();
    let (files, bytes) = insp_bench::Synth::new(seed).write(scale, &out).unwrap_or_else(|e| {
        eprintln!("synth: cannot write {}: {e}", out.display());
        std::process::exit(1);
    });
    eprintln!(
        "synth: {files} reports, {:.1} MB in {} ({:.1} s, seed {seed})",
        bytes as f64 / 1e6,
        out.display(),
        start.elapsed().as_secs_f64()
    );
}
