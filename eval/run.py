#!/usr/bin/env python3
"""Search quality: insp against SQLite FTS5 on the same paragraphs.

    python3 eval/run.py [--insp target/release/insp] [--model PATH]

Builds a fresh insp index from the bundled corpus and the reports listed in
SOURCES, loads the same paragraphs (from `insp export`) into an SQLite FTS5
table with the porter tokenizer, runs every query in eval/queries.tsv through
insp (tiered, as shipped, and strict AND) and FTS5 (AND and OR), and scores
them against the graded judgements in eval/judgments.tsv: nDCG@10 (gain
2^grade - 1), recall@20 and recall@100. Prints a markdown table. With
--model (an embedding model: a folder, zip or wheel), the index is built
with paragraph vectors and insp's hybrid and semantic modes are scored too.
"""
import argparse
import csv
import json
import math
import os
import re
import sqlite3
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
SHARED = os.path.join(ROOT, "..", "shared", "reports-dev")
SOURCES = [
    "bristol-2023-03-10-inspection.pdf",
    "essex-2014-03-21-inspection.pdf",
    "hounslow-2018-11-12-inspection.pdf",
    "ealing-2021-12-08-focused-visit.pdf",
    "barnsley-2023-03-01-focused-visit.pdf",
    "lambeth-2018-05-09-inspection.pdf",
]
GRADES = {"outstanding": 1, "good": 2, "adequate": 3, "requires-improvement": 3, "requires improvement": 3, "inadequate": 4}


def read_tsv(name):
    with open(os.path.join(HERE, name), newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f, delimiter="\t"))


def run(cmd, stdin=None):
    r = subprocess.run(cmd, input=stdin, capture_output=True, text=True)
    if r.returncode not in (0, 1, 2):
        sys.exit(f"{' '.join(cmd)} failed: {r.stderr}")
    return r.stdout


def strict(query):
    """Every word and phrase required: +word +"a phrase"."""
    parts = re.findall(r'"[^"]*"|\S+', query)
    return " ".join(p if p.startswith(("+", "-")) or p in ("AND", "OR") else "+" + p for p in parts)


def fts_query(query, op):
    parts = re.findall(r'"[^"]*"|\S+', query)
    terms = []
    for p in parts:
        if p in ("AND", "OR"):
            continue
        p = p.lstrip("+")
        if p.startswith("-"):
            continue
        words = re.findall(r"[\w']+", p)
        if not words:
            continue
        terms.append('"' + " ".join(w.replace('"', "") for w in words) + '"')
    return f" {op} ".join(terms)


def fts_where(filters):
    where, args = [], []
    if not filters:
        return "", []
    f = json.loads(filters)

    def many(v):
        return v if isinstance(v, list) else [v]

    if "authority" in f:
        names = [a.lower() for a in many(f["authority"])]
        where.append("authority IN (%s)" % ",".join("?" * len(names)))
        args += names
    if "type" in f:
        types = [t.replace("-", "_") for t in many(f["type"])]
        where.append("type IN (%s)" % ",".join("?" * len(types)))
        args += types
    if "grade" in f:
        gs = [int(g) if str(g).isdigit() else GRADES[str(g).lower()] for g in many(f["grade"])]
        where.append("grade IN (%s)" % ",".join("?" * len(gs)))
        args += gs
    if "since" in f:
        s = f["since"].replace("-", "")
        where.append("date >= ?")
        args.append(int(s.ljust(8, "0")) if len(s) < 8 else int(s))
    if "until" in f:
        s = f["until"].replace("-", "")
        where.append("date <= ?")
        args.append(int(s + "1231"[len(s) - 4 :]) if len(s) < 8 else int(s))
    if "section" in f:
        where.append("section LIKE ?")
        args.append("%" + f["section"].lower() + "%")
    return " AND " + " AND ".join(where), args


def ndcg(ranked, judged, k=10):
    gain = lambda g: 2**g - 1
    dcg = sum(gain(judged.get(d, 0)) / math.log2(i + 2) for i, d in enumerate(ranked[:k]))
    ideal = sorted(judged.values(), reverse=True)[:k]
    idcg = sum(gain(g) / math.log2(i + 2) for i, g in enumerate(ideal))
    return dcg / idcg if idcg else 0.0


