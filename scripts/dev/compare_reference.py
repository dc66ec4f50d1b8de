#!/usr/bin/env python3
"""Compares Tally's tables with the reference extraction shipped beside a real PDF (…tables.json):
per table, the sequence of amounts read row by row. Development aid; prints where they differ."""
import json, re, sys, difflib

AMOUNT = re.compile(r'^-?[\d,\s]*\d(\.\d+)?$')

def ref_amounts(rows):
    out = []
    for row in rows:
        for cell in row:
            c = cell.replace(' ', '')
            if AMOUNT.match(c) and (',' in c or '.' in c or len(c) <= 1 or len(c) >= 4 or c == '0'):
                if re.fullmatch(r'\d{3}|\d{2}', c):  # codes
                    continue
                out.append(c.replace(',', ''))
    return out

def our_amounts(table):
    cells = sorted(table['cells'], key=lambda c: (c['row'], c['col']))
    return [c['value'] for c in cells if c.get('value') is not None]

ours = json.load(open(sys.argv[1]))
ref = json.load(open(sys.argv[2]))
total = same = 0
for i, rt in enumerate(ref['tables']):
    title = rt['table_title']
    match = [t for t in ours['tables'] if t['title'] == title] or ([ours['tables'][i]] if i < len(ours['tables']) else [])
    if not match:
        print(f'MISSING {title}'); continue
    a, b = ref_amounts(rt['rows']), our_amounts(match[0])
    sm = difflib.SequenceMatcher(a=a, b=b, autojunk=False)
    eq = sum(bl.size for bl in sm.get_matching_blocks())
    total += len(a); same += eq
    print(f'{title}: ref pages {rt["pages"]} ours {match[0]["pages"]}  ref {len(a)} ours {len(b)} matched {eq}')
    for op, i1, i2, j1, j2 in sm.get_opcodes():
        if op != 'equal':
            print(f'   {op}: ref {a[i1:i2][:8]} ours {b[j1:j2][:8]}')
print(f'overall matched {same}/{total}')
