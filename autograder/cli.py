"""``bpcourse``: the course's command-line tool (also ``python -m autograder``).

Each command calls the library and prints what it returns; a ``CourseError``
from anywhere is printed once, in ``main``, and becomes the exit code. Options
shared by several commands come from parent parsers, each default defined once.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections import Counter
from pathlib import Path

from autograder.defaults import CHECK_TIMEOUT, DEMO_TIMEOUT, GRADE_TIMEOUT
from autograder.errors import FAILED, CourseError
from autograder.paths import COURSE, REPO, SOLUTIONS, assignments


def known_assignments(names: list[str]) -> list[str]:
    """``names``, or every assignment when empty; an unknown name is a CourseError listing the known ones."""
    have = assignments(SOLUTIONS)
    unknown = sorted(set(names) - set(have))
    if unknown:
        raise CourseError(f"no such assignment: {', '.join(unknown)} (have: {', '.join(have)})")
    return names or have


def cmd_release(args: argparse.Namespace) -> int:
    """Regenerate course/ from solutions/ and verify that nothing secret leaked."""
    from autograder.release import find_leaks, generate

    names = known_assignments(args.assignments)
    generate(COURSE, names)
    leaks = find_leaks(COURSE)
    if leaks:
        raise CourseError("the release leaks:\n" + "\n".join(f"LEAK {leak}" for leak in leaks), FAILED)
    print(f"released {len(names)} assignment(s) into {COURSE}: {', '.join(names)}; no solution or hidden test leaked")
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    """Run a learner's notebook headless with the visible tests only, and say exercise by exercise how it went."""
    from autograder.selfcheck import check_notebook

    return check_notebook(Path(args.notebook), timeout=args.timeout)


def _workspace(args: argparse.Namespace):
    from autograder.workspace import Workspace

    return Workspace(Path(args.workspace))


def cmd_collect(args: argparse.Namespace) -> int:
    """Copy submissions into the workspace; report what could not be matched."""
    from autograder.collect import collect

    workspace = _workspace(args)
    report = collect(Path(args.source), workspace)
    print(
        f"collected {len(report.imported)} new or changed notebook(s), {len(report.unchanged)} unchanged, "
        f"into {workspace.submitted}"
    )
    for name, why in report.unmatched:
        print(f"  not collected: {name}: {why}")
    return 0


def cmd_grade(args: argparse.Namespace) -> int:
    """Autograde everything collected, in parallel, and update the gradebook."""
    from autograder.class_grading import grade

    workspace = _workspace(args)
    if not workspace.submissions():
        raise CourseError(f"nothing collected in {workspace.submitted}; run `bpcourse collect SOURCE` first")
    names = known_assignments(args.assignments)
    summary = grade(
        workspace,
        names,
        workers=args.workers,
        force=args.force,
        timeout=args.timeout,
        db_url=args.db,
        sandbox=not args.no_sandbox,
        scheduler=args.scheduler,
    )
    print(summary_text(summary))
    return 0


def summary_text(summary) -> str:
    """One paragraph on a grading run: counts, time, whether it was sandboxed, statuses."""
    from autograder.sandbox import describe

    statuses = Counter(str(r.status) for r in summary.results)
    timed_out = sum(r.timed_out for r in summary.results)
    unsandboxed = sum(not r.sandboxed for r in summary.results)
    where = describe() if summary.sandboxed else "WITHOUT a sandbox (--no-sandbox): submissions ran as you"
    note = f"; {unsandboxed} stored result(s) were graded without a sandbox" if unsandboxed else ""
    return (
        f"graded {summary.graded}, unchanged {summary.skipped}, not handed in {summary.missing} "
        f"in {summary.seconds:.1f}s, {where}; statuses: {dict(statuses)}; with a timed-out cell: {timed_out}{note}"
    )


def cmd_feedback(args: argparse.Namespace) -> int:
    """Write HTML feedback for every graded notebook."""
    from autograder.feedback import write_feedback

    workspace = _workspace(args)
    paths = write_feedback(workspace)
    print(f"wrote {len(paths)} feedback file(s) under {workspace.root / 'feedback'}")
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    """Export grades.csv and grades_detailed.csv from the gradebook."""
    from autograder.export import export_grades

    workspace = _workspace(args)
    grades, detailed = export_grades(args.db or workspace.db_url, workspace.root)
    print(f"wrote {grades} and {detailed}")
    return 0


