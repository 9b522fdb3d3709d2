"""Trusted verdicts: whatever a submission does in its kernel, a wrong answer scores what it scores alone.

Each attack below is written into the answer cell of the tiny course notebook of
test_grading, beside a wrong ``double`` (right on the visible input, wrong on the
hidden one). The tests run in the checker, outside the learner's kernel, so each
attack must score exactly what the wrong answer alone scores: 0, by the hidden test.
"""

from __future__ import annotations

import pytest

from autograder import warm_start
from autograder.grading.pipeline import grade_notebook
from autograder.pool import WorkerPool
from autograder.sandbox import Limits
from tests.test_grading import WRONG, source, submit  # noqa: F401 - source is a fixture

pytestmark = pytest.mark.slow

ATTACKS = {
    "input transformer that empties every later cell": """
get_ipython().input_transformers_post.append(lambda lines: ["pass\\n"])
""",
    "input transformer that rewrites the grader's requests": """
def _rewrite(lines):
    return [
        "import autograder.grading.agent as _a\\n",
        "_a.answer = lambda request: '{\\"result\\": [2.0, 4.0], \\"after\\": []}'\\n",
        "_a.serve_session()\\n",
    ]
get_ipython().input_transformers_post.append(_rewrite)
""",
    "run_cell replaced by a wrapper that skips the request": """
_shell = get_ipython()
_original = _shell.run_cell
_shell.run_cell = lambda *args, **kwargs: _original("pass", *args[1:], **kwargs)
""",
    "pre_run_cell and post_run_cell events": """
def _meddle(*args, **kwargs):
    import autograder.grading.agent as agent
    agent.answer = lambda request: (
        '{"result": {"$": "array", "i": 0, "dtype": "<f8", "shape": [1], "b64": "AAAAAAAAGEA=", "ro": false}}'
    )
get_ipython().events.register("pre_run_cell", _meddle)
get_ipython().events.register("post_run_cell", _meddle)
""",
    "the agent's answer replaced with forged ones": """
import autograder.grading.agent as _agent
def _forged(request):
    return ('{"result": {"$": "array", "i": 0, "dtype": "<f8", "shape": [1], "b64": "AAAAAAAAGEA=", '
            '"ro": false}, "after": []}')
_agent.answer = _forged
""",
    "forged replies with pickles, object arrays and bad references": """
import autograder.grading.agent as _agent
_replies = iter([
    '{"result": {"$": "array", "i": 0, "dtype": "|O", "shape": [1], "b64": "gANLAS4=", "ro": false}}',
    '{"result": {"$": "array", "i": 0, "dtype": "<f8", "shape": [1000000000000], "b64": "", "ro": false}}',
    '{"result": {"$": "same", "i": 7}}',
    '{"result": {"$": "callback", "id": 0}}',
    '{"result": {"$": "ref", "id": 99999, "call": true}}',
    '{"result": {"$": "pickle", "v": "gANLAS4="}}',
] * 5)
def _forged(request):
    return next(_replies)
_agent.answer = _forged
""",
    "session prompts forged on the stdin channel during a call": """
_wrong = double
def double(x):
    raw_input = get_ipython().kernel.raw_input
    raw_input('{"ready": true}')
    raw_input('{"answer": {"result": [6.0], "after": []}}')
    raw_input('{"answer": "not an answer"}')
    return _wrong(x)
""",
    "numpy, bpkit.testing and builtins patched in the kernel": """
import builtins
import numpy
import bpkit.testing
numpy.allclose = lambda *args, **kwargs: True
numpy.isclose = lambda a, b, *args, **kwargs: numpy.ones(numpy.shape(a), dtype=bool)
bpkit.testing.check_array = lambda *args, **kwargs: None
builtins.AssertionError = type("Harmless", (Exception,), {})
builtins.isinstance = lambda *args: True
""",
    "checker names shadowed in the kernel": """
check_array = lambda *args, **kwargs: None
passed = lambda *args, **kwargs: None
np = None
""",
    "sys.settrace rewriting return values": """
import sys
def _tracer(frame, event, arg):
    if event == "return" and frame.f_code.co_name == "double":
        frame.f_locals["result"] = None
    return _tracer
sys.settrace(_tracer)
""",
    "an answer that claims to equal anything": """
class _Anything:
    def __eq__(self, other): return True
    def __array__(self, dtype=None, copy=None): return np.array([6.0])
    def __float__(self): return 6.0
_wrong = double
def double(x):
    return _Anything()
""",
    "an ndarray subclass that equals everything": """
class _Equal(np.ndarray):
    def __eq__(self, other): return np.ones(np.shape(other), dtype=bool)
_wrong = double
def double(x):
    return np.asarray(_wrong(x)).view(_Equal)
""",
    "a generator and an object with __array_interface__": """
_wrong = double
class _Pointer:
    __array_interface__ = {"shape": (1,), "typestr": "<f8", "data": (8, False), "version": 3}
def double(x):
    return (_Pointer() if np.size(x) == 1 else (v for v in _wrong(x)))
""",
    "a huge result and deep nesting": """
def double(x):
    if np.size(x) == 2:
        return np.array([2.0, 4.0])
    deep = [6.0]
    for _ in range(500):
        deep = [deep]
    return deep if np.size(x) == 1 else list(range(10**6))
""",
    "deep recursion": """
def double(x, depth=0):
    if np.size(x) == 2:
        return np.array([2.0, 4.0])
    return double(x, depth + 1)
""",
    "reading In, Out and frames for the tests' source": """
import gc, inspect, sys
_seen = []
def double(x):
    frames = [f.filename for f in inspect.stack()]
    history = list(In) + [repr(v) for v in Out.values()]
    needle = "".join(["check_array(", '"dou', 'ble([3', '])"'])  # the hidden test, never written whole here
    texts = [*history, *frames, *(v for o in gc.get_objects() if isinstance(o, dict) for v in list(o.values()))]
    found = [t for t in texts if isinstance(t, str) and needle in t]
    _seen.append(found)
    print("found" if found else "nothing", "to leak")
    return np.array([2.0, 4.0]) if np.size(x) == 2 else np.array([0.0])
""",
    "a cell disguised as a test cell": """
pass
""",
    "raw_input replaced, so callbacks lie": """
get_ipython().kernel.raw_input = lambda prompt="": '{"result": true}'
""",
}

