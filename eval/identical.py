#!/usr/bin/env python3
"""Behaviour unchanged: two insp binaries must print the same bytes.

    python3 eval/identical.py [--base /work/tools/insp-baseline] [--new target/debug/insp]

Compares, byte for byte, what a baseline binary (built from main before a
change) and a new one print for:

- `parse --format json` (and `--lines --format json`) on the bundled samples
  in corpus/, the PDF fixtures in tests/fixtures/pdf/ and every PDF in
  ../shared/reports-dev;
- on an index of ../shared/reports-dev built by each binary in turn (at the
  same path), and queried by both: `search` for every query of
  eval/queries.tsv (JSON, and text, CSV and NDJSON for some), a misspelt
  query, `batch`, `reports`, `facets`, `stats`, `show` of a few ids in each
  format, `export`, and last a rebuild and its swap; what does not depend
  on the index's segment layout (`export`, `reports`, `show`, `stats`,
  `facets`) is also compared across the two indexes.

Exit status and standard error are compared with standard output. The one
thing masked is the index's size in bytes (`stats`): tantivy's writer
threads lay segments out differently from run to run, so it differs between
two runs of the same binary (and so, for a few queries, can the order of
hits of equal score at a cut, which is why queries run on one index at a
time).

Exits 1 and lists the differences (with the first differing line of each),
0 when there are none, 2 when it cannot run.
"""
import argparse
import csv
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
DEV = os.path.normpath(os.path.join(ROOT, "..", "shared", "reports-dev"))
SHOW_IDS = 4


def run(binary, args, env, stdin=None):
    p = subprocess.run([binary, *args], env=env, input=stdin, capture_output=True)
    # The exit status is part of the behaviour too.
    return p.stdout + f"\n[exit {p.returncode}]\n".encode() + p.stderr


def mask(name, out):
    if name.startswith("stats"):
        out = re.sub(rb'"index_bytes": ?\d+', b'"index_bytes": N', out)
        out = re.sub(rb"size +[0-9.]+ MB", b"size N MB", out)
    return out


def queries():
    with open(os.path.join(HERE, "queries.tsv"), newline="") as f:
        rows = list(csv.DictReader(f, delimiter="\t"))
    out = []
    for r in rows:
        args = [r["query"]]
        for key, value in (json.loads(r["filters"]) if r["filters"] else {}).items():
            args += [f"--{key}", str(value)]
        out.append((r["qid"], args))
    return out


def parse_cases():
    files = [os.path.join(ROOT, "corpus", f) for f in sorted(os.listdir(os.path.join(ROOT, "corpus")))]
    fixtures = os.path.join(ROOT, "tests", "fixtures", "pdf")
    files += [os.path.join(fixtures, f) for f in sorted(os.listdir(fixtures)) if f.endswith(".pdf")]
    if os.path.isdir(DEV):
        files += [os.path.join(DEV, f) for f in sorted(os.listdir(DEV)) if f.endswith(".pdf")]
    cases = [("help", ["--help"])]
    for sub in ("index", "search", "batch", "facets", "parse", "reports", "show", "stats", "export"):
        cases.append((f"help {sub}", [sub, "--help"]))
    for path in files:
        name = os.path.relpath(path, os.path.dirname(ROOT))
        cases.append((f"parse {name}", ["parse", path, "--format", "json"]))
        cases.append((f"parse --lines {name}", ["parse", path, "--lines", "--format", "json"]))
        if "/corpus/" in path:
            for fmt in ("text", "csv", "ndjson"):
                cases.append((f"parse {name} {fmt}", ["parse", path, "--format", fmt]))
                cases.append((f"parse --lines {name} {fmt}", ["parse", path, "--lines", "--format", fmt]))
    return cases


def index_cases(report_ids):
    cases = []
    for i, (qid, args) in enumerate(queries()):
        cases.append((f"search {qid} json", ["search", *args, "--format", "json"]))
        if i % 4 == 0:
            for fmt in ("text", "csv", "ndjson"):
                cases.append((f"search {qid} {fmt}", ["search", *args, "--format", fmt]))
    cases.append(("search per-report", ["search", "caseloads", "--per-report", "1", "-n", "20", "--format", "json"]))
    cases.append(("search explain", ["search", "IRO capacity", "--explain", "-n", "3", "--format", "json"]))
    cases.append(("search explain text", ["search", "IRO capacity", "--explain", "-n", "3"]))
    cases.append(("search misspelt", ["search", "safegaurding", "--format", "json"]))
    cases.append(("search misspelt text", ["search", "safegaurding managment"]))
    cases.append(("search bad query", ["search", "\"unclosed"]))
    cases.append(("search bad filter", ["search", "x", "--authority", "Atlantis"]))
    for fmt in ("json", "text", "csv", "ndjson"):
        cases.append((f"reports {fmt}", ["reports", "--format", fmt]))
        cases.append((f"reports grade 4 {fmt}", ["reports", "--grade", "4", "--format", fmt]))
        cases.append((f"facets {fmt}", ["facets", "--format", fmt]))
        cases.append((f"facets query {fmt}", ["facets", "care leavers", "--format", fmt]))
        cases.append((f"stats {fmt}", ["stats", "--format", fmt]))
        for rid in report_ids:
            cases.append((f"show {rid} {fmt}", ["show", rid, "--format", fmt]))
            cases.append((f"show {rid}#3 {fmt}", ["show", f"{rid}#3", "-C", "2", "--format", fmt]))
    cases.append(("show missing", ["show", "no-such-report"]))
    cases.append(("export ndjson", ["export"]))
    cases.append(("export quickwit", ["export", "--format", "quickwit"]))
    cases.append(("export opensearch", ["export", "--format", "opensearch"]))
    return cases


