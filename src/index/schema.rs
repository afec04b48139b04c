//! The index's fields as declared in `index_schema/fields.tsv`, the tantivy
//! schema built from them, the analyzers they name, and the schema version
//! recorded in every index.

use std::collections::HashMap;
use tantivy::Index;
use tantivy::schema::{IndexRecordOption, NumericOptions, STORED, STRING, Schema, TextFieldIndexing, TextOptions};
use tantivy::tokenizer::{
    AsciiFoldingFilter, LowerCaser, RemoveLongFilter, SimpleTokenizer, TextAnalyzer, Token, TokenFilter, TokenStream,
    Tokenizer,
};

pub const FIELDS_TSV: &str = include_str!("../../index_schema/fields.tsv");

/// Bumped by hand when the meaning of a field changes without its
/// declaration changing; the declaration's own hash is added to it.
const SCHEMA_GENERATION: u32 = 1;

pub const EN: &str = "insp_en";
pub const PLAIN: &str = "insp_plain";
pub const PAIRS: &str = "insp_pairs";

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldDecl {
    pub name: String,
    pub kind: String,
    pub tokenizer: Option<String>,
    pub stored: bool,
    pub fast: bool,
    pub description: String,
}

/// The declarations in `index_schema/fields.tsv`, in file order.
pub fn declarations() -> Vec<FieldDecl> {
    FIELDS_TSV
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .map(|l| {
            let c: Vec<&str> = l.split('\t').collect();
            FieldDecl {
                name: c[0].to_string(),
                kind: c[1].to_string(),
                tokenizer: Some(c[2]).filter(|t| *t != "-").map(str::to_string),
                stored: c[3] == "yes",
                fast: c[4] == "yes",
                description: c.get(5).unwrap_or(&"").to_string(),
            }
        })
        .collect()
}

/// "1-3f2a…": the generation and a hash of the field declarations.
pub fn version() -> String {
    format!("{}-{:016x}", SCHEMA_GENERATION, crate::hash::fnv64(FIELDS_TSV.as_bytes()))
}

pub fn build_schema() -> Schema {
    let mut b = Schema::builder();
    for d in declarations() {
        match d.kind.as_str() {
            "string" => {
                let mut o = STRING;
                if d.stored {
                    o = o | STORED;
                }
                if d.fast {
                    o = o.set_fast("raw");
                }
                b.add_text_field(&d.name, o);
            }
            "text" => {
                let indexing = TextFieldIndexing::default()
                    .set_tokenizer(d.tokenizer.as_deref().unwrap_or(EN))
                    .set_index_option(IndexRecordOption::WithFreqsAndPositions);
                let mut o = TextOptions::default().set_indexing_options(indexing);
                if d.stored {
                    o = o.set_stored();
                }
                b.add_text_field(&d.name, o);
            }
            "pairs" => {
                // Counts (a two-word phrase's frequency is its pair's) and
                // positions (a longer phrase is its pairs one after another)
                // and no lengths: a phrase is scored with the text's.
                let indexing = TextFieldIndexing::default()
                    .set_tokenizer(d.tokenizer.as_deref().unwrap_or(PAIRS))
                    .set_index_option(IndexRecordOption::WithFreqsAndPositions)
                    .set_fieldnorms(false);
                b.add_text_field(&d.name, TextOptions::default().set_indexing_options(indexing));
            }
            "u64" => {
                let mut o = NumericOptions::default().set_indexed();
                if d.stored {
                    o = o.set_stored();
                }
                if d.fast {
                    o = o.set_fast();
                }
                b.add_u64_field(&d.name, o);
            }
            "stored" => {
                b.add_text_field(&d.name, STORED);
            }
            other => panic!("index_schema/fields.tsv: unknown field type {other:?} for {}", d.name),
        }
    }
    b.build()
}

/// The English analyzer: words, lower case, ASCII folding, Porter 2 stemming.
/// No stop words: "no" and "not" change what a sentence says.
/// Tokens this long (in bytes) or longer are dropped by the analyzers.
pub const MAX_TOKEN_LEN: usize = 40;

pub fn english_analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(MAX_TOKEN_LEN))
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .filter(CachedStemmer)
        .build()
}

/// English (Porter 2) stemming, as tantivy's `Stemmer` does it, with each
/// thread remembering the stems it has made: a report's vocabulary is small
/// and repetitive, and a lookup costs a fraction of stemming a word again.
#[derive(Clone, Copy)]
pub struct CachedStemmer;

