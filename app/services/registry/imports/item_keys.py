"""How an item import finds the item a row means, names new ones, and joins joint items."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from app.models.registry import InspectionItem, JointItemGroup
from app.services.registry.imports.base import DepartmentScope, key_text

JOINT_PREFIX = "LH-"


class ItemKeys:
    """Every item's code and department + name, kept current as the import adds items.

    Item lists have hundreds of rows, so all of them are loaded once."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.by_code: dict[str, int] = {}
        self.owners: dict[str, int] = {}
        self.by_name: dict[tuple[int, str], int] = {}
        rows = session.execute(
            select(
                InspectionItem.id,
                InspectionItem.code,
                InspectionItem.department_id,
                InspectionItem.name,
            ).order_by(InspectionItem.id)
        )
        for item_id, code, dept, name in rows:
            self.by_code[code] = item_id
            self.owners[code] = dept
            self.by_name.setdefault((dept, key_text(name)), item_id)

    def find(self, code: str, department_id: int, name: str) -> int | None:
        """The item meant by a row: by 事项编码 when given, else by department + name."""
        if code:
            return self.by_code.get(code)
        return self.by_name.get((department_id, key_text(name)))

    def may_take(self, code: str, scope: DepartmentScope) -> bool:
        """A restricted user may not overwrite another department's item by its code."""
        return code not in self.owners or scope.allows(self.owners[code])

    def new_code(self, department_code: str) -> str:
        """The next free '<department code>-NNN': stable for the same list and registry."""
        n = 1
        while f"{department_code}-{n:03d}" in self.by_code:
            n += 1
        return f"{department_code}-{n:03d}"

    def remember(self, item: InspectionItem) -> None:
        self.session.flush()  # the id, for the rows after this one
        self.by_code[item.code] = item.id
        self.owners[item.code] = item.department_id
        self.by_name.setdefault((item.department_id, key_text(item.name)), item.id)


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
        wanted = list({m.id: m for m in members}.values())
        group = self.by_code.get(code)
        if group is None:
            group = JointItemGroup(code=code, name=owner.name[:200], items=wanted)
            self.session.add(group)
            self.by_code[code] = group
            self.created += 1
            return True
        if {m.id for m in group.items} == {m.id for m in wanted}:
            return False
        group.items = wanted
        return True
