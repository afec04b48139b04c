//! The domain vocabularies declared in `index_schema/`: authorities with their
//! aliases, section headings with their levels, acronyms with their
//! expansions. Compiled into the binary; each parsed on its first use (a
//! search that names no authority never reads the authorities).

use std::collections::HashMap;
use std::sync::LazyLock;

pub const AUTHORITIES_TSV: &str = include_str!("../index_schema/authorities.tsv");
pub const ACRONYMS_TSV: &str = include_str!("../index_schema/acronyms.tsv");
pub const SECTIONS_TSV: &str = include_str!("../index_schema/sections.tsv");

/// Non-comment, non-blank lines split on tabs.
fn rows(tsv: &str) -> impl Iterator<Item = Vec<&str>> {
    tsv.lines()
        .filter(|l| !l.trim().is_empty() && !l.trim_start().starts_with('#'))
        .map(|l| l.split('\t').map(str::trim).collect())
}

/// Lower case, "&" as "and", no dots, commas, hyphens or apostrophes, single spaces.
pub fn normalise_name(s: &str) -> String {
    let s = s.to_lowercase().replace('&', " and ").replace(['’', '\''], "");
    let s: String = s.chars().map(|c| if c.is_alphanumeric() { c } else { ' ' }).collect();
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

pub struct Authorities {
    canonical: Vec<String>,
    /// normalised alias (and canonical name) -> index into `canonical`
    by_name: HashMap<String, usize>,
    /// the longest alias in words
    pub max_words: usize,
    /// the first word of every normalised name and alias
    first_words: std::collections::HashSet<String>,
    /// a trust or company (index into `canonical`) -> the councils it serves
    serves: HashMap<usize, Vec<String>>,
}

impl Authorities {
    fn load(tsv: &str) -> Authorities {
        let mut canonical = Vec::new();
        let mut by_name = HashMap::new();
        let mut max_words = 1;
        let mut first_words = std::collections::HashSet::new();
        let mut serves = HashMap::new();
        for row in rows(tsv) {
            let idx = canonical.len();
            canonical.push(row[0].to_string());
            if let Some(councils) = row.get(2).filter(|c| !c.is_empty()) {
                serves.insert(idx, councils.split('|').map(|c| c.trim().to_string()).collect());
            }
            let aliases = row.get(1).map(|a| a.split('|').collect::<Vec<_>>()).unwrap_or_default();
            for name in std::iter::once(row[0]).chain(aliases) {
                let norm = normalise_name(name);
                if norm.is_empty() {
                    continue;
                }
                max_words = max_words.max(norm.split(' ').count());
                first_words.insert(norm.split(' ').next().unwrap_or_default().to_string());
                by_name.entry(norm).or_insert(idx);
            }
        }
        Authorities { canonical, by_name, max_words, first_words, serves }
    }

    /// For a children's trust or company, the councils whose services it
    /// runs (`None` for a council).
    pub fn councils_served(&self, name: &str) -> Option<&[String]> {
        let idx = self.by_name.get(&normalise_name(name))?;
        self.serves.get(idx).map(Vec::as_slice)
    }

    /// The canonical name for any spelling of an authority.
    pub fn lookup(&self, name: &str) -> Option<&str> {
        self.by_name.get(&normalise_name(name)).map(|&i| self.canonical[i].as_str())
    }

    /// Lookup of an already normalised name.
    pub fn lookup_normalised(&self, norm: &str) -> Option<&str> {
        self.by_name.get(norm).map(|&i| self.canonical[i].as_str())
    }

    /// Can a name start with this (normalised) word?
    pub fn starts_a_name(&self, word: &str) -> bool {
        self.first_words.contains(word)
    }

    pub fn canonical_names(&self) -> &[String] {
        &self.canonical
    }

    /// The canonical names closest to a misspelt one, best first.
    pub fn nearest(&self, name: &str, n: usize) -> Vec<&str> {
        let norm = normalise_name(name);
        let mut scored: Vec<(usize, usize)> = self
            .by_name
            .iter()
            .map(|(alias, &idx)| {
                let mut d = levenshtein(&norm, alias);
                if !norm.is_empty() && (alias.starts_with(&norm) || alias.contains(&norm)) {
                    d = d.min(1);
                }
                (d, idx)
            })
            .collect();
        scored.sort();
        let mut out: Vec<&str> = Vec::new();
        for (_, idx) in scored {
            let name = self.canonical[idx].as_str();
            if !out.contains(&name) {
                out.push(name);
            }
            if out.len() == n {
                break;
            }
        }
        out
    }
}

pub fn levenshtein(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for i in 1..=a.len() {
        cur[0] = i;
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            cur[j] = (prev[j] + 1).min(cur[j - 1] + 1).min(prev[j - 1] + cost);
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()]
}

#[derive(Debug, Clone)]
pub struct Acronym {
    pub acronym: String,
    pub expansions: Vec<String>,
}

/// What `index_schema/sections.tsv` says of a heading.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SectionInfo {
    pub level: u8,
    pub graded: bool,
    /// The canonical key of a graded heading's judgement (`in_care`), or a
    /// prefix for the keys of the judgements below it (`lac_`).
    pub key: Option<&'static str>,
    /// What the text under the heading is (`summary`, `recommendation`,
    /// `scope`, `boilerplate`, `finding`); none to take the kind above it.
    pub kind: Option<&'static str>,
}

