"""brat standoff import: offsets land on the right characters whatever line ends, BOM or unit the
colleague's brat counted, proved by the text every T line repeats."""

from __future__ import annotations

import pytest

from app.articles import text_sha256
from app.formats import brat
from app.formats.registry import read_colleague_file
from app.model import Grade
from tests.import_helpers import ARABIC, CAT, FLAG, refused, utf16_len

NAME = "homs.ann"
# A news item with an emoji flag, a cat and Arabic before the tagged words.
ARTICLE = f"Homs {FLAG} talks\n{ARABIC} {CAT} said the rebels\nhad fallen back to Hama.\n"


def at(text: str, needle: str, nth: int = 0, *, unit=len) -> tuple[int, int]:
    """Offsets of `needle` in `text`, counted with `unit` (len: code points; utf16_len)."""
    start = -1
    for _ in range(nth + 1):
        start = text.index(needle, start + 1)
    return unit(text[:start]), unit(text[: start + len(needle)])


def t_line(ann_id: str, kind: str, text: str, needle: str, *, unit=len, nth=0) -> str:
    start, end = at(text, needle, nth, unit=unit)
    return f"{ann_id}\t{kind} {start} {end}\t{needle}"


def ann_file(*lines: str) -> bytes:
    return ("\n".join(lines) + "\n").encode()


def sample_lines(text: str, *, unit=len) -> list[str]:
    rebels, had = at(text, "rebels", unit=unit), at(text, "had", unit=unit)
    return [
        t_line("T1", "Actor", text, "بشار", unit=unit),
        t_line("T2", "Location", text, "Hama", unit=unit),
        f"T3\tActor {rebels[0]} {rebels[1]};{had[0]} {had[1]}\trebels had",
        t_line("T4", "Credibility", text, "fallen back", unit=unit),
        "A1\tCredibility T4 3",
        "A2\tReliability T4 B",
        "A3\tNegated T2",
        "#1\tAnnotatorNotes T4\t=only one source",
        "N1\tReference T1 Wikidata:Q44329\tBashar al-Assad",
        "N2\tReference T2 Wikidata:Q41183",
        "R1\tLocatedIn Arg1:T3 Arg2:T2",
        "E1\tAttack:T4 Agent:T3",
        "*\tEquiv T1 T3",
    ]


def check_sample(parsed, stored: str) -> None:
    by_id = {a.id: a for a in parsed.annotations}
    assert set(by_id) == {"T1", "T2", "T3", "T4"}
    for ann_id, quote in [("T1", "بشار"), ("T2", "Hama"), ("T4", "fallen back")]:
        ann = by_id[ann_id]
        assert (ann.start, ann.end) == at(stored, quote)
        assert stored[ann.start : ann.end] == ann.exact == quote
    # The discontinuous span across the line break becomes the span covering both fragments.
    assert by_id["T3"].exact == "rebels\nhad"
    assert by_id["T1"].entity == "Bashar al-Assad" and by_id["T2"].entity == "Wikidata:Q41183"
    assert by_id["T4"].grade == Grade(3, "B") and by_id["T4"].note == "=only one source"
    assert by_id["T2"].grade == Grade() and by_id["T2"].tag_type == "Location"
    (document,) = parsed.documents
    assert document.text == stored and document.text_sha256 == text_sha256(stored)
    assert document.title == f"Homs {FLAG} talks" and document.key == "homs.txt"
    assert all(a.document_key == "homs.txt" for a in parsed.annotations)
    notices = " | ".join(parsed.notices)
    for skipped in ("1 relation", "1 event", "1 equivalence", "1 “Negated” attribute"):
        assert skipped in notices


def test_code_points_into_a_plain_text():
    parsed = brat.parse(ann_file(*sample_lines(ARTICLE)), ARTICLE.encode(), NAME)
    assert parsed.format == "brat" and parsed.name == NAME
    check_sample(parsed, ARTICLE)
    assert not any("offsets read as" in n for n in parsed.notices)


def test_crlf_and_bom_counted_as_brat_reads_them_in_binary():
    raw = "\ufeff" + ARTICLE.replace("\n", "\r\n")
    parsed = brat.parse(ann_file(*sample_lines(raw)), raw.encode(), NAME)
    check_sample(parsed, ARTICLE)


def test_crlf_counted_as_one_line_end():
    raw = ARTICLE.replace("\n", "\r\n")
    lines = sample_lines(ARTICLE)  # offsets into the \n text, as universal newlines would give
    parsed = brat.parse(ann_file(*lines), raw.encode(), NAME)
    check_sample(parsed, ARTICLE)


def test_utf16_offsets_from_a_narrow_python_build_are_recognised_by_their_quotes():
    parsed = brat.parse(ann_file(*sample_lines(ARTICLE, unit=utf16_len)), ARTICLE.encode(), NAME)
    check_sample(parsed, ARTICLE)
    assert any("UTF-16 units" in n for n in parsed.notices)


def test_lines_without_text_are_taken_on_their_offsets():
    start, end = at(ARTICLE, "Hama")
    parsed = brat.parse(ann_file(f"T1\tLocation {start} {end}"), ARTICLE.encode(), NAME)
    assert parsed.annotations[0].exact == "Hama"


