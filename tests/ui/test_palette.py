"""Check boxes stay visible on the dark palette."""

from PySide6.QtGui import QColor, QImage, QPainter
from PySide6.QtWidgets import QStyle, QStyleFactory, QStyleOptionButton

from workbench.ui.palette import VisibleIndicatorsStyle, dark_palette


def _unticked_box(style) -> QImage:
    option = QStyleOptionButton()
    option.rect.setRect(0, 0, 16, 16)
    option.palette = dark_palette()
    option.state = QStyle.StateFlag.State_Enabled | QStyle.StateFlag.State_Off
    image = QImage(16, 16, QImage.Format.Format_RGB32)
    image.fill(dark_palette().color(dark_palette().ColorRole.Window))
    painter = QPainter(image)
    style.drawPrimitive(QStyle.PrimitiveElement.PE_IndicatorCheckBox, option, painter, None)
    painter.end()
    return image


def _brightest(image: QImage) -> int:
    return max(QColor(image.pixel(x, y)).lightness() for x in range(16) for y in range(16))


def test_an_unticked_check_box_has_a_visible_outline_on_the_dark_palette(qapp):
    plain = _brightest(_unticked_box(QStyleFactory.create("Fusion")))
    visible = _brightest(_unticked_box(VisibleIndicatorsStyle("Fusion")))
    assert visible > plain + 60  # an outline that stands out from the near-black window