/// Lower case, single spaces, no trailing "?" or ":" and no footnote digits.
pub fn normalise_heading(s: &str) -> String {
    let s = s
        .trim()
        .trim_end_matches(|c: char| c.is_ascii_digit() || c == ':' || c == '?' || c == '.' || c.is_whitespace());
    let s = s.to_lowercase().replace(['’'], "'");
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

pub struct Vocab {
    pub authorities: LazyLock<Authorities>,
    pub acronyms: LazyLock<Vec<Acronym>>,
    /// normalised heading -> (family, info), in file order
    sections: LazyLock<HashMap<String, Vec<(String, SectionInfo)>>>,
}

impl Vocab {
    /// What any family says of a heading (its own family's line first, then
    /// `any`, then the first line that names it).
    pub fn section(&self, heading: &str) -> Option<SectionInfo> {
        self.section_in(heading, "any")
    }

    pub fn section_in(&self, heading: &str, family: &str) -> Option<SectionInfo> {
        let lines = self.sections.get(&normalise_heading(heading))?;
        lines
            .iter()
            .find(|(f, _)| f == family)
            .or_else(|| lines.iter().find(|(f, _)| f == "any"))
            .or_else(|| lines.first())
            .map(|(_, info)| *info)
    }
}

pub static VOCAB: Vocab = Vocab {
    authorities: LazyLock::new(|| Authorities::load(AUTHORITIES_TSV)),
    acronyms: LazyLock::new(load_acronyms),
    sections: LazyLock::new(load_sections),
};

fn load_acronyms() -> Vec<Acronym> {
    rows(ACRONYMS_TSV)
        .filter(|r| r.len() >= 2)
        .map(|r| Acronym {
            acronym: r[0].to_string(),
            expansions: r[1].split('|').map(|e| e.trim().to_string()).filter(|e| !e.is_empty()).collect(),
        })
        .collect()
}

fn load_sections() -> HashMap<String, Vec<(String, SectionInfo)>> {
    let mut sections = HashMap::new();
    for r in rows(SECTIONS_TSV) {
        if r.len() < 3 {
            continue;
        }
        let Ok(level) = r[0].parse::<u8>() else {
            continue;
        };
        let graded = r[1].eq_ignore_ascii_case("yes");
        let family = r.get(3).copied().unwrap_or("any").to_string();
        let column = |k: usize| r.get(k).copied().filter(|v| !v.is_empty() && *v != "-");
        let info = SectionInfo { level, graded, key: column(4), kind: column(5) };
        sections.entry(normalise_heading(r[2])).or_insert_with(Vec::new).push((family, info));
    }
    sections
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn authority_aliases() {
        let a = &VOCAB.authorities;
        assert_eq!(a.lookup("Wakefield Metropolitan District Council"), Some("Wakefield"));
        assert_eq!(a.lookup("wakefield council"), Some("Wakefield"));
        assert_eq!(a.lookup("St. Helens"), a.lookup("St Helens"));
        assert_eq!(a.lookup("Telford & Wrekin"), Some("Telford and Wrekin"));
        assert_eq!(a.lookup("Hull"), Some("Kingston upon Hull"));
        assert_eq!(a.lookup("BCP"), Some("Bournemouth, Christchurch and Poole"));
        assert_eq!(a.lookup("Atlantis"), None);
        assert_eq!(a.councils_served("Bradford Children & Families Trust"), Some(&["Bradford".to_string()][..]));
        assert_eq!(a.councils_served("Bradford"), None);
        for trust in a.serves.values() {
            for council in trust {
                assert!(a.lookup(council) == Some(council.as_str()), "{council} is a council of its own");
            }
        }
    }

    #[test]
    fn nearest_authorities() {
        let near = VOCAB.authorities.nearest("Wakefeld", 3);
        assert_eq!(near[0], "Wakefield");
    }

    #[test]
    fn every_vocabulary_has_content() {
        assert!(VOCAB.authorities.canonical_names().len() >= 150);
        assert!(VOCAB.acronyms.len() >= 60);
        assert_eq!(VOCAB.section("Safeguarding services").unwrap().level, 1);
        assert_eq!(VOCAB.section("Overall effectiveness").unwrap().level, 2);
        assert_eq!(
            VOCAB.section("How good are outcomes for looked after children and care leavers?").unwrap().level,
            2
        );
    }
}
