//! The domain vocabularies declared in `index_schema/`: authorities with their
//! aliases, section headings with their levels, acronyms with their
//! expansions. Compiled into the binary; each parsed on its first use (a
//! search that names no authority never reads the authorities).

use std::collections::HashMap;
use std::sync::LazyLock;

pub const AUTHORITIES_TSV: &str = include_str!("../index_schema/authorities.tsv");
pub const ACRONYMS_TSV: &str = include_str!("../index_schema/acronyms.tsv");
pub const SECTIONS_TSV: &str = include_str!("../index_schema/sections.tsv");
pub const EQUIVALENTS_TSV: &str = include_str!("../index_schema/equivalents.tsv");
pub const COUNCILS_CSV: &str = include_str!("../index_schema/local-authorities.csv");

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
    /// a council (index into `canonical`) -> its codes, region and neighbours
    facts: HashMap<usize, Council>,
}

/// A council's row of `index_schema/local-authorities.csv`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Council {
    pub ofsted_urn: String,
    /// The DfE's three-digit LA number.
    pub la_code: u16,
    pub ons_code: String,
    pub region: String,
    pub la_type: String,
    /// The DfE statistical neighbours as LA codes, nearest first.
    pub neighbours: Vec<u16>,
    pub population_0_25: Option<u64>,
}

/// The fields of one CSV line (double-quoted fields may hold commas).
fn csv_fields(line: &str) -> Vec<String> {
    let mut out = vec![String::new()];
    let mut quoted = false;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' if quoted && chars.peek() == Some(&'"') => {
                chars.next();
                out.last_mut().unwrap().push('"');
            }
            '"' => quoted = !quoted,
            ',' if !quoted => out.push(String::new()),
            c => out.last_mut().unwrap().push(c),
        }
    }
    out.into_iter().map(|f| f.trim().to_string()).collect()
}

/// The rows of `local-authorities.csv`, each with the names it goes by
/// (its name and the bracketed list of other names).
fn council_rows(csv: &str) -> Vec<(Vec<String>, Council)> {
    let mut lines = csv.lines().filter(|l| !l.trim().is_empty());
    let header = lines.next().map(csv_fields).unwrap_or_default();
    let col = |name: &str| header.iter().position(|h| h == name);
    let cols = ["ofsted_urn", "dfe_la_code", "ons_code", "name", "also_known_as", "region", "la_type"]
        .map(|c| col(c).unwrap_or_else(|| panic!("local-authorities.csv has no column {c}")));
    let (neighbours, population) = (col("statistical_neighbours"), col("population_0_25"));
    let mut out = Vec::new();
    for line in lines {
        let f = csv_fields(line);
        let get = |i: usize| f.get(i).cloned().unwrap_or_default();
        let Ok(la_code) = get(cols[1]).parse::<u16>() else { continue };
        let mut names = vec![get(cols[3])];
        names.extend(get(cols[4]).trim_matches(['[', ']']).split(',').map(|n| n.trim().to_string()));
        let council = Council {
            ofsted_urn: get(cols[0]),
            la_code,
            ons_code: get(cols[2]),
            region: get(cols[5]),
            la_type: get(cols[6]),
            neighbours: neighbours
                .map(get)
                .unwrap_or_default()
                .split(',')
                .filter_map(|n| n.trim().parse().ok())
                .collect(),
            population_0_25: population.and_then(|i| get(i).parse().ok()),
        };
        out.push((names.into_iter().filter(|n| !n.is_empty()).collect(), council));
    }
    out
}

impl Authorities {
    fn load(tsv: &str, councils_csv: &str) -> Authorities {
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
        let mut authorities = Authorities { canonical, by_name, max_words, first_words, serves, facts: HashMap::new() };
        for (names, council) in council_rows(councils_csv) {
            if let Some(&idx) = names.iter().find_map(|n| authorities.by_name.get(&normalise_name(n))) {
                authorities.facts.entry(idx).or_insert(council);
            }
        }
        authorities
    }

    /// A council's codes, region and statistical neighbours (`None` for a
    /// trust, or a name not known).
    pub fn council(&self, name: &str) -> Option<&Council> {
        self.by_name.get(&normalise_name(name)).and_then(|idx| self.facts.get(idx))
    }

    /// The council with this DfE LA code.
    pub fn by_la_code(&self, code: u16) -> Option<&str> {
        self.facts.iter().find(|(_, c)| c.la_code == code).map(|(&i, _)| self.canonical[i].as_str())
    }

