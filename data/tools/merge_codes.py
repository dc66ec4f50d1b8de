#!/usr/bin/env python3
"""Builds data/codes/function_2026.tsv and economic_2026.tsv from the harvested code lists.

Sources, in order of trust (the first that names a code wins, except that a harvested name cut by a
line wrap gives way to a longer variant that starts with it):
  1. data/tools/codes_2026_known.tsv — the classes and 款 of the 2026 政府收支分类科目 typed by hand
     (function 类/款, economic 类/款), each checked against the harvest where the harvest has it;
  2. /work/shared/real/codes_national.tsv — names printed beside codes in ~250 real 2026 budgets
     (kept when seen in >= 2 documents; names that are not names — units, departments — dropped);
  3. /work/shared/real/shanghai/codes_seen.tsv — the Putuo 2024/2025 disclosures;
  4. data/codes/function_codes.tsv, economic_codes.tsv — the generator's lists.
Usage: python3 data/tools/merge_codes.py NATIONAL.tsv SHANGHAI.tsv   (run from the source root)
"""
import re, sys, unicodedata

def norm(name):
    name = name.strip().replace(' ', '').replace('\u3000', '')
    return name.replace('(', '（').replace(')', '）')

NOT_NAMES = re.compile(r'^(万|人次|台|小时|号|场次|项目支出$)|市|局$|委员会|部$')

def level_of(code):
    return {3: '类', 5: '款', 7: '项' if code[0] == '2' else '目'}.get(len(code), '目')

def main(national, shanghai):
    names, sources = {}, {}
    def put(code, name, source, allow_longer=True):
        name = norm(name)
        if not name or not code.isdigit() or len(code) not in (3, 5, 7):
            return
        if code[0] not in '235':
            return
        if code not in names:
            names[code], sources[code] = name, source
        elif allow_longer and len(name) > len(names[code]) and name.startswith(names[code]) \
                and sources[code] != 'known':
            names[code] = name
            sources[code] += '+' + source
    for line in open('data/tools/codes_2026_known.tsv', encoding='utf-8'):
        if line.startswith('#') or not line.strip() or line.startswith('code\t'):
            continue
        code, name = line.rstrip('\n').split('\t')[:2]
        put(code, name, 'known')
    for i, line in enumerate(open(national, encoding='utf-8')):
        if i == 0:
            continue
        f = line.rstrip('\n').split('\t')
        code, name, docs = f[0], f[1], int(f[2])
        variants = [re.sub(r'\(\d+\)$', '', v.strip()) for v in f[3].split(';')] if len(f) > 3 and f[3] else []
        if docs < 2 or NOT_NAMES.search(name):
            continue
        put(code, name, 'national')
        for v in variants:  # a longer variant starting with the name: the name was cut by a wrap
            if norm(v).startswith(norm(name)) and len(norm(v)) > len(norm(name)) and '（' not in norm(v)[len(norm(name)):][:1]:
                put(code, v, 'national')
    for i, line in enumerate(open(shanghai, encoding='utf-8')):
        if i == 0:
            continue
        f = line.rstrip('\n').split('\t')
        best = max(f[3].split(';'), key=lambda v: int(re.search(r'\((\d+)\)$', v.strip()).group(1)))
        put(f[0], re.sub(r'\(\d+\)$', '', best.strip()), 'shanghai')
    for path in ('data/codes/function_codes.tsv', 'data/codes/economic_codes.tsv'):
        for i, line in enumerate(open(path, encoding='utf-8')):
            if i == 0:
                continue
            f = line.rstrip('\n').split('\t')
            put(f[0], f[1], 'generator list', allow_longer=False)
    # Derived 项, only under a 款 the lists name: xx99 is 其他<款>(支出) (20808 抚恤 is the exception,
    # typed in codes_2026_known.tsv), and a 款 whose 01 is 行政运行 has the standard 02 一般行政管理事务,
    # 03 机关服务 and 50 事业运行.
    for code in sorted(c for c in list(names) if len(c) == 5 and c[0] == '2' and not c.endswith('99')):
        kuan = names[code]
        if not kuan.startswith('其他'):
            put(code + '99', '其他' + kuan + ('' if kuan.endswith('支出') else '支出'), 'derived')
        if names.get(code + '01') == '行政运行':
            for item, name in (('02', '一般行政管理事务'), ('03', '机关服务'), ('50', '事业运行')):
                put(code + item, name, 'derived')
    for out, first in (('data/codes/function_2026.tsv', '2'), ('data/codes/economic_2026.tsv', '35')):
        with open(out, 'w', encoding='utf-8') as w:
            w.write('code\tname\tlevel\tyear\tsource\n')
            for code in sorted(c for c in names if c[0] in first):
                w.write(f'{code}\t{names[code]}\t{level_of(code)}\t2026\t{sources[code]}\n')

main(*sys.argv[1:3])
