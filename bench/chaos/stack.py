"""The stack as production runs it, one process group each, with a log file each.

gunicorn for the web, several `manage.py qcluster` for the workers, the Shopify simulator, Redis as
the broker. The harness acts as the supervisor the README describes: it restarts the workers when
`queue_health` fails, stopping a cluster with SIGTERM and, after STOP_SECONDS, SIGKILL to its
whole group (systemd's KillMode=control-group).
"""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[2]
MANAGE = [sys.executable, str(ROOT / "manage.py")]
STOP_SECONDS = 10


class Stack:
    def __init__(self, logs: Path, env: dict[str, str]) -> None:
        self.logs = logs
        self.env = env
        self.processes: dict[str, subprocess.Popen] = {}
        self.restarts = 0

    def start(self, name: str, argv: list[str], *, env: dict[str, str] | None = None) -> subprocess.Popen:
        log = open(self.logs / f"{name}.log", "ab")  # noqa: SIM115 (the child owns it for its life)
        process = subprocess.Popen(argv, cwd=ROOT, env=env or self.env, stdout=log, stderr=subprocess.STDOUT,
                                   start_new_session=True)
        log.close()
        self.processes[name] = process
        return process

    def stop(self, name: str) -> None:
        process = self.processes.pop(name, None)
        if process is None or process.poll() is not None:
            return
        _signal_group(process, signal.SIGTERM)
        try:
            process.wait(timeout=STOP_SECONDS)
        except subprocess.TimeoutExpired:   # a wedged cluster ignores SIGTERM (django-q2 issue 23)
            pass
        _signal_group(process, signal.SIGKILL)   # whatever is left of the group, children included
        process.wait(timeout=STOP_SECONDS)

    def stop_all(self) -> None:
        for name in reversed(list(self.processes)):
            self.stop(name)

    def start_workers(self, clusters: int) -> None:
        for n in range(1, clusters + 1):
            self.start(f"worker-{n}", [*MANAGE, "qcluster"])

    def restart_workers(self) -> None:
        """What the README's systemd units do when queue_health fails."""
        names = [name for name in self.processes if name.startswith("worker-")]
        for name in names:
            self.stop(name)
        self.start_workers(len(names))
        self.restarts += 1

    def worker_pids(self) -> set[int]:
        return {process.pid for name, process in self.processes.items() if name.startswith("worker-")}


def _signal_group(process: subprocess.Popen, signum: int) -> None:
    try:
        os.killpg(process.pid, signum)
    except ProcessLookupError:
        pass


def wait_until_answering(url: str, *, seconds: float, process: subprocess.Popen) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{url} did not start: its process exited with {process.returncode}")
        try:
            requests.get(url, timeout=1)
            return
        except requests.RequestException:
            time.sleep(0.2)
    raise RuntimeError(f"{url} did not answer within {seconds:.0f} s")
