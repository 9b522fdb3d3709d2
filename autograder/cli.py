"""``bpcourse``: the course's command-line tool (also ``python -m autograder``)."""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from autograder.paths import COURSE, REPO, SOLUTIONS, assignments


def cmd_release(args: argparse.Namespace) -> int:
    """Regenerate course/ from solutions/ and verify that nothing secret leaked."""
    from autograder.release import ReleaseError, find_leaks, generate

    names = args.assignments or assignments(SOLUTIONS)
    unknown = sorted(set(names) - set(assignments(SOLUTIONS)))
    if unknown:
        print(f"error: no such assignment in {SOLUTIONS}: {', '.join(unknown)}", file=sys.stderr)
        return 2
    try:
        generate(COURSE, names)
    except ReleaseError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    leaks = find_leaks(COURSE)
    for leak in leaks:
        print(f"LEAK {leak}", file=sys.stderr)
    if leaks:
        return 1
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

    source = Path(args.source)
    if not source.exists():
        print(f"error: {source} does not exist; give a folder <student>/<assignment>/*.ipynb or a zip", file=sys.stderr)
        return 2
    try:
        report = collect(source, _workspace(args))
    except FileNotFoundError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    print(f"collected {len(report.imported)} new or changed notebook(s), {len(report.unchanged)} unchanged, "
          f"into {_workspace(args).submitted}")
    for name, why in report.unmatched:
        print(f"  not collected: {name}: {why}")
    return 0


def cmd_grade(args: argparse.Namespace) -> int:
    """Autograde everything collected, in parallel, and update the gradebook."""
    from autograder.grade import grade

    workspace = _workspace(args)
    if not workspace.submissions():
        print(f"error: nothing collected in {workspace.submitted}; run `bpcourse collect SOURCE` first", file=sys.stderr)
        return 2
    unknown = sorted(set(args.assignments) - set(assignments(SOLUTIONS)))
    if unknown:
        print(f"error: no such assignment: {', '.join(unknown)} (have: {', '.join(assignments(SOLUTIONS))})",
              file=sys.stderr)
        return 2
    from autograder.sandbox import SandboxUnavailable

    try:
        summary = grade(workspace, args.assignments or None, workers=args.workers, force=args.force,
                        timeout=args.timeout, db_url=args.db, sandbox=not args.no_sandbox)
    except SandboxUnavailable as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    print(_summary_text(summary))
    return 0


def _summary_text(summary) -> str:
    from collections import Counter

    statuses = Counter(r.status for r in summary.results)
    from autograder.sandbox import describe

    timed_out = sum(any(c["status"] == "timed out" for c in r.cells) for r in summary.results)
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

    paths = write_feedback(_workspace(args))
    print(f"wrote {len(paths)} feedback file(s) under {_workspace(args).root / 'feedback'}")
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
    page = write_report(workspace, workspace.root / "report")
    print(f"wrote {page}")
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    """The whole pipeline on a generated sample class in a temporary workspace."""
    from autograder.demo import run_demo

    return run_demo(workers=args.workers, timeout=args.timeout, sandbox=not args.no_sandbox)


def cmd_lab(args: argparse.Namespace) -> int:
    """Start JupyterLab on course/ (for a learner)."""
    from autograder.lab import run_lab

    return run_lab(COURSE)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="bpcourse",
        description="The backprop course's tool: release the student notebooks, check and grade them.",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser("release", help="regenerate course/ from solutions/ and verify it leaks nothing")
    p.add_argument("assignments", nargs="*", metavar="ASSIGNMENT", help="e.g. 01-neurons (default: all)")
    p.set_defaults(func=cmd_release)

    p = sub.add_parser("check", help="self-check a notebook: run it and report each exercise (visible tests only)")
    p.add_argument("notebook", help="path to your notebook, e.g. course/01-neurons/neurons.ipynb")
    p.add_argument("--timeout", type=int, default=60, help="seconds a single cell may run (default: 60)")
    p.set_defaults(func=cmd_check)

    def workspace_options(p: argparse.ArgumentParser) -> None:
        p.add_argument("--workspace", default=os.environ.get("BPCOURSE_WORKSPACE", str(REPO / "workspace")),
                       help="grading workspace (default: $BPCOURSE_WORKSPACE or ./workspace)")
        p.add_argument("--db", default=None,
                       help="gradebook database URL for nbgrader (default: sqlite in the workspace), "
                            "e.g. postgresql://user@host/course")

    p = sub.add_parser("collect", help="import submissions from a folder <student>/<assignment>/*.ipynb or a zip")
    p.add_argument("source", help="folder or zip file; the originals are never modified")
    workspace_options(p)
    p.set_defaults(func=cmd_collect)

    p = sub.add_parser("grade", help="autograde what was collected, in parallel; re-runs grade only what changed")
    p.add_argument("assignments", nargs="*", metavar="ASSIGNMENT", help="e.g. 01-neurons (default: all)")
    p.add_argument("--workers", type=int, default=None, help="parallel kernels (default: number of cores)")
    p.add_argument("--force", action="store_true", help="grade everything again, changed or not")
    p.add_argument("--timeout", type=int, default=30, help="seconds a single cell may run (default: 30)")
    p.add_argument("--no-sandbox", action="store_true",
                   help="run submissions without the bubblewrap sandbox, as you (only for code you trust)")
    workspace_options(p)
    p.set_defaults(func=cmd_grade)

    for name, text, func in (
        ("feedback", "write HTML feedback per student and assignment", cmd_feedback),
        ("export", "write grades.csv and grades_detailed.csv from the gradebook", cmd_export),
        ("report", "write the grade report: score distributions, hardest exercises", cmd_report),
    ):
        p = sub.add_parser(name, help=text)
        workspace_options(p)
        p.set_defaults(func=func)

    p = sub.add_parser("demo", help="run the whole pipeline on a generated sample class in a temporary workspace")
    p.add_argument("--workers", type=int, default=None, help="parallel kernels (default: number of cores)")
    p.add_argument("--timeout", type=int, default=10, help="seconds a single cell may run (default: 10)")
    p.add_argument("--no-sandbox", action="store_true",
                   help="grade the sample class without the sandbox (it does so anyway, saying so, where none can be made)")
    p.set_defaults(func=cmd_demo)

    p = sub.add_parser("lab", help=f"start JupyterLab on {COURSE.relative_to(REPO)}/")
    p.set_defaults(func=cmd_lab)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return args.func(args)
