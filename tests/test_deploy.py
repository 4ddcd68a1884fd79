"""deploy/: gunicorn with the production config really serves the app and reports its
health, and the systemd units, the environment file and the proxy examples agree with the
app (commands that exist, the upload limit, the static folder, the trusted proxy)."""
import configparser
import json
import os
import re
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

import config

ROOT = Path(__file__).resolve().parent.parent
DEPLOY = ROOT / "deploy"
UNITS = DEPLOY / "systemd"
BIN = Path(sys.executable).parent
APP_DIR = "/opt/redress"  # where docs/deploy.md installs the code
FLASK = f"{APP_DIR}/.venv/bin/flask --app app"
TIMERS = {  # timer → (command it runs, when)
    "redress-reminders.timer": ("reminders", "*-*-* 07:00:00"),
    "redress-send-mail.timer": ("send-mail", "*-*-* *:*:00"),
    "redress-fetch-mail.timer": ("fetch-mail", "*-*-* *:00/5:00"),
    "redress-backup.timer": ("backup /var/backups/redress --keep 14", "*-*-* 02:30:00"),
    "redress-monthly-report.timer": ("monthly-report", "*-*-01 06:00:00"),
    "redress-anonymise.timer": ("anonymise", "*-*-* 03:30:00"),
}


# --------------------------------------------------------------------------- gunicorn

def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _env(instance: Path, port: int) -> dict:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("GUNICORN_", "REDRESS_", "FLASK_"))
           and k not in ("DATABASE_URL", "UPLOAD_DIR", "DOCUMENT_DIR", "SECRET_KEY",
                         "RUNTIME_DIRECTORY", "HEALTH_MIN_FREE_MB", "PROXY_HOPS")}
    env.update(REDRESS_INSTANCE=str(instance), GUNICORN_BIND=f"127.0.0.1:{port}",
               GUNICORN_WORKERS="2", HEALTH_MIN_FREE_MB="1")
    return env


def _flask(env, *args) -> subprocess.CompletedProcess:
    return subprocess.run([str(BIN / "flask"), "--app", "app", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120, check=False)


def _get(port: int, path: str):
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=5) as r:
            return r.status, r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.read()


class Gunicorn:
    def __init__(self, instance: Path):
        self.instance = instance
        self.port = _free_port()
        self.env = _env(instance, self.port)
        self.log = instance / "gunicorn.log"
        self.proc = None

    def start(self):
        with open(self.log, "wb") as log:
            self.proc = subprocess.Popen(
                [str(BIN / "gunicorn"), "--config", "deploy/gunicorn.conf.py", "wsgi:app"],
                cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT,
                start_new_session=True)

    def wait_for_answer(self, want=None, timeout=30.0):
        """Poll /healthz until it answers (with status `want`, if given)."""
        deadline = time.monotonic() + timeout
        last = None
        while time.monotonic() < deadline:
            assert self.proc.poll() is None, f"gunicorn exited:\n{self.log.read_text()}"
            try:
                last = _get(self.port, "/healthz")
                if want is None or last[0] == want:
                    return last[0], json.loads(last[1])
            except OSError:
                pass
            time.sleep(0.2)
        pytest.fail(f"/healthz never answered {want}: last {last}\n{self.log.read_text()}")

    def stop(self) -> int:
        self.proc.send_signal(signal.SIGTERM)
        try:
            return self.proc.wait(timeout=40)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)
            raise

    def kill_if_running(self):
        if self.proc is not None and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(timeout=10)


@pytest.fixture
def server():
    # A short folder: the control socket path lives in it and must fit in 107 bytes.
    instance = Path(tempfile.mkdtemp(prefix="redress-"))
    g = Gunicorn(instance)
    yield g
    g.kill_if_running()
    shutil.rmtree(instance, ignore_errors=True)


