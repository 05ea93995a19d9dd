"""Agreement between two annotators on one large document: compare() + report().

Target (issue): 10,000 against 10,000 annotations on one document ≤ 0.5 s. The document is about
1 MB of the benchmarks' news-like text (Arabic words and emoji included); A's annotations come from
the same generator as the other benchmarks (about 15 % overlapping or nested). B keeps ~70 % of A
exactly, changes ~15 % (a boundary moved by a word, another type, entity or grade), drops ~15 %,
and adds its own until it also has 10,000. Timed: `pairs = compare(a, b)` then
`report(a, b, text, types, pairs=pairs)`, i.e. everything the agreement panel needs.

Two references from the same run: the floor (tokenizing the text with `re.findall(r"\\w+")` and
sorting both sets by position, which any token-level method must do), and an n×m comparison of
every A span with every B span for overlap, timed on 1,000 × 1,000 and scaled by 100 to 10k × 10k.

    .venv/bin/python bench/bench_agreement.py [--quick] [--runs N] [--profile] [--json FILE]
"""

from __future__ import annotations

import random
import re
import sys
import uuid
from bisect import bisect_right
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import common  # noqa: E402
from common import ACTOR, CREDIBILITY, LOCATION, Stats  # noqa: E402

from app.agreement import compare, report  # noqa: E402
from app.model import Annotation, Grade, TagType  # noqa: E402

N = 10_000
TARGET_S = 0.5
TYPES = {
    ACTOR: TagType(ACTOR, "Actor", position=0),
    LOCATION: TagType(LOCATION, "Location", position=1),
    CREDIBILITY: TagType(CREDIBILITY, "Credibility", "credibility", position=2),
}


def _annotations(text: str, n: int, rng: random.Random, vocab, annotator: str) -> list[Annotation]:
    names = {eid: name for eid, _, name in vocab.rows}
    return [
        Annotation(row[0], 1, row[2], row[3], row[4], row[5], row[6], row[7],
                   names.get(row[8], ""), Grade(row[9], row[10]), row[11], annotator)
        for row in common.annotation_rows(text, 1, n, rng, vocab, annotator=annotator)
    ]  # fmt: skip


def _changed(x: Annotation, text: str, words: list[tuple[int, int]], rng: random.Random):
    """One plausible disagreement with x: a boundary a word off, another type, entity or grade."""
    change = rng.choice(("boundary", "boundary", "type", "entity", "grade"))
    if change == "boundary":
        first, last = _word_at(words, x.start), _word_at(words, x.end - 1)
        if rng.random() < 0.5 and last + 1 < len(words):
            start, end = x.start, words[last + 1][1]  # one word more at the end
        elif last > first:
            start, end = words[first + 1][0], x.end  # one word less at the start
        else:
            start, end = words[max(0, first - 1)][0], x.end  # one word more at the start
        return replace(x, start=start, end=end, quote=text[start:end])
    if change == "type" and x.tag_type_id != CREDIBILITY:
        return replace(x, tag_type_id=ACTOR if x.tag_type_id == LOCATION else LOCATION)
    if change == "grade" or x.tag_type_id == CREDIBILITY:
        return replace(x, grade=Grade(rng.randint(1, 6), rng.choice("ABCDEF")))
    return replace(x, entity=x.entity + " (other)")


def _word_at(words: list[tuple[int, int]], position: int) -> int:
    """Index of the word holding `position` (or the last one before it)."""
    return max(0, bisect_right(words, (position, 1 << 62)) - 1)


def make_case(seed: int = 11):
    rng = random.Random(seed)
    text = common.make_text(1_000_000, rng, title="Agreement benchmark")
    vocab = common.Vocabulary.build(rng)
    a = _annotations(text, N, rng, vocab, "A")
    words = [(m.start(), m.end()) for m in re.finditer(r"[^\s.]+", text)]
    b = []
    for x in a:
        r = rng.random()
        fresh = str(uuid.UUID(int=rng.getrandbits(128), version=4))
        if r < 0.70:
            b.append(replace(x, id=fresh, annotator="B", note=""))
        elif r < 0.85:
            b.append(replace(_changed(x, text, words, rng), id=fresh, annotator="B"))
    b += _annotations(text, N - len(b), rng, vocab, "B")
    return text, a, b


def _naive_overlaps(a: list[Annotation], b: list[Annotation]) -> int:
    return sum(1 for x in a for y in b if x.start < y.end and y.start < x.end)


def main() -> int:
    args = common.arg_parser(__doc__.splitlines()[0], runs=15).parse_args()
    runs = 3 if args.quick else args.runs
    common.header("bench_agreement: compare + report, 10,000 vs 10,000 annotations")
    text, a, b = make_case()
    print(f"   document: {len(text.encode()):,} bytes UTF-8, {len(text):,} code points; "
          f"A {len(a):,}, B {len(b):,} annotations")  # fmt: skip

    def both():
        pairs = compare(a, b)
        return pairs, report(a, b, text, TYPES, pairs=pairs)

    pairs, rep = both()  # once untimed: the first call also compiles the token pattern
    total = Stats([common.timed(both) for _ in range(runs)])
    only_compare = Stats([common.timed(lambda: compare(a, b)) for _ in range(runs)])
    only_report = Stats([common.timed(lambda: report(a, b, text, TYPES, pairs=pairs))
                         for _ in range(runs)])  # fmt: skip
    floor = Stats([common.timed(lambda: (re.findall(r"\w+", text), sorted(a, key=_start),
                                         sorted(b, key=_start))) for _ in range(runs)])  # fmt: skip
    naive_1k = Stats([common.timed(lambda: _naive_overlaps(a[:1000], b[:1000]))
                      for _ in range(max(3, runs // 3))])  # fmt: skip

    o = rep.overall
    print(f"   compare + report         {total.ms()}   target ≤ {TARGET_S * 1e3:.0f} ms "
          f"→ {common.verdict(total.median, TARGET_S)}")  # fmt: skip
    print(f"     compare (pairs)        {only_compare.ms()}")
    print(f"     report (given pairs)   {only_report.ms()}")
    print(f"   floor: \\w+ tokens + sort {floor.ms()}")
    print(f"   n×m overlap test 1k×1k   {naive_1k.ms()}  → ×100 for 10k×10k ≈ "
          f"{naive_1k.median * 100:.1f} s")  # fmt: skip
    print(f"   pairs: agree {o.agree:,}, conflict {o.conflict:,}, only A {o.only_a:,}, "
          f"only B {o.only_b:,}; tokens {o.kappa.tokens:,}")  # fmt: skip
    print(f"   exact F1 {o.exact.f1:.4f}, overlap F1 {o.overlap.f1:.4f}, kappa {o.kappa.kappa:.4f}")
    for row in rep.by_type:
        print(f"     {row.name:<12} exact F1 {row.exact.f1:.4f}  overlap F1 {row.overlap.f1:.4f}"
              f"  kappa {row.kappa.kappa:.4f}")  # fmt: skip
    results = {
        "target_ms": TARGET_S * 1e3, "total": total.as_dict(), "compare": only_compare.as_dict(),
        "report": only_report.as_dict(), "floor": floor.as_dict(),
        "naive_overlaps_1k": naive_1k.as_dict(), "code_points": len(text),
        "annotations": [len(a), len(b)], "overall": rep.overall.to_dict(), "runs": runs,
    }  # fmt: skip
    if args.profile:
        print(common.profile(both))
    print(f"\n   {common.load()}")
    common.write_json(args.json, results)
    return 0


def _start(x: Annotation) -> int:
    return x.start


if __name__ == "__main__":
    sys.exit(main())
