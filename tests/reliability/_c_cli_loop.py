"""The command line beside an open window: `loupe import FILE --yes`, `loupe export-csv` and
`loupe add`, each a process of its own (`main.main([...])`, as the `loupe` script runs it), one
after the other for ROUNDS rounds, while the test's process writes the same project. Writes a
JSON report of every run: its arguments, exit status and what it printed.

Usage: python -m tests.reliability._c_cli_loop DB COLLEAGUE_FILE FOLDER ROUNDS READY GO OUT
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LOUPE = "import sys, main; sys.exit(main.main(sys.argv[1:]))"


def loupe(*args: str) -> dict:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-c", LOUPE, *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)  # fmt: skip
    return {"args": list(args), "status": done.returncode, "out": done.stdout, "err": done.stderr}


def main(argv: list[str]) -> int:
    db, colleague, folder, rounds, ready, go, out = argv
    Path(ready).touch()
    deadline = time.monotonic() + 60
    while not Path(go).exists() and time.monotonic() < deadline:
        time.sleep(0.005)
    runs = []
    for n in range(int(rounds)):
        runs.append(loupe("import", colleague, "--db", db, "--yes", "--as", f"cli {n}"))
        runs.append(loupe("export-csv", "--db", db, str(Path(folder) / f"export-{n}.csv")))
        article = Path(folder) / f"cli-article-{n}.txt"
        article.write_text(f"Report {n} from the command line: Jolani seen near Homs.\n" * 20)
        runs.append(loupe("add", str(article), "--db", db))
    Path(out).write_text(json.dumps(runs), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
