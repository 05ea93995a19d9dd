"""Write every hostile case to a folder, for a person to look at:

    python -m tests.hostile.make_corpus OUTDIR

Each case gets its own subfolder (brat cases hold an .ann and its .txt); `INDEX.tsv` lists the
case, its file, the message expected (a regular expression; "must import" for the files that must
succeed), the record the message must name, and any limit the test patches while importing.
"""

from __future__ import annotations

import sys
from pathlib import Path

from tests.hostile.corpus import cases


def write_corpus(out: Path) -> list[tuple[str, Path]]:
    out.mkdir(parents=True, exist_ok=True)
    written, index = [], ["case\tfile\texpected message\trecord\tlimits"]
    for case in cases():
        folder = out / case.name
        if folder.exists():
            for old in folder.iterdir():
                old.unlink()
        path = case.make(folder)
        written.append((case.name, path))
        limits = ", ".join(f"{m}.{a}={v}" for m, a, v in case.limits)
        expect = case.expect if case.expect is not None else "must import"
        index.append(f"{case.name}\t{path.relative_to(out)}\t{expect}\t{case.record or ''}\t"
                     f"{limits}")  # fmt: skip
    (out / "INDEX.tsv").write_text("\n".join(index) + "\n", encoding="utf-8")
    return written


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if len(argv) != 1:
        print("usage: python -m tests.hostile.make_corpus OUTDIR", file=sys.stderr)
        return 2
    out = Path(argv[0])
    written = write_corpus(out)
    print(f"{len(written)} cases → {out} (see {out / 'INDEX.tsv'})", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
