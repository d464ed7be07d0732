"""The user guide, shown inside the application (offline: no browser, no network).

It renders docs/USER_GUIDE.md with its screenshots; the packaged app carries both.
"""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QUrl
from PySide6.QtGui import QTextDocument
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QTextBrowser, QVBoxLayout

GUIDE = Path(__file__).resolve().parents[1] / "docs" / "USER_GUIDE.md"


class GuideWindow(QDialog):
    def __init__(self, parent=None, path: Path = GUIDE):
        super().__init__(parent)
        self.setObjectName("userGuide")
        self.setWindowTitle("User guide — AI Ecosystem Planner")
        self.browser = QTextBrowser(self)
        self.browser.setObjectName("guideText")
        self.browser.setOpenExternalLinks(False)
        if path.is_file():
            self.browser.setSearchPaths([str(path.parent)])
            self.browser.setSource(QUrl.fromLocalFile(str(path)),
                                   QTextDocument.ResourceType.MarkdownResource)
        else:
            self.browser.setPlainText(f"The user guide is missing: {path} was not found. "
                                      "Reinstall the application to restore it.")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.browser)
        layout.addWidget(buttons)
        self.resize(980, 760)
