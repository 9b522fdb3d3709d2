"""The grading sandbox: every grading kernel runs inside bubblewrap (``bwrap``).

What a sandboxed kernel sees and may do:

* files: of the system, its commands, shared libraries, locales and fonts
  (SYSTEM_PARTS of ``/usr``) and a few files of ``/etc``; the interpreter, its
  standard library and the environment; and of the repository only ``bpkit/`` and
  ``assets/`` (plus the checker's agent), all read-only; one private, size-capped tmpfs at ``/tmp``
  (working directory and HOME) that disappears with the sandbox; and the folder
  holding its own kernel's Unix sockets, which the grader freezes (no new files)
  as soon as the kernel is up. The workspace, ``solutions/``, ``.git``, the
  grader's HOME and /tmp are not there at all.
* network: a network namespace of its own with only a loopback; the kernel
  talks to the grader over Unix sockets (jupyter_client's ``ipc`` transport).
* processes: a PID namespace of its own, so it can neither see nor signal
  anything outside; when the sandbox ends, the namespace and everything started
  in it end too (a warm sandbox, autograder.warm_start, kills what each kernel
  started before it forks the next). Under a root grader each sandbox runs as its own unprivileged
  uid, so its process limit (which stops fork bombs) is its own.
* resources: address space, CPU seconds and processes are capped with rlimits,
  the scratch by the tmpfs size; the out-of-memory killer takes sandbox
  processes first (oom_score_adj 1000).

Interrupts are sent as Jupyter ``interrupt_request`` messages: a signal to the
kernel's process group would end bwrap itself.
"""

from __future__ import annotations

import glob
import json
import os
import resource
import shutil
import site
import subprocess
import sys
import sysconfig
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import psutil
from jupyter_client.kernelspec import KernelSpec
from jupyter_client.manager import AsyncKernelManager

from autograder.defaults import ONE_BLAS_THREAD
from autograder.errors import CourseError
from autograder.grading.zygote import SCRATCH_FOLDERS
from autograder.paths import REPO

SANDBOX_UID_BASE = 1 << 24
"""A root grader runs each sandbox as uid SANDBOX_UID_BASE + the grading process's pid: unique while it runs."""

SOCKETS_INSIDE = "/run/kernel"
"""Where the sandbox sees the folder of its kernel's sockets and connection file."""

KERNEL_ARGV = [sys.executable, "-m", "autograder.grading.kernel_start", "-f", f"{SOCKETS_INSIDE}/inside.json"]

KERNEL_ENV = {
    "PATH": "/usr/local/bin:/usr/bin:/bin",
    "HOME": "/tmp/home",
    "LANG": "C.UTF-8",
    "MPLBACKEND": "Agg",
    "PYTHONDONTWRITEBYTECODE": "1",
    # bpkit and the agent from the course the grader runs, however it was installed (editable, or on PYTHONPATH)
    "PYTHONPATH": str(REPO),
    **ONE_BLAS_THREAD,
}
"""The environment of a grading kernel: nothing of the grader's is passed on but PASSED_ON."""

PASSED_ON = ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE")
"""The grader's variables a kernel gets too: workarounds some machines set for OpenBLAS on their processor."""

SYSTEM_PARTS = ("/usr/bin", "/usr/lib64", "/usr/lib/locale", "/usr/share/fonts")
"""What of /usr a kernel sees, with the shared libraries (_system_parts): the commands the zygote runs (ipcrm,
setpriv), the loader, the locales and the fonts matplotlib's font list names. Compilers, headers, documentation
and other programs' files stay out: less to read for learner code, and less for a walk of / to cost."""

ETC_FILES = (
    "ld.so.cache",
    "ld.so.conf",
    "ld.so.conf.d",
    "localtime",
    "nsswitch.conf",
    "passwd",
    "group",
    "hosts",
    "fonts",
    "ssl/openssl.cnf",
)
"""The only parts of /etc a kernel sees."""

LEARNER_PATHS = (
    REPO / "bpkit",
    REPO / "assets",
    REPO / "autograder" / "__init__.py",
    *(
        REPO / "autograder" / "grading" / name
        for name in ("__init__.py", "agent.py", "wire.py", "zygote.py", "kernel_start.py")
    ),
)
"""What of the repository learner code may read: the helper package, its data, the checker's agent, the
zygote that forks warm kernels (autograder.warm_start) and what each kernel runs first (kernel_start)."""


