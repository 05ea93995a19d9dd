"""Shared helpers for the benchmarks: realistic text and annotations, prepared databases, timing.

Nothing here is timed itself. Databases are built once with `executemany` and cached under
`bench/out/` (git-ignored); a cached file is reused while its generator version and schema version
match, and rebuilt otherwise. Every benchmark prints the machine it ran on and the load average,
because other work on the machine moves the figures.
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import re
import sqlite3
import sys
import time
import uuid
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
OUT = ROOT / "bench" / "out"
PYTHON = ROOT / ".venv" / "bin" / "python"

# Bump when the generated data changes, so cached databases are rebuilt.
GENERATOR_VERSION = 1
CONTEXT_CHARS = 32  # app.model.CONTEXT_CHARS; prefix/suffix as the app stores them
ACTOR, LOCATION, CREDIBILITY = 1, 2, 3  # the default tag types of migration 1

# ---------------------------------------------------------------- text

# Word lists read better as prose than as list literals.
_LATIN = (  # noqa: SIM905
    "the of and to in a is that for on with as was by at from said officials ministry report "
    "forces government city province statement according local sources military attack village "
    "border talks ceasefire aid convoy residents spokesman council agency week month earlier "
    "people killed injured displaced shelling checkpoint negotiations humanitarian corridor "
    "opposition armed group commander claimed responsibility denied allegations witnesses "
    "footage verified unverified channel posted social media statement analysts believe "
    "election parliament minister president security camp refugees water electricity hospital "
    "school market road bridge airport port northern southern eastern western district"
).split()
_NAMES = (  # noqa: SIM905
    "Ahmad Hassan Layla Omar Nour Karim Samir Rania Yusuf Fatima Ibrahim Mariam Tariq Salma "
    "Khalid Huda Bashar Amal Walid Dina Aleppo Homs Idlib Raqqa Deir Hama Latakia Daraa Tartus "
    "Qamishli Palmyra Mosul Kirkuk Erbil Beirut Tripoli Amman Gaziantep Hatay Geneva Astana"
).split()
_ARABIC = (  # noqa: SIM905
    "دمشق حلب حمص إدلب الرقة دير الزور حماة اللاذقية درعا وزارة الدفاع المعارضة الحكومة "
    "القوات مصدر محلي قال بيان هجوم قرية"
).split()
_EMOJI = ["🔥", "📍", "🇸🇾", "💥", "🚨", "🙏", "📹", "✅", "⚠️", "🕊️"]


def make_text(target_bytes: int, rng: random.Random, *, title: str = "") -> str:
    """Paragraphs of news-like words (blank line between paragraphs), about `target_bytes` of
    UTF-8, with names, Arabic words and emoji (astral characters: the UTF-16 map has work)."""
    vocab = _LATIN * 6 + _NAMES * 2 + _ARABIC + _EMOJI
    parts: list[str] = [title or f"Report {rng.randrange(10**9)}", ""]
    size = len(parts[0].encode())
    while size < target_bytes:
        words = rng.choices(vocab, k=rng.randint(40, 160))
        for i in range(0, len(words), rng.randint(12, 25)):
            words[i] = words[i].capitalize()
        paragraph = " ".join(words) + "."
        parts.append(paragraph)
        parts.append("")
        size += len(paragraph.encode()) + 2
    return "\n".join(parts).rstrip() + "\n"


def utf16_length(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


# ---------------------------------------------------------------- annotations

_WORD = re.compile(r"[^\s.]+")


@dataclass
class Vocabulary:
    """Entities as the entities table holds them: (id, tag_type_id, name)."""

    actors: list[int] = field(default_factory=list)
    locations: list[int] = field(default_factory=list)
    rows: list[tuple[int, int, str]] = field(default_factory=list)

    @classmethod
    def build(cls, rng: random.Random, n_actors: int = 4000, n_locations: int = 1500):
        vocab = cls()
        first = _NAMES[:20] + ["Abu", "Umm", "Sheikh", "General", "Colonel"]
        seen: set[tuple[int, str]] = set()
        for tag, n, target in (
            (ACTOR, n_actors, vocab.actors),
            (LOCATION, n_locations, vocab.locations),
        ):
            while len(target) < n:
                if tag == ACTOR:
                    name = f"{rng.choice(first)} {rng.choice(_NAMES)} {rng.randrange(1000)}"
                else:
                    name = f"{rng.choice(_NAMES[20:] + _ARABIC)} {rng.randrange(5000)}"
                if (tag, name) in seen:
                    continue
                seen.add((tag, name))
                eid = len(vocab.rows) + 1
                vocab.rows.append((eid, tag, name))
                target.append(eid)
        return vocab

    def pick(self, rng: random.Random, ids: list[int]) -> int:
        # Zipf-like: a few entities are mentioned a lot, most rarely.
        return ids[min(len(ids) - 1, int(rng.paretovariate(1.2)) - 1)]


def annotation_rows(
    text: str, document_id: int, n: int, rng: random.Random, vocab: Vocabulary,
    *, overlap_share: float = 0.15, annotator: str = "bench",
) -> Iterator[tuple]:  # fmt: skip
    """`n` rows for the annotations table, spread over the whole text; about `overlap_share` of
    them overlap or nest inside an earlier one. Offsets are code points, as Loupe stores them."""
    words = [(m.start(), m.end()) for m in _WORD.finditer(text)]
    now = datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")
    last: tuple[int, int] | None = None
    for _ in range(n):
        if last is not None and rng.random() < overlap_share:
            i, k = last
            i = max(0, min(len(words) - 1, i + rng.randint(-1, 1)))  # nested or shifted by a word
            k = max(0, min(len(words) - 1 - i, k + rng.choice((-1, 1, 2))))
        else:
            i = rng.randrange(len(words))
            k = min(len(words) - 1 - i, rng.choice((0, 0, 0, 1, 1, 2, 3, 5)))
        last = (i, k)
        start, end = words[i][0], words[i + k][1]
        r = rng.random()
        cred = rel = entity = None
        if r < 0.45:
            tag, entity = ACTOR, vocab.pick(rng, vocab.actors)
        elif r < 0.8:
            tag, entity = LOCATION, vocab.pick(rng, vocab.locations)
        else:
            tag, cred = CREDIBILITY, rng.randint(1, 6)
            rel = rng.choice("ABCDEF") if rng.random() < 0.7 else None
        yield (
            str(uuid.UUID(int=rng.getrandbits(128), version=4)), document_id, start, end,
            text[start:end], text[max(0, start - CONTEXT_CHARS) : start],
            text[end : end + CONTEXT_CHARS], tag, entity, cred, rel,
            "checked against footage" if rng.random() < 0.05 else "", annotator, now, now,
        )  # fmt: skip


# ---------------------------------------------------------------- databases


@dataclass(frozen=True)
class DocSpec:
    """One document of a prepared database: about `size` bytes of text, `n` annotations."""

    size: int
    n: int
    title: str = ""


def _schema_version() -> str:
    """The schema's version and a hash of its SQL, so an edit to an unreleased migration also
    rebuilds the cached databases."""
    from db import migrations
    from db.connection import open_db

    db = open_db(None)
    try:
        sql = [r[0] for r in db.execute("SELECT sql FROM sqlite_master ORDER BY name")]
    finally:
        db.close()
    digest = hashlib.sha256(repr(sql).encode()).hexdigest()[:12]
    return f"{migrations.schema_version()}-{digest}"


def prepare_db(
    name: str, docs: Sequence[DocSpec], *, seed: int = 1, last_document: int = 1
) -> Path:
    """A Loupe project file under bench/out/, built by the real migrations and filled with
    executemany. Reused if already built by this generator version for this schema version."""
    from db.connection import open_db

    OUT.mkdir(parents=True, exist_ok=True)
    spec = json.dumps([GENERATOR_VERSION, _schema_version(), seed, [vars(d) for d in docs]])
    tag = hashlib.sha256(spec.encode()).hexdigest()[:10]
    path = OUT / f"{name}-{tag}.db"
    if path.exists():
        set_last_document(path, last_document)
        return path
    for stale in OUT.glob(f"{name}-*.db*"):
        stale.unlink()
    total = sum(d.n for d in docs)
    print(f"[prepare] building {path.name}: {len(docs)} documents, {total:,} annotations "
          "(once; cached for later runs)", flush=True)  # fmt: skip
    t0 = time.perf_counter()
    rng = random.Random(seed)
    db = open_db(path)  # the real migrations: the schema is exactly Loupe's
    db.close()
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA synchronous = OFF")
    conn.execute("PRAGMA cache_size = -500000")
    indexes = conn.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'annotations'"
        " AND sql IS NOT NULL"
    ).fetchall()
    vocab = Vocabulary.build(rng)
    conn.execute("BEGIN")
    for name_, _ in indexes:  # bulk load without indexes, then build them: same file, faster
        conn.execute(f"DROP INDEX {name_}")
    conn.executemany("INSERT INTO entities (id, tag_type_id, name) VALUES (?, ?, ?)", vocab.rows)
    conn.executemany("INSERT INTO sources (id, name) VALUES (?, ?)",
                     [(1, "Wire service"), (2, "Local channel"), (3, "Social media")])  # fmt: skip
    now = datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")
    for doc_id, d in enumerate(docs, start=1):
        text = make_text(d.size, rng, title=d.title or f"Document {doc_id}")
        conn.execute(
            "INSERT INTO documents (id, title, source_id, url, published, text, text_length,"
            " text_sha256, created_at) VALUES (?,?,?,?,?,?,?,?,?)",
            (doc_id, d.title or f"Document {doc_id}", 1 + doc_id % 3, "", "", text, len(text),
             hashlib.sha256(text.encode()).hexdigest(), now),
        )  # fmt: skip
        conn.executemany(
            'INSERT INTO annotations (id, document_id, start, "end", quote, prefix, suffix,'
            " tag_type_id, entity_id, credibility, reliability, note, annotator, created_at,"
            " updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            annotation_rows(text, doc_id, d.n, rng, vocab),
        )
    for _, sql in indexes:
        conn.execute(sql)
    conn.executemany(
        "INSERT INTO settings (key, value) VALUES (?, ?)"
        " ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        [("sample_offered", "yes"), ("last_document", str(last_document))],
    )
    conn.execute("COMMIT")
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    size = path.stat().st_size / 1e6
    print(f"[prepare] done in {time.perf_counter() - t0:.1f} s ({size:,.0f} MB)", flush=True)
    return path


def million_project() -> Path:
    """The 1,000,000-annotation project (tag and export benchmarks): document 1 is 1 MB with
    10,000 annotations; 999 documents of about 60 KB share the rest."""
    total, others = 1_000_000, 999
    per, extra = divmod(total - 10_000, others)
    docs = [DocSpec(1_000_000, 10_000, "One megabyte, 10,000 annotations")] + [
        DocSpec(60_000, per + (1 if i < extra else 0)) for i in range(others)
    ]
    return prepare_db("tag1m", docs, last_document=1)


def set_last_document(path: Path, document_id: int) -> None:
    """Which document build_window opens (it opens the project's last document)."""
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        conn.execute(
            "UPDATE settings SET value = ? WHERE key = 'last_document'", (str(document_id),)
        )
    finally:
        conn.close()


def open_project(path: Path):
    from db.connection import open_db

    return open_db(path)


def build_window(db, path: Path):
    """The real window (main.build_window), shown and exposed, with no modal prompt pending."""
    import main
    from app.user_settings import UserSettings

    window = main.build_window(
        db, str(path), UserSettings(annotator="bench"), lambda _s: None, first_run_sample=False
    )
    window.show()
    wait_exposed(window)
    return window


def wait_exposed(widget, timeout_s: float = 10.0) -> None:
    from PySide6.QtWidgets import QApplication

    deadline = time.perf_counter() + timeout_s
    while not (widget.windowHandle() and widget.windowHandle().isExposed()):
        QApplication.processEvents()
        if time.perf_counter() > deadline:
            raise RuntimeError("window was never exposed")
    QApplication.processEvents()


def qapp():
    from PySide6.QtWidgets import QApplication

    return QApplication.instance() or QApplication(["loupe-bench"])


# ---------------------------------------------------------------- timing (bench/report.py)

import report  # noqa: E402
from report import (  # noqa: E402  (re-exported: the scripts use common.* throughout)
    Stats,
    arg_parser,
    finish,
    load,
    machine,
    profile,
    timed,
    verdict,
    write_json,
)


def header(title: str) -> None:
    """Every script starts here, so `bench/out/` exists before any script writes to it (a fresh
    checkout has none: it is git-ignored)."""
    OUT.mkdir(parents=True, exist_ok=True)
    report.header(title)


__all__ = [
    "Stats", "arg_parser", "finish", "header", "load", "machine", "profile", "timed", "verdict",
    "write_json",
]  # fmt: skip


def fsync_latency(n: int = 30) -> Stats:
    """Latency of one 4 KiB write + fsync on the disk holding bench/out (what a commit pays)."""
    OUT.mkdir(parents=True, exist_ok=True)
    probe = OUT / "fsync-probe.tmp"
    fd = os.open(probe, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    samples = []
    try:
        for _ in range(n):
            os.write(fd, b"x" * 4096)
            t0 = time.perf_counter()
            os.fsync(fd)
            samples.append(time.perf_counter() - t0)
    finally:
        os.close(fd)
        probe.unlink()
    return Stats(samples)