def test_gunicorn_with_production_config_serves_a_healthy_migrated_instance(server):
    migrated = _flask(server.env, "migrate")
    assert migrated.returncode == 0, migrated.stderr
    server.start()
    status, body = server.wait_for_answer(want=200)
    assert body["status"] == "ok"
    assert (body["database"], body["migrations"]) == ("ok", "ok")
    assert body["disk"]["uploads"]["status"] == "ok"
    assert body["disk"]["documents"]["status"] == "ok"
    assert body["problems"] == []

    # The app itself answers behind it: the sign-in page, and its static files.
    status, page = _get(server.port, "/login")
    assert status == 200 and b"<form" in page
    assert _get(server.port, "/static/css/app.css")[0] == 200

    # Its own control socket in the instance folder, answering gunicornc.
    ctl = server.instance / "gunicorn.ctl"
    assert ctl.is_socket()
    assert oct(ctl.stat().st_mode & 0o777) == "0o600"
    shown = subprocess.run([str(BIN / "gunicornc"), "-s", str(ctl), "-c", "show workers",
                            "-j"], capture_output=True, text=True, timeout=20, check=True)
    assert json.loads(shown.stdout)["count"] == 2

    assert server.stop() == 0  # a clean, graceful stop
    log = server.log.read_text()
    assert '"GET /healthz HTTP/1.1" 200' in log  # the access log is on
    assert "Shutting down: Master" in log
    assert not ctl.exists()


def test_unmigrated_instance_reports_503_until_migrated(server):
    server.start()  # a fresh, empty database: nothing migrated yet
    status, body = server.wait_for_answer()
    assert status == 503
    assert body["status"] == "error"
    assert body["database"] == "ok"
    assert body["migrations"] == "pending"
    assert "0001_initial" in body["pending_migrations"]

    # The upgrade order in docs/deploy.md: migrate, then the running app is healthy.
    assert _flask(server.env, "migrate").returncode == 0
    status, body = server.wait_for_answer(want=200, timeout=10)
    assert body["migrations"] == "ok"
    assert server.stop() == 0


def test_control_socket_goes_to_systemds_runtime_directory_or_can_be_turned_off(tmp_path):
    def settings(**env):
        code = ("import runpy, json; c = runpy.run_path('deploy/gunicorn.conf.py'); "
                "print(json.dumps({k: c.get(k) for k in ('control_socket', "
                "'control_socket_disable', 'workers', 'bind')}))")
        clean = {k: v for k, v in os.environ.items()
                 if not k.startswith(("GUNICORN_", "REDRESS_", "RUNTIME_DIRECTORY"))}
        out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env={**clean, **env},
                             capture_output=True, text=True, check=True)
        return json.loads(out.stdout)

    assert settings(RUNTIME_DIRECTORY="/run/redress")["control_socket"] == "/run/redress/gunicorn.ctl"
    assert settings(REDRESS_INSTANCE="/var/lib/redress")["control_socket"] == \
        "/var/lib/redress/gunicorn.ctl"
    assert settings(GUNICORN_CONTROL_SOCKET="off")["control_socket_disable"] is True
    too_long = "/srv/" + "x" * 120
    assert settings(REDRESS_INSTANCE=too_long)["control_socket_disable"] is True
    defaults = settings()
    assert defaults["bind"] == "127.0.0.1:8000"  # only the proxy on this machine talks to it
    assert defaults["control_socket"] == str(ROOT / "instance" / "gunicorn.ctl")
    assert 2 <= defaults["workers"] <= 8
    assert settings(GUNICORN_WORKERS="3")["workers"] == 3


# --------------------------------------------------------------------------- systemd

def _unit(path: Path) -> configparser.ConfigParser:
    """A unit file with its drop-ins (foo.service.d/*.conf) applied; an empty assignment
    (ExecStart=) resets the value as systemd does."""
    parser = configparser.ConfigParser(strict=False, interpolation=None, delimiters=("=",))
    parser.optionxform = str
    files = [path, *sorted(Path(f"{path}.d").glob("*.conf"))]
    for f in files:
        one = configparser.ConfigParser(strict=False, interpolation=None, delimiters=("=",))
        one.optionxform = str
        one.read(f)
        for section in one.sections():
            if not parser.has_section(section):
                parser.add_section(section)
            for key, value in one.items(section):
                parser.set(section, key, value)
    return parser


