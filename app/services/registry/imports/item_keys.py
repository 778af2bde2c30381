"""How an item import finds the item a row means, names new ones, and joins joint items."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from app.models.registry import InspectionGuide, InspectionItem, JointItemGroup
from app.services.registry.imports.base import DepartmentScope, key_text

JOINT_PREFIX = "LH-"


class ItemKeys:
    """Every item's code and department + name, kept current as the import adds items.

    Registries hold hundreds of items, so all of them are loaded once; items
    added by this import join the maps as they are made (no flush per row)."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.by_code: dict[str, InspectionItem] = {}
        self.owners: dict[str, int] = {}
        self.by_name: dict[tuple[int, str], InspectionItem] = {}
        self._next: dict[str, int] = {}
        # With their guides: a re-import compares every checkpoint.
        items = session.scalars(
            select(InspectionItem)
            .options(selectinload(InspectionItem.guide).selectinload(InspectionGuide.checkpoints))
            .order_by(InspectionItem.id)
        )
        for item in items:
            self.remember(item)

    def find(self, code: str, department_id: int, name: str) -> InspectionItem | None:
        """The item meant by a row: by 事项编码 when given, else by department + name."""
        if code:
            return self.by_code.get(code)
        return self.by_name.get((department_id, key_text(name)))

    def may_take(self, code: str, scope: DepartmentScope) -> bool:
        """A restricted user may not overwrite another department's item by its code."""
        return code not in self.owners or scope.allows(self.owners[code])

    def new_code(self, department_code: str) -> str:
        """The next free '<department code>-NNN': stable for the same list and registry."""
        n = self._next.get(department_code, 1)
        while f"{department_code}-{n:03d}" in self.by_code:
            n += 1
        self._next[department_code] = n + 1
        return f"{department_code}-{n:03d}"

    def remember(self, item: InspectionItem) -> None:
        self.by_code[item.code] = item
        self.owners[item.code] = item.department_id
        self.by_name.setdefault((item.department_id, key_text(item.name)), item)


class JointGroups:
    """联合抽查事项 made from 发起部门 + 配合部门: 'LH-' and the owner's code."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.created = 0
        self.by_code = {
            g.code: g
            for g in session.scalars(
                select(JointItemGroup).options(selectinload(JointItemGroup.items))
            )
        }

    def join(self, owner: InspectionItem, members: list[InspectionItem]) -> bool:
        """Make or update the owner's joint item group; True when it changed."""
        code = (JOINT_PREFIX + owner.code)[:40]
        wanted = list(dict.fromkeys(members))  # the session has one object per item
        group = self.by_code.get(code)
        if group is None:
            group = JointItemGroup(code=code, name=owner.name[:200], items=wanted)
            self.session.add(group)
            self.by_code[code] = group
            self.created += 1
            return True
        if set(group.items) == set(wanted):
            return False
        group.items = wanted
        return True
