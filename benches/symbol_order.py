#!/usr/bin/env python3
"""Write benches/symbol-order.txt: the functions a one-off command runs, for
the linker to lay out side by side (build.rs passes the file to lld as
`--symbol-ordering-file` for optimised builds).

    python3 benches/symbol_order.py [INDEX]

A one-off `insp search` spends more of its time in the kernel than in its
own code, much of it faulting in the pages of code it runs: those few
hundred functions were spread over 6 MB of the binary's 11 MB of code (93
page faults of 64 KB each). Laid out together they take a few hundred KB.

Builds the `dist` profile (the binary users install; the names in the file
carry that build's hashes, so other profiles are not reordered), runs
typical one-off commands under valgrind's callgrind on INDEX (default: the
bundled samples' own index), and keeps every function of the binary they
ran, in the order callgrind met them. Rerun it after a toolchain or
dependency update (stale names are skipped without a warning, so the
layout only loses its effect; it never breaks the build).
"""
import os
import re
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
OUT = os.path.join(HERE, "symbol-order.txt")

COMMANDS = [
    ["search", "unallocated cases"],
    ["search", "IRO capacity", "--format", "json"],
    ["search", '"care leavers"', "--grade", "3", "--grade", "4"],
    ["search", "children", "--limit", "20", "--format", "csv"],
    ["search", "superviison"],
    ["facets", "management oversight", "--by", "authority"],
    ["reports"],
]


def main():
    index = sys.argv[1] if len(sys.argv) > 1 else None
    subprocess.run(["cargo", "build", "--locked", "--profile", "dist", "--bin", "insp"], cwd=ROOT, check=True)
    target = os.environ.get("CARGO_TARGET_DIR", os.path.join(ROOT, "target"))
    binary = os.path.join(target, "dist", "insp")
    nm = subprocess.run(["nm", "--defined-only", binary], capture_output=True, text=True, check=True).stdout
    text = {p[2] for p in (l.split() for l in nm.splitlines()) if len(p) == 3 and p[1] in "tTwW"}
    if index is None:
        # The samples' own index is built on first use: not under callgrind.
        subprocess.run([binary, "reports"], capture_output=True, check=True)
    order, seen = [], set()
    with tempfile.TemporaryDirectory() as tmp:
        for i, args in enumerate(COMMANDS):
            out = os.path.join(tmp, f"cg.{i}")
            cmd = [binary, *args] + (["--index", index] if index else [])
            subprocess.run(
                ["valgrind", "--tool=callgrind", "--demangle=no", f"--callgrind-out-file={out}", *cmd],
                capture_output=True,
                check=False,
            )
            with open(out) as f:
                for line in f:
                    m = re.match(r"^c?fn=\(\d+\) (\S+)", line)
                    if m and m.group(1) in text and m.group(1) not in seen:
                        seen.add(m.group(1))
                        order.append(m.group(1))
    with open(OUT, "w") as f:
        f.write("\n".join(order) + "\n")
    print(f"{len(order)} functions of {len(text)} -> {os.path.relpath(OUT, ROOT)}")


if __name__ == "__main__":
    main()
