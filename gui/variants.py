"""Named scenario variants of the project: duplicate the current one, rename, switch.

Built on the Document's public API: `to_project()` gives every variant (the current one as
edited), and loading a Project with another active index switches. Switching keeps the
edits of every variant (they are in the Project) and goes into the saved JSON file; it
starts a fresh undo history (the undo commands belong to the variant they edited).
"""
from __future__ import annotations

from PySide6.QtCore import QObject, Qt, Signal, Slot
from PySide6.QtGui import QColor, QIcon, QPixmap
from PySide6.QtWidgets import (QComboBox, QDialog, QDialogButtonBox, QFormLayout,
                               QInputDialog, QLabel, QListWidget, QListWidgetItem, QSpinBox,
                               QToolBar, QVBoxLayout)

from gui.colours import series_colours
from gui.runs.runbar import MAX_RUNS
from gui.spinboxes import SpinBox
from model.engine import MAX_STEPS
from model.errors import InputError
from model.parameters import PRESETS
from model.scenario import Project, Scenario
COMPARE_RUNS = 200  # the most runs per scenario the compare dialog proposes


def unique_name(wanted: str, taken: list[str]) -> str:
    name, n = wanted, 2
    while name in taken:
        name = f"{wanted} {n}"
        n += 1
    return name


class Variants(QObject):
    changed = Signal()  # names or the active one changed

    def __init__(self, window):
        super().__init__(window)
        self.window = window
        self.doc = window.doc
        self._names: list[str] = []
        self._active = 0
        window.editor.listen(self.doc.reset, self._reload)
        window.editor.listen(self.doc.meta_changed, self._renamed)
        self._reload()

    def names(self) -> list[str]:
        return list(self._names)

    def active(self) -> int:
        return self._active

    def project(self) -> Project:
        return self.doc.to_project(strict=False)

    # --- edits -----------------------------------------------------------------------------------

    def switch(self, index: int) -> bool:
        project = self.project()
        if index == project.active or not 0 <= index < len(project.variants):
            return False
        self._load(Project(project.variants, index))
        self.window.show_status(f"Now editing variant {project.variants[index].name!r}")
        return True

    def duplicate(self, name: str | None = None) -> str:
        """A copy of the current variant (as edited), which becomes the current one."""
        project = self.project()
        taken = [v.name for v in project.variants]
        name = unique_name(name or f"{project.current.name} copy", taken)
        copy = project.current.renamed(name)
        self._load(Project(project.variants + (copy,), len(project.variants)))
        self.window.show_status(f"Duplicated as {name!r}; edits now go to it")
        return name

    def rename(self, name: str) -> bool:
        name = name.strip()
        if not name or name == self.doc.meta["name"]:
            return False
        return self.window.editor.set_meta({"name": name})

    def ask_rename(self) -> bool:
        name, ok = QInputDialog.getText(self.window, "Rename variant", "New name:",
                                        text=self.doc.meta["name"])
        return bool(ok) and self.rename(name)

    def _load(self, project: Project) -> None:
        # another variant of the same project: the results stay, marked out of date
        self.window.files.load(project, self.window.files.path, modified=True, another=False)

    # --- following the document ------------------------------------------------------------------

    def _reload(self, *_args) -> None:
        project = self.project()
        self._names = [v.name for v in project.variants]
        self._active = project.active
        self.changed.emit()

    def _renamed(self, changes: dict) -> None:
        if "name" in changes and self._names:
            self._names[self._active] = self.doc.meta["name"]
            self.changed.emit()


class VariantsBar(QToolBar):
    """A combo of the variants with Duplicate and Rename."""

    def __init__(self, window, variants: Variants):
        super().__init__("Variants", window)
        self.setObjectName("variantsToolBar")
        self.variants = variants
        self.addWidget(QLabel(" Variant: "))
        self.combo = QComboBox(self)
        self.combo.setObjectName("variantChooser")
        self.combo.setMinimumContentsLength(14)
        self.combo.setToolTip("The scenario variant being edited; all are saved in the file")
        self.combo.activated.connect(self._chosen)
        self.addWidget(self.combo)
        duplicate = self.addAction("Duplicate", lambda: variants.duplicate())
        duplicate.setObjectName("actionDuplicateVariant")
        duplicate.setToolTip("Copy the current variant and edit the copy")
        rename = self.addAction("Rename…", variants.ask_rename)
        rename.setObjectName("actionRenameVariant")
        variants.changed.connect(self.refresh)
        self.refresh()

    @Slot()
    def refresh(self) -> None:
        self.combo.blockSignals(True)
        self.combo.clear()
        self.combo.addItems(self.variants.names())
        self.combo.setCurrentIndex(self.variants.active())
        self.combo.blockSignals(False)

    @Slot(int)
    def _chosen(self, index: int) -> None:
        if not self.variants.switch(index):
            self.refresh()


# --- choosing what to compare --------------------------------------------------------------------

