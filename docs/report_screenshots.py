"""Open jobsim's HTML reports in a real browser: the checks of the browser test, and the screenshots in docs/img.

Drives Debian's Chromium (``apt-get install chromium``, at ``/usr/bin/chromium``)
with Playwright for Python (the ``dev`` extra); Playwright never downloads a
browser here. The test ``tests/report/test_report_browser.py`` uses
:func:`browser` and :func:`inspect`; run as a script it makes the README's
screenshots from finished reports::

    jobsim report staffing laerkevej --out outputs/ && jobsim report staffing laerkevej --lang da --out outputs/
    python docs/report_screenshots.py outputs/report-staffing-laerkevej-en.html outputs/report-staffing-laerkevej-da.html

which writes ``docs/img/report_<lang>_1280.png`` (the top of the page at a
laptop's width), ``docs/img/report_<lang>_390.png`` (a phone's width) and
``docs/img/report_figure_<lang>_390.png`` (the first figure on a phone: its phone drawing).
"""

from __future__ import annotations

import re
import sys
from contextlib import contextmanager
from pathlib import Path

CHROMIUM = "/usr/bin/chromium"
#: Headless, and nothing that reaches out to a network or needs a GPU or a sandbox (CI runs as root).
ARGS = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]
WIDTHS = (1280, 390)

#: English words that are not also Danish words (so "at", "for", "to", "by", "it", "under" are left out):
#: one of these in the visible text of a Danish page is an English phrase left untranslated.
ENGLISH_STOP_WORDS = frozenset(
    "the and of are with when which that this not from than each was were or on an has have will can does only "
    "your there these those what how why where who would should could into about our we you they is".split())

#: Visible text, without what is not prose: commands (code), the citation, references to published sources.
_VISIBLE_TEXT = """() => {
  const body = document.body.cloneNode(true);
  body.querySelectorAll('code, pre, .ref, svg, style').forEach(e => e.remove());
  return body.innerText;
}"""

#: Per figure, the drawing on show (a figure may hold a wide and a phone-sized one, one of them hidden): its
#: size on the screen (px), its drawn paths, and ``px_per_pt``, the screen pixels of one point of the drawing
#: (matplotlib's SVG is measured in points; a 10 pt tick label has a font size of ``10 * px_per_pt`` px on screen).
_FIGURES = """() => Array.from(document.querySelectorAll('figure')).map(f => {
  const shown = Array.from(f.querySelectorAll('svg')).filter(s => s.getBoundingClientRect().width > 0);
  if (shown.length !== 1) return {ok: false, shown: shown.length, width: 0, height: 0, paths: 0, px_per_pt: 0};
  const svg = shown[0];
  const r = svg.getBoundingClientRect();
  const box = svg.viewBox.baseVal;
  return {ok: true, shown: 1, width: r.width, height: r.height, paths: svg.querySelectorAll('path, use').length,
          px_per_pt: box && box.width ? r.width / box.width : 0};
})"""


def english_words(text: str) -> list[str]:
    """The English stop-words in ``text`` (lower case, in order, repeats kept)."""
    return [w for w in re.findall(r"[a-zæøå]+", text.lower()) if w in ENGLISH_STOP_WORDS]


@contextmanager
def browser():
    """A headless Chromium from ``/usr/bin/chromium`` (no download); raises FileNotFoundError without it."""
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        raise FileNotFoundError(f"{CHROMIUM} not found: install Debian's chromium (apt-get install -y chromium)")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        try:
            yield b
        finally:
            b.close()


def inspect(b, path: str | Path, width: int, screenshot: str | Path | None = None, full_page: bool = False) -> dict:
    """Open ``path`` at ``width`` px; return what the test checks.

    Keys: ``scroll_width`` and ``width`` (px), ``figures`` (per figure: ``ok`` if exactly one drawing is
    shown, ``shown`` (how many are), its ``width`` and ``height`` in px, its drawn ``paths``, and
    ``px_per_pt``, see :data:`_FIGURES`), ``console_errors``, ``page_errors``, ``requests`` (every URL asked for other than
    the file itself: none should be), ``text`` (the visible prose, see :data:`_VISIBLE_TEXT`).
    """
    page = b.new_page(viewport={"width": width, "height": 900})
    url = Path(path).resolve().as_uri()
    errors, page_errors, requests = [], [], []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: page_errors.append(str(e)))
    page.on("request", lambda r: requests.append(r.url) if r.url != url else None)
    page.route(re.compile(r"^(?!file:).*"), lambda route: route.abort())  # nothing leaves the machine
    page.goto(url, wait_until="load")
    out = {"scroll_width": page.evaluate("document.documentElement.scrollWidth"),
           "width": page.evaluate("window.innerWidth"), "figures": page.evaluate(_FIGURES),
           "text": page.evaluate(_VISIBLE_TEXT)}
    if screenshot is not None:
        Path(screenshot).parent.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(screenshot), full_page=full_page)
    out.update(console_errors=errors, page_errors=page_errors, requests=requests)
    page.close()
    return out


def main(paths: list[str]) -> int:
    """Screenshots of each report (its language from the file name's ``-en``/``-da``) into docs/img."""
    img = Path(__file__).parent / "img"
    with browser() as b:
        for path in paths:
            lang = "da" if path.endswith("-da.html") else "en"
            for width in WIDTHS:
                target = img / f"report_{lang}_{width}.png"
                inspect(b, path, width, screenshot=target)
                print(target)
            target = img / f"report_figure_{lang}_{WIDTHS[-1]}.png"
            page = b.new_page(viewport={"width": WIDTHS[-1], "height": 900})
            page.goto(Path(path).resolve().as_uri(), wait_until="load")
            page.locator("figure").first.screenshot(path=str(target))
            page.close()
            print(target)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
