"""Article files are untrusted bytes: decode what we promise; refuse the rest, naming the file."""

from __future__ import annotations

import codecs
import hashlib

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

import app.articles as articles
from app.articles import (
    ArticleError,
    decode_article,
    default_title,
    make_document,
    read_article,
    shorten,
)

SAMPLE = (
    "Rebels near Homs — “an imminent possibility”\n"
    "قال الجُولاني إن القوات تتقدم\n"
    "Дамаск 🐈 🇸🇾 👨\u200d👩\u200d👧 Syria’s\u00a0north\n"
    "tab\there, a form feed \x0c and a line separator \u2028 stay as they are\n"
)


def encodings(text: str) -> dict[str, bytes]:
    return {
        "utf-8": text.encode("utf-8"),
        "utf-8-bom": codecs.BOM_UTF8 + text.encode("utf-8"),
        "utf-16-le-bom": codecs.BOM_UTF16_LE + text.encode("utf-16-le"),
        "utf-16-be-bom": codecs.BOM_UTF16_BE + text.encode("utf-16-be"),
    }


@pytest.mark.parametrize("kind", ["utf-8", "utf-8-bom", "utf-16-le-bom", "utf-16-be-bom"])
def test_every_accepted_encoding_decodes_to_the_same_text(kind: str) -> None:
    assert decode_article(encodings(SAMPLE)[kind], "a.txt") == SAMPLE


line_text = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\r\n\x00"),
    max_size=30,
).filter(lambda s: s.strip())


@given(
    st.lists(st.tuples(line_text, st.sampled_from(["\n", "\r\n", "\r"])), min_size=1, max_size=8)
)
def test_crlf_and_lone_cr_become_lf_and_nothing_else_changes(lines) -> None:
    assume(not lines[0][0].startswith("\ufeff"))  # at the start, U+FEFF is a byte-order mark
    raw = "".join(line + end for line, end in lines)
    expected = "".join(line + "\n" for line, _ in lines)
    for data in encodings(raw).values():
        assert decode_article(data, "a.txt") == expected


def test_line_end_examples() -> None:
    assert decode_article(b"a\r\nb\rc\n\r\nd\r\r\n", "a.txt") == "a\nb\nc\n\nd\n\n"


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (b"", "empty"),
        (b"Homs \xc3\x28 Hama", "not valid UTF-8"),
        (b"\xef\xbb\xbfHoms \xff", "not valid UTF-8"),
        (b"Homs\x00Hama", "NUL"),
        ("Homs".encode("utf-16-le"), "NUL"),  # UTF-16 without its BOM
        (b" \n\r\n\t ", "white space"),
        (codecs.BOM_UTF8, "white space"),
        (codecs.BOM_UTF16_LE + "\n \n".encode("utf-16-le"), "white space"),
        (codecs.BOM_UTF16_LE + b"\x00\xd8", "not valid UTF-16"),  # lone high surrogate
    ],
    ids=[
        "empty",
        "invalid-utf8",
        "invalid-after-bom",
        "nul",
        "utf16-without-bom",
        "whitespace",
        "bom-only",
        "utf16-whitespace",
        "utf16-lone-surrogate",
    ],
)
def test_bad_bytes_raise_article_error_naming_the_file(data: bytes, words: str) -> None:
    with pytest.raises(ArticleError) as info:
        decode_article(data, "dispatch-17.txt")
    message = str(info.value)
    assert "dispatch-17.txt" in message
    assert words in message


@pytest.mark.parametrize(
    ("text", "title"),
    [
        ("Homs falls\nbody", "Homs falls"),
        ("\n\n   \n  Homs falls  \nbody", "Homs falls"),
        ("# Homs falls\nbody", "Homs falls"),
        ("###   Homs falls ###\n", "Homs falls ###"),
        ("#\n\n## \nReal title\n", "Real title"),
        ("الجُولاني يتقدم\n", "الجُولاني يتقدم"),
    ],
)
def test_title_is_the_first_non_empty_line(text: str, title: str) -> None:
    assert default_title(text) == title


def test_long_title_is_truncated_with_an_ellipsis() -> None:
    line = "word " * 100
    title = default_title(line + "\nbody")
    assert len(title) <= 120
    assert title.endswith("word…")  # cut between words, never inside one
    assert line.startswith(title[:-1])
    exact = "x" * 120
    assert default_title(exact) == exact
    assert default_title("y" * 300) == "y" * 119 + "…"  # no space to cut at


def test_title_falls_back_when_there_is_no_line() -> None:
    assert default_title("\n  \n#\n", fallback="dispatch.txt") == "dispatch.txt"


def test_make_document_hashes_the_text_and_prefers_a_given_title() -> None:
    doc = make_document(SAMPLE, source="Wire", url="https://example.org/a")
    assert doc.id is None
    assert doc.text == SAMPLE
    assert doc.text_sha256 == hashlib.sha256(SAMPLE.encode("utf-8")).hexdigest()
    assert doc.title == "Rebels near Homs — “an imminent possibility”"
    assert (doc.source, doc.url) == ("Wire", "https://example.org/a")
    assert make_document(SAMPLE, title="Mine").title == "Mine"


@pytest.mark.parametrize("kind", ["utf-8", "utf-8-bom", "utf-16-le-bom", "utf-16-be-bom"])
def test_read_article_from_disk(tmp_path, kind: str) -> None:
    path = tmp_path / "report.md"
    path.write_bytes(encodings("# Headline\r\n" + SAMPLE)[kind])
    doc = read_article(path)
    assert doc.text == "# Headline\n" + SAMPLE
    assert doc.title == "Headline"


@pytest.mark.parametrize("name", ["report.pdf", "report.docx", "report"])
def test_other_suffixes_are_refused(tmp_path, name: str) -> None:
    path = tmp_path / name
    path.write_bytes(b"Homs")
    with pytest.raises(ArticleError) as info:
        read_article(path)
    assert name in str(info.value)


def test_suffix_check_ignores_case(tmp_path) -> None:
    path = tmp_path / "REPORT.TXT"
    path.write_bytes(b"Homs")
    assert read_article(path).text == "Homs"


def test_missing_file_is_an_article_error(tmp_path) -> None:
    with pytest.raises(ArticleError) as info:
        read_article(tmp_path / "gone.txt")
    assert "gone.txt" in str(info.value)


def test_size_limit(tmp_path, monkeypatch) -> None:
    monkeypatch.setattr(articles, "MAX_ARTICLE_BYTES", 10)
    ok, big = tmp_path / "ok.txt", tmp_path / "big.txt"
    ok.write_bytes(b"0123456789")
    big.write_bytes(b"0123456789A")
    assert read_article(ok).text == "0123456789"
    for call in (lambda: read_article(big), lambda: decode_article(b"0123456789A", "big.txt")):
        with pytest.raises(ArticleError) as info:
            call()
        assert "big.txt" in str(info.value) and "limit" in str(info.value)


@pytest.mark.parametrize("name", ["homs-report.txt", "homs-rewrite.txt"])
def test_corpus_articles_decode_unchanged(corpus_text, tmp_path, name: str) -> None:
    text = corpus_text(name)
    for kind, data in encodings(text).items():
        path = tmp_path / f"{kind}.txt"
        path.write_bytes(data)
        doc = read_article(path)
        assert doc.text == text
        first = next(line.strip() for line in text.split("\n") if line.strip())
        assert doc.title == (first if len(first) <= 120 else shorten(first, 120))
