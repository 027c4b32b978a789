"""Services a bench starts for itself on the loopback: a free port, a throwaway redis-server."""
from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_redis() -> tuple[subprocess.Popen | None, str]:
    """A redis-server on a free loopback port, or None and the reason it could not start."""
    if shutil.which("redis-server") is None:
        if os.geteuid() != 0 or shutil.which("apt-get") is None:
            return None, "redis-server is not installed and this user cannot apt-get install it"
        installed = subprocess.run(["apt-get", "install", "-y", "-q", "redis-server"], capture_output=True, text=True,
                                   env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"})
        if installed.returncode != 0 or shutil.which("redis-server") is None:
            return None, f"apt-get install redis-server failed: {installed.stderr.strip()[-300:]}"
    port = free_port()
    server = subprocess.Popen(["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "",
                               "--appendonly", "no"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(50):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return server, f"redis://127.0.0.1:{port}/0"
        except OSError:
            time.sleep(0.1)
    server.kill()
    return None, "redis-server did not start listening"
