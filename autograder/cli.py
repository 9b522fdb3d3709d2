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


def cmd_demo(args: argparse.Namespace) -> int:
    """Grade every solution notebook and every untouched release, and print the scores."""
    from autograder import notebooks as nbs
    from autograder.grading import grade_notebook

    print(f"{'assignment':<24}{'solution':>12}{'release':>12}{'seconds':>10}")
    for name in assignments(SOLUTIONS):
        for path in sorted((SOLUTIONS / name).glob("*.ipynb")):
            source = nbs.read(path)
            solved = grade_notebook(source, source)
            fresh = grade_notebook(COURSE / name / path.name, source)
            print(
                f"{name:<24}{solved.score:>6g} / {solved.max_score:<4g}{fresh.score:>6g} / {fresh.max_score:<4g}"
                f"{solved.duration + fresh.duration:>10.1f}"
            )
    return 0


def cmd_lab(args: argparse.Namespace) -> int:
    """Start JupyterLab on course/ (for a learner)."""
    argv = [
        sys.executable, "-m", "jupyterlab", f"--notebook-dir={COURSE}",
        "--LabApp.news_url=None", "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
    ]
    if os.geteuid() == 0:
        argv.append("--allow-root")
    os.execv(sys.executable, argv)
    return 0


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

    p = sub.add_parser("demo", help="grade the solutions and the untouched releases and print the scores")
    p.set_defaults(func=cmd_demo)

    p = sub.add_parser("lab", help=f"start JupyterLab on {COURSE.relative_to(REPO)}/")
    p.set_defaults(func=cmd_lab)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return args.func(args)
