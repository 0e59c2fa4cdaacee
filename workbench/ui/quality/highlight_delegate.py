"""Paints "text before · THE HIT · text after" with the hit marked, readable in light and dark."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import QModelIndex, QRectF
from PySide6.QtGui import QAbstractTextDocumentLayout, QPalette, QTextDocument
from PySide6.QtWidgets import QApplication, QStyle, QStyledItemDelegate, QStyleOptionViewItem

from workbench.ui.quality.pii_findings_model import ContextRole

SHOWN_BEFORE = 32  # characters before the hit: the hit stays in view in a narrow column


def highlight_html(before: str, value: str, after: str, dark: bool) -> str:
    background, colour = ("#7a5d00", "#ffffff") if dark else ("#ffe066", "#000000")
    if len(before) > SHOWN_BEFORE:
        before = "…" + before[-SHOWN_BEFORE:]
    return (f"{escape(before)}"
            f"<span style='background-color:{background}; color:{colour}; font-weight:600'>{escape(value)}</span>"
            f"{escape(after)}")


class HighlightDelegate(QStyledItemDelegate):
    def paint(self, painter, option: QStyleOptionViewItem, index: QModelIndex) -> None:
        parts = index.data(ContextRole)
        if not parts:
            super().paint(painter, option, index)
            return
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        opt.text = ""
        style = opt.widget.style() if opt.widget else QApplication.style()
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, opt.widget)
        dark = opt.palette.color(QPalette.ColorRole.Base).lightness() < 128
        doc = QTextDocument()
        doc.setDefaultFont(opt.font)
        doc.setDocumentMargin(2)
        doc.setHtml(highlight_html(*parts, dark))
        text_rect = style.subElementRect(QStyle.SubElement.SE_ItemViewItemText, opt, opt.widget)
        context = QAbstractTextDocumentLayout.PaintContext()
        selected = bool(opt.state & QStyle.StateFlag.State_Selected)
        role = QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        context.palette.setColor(QPalette.ColorRole.Text, opt.palette.color(role))
        painter.save()
        painter.translate(text_rect.left(), text_rect.top() + max(0, (text_rect.height() - doc.size().height()) / 2))
        painter.setClipRect(QRectF(0, 0, text_rect.width(), text_rect.height()))
        doc.documentLayout().draw(painter, context)
        painter.restore()
