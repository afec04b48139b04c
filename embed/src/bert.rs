//! BERT's encoder forward pass on the CPU for one sequence at a time, over
//! the weights of a `model.safetensors` (f32): embeddings, then per layer
//! self-attention and the feed-forward block, each with a residual and a
//! layer norm; the matrix products are `matrixmultiply`'s sgemm.

use safetensors::SafeTensors;

/// The parts of `config.json` the forward pass needs.
#[derive(Debug, Clone, serde::Deserialize)]
pub struct Config {
    pub hidden_size: usize,
    pub num_hidden_layers: usize,
    pub num_attention_heads: usize,
    pub intermediate_size: usize,
    pub max_position_embeddings: usize,
    #[serde(default = "default_eps")]
    pub layer_norm_eps: f32,
    #[serde(default)]
    pub hidden_act: Option<String>,
}

fn default_eps() -> f32 {
    1e-12
}

/// A dense layer: `weight` is [out, in] as PyTorch stores it.
struct Linear {
    weight: Vec<f32>,
    bias: Vec<f32>,
    n_in: usize,
    n_out: usize,
}

struct Norm {
    weight: Vec<f32>,
    bias: Vec<f32>,
}

struct Layer {
    query: Linear,
    key: Linear,
    value: Linear,
    attn_out: Linear,
    attn_norm: Norm,
    inter: Linear,
    out: Linear,
    out_norm: Norm,
}

pub struct Bert {
    cfg: Config,
    words: Vec<f32>,
    positions: Vec<f32>,
    token_type: Vec<f32>,
    emb_norm: Norm,
    layers: Vec<Layer>,
}

/// The tensor `name` as f32s, checked to have `len` of them.
fn tensor(st: &SafeTensors, prefix: &str, name: &str, len: usize) -> Result<Vec<f32>, String> {
    let full = format!("{prefix}{name}");
    let t = st.tensor(&full).map_err(|_| format!("model.safetensors has no tensor {full}"))?;
    if t.dtype() != safetensors::Dtype::F32 {
        return Err(format!("{full} is {:?}; insp reads f32 weights", t.dtype()));
    }
    let data = t.data();
    if data.len() != len * 4 {
        return Err(format!("{full} has {} values, not the {len} config.json implies", data.len() / 4));
    }
    Ok(data.chunks_exact(4).map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]])).collect())
}

impl Bert {
    pub fn load(cfg: Config, weights: &[u8]) -> Result<Bert, String> {
        if cfg.hidden_act.as_deref().is_some_and(|a| a != "gelu") {
            return Err(format!("config.json's hidden_act is {:?}; insp runs BERT with gelu", cfg.hidden_act));
        }
        if cfg.num_attention_heads == 0 || !cfg.hidden_size.is_multiple_of(cfg.num_attention_heads) {
            return Err("config.json's hidden_size is not a multiple of num_attention_heads".into());
        }
        let st = SafeTensors::deserialize(weights).map_err(|e| format!("model.safetensors cannot be read: {e}"))?;
        // Saved from a BertModel the names start at `embeddings.`; from a
        // task model, at `bert.embeddings.`.
        let prefix = if st.names().iter().any(|n| n.starts_with("bert.")) { "bert." } else { "" };
        let (h, i) = (cfg.hidden_size, cfg.intermediate_size);
        let word_shape = st
            .tensor(&format!("{prefix}embeddings.word_embeddings.weight"))
            .map_err(|_| "model.safetensors has no word embeddings".to_string())?
            .shape()
            .to_vec();
        let n_vocab = word_shape.first().copied().unwrap_or(0);
        let t = |name: &str, len| tensor(&st, prefix, name, len);
        let linear = |name: &str, n_in, n_out| -> Result<Linear, String> {
            Ok(Linear {
                weight: t(&format!("{name}.weight"), n_in * n_out)?,
                bias: t(&format!("{name}.bias"), n_out)?,
                n_in,
                n_out,
            })
        };
        let norm = |name: &str| -> Result<Norm, String> {
            Ok(Norm { weight: t(&format!("{name}.weight"), h)?, bias: t(&format!("{name}.bias"), h)? })
        };
        let mut layers = Vec::with_capacity(cfg.num_hidden_layers);
        for l in 0..cfg.num_hidden_layers {
            let p = format!("encoder.layer.{l}");
            layers.push(Layer {
                query: linear(&format!("{p}.attention.self.query"), h, h)?,
                key: linear(&format!("{p}.attention.self.key"), h, h)?,
                value: linear(&format!("{p}.attention.self.value"), h, h)?,
                attn_out: linear(&format!("{p}.attention.output.dense"), h, h)?,
                attn_norm: norm(&format!("{p}.attention.output.LayerNorm"))?,
                inter: linear(&format!("{p}.intermediate.dense"), h, i)?,
                out: linear(&format!("{p}.output.dense"), i, h)?,
                out_norm: norm(&format!("{p}.output.LayerNorm"))?,
            });
        }
        Ok(Bert {
            words: t("embeddings.word_embeddings.weight", n_vocab * h)?,
            positions: t("embeddings.position_embeddings.weight", cfg.max_position_embeddings * h)?,
            token_type: t("embeddings.token_type_embeddings.weight", h)
                .or_else(|_| tensor_first_row(&st, prefix, h))?,
            emb_norm: norm("embeddings.LayerNorm")?,
            layers,
            cfg,
        })
    }

