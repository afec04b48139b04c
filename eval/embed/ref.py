# numpy reference of all-MiniLM-L6-v2 (BERT, mean pooling, normalize) and HF tokenizers' ids.
import json, sys, numpy as np
from safetensors.numpy import load_file
from tokenizers import Tokenizer
from math import erf
d = sys.argv[1]
W = load_file(d + '/model.safetensors')
tok = Tokenizer.from_file(d + '/tokenizer.json'); tok.no_padding(); tok.enable_truncation(256)
verf = np.vectorize(erf)
def ln(x, p):
    m = x.mean(-1, keepdims=True); v = ((x - m) ** 2).mean(-1, keepdims=True)
    return (x - m) / np.sqrt(v + 1e-12) * W[p + '.weight'] + W[p + '.bias']
def lin(x, p): return x @ W[p + '.weight'].T + W[p + '.bias']
def embed(ids):
    ids = np.array(ids); n = len(ids)
    x = W['embeddings.word_embeddings.weight'][ids] + W['embeddings.position_embeddings.weight'][:n] + W['embeddings.token_type_embeddings.weight'][0]
    x = ln(x, 'embeddings.LayerNorm')
    for l in range(6):
        p = f'encoder.layer.{l}'
        q, k, v = (lin(x, f'{p}.attention.self.{t}').reshape(n, 12, 32).transpose(1, 0, 2) for t in ('query', 'key', 'value'))
        s = q @ k.transpose(0, 2, 1) / np.sqrt(32); s = np.exp(s - s.max(-1, keepdims=True)); s /= s.sum(-1, keepdims=True)
        c = (s @ v).transpose(1, 0, 2).reshape(n, 384)
        x = ln(x + lin(c, f'{p}.attention.output.dense'), f'{p}.attention.output.LayerNorm')
        i = lin(x, f'{p}.intermediate.dense'); i = 0.5 * i * (1 + verf(i / np.sqrt(2)))
        x = ln(x + lin(i, f'{p}.output.dense'), f'{p}.output.LayerNorm')
    m = x.mean(0); return m / np.linalg.norm(m)
for line in sys.stdin:
    line = line.rstrip('\n')
    ids = tok.encode(line).ids
    print(json.dumps({'ids': ids, 'v': embed(ids).tolist()}))
