"""Loupe's composition root: a CLI subcommand (no Qt imported), or the desktop window.

`loupe` and `python main.py` are the same program. The window side builds, in this order:
database → store → undo stack → window; switching project builds a fresh set and drops the old.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

SAMPLE_SOURCE = "Loupe sample"


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    from app import cli

    if argv and argv[0] in cli.COMMANDS:
        return cli.main(argv)
    return run_gui(argv)


def _gui_args(argv: list[str]) -> argparse.Namespace:
    from app.user_settings import default_db_path

    parser = argparse.ArgumentParser(
        prog="loupe",
        description="Loupe: tag actors, locations and credibility in news articles. "
        "Subcommands for scripts: add, tag, counts, export-csv (see `loupe SUBCOMMAND --help`).",
    )
    parser.add_argument(
        "--db",
        type=Path,
        default=None,
        help=f"project file to open (default: the one open last, else {default_db_path()})",
    )
    return parser.parse_args(argv)


def _project_to_open(asked: Path | None, settings) -> Path:
    """The project named on the command line, else the one open last (if still there), else the
    default one in the platform's data folder."""
    from app.user_settings import default_db_path

    if asked is not None:
        return asked
    if settings.last_project and Path(settings.last_project).is_file():
        return Path(settings.last_project)
    path = default_db_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    return path


def build_window(db, project_path: str, settings, save_settings, *, first_run_sample: bool = True):
    """Store, undo stack and window over an open database. Tests, benchmarks and the screenshot
    script build the real window through this too."""
    from PySide6.QtGui import QUndoStack

    from app.articles import make_document
    from app.store import Store
    from widgets.main_window import MainWindow

    store = Store(db)
    if first_run_sample and store.setting("sample_offered") != "yes":
        if not store.document_summaries():
            from resources import read_text  # importlib.resources: ~35 ms, first run only

            store.add_documents(
                [make_document(read_text("sample_article.txt"), source=SAMPLE_SOURCE)]
            )
        store.set_setting("sample_offered", "yes")
    undo_stack = QUndoStack()
    window = MainWindow(store, undo_stack, settings, save_settings, project_path)
    undo_stack.setParent(window)
    store.setParent(window)
    last = store.setting("last_document")
    ids = [d.id for d in store.document_summaries()]
    window.open_document(
        int(last) if last.isdigit() and int(last) in ids else (ids[0] if ids else None)
    )
    from widgets.draft_recovery import offer_recovered_drafts

    offer_recovered_drafts(window)  # typing a crash interrupted (widgets/drafts.py)
    from widgets.session_state import restore_session

    restore_session(window)  # font, size, panel layout; the scroll once shown
    return window


class ProjectSession:
    """Owns the open project's window. Another project gets a fresh window; the old one (and its
    database) closes only once the new one opened, so a bad file never loses the current one."""

    def __init__(self, settings, config_path: Path) -> None:
        self.settings, self.config_path = settings, config_path
        self.window = None

    def _save(self, settings) -> None:
        self.settings = settings
        settings.save(self.config_path)

    def open_project(self, path: str) -> bool:
        from PySide6.QtWidgets import QMessageBox

        from db.connection import DatabaseOpenError, open_db

        try:
            db = open_db(path)
        except DatabaseOpenError as exc:
            QMessageBox.critical(self.window, "Cannot open project", str(exc))
            return False
        from app.user_settings import with_recent
        from widgets.session_state import save_session

        if self.window is not None:
            save_session(self.window)  # the new window takes the layout the analyst has now
        self._save(with_recent(self.settings, os.path.abspath(path)))
        window = build_window(db, str(path), self.settings, self._save)
        window.project_open_requested.connect(self.open_project)
        old, self.window = self.window, window
        window.show()
        if old is not None:
            old.settings = self.settings  # its copy predates this project heading the recent list
            self._close(old)
        return True

    def close(self) -> None:
        """At quit, once the event loop has ended."""
        if self.window is not None:
            self._close(self.window)
            self.window = None

    @staticmethod
    def _close(window) -> None:
        """The window, then its project, checkpointed so no deleted text stays in its -wal."""
        from db.connection import close_db

        window.close()
        close_db(window.store.db)
        window.deleteLater()


def _install_error_dialog() -> None:
    """An unexpected error in a slot (disk full, a locked project) is logged with its traceback on
    stderr and shown as one plain sentence; the edit that raised was rolled back and left off the
    undo stack (app/commands.py), so the window stays consistent with the database."""
    import traceback

    from PySide6.QtWidgets import QApplication, QMessageBox

    from db.connection import explain

    def hook(kind, value, tb) -> None:
        traceback.print_exception(kind, value, tb)
        text = explain(value)  # plain words: "the disk is full; free some space, then try again"
        QMessageBox.warning(
            QApplication.activeWindow(),
            "Loupe",
            f"That did not work and nothing was changed: {text or kind.__name__}",
        )

    sys.excepthook = hook


def start_gui(argv: list[str]):
    """Ask the name on first start and open the project; None if it cannot be opened.
    PySide6 is imported here, never on the CLI path."""
    args = _gui_args(argv)
    from PySide6.QtWidgets import QApplication, QInputDialog

    from app.user_settings import UserSettings, default_config_path, os_user_name
    from widgets.theme import apply_appearance

    app = QApplication.instance() or QApplication([sys.argv[0]])
    app.setApplicationName("Loupe")
    _install_error_dialog()
    config = default_config_path()
    settings = UserSettings.load(config)
    apply_appearance(settings.appearance)
    if not settings.annotator:
        name, ok = QInputDialog.getText(
            None,
            "Welcome to Loupe",
            "Your name, saved with every annotation you make:",
            text=os_user_name(),
        )
        name = name.strip() if ok and name.strip() else os_user_name()
        settings = settings.with_(annotator=name)
        settings.save(config)
    session = ProjectSession(settings, config)
    opened = session.open_project(str(_project_to_open(args.db, settings)))
    if not opened and args.db is None and settings.last_project:  # it was said why; the default
        opened = session.open_project(str(_project_to_open(None, UserSettings())))
    return session if opened else None


def run_gui(argv: list[str]) -> int:
    from PySide6.QtWidgets import QApplication

    session = start_gui(argv)
    if session is None:
        return 2
    try:
        return QApplication.instance().exec()
    finally:
        session.close()


if __name__ == "__main__":
    sys.exit(main())
