"""The projector: what witnesses, the audience and the press see during a draw.

A top-level window on the screen the operator picks (remembered by the
screen's geometry), frameless and full screen there; with a single screen it
is an ordinary window. It never reads the database: the console hands it
plain values (app.services.draws.display) through the methods below, and it
reports the reveal's progress through signals.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QSettings, Qt, Signal
from PySide6.QtGui import QCloseEvent, QGuiApplication, QKeyEvent, QScreen
from PySide6.QtWidgets import QStackedLayout, QWidget

from app.services.draws.display import CommitmentView, OutcomeView, WitnessLine
from app.views.draw.reveal import RevealStage
from app.views.draw.stages import CommitmentStage, EndStage

SCREEN_SETTING = "draw/projector_screen"


def screen_key(screen: QScreen) -> str:
    g = screen.geometry()
    return f"{g.x()},{g.y()},{g.width()},{g.height()}"


def screen_label(screen: QScreen, index: int) -> str:
    g = screen.geometry()
    primary = "（主屏幕）" if screen is QGuiApplication.primaryScreen() else ""
    name = screen.name() or screen.model() or ""
    return f"屏幕 {index + 1}{primary}：{g.width()}×{g.height()}  {name}".rstrip()


def remembered_screen() -> QScreen | None:
    """The screen chosen last time, found by its geometry (names change between boots)."""
    key = QSettings().value(SCREEN_SETTING)
    for screen in QGuiApplication.screens():
        if screen_key(screen) == key:
            return screen
    return None


def default_screen() -> QScreen | None:
    """The remembered screen, else the first one that is not the console's."""
    screens = QGuiApplication.screens()
    remembered = remembered_screen()
    if remembered is not None:
        return remembered
    others = [s for s in screens if s is not QGuiApplication.primaryScreen()]
    return others[0] if others else (screens[0] if screens else None)


def remember_screen(screen: QScreen) -> None:
    QSettings().setValue(SCREEN_SETTING, screen_key(screen))


class ProjectorWindow(QWidget):
    reveal_progress = Signal(int, int)  # settled, total
    reveal_finished = Signal()
    page_changed = Signal(int, int)  # page, pages (end stage)
    closed = Signal()

    def __init__(self) -> None:
        super().__init__(None, Qt.WindowType.Window)
        self.setWindowTitle("随机抽取 · 投屏")
        self.setObjectName("projector")
        # Closing the main window ends the program even while the projector is open.
        self.setAttribute(Qt.WidgetAttribute.WA_QuitOnClose, False)
        self.setCursor(Qt.CursorShape.BlankCursor)
        self.commitment = CommitmentStage()
        self.reveal = RevealStage()
        self.end = EndStage()
        self._stack = QStackedLayout(self)
        self._stack.setContentsMargins(0, 0, 0, 0)
        for stage in (self.commitment, self.reveal, self.end):
            self._stack.addWidget(stage)
        self.reveal.progress.connect(self.reveal_progress)
        self.reveal.finished.connect(self._reveal_done)
        self.end.page_changed.connect(self.page_changed)
        self.full_screen = False

    # --- placement -------------------------------------------------------------

    def place(self, screen: QScreen | None, full_screen: bool = True) -> None:
        """Show on `screen`: frameless full screen there, or a window with one screen."""
        screens = QGuiApplication.screens()
        self.hide()
        if screen is not None and full_screen and len(screens) > 1:
            self.setWindowFlags(Qt.WindowType.Window | Qt.WindowType.FramelessWindowHint)
            self.setScreen(screen)
            self.setGeometry(screen.geometry())
            self.showFullScreen()
            self.full_screen = True
        else:
            self.setWindowFlags(Qt.WindowType.Window)
            if screen is not None:
                self.setScreen(screen)
                area = screen.availableGeometry()
                self.resize(min(1280, area.width()), min(720, area.height()))
                self.move(area.center() - self.rect().center())
            self.showNormal()
            self.full_screen = False
        if screen is not None:
            remember_screen(screen)

    # --- stages ------------------------------------------------------------------

    def stage(self) -> str:
        stages: dict[QWidget | None, str] = {
            self.commitment: "commitment",
            self.reveal: "reveal",
            self.end: "end",
        }
        return stages[self._stack.currentWidget()]

    def show_commitment(self, view: CommitmentView) -> None:
        self.reveal.stop()
        self.commitment.set_view(view)
        self._stack.setCurrentWidget(self.commitment)

    def prepare_reveal(self, decoys: Sequence[str]) -> None:
        """Render the names that will roll while the witnesses speak (idle time)."""
        self.reveal.preload(decoys)

    def set_witnesses(self, witnesses: Sequence[WitnessLine]) -> None:
        self.commitment.set_witnesses(tuple(witnesses))

    def start_reveal(self, outcome: OutcomeView, decoys: Sequence[str], speed: float) -> None:
        self._stack.setCurrentWidget(self.reveal)
        self.reveal.start(outcome, decoys, speed)

    def set_speed(self, speed: float) -> None:
        self.reveal.set_speed(speed)

    def reveal_all(self) -> None:
        """全部显示: stop the animation and show the full list."""
        self.reveal.stop()
        if self.reveal.view is not None:
            self.show_end(self.reveal.view)

    def show_end(self, outcome: OutcomeView) -> None:
        self.reveal.stop()
        self.end.set_view(outcome)
        self._stack.setCurrentWidget(self.end)

    def update_outcome(self, outcome: OutcomeView) -> None:
        """The same result, now with every target named (looked up after the reveal began)."""
        self.reveal.update_view(outcome)
        end = self.end.view
        if end is not None and end.result_hash == outcome.result_hash:
            self.end.set_view(outcome, auto_page=self.end.auto_paging(), keep_page=True)

    def turn_page(self, step: int) -> None:
        self.end.set_auto_page(False)
        self.end.turn(step)

    def _reveal_done(self) -> None:
        if self.reveal.view is not None:
            self.show_end(self.reveal.view)
        self.reveal_finished.emit()

    # --- window ----------------------------------------------------------------------

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        if key in (Qt.Key.Key_PageDown, Qt.Key.Key_Right, Qt.Key.Key_Space):
            self.turn_page(1)
        elif key in (Qt.Key.Key_PageUp, Qt.Key.Key_Left):
            self.turn_page(-1)
        else:
            super().keyPressEvent(event)

    def closeEvent(self, event: QCloseEvent) -> None:
        self.reveal.stop()
        self.end.set_auto_page(False)
        self.closed.emit()
        super().closeEvent(event)
