"""A zero-size anywidget that tells plotly charts to fit their boxes.

Plotly sizes a chart from its container when it is drawn; a chart drawn while its page is
still hidden (Voila shows the page once every cell ran) gets plotly's default 700 px width and
is cut off in a narrower box. This widget watches the card it sits in and, when the card's
size changes (shown, window resized, phone rotated), dispatches a window "resize" event,
which responsive plotly charts answer by fitting their containers. The JavaScript travels
with the widget (anywidget), so nothing is loaded from the network.
"""

from __future__ import annotations

import anywidget

__all__ = ["ChartResizer"]

_ESM = """
export default {
  render({ el }) {
    el.style.display = "none";
    const target = el.closest(".hubml-card") || document.body;
    let timer = null;
    const fire = () => {
      clearTimeout(timer);
      timer = setTimeout(() => window.dispatchEvent(new Event("resize")), 60);
    };
    const observer = new ResizeObserver(fire);
    observer.observe(target);
    return () => observer.disconnect();
  },
};
"""


class ChartResizer(anywidget.AnyWidget):
    _esm = _ESM
