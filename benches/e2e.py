#!/usr/bin/env python3
"""End to end: insp beside SQLite FTS5, the sqlite3 shell and ripgrep, on
the same data, in one run.

    python3 benches/e2e.py [--scale 1000] [--work DIR] [--no-pdf]

1. Builds insp and the bench tools (release), writes SCALE x the bundled
   samples as synthetic reports (benches/src/lib.rs; seed 42).
2. Index build: `insp index` on the text files (parsing included) and on
   the same paragraphs as NDJSON (`insp export`, parsing excluded), against
   an FTS5 table (porter tokenizer, as insp stems) built from those
   paragraphs in one transaction: seconds, MB/s, peak RSS, size on disk.
3. Queries: in-process latency per kind of query (`latency`, excerpts
   included) against the same queries through Python's sqlite3 (bm25 order
   and snippet(), as insp ranks and excerpts); a batch of 1,000 queries
   (`insp batch`, one process) against the same 1,000 through sqlite3 in one
   process; a one-off `insp search` process against a `sqlite3` shell process
   and `rg` on the text files, each run 20 times with a warm page cache.
4. PDFs: `insp index` on ../shared/reports-dev against extracting their
   text alone on every core (`extract`), and re-indexing it unchanged.

Prints a markdown report and writes the numbers as JSON beside it
(benches/results/e2e-SCALE.json). Nothing here is asserted: the machine is
shared and noisy, so read ratios from one run.
"""
import argparse
import json
import os
import platform
import random
import re
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
TARGET = os.path.join(ROOT, "target", "release")
SHARED_PDFS = os.path.join(ROOT, "..", "shared", "reports-dev")
SEED = 42


def sh(cmd, **kw):
    return subprocess.run(cmd, check=True, text=True, capture_output=True, **kw)


def timed(cmd, stdin=None):
    """Run cmd; return (seconds, peak RSS in MB, stdout) using GNU time if present."""
    gnu_time = shutil.which("time") and os.path.exists("/usr/bin/time")
    full = (["/usr/bin/time", "-f", "%M"] if gnu_time else []) + cmd
    start = time.perf_counter()
    p = subprocess.run(full, text=True, capture_output=True, stdin=stdin)
    seconds = time.perf_counter() - start
    if p.returncode not in (0, 2):
        sys.exit(f"e2e: {' '.join(cmd)} failed ({p.returncode}):\n{p.stderr[-2000:]}")
    rss = None
    if gnu_time:
        last = p.stderr.strip().splitlines()[-1]
        rss = int(last) / 1024 if last.isdigit() else None
    return seconds, rss, p.stdout


def du(path):
    total = 0
    for dirpath, _, files in os.walk(path):
        for f in files:
            total += os.path.getsize(os.path.join(dirpath, f))
    return total


def text_bytes(path):
    return du(path)


def paired_medians(cmds, n=31):
    """Run each command once per round, in turn, n rounds (so that load on a
    shared machine falls on all alike); the median seconds of each."""
    for cmd in cmds.values():
        subprocess.run(cmd, capture_output=True)  # warm the page cache
    times = {k: [] for k in cmds}
    for _ in range(n):
        for k, cmd in cmds.items():
            start = time.perf_counter()
            subprocess.run(cmd, capture_output=True, check=False)
            times[k].append(time.perf_counter() - start)
    return {k: statistics.median(v) for k, v in times.items()}


def median_runs(cmd, n=20):
    subprocess.run(cmd, capture_output=True)  # warm the page cache
    times = []
    for _ in range(n):
        start = time.perf_counter()
        subprocess.run(cmd, capture_output=True, check=False)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


# ---- FTS5 -------------------------------------------------------------------

FTS_SCHEMA = ("CREATE VIRTUAL TABLE p USING fts5(text, id UNINDEXED, report_id UNINDEXED, grade UNINDEXED, "
              "tokenize='porter unicode61 remove_diacritics 2')")