    pub fn n_vocab(&self) -> usize {
        self.words.len() / self.cfg.hidden_size
    }

    pub fn max_tokens(&self) -> usize {
        self.cfg.max_position_embeddings
    }

    pub fn dims(&self) -> usize {
        self.cfg.hidden_size
    }

    /// The last layer's hidden states of `ids`, mean-pooled: one vector.
    pub fn mean_pooled(&self, ids: &[u32]) -> Vec<f32> {
        let h = self.cfg.hidden_size;
        let n = ids.len().min(self.cfg.max_position_embeddings);
        let mut x = vec![0f32; n * h];
        for (t, &id) in ids[..n].iter().enumerate() {
            let id = (id as usize).min(self.n_vocab() - 1);
            let row = &mut x[t * h..(t + 1) * h];
            for (j, v) in row.iter_mut().enumerate() {
                *v = self.words[id * h + j] + self.positions[t * h + j] + self.token_type[j];
            }
        }
        layer_norm(&mut x, &self.emb_norm, h, self.cfg.layer_norm_eps);
        for layer in &self.layers {
            self.layer(&mut x, layer, n);
        }
        let mut pooled = vec![0f32; h];
        for row in x.chunks_exact(h) {
            for (p, v) in pooled.iter_mut().zip(row) {
                *p += v;
            }
        }
        pooled.iter_mut().for_each(|p| *p /= n as f32);
        pooled
    }

    fn layer(&self, x: &mut [f32], layer: &Layer, n: usize) {
        let h = self.cfg.hidden_size;
        let eps = self.cfg.layer_norm_eps;
        let q = layer.query.apply(x, n);
        let k = layer.key.apply(x, n);
        let v = layer.value.apply(x, n);
        let ctx = self.attention(&q, &k, &v, n);
        let attn = layer.attn_out.apply(&ctx, n);
        x.iter_mut().zip(&attn).for_each(|(a, b)| *a += b);
        layer_norm(x, &layer.attn_norm, h, eps);
        let mut inter = layer.inter.apply(x, n);
        inter.iter_mut().for_each(|v| *v = gelu(*v));
        let out = layer.out.apply(&inter, n);
        x.iter_mut().zip(&out).for_each(|(a, b)| *a += b);
        layer_norm(x, &layer.out_norm, h, eps);
    }

    /// Multi-head scaled dot-product attention over the whole sequence.
    fn attention(&self, q: &[f32], k: &[f32], v: &[f32], n: usize) -> Vec<f32> {
        let h = self.cfg.hidden_size;
        let heads = self.cfg.num_attention_heads;
        let d = h / heads;
        let scale = 1.0 / (d as f32).sqrt();
        let mut ctx = vec![0f32; n * h];
        let mut scores = vec![0f32; n * n];
        for head in 0..heads {
            let off = head * d;
            // scores = Q_h · K_hᵀ × scale: [n, d] · [d, n]
            unsafe {
                matrixmultiply::sgemm(
                    n,
                    d,
                    n,
                    scale,
                    q[off..].as_ptr(),
                    h as isize,
                    1,
                    k[off..].as_ptr(),
                    1,
                    h as isize,
                    0.0,
                    scores.as_mut_ptr(),
                    n as isize,
                    1,
                );
            }
            for row in scores.chunks_exact_mut(n) {
                softmax(row);
            }
            // ctx_h = P · V_h: [n, n] · [n, d]
            unsafe {
                matrixmultiply::sgemm(
                    n,
                    n,
                    d,
                    1.0,
                    scores.as_ptr(),
                    n as isize,
                    1,
                    v[off..].as_ptr(),
                    h as isize,
                    1,
                    0.0,
                    ctx[off..].as_mut_ptr(),
                    h as isize,
                    1,
                );
            }
        }
        ctx
    }
}

/// A checkpoint without token type embeddings of the expected size: the first row.
fn tensor_first_row(st: &SafeTensors, prefix: &str, h: usize) -> Result<Vec<f32>, String> {
    let full = format!("{prefix}embeddings.token_type_embeddings.weight");
    let t = st.tensor(&full).map_err(|_| format!("model.safetensors has no tensor {full}"))?;
    let data = t.data();
    if t.dtype() != safetensors::Dtype::F32 || data.len() < h * 4 {
        return Err(format!("{full} is not an f32 table of {h} columns"));
    }
    Ok(data[..h * 4].chunks_exact(4).map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]])).collect())
}

