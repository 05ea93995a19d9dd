"""The fuzzing harness of test_fuzz_parsers.py: hypothesis strategies for JSON trees, CSV cells and
broken bytes, and the import a fuzzed file goes through (the window's, without its questions),
which checks that a refused file left the project exactly as it was."""

from __future__ import annotations

import copy
import json
import shutil
import tempfile
from contextlib import contextmanager
from pathlib import Path

from hypothesis import HealthCheck, event, settings
from hypothesis import strategies as st
from hypothesis.control import currently_in_test_context

from app.interchange import ImportProblem
from app.review_import import match_documents, plan_import, unique_layer_name
from app.store import Store
from db.connection import open_db
from tests.db_helpers import project_state
from tests.hostile import corpus
from tests.reliability.scale import SCALE, pick

FUZZ = settings(
    max_examples=pick(ci=50, large=1500),
    deadline=None,
    derandomize=SCALE == "ci",
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
# Keys the parsers look for, so random structures reach past the first check.
KEYS = ["@context", "type", "id", "items", "first", "total", "creator", "generated", "target",
        "source", "selector", "start", "end", "exact", "prefix", "suffix", "body", "value",
        "purpose", "text", "data", "annotations", "result", "labels", "from_name", "to_name",
        "label", "entities", "user", "completed_by", "created", "modified"]  # fmt: skip
SCALARS = (
    st.none() | st.booleans() | st.integers(-(2**70), 2**70) | st.integers(-3, 3000)
    | st.floats(allow_nan=True, allow_infinity=True) | st.text(max_size=24)
    | st.sampled_from(["Actor", "Location", "Credibility", "B3", "=1+1", "\u202e", "\ud800"])
)  # fmt: skip
JSON = st.recursive(
    SCALARS,
    lambda kids: (
        st.lists(kids, max_size=4)
        | st.dictionaries(st.sampled_from(KEYS) | st.text(max_size=8), kids, max_size=5)
    ),
    max_leaves=24,
)


def paths(node: object, path: tuple = ()):
    """Every place in a JSON tree, the root first: an edit picks one uniformly, so a deep field
    (items → 0 → target → selector → 1 → start) is as likely as a shallow one."""
    yield path
    children = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(
        node, list) else ()  # fmt: skip
    for key, child in children:
        yield from paths(child, (*path, key))


def mutate_tree(tree: object, data, edits: int = 3) -> object:
    """Up to `edits` random edits of a JSON tree: a node replaced, deleted or repeated."""
    tree = copy.deepcopy(tree)
    for _ in range(data.draw(st.integers(1, edits))):
        where = data.draw(st.sampled_from(list(paths(tree))))
        action = data.draw(st.sampled_from(["replace", "replace", "delete", "repeat"]))
        if not where:
            tree = data.draw(JSON) if action == "replace" else tree
            continue
        parent = tree
        for key in where[:-1]:
            parent = parent[key]
        key = where[-1]
        if action == "replace":
            parent[key] = data.draw(JSON)
        elif action == "delete":
            del parent[key]
        elif isinstance(parent, list):
            parent.append(copy.deepcopy(parent[key]))
    return tree


@st.composite
def broken_bytes(draw, original: bytes) -> bytes:
    """A valid file with a few bytes overwritten, inserted or cut, or truncated."""
    data = bytearray(original)
    for _ in range(draw(st.integers(1, 4))):
        at = draw(st.integers(0, max(len(data) - 1, 0)))
        action = draw(st.sampled_from(["overwrite", "insert", "cut", "truncate"]))
        chunk = draw(st.binary(min_size=1, max_size=8))
        if action == "overwrite":
            data[at : at + len(chunk)] = chunk
        elif action == "insert":
            data[at:at] = chunk
        elif action == "cut":
            del data[at : at + len(chunk)]
        else:
            del data[at:]
    return bytes(data)


# ---------------------------------------------------------------- the project and its state


state = project_state


@contextmanager
def fresh_project():
    """dana's project (the hostile corpus's base: the sample article, four tags, entities) in a
    folder of its own, with a folder beside it for the colleague's file."""
    folder = Path(tempfile.mkdtemp(prefix="loupe-fuzz-"))
    try:
        (folder / "project").mkdir()
        (folder / "theirs").mkdir()
        project = folder / "project" / "project.loupe"
        project.write_bytes(corpus.base().db_bytes)
        yield project, folder / "theirs"
    finally:
        shutil.rmtree(folder)


def refusal_ok(exc: Exception, *files: str) -> None:
    """One line naming the file first (brat may name the text beside its .ann)."""
    message = str(exc)
    assert message.startswith(files) and "\n" not in message, message


def colleague_import(source: Path) -> str:
    """Import `source` as the window does; check the project is whole either way."""
    with fresh_project() as (project, _):
        before = state(project)
        db = open_db(project)
        refused = None
        try:
            store = Store(db)
            try:
                foreign = store.read_colleague_file(source)
                matches = match_documents(foreign, store.local_documents(), store.document_text)
                taken = {layer.name for layer in store.layers()}
                name = unique_layer_name(foreign.creator or source.stem, taken)
                plan = plan_import(foreign, matches, store.tag_types(), store.document_text,
                                   layer_name=name)  # fmt: skip
            except ImportProblem as exc:
                refused = exc
            else:
                store.apply_import(plan)
                assert len(store.layer_annotations(name)) == len(plan.rows)
        finally:
            db.close()
        if refused is not None:
            refusal_ok(refused, source.name, source.with_suffix(".txt").name)
            assert state(project) == before, f"refused ({refused}) but the project changed"
            return "refused"
        return "imported"


def written(folder: Path, name: str, data: bytes) -> Path:
    path = folder / name
    path.write_bytes(data)
    return path


def import_file(name: str, data: bytes, beside: dict[str, bytes] | None = None) -> str:
    with tempfile.TemporaryDirectory(prefix="loupe-theirs-") as folder:
        for other, content in (beside or {}).items():
            written(Path(folder), other, content)
        outcome = colleague_import(written(Path(folder), name, data))
    if currently_in_test_context():  # --hypothesis-show-statistics: how deep the runs got
        event(f"{Path(name).suffix}: {outcome}")
    return outcome


def dumps(value: object) -> bytes:
    return json.dumps(value, ensure_ascii=False, allow_nan=True).encode("utf-8", "surrogatepass")
