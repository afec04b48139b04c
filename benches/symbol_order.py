#!/usr/bin/env python3
"""Write benches/symbol-order.txt: the functions a one-off command runs, for
the linker to lay out side by side (build.rs passes the file to lld as
`--symbol-ordering-file` for optimised builds).

    python3 benches/symbol_order.py [INDEX]
    python3 benches/symbol_order.py --check [BINARY]

A one-off `insp search` spends more of its time in the kernel than in its
own code, much of it faulting in the pages of code it runs: those few
hundred functions were spread over 6 MB of the binary's 11 MB of code (93
page faults of 64 KB each). Laid out together they take a few hundred KB.

Builds the `dist` profile (the binary users install; the names in the file
carry that build's hashes, so other profiles are not reordered), runs
typical one-off commands under valgrind's callgrind on INDEX (default: the
bundled samples' own index), and keeps every function of the binary they
ran, in the order callgrind met them. Rerun it after a toolchain or
dependency update: a symbol's hash covers its crate's dependencies, so a
change to insp's own (non-dev) dependency graph renames its functions (session 7:
adding a dependency to the patched pdf-extract left 740 of 1,233 names
valid, and a one-off search faulted in 61 pages of code instead of 15).
Stale names are skipped by the linker without a warning, so the layout
only loses its effect; it never breaks the build. `--check` says how many
of the names a built binary (default: the dist build) has, and fails
under 95%; `benches/oneoff_paired.py` runs it on the binaries it times.
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


def text_symbols(binary):
    nm = subprocess.run(["nm", "--defined-only", binary], capture_output=True, text=True, check=True).stdout
    return {p[2] for p in (l.split() for l in nm.splitlines()) if len(p) == 3 and p[1] in "tTwW"}


def check(binary):
    """How many of the listed functions `binary` has; False under 95%."""
    with open(OUT) as f:
        listed = [l.strip() for l in f if l.strip()]
    have = text_symbols(binary)
    found = sum(1 for name in listed if name in have)
    ok = found * 100 >= len(listed) * 95
    print(f"{binary}: {found} of the {len(listed)} functions in {os.path.relpath(OUT, ROOT)}"
          + ("" if ok else " (not a dist build, or the list is stale: run benches/symbol_order.py, then rebuild)"),
          file=sys.stderr)
    return ok


def main():
    target = os.environ.get("CARGO_TARGET_DIR", os.path.join(ROOT, "target"))
    if sys.argv[1:2] == ["--check"]:
        sys.exit(0 if check(sys.argv[2] if len(sys.argv) > 2 else os.path.join(target, "dist", "insp")) else 1)
    index = sys.argv[1] if len(sys.argv) > 1 else None
    subprocess.run(["cargo", "build", "--locked", "--profile", "dist", "--bin", "insp"], cwd=ROOT, check=True)
    binary = os.path.join(target, "dist", "insp")
    text = text_symbols(binary)
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