@dataclass(frozen=True)
class Limits:
    """What one grading kernel may use."""

    memory: int = 4 * 1024**3
    """Bytes of address space per process: a runaway allocation fails inside the kernel with MemoryError."""
    cpu_seconds: int = 300
    """CPU seconds per process (the kernel runs a whole notebook)."""
    processes: int = 128
    """Processes and threads in the sandbox: a fork bomb stops there."""
    scratch: int = 256 * 1024**2
    """Bytes of the private /tmp (working directory and HOME)."""


class SandboxUnavailable(CourseError):
    """The sandbox cannot be made on this machine; the message says why and how to fix it."""


def sandbox_uid() -> int:
    """The uid the sandbox runs as: its own one under a root grader, else the grader's."""
    return SANDBOX_UID_BASE + os.getpid() if os.geteuid() == 0 else os.geteuid()


def _system_binds() -> list[tuple[str, str]]:
    """(option, path) pairs for the read-only system: SYSTEM_PARTS, the /bin-style links, selected /etc files."""
    binds = [("--ro-bind", path) for path in _system_parts()]
    for top in ("/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32"):
        if os.path.islink(top):
            binds.append(("--symlink", top))
        elif os.path.isdir(top):
            binds.append(("--ro-bind", top))
    binds += [("--ro-bind", f"/etc/{name}") for name in ETC_FILES if os.path.exists(f"/etc/{name}")]
    return binds


def _system_parts() -> list[str]:
    """The parts of /usr in SYSTEM_PARTS and the shared libraries' folders (/usr/lib/<multiarch>) there are."""
    return [path for path in (*SYSTEM_PARTS, *sorted(glob.glob("/usr/lib/*-linux-gnu*"))) if os.path.isdir(path)]


def _python_paths() -> list[str]:
    """What the interpreter runs from: the environment (all of it), the interpreter's folder, the standard
    library and the shared libpython. Not the rest of the installation (its headers, its own site-packages)."""
    paths = [sys.prefix, os.path.dirname(os.path.realpath(sys.executable)), sysconfig.get_path("stdlib")]
    if sysconfig.get_config_var("Py_ENABLE_SHARED"):
        paths.append(os.path.join(sysconfig.get_config_var("LIBDIR"), sysconfig.get_config_var("INSTSONAME")))
    return _outermost([os.path.realpath(path) for path in paths if os.path.exists(path)], _system_parts())


def _outermost(paths: list[str], bound: list[str]) -> list[str]:
    """``paths`` without those inside another one or inside ``bound``, each once."""
    found: list[str] = []
    for path in sorted(paths, key=len):
        if not any(path == p or path.startswith(p + "/") for p in (*bound, *found)):
            found.append(path)
    return found


def _hidden_site_packages() -> list[str]:
    """The base installation's own site-packages, when the grader runs in a virtual environment (which never
    reads it) and it lies inside the bound standard library: bwrap arguments covering it with an empty,
    read-only folder."""
    base = site.getsitepackages([sys.base_prefix]) if sys.prefix != sys.base_prefix else []
    stdlib = os.path.realpath(sysconfig.get_path("stdlib"))
    inside = [real for real in map(os.path.realpath, base) if real.startswith(stdlib + "/") and os.path.isdir(real)]
    return [arg for path in inside for arg in ("--tmpfs", path, "--remount-ro", path)]


def _parents(paths: list[str]) -> list[str]:
    """Every folder above the given absolute paths, outermost first, without / itself."""
    found = {str(parent) for path in paths for parent in Path(path).parents if str(parent) != "/"}
    return sorted(found, key=lambda folder: (folder.count("/"), folder))


