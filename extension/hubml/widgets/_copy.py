"""CopyButton: copies a text to the clipboard in the browser (JupyterLab and Voila alike).

A kernel cannot put text on the user's clipboard, and a comm message (a widget click) cannot
add a notebook cell (IPython's ``set_next_input`` only reaches the front end with the reply
to the next cell run), so the copy happens in the page: a few lines of anywidget ESM.
"""

from __future__ import annotations

import anywidget
import traitlets

__all__ = ["CopyButton"]

_ESM = """
function render({ model, el }) {
  const button = document.createElement("button");
  button.className = "jupyter-widgets jupyter-button widget-button hubml-copy";
  const show = (key) => { button.textContent = model.get(key); };
  show("label");
  button.addEventListener("click", async () => {
    try {
      await navigator.clipboard.writeText(model.get("text"));
      show("done");
    } catch (error) {
      show("failed");
    }
    setTimeout(() => show("label"), 2500);
  });
  el.appendChild(button);
}
export default { render };
"""


class CopyButton(anywidget.AnyWidget):
    _esm = traitlets.Unicode(_ESM).tag(sync=True)
    text = traitlets.Unicode("", help="The text the button copies").tag(sync=True)
    label = traitlets.Unicode("Copy", help="The button's caption").tag(sync=True)
    done = traitlets.Unicode("Copied", help="Shown after a copy").tag(sync=True)
    failed = traitlets.Unicode("Copy refused by the browser: select the text and copy it",
                               help="Shown when the browser refuses").tag(sync=True)
