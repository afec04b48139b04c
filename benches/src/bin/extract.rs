//! `extract FILE...`: the text of each file as insp extracts it, on every
//! core, written nowhere: the cost of extraction alone, for comparing with
//! `insp index` on the same files. Prints files, bytes of text and seconds.
//! With `EXTRACT_DUMP=DIR`, each text is also written to DIR/NAME.txt (for
//! checking that a change to extraction keeps the text byte for byte).

use std::sync::atomic::{AtomicUsize, Ordering};

fn main() {
    let files: Vec<std::path::PathBuf> = std::env::args_os().skip(1).map(Into::into).collect();
    let next = AtomicUsize::new(0);
    let chars = AtomicUsize::new(0);
    let start = std::time::Instant::now();
    let workers = std::thread::available_parallelism().map_or(2, |n| n.get());
    let dump = std::env::var_os("EXTRACT_DUMP").map(std::path::PathBuf::from);
    std::thread::scope(|scope| {
        for _ in 0..workers {
            scope.spawn(|| {
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(path) = files.get(i) else { break };
                    let Ok(bytes) = std::fs::read(path) else { continue };
                    let text = insp::extract::text_of(path, &bytes);
                    if let Ok(text) = &text {
                        chars.fetch_add(text.len(), Ordering::Relaxed);
                    }
                    if let (Some(dir), Some(name)) = (&dump, path.file_name()) {
                        let out = text.unwrap_or_else(|e| format!("error: {e}"));
                        let _ = std::fs::write(dir.join(name).with_extension("txt"), out);
                    }
                }
            });
        }
    });
    println!(
        "{}",
        serde_json::json!({
            "files": files.len(), "text_bytes": chars.load(Ordering::Relaxed),
            "seconds": start.elapsed().as_secs_f64(), "threads": workers,
        })
    );
}