def _mounts(socket_dir: Path, limits: Limits) -> list[str]:
    """bwrap arguments for the sandbox's file system: read-only system and Python, bpkit, a private /tmp.

    In this order: the system, then the scratch /tmp, then the Python environment and the repository's
    parts, so that a repository or environment that lives under /tmp is bound over the scratch, not hidden
    by it.
    """
    system = _system_binds()
    ours = [*_python_paths(), *(str(p) for p in LEARNER_PATHS if p.exists())]
    args = _folders([path for _, path in system])
    for option, path in system:
        args += ["--symlink", os.readlink(path), path] if option == "--symlink" else [option, path, path]
    args += [
        "--proc",
        "/proc",
        "--dev",
        "/dev",
        "--mqueue",
        "/dev/mqueue",
        "--perms",
        "1777",
        "--size",
        str(limits.scratch),
        "--tmpfs",
        "/tmp",
        *(arg for folder in SCRATCH_FOLDERS for arg in ("--perms", "0777", "--dir", folder)),
        *_font_cache(),
        *_folders([*ours, SOCKETS_INSIDE]),
    ]
    for path in ours:
        args += ["--ro-bind", path, path]
    return args + _hidden_site_packages() + ["--bind", str(socket_dir), SOCKETS_INSIDE]


def _folders(paths: list[str]) -> list[str]:
    """bwrap arguments making the folders above ``paths`` readable (bwrap would make them 0700);
    /tmp, the scratch, is left as it is."""
    return [arg for parent in _parents(paths) if parent != "/tmp" for arg in ("--perms", "0755", "--dir", parent)]


@lru_cache(maxsize=1)
def _font_cache() -> tuple[str, ...]:
    """bwrap arguments lending matplotlib's font list to the sandbox, read-only: without it every kernel
    would spend a second or two scanning the fonts again."""
    from matplotlib import font_manager, get_cachedir

    font_manager.fontManager  # noqa: B018 - loading it writes the list if the grader has none yet
    name = f"fontlist-v{font_manager.FontManager.__version__}.json"
    listed = Path(get_cachedir()) / name
    return ("--ro-bind", str(listed), f"{SCRATCH_FOLDERS[-1]}/{name}") if listed.is_file() else ()


def _identity(uid: int) -> tuple[list[str], list[str]]:
    """bwrap options and a command prefix that make the sandboxed process run as ``uid`` without privileges.

    A root grader runs bwrap privileged (it can read a Python installed under /root) and has setpriv
    switch to the sandbox's own uid, with no capabilities and no way to gain any; anyone else uses
    bwrap unprivileged, in a user namespace of its own.
    """
    if os.geteuid() != 0:
        return ["--unshare-user", "--disable-userns", "--cap-drop", "ALL"], []
    setpriv = shutil.which("setpriv") or "setpriv"
    return (
        ["--cap-drop", "ALL", "--cap-add", "CAP_SETUID", "--cap-add", "CAP_SETGID", "--cap-add", "CAP_SETPCAP"],
        [
            setpriv,
            f"--reuid={uid}",
            f"--regid={uid}",
            "--clear-groups",
            "--inh-caps=-all",
            "--bounding-set=-all",
            "--no-new-privs",
            "--",
        ],
    )


def bwrap_command(socket_dir: Path, limits: Limits, argv: list[str], uid: int, *, as_init: bool = False) -> list[str]:
    """The full bwrap command line running ``argv`` in a fresh sandbox.

    With ``as_init``, ``argv`` is the PID namespace's init (pid 1) instead of bwrap's own reaper: no
    process in the sandbox can then signal it (the kernel delivers to a namespace's init, from inside,
    only the signals it has a handler for), and it must reap the orphans itself.
    """
    variables = {**KERNEL_ENV, **{name: os.environ[name] for name in PASSED_ON if name in os.environ}}
    env = [arg for name, value in variables.items() for arg in ("--setenv", name, value)]
    options, prefix = _identity(uid)
    return [
        shutil.which("bwrap") or "bwrap",
        "--unshare-ipc",
        "--unshare-pid",
        "--unshare-net",
        "--unshare-uts",
        "--unshare-cgroup-try",
        "--die-with-parent",
        "--new-session",
        *(["--as-pid-1"] if as_init else []),
        *options,
        "--hostname",
        "grading",
        "--clearenv",
        *env,
        *_mounts(socket_dir, limits),
        "--chdir",
        "/tmp/work",
        "--",
        *prefix,
        *argv,
    ]


