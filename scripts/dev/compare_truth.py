#!/usr/bin/env python3
"""Quick development check of a Tally JSON against a truth file (the real scorer is `tally score`)."""
import json, sys
pred = json.load(open(sys.argv[1])); truth = json.load(open(sys.argv[2]))
for tt in truth['tables']:
    cands = [t for t in pred['tables'] if t['number'] == tt['number'] and t['title'] == tt['title']]
    if not cands:
        print('MISSING', tt['number'], tt['title']); continue
    t = cands[0]
    grid = {(c['row'], c['col']): c for c in t['cells']}
    h = tt['header_rows']
    rows_ok = t['n_rows'] == h + len(tt['body']) and t['n_cols'] == tt['n_cols'] and t['header_rows'] == h
    bad = []
    for i, row in enumerate(tt['body']):
        for j, text in enumerate(row):
            c = grid.get((h + i, j))
            got = c['text'] if c else None
            if got != text: bad.append((i, j, text, got))
    hbad = []
    for hc in tt['header']:
        c = grid.get((hc['row'], hc['col']))
        if not c or c['text'].replace(' ','') != hc['text'].replace(' ','') or c.get('rowspan',1) != hc.get('rowspan',1) or c.get('colspan',1) != hc.get('colspan',1):
            hbad.append((hc, c and (c['text'], c.get('rowspan',1), c.get('colspan',1))))
    print(f"表{tt['number']} {tt['title']}: grid {'ok' if rows_ok else 'WRONG'} pred {t['n_rows']}x{t['n_cols']} h{t['header_rows']} truth {h+len(tt['body'])}x{tt['n_cols']} h{h}; body mismatches {len(bad)}; header mismatches {len(hbad)}")
    for b in bad[:5]: print('   body', b)
    for b in hbad[:3]: print('   head', b)