DISGUISED = "a cell disguised as a test cell"
TIMEOUT = 5
"""Seconds a cell may run: the tiny notebook's own cells take milliseconds; an attack that hangs waits this long."""


def _with_attack(nb, name):
    code = ATTACKS[name]
    answer = code + "\n" + WRONG if "def double" not in code else code

    def disguise(nb):
        import nbformat

        fake = nbformat.v4.new_code_cell("print('pretending to be the checker')\nimport os\nos.system('true')")
        fake.metadata["nbgrader"] = {
            "grade": True,
            "solution": False,
            "locked": True,
            "points": 5,
            "grade_id": None,
            "schema_version": 3,
        }
        nb.cells.insert(3, fake)

    return submit(nb, answer, disguise if name == DISGUISED else None)


def _grade(job):
    """Graded as a class is graded: sandboxed, the kernel forked from the grading process's zygote."""
    nb, src = job
    warm_start.enable()
    return grade_notebook(nb, src, timeout=TIMEOUT, sandbox=Limits())


@pytest.fixture(scope="module")
def outcomes(source):  # noqa: F811 - the fixture of test_grading
    names = ["the wrong answer alone", *ATTACKS]
    jobs = [(submit(source, WRONG), source)] + [(_with_attack(source, name), source) for name in ATTACKS]
    return dict(zip(names, WorkerPool(_grade, 2).ordered(jobs), strict=True))


def test_the_wrong_answer_alone_fails_only_its_hidden_test(outcomes):
    (cell,) = outcomes["the wrong answer alone"].cells
    assert cell.points == 0 and cell.hidden, cell


@pytest.mark.parametrize("name", list(ATTACKS))
def test_an_attack_scores_what_the_wrong_answer_alone_scores(outcomes, name):
    result = outcomes[name]
    assert [(c.grade_id, c.points) for c in result.cells] == [("test_double", 0.0)], (name, result.cells, result.error)


def test_no_hidden_test_source_reaches_the_graded_notebook(outcomes):
    hidden = 'check_array("double([3])"'
    for name, result in outcomes.items():
        assert hidden not in str(result.graded), name
        assert all(hidden not in c.message for c in result.cells), name


def test_the_learners_kernel_never_sees_a_hidden_test(outcomes):
    result = outcomes["reading In, Out and frames for the tests' source"]
    printed = [o.text for c in result.graded.cells for o in c.get("outputs", []) if o.output_type == "stream"]
    text = "".join(printed)
    assert text.count("nothing to leak") == 2 and "found" not in text, text  # both calls looked, neither found