/// Stems remembered per thread, forgotten when there are this many.
const STEM_CACHE_SIZE: usize = 200_000;

thread_local! {
    static STEMS: std::cell::RefCell<(frostem::Stemmer, HashMap<String, String, crate::hash::FnvBuild>)> =
        std::cell::RefCell::new((frostem::Stemmer::new(frostem::Algorithm::English), HashMap::default()));
}

impl TokenFilter for CachedStemmer {
    type Tokenizer<T: Tokenizer> = CachedStemmerFilter<T>;

    fn transform<T: Tokenizer>(self, tokenizer: T) -> CachedStemmerFilter<T> {
        CachedStemmerFilter { inner: tokenizer }
    }
}

#[derive(Clone)]
pub struct CachedStemmerFilter<T> {
    inner: T,
}

impl<T: Tokenizer> Tokenizer for CachedStemmerFilter<T> {
    type TokenStream<'a> = CachedStemmerStream<T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        CachedStemmerStream { tail: self.inner.token_stream(text), spare: String::new() }
    }
}

pub struct CachedStemmerStream<T> {
    tail: T,
    /// The last token's word, whose buffer the next stem is written into
    /// (no string is allocated per token).
    spare: String,
}

impl<T: TokenStream> TokenStream for CachedStemmerStream<T> {
    fn advance(&mut self) -> bool {
        if !self.tail.advance() {
            return false;
        }
        let token = self.tail.token_mut();
        let spare = &mut self.spare;
        with_stem(&token.text, |stem| {
            spare.clear();
            spare.push_str(stem);
        });
        std::mem::swap(&mut token.text, spare);
        true
    }

    fn token(&self) -> &Token {
        self.tail.token()
    }

    fn token_mut(&mut self) -> &mut Token {
        self.tail.token_mut()
    }
}

/// `f` of the English stem of a lower-case, ASCII-folded word, from this
/// thread's cache of stems where it is there. Stemming keeps a word's first
/// letter (Snowball English changes only endings, and its exceptions —
/// "dying" to "die", "skies" to "sky" — keep it too).
pub fn with_stem<R>(word: &str, f: impl FnOnce(&str) -> R) -> R {
    STEMS.with_borrow_mut(|(stemmer, cache)| {
        if let Some(stem) = cache.get(word) {
            return f(stem);
        }
        let stem = stemmer.stem(word).into_owned();
        if cache.len() >= STEM_CACHE_SIZE {
            cache.clear();
        }
        let r = f(&stem);
        cache.insert(word.to_string(), stem);
        r
    })
}

pub fn plain_analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(MAX_TOKEN_LEN))
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .build()
}

/// `insp_en`'s words in adjacent pairs: "care leavers said" gives "care
/// leaver" and "leaver said". Words a gap apart (a dropped long token
/// between them) make no pair, as they make no phrase.
pub fn pairs_analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(Pairs(english_analyzer())).build()
}

/// A phrase's two adjacent words as the pairs field holds them.
pub fn pair(first: &str, second: &str) -> String {
    format!("{first} {second}")
}

/// The tokenizer of `pairs_analyzer`: pairs of the inner analyzer's tokens.
#[derive(Clone)]
pub struct Pairs(TextAnalyzer);

impl Tokenizer for Pairs {
    type TokenStream<'a> = PairStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> PairStream<'a> {
        PairStream {
            words: self.0.token_stream(text),
            previous: String::new(),
            at: None,
            from: 0,
            token: Token::default(),
        }
    }
}

pub struct PairStream<'a> {
    words: tantivy::tokenizer::BoxTokenStream<'a>,
    /// The last word, its position and where it starts.
    previous: String,
    at: Option<usize>,
    from: usize,
    token: Token,
}

impl TokenStream for PairStream<'_> {
    fn advance(&mut self) -> bool {
        while self.words.advance() {
            let word = self.words.token();
            let adjacent = self.at.is_some_and(|at| at + 1 == word.position);
            if adjacent {
                let t = &mut self.token;
                t.text.clear();
                t.text.push_str(&self.previous);
                t.text.push(' ');
                t.text.push_str(&word.text);
                t.position = word.position - 1;
                t.offset_from = self.from;
                t.offset_to = word.offset_to;
            }
            self.from = word.offset_from;
            self.previous.clear();
            self.previous.push_str(&word.text);
            self.at = Some(word.position);
            if adjacent {
                return true;
            }
        }
        false
    }

    fn token(&self) -> &Token {
        &self.token
    }

    fn token_mut(&mut self) -> &mut Token {
        &mut self.token
    }
}

