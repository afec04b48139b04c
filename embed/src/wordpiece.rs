//! BERT's tokenizer as `tokenizer.json` describes it for all-MiniLM-L6-v2:
//! the BertNormalizer (clean, space around CJK, lowercase, strip accents),
//! the BertPreTokenizer (whitespace, each punctuation mark apart) and
//! WordPiece (longest known prefix, then `##` pieces; `[UNK]` otherwise).

use std::collections::HashMap;
use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// The longest word WordPiece splits; longer words are `[UNK]`.
const MAX_WORD_CHARS: usize = 100;

pub struct WordPiece {
    vocab: HashMap<String, u32>,
    unk: u32,
    pub cls: u32,
    pub sep: u32,
}

impl WordPiece {
    /// From `tokenizer.json`'s text.
    pub fn from_json(json: &str) -> Result<WordPiece, String> {
        #[derive(serde::Deserialize)]
        struct File {
            model: Model,
        }
        #[derive(serde::Deserialize)]
        struct Model {
            #[serde(rename = "type")]
            kind: String,
            vocab: HashMap<String, u32>,
        }
        let file: File = serde_json::from_str(json).map_err(|e| format!("tokenizer.json cannot be read: {e}"))?;
        if file.model.kind != "WordPiece" {
            return Err(format!("tokenizer.json holds a {} tokenizer; insp reads BERT's WordPiece", file.model.kind));
        }
        let vocab = file.model.vocab;
        let id = |t: &str| vocab.get(t).copied().ok_or_else(|| format!("tokenizer.json has no {t} token"));
        Ok(WordPiece { unk: id("[UNK]")?, cls: id("[CLS]")?, sep: id("[SEP]")?, vocab })
    }

    /// The token ids of `text` between `[CLS]` and `[SEP]`, at most `max` in all.
    pub fn encode(&self, text: &str, max: usize) -> Vec<u32> {
        let mut ids = vec![self.cls];
        'words: for word in pre_tokenize(&normalize(text)) {
            for id in self.word_pieces(&word) {
                if ids.len() + 1 >= max {
                    break 'words;
                }
                ids.push(id);
            }
        }
        ids.push(self.sep);
        ids
    }

    fn word_pieces(&self, word: &str) -> Vec<u32> {
        let chars: Vec<(usize, char)> = word.char_indices().collect();
        if chars.len() > MAX_WORD_CHARS {
            return vec![self.unk];
        }
        let mut pieces = Vec::new();
        let mut start = 0;
        let mut key = String::new();
        while start < word.len() {
            let mut end = word.len();
            let found = loop {
                key.clear();
                if start > 0 {
                    key.push_str("##");
                }
                key.push_str(&word[start..end]);
                if let Some(&id) = self.vocab.get(&key) {
                    break Some(id);
                }
                // One character shorter.
                match word[start..end].char_indices().next_back() {
                    Some((i, _)) if i > 0 => end = start + i,
                    _ => break None,
                }
            };
            match found {
                Some(id) => pieces.push(id),
                None => return vec![self.unk],
            }
            start = end;
        }
        pieces
    }
}

/// BertNormalizer: control characters dropped, whitespace made a space,
/// CJK ideographs spaced apart, lowercased, accents stripped.
fn normalize(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c == '\0' || c == '\u{fffd}' || is_control(c) {
            continue;
        }
        if c.is_whitespace() {
            out.push(' ');
        } else if is_cjk(c) {
            out.push(' ');
            out.push(c);
            out.push(' ');
        } else {
            out.extend(c.to_lowercase());
        }
    }
    out.nfd().filter(|c| !is_combining_mark(*c)).collect()
}

/// BertPreTokenizer: words split at whitespace, each punctuation mark a word.
fn pre_tokenize(text: &str) -> Vec<String> {
    let mut words = Vec::new();
    for chunk in text.split_whitespace() {
        let mut word = String::new();
        for c in chunk.chars() {
            if is_punctuation(c) {
                if !word.is_empty() {
                    words.push(std::mem::take(&mut word));
                }
                words.push(c.to_string());
            } else {
                word.push(c);
            }
        }
        if !word.is_empty() {
            words.push(word);
        }
    }
    words
}

/// Control, format and private-use characters (Unicode Cc, Cf, Co) but tab
/// and line ends, which are whitespace.
fn is_control(c: char) -> bool {
    if matches!(c, '\t' | '\n' | '\r') {
        return false;
    }
    c.is_control()
        || matches!(c as u32, 0xAD | 0x600..=0x605 | 0x200B..=0x200F | 0x202A..=0x202E | 0x2060..=0x2064 | 0xFEFF | 0xE000..=0xF8FF | 0xF0000..)
}

/// ASCII punctuation and symbols (as BERT treats them), and Unicode
/// punctuation (categories P*) of the Latin-1 and General Punctuation blocks
/// and CJK's.
fn is_punctuation(c: char) -> bool {
    let u = c as u32;
    c.is_ascii_punctuation()
        || matches!(u, 0xA1 | 0xA7 | 0xAB | 0xB6 | 0xB7 | 0xBB | 0xBF | 0x2010..=0x2027 | 0x2030..=0x205E)
            && !matches!(u, 0x2044 | 0x2052)
        || matches!(u, 0x3001..=0x3003 | 0x3008..=0x3011 | 0x3014..=0x301F | 0xFF01..=0xFF0F)
}

fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x4E00..=0x9FFF | 0x3400..=0x4DBF | 0x20000..=0x2A6DF | 0x2A700..=0x2B73F
        | 0x2B740..=0x2B81F | 0x2B820..=0x2CEAF | 0xF900..=0xFAFF | 0x2F800..=0x2FA1F)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_and_punctuation_are_split_and_cleaned() {
        assert_eq!(
            pre_tokenize(&normalize("Children’s  SOCIAL-care\u{ad} café.")),
            ["children", "’", "s", "social", "-", "care", "cafe", "."]
        );
    }
}
