#!/usr/bin/env bash
# `insp serve` under load: CLIENTS concurrent connections over loopback
# (wrk, Debian's package) send the evaluation's queries (eval/queries.tsv
# and eval/real/queries.tsv, each with its filters) to /api/search until
# REQUESTS answers have come back (at most 300 s). Loopback only; it stops
# by itself. Results go in benches/README.md.
#
#   benches/serve_load.sh                # 200 clients, 20,000 requests
#   CLIENTS=50 REQUESTS=5000 benches/serve_load.sh
#
# INSP (default target/release/insp), INDEX (default: an index of
# ../shared/reports-dev built on first use in /tmp/insp-serve-load).
set -euo pipefail
cd "$(dirname "$0")/.."
INSP=${INSP:-target/release/insp}
INDEX=${INDEX:-/tmp/insp-serve-load/index}
CLIENTS=${CLIENTS:-200}
REQUESTS=${REQUESTS:-20000}

command -v wrk >/dev/null || { echo "needs wrk (Debian: apt-get install wrk)" >&2; exit 2; }
if [ ! -e "$INDEX/meta.json" ]; then
  "$INSP" --index "$INDEX" index ../shared/reports-dev 2>/dev/null
fi
work=$(mktemp -d)
server=
trap 'kill "$server" 2>/dev/null || true; rm -rf "$work"' EXIT

# One request path per query: q and its filters by their option names.
python3 - eval/queries.tsv eval/real/queries.tsv > "$work/paths" <<'PY'
import csv, json, shlex, sys, urllib.parse
for name in sys.argv[1:]:
    with open(name, newline="") as f:
        for row in csv.DictReader(f, delimiter="\t"):
            pairs = [("q", row["query"])]
            filters = row["filters"].strip()
            if filters.startswith("{"):  # the sample set: a batch line's keys
                for key, value in json.loads(filters).items():
                    for v in value if isinstance(value, list) else [value]:
                        pairs.append((key, str(v)))
            else:  # the real set: command-line options
                words = shlex.split(filters)
                pairs += [(k.removeprefix("--"), v) for k, v in zip(words[::2], words[1::2])]
            print("/api/search?" + urllib.parse.urlencode(pairs))
PY
echo "$(wc -l < "$work/paths") queries; $CLIENTS clients; $REQUESTS requests; index $INDEX"

"$INSP" --index "$INDEX" serve --addr 127.0.0.1:0 > "$work/url" 2>/dev/null &
server=$!
for _ in $(seq 100); do [ -s "$work/url" ] && break; sleep 0.1; done
url=$(sed -n 's/^insp serve: //p' "$work/url")
# Every query answers 200 before the clock starts (and warms the cache).
while read -r path; do
  code=$(curl -s -o /dev/null -w '%{http_code}' "${url%/}$path")
  [ "$code" = 200 ] || { echo "$path answered $code" >&2; exit 1; }
done < "$work/paths"
wrk -t1 -c"$CLIENTS" -d300s --timeout 30s -s benches/serve_load.lua "$url" -- "$work/paths" "$REQUESTS" \
  | tail -n 1
