#!/usr/bin/env python3
"""Writes src/Duban.Core/Text/pinyin-initials.txt, the first letters of each CJK character's readings.

Source: the pinyin table of mozillazg/go-pinyin (MIT; built from pinyin-data, itself from Unihan), as Debian ships it
in golang-github-mozillazg-go-pinyin-dev. Run: apt-get install golang-github-mozillazg-go-pinyin-dev; python3 tools/pinyin-initials.py

Line 1 holds one letter per code point from U+4E00 to U+9FFF: the initial of the first (commonest) reading, or '-'.
Each further line is a character with more than one distinct initial, a tab, and its initials in reading order.
"""
import re, sys, unicodedata, pathlib

DICT = "/usr/share/gocode/src/github.com/mozillazg/go-pinyin/pinyin_dict.go"
FIRST, LAST = 0x4E00, 0x9FFF

def initial(reading):
    for ch in unicodedata.normalize("NFD", reading):
        if "a" <= ch <= "z":
            return ch
    return None

table = {}
for m in re.finditer(r'0x([0-9A-F]+): "([^"]*)"', pathlib.Path(DICT).read_text(encoding="utf-8")):
    cp = int(m.group(1), 16)
    if FIRST <= cp <= LAST:
        letters = []
        for r in m.group(2).split(","):
            i = initial(r)
            if i and i not in letters:
                letters.append(i)
        if letters:
            table[cp] = letters

primary = "".join(table[cp][0] if cp in table else "-" for cp in range(FIRST, LAST + 1))
extra = [f"{chr(cp)}\t{''.join(l)}" for cp, l in sorted(table.items()) if len(l) > 1]
out = pathlib.Path(__file__).resolve().parent.parent / "src/Duban.Core/Text/pinyin-initials.txt"
out.write_text(primary + "\n" + "\n".join(extra) + "\n", encoding="utf-8")
print(f"{len(table)} characters, {len(extra)} with several initials -> {out}", file=sys.stderr)
