"""The user guide, shown inside the application (offline: no browser, no network).

It renders docs/USER_GUIDE.md with its screenshots; the packaged app carries both.
"""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QUrl
from PySide6.QtGui import QTextCursor, QTextDocument
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QTextBrowser, QVBoxLayout

IMAGE_MARGIN = 32  # the page's margins and a scroll bar


class GuideBrowser(QTextBrowser):
    """Pictures as wide as the window, never wider (the screenshots are 1280 px; the guide
    opens at 980): scaled down on every resize, to their own width at most."""

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self.fit_images()

    def setSource(self, *args) -> None:  # noqa: N802 - Qt's name
        super().setSource(*args)
        self.fit_images()

    def fit_images(self) -> None:
        room = max(100, self.viewport().width() - IMAGE_MARGIN)
        document = self.document()
        block = document.begin()
        while block.isValid():
            it = block.begin()
            while not it.atEnd():
                fragment = it.fragment()
                if fragment.isValid() and fragment.charFormat().isImageFormat():
                    self._fit(fragment, room)
                it += 1
            block = block.next()

    def _fit(self, fragment, room: int) -> None:
        image_format = fragment.charFormat().toImageFormat()
        image = self.document().resource(QTextDocument.ResourceType.ImageResource,
                                         QUrl(image_format.name()))
        if image is None or not hasattr(image, "width") or image.width() <= 0:
            return
        width = min(image.width(), room)
        if abs(image_format.width() - width) < 0.5:
            return
        image_format.setWidth(width)
        image_format.setHeight(image.height() * width / image.width())
        cursor = QTextCursor(self.document())
        cursor.setPosition(fragment.position())
        cursor.setPosition(fragment.position() + fragment.length(),
                           QTextCursor.MoveMode.KeepAnchor)
        cursor.setCharFormat(image_format)

GUIDE = Path(__file__).resolve().parents[1] / "docs" / "USER_GUIDE.md"


class GuideWindow(QDialog):
    def __init__(self, parent=None, path: Path = GUIDE):
        super().__init__(parent)
        self.setObjectName("userGuide")
        self.setWindowTitle("User guide — AI Ecosystem Planner")
        self.browser = GuideBrowser(self)
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
