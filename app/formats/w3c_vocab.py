"""The W3C Web Annotation vocabulary Loupe's writer and reader share: names, IRIs and the small
tests both directions apply. Kept apart from the record checks (`w3c_records.py`) so each module
stays small enough to read whole.
"""

from __future__ import annotations

import re
from datetime import date
from urllib.parse import quote, unquote

FORMAT = "loupe-w3c"
FORMAT_VERSION = 1
OFFSET_UNIT = "unicode-code-point"
W3C_CONTEXT = "http://www.w3.org/ns/anno.jsonld"
W3C_CONTEXTS = frozenset((W3C_CONTEXT, "https://www.w3.org/ns/anno.jsonld"))
LOUPE_NAMESPACE = "urn:loupe:"
CONTEXT = [W3C_CONTEXT, {"loupe": LOUPE_NAMESPACE}]
UUID_IRI, LOUPE_IRI, SHA_IRI = "urn:uuid:", "urn:loupe:annotation:", "urn:sha256:"
UUID = re.compile(r"[0-9a-fA-F]{8}-(?:[0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}")
SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*:\S")
IRI = re.compile(r"[^\s\x00-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]{1,2048}")
_TIME = re.compile(
    r"\d{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])T(?:[01]\d|2[0-3]):[0-5]\d:[0-5]\d"
    r"(?:\.\d{1,9})?(?:Z|[+-](?:[01]\d|2[0-3]):[0-5]\d)",
    re.ASCII,
)
_DAYS: dict[str, bool] = {}  # "2026-02-31" → is a real day; a file's dates repeat a lot
_PLAIN = frozenset((str, int, type(None)))
TAG, ENTITY, CREATOR = "the tag type", "the entity", "the creator"


def is_time(value: object) -> bool:
    """ISO 8601 with a zone, and a real moment: no 31 February, no hour 25."""
    if value.__class__ is not str or not _TIME.fullmatch(value):  # type: ignore[arg-type]
        return False
    day = value[:10]  # type: ignore[index]
    if (real := _DAYS.get(day)) is None:
        try:
            date.fromisoformat(day)
            real = True
        except ValueError:
            real = False
        if len(_DAYS) < 100_000:
            _DAYS[day] = real
    return real


def grade_key(body: dict) -> tuple[tuple, bool]:
    """The assessing body's fields, and whether they may share a cache slot (True == 1, so only
    plain types may)."""
    key = (body.get("value"), body.get("loupe:credibility"), body.get("loupe:reliability"))
    value, cred, rel = key
    return key, value.__class__ in _PLAIN and cred.__class__ in _PLAIN and rel.__class__ in _PLAIN


def annotation_iri(annotation_id: str) -> str:
    """Loupe's UUIDs become `urn:uuid:`; ids kept from a colleague's file stay as they were, and
    anything else is percent-encoded under `urn:loupe:annotation:` so it is still a valid IRI."""
    if UUID.fullmatch(annotation_id):
        return UUID_IRI + annotation_id
    if SCHEME.match(annotation_id) and IRI.fullmatch(annotation_id):
        return annotation_id
    return LOUPE_IRI + quote(annotation_id, safe="")


def annotation_id(iri: str) -> str:
    """The inverse of `annotation_iri`, so a round trip and a second import keep the same id."""
    if iri[:9].lower() == UUID_IRI and UUID.fullmatch(iri, 9):
        return iri[9:]
    return unquote(iri[len(LOUPE_IRI) :]) if iri.startswith(LOUPE_IRI) else iri


def types_of(value: object) -> tuple:
    return (value,) if isinstance(value, str) else tuple(value) if isinstance(value, list) else ()


def kind_of(value: object) -> str:
    names = {dict: "an object", list: "a list", str: "text", bool: "true/false", type(None): "null"}
    return names.get(type(value), "a number")


def is_whole(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)
