#!/usr/bin/env python3
"""Lists the amounts Tally misread in a scored corpus, by kind, with examples (development aid for
issue 14; the figures come from `tally score`).

Usage: scripts/dev/misreads.py CORPUS_DIR PRED_DIR [EXAMPLES]
For every PRED_DIR/<id>.<variant>.json whose truth is CORPUS_DIR/truth/<id>.json, tables are
paired by printed number, and body rows by the text of their non-amount cells (else by position
under the predicted header rows); columns by position. Each non-empty truth amount whose `read` differs is classed:
blank, cjk (CJK characters in a number cell), comma-as-digit, lost-comma-digit (2,673 → 273),
extra-digit, dropped-digit, substituted digit(s), point (decimal point lost or moved), other.
Prints the counts per kind, per split (manifest.tsv), and examples."""
import collections, csv, json, os, re, sys

corpus, pred_dir = sys.argv[1], sys.argv[2]
examples_per_kind = int(sys.argv[3]) if len(sys.argv) > 3 else 6
CJK = re.compile(r'[\u3000-\u9fff\uff00-\uffef]')

manifest = {}
mpath = os.path.join(corpus, 'manifest.tsv')
if os.path.exists(mpath):
    with open(mpath, newline='') as f:
        for row in csv.DictReader(f, delimiter='\t'):
            manifest[row['file'][:-4]] = row


def digits(s):
    return re.sub(r'[^0-9]', '', s or '')


def plain(s):
    return (s or '').replace(',', '')


def kind_of(truth, got_text, got_read):
    if not got_text or not got_text.strip():
        return 'blank'
    if CJK.search(got_text):
        return 'cjk'
    t, g = digits(truth), digits(got_read if got_read is not None else got_text)
    if '.' in truth and '.' not in (got_read or got_text):
        return 'point'
    if len(g) == len(t) + 1 and ',' in truth:
        # where the comma was, a digit stands
        i = truth.index(',')
        if t[:i] == g[:i] and t[i:] == g[i + 1:]:
            return 'comma-as-digit'
    if len(g) == len(t) + 1:
        return 'extra-digit'
    if len(g) + 1 == len(t):
        return 'dropped-digit'
    if len(g) == len(t):
        n = sum(a != b for a, b in zip(g, t))
        return 'substituted-1-digit' if n == 1 else 'substituted-digits'
    return 'other'


counts = collections.Counter()
by_split = collections.defaultdict(collections.Counter)
amounts_by_split = collections.Counter()
examples = collections.defaultdict(list)
truths = {}
for name in sorted(os.listdir(pred_dir)):
    if not name.endswith('.json'):
        continue
    stem = name[:-5]
    tid = stem.split('.')[0]
    tpath = os.path.join(corpus, 'truth', tid + '.json')
    if not os.path.exists(tpath):
        continue
    truth = truths.setdefault(tid, json.load(open(tpath)))
    pred = json.load(open(os.path.join(pred_dir, name)))
    split = manifest.get(stem, {}).get('split', 'dev')
    for tt in truth['tables']:
        h = tt['header_rows']
        cands = [t for t in pred['tables'] if t.get('number') == tt.get('number')]
        if not cands:
            continue
        t = max(cands, key=lambda t: len(t['cells']))
        grid = {(c['row'], c['col']): c for c in t['cells']}
        roles = tt['column_roles']
        # Pair rows by the text of their non-amount cells; else by position under the predicted
        # header.
        def sig(cells):
            return ''.join(re.sub(r'\s', '', x) for x in cells)
        pred_rows = {}
        for pr in range(t.get('header_rows', h), t['n_rows']):
            key = sig(grid[(pr, j)].get('text', '') if (pr, j) in grid else ''
                      for j in range(len(roles)) if roles[j] != 'amount')
            if key:
                pred_rows.setdefault(key, []).append(pr)
        for i, row in enumerate(tt['body']):
            key = sig(row[j] for j in range(len(roles)) if roles[j] != 'amount')
            r = t.get('header_rows', h) + i
            if key and pred_rows.get(key):
                r = pred_rows[key].pop(0)
            for j, text in enumerate(row):
                if roles[j] != 'amount' or not text or not re.search(r'\d', text):
                    continue
                amounts_by_split[split] += 1
                c = grid.get((r, j))
                got_text = c.get('text', '') if c else ''
                got_read = c.get('read') if c else None
                if got_read is not None and plain(got_read).rstrip('0').rstrip('.') == plain(text).rstrip('0').rstrip('.'):
                    continue
                if got_read is None and plain(got_text) == plain(text):
                    continue
                k = kind_of(text, got_text, got_read)
                counts[k] += 1
                by_split[split][k] += 1
                if len(examples[k]) < examples_per_kind:
                    font = manifest.get(stem, {}).get('font', '?')
                    examples[k].append(f'{text!r} read {got_text!r} ({stem}, 表{tt.get("number")} r{r} c{j}, {font})')

print('misread amounts (`read` before reconciliation) by kind')
for split in sorted(amounts_by_split):
    total = sum(by_split[split].values())
    print(f'  {split}: {total} of {amounts_by_split[split]} amounts')
    for k, n in by_split[split].most_common():
        print(f'    {k:22s} {n}')
print()
for k, n in counts.most_common():
    print(f'{k} ({n}):')
    for e in examples[k]:
        print('   ', e)
