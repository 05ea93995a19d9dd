"""Saved web pages, PDFs and Word files become clean articles, or a clear reason why not.

Every file is made by the test (tests/article_files.py); the shared corpus is used where present.
"""

from __future__ import annotations

import codecs
import datetime as dt
import html
import socket

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.article_pdf import PAGE_BREAK
from app.articles import ArticleError, read_article
from app.pasted_text import html_fragment_to_text
from tests.article_files import (
    encrypt_pdf,
    ole_compound_file,
    web_page,
    write_docx,
    write_image_only_pdf,
    write_pdf,
)

STORY = [
    "Rebel forces reached the outskirts of Ḥamā on Thursday, according to residents reached by "
    "telephone, who described columns of pickup trucks moving along the main highway.",
    "In حمص, the provincial governor said the army had “repositioned” its units to protect "
    "civilians, a statement that opposition monitors dismissed as a cover for retreat.",
    "A Western official said there was no evidence that the president had left the capital, "
    "though several embassies were reported to be reducing their staff.",
]
FURNITURE = ["Related Posts", "Leave a Reply", "Subscribe Today", "Privacy Policy",
             "Great article", "Share this", "Your email address"]  # fmt: skip


def _write(path, content: str | bytes):
    path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
    return path


def _refused(path, *words: str) -> str:
    with pytest.raises(ArticleError) as caught:
        read_article(path)
    message = str(caught.value)
    assert message.startswith(path.name + ":"), message
    for word in words:
        assert word.lower() in message.lower(), message
    return message


# ---------------------------------------------------------------- saved web pages


def test_saved_page_gives_the_story_and_its_metadata_without_site_furniture(tmp_path):
    page = web_page(STORY, headline="Rebels reach Ḥamā", author="Jane Roe", site="Levant Wire",
                    published="2024-12-05T09:30:00+00:00",
                    canonical="https://levant.example/2024/12/rebels-hama")  # fmt: skip
    doc = read_article(_write(tmp_path / "rebels.html", page))
    # The headline, then one paragraph each with a blank line between; the byline is metadata.
    assert doc.text == "\n\n".join(["Rebels reach Ḥamā", *STORY])
    assert (doc.title, doc.author, doc.source, doc.published, doc.url) == (
        "Rebels reach Ḥamā", "Jane Roe", "Levant Wire", "2024-12-05",
        "https://levant.example/2024/12/rebels-hama",
    )  # fmt: skip


def test_page_without_site_name_is_filed_under_its_host(tmp_path):
    page = web_page(STORY, headline="Rebels reach Ḥamā", canonical="https://news.example.org/a/7")
    doc = read_article(_write(tmp_path / "a.htm", page))
    assert doc.source == "news.example.org" and doc.url == "https://news.example.org/a/7"


def test_page_without_a_date_is_not_given_one_guessed_from_its_words(tmp_path):
    story = [*STORY, "The uprising began on March 15, 2011, in Daraa, with slogans on a wall."]
    page = web_page(story, headline="Rebels reach Ḥamā", site="Levant Wire")  # footer: © 2024
    assert read_article(_write(tmp_path / "undated.html", page)).published == ""


def test_short_page_keeps_its_story_and_leaves_its_menu_out(tmp_path):
    page = (
        "<html><head><title>Flash</title></head><body><nav><a href='/'>Home</a> "
        "<a href='/world'>World</a></nav><main><p>Homs fell tonight, residents said.</p></main>"
        "<footer>Copyright 2024</footer></body></html>"
    )
    doc = read_article(_write(tmp_path / "flash.html", page))
    assert doc.text == "Homs fell tonight, residents said."


def test_corpus_report_wrapped_in_site_furniture_comes_back_without_it(tmp_path, corpus_text):
    report = corpus_text("homs-report.txt")
    story = report[: report.index("Related Posts")].strip()
    headline, *paragraphs = [p for p in story.split("\n") if p.strip()]
    page = web_page(paragraphs, headline=headline, author="Staff", site="The War Zone")
    doc = read_article(_write(tmp_path / "homs.html", page))
    kept = [p for p in paragraphs if p in doc.text]
    assert len(kept) >= 0.9 * len(paragraphs), set(paragraphs) - set(kept)
    assert paragraphs[0] in doc.text and paragraphs[-1] in doc.text
    for furniture in FURNITURE:
        assert furniture not in doc.text
    assert doc.title == headline and doc.source == "The War Zone"


