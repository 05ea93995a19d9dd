"""One annotation record of exactly the shape Loupe writes, checked inline.

A large file is nearly all such records, and checking each field through its own method (as
`RecordReader.checked` does) cost about 12 µs a record: 1.2 s for 100,000. Here every check of
the general path is made in one pass, without raising, in about 7 µs including building the
record: the first doubt (an unusual shape, a name or grade not yet seen, any fault) answers None,
and the general path reads the record again and refuses it with the message naming the fault, or
accepts a variant Loupe does not write. So this path only ever accepts what the general path
accepts, with the same result; tests/test_w3c_fast.py checks that on alterations of every field.
It changes nothing but the reader's id register, and only once it has accepted the record.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from app.formats.w3c_vocab import CREATOR, ENTITY, TAG, UUID, UUID_IRI, grade_key, is_time
from app.interchange import MAX_TEXT_FIELD, ForeignAnnotation
from app.model import Grade

if TYPE_CHECKING:
    from app.formats.w3c_records import RecordReader

_NO_GRADE = Grade()
_LIMIT = MAX_TEXT_FIELD


def loupe_record(reader: RecordReader, n: int, item: object) -> ForeignAnnotation | None:
    """The record as checked by the general path, or None to let that path read it."""
    if item.__class__ is not dict or not reader.declared:
        return None  # positions count code points only where the file says so: general path
    get = item.get  # type: ignore[attr-defined]
    iri = get("id")
    if iri.__class__ is not str or not iri.startswith(UUID_IRI) or not UUID.fullmatch(iri, 9):
        return None
    key = iri[9:]
    if key in reader.ids or get("type") != "Annotation" or "@context" in item:  # type: ignore[operator]
        return None
    target = get("target")
    if target.__class__ is not dict or (source := target.get("source")).__class__ is not str:
        return None
    if (doc := reader.docs.get(source)) is None or (text := doc.text) is None:
        return None
    selectors = target.get("selector")
    if selectors.__class__ is not list or len(selectors) != 2:
        return None
    quoted, position = selectors
    if (
        quoted.__class__ is not dict or position.__class__ is not dict
        or quoted.get("type") != "TextQuoteSelector"
        or position.get("type") != "TextPositionSelector"
    ):  # fmt: skip
        return None
    exact, prefix, suffix = quoted.get("exact"), quoted.get("prefix"), quoted.get("suffix")
    if (
        exact.__class__ is not str or prefix.__class__ is not str or suffix.__class__ is not str
        or not 0 < len(exact) <= _LIMIT or len(prefix) > _LIMIT or len(suffix) > _LIMIT
    ):  # fmt: skip
        return None
    start, end = position.get("start"), position.get("end")
    if (
        start.__class__ is not int or end.__class__ is not int
        or not 0 <= start < end <= len(text) or end - start != len(exact)
        or not text.startswith(exact, start) or len(prefix) > start
        or not text.startswith(prefix, start - len(prefix)) or not text.startswith(suffix, end)
    ):  # fmt: skip  # startswith compares in place; slicing copied three strings a record
        return None
    if (kept := _bodies(reader, get("body"))) is None or "bodyValue" in item:  # type: ignore[operator]
        return None
    tag, entity, grade, note = kept
    creator = get("creator")
    if creator.__class__ is dict:
        creator = creator.get("name") or creator.get("nickname") or creator.get("id")
    if creator is None:
        creator = ""  # no annotator: the general path reads it as "" too
    elif creator.__class__ is not str or (creator := reader.names[CREATOR].get(creator)) is None:
        return None
    created, modified = get("created"), get("modified")
    if created is not None and not is_time(created):
        return None
    if modified is not None and modified != created and not is_time(modified):
        return None
    reader.ids[key] = n
    return ForeignAnnotation(
        key, doc.key, start, end, exact, prefix, suffix, tag, entity, grade, note, creator,
        created or "", modified or "", f"annotation {n} ({iri[:80]})",
    )  # fmt: skip


def _bodies(reader: RecordReader, body: object) -> tuple[str, str, Grade, str] | None:
    """Tag type, entity, grade and note from bodies Loupe writes: one of each purpose at most,
    names and grades already seen (so already checked), nothing skipped or joined."""
    if body.__class__ is not list:
        return None
    tag = entity = note = None
    grade = None
    for b in body:  # type: ignore[attr-defined]
        if b.__class__ is not dict:
            return None
        purpose, value = b.get("purpose"), b.get("value")
        if value.__class__ is not str:
            return None
        if purpose == "classifying" and tag is None:
            if (tag := reader.names[TAG].get(value)) is None or not tag:
                return None
        elif purpose == "identifying" and entity is None:
            if (entity := reader.names[ENTITY].get(value)) is None or not entity:
                return None
        elif purpose == "assessing" and grade is None:
            key, plain = grade_key(b)
            if not plain or (grade := reader.grades.get(key)) is None:
                return None
        elif purpose == "commenting" and note is None and len(value) <= _LIMIT:
            note = value
        else:
            return None
    return tag or "", entity or "", grade or _NO_GRADE, note or ""
