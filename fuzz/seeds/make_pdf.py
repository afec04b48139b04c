"""Write small, valid PDFs with report-like text as fuzzing seeds.

Run: python3 fuzz/seeds/make_pdf.py fuzz/corpus/pdf
Each page is an uncompressed content stream in a base-14 font, so the
fuzzer mutates the PDF structure and the text directly.
"""
import sys, os

PAGES = [
    ["Wakefield", "Inspection of local authority children's services",
     "Inspection dates: 3 to 14 October 2022", "Lead inspector: Jane Smith, HMI",
     "Judgement Grade", "Overall effectiveness Requires improvement to be good"],
    ["1. Children in need of help and protection receive a timely response.",
     "2. Leaders have reduced the number of unallocated cases.",
     "- bullet one", "- bullet two", "Grade 3 (adequate)"],
    ["3. The IRO service has sufficient capacity.", "Ofsted", "Page 3 of 3"],
]

def esc(s):
    return s.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")

def pdf(pages, compress=False):
    objs = []
    def add(body):
        objs.append(body)
        return len(objs)
    font = add(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
    pages_id = len(objs) + 1 + 2 * len(pages)  # placeholder computed later
    kids = []
    content_ids = []
    for lines in pages:
        ops = ["BT /F1 11 Tf 72 760 Td 14 TL"]
        for line in lines:
            ops.append(f"({esc(line)}) Tj T*")
        ops.append("ET")
        stream = "\n".join(ops).encode("latin-1")
        content_ids.append(add(b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream"))
    pages_id = len(objs) + len(pages) + 1
    for cid in content_ids:
        kids.append(add(b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 %d 0 R >> >> /Contents %d 0 R >>" % (pages_id, font, cid)))
    assert add(b"<< /Type /Pages /Kids [" + b" ".join(b"%d 0 R" % k for k in kids) + b"] /Count %d >>" % len(kids)) == pages_id
    catalog = add(b"<< /Type /Catalog /Pages %d 0 R >>" % pages_id)
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for i, body in enumerate(objs, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    for off in offsets:
        out += b"%010d 00000 n \n" % off
    out += b"trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, catalog, xref)
    return bytes(out)

out_dir = sys.argv[1]
os.makedirs(out_dir, exist_ok=True)
with open(os.path.join(out_dir, "seed-3-pages.pdf"), "wb") as f:
    f.write(pdf(PAGES))
with open(os.path.join(out_dir, "seed-1-page.pdf"), "wb") as f:
    f.write(pdf(PAGES[1:2]))
