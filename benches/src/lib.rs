//! A seeded generator of synthetic reports made from the bundled samples,
//! for benchmarks at 1x, 100x and 1000x the sample corpus.
//!
//! Each synthetic report is one sample with another authority's name,
//! its years shifted, its counts and percentages jittered, some words
//! swapped for others drawn from the samples' own word frequencies, and rare
//! made-up words, so the vocabulary keeps growing with the corpus as a real
//! collection's does. Paragraph numbering, headings and grade lines are
//! kept, so insp parses every report as it parses the sample.

use regex::Regex;
use std::path::Path;

/// xorshift64*: small, fast and the same on every machine.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed.max(1))
    }
    pub fn next_u64(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    pub fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n.max(1)
    }
    /// True with probability `p` in 1000.
    pub fn per_mille(&mut self, p: u64) -> bool {
        self.below(1000) < p
    }
}

pub struct Synth {
    templates: Vec<Template>,
    authorities: Vec<String>,
    /// Every word of every sample, repeated as often as it occurs.
    words: Vec<String>,
    year: Regex,
    count: Regex,
    rng: Rng,
    rare: u64,
}

struct Template {
    text: String,
    authority: String,
}

impl Synth {
    pub fn new(seed: u64) -> Synth {
        let templates: Vec<Template> = insp::corpus::BUNDLED
            .iter()
            .map(|(source, text)| {
                let report = insp::report::parse(text, source);
                let authority = report.meta.authority.expect("every sample names its authority");
                Template { text: text.to_string(), authority }
            })
            .collect();
        // Councils only: a children's trust is its council's provider, not an authority.
        let authorities: Vec<String> = insp::vocab::VOCAB
            .authorities
            .canonical_names()
            .iter()
            .filter(|name| insp::vocab::VOCAB.authorities.councils_served(name).is_none())
            .cloned()
            .collect();
        let word = Regex::new(r"\b[a-z]{4,}\b").expect("valid regex");
        let words = templates.iter().flat_map(|t| word.find_iter(&t.text).map(|m| m.as_str().to_string())).collect();
        Synth {
            templates,
            authorities,
            words,
            year: Regex::new(r"\b20[01]\d\b").expect("valid regex"),
            // Two- or three-digit counts inside a line, not a leading paragraph number.
            count: Regex::new(r"[ (](\d{2,3})\b").expect("valid regex"),
            rng: Rng::new(seed),
            rare: 0,
        }
    }

    pub fn n_templates(&self) -> usize {
        self.templates.len()
    }

    /// The `i`th synthetic report: template `i % n`, everything else drawn
    /// from the generator's state.
    pub fn report(&mut self, i: usize) -> String {
        let t = &self.templates[i % self.templates.len()];
        let authority = &self.authorities[self.rng.below(self.authorities.len() as u64) as usize];
        let shift = self.rng.below(9) as i32 - 2;
        let text =
            t.text.replace(&t.authority, authority).replace(&t.authority.to_uppercase(), &authority.to_uppercase());
        let text = self
            .year
            .replace_all(&text, |c: &regex::Captures| {
                let y: i32 = c[0].parse().unwrap_or(2012);
                (y + shift).clamp(2009, 2026).to_string()
            })
            .into_owned();
        let mut out = String::with_capacity(text.len() + text.len() / 20);
        // The front matter (title, dates, inspectors) is kept word for word
        // until the first numbered paragraph.
        let mut body = false;
        for line in text.lines() {
            body = body || line.trim_start().starts_with("1. ");
            if !body || line.len() < 60 || line.trim_start().starts_with('#') {
                out.push_str(line);
            } else {
                self.body_line(line, &mut out);
            }
            out.push('\n');
        }
        out
    }

    /// A line of prose: counts jittered, about one word in twelve swapped,
    /// and a rare word about every sixty words.
    fn body_line(&mut self, line: &str, out: &mut String) {
        let line = self
            .count
            .replace_all(line, |c: &regex::Captures| {
                let n: u64 = c[1].parse().unwrap_or(10);
                let jitter = n / 4 + 1;
                format!("{}{}", &c[0][..1], n + self.rng.below(jitter))
            })
            .into_owned();
        let mut first = true;
        for word in line.split(' ') {
            if !first {
                out.push(' ');
            }
            let swappable = !first && word.len() >= 4 && word.bytes().all(|b| b.is_ascii_lowercase());
            first = false;
            if swappable && self.rng.per_mille(80) {
                out.push_str(&self.words[self.rng.below(self.words.len() as u64) as usize]);
            } else {
                out.push_str(word);
            }
            if swappable && self.rng.per_mille(16) {
                // Rare words from a space that widens as the corpus grows.
                self.rare += 1;
                let id = self.rng.below(self.rare / 4 + 50);
                out.push_str(" zq");
                out.push_str(&base36(id));
            }
        }
    }