def paragraphs_from_export(path):
    rows = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            doc = json.loads(line)
            if doc.get("kind") != "paragraph":
                continue
            rows.append((doc["text"], doc["id"], doc["report_id"], doc.get("grade")))
    return rows


def fts5_build(export, db):
    """Child process: load the paragraphs, then time only the FTS5 build."""
    rows = paragraphs_from_export(export)
    if os.path.exists(db):
        os.remove(db)
    start = time.perf_counter()
    con = sqlite3.connect(db)
    con.execute("PRAGMA journal_mode=OFF")
    con.execute("PRAGMA synchronous=OFF")
    con.execute(FTS_SCHEMA)
    with con:
        con.executemany("INSERT INTO p(text, id, report_id, grade) VALUES (?, ?, ?, ?)", rows)
    con.execute("INSERT INTO p(p) VALUES('optimize')")
    con.commit()
    con.close()
    print(json.dumps({"seconds": time.perf_counter() - start, "rows": len(rows)}))


def fts5_match(query):
    """insp's query syntax as the nearest FTS5 MATCH: words ANDed, phrases
    kept, OR kept; every word quoted so that FTS5 syntax cannot break."""
    out = []
    for m in re.finditer(r'"([^"]*)"|(\S+)', query):
        if m.group(1) is not None:
            words = re.findall(r"\w+", m.group(1))
            if words:
                out.append('"' + " ".join(words) + '"')
        elif m.group(2) == "OR":
            out.append("OR")
        else:
            words = re.findall(r"\w+", m.group(2))
            out.extend(f'"{w}"' for w in words)
    while out and out[-1] == "OR":
        out.pop()
    while out and out[0] == "OR":
        out.pop(0)
    return " ".join(out)


FTS_QUERY = ("SELECT id, snippet(p, 0, '[', ']', '…', 16) FROM p WHERE p MATCH ? "
             "ORDER BY rank LIMIT 10")
# The "facet" kind is filtered to grades 3 and 4, as insp_bench::request does.
FTS_QUERY_GRADES = ("SELECT id, snippet(p, 0, '[', ']', '…', 16) FROM p WHERE p MATCH ? AND grade IN (3, 4) "
                    "ORDER BY rank LIMIT 10")


