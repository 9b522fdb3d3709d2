"""In a real browser: how long from moving the step-size slider to the updated outcome under the picture.

The time is measured inside the page, from the key press on the slider's handle
(or the click on a button) to the moment the watched text changes in the DOM:
it includes the comm message to the kernel, the explorer's redraw (a PNG) and
the two messages back. Baseline, in the same run and the same kernel: a Button
whose click handler sets an HTML widget's text, the cheapest widget round trip there is.

Goal (the issue): median under 200 ms.
"""

from __future__ import annotations

import statistics
import tempfile
from pathlib import Path

import nbformat

GOAL_MS = 200.0
MOVES = 20
WARM_UP = 3

SETUP = "import ipywidgets as widgets\nfrom bpkit.widgets import StepSizeExplorer"
SLIDER = "StepSizeExplorer(x0=3.0, learning_rate=0.1, num_steps=40)"
BUTTON = """label = widgets.HTML("0")
button = widgets.Button(description="ping")


def ping(_):
    label.value = str(int(label.value) + 1)


button.on_click(ping)
widgets.HBox([button, label])"""

ARM = """([trigger, target, kind]) => {
  window.__latency = new Promise(resolve => {
    let start = null;
    const before = target.innerHTML;
    trigger.addEventListener(kind, () => { start = performance.now(); }, {once: true, capture: true});
    const observer = new MutationObserver(() => {
      if (start !== null && target.innerHTML !== before) { observer.disconnect(); resolve(performance.now() - start); }
    });
    observer.observe(target, {subtree: true, childList: true, characterData: true});
  });
}"""


def _timed(page, trigger, target, kind: str, act) -> float:
    """Milliseconds from ``kind`` on ``trigger`` to a change inside ``target``."""
    page.evaluate(ARM, [trigger.element_handle(), target.element_handle(), kind])
    act()
    return page.evaluate("() => window.__latency")


def _measure(page, trigger, target, kind: str, act, count: int) -> list[float]:
    for _ in range(WARM_UP):
        _timed(page, trigger, target, kind, act)
    return [_timed(page, trigger, target, kind, act) for _ in range(count)]


def _summary(name: str, times: list[float]) -> str:
    return (
        f"{name}: median {statistics.median(times):6.1f} ms over {len(times)} "
        f"(min {min(times):.1f}, max {max(times):.1f})"
    )


def main() -> dict[str, float]:
    from autograder.lab_driver import (
        cell_index,
        cell_locator,
        launch_browser,
        missing_browser,
        open_notebook,
        run_all,
        running_lab,
        wait_all_code_cells_ran,
    )

    why = missing_browser()
    if why:
        print(f"skipped: {why}")
        return {}
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory(prefix="bpcourse-bench-browser-") as tmp:
        root = Path(tmp)
        served = root / "served"
        served.mkdir()
        nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(s) for s in (SETUP, SLIDER, BUTTON)])
        nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
        nbformat.write(nb, str(served / "bench.ipynb"))
        with running_lab(root, served) as lab, sync_playwright() as playwright:
            browser = launch_browser(playwright)
            try:
                page = browser.new_page(viewport={"width": 1400, "height": 1000})
                page.set_default_timeout(180_000)
                open_notebook(page, lab, "bench.ipynb")
                run_all(page)
                wait_all_code_cells_ran(page)

                slider_cell = cell_locator(page, cell_index(page, SLIDER), "slider")
                handle = slider_cell.locator(".widget-hslider").first.locator(".noUi-handle")
                outcome = slider_cell.locator(".widget-html-content")
                keys = iter(["ArrowRight", "ArrowLeft"] * (MOVES + WARM_UP))

                def move():
                    handle.focus()
                    page.keyboard.press(next(keys))

                button_cell = cell_locator(page, cell_index(page, BUTTON), "button")
                button = button_cell.locator("button.widget-button")
                label = button_cell.locator(".widget-html-content")

                baseline = _measure(page, button, label, "click", button.click, MOVES)
                slider = _measure(page, handle, outcome, "keydown", move, MOVES)
            finally:
                browser.close()

    base_ms, slider_ms = statistics.median(baseline), statistics.median(slider)
    print(_summary("baseline: Button click -> text updated (widget round trip)", baseline))
    print(_summary("slider:   key on the learning-rate slider -> outcome updated", slider))
    print(
        f"slider = {slider_ms / base_ms:.1f}x baseline (+{slider_ms - base_ms:.1f} ms for the redraw); "
        f"goal < {GOAL_MS:.0f} ms: {'ok' if slider_ms < GOAL_MS else 'OVER'}"
    )
    return {"slider_ms": slider_ms, "baseline_ms": base_ms}


if __name__ == "__main__":
    main()