BATCH = "\n".join(
    [
        "unallocated cases",
        '{"id": "a", "query": "caseloads", "grade": 4, "limit": 3}',
        '{"id": "b", "query": "x", "authority": "Atlantis"}',
        "# a comment",
        '{"query": "care leavers", "type": "focused_visit"}',
        '{"query": "x", "colour": "red"}',
        '{"query": "x", "grade": [4, "good"], "authority": null}',
        '{"id": 3, "query": 5}',
        '{"id": "q", "query": "x", "since": 2018}',
        '{"id": "q", "quer": "x"}',
    ]
).encode()


def env_for(workdir):
    index = os.path.join(workdir, "index")
    return {"PATH": os.environ.get("PATH", ""), "HOME": workdir, "INSP_INDEX": index, "LC_ALL": "C"}


def parse_outputs(binary, workdir):
    env = env_for(workdir)
    return {name: run(binary, args, env) for name, args in parse_cases()}


def build_index(binary, workdir):
    """The index of ../shared/reports-dev built by `binary`, and a few of its report ids."""
    env = env_for(workdir)
    shutil.rmtree(env["INSP_INDEX"], ignore_errors=True)
    summary = run(binary, ["index", DEV], env)
    listed = json.loads(run(binary, ["reports", "--format", "json"], env).split(b"\n[exit")[0])
    ids = [r["report_id"] for r in listed["reports"]]
    return summary, ids[:: max(1, len(ids) // SHOW_IDS)][:SHOW_IDS]


def index_outputs(binary, workdir, picks):
    """What `binary` prints on the index now in `workdir`."""
    env = env_for(workdir)
    out = {name: mask(name, run(binary, args, env)) for name, args in index_cases(picks)}
    for fmt in ("json", "ndjson", "csv", "text"):
        out[f"batch {fmt}"] = run(binary, ["batch", "--format", fmt], env, stdin=BATCH)
    return out


def rebuild_outputs(binary, workdir):
    """A rebuild beside the index and the swap: what it says and leaves."""
    env = env_for(workdir)
    return {
        "rebuild": run(binary, ["index", "--rebuild", DEV], env),
        "rebuild reports": run(binary, ["reports", "--format", "json"], env),
        "rebuild leaves": "\n".join(sorted(n for n in os.listdir(workdir) if n.startswith("index"))).encode(),
    }


def compare(label, base, new, diffs):
    for name in base:
        if base[name] != new.get(name):
            diffs.append(f"{label}{name}: {first_difference(base[name], new.get(name, b''))}")


def first_difference(a, b):
    la, lb = a.decode(errors="replace").splitlines(), b.decode(errors="replace").splitlines()
    for i, (x, y) in enumerate(zip(la, lb)):
        if x != y:
            return f"line {i + 1}: -{x[:150]!r} +{y[:150]!r}"
    return f"one output is longer ({len(la)} lines against {len(lb)})"


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--base", default="/work/tools/insp-baseline")
    ap.add_argument("--new", default=os.path.join(ROOT, "target", "debug", "insp"))
    args = ap.parse_args()
    for b in (args.base, args.new):
        if not os.access(b, os.X_OK):
            print(f"identical: {b} is not an executable; build it first", file=sys.stderr)
            return 2
    label = f"{args.base} against {args.new}"
    if not os.path.isdir(DEV):
        print(f"identical: {DEV} is missing; it holds the reports to compare on", file=sys.stderr)
        return 2
    diffs = []
    n = 0
    with tempfile.TemporaryDirectory() as tmp:
        # Both run as `insp` (the name shows in `--help`).
        for who in ("base", "new"):
            os.makedirs(os.path.join(tmp, who))
            shutil.copy(getattr(args, who), os.path.join(tmp, who, "insp"))
        args.base, args.new = os.path.join(tmp, "base", "insp"), os.path.join(tmp, "new", "insp")
        base, new = parse_outputs(args.base, tmp), parse_outputs(args.new, tmp)
        compare("", base, new, diffs)
        n += len(base)
        # Each binary builds the index, and both query each index: tantivy's
        # writer threads lay segments out differently from run to run, which
        # can reorder hits of equal score at a cut, so queries are compared on
        # one index at a time; the indexes' contents are compared through
        # `export`, `reports`, `show` and `stats`.
        by_builder = {}
        for who, builder in (("base", args.base), ("new", args.new)):
            summary, picks = build_index(builder, tmp)
            by_builder[who] = (summary, picks)
            base, new = index_outputs(args.base, tmp, picks), index_outputs(args.new, tmp, picks)
            compare(f"[index by {who}] ", base, new, diffs)
            n += len(base)
            if who == "base":
                first = base
            else:
                stable = [k for k in base if k.split(" ")[0] in ("export", "reports", "show", "stats", "facets")]
                compare("[index by base, against index by new] ", {k: first[k] for k in stable}, new, diffs)
                n += len(stable)
        # Last, as it replaces the index: each binary rebuilds it in turn.
        base, new = rebuild_outputs(args.base, tmp), rebuild_outputs(args.new, tmp)
        compare("", base, new, diffs)
        n += len(base)
        if by_builder["base"] != by_builder["new"]:
            diffs.append("index: the two builds say different things or hold different reports")
    print(f"{n} outputs compared ({label})")
    for d in diffs:
        print(f"DIFFERENT {d}")
    if diffs:
        print(f"{len(diffs)} of {n} outputs differ")
        return 1
    print("no difference")
    return 0


if __name__ == "__main__":
    sys.exit(main())
