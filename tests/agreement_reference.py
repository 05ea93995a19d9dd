"""The slow, independent way of computing agreement, for the tests to hold the fast one against:
every pair against every pair, and a confusion matrix filled token by token. Written from the
definitions in docs/agreement.md, sharing no code with app/agreement*.py. Also the annotation
builders and the random cases both test files use."""

from __future__ import annotations

from unicodedata import category

import pytest
from hypothesis import strategies as st

from app.agreement import AGREE, CONFLICT, ONLY_A, ONLY_B
from app.model import Annotation, Grade, TagType

ACTOR, LOCATION, CRED = 1, 2, 3
TYPES = {
    ACTOR: TagType(ACTOR, "Actor", position=0),
    LOCATION: TagType(LOCATION, "Location", position=1),
    CRED: TagType(CRED, "Credibility", "credibility", position=2),
}
_ids = iter(range(10**9))


def ann(text, start, end, tag, entity="", grade=Grade(), note="", doc=1) -> Annotation:
    return Annotation(f"x{next(_ids)}", doc, start, end, text[start:end], "", "", tag, entity,
                      grade, note)  # fmt: skip


def at(text: str, word: str, nth: int = 0) -> tuple[int, int]:
    start = -1
    for _ in range(nth + 1):
        start = text.index(word, start + 1)
    return start, start + len(word)


def kinds(pairs) -> list[tuple]:
    return sorted(
        (p.kind, p.a.id if p.a else "", p.b.id if p.b else "", p.differences) for p in pairs
    )


def slow_rank(x):
    return (x.start, x.end, x.tag_type_id, x.entity, x.grade.credibility or 0,
            x.grade.reliability or "", x.note, x.id)  # fmt: skip


def slow_overlaps(x, y) -> bool:
    return x.start < y.end and y.start < x.end


def slow_same_claim(x, y) -> bool:
    return (x.start == y.start and x.end == y.end and x.tag_type_id == y.tag_type_id
            and x.entity == y.entity and x.grade == y.grade)  # fmt: skip


def slow_differences(x, y) -> tuple:
    names = []
    for name, field in (("start", "start"), ("end", "end"), ("type", "tag_type_id"),
                        ("entity", "entity"), ("grade", "grade"), ("note", "note")):  # fmt: skip
        if getattr(x, field) != getattr(y, field):
            names.append(name)
    return tuple(names)


def slow_greedy(candidates, n, m):
    used_x, used_y, taken = [False] * n, [False] * m, []
    for *_, i, j in sorted(candidates):
        if not used_x[i] and not used_y[j]:
            used_x[i] = used_y[j] = True
            taken.append((i, j))
    return taken


def slow_compare(a, b) -> list[tuple]:
    xs, ys = sorted(a, key=slow_rank), sorted(b, key=slow_rank)
    taken_y = [False] * len(ys)
    out, rest_x = [], []
    for x in xs:
        for j, y in enumerate(ys):
            if not taken_y[j] and slow_same_claim(x, y):
                taken_y[j] = True
                out.append((AGREE, x.id, y.id, slow_differences(x, y)))
                break
        else:
            rest_x.append(x)
    rest_y = [y for j, y in enumerate(ys) if not taken_y[j]]
    candidates = []
    for i, x in enumerate(rest_x):
        for j, y in enumerate(rest_y):
            if slow_overlaps(x, y):
                shared = min(x.end, y.end) - max(x.start, y.start)
                lo, hi = sorted([slow_rank(x), slow_rank(y)])
                candidates.append(((x.start, x.end) != (y.start, y.end),
                                   x.tag_type_id != y.tag_type_id, -shared, x.entity != y.entity,
                                   x.grade != y.grade, lo, hi, i, j))  # fmt: skip
    taken = slow_greedy(candidates, len(rest_x), len(rest_y))
    for i, j in taken:
        out.append((CONFLICT, rest_x[i].id, rest_y[j].id, slow_differences(rest_x[i], rest_y[j])))
    out += [(ONLY_A, x.id, "", ()) for i, x in enumerate(rest_x) if i not in {t[0] for t in taken}]
    out += [(ONLY_B, "", y.id, ()) for j, y in enumerate(rest_y) if j not in {t[1] for t in taken}]
    return sorted(out)


