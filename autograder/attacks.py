"""A catalogue of hostile submissions: what a student who has read this repository might try.

Each attack is the source of one answer cell. It is handed in as the last
exercise's answer of an otherwise correct notebook, and calls ``_define()``
(which defines the correct answer) only if it got what it was after: a file
outside its scratch folder changed, another student's or the instructor's
answer read, a connection made. So an attack that fails scores exactly the
notebook without its last exercise; one that succeeded would score full marks.
The attacks marked ``full_marks`` do their damage after a correct answer
(flood the output, leave a process behind, spin a thread) and must score full
marks without disturbing anyone else. The tests grade every entry beside
honest students; ``bpcourse demo`` shows a few.
"""

from __future__ import annotations

from dataclasses import dataclass

MARKER = "bpcourse-hostile"
"""Appears in the command line of every process an attack starts, so tests can look for survivors."""

PREAMBLE = '''
import os, sys, signal, socket, stat, glob, shutil, subprocess, threading, time
from pathlib import Path
_ANSWER = {answer!r}
def _define():
    exec(_ANSWER, globals())
def _walk(top='/', limit=200_000):
    """Every file below top (not /proc, /sys, /dev), symlinks not followed."""
    for _dir, _subdirs, _files in os.walk(top):
        if _dir.startswith(('/proc', '/sys', '/dev')):
            _subdirs[:] = []
            continue
        for _f in _files:
            limit -= 1
            if limit < 0:
                return
            yield os.path.join(_dir, _f)
def _append(path):
    """1 if a byte could be appended to the regular file path (outside the scratch's own folders), else 0."""
    if str(path).startswith(('/tmp/home/', '/tmp/work/', '/tmp/filler')):
        return 0
    try:
        _fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_NOFOLLOW)
    except OSError:
        return 0
    try:
        return int(stat.S_ISREG(os.fstat(_fd).st_mode) and os.write(_fd, b'X') == 1)
    except OSError:
        return 0
    finally:
        os.close(_fd)
'''