pub fn register_analyzers(index: &Index) {
    index.tokenizers().register(EN, english_analyzer());
    index.tokenizers().register(PLAIN, plain_analyzer());
    index.tokenizers().register(PAIRS, pairs_analyzer());
}

/// The stemmed tokens of a text, as the index sees them.
pub fn analyze(text: &str) -> Vec<String> {
    tokens(&mut english_analyzer(), text)
}

/// The texts of an analyzer's tokens.
fn tokens(analyzer: &mut TextAnalyzer, text: &str) -> Vec<String> {
    let mut stream = analyzer.token_stream(text);
    let mut out = Vec::new();
    while let Some(t) = stream.next() {
        out.push(t.text.clone());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs_of(text: &str) -> Vec<String> {
        tokens(&mut pairs_analyzer(), text)
    }

    /// Each two adjacent words, stemmed as the text field's; words a
    /// dropped long token apart make no pair (they make no phrase either).
    #[test]
    fn pairs_are_adjacent_stemmed_words() {
        assert_eq!(pairs_of("Care leavers' views"), ["care leaver", "leaver view"]);
        assert_eq!(pairs_of("one"), Vec::<String>::new());
        let long = "x".repeat(MAX_TOKEN_LEN);
        assert_eq!(pairs_of(&format!("care {long} leavers said")), ["leaver said"]);
        assert_eq!(pair("care", "leaver"), "care leaver");
        let mut a = pairs_analyzer();
        let mut stream = a.token_stream("care leavers said");
        let mut spans = Vec::new();
        while let Some(t) = stream.next() {
            spans.push((t.offset_from, t.offset_to, t.position));
        }
        assert_eq!(spans, [(0, 12, 0), (5, 17, 1)], "a pair spans its two words, at the first's position");
    }

    proptest::proptest! {
        /// Without long tokens, the pairs are the text's words two by two.
        #[test]
        fn any_text_pairs_its_words(text in "([a-zA-Z\u{e9}\u{fc}0-9]{1,12}[ ,.'\u{2019}-]{1,2}){0,30}") {
            let words = analyze(&text);
            let expected: Vec<String> = words.windows(2).map(|w| pair(&w[0], &w[1])).collect();
            proptest::prop_assert_eq!(pairs_of(&text), expected);
        }
    }

    /// The cache gives what tantivy's own stemmer gives, first time and after.
    #[test]
    fn cached_stems_are_tantivy_stems() {
        use tantivy::tokenizer::{Language, Stemmer};
        let text = "Children's social workers visited children; visits, visiting and visited. Assessments assessed";
        let mut theirs = TextAnalyzer::builder(SimpleTokenizer::default())
            .filter(LowerCaser)
            .filter(AsciiFoldingFilter)
            .filter(Stemmer::new(Language::English))
            .build();
        let mut expected = Vec::new();
        let mut stream = theirs.token_stream(text);
        while let Some(t) = stream.next() {
            expected.push(t.text.clone());
        }
        assert_eq!(analyze(text), expected);
        assert_eq!(analyze(text), expected, "second time, from the cache");
    }

    /// What excerpts rely on (`with_stem`): a stem starts with its word's
    /// first letter, for every word of the samples and the stemmer's
    /// exceptions.
    #[test]
    fn stemming_keeps_the_first_letter() {
        let mut words: Vec<String> = Vec::new();
        for (_, text) in crate::corpus::BUNDLED {
            let mut a = plain_analyzer();
            let mut stream = a.token_stream(text);
            while let Some(t) = stream.next() {
                words.push(t.text.clone());
            }
        }
        words.extend(
            [
                "dying", "lying", "tying", "skies", "idly", "gently", "ugly", "early", "only", "singly", "news",
                "yearly", "youth",
            ]
            .map(String::from),
        );
        assert!(words.len() > 10_000);
        for w in &words {
            with_stem(w, |stem| assert_eq!(stem.chars().next(), w.chars().next(), "{w} -> {stem}"));
        }
    }

    #[test]
    fn stemming_keeps_negations() {
        assert_eq!(analyze("No unallocated cases"), vec!["no", "unalloc", "case"]);
        assert_eq!(analyze("not allocated"), vec!["not", "alloc"]);
        assert_eq!(analyze("allocate"), analyze("allocated"));
        assert_eq!(analyze("naïve café"), vec!["naiv", "cafe"]);
    }
}
