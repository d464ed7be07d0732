"""A lever's schedule as a small step chart: the quarters of the run across, the value in
the parameter's range up, one round handle per change.

- double-click the chart: a change at that quarter, at the value under the pointer;
- drag a handle: along (its quarter) and up or down (its value), one undo step a drag;
- right-click: add a change here, or on a handle delete it, make it a ramp (from the
  previous change) or a step again, or type its value; Delete removes the chosen handle.

The chart is tall enough to read a value off it (the range over about 36 px, not 20), years
are written under it, and a dragged handle shows its value and quarter beside it.

Every edit goes through the editor (an undo command); the widget draws what the document
holds and never computes a model quantity: values per quarter come from the schedule.
"""
from __future__ import annotations

from PySide6.QtCore import QEvent, QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QFontMetricsF, QPainter, QPen, QPolygonF
from PySide6.QtWidgets import QInputDialog, QMenu, QSizePolicy, QWidget

from model.parameters import PARAMETERS
from model.schedules import Change, Schedule

HANDLE = 5.0  # handle radius, pixels
HIT = 9.0  # a press this close to a handle takes it
MARGIN_X, MARGIN_Y = 8.0, 6.0
PLOT_PX = 36  # the chart's height for the lever's whole range
TRACK, CURVE, HANDLE_FILL = QColor("#f3f5f8"), QColor("#0072B2"), QColor("#D55E00")
YEAR_COLOUR, VALUE_BOX = QColor("#444444"), QColor(255, 255, 255, 235)