impl Linear {
    /// `x` [n, n_in] · weightᵀ + bias: [n, n_out].
    fn apply(&self, x: &[f32], n: usize) -> Vec<f32> {
        assert_eq!(x.len(), n * self.n_in, "input of the wrong width");
        if n < SMALL_N {
            return self.apply_rows(x, n);
        }
        let mut y: Vec<f32> = Vec::with_capacity(n * self.n_out);
        for _ in 0..n {
            y.extend_from_slice(&self.bias);
        }
        // SAFETY: the strides describe `x` [n, n_in] and `weight` [n_out,
        // n_in] read as its transpose [n_in, n_out]; `y` is [n, n_out];
        // all three lengths were checked or built to match.
        unsafe {
            matrixmultiply::sgemm(
                n,
                self.n_in,
                self.n_out,
                1.0,
                x.as_ptr(),
                self.n_in as isize,
                1,
                self.weight.as_ptr(),
                1,
                self.n_in as isize,
                1.0,
                y.as_mut_ptr(),
                self.n_out as isize,
                1,
            );
        }
        y
    }
}

/// Below this many tokens (a query), each output is a dot product of a
/// token's row with a weight row, read in place: sgemm would copy (pack)
/// every weight matrix for a few rows of work.
const SMALL_N: usize = 16;

impl Linear {
    fn apply_rows(&self, x: &[f32], n: usize) -> Vec<f32> {
        let mut y = Vec::with_capacity(n * self.n_out);
        for row in x.chunks_exact(self.n_in) {
            for (w, b) in self.weight.chunks_exact(self.n_in).zip(&self.bias) {
                y.push(dot8(row, w) + b);
            }
        }
        y
    }
}

/// A dot product in eight lanes (which the compiler vectorises).
fn dot8(a: &[f32], b: &[f32]) -> f32 {
    let mut acc = [0f32; 8];
    let (ac, bc) = (a.chunks_exact(8), b.chunks_exact(8));
    let tail: f32 = ac.remainder().iter().zip(bc.remainder()).map(|(x, y)| x * y).sum();
    for (x, y) in ac.zip(bc) {
        for i in 0..8 {
            acc[i] += x[i] * y[i];
        }
    }
    acc.iter().sum::<f32>() + tail
}

fn layer_norm(x: &mut [f32], norm: &Norm, h: usize, eps: f32) {
    for row in x.chunks_exact_mut(h) {
        let mean = row.iter().sum::<f32>() / h as f32;
        let var = row.iter().map(|v| (v - mean) * (v - mean)).sum::<f32>() / h as f32;
        let inv = 1.0 / (var + eps).sqrt();
        for ((v, w), b) in row.iter_mut().zip(&norm.weight).zip(&norm.bias) {
            *v = (*v - mean) * inv * w + b;
        }
    }
}

fn softmax(row: &mut [f32]) {
    let max = row.iter().copied().fold(f32::NEG_INFINITY, f32::max);
    let mut sum = 0.0;
    for v in row.iter_mut() {
        *v = (*v - max).exp();
        sum += *v;
    }
    row.iter_mut().for_each(|v| *v /= sum);
}

/// BERT's gelu: x·Φ(x), with erf.
fn gelu(x: f32) -> f32 {
    0.5 * x * (1.0 + erf(x / std::f32::consts::SQRT_2))
}

/// erf to within 1.2e-7 (Numerical Recipes' erfc by Chebyshev fit), in f64.
fn erf(x: f32) -> f32 {
    let z = f64::from(x).abs();
    let t = 1.0 / (1.0 + 0.5 * z);
    let poly = -z * z - 1.265_512_23
        + t * (1.000_023_68
            + t * (0.374_091_96
                + t * (0.096_784_18
                    + t * (-0.186_288_06
                        + t * (0.278_868_07
                            + t * (-1.135_203_98 + t * (1.488_515_87 + t * (-0.822_152_23 + t * 0.170_872_77))))))));
    let erfc = t * poly.exp();
    let r = 1.0 - erfc;
    (if x >= 0.0 { r } else { -r }) as f32
}

#[cfg(test)]
mod tests {
    #[test]
    fn erf_matches_known_values() {
        for (x, want) in [(0.0f32, 0.0f32), (0.5, 0.520_499_9), (1.0, 0.842_700_8), (-2.0, -0.995_322_3)] {
            assert!((super::erf(x) - want).abs() < 1e-6, "erf({x})");
        }
    }
}