def recall(ranked, judged, k=20):
    relevant = {d for d, g in judged.items() if g > 0}
    return len(relevant & set(ranked[:k])) / len(relevant) if relevant else 0.0


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--insp", default=os.path.join(ROOT, "target", "release", "insp"))
    ap.add_argument("--model", help="an embedding model: also score --mode hybrid and semantic")
    ap.add_argument("--index", help="build the index here and keep it; reuse it if it is there")
    args = ap.parse_args()
    queries = read_tsv("queries.tsv")
    judgments = {}
    for j in read_tsv("judgments.tsv"):
        judgments.setdefault(j["qid"], {})[j["id"]] = int(j["grade"])

    index = args.index or os.path.join(tempfile.mkdtemp(prefix="insp-eval-"), "index")
    sources = [os.path.join(ROOT, "corpus")] + [os.path.join(SHARED, s) for s in SOURCES]
    model = ["--model", args.model] if args.model else []
    if not (args.index and os.path.exists(os.path.join(index, "meta.json"))):
        run([args.insp, "--index", index, "index", *model, *sources])

    # The same paragraphs in FTS5.
    db = sqlite3.connect(":memory:")
    db.execute("CREATE VIRTUAL TABLE p USING fts5(id UNINDEXED, text, authority UNINDEXED, type UNINDEXED, "
               "grade UNINDEXED, date UNINDEXED, section UNINDEXED, tokenize='porter unicode61')")
    for line in run([args.insp, "--index", index, "export"]).splitlines():
        d = json.loads(line)
        if d["kind"] != "paragraph":
            continue
        db.execute("INSERT INTO p VALUES (?,?,?,?,?,?,?)", (d["id"], d["text"], d.get("authority"), d["type"],
                   d.get("grade"), d.get("date"), " > ".join(d.get("section", [])).lower()))

    def insp_batch(transform, mode="lexical"):
        lines = []
        for q in queries:
            obj = {"id": q["qid"], "query": transform(q["query"]), "limit": 100, "mode": mode}
            if q["filters"]:
                obj.update(json.loads(q["filters"]))
            lines.append(json.dumps(obj))
        out = run([args.insp, "--index", index, "batch", "--format", "ndjson"], "\n".join(lines) + "\n")
        results = {}
        for l in out.splitlines():
            r = json.loads(l)
            if "summary" in r:  # the last line sums the batch up
                continue
            results[r["id"]] = [h["id"] for h in r.get("hits", [])]
        return results

    def fts(op):
        results = {}
        for q in queries:
            match = fts_query(q["query"], op)
            where, wargs = fts_where(q["filters"])
            try:
                rows = db.execute(f"SELECT id FROM p WHERE p MATCH ? {where} ORDER BY bm25(p) LIMIT 100",
                                  [match] + wargs).fetchall() if match else []
            except sqlite3.OperationalError:
                rows = []
            results[q["qid"]] = [r[0] for r in rows]
        return results

    systems = {
        "insp (all words first, then some)": insp_batch(lambda q: q),
        "insp strict AND": insp_batch(strict),
        "FTS5 bm25, porter, AND": fts("AND"),
        "FTS5 bm25, porter, OR": fts("OR"),
    }
    if args.model:
        systems["insp --mode hybrid"] = insp_batch(lambda q: q, "hybrid")
        systems["insp --mode semantic"] = insp_batch(lambda q: q, "semantic")
    judged = [q for q in queries if judgments.get(q["qid"])]
    unanswerable = [q for q in queries if not judgments.get(q["qid"])]
    print(f"{len(judged)} judged queries ({sum(len(judgments[q['qid']]) for q in judged)} judgements), "
          f"{len(unanswerable)} with no answer in the collection\n")
    print("| system | nDCG@10 | recall@20 | recall@100 | no-answer queries returning hits |")
    print("|---|---|---|---|---|")
    for name, res in systems.items():
        n = sum(ndcg(res[q["qid"]], judgments[q["qid"]]) for q in judged) / len(judged)
        r = sum(recall(res[q["qid"]], judgments[q["qid"]]) for q in judged) / len(judged)
        r100 = sum(recall(res[q["qid"]], judgments[q["qid"]], 100) for q in judged) / len(judged)
        noisy = sum(1 for q in unanswerable if res[q["qid"]])
        print(f"| {name} | {n:.3f} | {r:.3f} | {r100:.3f} | {noisy} of {len(unanswerable)} |")
    unjudged = {name: sum(1 for q in judged for d in res[q["qid"]][:10] if d not in judgments[q["qid"]])
                for name, res in systems.items()}
    print("\nUnjudged paragraphs in the top 10 (they count as grade 0): "
          + ", ".join(f"{name} {n}" for name, n in unjudged.items()))
    kinds = sorted({q["kind"] for q in judged})
    print("\nnDCG@10 / recall@100 by kind of query:\n")
    print("| kind | n | " + " | ".join(systems) + " |")
    print("|---|---|" + "---|" * len(systems))
    for kind in kinds:
        qs = [q for q in judged if q["kind"] == kind]
        cells = [f"{sum(ndcg(res[q['qid']], judgments[q['qid']]) for q in qs) / len(qs):.3f} / "
                 f"{sum(recall(res[q['qid']], judgments[q['qid']], 100) for q in qs) / len(qs):.3f}"
                 for res in systems.values()]
        print(f"| {kind} | {len(qs)} | " + " | ".join(cells) + " |")
    print("\nPer query, nDCG@10 (unjudged paragraphs in the top 10 count as grade 0; their number in brackets):\n")
    print("| qid | kind | query | " + " | ".join(systems) + " |")
    print("|---|---|---|" + "---|" * len(systems))
    for q in judged:
        j = judgments[q["qid"]]
        cells = [f"{ndcg(res[q['qid']], j):.3f} ({sum(1 for d in res[q['qid']][:10] if d not in j)})"
                 for res in systems.values()]
        print(f"| {q['qid']} | {q['kind']} | {q['query']} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
