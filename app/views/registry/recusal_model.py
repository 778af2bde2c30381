"""回避 rows, the same table on the target's and on the inspector's dialog."""

from __future__ import annotations

from app.services.registry.targets import RecusalRow
from app.views.widgets.list_model import RowListModel

INSPECTOR_SIDE = (
    ("执法人员", lambda r: r.inspector_name),
    ("执法证号", lambda r: r.badge_no),
    ("部门", lambda r: r.department),
    ("回避原因", lambda r: r.reason),
    ("登记日期", lambda r: r.recorded_on.isoformat()),
)
TARGET_SIDE = (
    ("统一社会信用代码", lambda r: r.target_uscc),
    ("检查对象", lambda r: r.target_name),
    ("回避原因", lambda r: r.reason),
    ("登记日期", lambda r: r.recorded_on.isoformat()),
)


class RecusalTableModel(RowListModel[RecusalRow]):
    """`columns`: INSPECTOR_SIDE on a target's dialog, TARGET_SIDE on an inspector's."""
