"""The boundary between the checker and the learner's kernel: only data crosses, and what tests rely on works.

A real kernel holds the "learner's" functions; the checker's side calls them
through proxies, as the test cells do when a notebook is graded.
"""

from __future__ import annotations

import threading
import warnings

import numpy as np
import pytest
import zmq
from jupyter_client import KernelManager

import bpkit.activations
from autograder.grading import wire
from autograder.grading.boundary import (
    Boundary,
    CallTimedOut,
    ConnectedClient,
    KernelStopped,
    LearnerFunction,
    NotPlainData,
)
from autograder.lab import free_port
from bpkit.testing import DelegationError, check_array, check_raises, count_calls, forbid

pytestmark = pytest.mark.slow

LEARNER = """
import numpy as np
import bpkit.activations

def same(value):
    return value

def scale_in_place(x, params, items):
    x *= 2
    params["W1"] -= 1.0
    params["new"] = np.ones(2)
    items.append(3)
    return params

def fails(kind):
    if kind == "value":
        raise ValueError("no single neuron computes XOR")
    class Mine(KeyError):
        pass
    if kind == "mine":
        raise Mine("a learner's own exception type")
    raise SystemExit(3)

def overflows():
    return np.exp(np.array([1000.0]))

def delegates(z):
    return bpkit.activations.sigmoid(z)

def calls_back(f, x):
    return [f(x), f(x + 1)]

class Node:
    def __init__(self):
        self.x = None
    def forward(self, x):
        self.x = x
        return 2 * x

def generator():
    yield 1

class Sub(np.ndarray):
    pass

def subclass():
    return np.zeros(3).view(Sub)

class Equal:
    def __eq__(self, other):
        return True

def equal():
    return Equal()

def huge():
    return np.zeros(5 * 10**6)

def hangs():
    while True:
        pass

def stubborn():
    while True:
        try:
            while True:
                pass
        except KeyboardInterrupt:
            pass
"""


@pytest.fixture(scope="module")
def kernel():
    km = KernelManager(kernel_name="python3")
    km.start_kernel()
    client = km.blocking_client()
    client.start_channels()
    client.wait_for_ready(timeout=60)
    client.execute_interactive(LEARNER, timeout=60)
    client.stop_channels()
    yield km
    km.shutdown_kernel(now=True)


@pytest.fixture
def learner(kernel):
    boundary = Boundary(kernel, timeout=3)
    yield boundary
    boundary.close()


def proxy(learner, name):
    return learner.names([name])[name]


def test_the_stdin_socket_is_connected_before_the_checker_uses_it():
    """The kernel's ROUTER drops a prompt to a peer it does not know yet: a session opened
    before the handshake finished waited for a "ready" that never came (seen once in CI)."""
    context = zmq.Context()
    kernel = context.socket(zmq.ROUTER)
    handshakes = kernel.get_monitor_socket(zmq.EVENT_HANDSHAKE_SUCCEEDED)
    port = free_port()
    late = threading.Timer(0.3, kernel.bind, [f"tcp://127.0.0.1:{port}"])  # a kernel slow to listen
    late.start()
    client = ConnectedClient(context=context, ip="127.0.0.1", stdin_port=port)
    stdin = client.connect_stdin(identity=b"checker")
    late.join()
    assert handshakes.poll(50), "connect_stdin returned before the kernel knew the checker's socket"
    for socket in (stdin, handshakes, kernel):
        socket.close(linger=0)
    context.term()


def test_plain_data_round_trips_with_its_types(learner):
    same = proxy(learner, "same")
    for value in [
        None,
        True,
        3,
        2.5,
        1 + 2j,
        "text",
        (1, 2.0),
        [1, [2]],
        {"W1": np.eye(2), 3: (4,)},
        {1, 2},
        frozenset({"a"}),
        np.float64(0.5),
        np.int64(7),
        np.arange(6).reshape(2, 3),
        np.array(True),
        np.zeros((0, 3)),
    ]:
        got = same(value)
        assert type(got) is type(value)
        if isinstance(value, np.ndarray):
            assert got.dtype == value.dtype and got.shape == value.shape and np.array_equal(got, value)
        else:
            assert got == value


def test_an_argument_changed_in_place_is_changed_in_the_checker(learner):
    x, params, items = np.ones(3), {"W1": np.zeros((2, 2))}, [1]
    w1 = params["W1"]
    returned = proxy(learner, "scale_in_place")(x, params, items)
    assert np.array_equal(x, [2.0, 2.0, 2.0]) and items == [1, 3]
    assert params["W1"] is w1 and np.array_equal(w1, -np.ones((2, 2))) and "new" in params
    assert returned is params  # the function returned its argument: the checker's own object comes back