def slow_matches(xs, ys, *, overlap: bool) -> int:
    """One-to-one matches of one type's spans: identical spans first; then, for overlap,
    the rest greedily by largest shared length, ties by position."""
    xs, ys = sorted((x.start, x.end) for x in xs), sorted((y.start, y.end) for y in ys)
    taken_y = [False] * len(ys)
    exact, rest_x = 0, []
    for x in xs:
        for j, y in enumerate(ys):
            if not taken_y[j] and x == y:
                taken_y[j] = True
                exact += 1
                break
        else:
            rest_x.append(x)
    if not overlap:
        return exact
    rest_y = [y for j, y in enumerate(ys) if not taken_y[j]]
    candidates = [(-(min(x[1], y[1]) - max(x[0], y[0])), min(x, y), max(x, y), i, j)
                  for i, x in enumerate(rest_x) for j, y in enumerate(rest_y)
                  if x[0] < y[1] and y[0] < x[1]]  # fmt: skip
    return exact + len(slow_greedy(candidates, len(rest_x), len(rest_y)))


def slow_tokens(text) -> list[tuple[int, int]]:
    def word(c):
        return c.isalnum() or c == "_"

    tokens, i = [], 0
    while i < len(text):
        if not word(text[i]):
            i += 1
            continue
        j = i + 1
        while j < len(text):
            if word(text[j]) or category(text[j]).startswith("M"):
                j += 1
            elif text[j] in "\u200c\u200d" and j + 1 < len(text) and word(text[j + 1]):
                j += 2
            else:
                break
        tokens.append((i, j))
        i = j
    return tokens


def slow_labels(text, annotations, types=TYPES) -> list:
    """Per token: the name of the type of the shortest annotation touching it (ties: the type
    first in the vocabulary), or None."""
    labels = []
    for s, e in slow_tokens(text):
        covering = [x for x in annotations if x.start < e and s < x.end]
        if not covering:
            labels.append(None)
            continue
        best = min(covering, key=lambda x: (x.end - x.start, types[x.tag_type_id].position))
        labels.append(types[best.tag_type_id].name)
    return labels


def slow_kappa(labels_a, labels_b) -> float | None:
    n = len(labels_a)
    if n == 0:
        return None
    names = sorted(set(labels_a) | set(labels_b), key=str)
    matrix = [[0] * len(names) for _ in names]
    for la, lb in zip(labels_a, labels_b, strict=True):
        matrix[names.index(la)][names.index(lb)] += 1
    po = sum(matrix[k][k] for k in range(len(names))) / n
    pe = sum(sum(matrix[k]) / n * sum(row[k] for row in matrix) / n for k in range(len(names)))
    if abs(1 - pe) < 1e-12:
        return 1.0 if po == 1 else 0.0
    return (po - pe) / (1 - pe)


CHARS = list("abcXYZ_7 .,-'\n") + ["ك", "ل", "\u064e", "\u0301", "🔥", "\ufe0f", "\u200c", "\u200d"]
GRADES = [Grade(), Grade(3), Grade(2, "B"), Grade(3, "B")]


@st.composite
def cases(draw, max_annotations: int = 12):
    """A random text and two annotators: B keeps some of A's annotations exactly and adds its
    own, so agreements, conflicts and leftovers all occur."""
    text = draw(st.text(alphabet=st.sampled_from(CHARS), min_size=1, max_size=60))
    n = len(text)
    claim = st.tuples(st.integers(0, n - 1), st.integers(1, 12), st.sampled_from([1, 2, 3]),
                      st.sampled_from(["", "p", "q"]), st.sampled_from(GRADES),
                      st.sampled_from(["", "note"]))  # fmt: skip
    a_claims = draw(st.lists(claim, max_size=max_annotations))
    keep = draw(st.lists(st.booleans(), min_size=len(a_claims), max_size=len(a_claims)))
    b_claims = [c for c, k in zip(a_claims, keep, strict=True) if k]
    b_claims = draw(st.permutations(b_claims + draw(st.lists(claim, max_size=max_annotations))))

    def make(side, claims):
        return [Annotation(f"{side}{i}", 1, s, min(n, s + length), "", "", "", tag, entity,
                           grade, note)
                for i, (s, length, tag, entity, grade, note) in enumerate(claims)]  # fmt: skip

    return text, make("a", a_claims), make("b", b_claims)


def assert_kappa(got, expected):
    if expected is None:
        assert got is None
    else:
        assert got == pytest.approx(expected, abs=1e-12)
