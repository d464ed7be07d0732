"""Files from the window: save and reopen, errors as dialogs, autosave, recovery, closing."""
from __future__ import annotations

import os
import sys
import time
from pathlib import Path

from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDropEvent
from PySide6.QtWidgets import QMessageBox

from gui.crash import CrashHandler
from model.files import load_file, save_file

Button = QMessageBox.StandardButton


def network(window):
    return window.doc.to_project().current.network


def edit(window):
    zone = window.editor.add_node("zone", name="New Zone")
    firm = window.editor.add_node("sme", name="New Firm")
    window.editor.connect(firm, zone)
    return zone


def test_save_and_reopen_give_back_the_same_document(make_window, dialogs, tmp_path):
    window = make_window()
    edit(window)
    window.editor.set_parameters({"antitrust_enforcement": 0.9}, "Set")
    target = tmp_path / "scenario"
    dialogs.answer("save", str(target))
    assert window.files.save()
    saved = tmp_path / "scenario.json"
    assert saved.exists() and window.files.path == saved.resolve()
    assert not window.isWindowModified() and "scenario.json" in window.windowTitle()
    assert str(saved.resolve()) in window.files.recent_files()
    expected = network(window)
    other = make_window()
    assert other.files.open_path(saved)
    assert network(other).equals(expected)
    assert other.doc.parameters["antitrust_enforcement"] == 0.9
    assert load_file(saved, strict=False).current.network.equals(expected)


def test_open_error_is_a_dialog_with_the_reason_and_nothing_changes(window, dialogs, tmp_path):
    bad = tmp_path / "broken.json"
    bad.write_text("{ not json", encoding="utf-8")
    before = network(window)
    dialogs.answer("open", str(bad))
    assert not window.files.open()
    kind, title, text = dialogs.calls[-1]
    assert kind == "critical" and "broken.json" in text
    assert network(window).equals(before)


def test_save_error_keeps_the_previous_file(window, dialogs, tmp_path, monkeypatch):
    target = tmp_path / "keep.json"
    save_file(window.doc.to_project(), target)
    original = target.read_bytes()
    window.files.path = target
    edit(window)

    def disk_full(*_args, **_kwargs):
        raise OSError(28, "No space left on device")

    with monkeypatch.context() as patch:
        patch.setattr(os, "replace", disk_full)  # the last step of the atomic save fails
        assert not window.files.save()
    kind, title, text = dialogs.calls[-1]
    assert kind == "critical" and "keep.json" in text and "No space left" in text
    assert target.read_bytes() == original
    assert window.isWindowModified()


def test_graphml_export_and_import(window, dialogs, tmp_path):
    out = tmp_path / "net.graphml"
    dialogs.answer("save", str(out))
    assert window.files.export_graphml() and out.exists()
    before = network(window)
    dialogs.answer("open", str(out))
    assert window.files.import_graphml()
    assert network(window).equals(before)
    assert window.files.path is None and window.isWindowModified()


def test_autosave_writes_a_recovery_file_and_recovery_restores_the_edit(
        make_window, dialogs, qtbot, tmp_path):
    saved = tmp_path / "work.json"
    first = make_window(autosave_ms=50)
    save_file(first.doc.to_project(), saved)
    first.files.path = saved.resolve()
    first.editor.stack.setClean()
    zone = edit(first)
    recovery = first.files.recovery_path()
    qtbot.waitUntil(recovery.exists, timeout=30_000)
    edited = network(first)
    first.files.timer.stop()
    # A crash: the window vanishes without its close handling; the recovery file stays.
    first.editor.stack.setClean()
    first.files.path = None
    os.utime(saved, (time.time() - 60, time.time() - 60))  # the saved file is older
    second = make_window(load_file(saved), path=saved)
    dialogs.answer("question", Button.Yes)
    assert second.files.offer_recovery()
    assert network(second).equals(edited) and second.doc.has_node(zone)
    assert second.isWindowModified() and second.files.path == saved.resolve()
    dialogs.answer("save", str(saved))
    assert second.files.save()
    assert not recovery.exists()


def test_no_recovery_offer_when_the_saved_file_is_newer(window, dialogs, tmp_path):
    saved = tmp_path / "fresh.json"
    window.files.path = saved.resolve()
    edit(window)
    assert window.files.autosave()
    recovery = window.files.recovery_path()
    os.utime(recovery, (time.time() - 60, time.time() - 60))  # written before the save
    save_file(window.doc.to_project(), saved)
    assert not window.files.offer_recovery()
    assert "question" not in dialogs.kinds()


def test_closing_with_unsaved_changes_asks(make_window, dialogs):
    window = make_window()
    edit(window)
    dialogs.answer("warning", Button.Cancel)
    assert not window.close()
    assert window.isVisible() and dialogs.kinds()[-1] == "warning"
    assert "Save the changes" in dialogs.calls[-1][2]
    window.files.autosave()
    assert window.files.recovery_path().exists()
    dialogs.answer("warning", Button.Discard)
    assert window.close()
    assert not window.files.recovery_path().exists()  # removed on a deliberate close


def test_new_asks_then_starts_empty(window, dialogs):
    edit(window)
    dialogs.answer("warning", Button.Discard)
    assert window.files.new()
    assert len(window.doc) == 0 and not window.editor.scene.nodes
    assert not window.editor.stack.canUndo()


