"""No silent fallback: without a sandbox, grading stops and says why; --no-sandbox is explicit and stated."""

from __future__ import annotations

import pytest

from autograder import cli, sample_class, sandbox
from autograder.collect import collect
from autograder.feedback import UNSANDBOXED_NOTICE, write_feedback
from autograder.paths import SOLUTIONS, assignments
from autograder.report import write_report
from autograder.workspace import Workspace

pytestmark = pytest.mark.slow

FIRST = assignments(SOLUTIONS)[0]


@pytest.fixture
def probe_again():
    sandbox._probe.cache_clear()
    yield
    sandbox._probe.cache_clear()


@pytest.fixture
def workspace(tmp_path):
    a = sample_class.Assignment(FIRST)
    path = tmp_path / "incoming" / "s1" / FIRST / a.notebook
    path.parent.mkdir(parents=True)
    path.write_bytes(a.submit(a.solved()))
    ws = Workspace(tmp_path / "ws")
    collect(tmp_path / "incoming", ws)
    return ws


def test_missing_bubblewrap_stops_grading_with_the_fix(monkeypatch, probe_again, workspace, capsys):
    monkeypatch.setattr(sandbox.shutil, "which", lambda name: None)
    assert cli.main(["grade", FIRST, "--workspace", str(workspace.root)]) == 2
    err = capsys.readouterr().err
    assert "bubblewrap is not installed" in err and "apt-get install bubblewrap" in err and "--no-sandbox" in err
    assert not (workspace.root / "results").exists()


def test_disabled_user_namespaces_are_explained(monkeypatch, probe_again, tmp_path):
    fake = tmp_path / "bwrap"
    fake.write_text("#!/bin/sh\necho 'bwrap: No permissions to create new namespace' >&2\nexit 1\n")
    fake.chmod(0o755)
    monkeypatch.setattr(sandbox.shutil, "which", lambda name: str(fake) if name == "bwrap" else None)
    with pytest.raises(sandbox.SandboxUnavailable, match="user namespaces.*sysctl"):
        sandbox.ensure_available()


def test_no_sandbox_is_stated_in_summary_feedback_and_report(workspace, capsys):
    assert cli.main(["grade", FIRST, "--workspace", str(workspace.root), "--no-sandbox"]) == 0
    assert "WITHOUT a sandbox" in capsys.readouterr().out
    (result,) = workspace.results()
    assert result.score == sample_class.Assignment(FIRST).max and not result.sandboxed
    (page,) = write_feedback(workspace)
    assert UNSANDBOXED_NOTICE.split(":")[0] in page.read_text()
    assert "graded without the grading sandbox" in write_report(workspace, workspace.root / "report").read_text()


def test_sandboxed_grading_says_so(workspace, capsys):
    assert cli.main(["grade", FIRST, "--workspace", str(workspace.root)]) == 0
    assert "sandboxed (bubblewrap" in capsys.readouterr().out
    (result,) = workspace.results()
    assert result.sandboxed
    (page,) = write_feedback(workspace)
    assert UNSANDBOXED_NOTICE.split(":")[0] not in page.read_text()
