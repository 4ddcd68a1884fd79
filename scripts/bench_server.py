"""The benchmark's server and client: gunicorn started and stopped on a free loopback port,
its workers' CPU time from /proc, and a tiny HTTP client for a signed-in session."""
import http.client
import os
import re
import signal
import socket
import subprocess
import sys
import time
import uuid
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
USER_AGENT = "redress-bench/1"
WORKERS = 2


def log(*parts) -> None:
    print(*parts, file=sys.stderr, flush=True)


# --------------------------------------------------------------------------- HTTP client

class Client:
    """A tiny HTTP client for one signed-in session (a new connection per request: gunicorn's
    sync workers close the connection after each response)."""

    def __init__(self, port: int):
        self.port = port
        self.cookies: dict[str, str] = {}
        self.token: str | None = None  # the CSRF token for POSTs, when the user may post

    def copy(self) -> "Client":
        """Another client in the same session (for another thread)."""
        other = Client(self.port)
        other.cookies, other.token = dict(self.cookies), self.token
        return other

    def request(self, method: str, path: str, body: bytes | None = None,
                headers: dict | None = None, keep_cookies: bool = True):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        try:
            h = {"User-Agent": USER_AGENT, "Accept-Language": "zh-CN,zh;q=0.9,en;q=0.5"}
            if self.cookies:
                h["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
            h.update(headers or {})
            conn.request(method, path, body=body, headers=h)
            response = conn.getresponse()
            data = response.read()
            if keep_cookies:
                for header in response.headers.get_all("Set-Cookie") or []:
                    for key, morsel in SimpleCookie(header).items():
                        self.cookies[key] = morsel.value
            return response.status, data
        finally:
            conn.close()


def csrf_token(html: bytes) -> str:
    m = re.search(rb'name="csrf_token"[^>]*value="([^"]+)"', html) or re.search(
        rb'value="([^"]+)"[^>]*name="csrf_token"', html)
    if not m:
        raise RuntimeError("no CSRF token in the form")
    return m.group(1).decode()


def sign_in(port: int, username: str, password: str) -> Client:
    client = Client(port)
    status, html = client.request("GET", "/login")
    if status != 200:
        raise RuntimeError(f"GET /login answered {status}")
    body = urlencode({"csrf_token": csrf_token(html), "username": username,
                      "password": password}).encode()
    status, _ = client.request("POST", "/login", body, {
        "Content-Type": "application/x-www-form-urlencoded"})
    if status != 303:
        raise RuntimeError(f"sign-in as {username} failed ({status})")
    return client


def multipart(fields: dict) -> tuple[bytes, str]:
    boundary = "----redress-bench-" + uuid.uuid4().hex
    out = []
    for name, value in fields.items():
        out.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'
                   f"{value}\r\n".encode())
    out.append(f'--{boundary}\r\nContent-Disposition: form-data; name="evidence"; '
               f'filename=""\r\nContent-Type: application/octet-stream\r\n\r\n\r\n'.encode())
    out.append(f"--{boundary}--\r\n".encode())
    return b"".join(out), f"multipart/form-data; boundary={boundary}"


# --------------------------------------------------------------------------- gunicorn

def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_gunicorn(data_dir: Path, port: int, log_file):
    gunicorn = Path(sys.executable).parent / "gunicorn"
    if not gunicorn.exists():
        gunicorn = ROOT / ".venv" / "bin" / "gunicorn"
    env = dict(os.environ, REDRESS_INSTANCE=str(data_dir),
               DATABASE_URL=f"sqlite:///{data_dir / 'redress.db'}")
    env.pop("GUNICORN_WORKERS", None)
    cmd = [str(gunicorn), "-c", "deploy/gunicorn.conf.py", "--no-control-socket",
           "-w", str(WORKERS), "-b", f"127.0.0.1:{port}", "wsgi:app"]
    return subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=log_file, stderr=subprocess.STDOUT,
                            start_new_session=True)


def wait_healthy(proc, port: int, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {proc.returncode}; see its log")
        try:
            status, body = Client(port).request("GET", "/healthz")
            if status == 200:
                return
            log(f"/healthz: {status} {body[:200]!r}")
        except OSError:
            pass
        time.sleep(0.2)
    raise RuntimeError("gunicorn did not become healthy in time")


def stop_gunicorn(proc) -> None:
    if proc is None or proc.poll() is not None:
        return
    proc.send_signal(signal.SIGTERM)  # graceful: the master stops its workers
    try:
        proc.wait(timeout=35)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()


def worker_pids(master: int) -> list[int]:
    try:
        text = Path(f"/proc/{master}/task/{master}/children").read_text()
        return sorted(int(p) for p in text.split())
    except OSError:
        pids = []
        for entry in Path("/proc").iterdir():
            if entry.name.isdigit():
                try:
                    stat = (entry / "stat").read_text()
                except OSError:
                    continue
                if int(stat.rsplit(")", 1)[1].split()[1]) == master:
                    pids.append(int(entry.name))
        return sorted(pids)


TICK = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pids: list[int]) -> float:
    """utime + stime of the processes, in seconds (from /proc/<pid>/stat)."""
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:  # a worker that died; the run reports the change
            continue
        total += int(fields[11]) + int(fields[12])  # fields 14 and 15 of stat(5)
    return total / TICK