def fts5_latency(db, queries_by_kind, rounds):
    con = sqlite3.connect(db)
    out = {}
    for kind, queries in queries_by_kind.items():
        sql = FTS_QUERY_GRADES if kind == "facet" else FTS_QUERY
        for q in queries:
            con.execute(sql, (fts5_match(q),)).fetchall()  # warm
        ms = []
        for _ in range(rounds):
            for q in queries:
                start = time.perf_counter()
                con.execute(sql, (fts5_match(q),)).fetchall()
                ms.append((time.perf_counter() - start) * 1e3)
        ms.sort()
        out[kind] = {"p50_ms": ms[len(ms) // 2], "p99_ms": ms[min(len(ms) - 1, int(len(ms) * 0.99))]}
    return out


def fts5_batch(db, queries):
    con = sqlite3.connect(db)
    start = time.perf_counter()
    for q in queries:
        con.execute(FTS_QUERY, (fts5_match(q),)).fetchall()
    return time.perf_counter() - start


# ---- queries ----------------------------------------------------------------

def query_kinds():
    """The kinds and queries of benches/src/lib.rs (QUERY_KINDS), read from
    the source so that both sides run the same queries."""
    src = open(os.path.join(HERE, "src", "lib.rs"), encoding="utf-8").read()
    block = src[src.index("pub const QUERY_KINDS"):src.index("];", src.index("pub const QUERY_KINDS"))]
    kinds = {}
    for kind, body in re.findall(r'\("(\w+)", &\[(.*?)\]\)', block, re.S):
        kinds[kind] = [json.loads(s) for s in re.findall(r'"(?:[^"\\]|\\.)*"', body)]
    return kinds


def batch_queries(n=1000):
    """The evaluation's 57 queries, the bench kinds, then seeded word pairs
    and singles drawn from the evaluation queries' own words."""
    rows = [l.rstrip("\n").split("\t") for l in open(os.path.join(ROOT, "eval", "queries.tsv"), encoding="utf-8")]
    header = rows[0]
    qi = header.index("query")
    base = [r[qi] for r in rows[1:] if len(r) > qi and r[qi].strip()]
    for qs in query_kinds().values():
        base.extend(qs)
    words = sorted({w.lower() for q in base for w in re.findall(r"[A-Za-z]{4,}", q)})
    rng = random.Random(SEED)
    out = list(base)
    while len(out) < n:
        k = rng.choice([1, 2, 2, 3])
        out.append(" ".join(rng.choice(words) for _ in range(k)))
    return out[:n]


# ---- the run ----------------------------------------------------------------

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--scale", type=int, default=1000)
    ap.add_argument("--work", help="working folder (default: a temporary one, removed after)")
    ap.add_argument("--no-pdf", action="store_true", help="skip the PDF part")
    ap.add_argument("--installed", action="store_true",
                    help="also time the one-off search with the builds the README installs: "
                         "--profile dist and, on x86-64 Linux, statically linked (built if stale)")
    ap.add_argument("--fts5-build", nargs=2, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.fts5_build:
        fts5_build(*args.fts5_build)
        return

    work = args.work or tempfile.mkdtemp(prefix="insp-e2e-")
    os.makedirs(work, exist_ok=True)
    print(f"building (release) and writing {args.scale}x the samples to {work}", file=sys.stderr)
    sh(["cargo", "build", "--release", "--quiet", "-p", "insp", "-p", "insp-bench"], cwd=ROOT)
    insp = os.path.join(TARGET, "insp")
    installed = {}
    if args.installed:  # built first: a failed build stops the run before it starts
        import symbol_order
        target = os.environ.get("CARGO_TARGET_DIR", os.path.join(ROOT, "target"))
        installed["insp_dist_ms"] = symbol_order.build(target, False)
        if platform.system() == "Linux" and platform.machine() == "x86_64":
            installed["insp_dist_static_ms"] = symbol_order.build(target, True)
    corpus = os.path.join(work, f"synth-{args.scale}x")
    if not os.path.isdir(corpus):
        sh([os.path.join(TARGET, "synth"), str(args.scale), corpus, str(SEED)])
    tbytes = text_bytes(corpus)
    res = {"scale": args.scale, "text_mb": tbytes / 1e6, "machine": machine(), "date": time.strftime("%Y-%m-%d")}

    # Index build.
    ix = os.path.join(work, "insp-index")
    shutil.rmtree(ix, ignore_errors=True)
    secs, rss, _ = timed([insp, "index", corpus, "--index", ix])
    res["insp_index"] = {"seconds": secs, "mb_per_s": tbytes / 1e6 / secs, "peak_rss_mb": rss,
                         "size_mb": du(ix) / 1e6, "size_vs_text": du(ix) / tbytes}
    export = os.path.join(work, "export.ndjson")
    with open(export, "w") as f:
        subprocess.run([insp, "export", "--index", ix], stdout=f, check=True)
    ix2 = os.path.join(work, "insp-index-ndjson")
    shutil.rmtree(ix2, ignore_errors=True)
    secs2, rss2, _ = timed([insp, "index", export, "--index", ix2])
    res["insp_index_ndjson"] = {"seconds": secs2, "mb_per_s": tbytes / 1e6 / secs2, "peak_rss_mb": rss2}
    shutil.rmtree(ix2, ignore_errors=True)
    db = os.path.join(work, "fts5.db")
    _, frss, fout = timed([sys.executable, __file__, "--fts5-build", export, db])
    f = json.loads(fout)
    res["fts5_index"] = {"seconds": f["seconds"], "mb_per_s": tbytes / 1e6 / f["seconds"], "peak_rss_mb": frss,
                         "size_mb": os.path.getsize(db) / 1e6, "size_vs_text": os.path.getsize(db) / tbytes,
                         "rows": f["rows"]}

    # Queries in process.
    kinds = query_kinds()
    out = sh([os.path.join(TARGET, "latency"), ix, "30"]).stdout
    lat = {j["kind"]: j for j in map(json.loads, out.splitlines())}
    flat = fts5_latency(db, kinds, 10)
    res["latency"] = {k: {"insp_p50_ms": lat[k]["p50_ms"], "insp_p99_ms": lat[k]["p99_ms"],
                          "fts5_p50_ms": flat[k]["p50_ms"], "fts5_p99_ms": flat[k]["p99_ms"]} for k in kinds}

    # A batch of 1,000.
    queries = batch_queries()
    qfile = os.path.join(work, "queries.txt")
    with open(qfile, "w") as fq:
        fq.write("\n".join(queries) + "\n")
    with open(qfile) as fq:
        bsecs, brss, _ = timed([insp, "batch", "--index", ix, "--limit", "10", "--format", "ndjson", qfile])
    res["batch"] = {"queries": len(queries), "insp_seconds": bsecs, "insp_peak_rss_mb": brss,
                    "fts5_seconds": fts5_batch(db, queries)}

    # One-off processes.
    q = "unallocated cases"
    cmds = {"insp_ms": [insp, "search", q, "--index", ix, "--limit", "10"]}
    for key, binary in installed.items():
        cmds[key] = [binary, *cmds["insp_ms"][1:]]
    if shutil.which("sqlite3"):
        cmds["sqlite3_shell_ms"] = ["sqlite3", db, FTS_QUERY.replace("?", "'" + fts5_match(q).replace("'", "''") + "'")]
    if shutil.which("rg"):
        cmds["rg_ms"] = ["rg", "-i", "-c", q, corpus]
    medians = paired_medians(cmds)
    res["one_off"] = {"query": q, "rounds": 31, **{k: 1e3 * medians[k] if k in medians else None
                                                  for k in cmds}}

    # PDFs.
    if not args.no_pdf and os.path.isdir(SHARED_PDFS):
        pdfs = sorted(os.path.join(SHARED_PDFS, f) for f in os.listdir(SHARED_PDFS) if f.lower().endswith(".pdf"))
        pix = os.path.join(work, "pdf-index")
        shutil.rmtree(pix, ignore_errors=True)
        psecs, prss, _ = timed([insp, "index", SHARED_PDFS, "--index", pix])
        esecs, _, eout = timed([os.path.join(TARGET, "extract")] + pdfs)
        usecs, _, _ = timed([insp, "index", SHARED_PDFS, "--index", pix])
        res["pdf"] = {"files": len(pdfs), "index_seconds": psecs, "index_peak_rss_mb": prss,
                      "extract_seconds": esecs, "extract": json.loads(eout), "unchanged_seconds": usecs,
                      "pdftotext_seconds": pdftotext_seconds(pdfs, work)}

    if not args.work:
        shutil.rmtree(work, ignore_errors=True)
    os.makedirs(os.path.join(HERE, "results"), exist_ok=True)
    path = os.path.join(HERE, "results", f"e2e-{args.scale}x.json")
    with open(path, "w") as fj:
        json.dump(res, fj, indent=1)
    print(report(res))
    print(f"\n(numbers in {os.path.relpath(path, ROOT)})", file=sys.stderr)


def pdftotext_seconds(pdfs, work):
    """poppler's pdftotext on the same PDFs, one process per file, as many
    at once as there are cores (as `extract` uses them)."""
    if not shutil.which("pdftotext"):
        return None
    out = os.path.join(work, "pdftotext")
    os.makedirs(out, exist_ok=True)
    start = time.perf_counter()
    pending = list(pdfs)
    running = []
    while pending or running:
        while pending and len(running) < (os.cpu_count() or 2):
            pdf = pending.pop()
            txt = os.path.join(out, os.path.basename(pdf) + ".txt")
            running.append(subprocess.Popen(["pdftotext", pdf, txt], stderr=subprocess.DEVNULL))
        running.pop(0).wait()
    return time.perf_counter() - start


def machine():
    cpu = "unknown"
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return f"{os.cpu_count()} cores ({cpu}), {mem:.0f} GiB, {platform.system()} {platform.release()}"


def report(r):
    f = lambda x, d=1: "-" if x is None else f"{x:,.{d}f}"
    L = [f"### {r['scale']}x the samples ({r['text_mb']:.0f} MB of text), {r['date']}, {r['machine']}", ""]
    i, i2, s = r["insp_index"], r["insp_index_ndjson"], r["fts5_index"]
    L += ["| index build | seconds | MB/s | peak RSS MB | size MB (x text) |", "|---|---|---|---|---|",
          f"| insp index, text files (parsing included) | {f(i['seconds'])} | {f(i['mb_per_s'])} | {f(i['peak_rss_mb'], 0)} | {f(i['size_mb'], 0)} ({i['size_vs_text']:.2f}) |",
          f"| insp index, the same paragraphs as NDJSON | {f(i2['seconds'])} | {f(i2['mb_per_s'])} | {f(i2['peak_rss_mb'], 0)} | |",
          f"| SQLite FTS5 (porter), the same paragraphs | {f(s['seconds'])} | {f(s['mb_per_s'])} | {f(s['peak_rss_mb'], 0)} | {f(s['size_mb'], 0)} ({s['size_vs_text']:.2f}) |",
          "", f"insp/FTS5 throughput: {s['seconds'] / i['seconds']:.2f}x from text files, "
              f"{s['seconds'] / i2['seconds']:.2f}x from NDJSON.", ""]
    L += ["| warm query, in process, excerpts included | insp p50 ms | insp p99 ms | FTS5 p50 ms | FTS5 p99 ms | FTS5/insp at p50 |",
          "|---|---|---|---|---|---|"]
    for k, v in r["latency"].items():
        L.append(f"| {k} | {f(v['insp_p50_ms'], 2)} | {f(v['insp_p99_ms'], 2)} | {f(v['fts5_p50_ms'], 2)} | "
                 f"{f(v['fts5_p99_ms'], 2)} | {v['fts5_p50_ms'] / v['insp_p50_ms']:.1f}x |")
    b = r["batch"]
    L += ["", f"A batch of {b['queries']} queries: insp batch {f(b['insp_seconds'], 2)} s (peak RSS "
              f"{f(b['insp_peak_rss_mb'], 0)} MB), FTS5 in one process {f(b['fts5_seconds'], 2)} s: "
              f"{b['fts5_seconds'] / b['insp_seconds']:.1f}x.", ""]
    o = r["one_off"]
    L += [f"One-off process, `{o['query']}`, paired runs (median of {o.get('rounds', 20)}) with a warm cache: "
          f"insp search {f(o['insp_ms'])} ms"
          + (f" (`--profile dist` {f(o['insp_dist_ms'])} ms" if o.get("insp_dist_ms") else "")
          + (f", statically linked {f(o['insp_dist_static_ms'])} ms" if o.get("insp_dist_static_ms") else "")
          + (")" if o.get("insp_dist_ms") else "") + ", "
          f"sqlite3 shell {f(o.get('sqlite3_shell_ms'))} ms, rg {f(o.get('rg_ms'))} ms (rg counts lines; it does not rank)."]
    if "pdf" in r:
        p = r["pdf"]
        L += ["", f"PDFs ({p['files']} in ../shared/reports-dev): insp index {f(p['index_seconds'], 2)} s "
                  f"(peak RSS {f(p['index_peak_rss_mb'], 0)} MB); extracting their text alone on "
                  f"{p['extract']['threads']} threads {f(p['extract_seconds'], 2)} s: "
                  f"{p['index_seconds'] / p['extract_seconds']:.2f}x; `pdftotext` on the same files, "
                  f"as many at once as cores, {f(p.get('pdftotext_seconds'), 2)} s; re-indexing unchanged "
                  f"{f(p['unchanged_seconds'], 2)} s."]
    return "\n".join(L)


if __name__ == "__main__":
    main()
