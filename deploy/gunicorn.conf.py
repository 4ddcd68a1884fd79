"""gunicorn settings for Redress.

    gunicorn --config deploy/gunicorn.conf.py wsgi:app

Command-line options override these; so do the environment variables named below (set them
in /etc/redress/redress.env, see docs/deploy.md):

    GUNICORN_BIND             where to listen (default 127.0.0.1:8000: only the proxy talks to it)
    GUNICORN_WORKERS          worker processes (default 2 per CPU, at most 8: 2 on a 1-vCPU VPS)
    GUNICORN_TIMEOUT          seconds a request may take before its worker is restarted (60)
    GUNICORN_ACCESSLOG        access log file ("-" = standard output, i.e. the journal)
    GUNICORN_CONTROL_SOCKET   control socket for `gunicornc` ("off" to disable)
    FORWARDED_ALLOW_IPS       proxies whose X-Forwarded-Proto is trusted (127.0.0.1,::1)
"""
import os
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent


def _cpu_count() -> int:
    try:
        return len(os.sched_getaffinity(0))  # CPUs this process may use (containers, taskset)
    except AttributeError:
        return os.cpu_count() or 1


bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", min(_cpu_count() * 2, 8)))
worker_class = "sync"  # the reverse proxy buffers slow clients (see deploy/nginx.conf)
threads = 1
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))  # a long dossier PDF takes ~5 s
graceful_timeout = 30
keepalive = 5
# Restart each worker now and then, so memory a big PDF took is given back (1 GB VPS).
max_requests = 1000
max_requests_jitter = 100
if os.access("/dev/shm", os.W_OK):
    worker_tmp_dir = "/dev/shm"  # worker heartbeats never wait on a busy disk
proc_name = "redress"

# Logs: both to standard output by default, which systemd puts in the journal
# (journalctl -u redress). The access log shows the client address the proxy saw
# (X-Forwarded-For) and the time taken; no query strings carry secrets in this app.
accesslog = os.environ.get("GUNICORN_ACCESSLOG", "-")
errorlog = os.environ.get("GUNICORN_ERRORLOG", "-")
access_log_format = ('%(h)s fwd=%({x-forwarded-for}i)s %(u)s %(t)s "%(r)s" %(s)s %(b)s '
                     '"%(f)s" "%(a)s" %(M)sms')
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")


def _control_socket() -> str:
    """One control socket per installation (gunicorn 27's shared default path would be taken
    over by a second instance): systemd's RuntimeDirectory (/run/redress), else the
    instance folder."""
    chosen = os.environ.get("GUNICORN_CONTROL_SOCKET", "").strip()
    if chosen:
        return "" if chosen.lower() in ("off", "0", "no", "false") else chosen
    folder = os.environ.get("RUNTIME_DIRECTORY", "").split(":")[0]
    if not folder:
        folder = os.environ.get("REDRESS_INSTANCE") or str(BASE_DIR / "instance")
    return str(Path(folder).resolve() / "gunicorn.ctl")


_socket = _control_socket()
# A Unix socket path is limited to 107 bytes: past that (or when "off") no socket is opened.
if _socket and len(_socket.encode()) <= 100:
    control_socket = _socket
    control_socket_mode = 0o600  # only the service user may use it
else:
    control_socket_disable = True


def on_starting(server):
    if server.cfg.control_socket_disable:
        server.log.info("control socket off (GUNICORN_CONTROL_SOCKET, or its path is too long)")
    else:
        server.log.info("control socket: gunicornc -s %s", server.cfg.control_socket)
