"""Reading web pages, PDFs and Word files: `read_article` per file size, against 0.5 s.

Issue 6: anything that can take over half a second runs off the GUI thread with a progress bar.
This says which article files cross that line. Files are generated (news-like text from
`bench/common.py`): saved web pages of ~15 KB and ~1 MB of story amid site furniture, PDFs of 10
and 200 pages (drawn by Qt), Word files of 100 and 3,000 paragraphs. Each is timed through
`app.articles.read_article`, as the window and `loupe add` call it. Baselines from the same run:
lxml parsing the page alone, QPdfDocument loading the PDF alone, python-docx opening the file alone.

    .venv/bin/python bench/bench_articles.py [--quick] [--runs N] [--json FILE]
"""

from __future__ import annotations

import random
import sys
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import common  # noqa: E402
from common import OUT, Stats  # noqa: E402

from app.articles import read_article  # noqa: E402
from tests.article_files import web_page, write_docx, write_pdf  # noqa: E402

GUI_LIMIT_S = 0.5


def paragraphs(total_bytes: int, rng: random.Random) -> list[str]:
    text = common.make_text(total_bytes, rng)
    return [p.strip() for p in text.split("\n") if p.strip()]


def make_files(folder: Path) -> list[tuple[str, Path, Callable[[Path], object]]]:
    import docx
    import lxml.html
    from PySide6.QtPdf import QPdfDocument

    rng = random.Random(6)
    folder.mkdir(parents=True, exist_ok=True)
    files = []
    for label, size in (("web page, 15 KB story", 15_000), ("web page, 1 MB story", 1_000_000)):
        path = folder / f"page-{size}.html"
        path.write_text(web_page(paragraphs(size, rng), headline="Bench", site="Bench Wire"))
        files.append((label, path, lambda p: lxml.html.document_fromstring(p.read_bytes())))
    for pages in (10, 200):
        lines = [" ".join(paragraphs(600, rng))[:90] for _ in range(30)]
        path = write_pdf(folder / f"report-{pages}.pdf", ["\n".join(lines)] * pages)

        def load_pdf(p: Path) -> None:
            pdf = QPdfDocument()
            pdf.load(str(p))
            pdf.close()

        files.append((f"PDF, {pages} pages × 30 lines", path, load_pdf))
    for count in (100, 3_000):
        path = write_docx(folder / f"brief-{count}.docx", paragraphs(count * 330, rng)[:count])
        files.append((f"Word, {count} paragraphs", path, lambda p: docx.Document(str(p))))
    return files


def main() -> int:
    args = common.arg_parser(__doc__.splitlines()[0], runs=7).parse_args()
    runs = 2 if args.quick else args.runs
    common.header("bench_articles: read_article for web pages, PDF and Word files")
    common.qapp()  # QPdfWriter draws text: it needs a QGuiApplication (reading does not)
    results = {}
    for label, path, baseline in make_files(OUT / "articles"):
        read_article(path)  # warm: imports and font caches are paid once per process
        reading = Stats([common.timed(lambda p=path: read_article(p)) for _ in range(runs)])
        bare = Stats([common.timed(lambda p=path, b=baseline: b(p)) for _ in range(runs)])
        chars = len(read_article(path).text)
        size = path.stat().st_size / 1024
        where = "off the GUI thread" if reading.median > GUI_LIMIT_S else "fine on the GUI thread"
        print(f"   {label:<30}{size:9.0f} KiB → {chars:>9,} chars")
        print(f"     read_article   {reading.ms()}  ({where})")
        print(f"     baseline       {bare.ms()}")
        results[label] = {"kib": size, "chars": chars, "read": reading.as_dict(),
                          "baseline": bare.as_dict()}  # fmt: skip
    print(f"\n   {common.load()}")
    common.write_json(args.json, results)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