def cmd_report(args: argparse.Namespace) -> int:
    """Write the instructor's grade report (PNG plots and one HTML page)."""
    from autograder.report import write_report

    workspace = _workspace(args)
    print(f"wrote {write_report(workspace, workspace.root / 'report')}")
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    """The whole pipeline on a generated sample class in a temporary workspace."""
    from autograder.demo import run_demo

    return run_demo(workers=args.workers, timeout=args.timeout, sandbox=not args.no_sandbox)


def cmd_lab(args: argparse.Namespace) -> int:
    """Start JupyterLab on course/ (for a learner)."""
    from autograder.lab import run_lab

    return run_lab(COURSE)


def _parent(*adders) -> argparse.ArgumentParser:
    parent = argparse.ArgumentParser(add_help=False)
    for add in adders:
        add(parent)
    return parent


def _workspace_options(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--workspace",
        default=os.environ.get("BPCOURSE_WORKSPACE", str(REPO / "workspace")),
        help="grading workspace (default: $BPCOURSE_WORKSPACE or ./workspace)",
    )


def _db_option(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--db",
        default=None,
        help="gradebook database URL for nbgrader (default: sqlite in the workspace), "
        "e.g. postgresql://user@host/course",
    )


def _grading_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--workers", type=int, default=None, help="parallel kernels (default: number of cores)")
    p.add_argument(
        "--no-sandbox",
        action="store_true",
        help="run submissions without the bubblewrap sandbox, as you (only for code you trust)",
    )


def _timeout_option(default: int) -> argparse.ArgumentParser:
    return _parent(
        lambda p: p.add_argument(
            "--timeout", type=int, default=default, help=f"seconds a single cell may run (default: {default})"
        )
    )


def _assignments_argument(p: argparse.ArgumentParser) -> None:
    p.add_argument("assignments", nargs="*", metavar="ASSIGNMENT", help="e.g. 01-neurons (default: all)")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="bpcourse",
        description="The backprop course's tool: release the student notebooks, check and grade them.",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    workspace = _parent(_workspace_options)
    gradebook = _parent(_workspace_options, _db_option)
    grading = _parent(_grading_options)

    p = sub.add_parser("release", help="regenerate course/ from solutions/ and verify it leaks nothing")
    _assignments_argument(p)
    p.set_defaults(func=cmd_release)

    p = sub.add_parser(
        "check",
        parents=[_timeout_option(CHECK_TIMEOUT)],
        help="self-check a notebook: run it and report each exercise (visible tests only)",
    )
    p.add_argument("notebook", help="path to your notebook, e.g. course/01-neurons/neurons.ipynb")
    p.set_defaults(func=cmd_check)

    p = sub.add_parser(
        "collect", parents=[workspace], help="import submissions from a folder <student>/<assignment>/*.ipynb or a zip"
    )
    p.add_argument("source", help="folder or zip file; the originals are never modified")
    p.set_defaults(func=cmd_collect)

    p = sub.add_parser(
        "grade",
        parents=[gradebook, grading, _timeout_option(GRADE_TIMEOUT)],
        help="autograde what was collected, in parallel; re-runs grade only what changed",
    )
    _assignments_argument(p)
    p.add_argument("--force", action="store_true", help="grade everything again, changed or not")
    p.add_argument(
        "--scheduler",
        metavar="tcp://HOST:PORT",
        default=None,
        help="grade on the workers of this Dask scheduler (`dask scheduler`, `dask worker ... --nthreads 1`) "
        "instead of on this machine; results and the gradebook are still written here",
    )
    p.set_defaults(func=cmd_grade)

    for name, parents, text, func in (
        ("feedback", workspace, "write HTML feedback per student and assignment", cmd_feedback),
        ("export", gradebook, "write grades.csv and grades_detailed.csv from the gradebook", cmd_export),
        ("report", workspace, "write the grade report: score distributions, hardest exercises", cmd_report),
    ):
        sub.add_parser(name, parents=[parents], help=text).set_defaults(func=func)

    p = sub.add_parser(
        "demo",
        parents=[grading, _timeout_option(DEMO_TIMEOUT)],
        help="run the whole pipeline on a generated sample class in a temporary workspace",
    )
    p.set_defaults(func=cmd_demo)

    sub.add_parser("lab", help=f"start JupyterLab on {COURSE.relative_to(REPO)}/").set_defaults(func=cmd_lab)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run one command; a CourseError is printed as ``error: ...`` and its exit code returned."""
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except CourseError as error:
        print(f"error: {error}", file=sys.stderr)
        return error.exit_code
