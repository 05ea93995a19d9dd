"""The Entities panel's model: tag types, under each its canonical entities with their counts,
under each entity its aliases. Rebuilt whole from the registry on a (coalesced) refresh: a
project holds thousands of entities, not millions, and a rebuild is simpler to trust than patches
after a merge or split has moved mentions between entities.

Editing an entity's name does not write anything here: `rename_requested` goes to the panel,
which pushes an undoable rename, and the refresh that follows shows the result (or the old name,
if the store refused it).
"""

from __future__ import annotations

from html import escape

from PySide6.QtCore import QModelIndex, QSortFilterProxyModel, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont, QIcon, QPixmap, QStandardItem, QStandardItemModel

from app.alias_match import normalize
from app.model import Entity, TagType
from app.wording import plural
from widgets import theme

NAME, HERE, ALL, DOCS = range(4)
HEADERS = ("Entity", "Here", "All", "Docs")
KIND = Qt.ItemDataRole.UserRole + 1  # "type" | "entity" | "alias"
ID = Qt.ItemDataRole.UserRole + 2  # tag type id, or the entity's id (for its aliases too)
ALIAS = Qt.ItemDataRole.UserRole + 3
SORT = Qt.ItemDataRole.UserRole + 4
FOLDED = Qt.ItemDataRole.UserRole + 5  # normalize() of the name or alias: what the filter reads
RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
MAX_TITLES = 12  # document titles listed in a tooltip before "and N more"


class EntityTreeModel(QStandardItemModel):
    rename_requested = Signal(int, str)  # entity id, new name

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setHorizontalHeaderLabels(HEADERS)
        for column in (HERE, ALL, DOCS):
            self.setHeaderData(column, Qt.Orientation.Horizontal, RIGHT,
                               Qt.ItemDataRole.TextAlignmentRole)  # fmt: skip
        self.entities: dict[int, Entity] = {}
        self.titles: dict[int, str] = {}

    def rebuild(
        self, types: list[TagType], entities: list[Entity], here: dict[int, int],
        titles: dict[int, str],
    ) -> None:  # fmt: skip
        self.entities, self.titles = {e.id: e for e in entities}, titles
        by_type: dict[int, list[Entity]] = {}
        for e in entities:
            by_type.setdefault(e.tag_type_id, []).append(e)
        self.removeRows(0, self.rowCount())
        for tag in types:  # each group is built whole before it joins: one insert per tag type
            self.appendRow(self._group(tag, by_type.get(tag.id, []), here))

    def _group(self, tag: TagType, entities: list[Entity], here: dict[int, int]):
        swatch = QPixmap(12, 12)
        swatch.fill(QColor(tag.color))
        name = _item(f"{tag.name}  ({len(entities)})", tag.position)
        name.setIcon(QIcon(swatch))
        bold = QFont()
        bold.setBold(True)
        name.setFont(bold)
        row = [name, *(_item("", tag.position) for _ in HEADERS[1:])]
        for item in row:
            item.setData("type", KIND)
            item.setData(tag.id, ID)
        for entity in entities:
            name.appendRow(self._entity_row(entity, here.get(entity.id, 0)))
        return row

    def _entity_row(self, e: Entity, here: int) -> list[QStandardItem]:
        docs = len(e.documents)
        row = [
            _item(e.name, e.name.casefold()),
            _item(f"{here:,}" if here else "", here),
            _item(f"{e.mentions:,}", e.mentions),
            _item(f"{docs:,}" if docs else "", docs),
        ]
        row[NAME].setEditable(True)
        row[NAME].setData(normalize(e.name), FOLDED)
        tip = self.tooltip(e, here)
        for item in row:
            item.setData("entity", KIND)
            item.setData(e.id, ID)
            item.setToolTip(tip)
        for column in (HERE, ALL, DOCS):
            row[column].setTextAlignment(RIGHT)
        grey = QBrush(theme.muted())
        for alias in e.aliases:
            child = [_item(alias, alias.casefold()), *(_item("", 0) for _ in HEADERS[1:])]
            child[NAME].setData(normalize(alias), FOLDED)
            child[NAME].setToolTip(f"“{alias}” also names “{e.name}”")
            for item in child:
                item.setData("alias", KIND)
                item.setData(e.id, ID)
                item.setData(alias, ALIAS)
                item.setForeground(grey)
            row[NAME].appendRow(child)
        return row

    def tooltip(self, e: Entity, here: int) -> str:
        """Plain text: names and titles come from articles and must not be read as markup."""
        lines = [e.name]
        if e.aliases:
            lines.append("Also: " + ", ".join(e.aliases))
        where = plural(len(e.documents), "document")
        lines.append(f"{plural(here, 'mention')} here, {e.mentions} in {where}")
        lines += [f"• {t}" for t in self.document_titles(e)]
        return "\n".join(lines)

    def document_titles(self, e: Entity) -> list[str]:
        titles = [self.titles.get(d, f"document {d}") for d in e.documents]
        if len(titles) > MAX_TITLES:
            titles = [*titles[:MAX_TITLES], f"… and {len(titles) - MAX_TITLES} more"]
        return titles

    def detail_html(self, entity_id: int, here: int, type_name: str) -> str:
        """The panel's detail line for one entity, escaped."""
        e = self.entities.get(entity_id)
        if e is None:
            return ""
        parts = [f"<b>{escape(e.name)}</b> · {escape(type_name)}"]
        if e.aliases:
            parts.append("also " + ", ".join(f"“{escape(a)}”" for a in e.aliases))
        where = f"{here} here · {e.mentions} in {len(e.documents)} document(s)"
        titles = self.document_titles(e)
        if titles:
            where += ": " + "; ".join(escape(t) for t in titles)
        return "<br>".join([" — ".join(parts), where])

    def setData(self, index: QModelIndex, value, role=Qt.ItemDataRole.EditRole) -> bool:
        if role == Qt.ItemDataRole.EditRole and index.data(KIND) == "entity":
            self.rename_requested.emit(int(index.data(ID)), str(value))
            return False  # the store decides; the refresh shows what it decided
        return super().setData(index, value, role)


class EntityFilter(QSortFilterProxyModel):
    """Filters by name or alias as the registry compares them (case, accents, white space
    ignored); a matching alias shows its entity, a matching entity all its aliases. Tag types
    keep their order whatever column is sorted."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._needle = ""
        self.setSortRole(SORT)
        self.setRecursiveFilteringEnabled(True)

    def set_needle(self, text: str) -> None:
        self.beginFilterChange()
        self._needle = normalize(text)
        self.endFilterChange()

    def filterAcceptsRow(self, row: int, parent: QModelIndex) -> bool:
        if not self._needle:
            return True
        index = self.sourceModel().index(row, NAME, parent)
        if index.data(KIND) == "type":
            return False  # shown when something under it matches (recursive filtering)
        if self._needle in (index.data(FOLDED) or ""):
            return True
        return index.data(KIND) == "alias" and self._needle in (parent.data(FOLDED) or "")

    def lessThan(self, left: QModelIndex, right: QModelIndex) -> bool:
        if left.data(KIND) == "type":
            ascending = self.sortOrder() == Qt.SortOrder.AscendingOrder
            a, b = left.data(SORT), right.data(SORT)
            return a < b if ascending else a > b
        return super().lessThan(left, right)


def _item(text: str, sort_key) -> QStandardItem:
    item = QStandardItem(text)
    item.setEditable(False)
    item.setData(sort_key, SORT)
    return item
