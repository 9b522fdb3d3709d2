"""The learner's JupyterLab: no news or update pop-ups, widget state saved, nbgrader's instructor tools off."""

from __future__ import annotations

import urllib.error

import pytest

from autograder.lab import INSTRUCTOR_LAB_PLUGINS, NOTIFICATION_PLUGIN, WIDGETS_PLUGIN
from autograder.lab_driver import PAGE_TIMEOUT, api, open_notebook
from tests.browser.jlab import toasts

pytestmark = pytest.mark.browser

SETTINGS = """async (id) => {
  const settings = await window.jupyterapp.serviceManager.settings.fetch(id);
  const defaults = Object.fromEntries(Object.entries(settings.schema.properties).map(([k, v]) => [k, v.default]));
  return {defaults, user: JSON.parse(settings.raw || '{}')};
}"""


def test_no_pop_ups_widget_state_saved_and_only_the_learner_tools(page, lab):
    open_notebook(page, lab, "course/01-neurons/neurons.ipynb")

    notification = page.evaluate(SETTINGS, NOTIFICATION_PLUGIN)
    assert notification["user"] == {}
    assert notification["defaults"]["fetchNews"] == "false"  # JupyterLab's own default "none" asks in a toast
    assert notification["defaults"]["checkForUpdates"] is False
    widgets = page.evaluate(SETTINGS, WIDGETS_PLUGIN)
    assert widgets["defaults"]["saveState"] is True and widgets["user"] == {}

    plugins = page.evaluate(
        """(ids) => ids.map(id => [id, window.jupyterapp.hasPlugin(id), window.jupyterapp.isPluginActivated(id)])""",
        [
            *INSTRUCTOR_LAB_PLUGINS,
            "@jupyter/nbgrader:validate-assignment",
            "@jupyter-widgets/jupyterlab-manager:plugin",
        ],
    )
    assert plugins == [[name, False, False] for name in INSTRUCTOR_LAB_PLUGINS] + [
        ["@jupyter/nbgrader:validate-assignment", True, True],
        ["@jupyter-widgets/jupyterlab-manager:plugin", True, True],
    ]
    # no menu entry leads to the Assignment List, which would only say "exchange directory does not exist"
    assert page.locator("#jp-MainMenu").get_by_text("Assignment List").count() == 0
    assert page.locator(".jp-NotebookPanel-toolbar").get_by_text("Validate", exact=True).is_visible()

    for route in ("/formgrader", "/assignments"):  # their server halves are off too
        with pytest.raises(urllib.error.HTTPError) as error:
            api(lab, route)
        assert error.value.code == 404

    # nothing was announced: the status bar's notification count and the toasts seen since the page opened
    page.locator(".jp-Notification-Status").wait_for(timeout=PAGE_TIMEOUT)
    assert page.locator(".jp-Notification-Status").inner_text().strip() == "0"
    assert toasts(page) == []
