#!/usr/bin/env python3
"""Search quality on 80 real Ofsted reports: insp against SQLite FTS5.

    python3 eval/real/run.py [--insp target/release/insp] [--model PATH]

Indexes every PDF in ../shared/reports-dev (beside the repository) with the
given insp binary in a temporary directory, loads the same paragraphs (from
`insp export`) into an SQLite FTS5 table (porter tokenizer), runs every query
of queries.tsv through insp (as shipped, with the query's CLI filters) and
FTS5 (AND and OR, with the same filters applied to the exported metadata),
and scores the rankings against judgments.tsv. Paragraphs are identified by
(PDF file name, first 10 words), so the judgments survive re-parsing.
Only queries with judgments are scored; retrieved paragraphs nobody judged
count as grade 0. Prints markdown tables. Standard library only. With
--model (an embedding model: a folder, zip or wheel), the index is built with
paragraph vectors and insp's hybrid and semantic modes are scored too.
"""
import argparse
import csv
import glob
import json
import math
import os
import re
import shlex
import sqlite3
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
REPORTS = os.path.join(ROOT, "..", "shared", "reports-dev")
GRADES = {"outstanding": 1, "good": 2, "adequate": 3, "requires-improvement": 3, "requires improvement": 3,
          "inadequate": 4}


def read_tsv(name):
    with open(os.path.join(HERE, name), newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE))


def key(text):
    """The paragraph's first 10 words, lower-cased, punctuation removed."""
    return " ".join(re.sub(r"[^\w\s]|_", "", text.lower()).split()[:10])


def run(cmd):
    r = subprocess.run(cmd, capture_output=True, text=True)
    if r.returncode not in (0, 1):
        sys.exit(f"{' '.join(cmd)} failed ({r.returncode}): {r.stderr}")
    return r.stdout


def build(insp, tmp, model=None, keep=None):
    """Index the PDFs with insp (in `keep` if given, reused if there); return the index path and
    the paragraphs in an FTS5 table."""
    index = keep or os.path.join(tmp, "index")
    pdfs = sorted(glob.glob(os.path.join(REPORTS, "*.pdf")))
    if not pdfs:
        sys.exit(f"no PDFs in {REPORTS}")
    # Files, not the folder: the folder's README.md would be indexed as a report.
    if not (keep and os.path.exists(os.path.join(keep, "meta.json"))):
        run([insp, "index", "--index", index, *(["--model", model] if model else []), *pdfs])
    db = sqlite3.connect(":memory:")
    db.execute("CREATE VIRTUAL TABLE p USING fts5(text, file UNINDEXED, key UNINDEXED, authority UNINDEXED, "
               "type UNINDEXED, grade UNINDEXED, date UNINDEXED, section UNINDEXED, "
               "tokenize='porter unicode61')")
    docs = [json.loads(line) for line in run([insp, "export", "--index", index]).splitlines()]
    files = {d["report_id"]: os.path.basename(d["source"]) for d in docs if d["kind"] == "report"}
    for d in docs:
        if d["kind"] == "paragraph":
            db.execute("INSERT INTO p VALUES (?,?,?,?,?,?,?,?)", (
                d["text"], files[d["report_id"]], key(d["text"]), norm_authority(d.get("authority") or ""),
                d.get("type"), d.get("grade"), d.get("date"), " > ".join(d.get("section") or []).lower()))
    return index, db


def norm_authority(name):
    name = re.sub(r"[^a-z ]", " ", name.lower())
    name = re.sub(r"\b(council|city of|london borough of|borough|metropolitan|county|the)\b", " ", name)
    return " ".join(name.split())


def parse_filters(text):
    """`--type focused_visit --since 2020` -> {"type": ["focused_visit"], "since": ["2020"]}."""
    out, args = {}, shlex.split(text or "")
    for flag, value in zip(args[::2], args[1::2]):
        out.setdefault(flag.lstrip("-"), []).append(value)
    return out


def fts_where(filters):
    """SQL conditions equivalent to insp's filters, on the exported metadata."""
    where, args = [], []
    for name, values in filters.items():
        if name == "authority":
            cond, vals = "authority = ?", [norm_authority(v) for v in values]
        elif name == "type":
            cond, vals = "type = ?", values
        elif name == "grade":
            cond, vals = "grade = ?", [int(v) if v.isdigit() else GRADES[v.lower()] for v in values]
        elif name == "section":
            cond, vals = "section LIKE ?", ["%" + v.lower() + "%" for v in values]
        elif name == "since":
            cond, vals = "date >= ?", [int((v.replace("-", "") + "0101")[:8]) for v in values]
        elif name == "until":
            cond, vals = "date <= ?", [int((v.replace("-", "") + "1231")[:8]) for v in values]
        else:
            sys.exit(f"unknown filter --{name}")
        where.append("(" + " OR ".join([cond] * len(vals)) + ")")
        args += vals
    return "".join(" AND " + w for w in where), args


def fts_query(query, op):
    terms = []
    for part in re.findall(r'"[^"]*"|\S+', query):
        if part in ("AND", "OR") or part.startswith("-"):
            continue
        words = re.findall(r"[\w']+", part)
        if words:
            terms.append('"' + " ".join(words) + '"')
    return f" {op} ".join(terms)


def dedup(pairs):
    seen, out = set(), []
    for p in pairs:
        if p[:2] not in seen:
            seen.add(p[:2])
            out.append(p)
    return out