def _service_for(unit_name: str) -> tuple[configparser.ConfigParser, str]:
    """The unit a timer starts: its own file, or a template instance (name@instance)."""
    if (UNITS / unit_name).exists():
        return _unit(UNITS / unit_name), ""
    prefix, instance = unit_name.split("@", 1)
    instance, suffix = instance.rsplit(".", 1)
    template = UNITS / f"{prefix}@.{suffix}"
    assert template.exists(), f"no unit or template for {unit_name}"
    merged = _unit(template)
    override = _unit(UNITS / unit_name) if Path(f"{UNITS / unit_name}.d").exists() else None
    if override is not None:
        for section in override.sections():
            for key, value in override.items(section):
                merged.set(section, key, value)
    return merged, instance


@pytest.fixture(scope="module")
def flask_commands():
    with tempfile.TemporaryDirectory(prefix="redress-") as instance:
        out = _flask(_env(Path(instance), 8000), "--help")
    assert out.returncode == 0, out.stderr
    section = out.stdout.split("Commands:", 1)[1]
    return {line.split()[0] for line in section.splitlines() if line.strip()}


def test_every_timer_names_its_service_and_schedule():
    timers = {p.name for p in UNITS.glob("*.timer")}
    assert timers == set(TIMERS)
    for name, (_command, when) in TIMERS.items():
        timer = _unit(UNITS / name)
        assert timer["Timer"]["OnCalendar"] == when, name
        assert timer["Install"]["WantedBy"] == "timers.target"
        service, _instance = _service_for(timer["Timer"]["Unit"])
        assert service["Service"]["Type"] == "oneshot"


@pytest.mark.parametrize("timer_name", sorted(TIMERS))
def test_each_timer_runs_an_existing_flask_command_as_the_app_user(timer_name, flask_commands):
    command, _when = TIMERS[timer_name]
    service, instance = _service_for(_unit(UNITS / timer_name)["Timer"]["Unit"])
    section = service["Service"]
    exec_start = section["ExecStart"].replace("%i", instance)
    assert exec_start == f"{FLASK} {command}"
    assert section["User"] == "redress"
    assert section["WorkingDirectory"] == APP_DIR
    assert section["EnvironmentFile"] == "/etc/redress/redress.env"
    name = shlex.split(exec_start)[3]
    if name == "backup" and name not in flask_commands:
        pytest.skip("`flask --app app backup` is not merged yet (Part G, backups)")
    assert name in flask_commands, f"{timer_name}: no such command `flask --app app {name}`"


def test_web_service_runs_gunicorn_with_the_production_config():
    section = _unit(UNITS / "redress.service")["Service"]
    assert section["ExecStart"] == \
        f"{APP_DIR}/.venv/bin/gunicorn --config deploy/gunicorn.conf.py wsgi:app"
    assert section["EnvironmentFile"] == "/etc/redress/redress.env"
    assert section["User"] == "redress"
    assert section["RuntimeDirectory"] == "redress"  # /run/redress/gunicorn.ctl
    assert section["ProtectSystem"] == "strict"
    assert section["ReadWritePaths"] == "/var/lib/redress"
    assert section["Type"] == "notify"  # gunicorn tells systemd when it is ready


