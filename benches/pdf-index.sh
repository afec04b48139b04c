#!/usr/bin/env bash
# Time `insp index` on ../shared/reports-dev (80 real PDFs, 3 HTML pages):
# a fresh index three times, then an unchanged re-run three times.
# Usage: benches/pdf-index.sh [path/to/insp]
set -euo pipefail
cd "$(dirname "$0")/.."
insp=${1:-target/release/insp}
[ -x "$insp" ] || cargo build --release --quiet
dev=../shared/reports-dev
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
t() { local s e; s=$(date +%s.%N); "$@" >/dev/null 2>&1 || true; e=$(date +%s.%N); echo "$e - $s" | bc; }
echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(uname -m); date: $(date -u +%F)"
for i in 1 2 3; do
  rm -rf "$tmp/index"
  echo "fresh index run $i: $(t "$insp" --index "$tmp/index" index "$dev") s"
done
for i in 1 2 3; do
  echo "unchanged re-run $i: $(t "$insp" --index "$tmp/index" index "$dev") s"
done