def _user_processes() -> int:
    """How many processes and threads this user runs now (RLIMIT_NPROC counts both)."""
    import psutil

    me = os.geteuid()
    return sum(
        p.info["num_threads"] or 1
        for p in psutil.process_iter(["uids", "num_threads"])
        if p.info["uids"] and p.info["uids"].real == me
    )


def limit_process(limits: Limits) -> Callable[[], None]:
    """A preexec function for bwrap: cap resources and make the OOM killer take the sandbox first."""
    # RLIMIT_NPROC counts per uid: under root, the sandbox's own; otherwise the user's, so leave room for the rest.
    processes = limits.processes + (0 if os.geteuid() == 0 else _user_processes())

    def apply() -> None:  # runs in the child between fork and exec, inherited by the whole sandbox
        with open("/proc/self/oom_score_adj", "w") as handle:
            handle.write("1000")
        resource.setrlimit(resource.RLIMIT_AS, (limits.memory, limits.memory))
        resource.setrlimit(resource.RLIMIT_CPU, (limits.cpu_seconds, limits.cpu_seconds + 5))
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
        resource.setrlimit(resource.RLIMIT_NPROC, (processes, processes))

    return apply


BWRAP_EXIT = 10.0
"""Seconds bwrap gets to reap the namespace's init and exit, once everything under it is killed."""


def kill_tree(process: subprocess.Popen) -> None:
    """Kill everything under a sandbox's bwrap, then bwrap, and wait until all of it is gone.

    bwrap goes last so that it reaps the namespace's init, which reaps the rest as the namespace ends.
    Killed together, that init would be left to the host's init as a zombie of the sandbox's uid, for as
    long as the host takes to reap it."""
    import psutil

    try:
        inside = psutil.Process(process.pid).children(recursive=True)
    except psutil.NoSuchProcess:
        inside = []
    for member in inside:
        with suppress(psutil.NoSuchProcess):
            member.kill()
    try:
        process.wait(timeout=BWRAP_EXIT)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
    psutil.wait_procs(inside, timeout=BWRAP_EXIT)  # reaped by now: the namespace ended before bwrap did


class SandboxedKernelManager(AsyncKernelManager):
    """A kernel manager whose kernel runs inside bwrap and talks over Unix sockets in ``socket_dir``."""

    def __init__(self, socket_dir: Path, limits: Limits, **kwargs: object) -> None:
        super().__init__(transport="ipc", ip=str(socket_dir / "kernel"), **kwargs)
        self.socket_dir = socket_dir
        self.limits = limits
        self.uid = sandbox_uid()
        self.connection_file = str(socket_dir / "kernel.json")
        self.sockets_inside = SOCKETS_INSIDE
        """Where the kernel sees ``socket_dir``."""
        self._kernel_spec = KernelSpec(
            argv=KERNEL_ARGV, display_name="Python 3 (sandboxed)", language="python", interrupt_mode="message"
        )

    def format_kernel_cmd(self, extra_arguments: list[str] | None = None) -> list[str]:
        self._write_inside_connection_file()
        return bwrap_command(self.socket_dir, self.limits, super().format_kernel_cmd(extra_arguments), self.uid)

    async def _async_launch_kernel(self, kernel_cmd: list[str], **kw: object) -> None:
        kw.update(preexec_fn=limit_process(self.limits), cwd=str(self.socket_dir), env={})
        await super()._async_launch_kernel(kernel_cmd, **kw)

    def _write_inside_connection_file(self) -> None:
        """The connection file as the kernel sees it: the same keys, the sockets under ``sockets_inside``."""
        info = json.loads(Path(self.connection_file).read_text())
        info["ip"] = f"{self.sockets_inside}/kernel"
        inside = self.socket_dir / "inside.json"
        inside.write_text(json.dumps(info))
        os.chown(inside, self.uid, -1)
        os.chmod(inside, 0o400)

    def destroy(self) -> None:
        """Kill everything in the sandbox and wait until it is gone (nbclient does not stop a kernel it was given)."""
        process = self.provisioner.process if self.provisioner is not None else None
        if process is not None:
            kill_tree(process)

    def freeze(self) -> None:
        """Once the kernel has bound its sockets: no file can be added to or removed from their folder."""
        os.chown(self.socket_dir, os.geteuid(), -1)
        os.chmod(self.socket_dir, 0o555)


