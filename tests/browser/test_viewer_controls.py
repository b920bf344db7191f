"""The diagram viewer at 1366×768 (issue 16, item 6): it opens readable, not shrunk to ~5 px labels;
its zoom buttons work from the keyboard and by click; its legend's swatches carry the markers' own
colours and sit beside their words, not over them."""
from __future__ import annotations

from datetime import UTC, datetime

from engine.runtime import cases as runtime
from tests.browser.conftest import shot

RENDERED = ".bpmn-viewer[data-rendered='true']"
TRANSPARENT = "rgba(0, 0, 0, 0)"

# The height on screen of the first task's label, in CSS pixels.
LABEL_HEIGHT = """() => {
  const text = document.querySelector(".djs-element[data-element-id='route_message'] .djs-visual text tspan");
  return text.getBoundingClientRect().height;
}"""

# Every drawn shape inside the container's box (a pixel or two of anti-aliasing allowed)?
ALL_IN_VIEW = """() => {
  const box = document.querySelector(".bpmn-viewer").getBoundingClientRect();
  return Array.from(document.querySelectorAll(".djs-shape .djs-visual")).every((shape) => {
    const r = shape.getBoundingClientRect();
    return r.left >= box.left - 2 && r.right <= box.right + 2 && r.top >= box.top - 2 && r.bottom <= box.bottom + 2;
  });
}"""


def _scale(page) -> float:  # type: ignore[no-untyped-def]
    return float(page.get_attribute(".bpmn-viewer", "data-scale"))


def _readable_page(page_for, live_app, login: str, path: str):  # type: ignore[no-untyped-def]
    page = page_for(login)
    page.set_viewport_size({"width": 1366, "height": 768})
    page.goto(f"{live_app}{path}")
    page.wait_for_selector(RENDERED, timeout=15000)
    return page


def test_the_diagram_opens_readable_and_the_zoom_buttons_work(page_for, live_app) -> None:  # type: ignore[no-untyped-def]
    page = _readable_page(page_for, live_app, "curator", "/procedures/orenburg/1")
    toolbar = page.get_by_role("toolbar", name="Масштаб схемы")
    assert toolbar.is_visible()
    assert "Ctrl + колесо — масштаб, перетаскивание — сдвиг" in toolbar.inner_text()
    opened = _scale(page)
    assert opened >= 0.8
    assert page.evaluate(LABEL_HEIGHT) >= 9  # fitted to the width, Orenburg's labels were ~5 px
    assert page.locator(".viewer-scale").inner_text() == f"{round(opened * 100)} %"
    shot(page, "16-6-viewer-readable-zoom")

    zoom_in = page.get_by_role("button", name="Увеличить")
    zoom_in.focus()  # a button in the tab order: Enter works without a mouse
    page.keyboard.press("Enter")
    assert _scale(page) > opened

    page.get_by_role("button", name="Уменьшить").click()
    page.get_by_role("button", name="Уменьшить").click()
    assert _scale(page) < opened

    page.get_by_role("button", name="Вписать в окно").click()
    fitted = _scale(page)
    assert page.evaluate(ALL_IN_VIEW)
    assert fitted < opened  # the whole Orenburg diagram is wider than a readable 1366 px

    zoom_in.click()
    zoom_in.click()
    assert _scale(page) > fitted
    assert not page.evaluate(ALL_IN_VIEW)
    page.get_by_role("button", name="Вписать в окно").click()
    assert _scale(page) == fitted  # fit restores the same whole view
    assert page.evaluate(ALL_IN_VIEW)

    page.get_by_role("button", name="Масштаб 1:1").click()
    assert _scale(page) == 1.0
    assert page.locator(".viewer-scale").inner_text() == "100 %"
    assert page.console_errors == []


# Is the element inside the diagram's visible box?
IN_VIEW = """(id) => {
  const box = document.querySelector(".bpmn-viewer").getBoundingClientRect();
  const r = document.querySelector(`.djs-element[data-element-id='${id}'] .djs-visual`).getBoundingClientRect();
  return r.left >= box.left && r.right <= box.right && r.top >= box.top && r.bottom <= box.bottom;
}"""


def test_a_step_picked_in_the_card_is_brought_into_view(page_for, live_app) -> None:  # type: ignore[no-untyped-def]
    page = _readable_page(page_for, live_app, "curator", "/procedures/orenburg/1")
    rows = page.locator("#procedure-card tr[data-element]")
    hidden = [row.get_attribute("data-element") for row in rows.all()
              if not page.evaluate(IN_VIEW, row.get_attribute("data-element"))]
    assert hidden, "at a readable zoom part of Orenburg's diagram is out of view"
    page.click(f"#procedure-card tr[data-element='{hidden[-1]}']")
    assert page.evaluate(IN_VIEW, hidden[-1])
    assert "marker-selected" in page.get_attribute(f".djs-element[data-element-id='{hidden[-1]}']", "class")


# For each legend entry: its swatch (the ::before box), where its words start, and the colours of
# the element the diagram marks with the same class.
LEGEND = """(kind) => {
  const entry = document.querySelector(".legend .legend-" + kind);
  const swatch = getComputedStyle(entry, "::before");
  const words = document.createRange();
  words.selectNodeContents(entry);
  const left = entry.getBoundingClientRect().left;
  const marked = document.querySelector(".djs-element.marker-" + kind + ":not(.djs-connection) .djs-visual > :first-child");
  const drawn = getComputedStyle(marked);
  return {background: swatch.backgroundColor, border: swatch.borderTopColor,
          swatchRight: left + parseFloat(swatch.width), wordsLeft: words.getBoundingClientRect().left,
          stroke: drawn.stroke, fill: drawn.fill};
}"""


def test_the_legend_shows_the_markers_colours_beside_its_words(page_for, live_app, live_db,  # type: ignore[no-untyped-def]
                                                               virtual_clock) -> None:
    detected = datetime(2025, 10, 31, 5, 0, tzinfo=UTC)  # 10:00 in Orenburg, a Friday
    virtual_clock.set(detected)
    with live_db.session() as session:
        message_id = runtime.start_procedure(session, runtime.MessageInput(
            region="orenburg", network="vk", url="https://vk.com/wall-1_1", author="Иван Петров",
            text="Яма на дороге", posted_at=detected, detected_at=detected), "curator").message_id
    page = _readable_page(page_for, live_app, "supervisor", f"/messages/{message_id}/diagram")
    for kind in ("current", "armed", "taken"):
        legend = page.evaluate(LEGEND, kind)
        assert legend["background"] != TRANSPARENT, kind
        assert legend["border"] == legend["stroke"], kind  # the swatch's edge is the marker's stroke
        assert legend["swatchRight"] <= legend["wordsLeft"], kind  # the words start after the swatch
    for kind in ("current", "armed"):  # these two markers fill the element too
        legend = page.evaluate(LEGEND, kind)
        assert legend["background"] == legend["fill"], kind
    shot(page, "16-6-case-on-diagram-legend")
    assert page.console_errors == []
