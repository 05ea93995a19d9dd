"""Agreement between two annotators, by hand: the worked example of docs/agreement.md with its
arithmetic, the matching rules one by one, Arabic and emoji, empty sets, refusals and the output
formats. Random data against an independent implementation: test_agreement_random.py."""

from __future__ import annotations

import json

import pytest

from app.agreement import (
    AGREE,
    ALL_TYPES,
    CONFLICT,
    CSV_HEADER,
    ONLY_B,
    compare,
    report,
    to_csv_rows,
)
from app.agreement_scores import tokenize
from app.model import Annotation, Grade, TagType
from tests.agreement_reference import ACTOR, CRED, LOCATION, TYPES, ann, at

# ---------------------------------------------------------------- hand-worked

TEN = "Ahmad met Layla in Homs and Omar left for Aleppo"


def _ten_words():
    """A: Ahmad/Layla/Omar actors, Homs/Aleppo locations. B: Layla as a place, "Omar left"
    for Omar, Aleppo under another name."""
    t = TEN
    a = [ann(t, *at(t, "Ahmad"), ACTOR, "Ahmad"), ann(t, *at(t, "Layla"), ACTOR, "Layla"),
         ann(t, *at(t, "Homs"), LOCATION, "Homs"), ann(t, *at(t, "Omar"), ACTOR, "Omar"),
         ann(t, *at(t, "Aleppo"), LOCATION, "Aleppo")]  # fmt: skip
    b = [ann(t, *at(t, "Ahmad"), ACTOR, "Ahmad"), ann(t, *at(t, "Layla"), LOCATION, "Layla"),
         ann(t, *at(t, "Homs"), LOCATION, "Homs"), ann(t, 28, 37, ACTOR, "Omar"),
         ann(t, *at(t, "Aleppo"), LOCATION, "Halab", note="spelling?")]  # fmt: skip
    return a, b


def test_ten_words_pairs():
    a, b = _ten_words()
    got = [(p.kind, p.differences) for p in compare(a, b)]
    assert got == [
        (AGREE, ()),  # Ahmad
        (CONFLICT, ("type",)),  # Layla: actor vs location
        (AGREE, ()),  # Homs
        (CONFLICT, ("end",)),  # Omar vs "Omar left"
        (CONFLICT, ("entity", "note")),  # Aleppo vs Halab; the note alone would not conflict
    ]


def test_ten_words_figures():
    a, b = _ten_words()
    r = report(a, b, TEN, TYPES)
    o = r.overall
    assert (o.agree, o.conflict, o.only_a, o.only_b) == (2, 3, 0, 0)
    # exact span+type: Ahmad, Homs, Aleppo = 3 of 5 on each side → P = R = F1 = 0.6
    assert (o.exact.tp, o.exact.precision, o.exact.recall, o.exact.f1) == (3, 0.6, 0.6, 0.6)
    # + entity and grade: Ahmad, Homs → 0.4
    assert (o.exact_value.tp, o.exact_value.f1) == (2, 0.4)
    # overlap + type adds Omar / "Omar left": 4 of 5 → 0.8
    assert (o.overlap.tp, o.overlap.f1) == (4, 0.8)
    # Tokens   Ahmad met Layla in Homs and Omar left for Aleppo
    #   A      Act   O   Act   O  Loc  O   Act  O    O   Loc
    #   B      Act   O   Loc   O  Loc  O   Act  Act  O   Loc
    # confusion (A rows × B columns):   Act Loc  O | row
    #                            Act     2   1   0 |  3
    #                            Loc     0   2   0 |  2
    #                            O       1   0   4 |  5
    #                            column  3   3   4 | 10
    # po = (2+2+4)/10 = 0.8; pe = (3·3 + 2·3 + 5·4)/100 = 0.35
    # kappa = (0.8 − 0.35)/(1 − 0.35) = 0.45/0.65 = 0.6923
    assert o.kappa.tokens == 10
    assert o.kappa.observed == pytest.approx(0.8)
    assert o.kappa.expected == pytest.approx(0.35)
    assert o.kappa.kappa == pytest.approx(0.45 / 0.65) and round(o.kappa.kappa, 4) == 0.6923

    actor, location, cred = r.by_type
    assert (actor.name, location.name, cred.name) == ("Actor", "Location", "Credibility")
    # Actor: A has Ahmad, Layla, Omar; B has Ahmad, "Omar left". exact tp 1 → P 1/2, R 1/3,
    # F1 2·1/(2·1+1+2) = 0.4; overlap tp 2 → P 1, R 2/3, F1 4/5
    assert (actor.exact.precision, actor.exact.recall, actor.exact.f1) == (0.5, 1 / 3, 0.4)
    assert (actor.overlap.precision, actor.overlap.recall, actor.overlap.f1) == (1.0, 2 / 3, 0.8)
    # the Layla conflict is an actor conflict and a location conflict
    assert (actor.agree, actor.conflict, location.agree, location.conflict) == (1, 2, 1, 2)
    # Actor tokens: A {Ahmad, Layla, Omar}, B {Ahmad, Omar, left}; both 2, neither 6
    # po = 0.8; pe = 0.3·0.3 + 0.7·0.7 = 0.58; kappa = 0.22/0.42 = 0.5238
    assert round(actor.kappa.kappa, 4) == 0.5238
    # Location tokens: A {Homs, Aleppo}, B {Layla, Homs, Aleppo}; both 2, neither 7
    # po = 0.9; pe = 0.2·0.3 + 0.8·0.7 = 0.62; kappa = 0.28/0.38 = 0.7368
    assert round(location.kappa.kappa, 4) == 0.7368
    # Nobody graded anything: every token is "not credibility" for both (pe = 1, po = 1 → 1.0),
    # and P/R/F1 have nothing to divide by.
    assert cred.kappa.kappa == 1.0
    assert (cred.exact.precision, cred.exact.recall, cred.exact.f1) == (None, None, None)


