#!/usr/bin/env python3
"""Writes the tiny PDFs extract's tests open. Run once; the outputs are committed.
encrypted.pdf is made from simple.pdf with `qpdf --encrypt secret secret 256 -- simple.pdf encrypted.pdf`."""

def pdf(objects):
    out = b"%PDF-1.4\n"
    offsets = []
    for i, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for off in offsets:
        out += b"%010d 00000 n \n" % off
    out += b"trailer\n<< /Size %d /Root 1 0 R /Info %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1, len(objects), xref)
    return out

content = (b"BT /F1 12 Tf 72 720 Td (Total 1,760.38) Tj ET\n"
           b"0.5 w 72 700 m 300 700 l S\n"
           b"BT /F1 10 Tf 200 650 Td (right) Tj ET\n"
           b"BT /F1 10 Tf 72 650 Td (left) Tj ET\n")
simple = pdf([
    b"<< /Type /Catalog /Pages 2 0 R >>",
    b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
    b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
    b"/Resources << /Font << /F1 5 0 R >> >> >>",
    b"<< /Length %d >>\nstream\n" % len(content) + content + b"endstream",
    b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    b"<< /Title (Simple test) >>",
])
open("simple.pdf", "wb").write(simple)

rotated = simple.replace(b"/MediaBox [0 0 612 792]", b"/MediaBox [0 0 612 792] /Rotate 90")
open("rotated.pdf", "wb").write(rotated)

no_pages = pdf([
    b"<< /Type /Catalog /Pages 2 0 R >>",
    b"<< /Type /Pages /Kids [] /Count 0 >>",
    b"<< /Title (Empty) >>",
])
open("no-pages.pdf", "wb").write(no_pages)

huge = simple.replace(b"/MediaBox [0 0 612 792]", b"/MediaBox [0 0 20000 20000]")
open("huge-page.pdf", "wb").write(huge)

open("truncated.pdf", "wb").write(simple[:120])
open("not-a-pdf.pdf", "wb").write(b"<html><body>404 Not Found</body></html>\n")