    /// The councils of a region (any case), by name.
    pub fn in_region(&self, region: &str) -> Vec<&str> {
        let mut out: Vec<&str> = self
            .facts
            .iter()
            .filter(|(_, c)| c.region.eq_ignore_ascii_case(region.trim()))
            .map(|(&i, _)| self.canonical[i].as_str())
            .collect();
        out.sort_unstable();
        out
    }

    /// Every region named in the lookup table, sorted.
    pub fn regions(&self) -> Vec<&str> {
        let mut out: Vec<&str> = self.facts.values().map(|c| c.region.as_str()).filter(|r| !r.is_empty()).collect();
        out.sort_unstable();
        out.dedup();
        out
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
    pub acronym: &'static str,
    /// The expansions as the table writes them, `|` between them: split
    /// when asked (every query reads the table; few read an expansion).
    written: &'static str,
}

impl Acronym {
    pub fn expansions(&self) -> impl Iterator<Item = &'static str> + use<> {
        self.written.split('|').map(str::trim).filter(|e| !e.is_empty())
    }
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
    judgement_keys: LazyLock<Vec<String>>,
}

impl Vocab {
    /// Every canonical judgement key the vocabulary gives a heading (and the
    /// SLAC's `lac_` forms of them), sorted.
    pub fn judgement_keys(&self) -> Vec<&str> {
        self.judgement_keys.iter().map(String::as_str).collect()
    }

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
    authorities: LazyLock::new(|| Authorities::load(AUTHORITIES_TSV, COUNCILS_CSV)),
    acronyms: LazyLock::new(load_acronyms),
    sections: LazyLock::new(load_sections),
    judgement_keys: LazyLock::new(load_judgement_keys),
};

/// The acronyms table, without a string or list allocated per row: a
/// one-off search reads it whole (it took 212,000 instructions, 5% of one).
fn load_acronyms() -> Vec<Acronym> {
    ACRONYMS_TSV
        .lines()
        .filter(|l| !l.trim_start().starts_with('#'))
        .filter_map(|l| l.split_once('\t'))
        .map(|(acronym, rest)| Acronym { acronym: acronym.trim(), written: rest.split('\t').next().unwrap_or("") })
        .filter(|a| !a.acronym.is_empty())
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

/// Every canonical key `sections.tsv` gives a heading, and the `lac_`
/// forms of them, sorted.
fn load_judgement_keys() -> Vec<String> {
    let declared: Vec<&str> = VOCAB.sections.values().flatten().filter_map(|(_, i)| i.key).collect();
    let plain: Vec<&str> = declared.iter().copied().filter(|k| !k.ends_with('_')).collect();
    let mut keys: Vec<String> = plain.iter().map(|k| k.to_string()).collect();
    for prefix in declared.iter().filter(|k| k.ends_with('_')) {
        keys.extend(plain.iter().map(|k| format!("{prefix}{k}")));
    }
    keys.sort_unstable();
    keys.dedup();
    keys
}

/// Sets of wordings that name the same thing in different eras
/// (`index_schema/equivalents.tsv`), as written there.
pub static EQUIVALENTS: LazyLock<Vec<Vec<String>>> = LazyLock::new(|| {
    rows(EQUIVALENTS_TSV)
        .map(|r| r[0].split('|').map(|w| w.trim().to_string()).filter(|w| !w.is_empty()).collect::<Vec<_>>())
        .filter(|set| set.len() >= 2)
        .collect()
});

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
    fn every_council_row_has_its_authority() {
        let a = &VOCAB.authorities;
        let rows = council_rows(COUNCILS_CSV);
        assert_eq!(rows.len(), 156);
        for (names, c) in &rows {
            let name = names.iter().find_map(|n| a.lookup(n));
            assert!(name.is_some(), "no authority for {names:?}");
            assert_eq!(a.council(name.unwrap()).map(|f| f.la_code), Some(c.la_code), "{names:?}");
        }
        assert_eq!(a.facts.len(), 156, "one row per authority");
        let bcp = a.council("BCP").unwrap();
        assert_eq!((bcp.la_code, bcp.ons_code.as_str(), bcp.region.as_str()), (839, "E06000058", "South West"));
        assert_eq!(a.council("Northamptonshire").unwrap().la_code, 928);
        assert_eq!(a.council("North Northamptonshire").unwrap().la_code, 940);
        assert_eq!(a.by_la_code(384), Some("Wakefield"));
        assert!(a.in_region("london").contains(&"Camden"));
        assert_eq!(a.regions().len(), 9);
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