def test_matching_prefers_same_span_then_same_type_then_larger_overlap():
    t = "General Khalid Omar of the northern forces"
    whole = at(t, "General Khalid Omar")
    a = [ann(t, *whole, ACTOR, "Khalid Omar")]
    # Same span as another type beats same type with a smaller overlap.
    b = [ann(t, *at(t, "Khalid Omar"), ACTOR, "Khalid Omar"), ann(t, *whole, LOCATION, "Omar")]
    pairs = compare(a, b)
    conflict = next(p for p in pairs if p.kind == CONFLICT)
    assert conflict.b.tag_type_id == LOCATION and conflict.differences == ("type", "entity")
    assert [p.kind for p in pairs].count(ONLY_B) == 1
    # Without the same span: same type (4 code points shared) beats another type (18 shared).
    b = [ann(t, *at(t, "Omar"), ACTOR, "Omar"), ann(t, whole[0], whole[1] - 1, LOCATION)]
    conflict = next(p for p in compare(a, b) if p.kind == CONFLICT)
    assert conflict.b.tag_type_id == ACTOR
    # Same type: the larger overlap wins.
    b = [ann(t, *at(t, "Omar"), ACTOR, "Khalid Omar"), ann(t, *at(t, "General Khalid"), ACTOR)]
    conflict = next(p for p in compare(a, b) if p.kind == CONFLICT)
    assert (conflict.b.start, conflict.b.end) == at(t, "General Khalid")


def test_grade_difference_is_a_conflict_and_agreement_needs_the_same_grade():
    t = "Residents said the convoy was shelled near the bridge."
    span = (0, len(t))
    a = [ann(t, *span, CRED, grade=Grade(3, "B")), ann(t, *span, CRED, grade=Grade(2, "B"))]
    b = [ann(t, *span, CRED, grade=Grade(2, "B")), ann(t, *span, CRED, grade=Grade(3))]
    pairs = compare(a, b)
    assert [(p.kind, p.differences) for p in pairs] == [(AGREE, ()), (CONFLICT, ("grade",))]
    row = report(a, b, t, TYPES).by_type[2]
    assert (row.exact.tp, row.exact_value.tp, row.agree) == (2, 1, 1)


def test_shortest_annotation_labels_a_token_covered_twice():
    t = "Omar left for Aleppo"
    # A grades the whole claim and tags Aleppo inside it; B only grades the claim.
    a = [ann(t, 0, len(t), CRED, grade=Grade(3)), ann(t, *at(t, "Aleppo"), LOCATION)]
    b = [ann(t, 0, len(t), CRED, grade=Grade(3))]
    o = report(a, b, t, TYPES).overall
    # A: Cred Cred Cred Loc; B: Cred ×4 → po = 3/4; rows Cred 3, Loc 1; columns Cred 4
    # pe = (3·4 + 1·0)/16 = 0.75 = po → kappa 0
    assert o.kappa.observed == 0.75 and o.kappa.expected == 0.75 and o.kappa.kappa == 0.0
    # The credibility type's own binary kappa is untouched by the nested location: 4/4 agree.
    assert report(a, b, t, TYPES).by_type[2].kappa.kappa == 1.0