def test_dropping_a_file_on_the_window_opens_it(window, tmp_path):
    target = tmp_path / "dropped.json"
    project = window.doc.to_project()
    save_file(project, target)
    window.editor.add_node("zone")
    window.editor.stack.setClean()
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(target))])
    event = QDropEvent(QPointF(10, 10), Qt.DropAction.CopyAction, mime,
                       Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    window.dropEvent(event)
    assert window.files.path == target.resolve()
    assert network(window).equals(project.current.network)


def test_exception_hook_writes_a_log_and_keeps_the_window(window, dialogs, data_dir):
    previous = sys.excepthook
    handler = CrashHandler(data_dir / "logs", window)
    handler.install()
    try:
        assert sys.excepthook == handler.handle
        try:
            raise ValueError("boom in a slot")
        except ValueError:
            sys.excepthook(*sys.exc_info())
    finally:
        handler.uninstall()
    assert sys.excepthook is previous
    logs = list((data_dir / "logs").glob("crash-*.log"))
    assert len(logs) == 1
    text = logs[0].read_text(encoding="utf-8")
    assert "Traceback" in text and "ValueError: boom in a slot" in text
    assert dialogs.kinds() == ["critical"] and "boom in a slot" in dialogs.calls[0][2]
    assert window.isVisible()
    assert not list((data_dir / "logs").glob("fatal-*.log"))  # nothing fatal: removed


def test_a_fatal_error_leaves_the_python_stack_in_the_log(tmp_path):
    """A segfault (as in Qt) cannot reach the exception hook: faulthandler writes it."""
    import subprocess

    code = ("import faulthandler, sys; sys.path.insert(0, sys.argv[1]); "
            "from gui.crash import CrashHandler; "
            "CrashHandler(sys.argv[2]).install(); faulthandler._sigsegv()")
    root = str(Path(__file__).resolve().parents[2])
    done = subprocess.run([sys.executable, "-c", code, root, str(tmp_path)],
                          capture_output=True, timeout=60,
                          env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    assert done.returncode != 0
    (log,) = tmp_path.glob("fatal-*.log")
    text = log.read_text(encoding="utf-8")
    assert "Segmentation fault" in text and 'File "<string>"' in text


def _json_with_absent_values(tmp_path, saved_from):
    """The window's scenario saved as JSON, then two zones' talent and one edge's weight
    taken out of the file, as a hand-edited or third-party file would leave them."""
    import json

    path = tmp_path / "absent.json"
    save_file(saved_from.doc.to_project(), path)
    data = json.loads(path.read_text(encoding="utf-8"))
    nodes = data["variants"][0]["nodes"]
    zones = [i for i, n in enumerate(nodes) if n["kind"] == "zone"][:2]
    for i in zones:
        del nodes[i]["talent"]
    edges = data["variants"][0]["edges"]
    weighted = next(i for i, e in enumerate(edges) if e["type"] == "uses")
    del edges[weighted]["weight"]
    path.write_text(json.dumps(data), encoding="utf-8")
    return path, [f"variants[0].nodes[{i}].talent" for i in zones] + \
        [f"variants[0].edges[{weighted}].weight"]


def test_opening_a_file_with_absent_values_says_how_many_and_where(window, dialogs, tmp_path,
                                                                      qtbot):
    path, places = _json_with_absent_values(tmp_path, window)
    assert window.files.open_path(path, ask=False)
    box = window.files.defaults_box
    assert box is not None and box.isVisible() and not box.isModal()
    assert "3 values absent in absent.json" in box.text()
    for place in places:
        assert place in box.informativeText()
    assert dialogs.calls == []  # no blocking dialog was opened
    assert "3 values absent" in window.statusBar().currentMessage()
    box.button(QMessageBox.StandardButton.Ok).click()  # dismissable
    qtbot.waitUntil(lambda: not box.isVisible())


def test_opening_a_complete_file_shows_no_note(window, tmp_path):
    path = tmp_path / "complete.json"
    save_file(window.doc.to_project(), path)
    assert window.files.open_path(path, ask=False)
    assert window.files.defaults_box is None


def test_starting_on_a_file_with_absent_values_shows_the_note(qtbot, make_window, data_dir,
                                                              tmp_path):
    from gui.app import create_window

    path, places = _json_with_absent_values(tmp_path, make_window())
    window, error = create_window(str(path), data_dir=data_dir)
    qtbot.addWidget(window)
    window.show()
    assert error is None
    qtbot.waitUntil(lambda: window.files.defaults_box is not None)
    assert "3 values absent" in window.files.defaults_box.text()
    window.editor.stack.setClean()
    window.close()


def test_saving_text_the_format_cannot_hold_says_so_once(window, tmp_path, dialogs):
    """A name with U+FFFE goes into GraphML as U+FFFD; the export tells the analyst."""
    from PySide6.QtWidgets import QMessageBox

    window.doc.set_node("f-sme1", name="SME\ufffeOne")
    dialogs.answer("save", str(tmp_path / "odd.graphml"))
    assert window.files.export_graphml()
    box = window.findChild(QMessageBox, "writeNotes")
    assert box is not None and box.isVisible() and not box.isModal()
    assert "U+FFFE" in box.text() and "U+FFFD" in box.text()
    assert "U+FFFE" in window.statusBar().currentMessage()
    assert window.files.write(tmp_path / "plain.json")  # JSON holds it: nothing to tell
    assert window.files.notes_box is None


def test_a_briefing_with_text_the_workbook_cannot_hold_says_so(window, tmp_path, qtbot):
    from PySide6.QtWidgets import QMessageBox

    window.doc.set_node("f-sme1", name="SME\ufffeOne")
    window.runs.executor = None
    assert window.simulation.runbar.start()
    qtbot.waitUntil(lambda: not window.runs.busy(), timeout=20_000)
    path = tmp_path / "brief.xlsx"
    assert window.runs.export(path, "us2010")
    qtbot.waitUntil(lambda: window.findChild(QMessageBox, "writeNotes") is not None,
                    timeout=20_000)
    box = window.findChild(QMessageBox, "writeNotes")
    assert "U+FFFE" in box.text() and path.is_file()