def test_systemd_accepts_the_units():
    analyze = shutil.which("systemd-analyze")
    if analyze is None:
        pytest.skip("systemd-analyze is not installed")
    with tempfile.TemporaryDirectory() as tmp:
        # The units name /opt/redress; point them at this checkout so the programs exist.
        for src in UNITS.rglob("*"):
            dest = Path(tmp) / src.relative_to(UNITS)
            if src.is_dir():
                dest.mkdir(parents=True, exist_ok=True)
            else:
                dest.parent.mkdir(parents=True, exist_ok=True)
                dest.write_text(src.read_text().replace(APP_DIR, str(ROOT)))
        (Path(tmp) / ".venv").symlink_to(ROOT / ".venv")
        names = ["redress.service", *TIMERS,
                 *(_unit(UNITS / t)["Timer"]["Unit"] for t in TIMERS)]
        out = subprocess.run([analyze, "verify", *names], cwd=tmp, capture_output=True,
                             text=True, timeout=60, check=False)
        for when in {w for _c, w in TIMERS.values()}:
            assert subprocess.run([analyze, "calendar", when], capture_output=True,
                                  check=False).returncode == 0, when
    assert out.returncode == 0 and out.stderr.strip() == "", out.stderr


# --------------------------------------------------------------------------- env file, proxies

def _request_limit_mb() -> int:
    return config.Config.MAX_CONTENT_LENGTH // (1024 * 1024)


def test_environment_example_sets_what_a_proxied_https_install_needs():
    text = (DEPLOY / "redress.env.example").read_text()
    values = dict(line.split("=", 1) for line in text.splitlines()
                  if line and not line.startswith("#"))
    assert values["REDRESS_INSTANCE"] == "/var/lib/redress"
    assert values["PROXY_HOPS"] == "1"
    assert values["SESSION_COOKIE_SECURE"] == "1"
    assert values["GUNICORN_BIND"] == "127.0.0.1:8000"
    assert int(values["MAX_UPLOAD_MB"]) * 5 + 1 == _request_limit_mb()
    assert "SECRET_KEY" not in values  # generated into the instance folder unless set


def test_nginx_example_serves_static_files_and_forwards_to_gunicorn():
    text = (DEPLOY / "nginx.conf").read_text()
    assert f"client_max_body_size {_request_limit_mb()}m;" in text
    static = re.search(r"location /static/ \{(.*?)\}", text, re.S).group(1)
    assert f"alias {APP_DIR}/static/;" in static
    assert "expires" in static and "Cache-Control" in static
    assert "proxy_pass http://127.0.0.1:8000;" in text
    for header in ("X-Forwarded-For", "X-Forwarded-Proto", "X-Forwarded-Host"):
        assert f"proxy_set_header {header}" in text
    assert "ssl_certificate " in text and "return 301 https://" in text
    assert "Strict-Transport-Security" not in text.replace("No Strict-Transport-Security", "")


def test_caddy_example_serves_static_files_and_forwards_to_gunicorn():
    text = (DEPLOY / "Caddyfile").read_text()
    assert f"max_size {_request_limit_mb()}MiB" in text  # MiB: Caddy's MB is 10^6
    static = re.search(r"handle_path /static/\* \{(.*?)\n\t\}", text, re.S).group(1)
    assert f"root * {APP_DIR}/static" in static and "file_server" in static
    assert "Cache-Control" in static
    assert "reverse_proxy 127.0.0.1:8000" in text
    assert "Strict-Transport-Security" not in text.replace("no Strict-Transport-Security", "")


def test_static_folder_named_in_the_proxies_is_the_apps(app):
    # The proxies serve /static/ from /opt/redress/static: the app's own static folder.
    assert Path(app.static_folder).resolve() == ROOT / "static"
    assert app.static_url_path == "/static"


def test_admin_wrapper_runs_flask_as_the_app_user_with_the_service_settings():
    text = (DEPLOY / "redress").read_text()
    assert os.access(DEPLOY / "redress", os.X_OK)
    assert "/etc/redress/redress.env" in text and "/opt/redress" in text
    assert 'runuser -u redress -- "$APP_DIR/.venv/bin/flask" --app app "$@"' in text
    assert subprocess.run(["sh", "-n", str(DEPLOY / "redress")], check=False).returncode == 0
