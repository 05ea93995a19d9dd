"""Which parser reads a colleague's file: by its name first, then by a look at its content.

Every parser is pure (bytes in, `ForeignFile` out) and validates completely before returning, so
the caller can show one clear message and write nothing. A Loupe project database is not read
here (that is SQL, in `db/foreign.py`); `is_project_file` tells the caller to go there.
"""

from __future__ import annotations

from pathlib import Path

from app.interchange import MAX_FILE_BYTES, ForeignFile, ImportProblem, Progress

PROJECT_SUFFIXES = (".loupe", ".db", ".sqlite", ".sqlite3")
SUPPORTED = "Loupe W3C JSON (.json, .jsonld), Loupe CSV (.csv), a Loupe project (.loupe, .db), "
SUPPORTED += "brat (.ann beside its .txt), doccano (.jsonl) and Label Studio (.json)"


def is_project_file(path: Path) -> bool:
    if path.suffix.lower() in PROJECT_SUFFIXES:
        return True
    try:
        with path.open("rb") as f:
            return f.read(16) == b"SQLite format 3\x00"
    except OSError:
        return False


def _read(path: Path) -> bytes:
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise ImportProblem(
                path.name, "", f"the file is {size / 2**20:.0f} MiB, over the "
                f"{MAX_FILE_BYTES // 2**20} MiB limit for one colleague's file",
            )  # fmt: skip
        return path.read_bytes()
    except OSError as exc:
        raise ImportProblem(path.name, "", f"cannot be read ({exc.strerror})") from None


def read_colleague_file(
    path: str | Path, read_project=None, progress: Progress | None = None
) -> ForeignFile:
    """Parse any supported file; ImportProblem says what is wrong and where. A Loupe project is
    read by `read_project` (db/foreign.py, handed in because pure modules do not import db);
    its error carries the same file/where/problem and becomes an ImportProblem here.
    `progress` hears how far the records of a W3C file are checked, the one format whose files
    grow large enough to want it, and may raise ImportCancelled."""
    from app.formats import brat, doccano, labelstudio, loupe_csv, w3c

    path = Path(path)
    if read_project is not None and is_project_file(path):
        from app.formats.loupe_project import to_foreign

        try:
            project = read_project(path)
        except ImportProblem:
            raise
        except Exception as exc:
            if not all(hasattr(exc, a) for a in ("file", "where", "problem")):
                raise
            raise ImportProblem(exc.file, exc.where, exc.problem) from None
        return to_foreign(project, path.name)
    suffix = path.suffix.lower()
    if suffix == ".ann":
        txt = path.with_suffix(".txt")
        if not txt.exists():
            raise ImportProblem(
                path.name, "", f"brat needs the text beside it: {txt.name} is missing"
            )
        return brat.parse(_read(path), _read(txt), path.name)
    if suffix == ".jsonl":
        return doccano.parse(_read(path), path.name)
    if suffix == ".csv":
        return loupe_csv.parse(_read(path), path.name)
    if suffix in (".json", ".jsonld"):
        data = _read(path)
        head = data[:4096].lstrip(b"\xef\xbb\xbf \t\r\n")
        # Label Studio writes each task's "annotations" before its "data", and a much-annotated
        # first task can push "data" past the first 64 KiB.
        start = data[:65536]
        if (
            head.startswith(b"[")
            and b'"@context"' not in head
            and (b'"data"' in start or b'"annotations"' in start)
        ):
            return labelstudio.parse(data, path.name)
        return w3c.parse(data, path.name, progress)
    raise ImportProblem(
        path.name, "", f"Loupe cannot read “{suffix or 'no suffix'}” files; it reads {SUPPORTED}"
    )
