//! Paragraph embeddings beside the tantivy index (`DIR/vectors/`): which
//! model made them (`meta.json`: its name, the SHA-256 of its weights, the
//! path it was read from) and the vectors (`vectors.f32`), keyed by report
//! id and paragraph number as the paragraph documents are. Written whole
//! to a temporary file and renamed after the index commits, so a reader
//! sees the old set or the new one.

use crate::embed::ModelId;
use std::collections::BTreeMap;
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};

pub const DIR: &str = "vectors";
const META: &str = "meta.json";
const DATA: &str = "vectors.f32";

/// What `meta.json` holds.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Meta {
    pub model: ModelId,
    /// Where the model was read from: later searches read it there.
    pub model_path: PathBuf,
    pub paragraphs: usize,
}

/// One report's paragraph numbers (ascending) and their vectors, row by row.
#[derive(Debug, Clone, Default)]
pub struct ReportVectors {
    pub paras: Vec<u32>,
    pub rows: Vec<f32>,
}

impl ReportVectors {
    /// The vector of paragraph `para`, if it has one.
    pub fn get(&self, para: u32, dims: usize) -> Option<&[f32]> {
        let i = self.paras.binary_search(&para).ok()?;
        self.rows.get(i * dims..(i + 1) * dims)
    }
}

/// Every report's vectors, by report id.
#[derive(Debug, Clone)]
pub struct Vectors {
    pub meta: Meta,
    pub reports: BTreeMap<String, ReportVectors>,
}

#[derive(Debug, thiserror::Error)]
pub enum VectorsError {
    #[error("the paragraph vectors at {0} are damaged ({1}); rebuild them with `insp index --rebuild --model PATH`")]
    Damaged(PathBuf, String),
    #[error("cannot write the paragraph vectors at {0}: {1}")]
    Write(PathBuf, io::Error),
}

impl Vectors {
    pub fn new(meta: Meta) -> Vectors {
        Vectors { meta, reports: BTreeMap::new() }
    }

    pub fn dims(&self) -> usize {
        self.meta.model.dims
    }

    /// The model that made the vectors of the index in `index_dir`, if any.
    pub fn meta_of(index_dir: &Path) -> Result<Option<Meta>, VectorsError> {
        let path = index_dir.join(DIR).join(META);
        let text = match std::fs::read_to_string(&path) {
            Ok(t) => t,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(VectorsError::Damaged(path, e.to_string())),
        };
        serde_json::from_str(&text).map(Some).map_err(|e| VectorsError::Damaged(path, e.to_string()))
    }

    /// The vectors of the index in `index_dir`, if it has any.
    pub fn load(index_dir: &Path) -> Result<Option<Vectors>, VectorsError> {
        let Some(meta) = Self::meta_of(index_dir)? else { return Ok(None) };
        let path = index_dir.join(DIR).join(DATA);
        let bytes = std::fs::read(&path).map_err(|e| VectorsError::Damaged(path.clone(), e.to_string()))?;
        let reports = decode(&bytes, meta.model.dims).map_err(|e| VectorsError::Damaged(path, e))?;
        Ok(Some(Vectors { meta, reports }))
    }

    /// Write to `index_dir/vectors/`: the data, then the meta, each by rename.
    pub fn save(&mut self, index_dir: &Path) -> Result<(), VectorsError> {
        let dir = index_dir.join(DIR);
        let err = |e| VectorsError::Write(dir.clone(), e);
        std::fs::create_dir_all(&dir).map_err(err)?;
        self.meta.paragraphs = self.reports.values().map(|r| r.paras.len()).sum();
        write_atomic(&dir.join(DATA), &encode(&self.reports)).map_err(err)?;
        let meta = serde_json::to_vec_pretty(&self.meta).expect("meta serialises");
        write_atomic(&dir.join(META), &meta).map_err(err)
    }
}

fn write_atomic(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let tmp = path.with_extension("tmp");
    let mut f = std::fs::File::create(&tmp)?;
    f.write_all(bytes)?;
    f.sync_all()?;
    std::fs::rename(&tmp, path)
}

/// Per report: the id's length (u32) and bytes, the paragraph count (u32),
/// the paragraph numbers (u32 each), then the rows (f32 each); all little-endian.
fn encode(reports: &BTreeMap<String, ReportVectors>) -> Vec<u8> {
    let mut out = Vec::new();
    for (id, r) in reports {
        out.extend_from_slice(&(id.len() as u32).to_le_bytes());
        out.extend_from_slice(id.as_bytes());
        out.extend_from_slice(&(r.paras.len() as u32).to_le_bytes());
        r.paras.iter().for_each(|p| out.extend_from_slice(&p.to_le_bytes()));
        r.rows.iter().for_each(|v| out.extend_from_slice(&v.to_le_bytes()));
    }
    out
}

fn decode(bytes: &[u8], dims: usize) -> Result<BTreeMap<String, ReportVectors>, String> {
    fn u32_of(r: &mut &[u8]) -> Result<u32, String> {
        let mut b = [0u8; 4];
        r.read_exact(&mut b).map_err(|_| "it ends part way through a report".to_string())?;
        Ok(u32::from_le_bytes(b))
    }
    let mut r = bytes;
    let mut out = BTreeMap::new();
    while !r.is_empty() {
        let len = u32_of(&mut r)? as usize;
        let id = r.get(..len).ok_or("a report id runs past its end")?;
        let id = String::from_utf8(id.to_vec()).map_err(|_| "a report id is not UTF-8")?;
        r = &r[len..];
        let n = u32_of(&mut r)? as usize;
        let paras = (0..n).map(|_| u32_of(&mut r)).collect::<Result<Vec<u32>, String>>()?;
        let rows = (0..n * dims).map(|_| u32_of(&mut r).map(f32::from_bits)).collect::<Result<Vec<f32>, String>>()?;
        out.insert(id, ReportVectors { paras, rows });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vectors_read_back_as_written() {
        let mut reports = BTreeMap::new();
        reports.insert("a".to_string(), ReportVectors { paras: vec![1, 3], rows: vec![0.5, -1.0, 2.0, 0.25] });
        reports.insert("bé".to_string(), ReportVectors { paras: vec![], rows: vec![] });
        let back = decode(&encode(&reports), 2).unwrap();
        assert_eq!(back["a"].get(3, 2), Some(&[2.0, 0.25][..]));
        assert_eq!(back["a"].get(2, 2), None);
        assert!(back["bé"].paras.is_empty());
        assert!(decode(&encode(&reports)[..9], 2).is_err());
    }
}
