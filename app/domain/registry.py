"""Pure rules of the item list and the two registries (一单两库)."""

from __future__ import annotations

from datetime import date
from enum import StrEnum


class ItemCategory(StrEnum):
    """重点检查事项 (no ratio cap) / 一般检查事项 (capped ratio)."""

    KEY = "KEY"
    GENERAL = "GENERAL"

    @property
    def label(self) -> str:
        return {"KEY": "重点检查事项", "GENERAL": "一般检查事项"}[self.value]


class InspectionMethod(StrEnum):
    ON_SITE = "实地核查"
    DOCUMENTS = "书面检查"
    ONLINE = "网络监测"
    TESTING = "检验检测"
    THIRD_PARTY = "委托专业机构"


class InspectorStatus(StrEnum):
    """执法检查人员状态; only 在岗 is drawable."""

    ACTIVE = "在岗"
    SECONDED = "借调"
    AWAY = "离岗"
    RETIRED = "退休"


class EntityType(StrEnum):
    """市场主体类型, with the USCC's 2nd character that goes with each (GB 32100)."""

    ENTERPRISE = "企业"
    SOLE_TRADER = "个体工商户"
    COOPERATIVE = "农民专业合作社"

    @property
    def uscc_kind(self) -> str:
        return {"企业": "1", "个体工商户": "2", "农民专业合作社": "3"}[self.value]


# 登记状态 under which an entity still trades and may be drawn.
ACTIVE_REG_STATUSES: frozenset[str] = frozenset({"存续", "在业", "开业"})
REG_STATUSES: tuple[str, ...] = ("存续", "在业", "开业", "迁出", "停业", "吊销", "注销")


def is_drawable_target(reg_status: str | None) -> bool:
    return reg_status in ACTIVE_REG_STATUSES


def is_badge_expired(badge_expires_on: date | None, today: date) -> bool:
    """A 执法证 is valid through its expiry day; one without a date is missing, not expired."""
    return badge_expires_on is not None and badge_expires_on < today


def is_drawable_inspector(status: str, badge_expires_on: date | None, on: date) -> bool:
    """在岗 with a badge still valid on the draw day."""
    return (
        status == InspectorStatus.ACTIVE
        and badge_expires_on is not None
        and not is_badge_expired(badge_expires_on, on)
    )