def test_nothing_in_a_page_is_run_or_fetched(tmp_path, monkeypatch):
    attempts = []

    def no_network(sock, address):
        attempts.append(address)
        raise OSError("networking is disabled in this test")

    monkeypatch.setattr(socket.socket, "connect", no_network)
    monkeypatch.setattr(socket.socket, "connect_ex", no_network)
    monkeypatch.setattr(socket, "getaddrinfo", lambda *a, **k: no_network(None, a))
    hostile_head = (
        '<script src="http://tracker.example/t.js"></script>'
        "<script>document.title = 'SCRIPT_RAN'; fetch('http://tracker.example/beacon')</script>"
        '<link rel="stylesheet" href="http://tracker.example/s.css">'
        "<style>body { background: url(http://tracker.example/bg.png) }</style>"
    )
    hostile_body = (
        '<img src="http://tracker.example/pixel.gif" onerror="alert(\'SCRIPT_RAN\')">'
        '<iframe src="http://tracker.example/frame.html"></iframe>'
        "<script>var SECRET_SCRIPT_TEXT = 1;</script>"
    )
    page = web_page(STORY, headline="Rebels reach Ḥamā", site="Levant Wire",
                    head_extra=hostile_head, body_extra=hostile_body)  # fmt: skip
    doc = read_article(_write(tmp_path / "hostile.html", page))
    assert attempts == []
    assert STORY[0] in doc.text
    for trace in ("SCRIPT_RAN", "SECRET_SCRIPT_TEXT", "tracker.example", "background"):
        assert trace not in doc.text and trace not in doc.title


@pytest.mark.parametrize(
    ("encoding", "declared"),
    [("cp1252", "windows-1252"), ("cp1252", "ISO-8859-1"), ("koi8-r", "koi8-r")],
)
def test_page_is_decoded_by_its_declared_charset(tmp_path, encoding, declared):
    words = "Привет" if encoding == "koi8-r" else "Café “quoted” naïve"
    story = [f"{words} — {s}" if encoding != "koi8-r" else f"{words} {i}. " + STORY[2]
             for i, s in enumerate([STORY[2]] * 3)]  # fmt: skip
    page = web_page(story, headline="Headline", charset=declared)
    doc = read_article(_write(tmp_path / "old.html", page.encode(encoding)))
    assert words in doc.text


def test_page_with_a_bom_is_decoded_by_it(tmp_path):
    page = web_page(STORY, headline="Rebels reach Ḥamā", charset="utf-8")
    data = codecs.BOM_UTF16_LE + page.encode("utf-16-le")
    assert STORY[1] in read_article(_write(tmp_path / "wide.html", data)).text


def test_undeclared_non_utf8_page_is_refused_not_guessed(tmp_path):
    latin = [f"Café talk {i}: {STORY[2]}" for i in range(3)]
    page = web_page(latin, headline="Café", charset="utf-8").replace('<meta charset="utf-8">', "")
    _refused(_write(tmp_path / "latin.html", page.encode("cp1252")), "UTF-8", "byte offset")
    bad = web_page(STORY, headline="x", charset="x-klingon")
    _refused(_write(tmp_path / "odd.html", bad), "x-klingon")


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (b"", ["empty"]),
        (b"  \n\t ", ["white space"]),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", ["not valid UTF-8"]),
        (web_page(STORY, headline="Wide").encode("utf-16-le"), ["NUL", "UTF-16"]),
        ("<html><head><title>Site</title></head><body><header><nav><ul><li><a href='/'>Home</a>"
         "</li><li><a href='/w'>World</a></li></ul></nav></header><script>x()</script><footer>"
         "<p>Copyright 2024 Site</p></footer></body></html>", ["no article text"]),
    ],
    ids=["empty", "blank", "png-named-html", "utf16-without-bom", "no-story"],
)  # fmt: skip
def test_pages_with_no_article_are_refused_by_name(tmp_path, content, words):
    _refused(_write(tmp_path / "page.html", content), *words)


markup = st.lists(
    st.sampled_from(["<p>", "</p>", "<div>", "<script>", "</script>", "<!--", "-->", "<![CDATA[",
                     "<meta charset='latin1'>", "&amp;", "&#0;", "&#xD800;", "\x00", "\r", "<", ">",
                     "Homs fell, residents said. ", "Ḥamā حمص 🇸🇾 ", "\u202e"]),
    max_size=40,
).map("".join)  # fmt: skip


@given(st.one_of(st.binary(max_size=300), markup.map(lambda s: s.encode("utf-8", "replace"))))
def test_any_bytes_named_html_are_read_or_refused_by_name_never_crash(data):
    from app.article_html import read_html

    try:
        doc = read_html(data, "page.html")
    except ArticleError as exc:
        assert str(exc).startswith("page.html: ")
    else:
        assert doc.text.strip() and "\r" not in doc.text and "\x00" not in doc.text


# ---------------------------------------------------------------- pasted rich text


words = st.text(
    alphabet=st.characters(
        blacklist_categories=("Cs", "Cc", "Zs", "Zl", "Zp"),
        blacklist_characters="\ufeff\ufffe\uffff",
    ),
    min_size=1,
    max_size=12,
)
paragraph = st.lists(words, min_size=1, max_size=6).map(" ".join)


@given(st.lists(paragraph, min_size=1, max_size=5), st.sampled_from(["p", "div", "h2", "li"]))
def test_pasted_blocks_become_paragraphs_with_their_words_intact(paragraphs, tag):
    fragment = "".join(f"<{tag}>  {html.escape(p)}\n</{tag}>" for p in paragraphs)
    assert html_fragment_to_text(f"<!--StartFragment-->{fragment}") == "\n\n".join(paragraphs)


