"""What the 200 % zoom tests share: the 1366×768 school laptop at 200 % (a 683×384 CSS-pixel
viewport at device scale 2) and the page's sideways overflow.
"""

from __future__ import annotations

ZOOM_200 = {"viewport": {"width": 683, "height": 384}, "device_scale_factor": 2}
# How far the page scrolls sideways (wide tables scroll inside their own box, never the page).
OVERFLOW = "document.scrollingElement.scrollWidth - window.innerWidth"


def zoomed_context(browser):
    """A new offline browser context at 200 %."""
    return browser.new_context(offline=True, **ZOOM_200)


def assert_fits(page, what: str) -> None:
    """The page does not scroll sideways (a pixel of rounding allowed)."""
    assert page.evaluate(OVERFLOW) <= 1, f"{what}: the page scrolls sideways at 200 %"
