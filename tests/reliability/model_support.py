"""The model-based test's project and checks (tests/reliability/test_model_based.py): the
articles and names it tags with, the colleague's file it imports, and the comparison of the
database with the model that runs after every step."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from hypothesis import strategies as st

from app.alias_collect import alias_index
from app.articles import make_document
from app.model import Grade
from app.offsets import new_annotation
from app.store import Store
from db.connection import open_db
from tests.db_helpers import logical_dump

# Astral characters (a flag, a toned thumb, a cat), Arabic with harakat, Cyrillic, line breaks.
ARTICLES = (
    ("Homs at dawn", "Wire", "Rebels 🇸🇾 entered Homs at dawn; al-Jolani 🐈 spoke.\n"
     "The Military Council met in Idlib.\nHims, Homs, HOMS: one city.\n"),
    ("تقرير دمشق", "", "قالَ الرئيسُ بشار إنَّ حِمص آمنة.\nثمَّ غادرَ إلى دمشق 🚗 مساءً.\n"),
    ("Москва", "ТАСС", "Президент Путин прибыл в Москву. 👍🏽 Позже — в Сочи.\nКонец.\n"),
)  # fmt: skip
# The colleague's file also brings an article of its own, filed under a source new here.
THEIR_ARTICLE = ("Aleppo airport", "Reuters", "Aleppo: the airport reopened on Monday.\n")
NAMES = {  # spelling variants on purpose: each exact spelling is its own entity
    "Actor": ("Abu Mohammad al-Jolani", "al-Jolani", "Al-Jolani", "بشار الأسد", "Путин"),
    "Location": ("Homs", "HOMS", "Hims", "Idlib", "دمشق", "Москва"),
}
NOTES = ("", "seen twice", "=1+2", "-2 @home", "\tsource?", "line\nbreak", "спорно 🤔", "مؤكَّد")
SOURCES = ("", "Wire", "Reuters", "Telegram: канал", "الجزيرة")
grades = st.builds(Grade, st.none() | st.integers(1, 6), st.none() | st.sampled_from("ABCDEF"))


def dump(store: Store) -> list[str]:
    return logical_dump(store.db.conn)


def assert_same_database(now: list[str], then: list[str], what: str) -> None:
    gained, lost = sorted(set(now) - set(then)), sorted(set(then) - set(now))
    assert now == then, f"{what}; rows gained: {gained[:6]}; rows lost: {lost[:6]}"


def write_colleague_file(folder: Path) -> Path:
    """A colleague's W3C export, made from a scratch project with Store.export_w3c: one article
    shared with the project, one of its own."""
    db = open_db(folder / "dana.loupe")
    store = Store(db)
    docs = store.add_documents([make_document(t, title=n, source=s)
                                for n, s, t in (ARTICLES[0], THEIR_ARTICLE)])  # fmt: skip
    types = {t.name: t.id for t in store.tag_types()}

    def tag(doc, quote: str, tag: str, **kw):
        start = doc.text.index(quote)
        return new_annotation(doc.text, doc.id, start, start + len(quote), types[tag],
                              annotator="Dana", **kw)  # fmt: skip

    store.add_annotations([
        tag(docs[0], "Homs", "Location", entity="Homs"),
        tag(docs[0], "al-Jolani", "Actor", entity="Jolani", note="=他"),
        tag(docs[1], "Aleppo", "Location", entity="Aleppo"),
        tag(docs[1], "the airport reopened", "Credibility", grade=Grade(2, "C")),
    ])  # fmt: skip
    path = folder / "dana.json"
    store.export_w3c(str(path))
    db.close()
    return path


class ModelChecks:
    """Mixed into the state machine, which holds the store, the stack and the model: `docs`
    (id → title, text, source), `anns` (id → Annotation), `types` (name → TagType), `layers`
    (name → colleague's id → row), `verdicts` (name → own annotation id → verdict), `undone`
    and `redoable` (the model's history) and `late_signals`."""

    def check_against_the_model(self) -> None:
        """The database says what the model says; see the test module for the list."""
        store = self.store
        assert not self.db.conn.in_transaction
        assert self.late_signals == []
        assert (self.stack.index(), self.stack.count()) == (
            len(self.undone), len(self.undone) + len(self.redoable))  # fmt: skip
        assert {t.name: t for t in store.tag_types()} == self.types
        summaries = store.document_summaries()
        assert {s.id: (s.title, s.source) for s in summaries} == {
            i: (title, source) for i, (title, _text, source) in self.docs.items()
        }
        stored = {}
        for summary in summaries:
            text = store.document(summary.id).text
            assert text == self.docs[summary.id][1] and summary.length == len(text)
            for a in store.annotations(summary.id):
                assert a.quote == text[a.start : a.end]
                stored[a.id] = a
        assert stored == self.anns
        layers = {}
        for layer in store.layers():
            rows = store.layer_annotations(layer.name)
            for r in rows:
                assert r.placed and r.quote == self.docs[r.document_id][1][r.start : r.end]
            layers[layer.name] = {
                r.id: (r.document_id, r.start, r.end, r.quote, r.tag_type_id, r.entity,
                       r.grade.compact, r.note, r.decision) for r in rows
            }  # fmt: skip
            assert store.own_decisions(layer.name) == self.verdicts[layer.name]
        assert layers == self.layers
        for doc_id in (None, *self.docs):  # all documents, then each
            anns = [a for a in self.anns.values() if doc_id in (None, a.document_id)]
            labels = Counter((a.tag_type_id, a.entity or a.grade.compact) for a in anns)
            counted = {(c.tag_type_id, c.entity): c.count for c in store.entity_counts(doc_id)}
            assert counted == dict(labels)
        self.name_caches_agree_with_the_database()

    def name_caches_agree_with_the_database(self) -> None:
        """What the store keeps in memory about names (the alias index tagging consults, the
        popup's names) is what the database holds, after undo and redo too."""
        store = self.store
        rows = [(e.entity_id, e.tag_type_id, e.alias) for e in store.alias_entries()]
        if store._alias_index is not None:
            assert store._alias_index == alias_index(rows)
        for tag in self.types.values():
            assert set(store.entity_names(tag.id)) == {e.name for e in store.entities(tag.id)}
