//! `latency INDEX [ROUNDS [KIND]]`: in-process query latency, excerpts included,
//! for each kind of query, on a warm index. Prints one JSON object per kind:
//! {"kind", "queries", "p50_ms", "p99_ms", "max_ms"}.

use insp::search::Searcher;
use std::time::Instant;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(dir) = args.first() else {
        eprintln!("usage: latency INDEX [ROUNDS [KIND]]");
        std::process::exit(2);
    };
    let rounds: usize = args.get(1).and_then(|s| s.parse().ok()).unwrap_or(50);
    let store = insp::index::Store::open(std::path::Path::new(dir)).unwrap_or_else(|e| {
        eprintln!("latency: {e}");
        std::process::exit(1);
    });
    let searcher = Searcher::new(&store).expect("a searcher");
    // LATENCY_QUERIES=FILE: time each line of FILE once (after a warm-up
    // pass) and print the total and the slowest, to see where a batch goes.
    // With LATENCY_KIND=facet, each is run with the facet queries' filters.
    if let Some(file) = std::env::var_os("LATENCY_QUERIES") {
        let text = std::fs::read_to_string(&file).expect("the queries file");
        let kind = std::env::var("LATENCY_KIND").unwrap_or_default();
        let reqs: Vec<_> = text.lines().map(|q| insp_bench::request(&kind, q, 10)).collect();
        for r in &reqs {
            let _ = searcher.search(r);
        }
        let mut times: Vec<(f64, &str)> = reqs
            .iter()
            .map(|r| {
                let t = Instant::now();
                let _ = searcher.search(r);
                (t.elapsed().as_secs_f64() * 1e3, r.query.as_str())
            })
            .collect();
        let total: f64 = times.iter().map(|t| t.0).sum();
        times.sort_by(|a, b| b.0.total_cmp(&a.0));
        println!("{} queries, {total:.1} ms in all, one thread", times.len());
        for (ms, q) in times.iter().take(20) {
            println!("{ms:8.2} ms  {q}");
        }
        return;
    }
    let only = args.get(2);
    for (kind, qs) in insp_bench::QUERY_KINDS {
        if only.is_some_and(|k| k != kind) {
            continue;
        }
        let reqs: Vec<_> = qs.iter().map(|q| insp_bench::request(kind, q, 10)).collect();
        // Warm: every query once (page cache, term dictionaries).
        for r in &reqs {
            searcher.search(r).expect("query runs");
        }
        let mut ms = Vec::with_capacity(rounds * reqs.len());
        let mut per_query = vec![Vec::with_capacity(rounds); reqs.len()];
        for _ in 0..rounds {
            for (r, times) in reqs.iter().zip(&mut per_query) {
                let t = Instant::now();
                let res = searcher.search(r).expect("query runs");
                std::hint::black_box(res.hits.len());
                let elapsed = t.elapsed().as_secs_f64() * 1e3;
                ms.push(elapsed);
                times.push(elapsed);
            }
        }
        if std::env::var_os("LATENCY_VERBOSE").is_some() {
            for (q, times) in qs.iter().zip(&mut per_query) {
                times.sort_by(f64::total_cmp);
                let total = searcher.search(&insp_bench::request(kind, q, 10)).expect("query runs").total;
                eprintln!("  {kind:8} {q:40} median {:7.3} ms  {total} matches", times[times.len() / 2]);
            }
        }
        ms.sort_by(f64::total_cmp);
        let pct = |p: f64| ms[((ms.len() as f64 * p).ceil() as usize).clamp(1, ms.len()) - 1];
        println!(
            "{}",
            serde_json::json!({
                "kind": kind, "queries": ms.len(),
                "p50_ms": pct(0.50), "p99_ms": pct(0.99), "max_ms": ms[ms.len() - 1],
            })
        );
    }
}
