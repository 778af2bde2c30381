"""执法证有效期: the badge-expiry rule on fixed days, never the machine clock."""

from __future__ import annotations

from datetime import date, timedelta

from app.domain.registry import InspectorStatus, is_badge_expired, is_drawable_inspector

TODAY = date(2026, 7, 20)


def test_a_badge_that_expired_yesterday_is_expired() -> None:
    yesterday = TODAY - timedelta(days=1)
    assert is_badge_expired(yesterday, TODAY)
    assert not is_drawable_inspector(InspectorStatus.ACTIVE, yesterday, TODAY)


def test_a_badge_that_expires_today_is_still_valid() -> None:
    assert not is_badge_expired(TODAY, TODAY)
    assert is_drawable_inspector(InspectorStatus.ACTIVE, TODAY, TODAY)
    # The next day it has lapsed.
    assert is_badge_expired(TODAY, TODAY + timedelta(days=1))


def test_a_badge_without_an_expiry_date_is_missing_not_expired() -> None:
    assert not is_badge_expired(None, TODAY)
    # Missing is not drawable either: the draw needs a badge known to be valid.
    assert not is_drawable_inspector(InspectorStatus.ACTIVE, None, TODAY)
