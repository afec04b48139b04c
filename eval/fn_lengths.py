#!/usr/bin/env python3
"""Functions longer than a limit in Rust sources (default: 80 lines, src/).

    python3 eval/fn_lengths.py [--max 80] [--skip src/report] [DIR...]

A function's length runs from its `fn` line to its closing brace. Braces in
strings, chars and comments are skipped well enough for this code base.
Exits 1 when one is longer, listing each as `path:line name lines`.
"""
import argparse
import os
import re
import sys

FN = re.compile(r"^\s*(pub(\([^)]*\))?\s+)?(const\s+)?(async\s+)?(unsafe\s+)?fn\s+(\w+)")


def strip(line):
    line = re.sub(r'"(\\.|[^"\\])*"', '""', line)
    line = re.sub(r"'(\\.|[^'\\])'", "''", line)
    return line.split("//")[0]


def functions(path):
    lines = open(path, encoding="utf-8").read().split("\n")
    i = 0
    while i < len(lines):
        m = FN.match(lines[i])
        if not m:
            i += 1
            continue
        depth, opened, j = 0, False, i
        while j < len(lines):
            code = strip(lines[j])
            if not opened and ";" in code and "{" not in code:
                break  # a declaration without a body
            depth += code.count("{") - code.count("}")
            opened = opened or "{" in code
            if opened and depth <= 0:
                yield m.group(6), i + 1, j - i + 1
                break
            j += 1
        i += 1


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--max", type=int, default=80)
    ap.add_argument("--skip", action="append", default=[])
    ap.add_argument("dirs", nargs="*", default=["src"])
    a = ap.parse_args()
    long = []
    for d in a.dirs:
        for root, _, files in os.walk(d):
            for f in sorted(files):
                path = os.path.join(root, f)
                if not f.endswith(".rs") or any(path.startswith(s) for s in a.skip):
                    continue
                long += [(path, line, name, n) for name, line, n in functions(path) if n > a.max]
    for path, line, name, n in sorted(long, key=lambda x: -x[3]):
        print(f"{path}:{line} {name} {n}")
    print(f"{len(long)} function(s) over {a.max} lines")
    return 1 if long else 0


if __name__ == "__main__":
    sys.exit(main())
