"""The bureau that issues every document: its full name, short name, division and
document-number prefix (聊城市市场监督管理局, 聊城市监管局, 371500, 聊市监发).

Every notice, record and announcement takes its issuer and 文号 from here, so a
bureau sets them once (first run or the settings page) and never types them again.
Document numbers are counted per kind and year inside the caller's unit of work,
so a number is used only if the document it belongs to is stored.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

from sqlalchemy.orm import Session

from app.domain.auth import Permission
from app.domain.errors import InvalidInput
from app.models import AppSetting
from app.models.db import Database
from app.services.access.auth import get_setting, put_setting, require

SETTING_BUREAU = "bureau_profile"


@dataclass(frozen=True)
class BureauProfile:
    full_name: str = "聊城市市场监督管理局"
    short_name: str = "聊城市市场监管局"
    division_code: str = "371500"
    # 文号 prefix: 聊市监发 gives 聊市监发〔2026〕12号.
    doc_prefix: str = "聊市监发"
    contact: str = ""

    def document_number(self, year: int, seq: int) -> str:
        return f"{self.doc_prefix}〔{year}〕{seq}号"


def load_bureau(db: Database) -> BureauProfile:
    """The stored profile; fields never saved keep the defaults above."""
    return _profile(get_setting(db, SETTING_BUREAU))


def bureau_in(session: Session) -> BureauProfile:
    """The stored profile, read inside the caller's unit of work."""
    row = session.get(AppSetting, SETTING_BUREAU)
    return _profile(None if row is None else row.value)


def _profile(raw: dict[str, object] | None) -> BureauProfile:
    known = {k: str(v) for k, v in (raw or {}).items() if k in BureauProfile.__dataclass_fields__}
    return BureauProfile(**known)


def save_bureau(db: Database, profile: BureauProfile) -> None:
    require(Permission.MANAGE_SYSTEM)
    if not profile.full_name.strip():
        raise InvalidInput("请填写单位全称：它是每份文书的发文机关。")
    with db.session() as s:
        put_setting(s, SETTING_BUREAU, asdict(profile))


def next_document_number(session: Session, kind: str, year: int) -> int:
    """The next 文号 sequence for `kind` ('notice', 'results', …) in `year`.

    Runs in the caller's session: the counter moves only when the caller's
    unit of work commits.
    """
    key = f"docno/{kind}/{year}"
    row = session.get(AppSetting, key, with_for_update=True)
    seq = 1 if row is None else int(row.value) + 1
    put_setting(session, key, seq)
    return seq
