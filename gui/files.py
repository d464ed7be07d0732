"""File handling of the window: new, open, save, revert, recent files, GraphML, autosave.

Errors while reading or writing become a dialog with the InputError's one line; a save that
fails leaves the previous file in place (`model.files.save_file` is atomic). A file that
left out values the format expects opens with a non-modal note saying how many took their
defaults and where. Unsaved work is written to a recovery file on a timer and offered back
after a crash.
"""
from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QFileDialog, QMessageBox

from model.errors import InputError
from model.network import Network
from model.scenario import Project, Scenario

SCENARIO_FILTER = "Scenario files (*.json *.graphml);;JSON scenario (*.json);;GraphML (*.graphml)"
JSON_FILTER = "JSON scenario (*.json)"
GRAPHML_FILTER = "GraphML (*.graphml)"
OPENABLE = (".json", ".graphml")
MAX_RECENT = 8
NOTE_PLACES = 12  # places the defaults note lists; its details list up to MAX_LISTED
AUTOSAVE_MS = 120_000
Button = QMessageBox.StandardButton


class FileController(QObject):
    path_changed = Signal(object)  # Path or None
    recent_changed = Signal(list)
    message = Signal(str)
    replaced = Signal(bool)  # the document was loaded: True, another scenario (`load`)

    def __init__(self, window, editor, settings, data_dir: Path, autosave_ms: int = AUTOSAVE_MS):
        super().__init__(window)
        self.window, self.editor, self.settings = window, editor, settings
        self.data_dir = Path(data_dir)
        self.path: Path | None = None
        self.defaults_box: QMessageBox | None = None
        self.notes_box: QMessageBox | None = None  # what the last save had to tell
        self._last_defaults = None
        self.timer = QTimer(self)
        self.timer.setInterval(autosave_ms)
        self.timer.timeout.connect(self.autosave)
        self.timer.start()

    @property
    def doc(self):
        return self.editor.doc

    @property
    def stack(self):
        return self.editor.stack

    # --- loading ---------------------------------------------------------------------------------

    def load(self, project: Project, path: Path | None, modified: bool = False,
             another: bool = True) -> None:
        """Replaces the document; the undo history starts afresh. `another`: a scenario
        other than the one edited (a file, an example, a new one: the results go); else
        the same project changed (a revert, a recovery, another variant: the results stay,
        out of date)."""
        self.editor.cancel_interaction()
        self.doc.load_project(project)
        self.stack.clear()
        if modified:
            self.stack.resetClean()  # never clean until saved
        self._set_path(path)
        self.editor.view.fit_all()
        self.replaced.emit(another)

    def read(self, path: Path) -> Project | None:
        """The file's project, or None after showing why it cannot be read; what the file
        left out is kept for `report_defaults`."""
        from model.files import read_file

        self._last_defaults = None
        try:
            loaded = read_file(path, strict=False)
        except InputError as error:
            self._error("Cannot open the file", error.line())
        except OSError as error:
            self._error("Cannot open the file", f"{path}: {error.strerror or error}")
        else:
            self._last_defaults = loaded.defaults
            return loaded.project
        return None

    def report_defaults(self, defaults=None) -> None:
        """A non-modal note (dismissable, it blocks nothing): how many values the file
        left out and took their defaults, and where."""
        defaults = self._last_defaults if defaults is None else defaults
        if self.defaults_box is not None:
            self.defaults_box.close()
            self.defaults_box = None
        if not defaults:
            return
        places = [str(d) for d in defaults.listed]
        box = QMessageBox(QMessageBox.Icon.Information, "Values filled in with defaults",
                          f"{defaults.count:,} value{'s' * (defaults.count != 1)} "
                          f"absent in {Path(defaults.file).name} took their defaults.",
                          QMessageBox.StandardButton.Ok, self.window)
        box.setObjectName("defaultsNote")
        shown = "\n".join(places[:NOTE_PLACES])
        rest = defaults.count - min(len(places), NOTE_PLACES)
        box.setInformativeText(f"Where:\n{shown}" + (f"\n… and {rest:,} more" if rest else ""))
        if len(places) > NOTE_PLACES:
            rest = defaults.count - len(places)
            box.setDetailedText("\n".join(places) + (f"\n… and {rest:,} more" if rest else ""))
        box.setWindowModality(Qt.WindowModality.NonModal)
        box.show()
        self.defaults_box = box
        self.message.emit(defaults.summary())

    def new(self) -> bool:
        if not self.maybe_save():
            return False
        self.load(Project.single(Scenario(Network.empty())), None)
        return True

    def open(self) -> bool:
        if not self.maybe_save():
            return False
        name, _ = QFileDialog.getOpenFileName(self.window, "Open scenario", self._folder(),
                                              SCENARIO_FILTER)
        return bool(name) and self.open_path(Path(name), ask=False)

    def open_path(self, path: Path, ask: bool = True) -> bool:
        if ask and not self.maybe_save():
            return False
        project = self.read(Path(path))
        if project is None:
            return False
        self.load(project, Path(path).resolve())
        self._add_recent(self.path)
        self.message.emit(f"Opened {self.path.name}")
        self.report_defaults()
        return True

    def revert(self) -> bool:
        if self.path is None or self.stack.isClean():
            return False
        answer = QMessageBox.question(self.window, "Revert",
                                      f"Discard your changes and reload {self.path.name}?",
                                      Button.Yes | Button.No, Button.No)
        if answer != Button.Yes:
            return False
        project = self.read(self.path)
        if project is None:
            return False
        self.load(project, self.path, another=False)
        self.remove_recovery()
        self.report_defaults()
        return True

    def import_graphml(self) -> bool:
        if not self.maybe_save():
            return False
        name, _ = QFileDialog.getOpenFileName(self.window, "Import GraphML", self._folder(),
                                              GRAPHML_FILTER)
        if not name:
            return False
        project = self.read(Path(name))
        if project is None:
            return False
        self.load(project, None, modified=True)  # saving goes to a new JSON file
        self.message.emit(f"Imported {Path(name).name}")
        self.report_defaults()
        return True

    # --- saving ----------------------------------------------------------------------------------

    def save(self) -> bool:
        if self.path is None or self.path.suffix.lower() != ".json":
            return self.save_as()
        return self.write(self.path)

    def save_as(self) -> bool:
        start = str(self.path.with_suffix(".json")) if self.path else self._folder()
        path = ask_save_path(self.window, "Save scenario as", start, JSON_FILTER, ".json")
        return path is not None and self.write(path)

    def write(self, path: Path) -> bool:
        from model.files import save_file

        notes = self._save_to(save_file, path, "Cannot save the file")
        if notes is None:
            return False
        self.show_notes(f"Saved {path.name}", notes)
        old_recovery = self.recovery_path()
        self.stack.setClean()
        self._set_path(path.resolve())
        _unlink(old_recovery)
        self.remove_recovery()
        self._add_recent(self.path)
        self.message.emit(" ".join([f"Saved {self.path.name}.", *notes]))
        return True

    def export_graphml(self) -> bool:
        from model.files import save_file

        start = str(self.path.with_suffix(".graphml")) if self.path else self._folder()
        path = ask_save_path(self.window, "Export GraphML", start, GRAPHML_FILTER, ".graphml")
        if path is None:
            return False
        notes = self._save_to(save_file, path, "Cannot export")
        if notes is None:
            return False
        self.show_notes(f"Exported {path.name}", notes)
        self.message.emit(" ".join(notes) or f"Exported {path.name}")
        return True

    def show_notes(self, title: str, notes) -> None:
        """What a writer had to tell (characters the format cannot hold, a variant left
        out): a non-modal note, once per save or export, so nothing is changed unseen."""
        if self.notes_box is not None:
            self.notes_box.close()
            self.notes_box = None
        if not notes:
            return
        box = QMessageBox(QMessageBox.Icon.Information, title, "\n\n".join(notes),
                          QMessageBox.StandardButton.Ok, self.window)
        box.setObjectName("writeNotes")
        box.setWindowModality(Qt.WindowModality.NonModal)
        box.show()
        self.notes_box = box

    def _save_to(self, save_file, path: Path, title: str) -> tuple[str, ...] | None:
        """The writer's notes, or None after showing why it failed."""
        try:
            return save_file(self.doc.to_project(), path)
        except InputError as error:
            self._error(title, error.line())
        except OSError as error:
            self._error(title, f"{path}: {error.strerror or error}")
        return None

    def maybe_save(self) -> bool:
        """True when it is safe to drop the current document (saved, discarded)."""
        if self.stack.isClean():
            return True
        answer = QMessageBox.warning(
            self.window, "Unsaved changes",
            f"Save the changes to {self.display_name()} before closing it?",
            Button.Save | Button.Discard | Button.Cancel, Button.Save)
        if answer == Button.Save:
            return self.save()
        if answer == Button.Discard:
            self.remove_recovery()
            return True
        return False

    # --- recovery --------------------------------------------------------------------------------

    def recovery_path(self, path: Path | None = None) -> Path:
        path = self.path if path is None else path
        key = str(path) if path else "untitled"
        digest = hashlib.sha1(key.encode()).hexdigest()[:10]
        stem = path.stem if path else "untitled"
        return self.data_dir / "recovery" / f"{stem}-{digest}.json"

    def autosave(self) -> bool:
        """Writes unsaved work to the recovery file (never to the user's file)."""
        if self.stack.isClean():
            return False
        from model.files import write_bytes_atomic
        from model.files.jsonfile import dumps_project

        target = self.recovery_path()
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            write_bytes_atomic(target, dumps_project(self.doc.to_project()), backup=False)
        except (InputError, OSError) as error:
            self.message.emit(f"Autosave failed: {error}")
            return False
        self.message.emit(f"Autosaved at {dt.datetime.now():%H:%M}")
        return True

    def remove_recovery(self) -> None:
        _unlink(self.recovery_path())

    def offer_recovery(self) -> bool:
        """After a crash: offers the recovery file when it is newer than the saved file."""
        recovery = self.recovery_path()
        if not recovery.exists():
            return False
        if self.path is not None and self.path.exists() and \
                self.path.stat().st_mtime >= recovery.stat().st_mtime:
            return False
        when = dt.datetime.fromtimestamp(recovery.stat().st_mtime)
        answer = QMessageBox.question(
            self.window, "Recover unsaved work",
            f"{self.display_name()} has unsaved changes from {when:%Y-%m-%d %H:%M} that were "
            "not saved (the application closed unexpectedly). Recover them?",
            Button.Yes | Button.No, Button.Yes)
        if answer != Button.Yes:
            _unlink(recovery)
            return False
        project = self.read(recovery)
        if project is None:
            return False
        self.load(project, self.path, modified=True, another=False)
        self.message.emit("Recovered unsaved changes; save to keep them")
        return True

    # --- recent files and names ------------------------------------------------------------------

    def recent_files(self) -> list[str]:
        value = self.settings.value("recentFiles", [])
        if isinstance(value, str):
            value = [value]
        return [str(v) for v in (value or [])]

    def _add_recent(self, path: Path) -> None:
        files = [str(path)] + [f for f in self.recent_files() if f != str(path)]
        self.settings.setValue("recentFiles", files[:MAX_RECENT])
        self.recent_changed.emit(files[:MAX_RECENT])

    def clear_recent(self) -> None:
        self.settings.setValue("recentFiles", [])
        self.recent_changed.emit([])

    def display_name(self) -> str:
        if self.path is not None:
            return self.path.name
        return self.doc.meta.get("title") or "Untitled"

    def _set_path(self, path: Path | None) -> None:
        self.path = path
        self.path_changed.emit(path)

    def _folder(self) -> str:
        return str(self.path.parent) if self.path else str(Path.home())

    def _error(self, title: str, text: str) -> None:
        QMessageBox.critical(self.window, title, text)


def _unlink(path: Path) -> None:
    try:
        path.unlink(missing_ok=True)
    except OSError:
        pass


def ask_save_path(parent, title: str, start: str, filters: str, suffix: str) -> Path | None:
    """The file the user chose to save to, with `suffix` added if they left it off."""
    name, _ = QFileDialog.getSaveFileName(parent, title, start, filters)
    if not name:
        return None
    path = Path(name)
    return path if path.suffix.lower() == suffix else path.with_name(path.name + suffix)