class LeverTimeline(QWidget):
    changed = Signal()  # the user edited the schedule (after the document changed)

    def __init__(self, panel, key: str, parent=None):
        super().__init__(parent)
        self.panel, self.key, self.spec = panel, key, PARAMETERS[key]
        self.setObjectName(f"timeline_{key}")
        self.show_years = True  # workshop mode: only the last timeline writes the years
        self._fit_height()
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setMouseTracking(True)
        self.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
        self.chosen: int | None = None  # index of the chosen change
        self._drag: tuple[int, int] | None = None  # (change index, gesture number)
        self._gestures = 0
        self._tip()

    # --- what is shown -----------------------------------------------------------------------------

    @property
    def doc(self):
        return self.panel.doc

    @property
    def steps(self) -> int:
        return max(1, self.panel.steps)

    def schedule(self) -> Schedule | None:
        return self.doc.schedules.get(self.key)

    def changes(self) -> tuple[Change, ...]:
        schedule = self.schedule()
        return schedule.changes if schedule else ()

    def step_of(self, change: Change) -> int:
        return change.quarter - self.doc.start

    def values(self) -> list[float]:
        """The value in force during each step 0..steps (the schedule's, else the constant)."""
        base, schedule = self.doc.parameters[self.key], self.schedule()
        if schedule is None:
            return [base] * (self.steps + 1)
        return [schedule.value_at(self.doc.start + t, base) for t in range(self.steps + 1)]

    def _tip(self) -> None:
        schedule = self.schedule()
        now = f"schedule: {schedule.text()}" if schedule else "constant through the run"
        self.setToolTip(f"<b>{self.spec.label}</b> over time ({now}).<br>Double-click to add "
                        "a change at a quarter; drag a change along or up and down; "
                        "right-click for more.")

    # --- geometry --------------------------------------------------------------------------------

    def _year_px(self) -> float:
        return QFontMetricsF(self.font()).height() + 2 if self.show_years else 0.0

    def set_show_years(self, show: bool) -> None:
        if show != self.show_years:
            self.show_years = show
            self._fit_height()
            self.update()

    def _fit_height(self) -> None:
        """The chart, then a line of year labels in the widget's own type."""
        height = int(MARGIN_Y + PLOT_PX + 2 + self._year_px() + 2)
        self.setMinimumHeight(height)
        self.setMaximumHeight(height)

    def changeEvent(self, event) -> None:
        if event.type() == QEvent.Type.FontChange:  # the workshop type: taller year labels
            self._fit_height()
        super().changeEvent(event)

    def _plot(self) -> QRectF:
        return QRectF(MARGIN_X, MARGIN_Y, max(1.0, self.width() - 2 * MARGIN_X),
                      max(1.0, self.height() - MARGIN_Y - self._year_px() - 4))

    def year_labels(self) -> list[tuple[float, str]]:
        """(x, year) under the chart: every year of the run whose label has room."""
        if not self.show_years:
            return []
        metrics = QFontMetricsF(self.font())
        room = metrics.horizontalAdvance("2000") + 10
        out, last = [], -1e9
        first = (-self.doc.start.index) % 4  # the first Q1 of the run
        for step in range(first, self.steps + 1, 4):
            x = self.x_of(step)
            if x - last >= room:
                out.append((x, str((self.doc.start + step).year)))
                last = x
        return out

    def drag_text(self) -> str | None:
        """What the dragged handle shows beside it: its value and its quarter."""
        if self._drag is None or self.chosen is None or self.chosen >= len(self.changes()):
            return None
        change = self.changes()[self.chosen]
        return f"{change.value:g} from {change.quarter.label}"

    def x_of(self, step: float) -> float:
        r = self._plot()
        return r.left() + r.width() * min(max(step, 0), self.steps) / self.steps

    def y_of(self, value: float) -> float:
        r, p = self._plot(), self.spec
        share = (value - p.low) / (p.high - p.low) if p.high > p.low else 0.5
        return r.bottom() - r.height() * min(max(share, 0.0), 1.0)

    def step_at(self, x: float) -> int:
        r = self._plot()
        return int(round(min(max((x - r.left()) / r.width(), 0.0), 1.0) * self.steps))

    def value_at(self, y: float) -> float:
        r, p = self._plot(), self.spec
        share = min(max((r.bottom() - y) / r.height(), 0.0), 1.0)
        value = p.low + share * (p.high - p.low)  # a pointer is not precise: round values
        return float(round(value)) if p.integer else round(value, 2 if p.high - p.low <= 2
                                                           else 1)

    def handle_at(self, point: QPointF) -> int | None:
        best, index = HIT, None
        for i, change in enumerate(self.changes()):
            centre = QPointF(self.x_of(self.step_of(change)), self.y_of(change.value))
            distance = (centre - point).manhattanLength()
            if distance <= best:
                best, index = distance, i
        return index

    # --- edits (each one undo step; tests call them directly) ------------------------------------

    def _set(self, changes: list[Change], text: str, merge_key=None) -> bool:
        schedule = Schedule.of(self.key, changes) if changes else None
        done = self.panel.editor.set_schedule(self.key, schedule, text, merge_key)
        if done:
            self.changed.emit()
        return done

    def add_change(self, step: int, value: float) -> bool:
        quarter = self.doc.start + step
        if not quarter.in_range:  # past 2999Q4: no file could hold it
            return False
        if any(c.quarter == quarter for c in self.changes()):
            return False
        return self._set([*self.changes(), Change(quarter, value)],
                         f"{self.spec.label}: {value:g} from {quarter.label}")

    def move_change(self, index: int, step: int, value: float, merge_key=None) -> bool:
        changes = list(self.changes())
        quarter = self.doc.start + step
        if not quarter.in_range:
            return False
        if any(c.quarter == quarter for i, c in enumerate(changes) if i != index):
            return False  # another change holds that quarter
        moved = Change(quarter, value, changes[index].ramp)
        changes[index] = moved
        changes.sort(key=lambda c: c.quarter)
        if changes[0].ramp:  # moved before the change its ramp started from
            changes[0] = Change(changes[0].quarter, changes[0].value)
        self.chosen = changes.index(moved)
        return self._set(changes, f"Move a change of {self.spec.label}", merge_key)

    def delete_change(self, index: int) -> bool:
        changes = list(self.changes())
        gone = changes.pop(index)
        if changes and changes[0].ramp:
            changes[0] = Change(changes[0].quarter, changes[0].value)
        self.chosen = None
        return self._set(changes, f"Delete the change of {self.spec.label} at "
                                  f"{gone.quarter.label}")

    def set_ramp(self, index: int, ramp: bool) -> bool:
        changes = list(self.changes())
        if index == 0 and ramp:
            return False  # a ramp starts from an earlier change
        change = changes[index]
        changes[index] = Change(change.quarter, change.value, ramp)
        what = "a ramp to" if ramp else "a step to"
        return self._set(changes, f"{self.spec.label}: {what} {change.value:g} at "
                                  f"{change.quarter.label}")

    # --- mouse and keys --------------------------------------------------------------------------

    def mousePressEvent(self, event) -> None:
        if event.button() != Qt.MouseButton.LeftButton:
            return super().mousePressEvent(event)
        index = self.handle_at(event.position())
        self.chosen = index
        if index is not None:
            self._gestures += 1
            self._drag = (index, self._gestures)
        self.update()

    def mouseMoveEvent(self, event) -> None:
        point = event.position()
        if self._drag is None:
            step = self.step_at(point.x())
            self.setToolTip(f"{(self.doc.start + step).label}: {self.values()[step]:g}")
            return
        index, gesture = self._drag
        step, value = self.step_at(point.x()), self.value_at(point.y())
        change = self.changes()[index]
        if (step, value) != (self.step_of(change), change.value) and \
                self.move_change(index, step, value, ("timeline", self.key, gesture)):
            self._drag = (self.chosen, gesture)
        self.update()  # the value beside the handle

    def mouseReleaseEvent(self, event) -> None:
        self._drag = None
        self._tip()
        self.update()

    def mouseDoubleClickEvent(self, event) -> None:
        point = event.position()
        if self.handle_at(point) is None:
            self.add_change(self.step_at(point.x()), self.value_at(point.y()))

    def event(self, event) -> bool:
        """Delete belongs to the chosen change, not to the window's Delete (the canvas)."""
        if event.type() == QEvent.Type.ShortcutOverride and self.chosen is not None and \
                event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
            event.accept()
            return True
        return super().event(event)

    def keyPressEvent(self, event) -> None:
        if event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace) and self.chosen is not None:
            self.delete_change(self.chosen)
        else:
            super().keyPressEvent(event)

    def contextMenuEvent(self, event) -> None:
        point = QPointF(event.pos())
        index = self.handle_at(point)
        menu = QMenu(self)
        if index is None:
            step, value = self.step_at(point.x()), self.value_at(point.y())
            quarter = (self.doc.start + step).label
            menu.addAction(f"Add a change at {quarter} ({value:g})",
                           lambda: self.add_change(step, value))
            if self.changes():
                menu.addAction("Remove the schedule (constant value)",
                               lambda: self._set([], f"Remove the schedule of "
                                                     f"{self.spec.label}"))
        else:
            change = self.changes()[index]
            menu.addAction(f"Delete the change at {change.quarter.label}",
                           lambda: self.delete_change(index))
            ramp = menu.addAction("Ramp from the previous change",
                                  lambda on: self.set_ramp(index, on))
            ramp.setCheckable(True)
            ramp.setChecked(change.ramp)
            ramp.setEnabled(index > 0)
            menu.addAction("Set the value…", lambda: self._ask_value(index))
        menu.exec(event.globalPos())

    def _ask_value(self, index: int) -> None:
        change, p = self.changes()[index], self.spec
        value, ok = QInputDialog.getDouble(self, p.label, f"Value from {change.quarter.label}",
                                           change.value, p.low, p.high,
                                           0 if p.integer else 3)
        if ok:
            self.move_change(index, self.step_of(change), value)

    # --- drawing ---------------------------------------------------------------------------------

    def paintEvent(self, event) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        r = self._plot()
        painter.fillRect(r.adjusted(-2, -2, 2, 2), TRACK)
        painter.setPen(QPen(QColor("#c9ced6"), 1))
        for step in range(0, self.steps + 1, 4):  # a tick per year of the run
            x = self.x_of(step)
            painter.drawLine(QPointF(x, r.bottom()), QPointF(x, r.bottom() - 3))
        values = self.values()
        curve = QPolygonF()
        for t, value in enumerate(values):  # each value holds through its quarter
            y = self.y_of(value)
            curve.append(QPointF(self.x_of(t), y))
            curve.append(QPointF(self.x_of(min(t + 1, self.steps)), y))
        painter.setPen(QPen(CURVE, 1.6))
        painter.drawPolyline(curve)
        for i, change in enumerate(self.changes()):
            step = self.step_of(change)
            inside = 0 <= step <= self.steps
            centre = QPointF(self.x_of(step), self.y_of(change.value))
            painter.setPen(QPen(QColor("#222") if i == self.chosen else HANDLE_FILL, 1.5))
            painter.setBrush(HANDLE_FILL if inside else Qt.BrushStyle.NoBrush)
            painter.drawEllipse(centre, HANDLE, HANDLE)
        self._paint_years(painter, r)
        self._paint_drag_value(painter)
        painter.end()

    def _paint_years(self, painter, r: QRectF) -> None:
        painter.setPen(YEAR_COLOUR)
        height = self._year_px()
        metrics = QFontMetricsF(self.font())
        for x, text in self.year_labels():
            w = metrics.horizontalAdvance(text) + 4  # whole at both ends of the chart
            left = min(max(x - w / 2, 0.0), self.width() - w)
            painter.drawText(QRectF(left, r.bottom() + 3, w, height),
                             Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop, text)

    def drag_text_rect(self) -> QRectF | None:
        """Where the dragged value is written: beside its handle, inside the widget."""
        text = self.drag_text()
        if text is None:
            return None
        change = self.changes()[self.chosen]
        metrics = QFontMetricsF(self.font())
        w, h = metrics.horizontalAdvance(text) + 8, metrics.height() + 2
        x = self.x_of(self.step_of(change)) + HANDLE + 4
        if x + w > self.width():
            x = self.x_of(self.step_of(change)) - HANDLE - 4 - w  # left of it at the end
        y = min(max(self.y_of(change.value) - h / 2, 0.0), self.height() - h)
        return QRectF(max(0.0, x), y, w, h)

    def _paint_drag_value(self, painter) -> None:
        rect = self.drag_text_rect()
        if rect is None:
            return
        painter.setPen(QPen(QColor("#222"), 1))
        painter.setBrush(VALUE_BOX)
        painter.drawRoundedRect(rect, 3, 3)
        painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, self.drag_text())