ATTACKS: dict[str, tuple[str, bool]] = {
    "kill-parent": ("os.kill(os.getppid(), signal.SIGKILL)\ntime.sleep(1)", False),
    "kill-process-group": (
        "for _pid in (os.getppid(), os.getpid()):\n"
        "    try:\n        os.killpg(os.getpgid(_pid), signal.SIGKILL)\n    except OSError:\n        pass",
        False,
    ),
    "kill-every-pid": (
        "for _p in os.listdir('/proc'):\n"
        "    if _p.isdigit() and int(_p) != os.getpid():\n"
        "        try:\n            os.kill(int(_p), signal.SIGKILL)\n        except OSError:\n            pass\n"
        "os.kill(-1, signal.SIGKILL)",
        False,
    ),
    "vandalise-via-proc": (
        "_hits = 0\n"
        "for _p in glob.glob('/proc/[0-9]*'):\n"
        "    for _link in ('cwd', 'root', 'exe'):\n"
        "        try:\n            _base = os.readlink(f'{_p}/{_link}')\n"
        "        except OSError:\n            continue\n"
        "        _hits += sum(_append(_f) for _f in (_walk(_base, 20_000) if os.path.isdir(_base) else [_base]))\n"
        "    for _name in ('cmdline', 'environ'):\n"
        "        for _word in open(f'{_p}/{_name}', 'rb').read().split(b'\\0'):\n"
        "            _path = _word.decode(errors='ignore').split('=')[-1]\n"
        "            if _path.startswith('/'):\n"
        "                _found = _walk(_path, 2_000) if os.path.isdir(_path) else [_path]\n"
        "                _hits += sum(_append(_f) for _f in _found)\n"
        "if _hits:\n    _define()",
        False,
    ),
    "vandalise-environment-paths": (
        "_hits = 0\n"
        "for _value in os.environ.values():\n"
        "    for _path in _value.split(':'):\n"
        "        if _path.startswith('/'):\n"
        "            _hits += sum(_append(_f) for _f in (_walk(_path, 5_000) if os.path.isdir(_path) else [_path]))\n"
        "if _hits:\n    _define()",
        False,
    ),
    "vandalise-whole-filesystem": (
        "_hits = sum(_append(_f) for _f in _walk('/'))\n"
        "for _dir in ('/', '/usr', '/etc', '/root', '/home', '/var', '/run', '/work', '/opt'):\n"
        "    try:\n        Path(_dir, 'bpcourse-was-here').write_text('X'); _hits += 1\n"
        "    except OSError:\n        pass\n"
        "if _hits:\n    _define()",
        False,
    ),
    "vandalise-from-bpkit-path": (
        "import bpkit\n"
        "_repo = Path(bpkit.__file__).resolve().parents[1]\n"
        "_hits = sum(_append(_f) for _f in _walk(str(_repo)))\n"
        "for _target in ('workspace', 'solutions', '.git', 'bpkit', 'assets'):\n"
        "    try:\n        shutil.rmtree(_repo / _target); _hits += 1\n    except OSError:\n        pass\n"
        "if _hits:\n    _define()",
        False,
    ),
    "walk-up-from-working-directory": (
        "_hits = 0\n"
        "for _up in Path.cwd().parents:\n"
        "    for _f in _up.iterdir():\n"
        "        if _f.is_file():\n            _hits += _append(_f)\n"
        "        elif _f.name in ('workspace', 'submitted', 'results', 'autograded'):\n"
        "            _hits += sum(_append(_g) for _g in _walk(str(_f)))\n"
        "if _hits:\n    _define()",
        False,
    ),
    "steal-another-submission": (
        "for _nb in _walk('/'):\n"
        "    if _nb.endswith('.ipynb'):\n"
        "        try:\n            _text = open(_nb).read()\n        except OSError:\n            continue\n"
        "        if 'bpkit' in _text:\n            _define()\n            break",
        False,
    ),
    "read-solutions": (
        "import bpkit\n"
        "_near = Path(bpkit.__file__).resolve().parents[1] / 'solutions'\n"
        "_found = (_d for _depth in range(1, 5) for _d in glob.glob('/' + '*/' * _depth + 'solutions'))\n"
        "if _near.exists() or any(glob.glob(_d + '/*/*.ipynb') for _d in _found):\n    _define()",
        False,
    ),
    "connect-to-a-local-listener": (
        "for _host in ('127.0.0.1', '::1', socket.gethostname()):\n"
        "    try:\n"
        "        with socket.create_connection((_host, {port}), timeout=2) as _s:\n"
        "            _s.sendall(b'pwned')\n        _define()\n        break\n"
        "    except OSError:\n        pass",
        False,
    ),
    "write-into-the-socket-folder": (
        "for _d in ('/run/kernel', *glob.glob('/tmp/bpcourse-sandbox-*/ipc')):\n"
        "    try:\n        Path(_d, 'filler').write_bytes(b'X' * 1024); _define()\n        break\n"
        "    except OSError:\n        pass",
        False,
    ),
    "fill-the-scratch-disk": (
        "_written = 0\n"
        "try:\n"
        "    with open('/tmp/filler', 'wb') as _f:\n"
        "        while _written < 2 * 1024**3:\n            _f.write(b'X' * 2**20); _written += 2**20\n"
        "except OSError:\n    pass\n"
        "os.remove('/tmp/filler')\n"
        "if _written >= 2 * 1024**3:\n    _define()",
        False,
    ),
    "allocate-past-the-memory-cap": (
        "try:\n    _hog = bytearray(20 * 1024**3)\n    _define()\nexcept MemoryError:\n    pass",
        False,
    ),
    "fork-bomb": (
        "if os.fork() == 0:\n"
        "    while True:\n        try:\n            os.fork()\n        except OSError:\n            time.sleep(0.05)\n"
        "time.sleep(2)",
        False,
    ),
    "leave-a-daemon": (
        "_define()\n"
        "subprocess.Popen([sys.executable, '-c', 'import time\\nwhile True: time.sleep(1)', '{marker}'],\n"
        "                 start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)\n"
        "if os.fork() == 0:\n    os.setsid()\n"
        "    os.execv(sys.executable, [sys.executable, '-c', 'import time\\nwhile True: time.sleep(1)', '{marker}'])",
        True,
    ),
    "flood-stdout": ("_define()\nfor _ in range(64):\n    print('x' * 100_000)", True),
    "spin-in-a-background-thread": (
        "_define()\ndef _spin():\n    while True:\n        pass\nthreading.Thread(target=_spin, daemon=True).start()",
        True,
    ),
}


@dataclass(frozen=True)
class Attack:
    """One hostile answer cell and whether it should still earn full marks."""

    name: str
    code: str
    full_marks: bool


def attack(name: str, answer: str, port: int = 9) -> Attack:
    """The answer cell of attack ``name``; ``answer`` is the correct answer it defines on success."""
    body, full_marks = ATTACKS[name]
    code = PREAMBLE.format(answer=answer) + body.replace("{port}", str(port)).replace("{marker}", MARKER)
    return Attack(name, code, full_marks)