def test_pasted_rich_text_drops_scripts_and_keeps_words_and_marks():
    fragment = (
        "<style>p{color:red}</style><p>Homs&nbsp;fell, <b>said</b>\n<a href='x'>Reuters</a>."
        "<script>alert(1)</script></p><p>می\u200cخواهم 👨\u200d👩\u200d👧 \u200fحمص</p>"
        "<table><tr><td>Hama</td><td>4 Dec</td></tr><tr><td>Homs</td><td>7 Dec</td></tr></table>"
        "<p>line<br>break</p>"
    )
    assert html_fragment_to_text(fragment) == (
        "Homs fell, said Reuters.\n\nمی\u200cخواهم 👨\u200d👩\u200d👧 \u200fحمص\n\n"
        "Hama\t4 Dec\nHoms\t7 Dec\n\nline\nbreak"
    )


# ---------------------------------------------------------------- PDF


PAGES = ["Rebels near Ḥamā\nColumns moved south at dawn.", "Second page: حمص\nAnd more.",
         "Third page, the last."]  # fmt: skip


def test_pdf_text_comes_page_by_page_with_the_breaks_kept(qapp, tmp_path):
    pdf = write_pdf(tmp_path / "report.pdf", PAGES, title="Situation report", author="J. Roe")
    doc = read_article(pdf)
    assert doc.text.split(PAGE_BREAK) == PAGES
    assert doc.text.count("\f") == len(PAGES) - 1 and "\r" not in doc.text
    assert (doc.title, doc.author) == ("Situation report", "J. Roe")


def test_pdf_without_metadata_is_titled_by_its_first_line(qapp, tmp_path):
    doc = read_article(write_pdf(tmp_path / "untitled.pdf", PAGES))
    assert doc.title == "Rebels near Ḥamā" and doc.author == ""


def test_scanned_pdf_asks_for_ocr(qapp, tmp_path):
    _refused(write_image_only_pdf(tmp_path / "scan.pdf"), "scanned image only", "OCR")


def test_password_protected_pdf_is_refused_as_such(qapp, tmp_path):
    plain = write_pdf(tmp_path / "plain.pdf", PAGES)
    _refused(encrypt_pdf(plain, tmp_path / "locked.pdf", "s3cret"), "password-protected")


def test_broken_and_pretend_pdfs_are_refused_by_name(qapp, tmp_path):
    data = write_pdf(tmp_path / "whole.pdf", PAGES).read_bytes()
    _refused(_write(tmp_path / "cut.pdf", data[: len(data) // 3]), "damaged")
    _refused(_write(tmp_path / "text.pdf", "Just some text, not a PDF.\n"), "not a PDF")
    _refused(_write(tmp_path / "empty.pdf", b""), "empty")


# ---------------------------------------------------------------- Word


def test_docx_paragraphs_and_tables_come_in_reading_order_with_metadata(tmp_path):
    table = [["Town", "Held by"], ["Ḥamā", "rebels"], ["حمص", "contested"]]
    path = write_docx(tmp_path / "brief.docx", [STORY[0], table, STORY[1], "", STORY[2]],
                      title="Morning brief", author="Analyst Four",
                      created=dt.datetime(2024, 12, 6, 7, 45, tzinfo=dt.UTC))  # fmt: skip
    doc = read_article(path)
    assert doc.text == "\n\n".join(
        [STORY[0], "Town\tHeld by\nḤamā\trebels\nحمص\tcontested", STORY[1], STORY[2]]
    )
    assert (doc.title, doc.author, doc.published) == ("Morning brief", "Analyst Four", "2024-12-06")


def test_docx_without_a_title_property_is_titled_by_its_heading_not_its_first_line(tmp_path):
    blocks = ["UNCLASSIFIED // FOR TRAINING", STORY[0]]
    path = write_docx(tmp_path / "h.docx", blocks, heading="Rebels reach Ḥamā", heading_at=1)
    doc = read_article(path)
    assert doc.title == "Rebels reach Ḥamā"
    assert doc.text == "\n\n".join(["UNCLASSIFIED // FOR TRAINING", "Rebels reach Ḥamā", STORY[0]])


def test_broken_locked_and_empty_word_files_are_refused_by_name(tmp_path):
    locked = ole_compound_file("Root Entry", "EncryptionInfo", "EncryptedPackage")
    _refused(_write(tmp_path / "locked.docx", locked), "password-protected")
    _refused(_write(tmp_path / "old.docx", ole_compound_file("Root Entry", "WordDocument")),
             "Word 97", "save it as .docx")  # fmt: skip
    _refused(_write(tmp_path / "text.docx", "plain words"), "not a Word .docx")
    whole = write_docx(tmp_path / "whole.docx", STORY).read_bytes()
    _refused(_write(tmp_path / "cut.docx", whole[: len(whole) // 2]), "damaged")
    _refused(write_docx(tmp_path / "blank.docx", ["", "  "]), "no text")
    _refused(_write(tmp_path / "empty.docx", b""), "empty")


def test_old_doc_files_are_pointed_to_docx(tmp_path):
    _refused(_write(tmp_path / "memo.doc", b"x"), "not “.doc”", "save it as .docx")