def test_arabic_with_harakat_and_emoji_use_code_points():
    t = "قالَ 🇸🇾 مصدرٌ في حَلَبَ 🔥 إنّ القوات دخلت"
    # A flag is two code points; harakat are code points of their own inside the word.
    assert [t[s:e] for s, e in zip(*tokenize(t), strict=True)] == [
        "قالَ", "مصدرٌ", "في", "حَلَبَ", "إنّ", "القوات", "دخلت"]  # fmt: skip
    city, fire, flag = at(t, "حَلَبَ"), at(t, "🔥"), at(t, "🇸🇾")
    assert flag[1] - flag[0] == 2
    a = [ann(t, *city, LOCATION, "Aleppo"), ann(t, *fire, CRED, grade=Grade(4))]
    b = [ann(t, *city, LOCATION, "Aleppo"), ann(t, *flag, LOCATION, "Syria")]
    r = report(a, b, t, TYPES)
    assert (r.overall.agree, r.overall.only_a, r.overall.only_b) == (1, 1, 1)
    # Emoji are not word tokens: neither the flag nor the fire changes the 7-token matrix.
    assert r.overall.kappa.tokens == 7 and r.overall.kappa.kappa == 1.0
    assert r.by_type[1].exact.precision == 0.5


def test_word_tokens():
    def words(text):
        return [text[s:e] for s, e in zip(*tokenize(text), strict=True)]

    assert words("") == [] and words(" ,.! 🔥⚠️ ") == []
    assert words("al-Assad's co_op 3.5") == ["al", "Assad", "s", "co_op", "3", "5"]
    assert words("e\u0301te\u0301 नमस्ते") == ["e\u0301te\u0301", "नमस्ते"]
    assert words("می\u200cخواهم \u200cx") == ["می\u200cخواهم", "x"]  # ZWNJ inside a word only


# ---------------------------------------------------------------- edges and errors


def test_nothing_to_compare():
    assert compare([], []) == []
    r = report([], [], "Nothing was tagged here.", TYPES)
    o = r.overall
    assert (o.agree, o.conflict, o.only_a, o.only_b) == (0, 0, 0, 0)
    assert (o.exact.precision, o.exact.recall, o.exact.f1) == (None, None, None)
    assert o.kappa.tokens == 4 and o.kappa.kappa == 1.0  # both said "nothing" for every token
    assert report([], [], "", TYPES).overall.kappa.kappa is None  # no tokens at all
    json.dumps(r.to_dict())


def test_one_side_empty():
    t = "Homs"
    r = report([], [ann(t, 0, 4, LOCATION)], t, TYPES).overall
    # B's one annotation is wrong against an empty reference: P 0/1; R has no reference to recall.
    assert (r.only_b, r.exact.precision, r.exact.recall, r.exact.f1) == (1, 0.0, None, 0.0)
    # One token: A says O, B says Location → po 0, pe 0, kappa 0
    assert r.kappa.kappa == 0.0


def test_refusals_say_what_is_wrong():
    t = "Homs and Hama"
    good = ann(t, 0, 4, LOCATION)
    with pytest.raises(ValueError, match="one document"):
        compare([good], [ann(t, 0, 4, LOCATION, doc=2)])
    with pytest.raises(ValueError, match="empty span"):
        compare([Annotation("bad", 1, 4, 4, "", "", "", LOCATION)], [good])
    with pytest.raises(ValueError, match="not in the project"):
        report([ann(t, 0, 4, 99)], [], t, TYPES)
    with pytest.raises(ValueError, match="past the end"):
        report([good], [], "Hom", TYPES)
    many = {k: TagType(k, f"type {k}", position=k) for k in range(1, 300)}
    used = [ann(t, 0, 4, k) for k in range(1, 257)]
    with pytest.raises(ValueError, match="up to 255 tag types"):
        report(used, [], t, many)
    assert report(used[:255], [], t, many).overall.kappa.tokens == 3  # 299 defined, 255 in use


def test_csv_rows():
    a, b = _ten_words()
    rows = to_csv_rows({"Ten words": report(a, b, TEN, TYPES)})
    assert rows[0] == list(CSV_HEADER) and len(rows) == 1 + 4
    assert rows[1] == ["Ten words", "Actor", 1, 2, 0, 0, 0.5, 0.3333, 0.4, 1.0, 0.6667, 0.8, 0.5238]
    assert rows[3][6:9] == ["", "", ""]  # credibility: nothing to divide by, not 0
    assert rows[4][:2] == ["Ten words", ALL_TYPES] and rows[4][-1] == 0.6923


def test_json_round_trip():
    a, b = _ten_words()
    data = json.loads(json.dumps(report(a, b, TEN, TYPES).to_dict()))
    assert data["overall"]["kappa"]["tokens"] == 10
    assert {"a": "Actor", "b": "Location", "tokens": 1} in data["overall"]["kappa"]["confusion"]
    assert {"a": None, "b": None, "tokens": 4} in data["overall"]["kappa"]["confusion"]
    assert [row["tag_type"] for row in data["by_type"]] == ["Actor", "Location", "Credibility"]
    pairs = json.loads(json.dumps([p.to_dict() for p in compare(a, b)]))
    assert pairs[1] == {"kind": CONFLICT, "a": a[1].id, "b": b[1].id, "start": 10, "end": 15,
                        "differences": ["type"]}  # fmt: skip
