#!/usr/bin/env bash
# insp's embeddings against a reference: Hugging Face's `tokenizers` for the
# token ids and a numpy BERT (ref.py) for the vectors, on the sentences in
# sentences.txt (or a file given second). Needs `pip install numpy
# tokenizers safetensors` and the model unpacked in a folder (MODEL_DIR).
# Usage: eval/embed/check.sh MODEL_DIR [LINES_FILE]
set -euo pipefail
cd "$(dirname "$0")/../.."
model=$1
lines=${2:-eval/embed/sentences.txt}
cargo build --quiet -p insp-embed --example embed_check
./target/debug/examples/embed_check "$model" < "$lines" > /tmp/insp-embed-rust.jsonl
python3 eval/embed/ref.py "$model" < "$lines" > /tmp/insp-embed-ref.jsonl
python3 - <<'PY'
import json, numpy as np
r = [json.loads(l) for l in open('/tmp/insp-embed-rust.jsonl')]
p = [json.loads(l) for l in open('/tmp/insp-embed-ref.jsonl')]
worst = max(float(np.abs(np.array(a['v']) - np.array(b['v'])).max()) for a, b in zip(r, p))
same_ids = sum(a['ids'] == b['ids'] for a, b in zip(r, p))
print(f"{len(r)} texts: token ids equal for {same_ids}; largest difference in a vector component {worst:.2e}")
PY
