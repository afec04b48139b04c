"""One-off `insp search` processes beside the `sqlite3` shell, paired.

    python3 benches/oneoff_paired.py '{"now": ("target/release/insp", "IX")}' ROUNDS FTS.db [--same-hits]

Each round runs every command once, in turn (insp binaries on their
indexes, then `sqlite3` on an FTS5 table `p(text, id UNINDEXED)` built from
the same paragraphs, e.g. by `benches/e2e.py`), for four queries of the
evaluation's kinds; prints the median wall and CPU time (ms) of each.
With `--same-hits`, binaries given the same index must succeed and print
the same output (builds of one commit, dynamic and static, say), else it
stops; without it, an older binary may print other hits or excerpts.
"""
import resource
import statistics
import subprocess
import sys
import time

pairs = eval(sys.argv[1])
rounds = int(sys.argv[2])
db = sys.argv[3]
same_hits = "--same-hits" in sys.argv[4:]
QUERIES = ["unallocated cases", "IRO capacity", "children", "management oversight"]

# A binary whose code layout is stale times a slower one-off process than
# it should (benches/symbol_order.py): say so beside the numbers.
for b, _ in pairs.values():
    subprocess.run([sys.executable, f"{sys.path[0]}/symbol_order.py", "--check", b], check=False)


def fts(q):
    terms = " ".join('"%s"' % w for w in q.split())
    return f"SELECT id, snippet(p, 0, '[', ']', '…', 16) FROM p WHERE p MATCH '{terms}' ORDER BY rank LIMIT 10"


for q in QUERIES:
    cmds = {name: [b, "search", q, "--index", ix, "--limit", "10"] for name, (b, ix) in pairs.items()}
    if same_hits:
        answers = {}
        for k, c in cmds.items():
            r = subprocess.run(c, capture_output=True)
            if r.returncode != 0:
                sys.exit(f"{q!r}: {k} failed ({r.returncode}): {r.stderr.decode(errors='replace').strip()}")
            answers[k] = r.stdout
        by_index = {}
        for k, (_, ix) in pairs.items():
            by_index.setdefault(ix, []).append(k)
        for names in by_index.values():
            if any(answers[k] != answers[names[0]] for k in names):
                sys.exit(f"{q!r}: {', '.join(names)} print different hits on the same index")
    cmds["sqlite3"] = ["sqlite3", db, fts(q)]
    for c in cmds.values():
        subprocess.run(c, capture_output=True)
    wall = {k: [] for k in cmds}
    cpu = {k: [] for k in cmds}
    for _ in range(rounds):
        for k, c in cmds.items():
            r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
            s = time.perf_counter()
            subprocess.run(c, capture_output=True)
            wall[k].append(time.perf_counter() - s)
            r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpu[k].append((r1.ru_utime - r0.ru_utime) + (r1.ru_stime - r0.ru_stime))
    cells = [f"{k} {1e3 * statistics.median(wall[k]):.2f}/{1e3 * statistics.median(cpu[k]):.2f}" for k in cmds]
    print(q, " | ".join(cells))
