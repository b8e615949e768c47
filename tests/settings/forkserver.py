"""Start ``python -m samverkan ...`` (or ``python -c ...``) cheaply, many times over.

A server process imports, once, the libraries that do not depend on the settings
(Django's management machinery, the ORM, psycopg, redis); for each run it forks a child
that takes the run's environment, working directory and arguments and then runs the
same entry point as ``python -m samverkan`` (``runpy``, as ``-m`` does) or the ``-c``
code, with its stdout and stderr in files and its exit status reported back. The child
is a real process: what the operator would see — exit code, stdout, stderr — is what
the tests read. Nothing of the settings exists before the fork (the server checks that
Django's settings are not configured and that no ``samverkan`` module is imported), so
each child configures them from its own environment, as a fresh interpreter would.

The server starts from the environment the runs are built from minus every variable a
run sets, so the pre-imported libraries saw no run's variable either."""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

_SERVER = r'''
import atexit, json, os, runpy, signal, sys, types

# Settings-independent imports, done once; the children inherit them.
import django
import django.core.management
import django.core.management.base
import django.db.models
import django.http
import django.urls
import psycopg
import redis
import holidays
import PIL.Image
import qrcode

from django.conf import settings
assert not settings.configured, "the fork server must not configure Django's settings"
assert not [m for m in sys.modules if m == "samverkan" or m.startswith("samverkan.")], "samverkan imported"
protocol_out = os.fdopen(os.dup(1), "w")
protocol_in = sys.stdin


def _exit_code(code):
    # What the interpreter does with SystemExit's code.
    if code is None:
        return 0
    if isinstance(code, int):
        return code
    sys.stderr.write(f"{code}\n")
    return 1


def child(run):
    signal.alarm(120)  # as subprocess.run(timeout=120): a run that hangs is killed
    os.chdir(run["cwd"])
    os.environ.clear()
    os.environ.update(run["env"])
    for fd, path in ((1, run["stdout"]), (2, run["stderr"])):
        target = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        os.dup2(target, fd)
        os.close(target)
    devnull = os.open(os.devnull, os.O_RDONLY)
    os.dup2(devnull, 0)
    os.close(devnull)
    try:
        if run["module"]:
            sys.argv = ["-m", *run["args"]]
            sys.path[0] = run["cwd"]  # python -m puts the working directory first
            runpy.run_module(run["module"], run_name="__main__", alter_sys=True)
        else:
            sys.argv = ["-c", *run["args"]]
            sys.path[0] = ""  # python -c puts the empty string (the working directory) first
            main = types.ModuleType("__main__")  # a fresh __main__, as -c runs in
            sys.modules["__main__"] = main
            exec(compile(run["code"], "<string>", "exec"), main.__dict__)
        code = 0
    except SystemExit as exc:
        code = _exit_code(exc.code)
    except BaseException:
        sys.excepthook(*sys.exc_info())
        code = 1
    try:
        atexit._run_exitfuncs()
    finally:
        for stream in (sys.stdout, sys.stderr):
            try:
                stream.flush()
            except Exception:
                pass
        os._exit(code)


protocol_out.write("ready\n")
protocol_out.flush()
for line in protocol_in:
    run = json.loads(line)
    sys.stdout.flush()
    sys.stderr.flush()
    pid = os.fork()
    if pid == 0:
        try:
            protocol_out.close()
            child(run)  # ends with os._exit
        finally:
            os._exit(70)  # never back into this loop
    _, status = os.waitpid(pid, 0)
    protocol_out.write(json.dumps(os.waitstatus_to_exitcode(status)) + "\n")
    protocol_out.flush()
'''


@dataclass
class Completed:
    """What subprocess.run returns, for the fields the tests read."""

    args: list[str]
    returncode: int
    stdout: str
    stderr: str


class ForkServer:
    def __init__(self, env: dict[str, str], workdir: Path) -> None:
        self._workdir = workdir
        self._count = 0
        self._process = subprocess.Popen(
            [sys.executable, "-c", _SERVER],
            env=env,
            cwd=workdir,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert self._process.stdout is not None
        ready = self._process.stdout.readline()
        assert ready == "ready\n", f"the fork server did not start: {ready!r}"

    def run(self, *, env: dict[str, str], cwd: Path, module: str = "", code: str = "", args: tuple[str, ...] = ()) -> Completed:
        """Like ``subprocess.run([python, "-m", module, *args])`` (or ``-c code``) with
        ``env`` and ``cwd``, capturing text output."""
        assert bool(module) != bool(code)
        assert self._process.stdin is not None and self._process.stdout is not None
        self._count += 1
        out = self._workdir / f"run-{self._count}.stdout"
        err = self._workdir / f"run-{self._count}.stderr"
        request = {"env": env, "cwd": str(cwd), "module": module, "code": code, "args": list(args),
                   "stdout": str(out), "stderr": str(err)}
        self._process.stdin.write(json.dumps(request) + "\n")
        self._process.stdin.flush()
        answer = self._process.stdout.readline()
        assert answer, "the fork server stopped"
        argv = [sys.executable, *(["-m", module] if module else ["-c", code]), *args]
        return Completed(argv, json.loads(answer), out.read_text(), err.read_text())

    def close(self) -> None:
        if self._process.stdin:
            self._process.stdin.close()
        self._process.wait(timeout=30)
        if self._process.stdout:
            self._process.stdout.close()


def start(env: dict[str, str], workdir: Path) -> ForkServer:
    return ForkServer({k: v for k, v in env.items() if k != "DJANGO_SETTINGS_MODULE"}, workdir)