def test_an_exception_comes_back_as_its_builtin_type_with_the_message(learner):
    fails = proxy(learner, "fails")
    error = check_raises("fails", lambda: fails("value"), ValueError, contains=("XOR",))
    assert str(error) == "no single neuron computes XOR" and "fails, line" in error.__notes__[0]
    with pytest.raises(KeyError, match="own exception"):
        fails("mine")
    with pytest.raises(RuntimeError, match="SystemExit"):  # never a SystemExit in the checker
        fails("exit")


def test_a_warning_is_issued_again_in_the_checker(learner):
    overflows = proxy(learner, "overflows")
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)
        with pytest.raises(RuntimeWarning, match="overflow"):
            overflows()


def test_forbid_applies_inside_the_kernel(learner):
    delegates = proxy(learner, "delegates")
    check_array("delegates", delegates(np.zeros(2)), [0.5, 0.5])
    with forbid(bpkit.activations.sigmoid), pytest.raises(DelegationError, match="sigmoid"):
        delegates(np.zeros(2))
    assert np.allclose(delegates(np.zeros(1)), 0.5)  # restored after the block


def test_a_checker_function_is_called_back_from_the_kernel(learner):
    seen = []

    def f(x):
        seen.append(x)
        return x * 10

    assert proxy(learner, "calls_back")(f, 1.5) == [15.0, 25.0] and seen == [1.5, 2.5]

    def broken(x):
        raise ZeroDivisionError("inside the callback")

    with pytest.raises(ZeroDivisionError, match="inside the callback"):
        proxy(learner, "calls_back")(broken, 1.0)
    same = proxy(learner, "same")
    with pytest.raises(RuntimeError, match="called the learner's code in turn"):  # at once, not after a timeout
        proxy(learner, "calls_back")(lambda x: same(x), 1.0)


def test_a_learner_object_stays_in_the_kernel_and_is_used_by_reference(learner):
    node = proxy(learner, "Node")()
    assert node.forward(3.0) == 6.0 and node.x == 3.0
    node.x = 5.0
    assert node.x == 5.0 and isinstance(node.forward, LearnerFunction)
    assert node != node.x and not hasattr(node, "__array_interface__")
    with pytest.raises(AssertionError, match="not a number"):
        check_array("node", node, 6.0)
    with count_calls(proxy(learner, "Node").forward) as calls:
        node.forward(1.0)
        node.forward(2.0)
    assert calls.count == 2


@pytest.mark.parametrize(
    "name,words",
    [("generator", "generator"), ("subclass", "subclass of numpy.ndarray"), ("equal", "Equal"), ("huge", "MiB")],
)
def test_what_is_not_plain_data_is_a_failure_with_a_reason(learner, name, words):
    with pytest.raises(NotPlainData, match=words) as failure:
        proxy(learner, name)()
    assert isinstance(failure.value, AssertionError)  # a failed check, never a pass


def test_a_call_that_hangs_times_out_and_the_kernel_goes_on(learner):
    with pytest.raises(CallTimedOut):
        proxy(learner, "hangs")()
    with pytest.raises(CallTimedOut):  # the cell's time is used up: no more calls in it
        proxy(learner, "same")
    learner.new_cell()
    assert proxy(learner, "same")(4) == 4


def test_a_call_that_ignores_the_interrupt_stops_the_notebook(kernel):
    boundary = Boundary(kernel, timeout=1)
    try:
        with pytest.raises(KernelStopped) as stopped:
            proxy(boundary, "stubborn")()
        assert stopped.value.ignored_interrupt
    finally:
        boundary.close()
        kernel.restart_kernel(now=True)


@pytest.mark.parametrize(
    "payload",
    [
        {"$": "array", "i": 0, "dtype": "|O", "shape": [1], "b64": "gANLAS4="},
        {"$": "array", "i": 0, "dtype": "|V8", "shape": [1], "b64": "AAAAAAAAAAA="},
        {"$": "array", "i": 0, "dtype": "<f8", "shape": [10**12], "b64": ""},
        {"$": "array", "i": 0, "dtype": "<f8", "shape": [1], "b64": "not base64!"},
        {"$": "same", "i": 3},
        {"$": "tuple", "i": 0, "v": [{"$": "same", "i": 0}]},
        {"$": "dict", "i": 0, "v": [[{"$": "list", "i": 1, "v": []}, 1]]},
        {"$": "pickle", "v": "gANLAS4="},
        {"$": "dataclass", "cls": "os:system", "fields": {}},
        {"no tag": 1},
        [1, 2],
    ],
)
def test_the_checker_decodes_nothing_but_data(payload):
    decoder = wire.Decoder(lambda data: pytest.fail("resolved"), frozenset({"ref"}))
    with pytest.raises(wire.NotData):
        decoder.decode(payload)


def test_nesting_beyond_the_limit_is_refused():
    deep = [1.0]
    for _ in range(wire.MAX_DEPTH + 5):
        deep = [deep]
    with pytest.raises(wire.NotData):
        wire.Encoder(lambda value: None).encode(deep)
