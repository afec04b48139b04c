#!/usr/bin/env python3
"""Build the judging pools of eval/real: one pool/QID.tsv per query.

    python3 eval/real/pool.py [--insp /work/tools/insp-v3] [QID ...]

Each pool is the union of the top 20 of insp (`search --format json --limit 20`
plus the query's filters), FTS5 AND and FTS5 OR (same filters), and up to 15
more paragraphs that match the query's `probes` regex (other wordings) and
satisfy its filters, preferring those with the most matches and at most 3 per
report. Rows are `file<TAB>start<TAB>text`, in report order, with no hint of
which system found them. An existing pool file is extended, never shrunk:
re-pooling with a new insp binary only adds rows for the judges. --sources
FILE also writes which systems found each pooled paragraph (for statistics;
keep it away from judges).
"""
import argparse
import os
import re
import sys
import tempfile

from run import HERE, build, fts_search, fts_where, insp_search, parse_filters, read_tsv

TOP, PROBES, PER_REPORT = 20, 15, 3


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--insp", default="/work/tools/insp-v3")
    ap.add_argument("--sources", help="write qid, file, start, found_by here")
    ap.add_argument("qids", nargs="*")
    args = ap.parse_args()
    queries = [q for q in read_tsv("queries.tsv") if not args.qids or q["qid"] in args.qids]
    os.makedirs(os.path.join(HERE, "pool"), exist_ok=True)
    judged = {}
    if os.path.exists(os.path.join(HERE, "judgments.tsv")):
        for j in read_tsv("judgments.tsv"):
            judged.setdefault(j["qid"], set()).add((j["file"], j["start"]))
    sources = []
    with tempfile.TemporaryDirectory(prefix="insp-pool-") as tmp:
        index, db = build(os.path.abspath(args.insp), tmp)
        order = {row[:2]: i for i, row in enumerate(db.execute("SELECT file, key FROM p ORDER BY rowid"))}
        for q in queries:
            filters = parse_filters(q["filters"])
            found = {
                "insp": insp_search(args.insp, index, q["query"], q["filters"], TOP),
                "and": fts_search(db, q["query"], filters, "AND", TOP),
                "or": fts_search(db, q["query"], filters, "OR", TOP),
            }
            pool = {}
            for system, rows in found.items():
                for file, start, text in rows:
                    pool.setdefault((file, start), [text, set()])[1].add(system)
            # Filters are checked on insp's hits too: a hit outside them means the two filter codes differ.
            where, wargs = fts_where(filters)
            allowed = {tuple(r) for r in db.execute(f"SELECT file, key FROM p WHERE 1 {where}", wargs)}
            for k in found["insp"]:
                if k[:2] not in allowed:
                    print(f"{q['qid']}: insp hit outside the FTS5 filters: {k[0]} {k[1]}", file=sys.stderr)
            probe = re.compile(q["probes"], re.I) if q["probes"] else None
            candidates = []
            for file, start, text in db.execute(f"SELECT file, key, text FROM p WHERE 1 {where}", wargs):
                n = len(probe.findall(text)) if probe else 0
                if n and (file, start) not in pool:
                    candidates.append((-n, order[(file, start)], file, start, text))
            per_report, added = {}, 0
            for _, _, file, start, text in sorted(candidates):
                if added == PROBES:
                    break
                if per_report.get(file, 0) < PER_REPORT and (file, start) not in pool:
                    per_report[file] = per_report.get(file, 0) + 1
                    pool[(file, start)] = [text, {"probe"}]
                    added += 1
            # Pools only grow: rows of an earlier pooling (perhaps judged already) are kept, so
            # re-pooling with the same binary changes nothing and a new binary only adds rows.
            path, before = os.path.join(HERE, "pool", q["qid"] + ".tsv"), 0
            if os.path.exists(path):
                earlier = read_tsv(os.path.join("pool", q["qid"] + ".tsv"))
                before = len(earlier)
                for row in earlier:
                    pool.setdefault((row["file"], row["start"]), [row["text"], {"earlier"}])
            with open(path, "w", encoding="utf-8") as f:
                f.write("file\tstart\ttext\n")
                for (file, start), (text, _) in sorted(pool.items(), key=lambda kv: order.get(kv[0], -1)):
                    f.write(f"{file}\t{start}\t{' '.join(text.split())}\n")
            for (file, start), (_, systems) in pool.items():
                sources.append((q["qid"], file, start, ",".join(sorted(systems))))
            unjudged = sum(1 for k in pool if k not in judged.get(q["qid"], set()))
            print(f"{q['qid']}: {len(pool)} paragraphs, {len(pool) - before} new, {unjudged} unjudged "
                  f"(insp {len(found['insp'])}, AND {len(found['and'])}, OR {len(found['or'])}, "
                  f"probes {added} of {len(candidates)} unpooled matches)")
    if args.sources:
        with open(args.sources, "w", encoding="utf-8") as f:
            f.write("qid\tfile\tstart\tfound_by\n")
            f.writelines("\t".join(r) + "\n" for r in sources)


if __name__ == "__main__":
    main()
