//! criterion micro-benchmarks: the parser, PDF extraction, the analyzer,
//! excerpts, and every kind of query (on the samples' index, or on the
//! index at $INSP_BENCH_INDEX).
//!
//! cargo bench -p insp-bench

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use insp::search::{Searcher, excerpt};
use std::hint::black_box;

fn parse(c: &mut Criterion) {
    let mut g = c.benchmark_group("parse");
    for (source, text) in insp::corpus::BUNDLED {
        let name = std::path::Path::new(source).file_stem().unwrap().to_string_lossy().into_owned();
        g.throughput(Throughput::Bytes(text.len() as u64));
        g.bench_with_input(BenchmarkId::from_parameter(name), text, |b, t| {
            b.iter(|| insp::report::parse(black_box(t), "bench"))
        });
    }
    g.finish();
}

fn extract_pdf(c: &mut Criterion) {
    let path = std::path::Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../tests/fixtures/pdf/bristol-2023-03-10-inspection.pdf"
    ));
    let bytes = std::fs::read(path).expect("the Bristol fixture PDF");
    let mut g = c.benchmark_group("extract");
    g.sample_size(20);
    g.throughput(Throughput::Bytes(bytes.len() as u64));
    g.bench_function("pdf-bristol-2023", |b| b.iter(|| insp::extract::text_of(path, black_box(&bytes)).unwrap()));
    g.finish();
}

fn tokenize(c: &mut Criterion) {
    let text = insp::corpus::BUNDLED[1].1;
    let mut g = c.benchmark_group("tokenize");
    g.throughput(Throughput::Bytes(text.len() as u64));
    g.bench_function("insp_en-kirklees", |b| {
        let mut analyzer = insp::index::schema::english_analyzer();
        b.iter(|| {
            let mut stream = analyzer.token_stream(black_box(text));
            let mut n = 0;
            while stream.advance() {
                n += 1;
            }
            n
        })
    });
    g.finish();
}

fn excerpts(c: &mut Criterion) {
    let report = insp::report::parse(insp::corpus::BUNDLED[1].1, "bench");
    let q = insp::search::query::parse("management oversight of practice").unwrap();
    let texts: Vec<&str> = report.paragraphs.iter().map(|p| p.text.as_str()).collect();
    c.bench_function("excerpt/every-paragraph-of-kirklees", |b| {
        b.iter(|| texts.iter().map(|t| excerpt::excerpt(black_box(t), &q).text.len()).sum::<usize>())
    });
}

fn queries(c: &mut Criterion) {
    let (store, _tmp) = insp_bench::bench_store();
    let searcher = Searcher::new(&store).unwrap();
    let mut g = c.benchmark_group("query");
    for (kind, qs) in insp_bench::QUERY_KINDS {
        let reqs: Vec<_> = qs.iter().map(|q| insp_bench::request(kind, q, 10)).collect();
        g.bench_function(kind, |b| {
            let mut i = 0;
            b.iter(|| {
                i = (i + 1) % reqs.len();
                searcher.search(&reqs[i]).unwrap().hits.len()
            })
        });
    }
    g.bench_function("facets", |b| {
        b.iter(|| {
            searcher
                .facets(Some("management oversight"), &Default::default(), &insp::search::facets::Facet::ALL)
                .unwrap()
                .total
        })
    });
    g.finish();
}

criterion_group!(benches, parse, extract_pdf, tokenize, excerpts, queries);
criterion_main!(benches);