def test_formula_like_names_and_notes_are_kept_verbatim():
    lines = [
        t_line("T1", "=Actor", ARTICLE, "Hama"),
        'N1\tReference T1 X:1\t=HYPERLINK("x")',
        "#1\tAnnotatorNotes T1\t@SUM(A1)",
    ]
    (ann,) = brat.parse(ann_file(*lines), ARTICLE.encode(), NAME).annotations
    assert (ann.tag_type, ann.entity, ann.note) == ("=Actor", '=HYPERLINK("x")', "@SUM(A1)")


def test_through_the_registry(tmp_path):
    (tmp_path / "homs.ann").write_bytes(ann_file(*sample_lines(ARTICLE)))
    (tmp_path / "homs.txt").write_bytes(ARTICLE.encode())
    check_sample(read_colleague_file(tmp_path / "homs.ann"), ARTICLE)
    (tmp_path / "lost.ann").write_bytes(ann_file("T1\tActor 0 4\tHoms"))
    refused(read_colleague_file, tmp_path / "lost.ann", file="lost.ann", where="",
            says="lost.txt is missing")  # fmt: skip


# ---------------------------------------------------------------- refusals


def parse_lines(*lines: str):
    return brat.parse(ann_file(*lines), ARTICLE.encode(), NAME)


@pytest.mark.parametrize(
    ("line", "says"),
    [
        ("T1\tActor 0 4\tHOMS", "is not what the .txt holds"),
        ("T1\tActor 9 4\tHoms", "start 9 is not before end 4"),
        ("T1\tActor 0 999\tHoms", "past the end of the text"),
        ("T1\tActor -1 4\tHoms", "is not a span"),
        ("T1\tActor 0 x\tHoms", "is not a span"),
        ("T1\tAct\u202eor 0 4\tHoms", "U+202E"),
        ("T1\t 0 4\tHoms", "the type is empty"),
        ("X1\tActor 0 4\tHoms", "no annotation kind"),
        ("T1 Actor 0 4 Homs", "is not a brat annotation"),
    ],
)
def test_bad_text_bound_lines_are_refused(line, says):
    refused(parse_lines, "T9\tLocation 0 4\tHoms", line, file=NAME, where="line 2", says=says)


def test_half_a_flag_is_a_span_in_code_points_but_the_quote_must_say_so():
    start = len("Homs ")
    refused(parse_lines, f"T1\tActor {start} {start + 1}\t{FLAG}", file=NAME, where="line 1",
            says="is not what the .txt holds")  # fmt: skip
    (ann,) = parse_lines(f"T1\tActor {start} {start + 1}\t{FLAG[0]}").annotations
    assert ann.exact == FLAG[0]


def test_discontinuous_spans_with_words_between_are_refused():
    hama, rebels = at(ARTICLE, "Hama"), at(ARTICLE, "rebels")
    line = f"T1\tActor {rebels[0]} {rebels[1]};{hama[0]} {hama[1]}\trebels Hama"
    refused(parse_lines, line, file=NAME, where="line 1", says="leaves out “had fallen back to”")
    backwards = f"T1\tActor {hama[0]} {hama[1]};{rebels[0]} {rebels[1]}\tHama rebels"
    refused(parse_lines, backwards, file=NAME, where="line 1", says="out of order")


@pytest.mark.parametrize(
    ("extra", "says"),
    [
        ("A1\tCredibility T1 7", "Credibility must be 1–6, not “7”"),
        ("A1\tCredibility T1", "Credibility must be 1–6, not no value"),
        ("A1\tReliability T1 G", "Reliability must be A–F"),
        ("A1\tReliability T1 b", "Reliability must be A–F"),
        ("A1\tCredibility T7 3", "refers to T7, which the file does not define"),
        ("#1\tAnnotatorNotes\tlost", "names no annotation"),
        ("N1\tReference T1\tAssad", "is not a brat normalisation"),
        ("N1\tReference T1 W:1\tAs\u202esad", "U+202E"),
    ],
)
def test_bad_attributes_notes_and_normalisations_are_refused(extra, says):
    refused(parse_lines, t_line("T1", "Actor", ARTICLE, "Hama"), extra, file=NAME,
            where="line 2", says=says)  # fmt: skip


def test_a_repeated_id_names_both_lines():
    refused(parse_lines, "T1\tActor 0 4\tHoms", "", "T1\tActor 0 4\tHoms", file=NAME,
            where="line 3", says="first on line 1")  # fmt: skip


def test_two_grades_or_entities_for_one_span_are_refused():
    t1 = t_line("T1", "Actor", ARTICLE, "Hama")
    refused(parse_lines, t1, "A1\tCredibility T1 2", "A2\tCredibility T1 5", file=NAME,
            where="line 3", says="two credibility values")  # fmt: skip
    refused(parse_lines, t1, "N1\tRef T1 W:1\tHama", "N2\tRef T1 W:2\tHamah", file=NAME,
            where="line 3", says="but N1 gave it “Hama”")  # fmt: skip


def test_a_text_that_is_not_utf8_is_refused():
    refused(brat.parse, b"T1\tActor 0 4\tHoms\n", "Homs é".encode("latin-1"), NAME,
            file="homs.txt", where="byte 5", says="not valid UTF-8")  # fmt: skip
