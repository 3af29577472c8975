"""Record the README's animation: the live error-surface figure of notebook 01 while its
w slider moves, in JupyterLab in Chromium (the same set-up as the browser tests).

    python tests/record_readme_gif.py        (or: make readme-gif)

Writes notebooks/media/line_fit.gif. Install a CJK font (Debian: fonts-noto-cjk) first,
or the Chinese in the slider labels shows as boxes.
"""

from __future__ import annotations

import io
import sys
from pathlib import Path

from PIL import Image
from playwright.sync_api import sync_playwright

from browser_support import CHROMIUM_FLAGS, JupyterServer, NotebookPage, find_chromium

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOK = "01_linear_regression.ipynb"
OUTPUT = ROOT / "notebooks" / "media" / "line_fit.gif"
W_VALUES = [1.0, 0.9, 0.8, 0.7, 0.6, 0.5, 0.45, 0.5, 0.55]  # the line swings into place
B_VALUES = [0.0, 1.0, 2.0, 3.0, 4.0, 4.5, 5.0, 4.6, 4.4]


def main() -> int:
    server = JupyterServer({f"notebooks/{NOTEBOOK}": ROOT / "notebooks" / NOTEBOOK}).start()
    frames = []
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=find_chromium(),
                                                 args=CHROMIUM_FLAGS)
            page = browser.new_page(viewport={"width": 1200, "height": 900})
            notebook = NotebookPage(page, server, f"notebooks/{NOTEBOOK}")
            notebook.open()
            notebook.run_all()
            figure = notebook.figure("line_fit")
            for w, b in zip(W_VALUES, B_VALUES, strict=True):
                for key, value in (("w", w), ("b", b)):
                    readout = figure.locator(f".live-control--{key} .widget-readout")
                    readout.click()
                    page.keyboard.press("Control+A")
                    page.keyboard.type(f"{value:.2f}")
                    page.keyboard.press("Enter")
                page.wait_for_timeout(400)
                frames.append(Image.open(io.BytesIO(figure.screenshot())).convert("RGB"))
            browser.close()
    finally:
        server.stop()
    width = 760
    frames = [f.resize((width, round(f.height * width / f.width)), Image.LANCZOS)
              for f in frames]
    OUTPUT.parent.mkdir(parents=True, exist_ok=True)
    frames[0].save(OUTPUT, save_all=True, append_images=frames[1:], duration=450, loop=0,
                   optimize=True)
    print(f"wrote {OUTPUT.relative_to(ROOT)}: {len(frames)} frames, "
          f"{OUTPUT.stat().st_size // 1024} KiB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
