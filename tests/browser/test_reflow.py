"""Reflow in a real browser (WCAG 1.4.10, 1.4.12): every page type, at phone to desktop widths,
in every text size × colour scheme × letter spacing of the version for the visually impaired
and with the WCAG 1.4.12 text-spacing override, never scrolls sideways, never lets the text of
one cell of a layout grid run into another, and always shows the coat of arms.

One tab per page type: the viewport is resized and the settings are changed in place, through
the panel's own radio buttons (a `change` event, as a click sends), so the whole matrix costs a
relayout per cell, not a page load.
"""

from __future__ import annotations

import pytest

from support import PATIENCE_MS

from .conftest import PAGE_TYPES, SCHEMES

WIDTHS = [320, 360, 414, 768, 1024, 1280]
SIZES = ["", "2", "3", "4"]
#: The panel's letter spacing, and "wcag": the text-spacing override of WCAG 1.4.12 (line
#: height 1.5, paragraph spacing 2, letter spacing 0.12, word spacing 0.16), as the
#: bookmarklets used by auditors inject it, with line height at the panel's largest too.
SPACINGS = ["", "2", "3", "wcag"]
WCAG_SPACING = (
    "* { line-height: 1.5 !important; letter-spacing: 0.12em !important; word-spacing: 0.16em !important; }"
    " p { margin-bottom: 2em !important; }"
)
#: Containers whose children are side-by-side cells: text of one cell must stay out of the others.
GRIDS = [
    ".r-grid",
    ".r-card",
    ".r-footer__inner",
    ".r-attributes",
    ".r-header__inner",
    ".r-header__brand",
    ".r-registry",
    ".r-page",
    ".r-search__layout",
    ".r-department__card",
    ".r-vi-panel",
]
#: The coat of arms may get smaller with the text around it, never too small to be seen.
ARMS_MIN_PX = 32

MEASURE = """
([widths, sizes, schemes, spacings, wcagCss, grids, armsMin, width]) => {
  const root = document.documentElement;
  const panel = document.getElementById('vi-panel');
  const choose = (name, value) => {
    const input = panel.querySelector(`input[name="vi-${name}"][value="${value}"]`);
    if (!input.checked) { input.checked = true; input.dispatchEvent(new Event('change', {bubbles: true})); }
  };
  let wcag = document.getElementById('wcag-1-4-12');
  if (!wcag) {
    wcag = document.createElement('style'); wcag.id = 'wcag-1-4-12'; wcag.textContent = wcagCss;
    document.head.append(wcag);
  }
  const name = (el) => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') +
    (el.classList.length ? '.' + [...el.classList].join('.') : '');
  const textBoxes = (cell) => {
    const boxes = [];
    const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
    const range = document.createRange();
    while (walker.nextNode()) {
      const node = walker.currentNode;
      // Text in a closed <details> is laid out nowhere (checkVisibility says so).
      if (!node.data.trim() || !node.parentElement.checkVisibility()) continue;
      range.selectNodeContents(node);
      for (const r of range.getClientRects()) if (r.width > 0 && r.height > 0) boxes.push([r, node]);
    }
    return boxes;
  };
  const overlap = (a, b) =>
    Math.min(a.right, b.right) - Math.max(a.left, b.left) > 1 && Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top) > 1;
  const shown = (el) => el.checkVisibility();
  const failures = [];
  for (const size of sizes) for (const scheme of schemes) for (const spacing of spacings) {
    choose('size', size);
    choose('scheme', scheme);
    choose('spacing', spacing === 'wcag' ? '' : spacing);
    wcag.disabled = spacing !== 'wcag';
    const where = `${width}px size=${size || '1'} scheme=${scheme || 'normal'} spacing=${spacing || '1'}`;
    const scroll = document.scrollingElement.scrollWidth;
    if (scroll > innerWidth) {
      const wide = [...document.body.querySelectorAll('*')]
        .filter((el) => el.getBoundingClientRect().right > innerWidth + 1 && shown(el))
        .filter((el) => ![...el.children].some((c) => c.getBoundingClientRect().right > innerWidth + 1));
      failures.push(`${where}: scrolls sideways (${scroll} > ${innerWidth}) because of ${wide.slice(0, 4).map(name).join(', ')}`);
    }
    for (const grid of document.querySelectorAll(grids.join(','))) {
      const cells = [...grid.children].filter((c) => shown(c) && getComputedStyle(c).position !== 'absolute');
      const rects = cells.map((c) => c.getBoundingClientRect());
      cells.forEach((cell, i) => {
        // Cells of a grid never overlap by themselves, so text can only reach a neighbour by
        // overflowing its own cell: the text boxes are walked only then (the walk is slow).
        const spills = cell.scrollWidth > cell.clientWidth + 1;
        const boxes = spills ? textBoxes(cell) : [];
        const hit = rects.findIndex((other, k) => k !== i && overlap(rects[i], other));
        if (hit >= 0) boxes.unshift([rects[i], cell.firstChild || cell]);
        for (const [box, node] of boxes) {
          const j = rects.findIndex((other, k) => k !== i && overlap(box, other));
          if (j >= 0) {
            failures.push(`${where}: «${(node.textContent || '').trim().slice(0, 30)}» of ${name(cell)} overlaps ${name(cells[j])} in ${name(grid)}`);
            return;
          }
        }
      });
    }
    const skip = document.querySelector('.r-skip-link');
    if (skip && skip !== document.activeElement && skip.getBoundingClientRect().bottom + scrollY > 0)
      failures.push(`${where}: the skip link shows over the page before it is focused`);
    const arms = document.querySelector('.r-header__arms');
    if (arms) {
      const r = arms.getBoundingClientRect();
      if (r.width < armsMin || r.height < armsMin || r.left < 0 || r.right > innerWidth)
        failures.push(`${where}: the coat of arms is ${Math.round(r.width)}×${Math.round(r.height)} at x=${Math.round(r.left)}`);
    }
  }
  choose('size', ''); choose('scheme', ''); choose('spacing', ''); wcag.disabled = true;
  return failures;
}
"""


def walk(page: object, open_panel: bool = False) -> list[str]:
    """Measure the whole matrix on the loaded page; return what failed."""
    if open_panel:
        page.click("#vi-toggle")
    failures: list[str] = []
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 800})
        failures += page.evaluate(
            MEASURE, [WIDTHS, SIZES, ["", *SCHEMES], SPACINGS, WCAG_SPACING, GRIDS, ARMS_MIN_PX, width]
        )
    return failures


def report(failures: list[str]) -> str:
    return f"{len(failures)} failures:\n" + "\n".join(failures[:40])


@pytest.mark.parametrize("name", list(PAGE_TYPES))
def test_page_reflows_in_every_size_scheme_and_spacing(page, site_url: str, name: str) -> None:
    page.goto(site_url + PAGE_TYPES[name])
    if name == "search":
        page.wait_for_selector(".r-search__result", timeout=PATIENCE_MS)
    failures = walk(page)
    assert not failures, report(failures)


def test_the_open_panel_reflows_too(page, site_url: str) -> None:
    """Residents change the settings with the panel open, so it must fit at every size as well."""
    page.goto(site_url + "/")
    failures = walk(page, open_panel=True)
    assert not failures, report(failures)