def fts_search(db, query, filters, op, limit):
    """[(file, key, text)] by bm25."""
    where, args = fts_where(filters)
    match = fts_query(query, op)
    if not match:
        return []
    rows = db.execute(f"SELECT file, key, text FROM p WHERE p MATCH ? {where} ORDER BY bm25(p) LIMIT ?",
                      [match] + args + [limit]).fetchall()
    return dedup(rows)


def insp_search(insp, index, query, filters, limit, mode="lexical"):
    out = run([insp, "search", "--index", index, "--format", "json", "--limit", str(limit), "--mode", mode,
               *shlex.split(filters or ""), query])
    hits = json.loads(out)["hits"] if out.strip() else []
    return dedup([(os.path.basename(h["source"]), key(h["text"]), h["text"]) for h in hits])


def ndcg(ranked, judged, k=10):
    gain = lambda g: 2 ** g - 1
    dcg = sum(gain(judged.get(d, 0)) / math.log2(i + 2) for i, d in enumerate(ranked[:k]))
    idcg = sum(gain(g) / math.log2(i + 2) for i, g in enumerate(sorted(judged.values(), reverse=True)[:k]))
    return dcg / idcg if idcg else 0.0


def recall(ranked, judged, k=100):
    relevant = {d for d, g in judged.items() if g == 2}
    return len(relevant & set(ranked[:k])) / len(relevant) if relevant else None


def mean(xs):
    xs = [x for x in xs if x is not None]
    return sum(xs) / len(xs) if xs else float("nan")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--insp", default=os.path.join(ROOT, "target", "release", "insp"))
    ap.add_argument("--model", help="an embedding model: also score --mode hybrid and semantic")
    ap.add_argument("--index", help="build the index here and keep it; reuse it if it is there")
    args = ap.parse_args()
    insp = os.path.abspath(args.insp)
    if not os.access(insp, os.X_OK):
        sys.exit(f"no insp binary at {insp} (build it, or pass --insp)")
    queries = read_tsv("queries.tsv")
    judgments = {}
    for j in read_tsv("judgments.tsv"):
        judgments.setdefault(j["qid"], {})[(j["file"], j["start"])] = int(j["grade"])
    judged = [q for q in queries if judgments.get(q["qid"])]
    if not judged:
        sys.exit("no judged queries")

    with tempfile.TemporaryDirectory(prefix="insp-real-") as tmp:
        index, db = build(insp, tmp, args.model, args.index)
        systems = {
            "insp (as shipped)": lambda q: insp_search(insp, index, q["query"], q["filters"], 100),
            "FTS5 bm25 porter, AND": lambda q: fts_search(db, q["query"], parse_filters(q["filters"]), "AND", 100),
            "FTS5 bm25 porter, OR": lambda q: fts_search(db, q["query"], parse_filters(q["filters"]), "OR", 100),
        }
        if args.model:
            for mode in ("hybrid", "semantic"):
                systems[f"insp --mode {mode}"] = (
                    lambda q, mode=mode: insp_search(insp, index, q["query"], q["filters"], 100, mode))
        scores = {}  # system -> qid -> (ndcg, recall, distinct reports in top 10, unjudged in top 10)
        for name, search in systems.items():
            scores[name] = {}
            for q in judged:
                hits = search(q)
                ranked = [h[:2] for h in hits]
                j = judgments[q["qid"]]
                scores[name][q["qid"]] = (ndcg(ranked, j), recall(ranked, j), len({h[0] for h in hits[:10]}),
                                          sum(1 for r in ranked[:10] if r not in j))

    n_grade2 = sum(1 for q in judged if any(g == 2 for g in judgments[q["qid"]].values()))
    print(f"{len(judged)} of {len(queries)} queries judged ({sum(len(judgments[q['qid']]) for q in judged)} "
          f"judgements; {n_grade2} queries have grade-2 paragraphs); insp: {args.insp}\n")
    print("| system | nDCG@10 | recall@100 (grade 2) | distinct reports in top 10 | unjudged in top 10 |")
    print("|---|---|---|---|---|")
    for name, s in scores.items():
        vals = list(s.values())
        print(f"| {name} | {mean(v[0] for v in vals):.3f} | {mean(v[1] for v in vals):.3f} | "
              f"{mean(v[2] for v in vals):.1f} | {sum(v[3] for v in vals)} |")
    print("\nUnjudged paragraphs count as grade 0. If a new ranking puts many in its top 10, pool and judge\n"
          "them (pool.py --insp NEW, then judge the added rows) before trusting a drop in nDCG.")
    print("\nBy kind of query, nDCG@10 / recall@100:\n")
    print("| kind | n | " + " | ".join(scores) + " |")
    print("|---|---|" + "---|" * len(scores))
    for kind in sorted({q["kind"] for q in judged}):
        qids = [q["qid"] for q in judged if q["kind"] == kind]
        cells = [f"{mean(s[i][0] for i in qids):.3f} / {mean(s[i][1] for i in qids):.3f}" for s in scores.values()]
        print(f"| {kind} | {len(qids)} | " + " | ".join(cells) + " |")
    print("\nPer query, nDCG@10 / recall@100:\n")
    print("| qid | query | filters | " + " | ".join(scores) + " |")
    print("|---|---|---|" + "---|" * len(scores))
    for q in judged:
        cells = [f"{s[q['qid']][0]:.3f} / {s[q['qid']][1]:.3f}" for s in scores.values()]
        print(f"| {q['qid']} | {q['query']} | {q['filters']} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
