#!/usr/bin/env python3
"""Write a draft gold file for one report from insp's parse, for a person to
correct by reading the PDF. Usage: gold_draft.py FILE.pdf > eval/gold/NAME.tsv

The draft is only a starting point: every row must be checked against the
report itself (see eval/gold/README.md for what each column means)."""
import json, subprocess, sys, os

INSP = os.environ.get("INSP", "target/release/insp")

def start_words(text, n=8):
    words = text.replace("\n- ", " ").split()
    return " ".join(words[:n])

def main():
    path = sys.argv[1]
    out = subprocess.run([INSP, "parse", path, "--format", "json"], capture_output=True, text=True, check=True)
    r = json.loads(out.stdout)
    print("page\tpara\tstart\tsection\tjudgement\tgrade\tkind")
    for p in r["paragraphs"]:
        section = p["section"][-1] if p["section"] else ""
        para = str(p["para"]) if p["numbered"] else ""
        grade = "" if p.get("grade") is None else str(p["grade"])
        page = "" if p.get("page_start") is None else str(p["page_start"])
        key = p.get("judgement") or ""
        kind = p.get("kind") or "finding"
        print("\t".join([page, para, start_words(p["text"]), section, key, grade, kind]))

main()