    /// Write `scale` copies of every template into `dir`; returns (files, bytes).
    pub fn write(&mut self, scale: usize, dir: &Path) -> std::io::Result<(usize, u64)> {
        std::fs::create_dir_all(dir)?;
        let n = scale * self.templates.len();
        let mut bytes = 0;
        for i in 0..n {
            let text = self.report(i);
            bytes += text.len() as u64;
            // Files are spread over folders of 500, as a download tool would.
            let sub = dir.join(format!("{:03}", i / 500));
            if i % 500 == 0 {
                std::fs::create_dir_all(&sub)?;
            }
            std::fs::write(sub.join(format!("report-{i:06}.txt")), text)?;
        }
        Ok((n, bytes))
    }
}

fn base36(mut n: u64) -> String {
    const DIGITS: &[u8] = b"0123456789abcdefghijklmnopqrstuvwxyz";
    let mut s = Vec::new();
    loop {
        s.push(DIGITS[(n % 36) as usize]);
        n /= 36;
        if n == 0 {
            break;
        }
    }
    s.reverse();
    String::from_utf8(s).expect("ascii")
}

/// Queries of each kind the benchmarks time, as a user would type them.
/// `facet` queries carry a filter (authority or grade) in the batch syntax
/// and are run with that filter.
pub const QUERY_KINDS: [(&str, &[&str]); 6] = [
    ("term", &["children", "supervision", "safeguarding", "leaders", "placements", "unallocated"]),
    ("phrase", &["\"care leavers\"", "\"management oversight\"", "\"child protection\"", "\"social workers\""]),
    ("and", &["unallocated cases", "management oversight of practice", "quality of assessments", "IRO capacity"]),
    ("or", &["adoption OR fostering", "caseloads OR workload", "neglect OR exploitation"]),
    ("acronym", &["IRO", "LADO", "MASH", "CSE", "LSCB"]),
    ("facet", &["management oversight", "care leavers", "supervision", "children"]),
];

/// A request as the CLI would build it for a query of `kind`.
pub fn request(kind: &str, query: &str, limit: usize) -> insp::search::SearchRequest {
    let filters = if kind == "facet" {
        let raw = insp::search::RawFilters { grade: vec!["3".into(), "4".into()], ..Default::default() };
        insp::search::Filters::from_raw(&raw).expect("valid filters")
    } else {
        insp::search::Filters::default()
    };
    insp::search::SearchRequest::new(query, filters, limit)
}

/// An index of the bundled samples in a temporary folder, or the index at
/// `$INSP_BENCH_INDEX` (built by the end-to-end script at 1000x).
pub fn bench_store() -> (insp::index::Store, Option<tempfile::TempDir>) {
    if let Ok(dir) = std::env::var("INSP_BENCH_INDEX") {
        let store = insp::index::Store::open(Path::new(&dir)).expect("INSP_BENCH_INDEX names an insp index");
        return (store, None);
    }
    let tmp = tempfile::tempdir().expect("a temporary folder");
    let store = insp::index::Store::create(tmp.path()).expect("a new index");
    let inputs = insp::corpus::BUNDLED
        .iter()
        .map(|(source, text)| insp::index::Input::Bundled { source: source.to_string(), text })
        .collect();
    insp::index::update(&store, inputs, &[insp::corpus::ROOT.to_string()], false, &mut |_| {})
        .expect("the samples index");
    (store, Some(tmp))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn synthetic_reports_parse_like_their_samples() {
        let mut synth = Synth::new(7);
        for i in 0..synth.n_templates() * 10 {
            let sample = insp::report::parse(insp::corpus::BUNDLED[i % synth.n_templates()].1, "sample");
            let text = synth.report(i);
            let report = insp::report::parse(&text, "synthetic");
            assert_eq!(report.report_type, sample.report_type, "report {i}");
            assert!(report.authority.is_some(), "report {i} lost its authority");
            let numbered = |r: &insp::report::Report| r.paragraphs.iter().filter(|p| p.numbered).count();
            assert_eq!(numbered(&report), numbered(&sample), "report {i}");
        }
    }

    #[test]
    fn the_same_seed_gives_the_same_corpus() {
        assert_eq!(Synth::new(3).report(2), Synth::new(3).report(2));
        assert_ne!(Synth::new(3).report(2), Synth::new(4).report(2));
    }
}
