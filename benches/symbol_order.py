#!/usr/bin/env python3
"""Write benches/symbol-order.txt: the functions a one-off command runs, for
the linker to lay out side by side (build.rs passes the file to lld as
`--symbol-ordering-file` for optimised builds).

    python3 benches/symbol_order.py [INDEX]
    python3 benches/symbol_order.py --check [BINARY]
    python3 benches/symbol_order.py --static

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

Two builds are laid out, each in a section of its own (a function's
name carries its build's hashes, so each build's linker finds only its
own section's names): the `dist` build, and on x86-64 Linux the
statically linked `dist` build of the README's install line for Linux
(`STATIC_RUSTFLAGS`, `--target x86_64-unknown-linux-gnu`).
`--static` builds and prints where that binary is, for the benchmarks.
"""
import os
import platform
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


# The README's install line for Linux: glibc linked in, no dynamic loader
# at start-up (build.rs leaves out `-no-pie` for it).
STATIC_TARGET = "x86_64-unknown-linux-gnu"
STATIC_RUSTFLAGS = "-C target-feature=+crt-static -C relocation-model=static"


def text_symbols(binary):
    nm = subprocess.run(["nm", "--defined-only", binary], capture_output=True, text=True, check=True).stdout
    return {p[2] for p in (l.split() for l in nm.splitlines()) if len(p) == 3 and p[1] in "tTwW"}


def sections():
    """The file's sections: (heading, names), in file order."""
    out = []
    with open(OUT) as f:
        for line in f:
            line = line.strip()
            if line.startswith("#"):
                out.append((line.lstrip("# "), []))
            elif line:
                if not out:
                    out.append(("", []))
                out[-1][1].append(line)
    return out


def check(binary):
    """How many of its section's functions `binary` has (the section it
    matches best); False under 95%."""
    have = text_symbols(binary)
    counts = [(sum(1 for n in names if n in have), len(names), h) for h, names in sections() if names]
    if not counts:
        print(f"{os.path.relpath(OUT, ROOT)} lists no functions: run benches/symbol_order.py", file=sys.stderr)
        return False
    found, listed, heading = max(counts, key=lambda c: c[0] / c[1])
    ok = found * 100 >= listed * 95
    print(f"{binary}: {found} of the {listed} functions of {os.path.relpath(OUT, ROOT)} ({heading or 'whole file'})"
          + ("" if ok else " (not a dist build, or the list is stale: run benches/symbol_order.py, then rebuild)"),
          file=sys.stderr)
    return ok


def build(target_dir, static):
    """Build the dist binary (statically linked if `static`); its path."""
    cmd = ["cargo", "build", "--locked", "--profile", "dist", "--bin", "insp"]
    env = dict(os.environ)
    if static:
        cmd += ["--target", STATIC_TARGET]
        env["RUSTFLAGS"] = STATIC_RUSTFLAGS
    subprocess.run(cmd, cwd=ROOT, check=True, env=env)
    return os.path.join(target_dir, *([STATIC_TARGET] if static else []), "dist", "insp")


def ran(binary, index):
    """The binary's functions the one-off commands run, in the order met."""
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
    print(f"{binary}: {len(order)} functions of {len(text)}", file=sys.stderr)
    return order


def main():
    target = os.environ.get("CARGO_TARGET_DIR", os.path.join(ROOT, "target"))
    if sys.argv[1:2] == ["--check"]:
        sys.exit(0 if check(sys.argv[2] if len(sys.argv) > 2 else os.path.join(target, "dist", "insp")) else 1)
    if sys.argv[1:2] == ["--static"]:
        print(build(target, True))
        return
    index = sys.argv[1] if len(sys.argv) > 1 else None
    # A name in both sections (std's own functions are named alike in both
    # builds) keeps its first place: harmless, and lld's warning about it
    # is off (build.rs).
    out = [("dist", ran(build(target, False), index))]
    if platform.system() == "Linux" and platform.machine() == "x86_64":
        heading = f"dist, {STATIC_TARGET}, RUSTFLAGS={STATIC_RUSTFLAGS}"
        try:
            out.append((heading, ran(build(target, True), index)))
        except subprocess.CalledProcessError:
            # No static glibc here (Fedora without glibc-static, say): keep
            # the section this file had.
            old = [names for h, names in sections() if h == heading]
            print("the static build failed; its section is kept as it was", file=sys.stderr)
            out += [(heading, old[0])] if old else []
    with open(OUT + ".new", "w") as f:
        for heading, names in out:
            f.write(f"# {heading}\n" + "\n".join(names) + "\n")
    os.replace(OUT + ".new", OUT)
    print(f"-> {os.path.relpath(OUT, ROOT)}")


if __name__ == "__main__":
    main()