def comparison_choices(variants: Variants) -> list[tuple[str, str, str]]:
    """(label, what, key): every variant, then every preset applied to the current one."""
    names = variants.names()
    current = names[variants.active()] if names else "current"
    out = [(name, "variant", name) for name in names]
    out += [(f"{current} + {p.title}", "preset", key) for key, p in PRESETS.items()]
    return out


def comparison_scenarios(window, chosen: list[tuple[str, str, str]]) -> dict[str, Scenario]:
    """Labelled snapshots of the chosen variants and presets; the first is the baseline.
    Raises InputError when the current variant cannot run."""
    current = window.doc.to_scenario()
    project = window.variants.project()
    out = {}
    for label, what, key in chosen:
        if what == "preset":
            out[label] = current.with_preset(key)
        elif key == project.current.name:
            out[label] = current
        else:
            out[label] = project.variant(key)
    return out


def comparison_colours(chosen: list[tuple[str, str, str]]) -> dict[str, str]:
    """label -> the colour of its series: the first variant chosen is the base (dark grey),
    the benign and adverse presets wear their outcome's colour, every other choice the next
    colour that is no outcome's."""
    presets = [key if what == "preset" else None for _label, what, key in chosen]
    base = next((i for i, (_label, what, _key) in enumerate(chosen) if what == "variant"),
                None)
    return dict(zip((label for label, _what, _key in chosen), series_colours(presets, base)))


def _swatch(colour: str | None) -> QIcon:
    """A square of the colour; None: a clear one (the labels stay aligned)."""
    pixmap = QPixmap(14, 14)
    pixmap.fill(QColor(colour) if colour else Qt.GlobalColor.transparent)
    return QIcon(pixmap)


class CompareDialog(QDialog):
    """Ticks the variants and presets to run side by side, with the runs, steps and seed of
    the comparison (prefilled from the run toolbar's; at least two runs, for the bands).
    Each ticked choice shows the colour its curves will have."""

    def __init__(self, window, variants: Variants, steps: int, runs: int, seed: int):
        super().__init__(window)
        self.setWindowTitle("Compare scenarios")
        self.choices = comparison_choices(variants)
        self.list = QListWidget(self)
        self.list.setObjectName("compareChoices")
        current = variants.names()[variants.active()] if variants.names() else ""
        for label, what, key in self.choices:
            item = QListWidgetItem(label, self.list)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            on = (what == "variant" and key == current) or key in ("benign", "adverse")
            item.setCheckState(Qt.CheckState.Checked if on else Qt.CheckState.Unchecked)
        self.list.itemChanged.connect(self._show_colours)
        self._show_colours()
        self.steps = self._spin("compareSteps", 1, MAX_STEPS, steps, " steps")
        # the run bar's count, up to COMPARE_RUNS: 10,000 runs each would be 30,000 at once
        self.runs = self._spin("compareRuns", 2, MAX_RUNS, min(max(2, runs), COMPARE_RUNS),
                               " runs")
        self.runs.setToolTip("Runs per scenario, on seeds seed, seed+1, … (at least 2: "
                             "the bands need several runs)")
        self.seed = self._spin("compareSeed", 0, 2 ** 31 - 1, seed, "")
        self.seed.setPrefix("seed ")
        settings = QFormLayout()
        settings.addRow("Each scenario:", self.runs)
        settings.addRow("Length:", self.steps)
        settings.addRow("First seed:", self.seed)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("Run these on the same seeds (the first ticked is the "
                                "baseline):", self))
        layout.addWidget(self.list)
        layout.addLayout(settings)
        layout.addWidget(buttons)

    def _spin(self, name: str, low: int, high: int, value: int, suffix: str) -> QSpinBox:
        spin = SpinBox(self)
        spin.setObjectName(name)
        spin.setRange(low, high)
        spin.setValue(value)
        spin.setSuffix(suffix)
        return spin

    def chosen(self) -> list[tuple[str, str, str]]:
        return [c for i, c in enumerate(self.choices)
                if self.list.item(i).checkState() == Qt.CheckState.Checked]

    def values(self) -> tuple[int, int, int]:
        """(steps, runs, seed) of the comparison, as the run toolbar's `values`."""
        return self.steps.value(), self.runs.value(), self.seed.value()

    @Slot()
    def _show_colours(self, *_args) -> None:
        """A swatch beside each ticked choice: the colour of its curves."""
        colours = comparison_colours(self.chosen())
        self.list.blockSignals(True)
        for i, (label, _what, _key) in enumerate(self.choices):
            self.list.item(i).setIcon(_swatch(colours.get(label)))
        self.list.blockSignals(False)


def safe_scenarios(window, chosen) -> dict[str, Scenario] | None:
    try:
        return comparison_scenarios(window, chosen)
    except InputError as error:
        from gui.runs.controller import problem_text

        window.runs.dialog("The scenario cannot run", problem_text(error))
        return None