@contextmanager
def socket_folder() -> Iterator[Path]:
    """A folder for one kernel's Unix sockets: private to the grader, writable by the sandbox until frozen."""
    outer = new_scratch(SOCKETS_KIND)
    inner = outer / "ipc"
    try:
        inner.mkdir(mode=0o700)
        os.chown(inner, sandbox_uid(), -1)
        yield inner
    finally:
        remove_scratch(outer)


SOCKETS_KIND = "sandbox"
"""The kind in a cold sandbox's folder name (``new_scratch``)."""


def scratch_prefix(kind: str) -> str:
    """A sandbox's folder is named ``<prefix><pid of its grading process>-<random>``."""
    return f"bpcourse-{kind}-"


def new_scratch(kind: str) -> Path:
    """A folder for a new sandbox of this grading process, made after removing those of graders that are gone
    (a grader killed with SIGKILL cannot remove its own; its sandbox died with it, bwrap's --die-with-parent)."""
    prefix = scratch_prefix(kind)
    for folder in Path(tempfile.gettempdir()).glob(f"{prefix}*-*"):
        owner = folder.name.removeprefix(prefix).split("-", 1)[0]
        if owner.isdigit() and not psutil.pid_exists(int(owner)) and folder.is_dir() and not folder.is_symlink():
            remove_scratch(folder)
    return Path(tempfile.mkdtemp(prefix=f"{prefix}{os.getpid()}-"))


def remove_scratch(outer: Path) -> None:
    """Remove a sandbox's folder, whose socket folder ``ipc`` may have been made read-only to the grader."""
    with suppress(OSError):
        os.chmod(outer / "ipc", 0o700)
    shutil.rmtree(outer, ignore_errors=True)


def _advice(stderr: str) -> str:
    lowered = stderr.lower()
    if "permission denied" in lowered or "operation not permitted" in lowered or "namespace" in lowered:
        return (
            "user namespaces are not allowed for this user. Allow them with "
            "`sysctl -w user.max_user_namespaces=10000` (and, on Debian before 11, "
            "`sysctl -w kernel.unprivileged_userns_clone=1`; on Ubuntu 23.10 and later, "
            "`sysctl -w kernel.apparmor_restrict_unprivileged_userns=0` or an AppArmor profile for bwrap)"
        )
    return "bwrap could not start a sandbox"


@lru_cache(maxsize=1)
def _probe() -> str | None:
    """Why no sandbox can be made here, or None when one can (tried once per process, with the real options)."""
    if not sys.platform.startswith("linux"):
        return f"the sandbox needs Linux namespaces (bubblewrap); this is {sys.platform}"
    if shutil.which("bwrap") is None:
        return (
            "bubblewrap is not installed: `apt-get install bubblewrap` (Debian, Ubuntu), "
            "`dnf install bubblewrap` (Fedora) or `pacman -S bubblewrap` (Arch)"
        )
    limits = Limits()
    with socket_folder() as folder:
        command = bwrap_command(folder, limits, [sys.executable, "-c", "import bpkit"], sandbox_uid())
        done = subprocess.run(
            command, capture_output=True, text=True, timeout=60, env={}, preexec_fn=limit_process(limits)
        )
    if done.returncode != 0:
        return f"{_advice(done.stderr)}; bwrap said: {done.stderr.strip()[:300]}"
    return None


def ensure_available() -> None:
    """Raise SandboxUnavailable, with the reason and the fix, if grading kernels cannot be sandboxed here."""
    reason = _probe()
    if reason:
        raise SandboxUnavailable(
            f"cannot grade in a sandbox: {reason}. To grade without one (only for code you trust), pass --no-sandbox."
        )


def describe() -> str:
    """One line for people: what the sandbox does."""
    return (
        "sandboxed (bubblewrap: no network, no view of the workspace or solutions/, own process namespace, "
        f"{Limits().memory // 1024**3} GiB memory, {Limits().scratch // 1024**2} MiB scratch)"
    )
