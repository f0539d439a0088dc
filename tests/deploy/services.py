"""Real services on loopback for the deployment tests: a local S3 server (moto's server mode),
nginx from the repository's own site file, gunicorn and the django-tasks-db worker.

Each is a context manager that starts a process, waits until it answers and stops it on exit
(terminate, then kill), so nothing a test starts outlives it. Ports come from the OS. Every
process writes its output to a log file in its work folder; a process that dies early fails the
test with the tail of that log.
"""

import contextlib
import datetime as dt
import ipaddress
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from email import message_from_string
from email import policy as email_policy
from pathlib import Path

import requests
from requests.adapters import HTTPAdapter

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
NGINX_SITE = ROOT / "deploy" / "nginx" / "medborger.conf"
HOST = "127.0.0.1"
SERVER_SETTINGS = "tests.deploy.server_settings"


# --- Ports and processes ---------------------------------------------------------------------


def forget_shared_cache(redis_url, prefix):
    """Empty the servers' part of Redis (their REDIS_KEY_PREFIX) before a test.

    Between tests the test runner replaces the database under the running servers (a transactional
    test truncates the tables, the next one builds the home page and its Site again) without the
    app's signals reaching the servers' cache: the site generation stays the one the servers kept the
    old Site under (core.cache.site_for_request), and they would go on routing to a root page that
    is gone. On a site every Site change goes through save()/delete(), which replace the generation
    for every server; a new test starts the same way, with generations made afresh.
    """
    import redis

    connection = redis.Redis.from_url(redis_url)
    try:
        for key in connection.scan_iter(f"{prefix}:*"):
            connection.delete(key)
    finally:
        connection.close()


def free_port():
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def _log_tail(log_path, lines=40):
    try:
        return "\n".join(Path(log_path).read_text(errors="replace").splitlines()[-lines:])
    except FileNotFoundError:
        return "(no log)"


def wait_for_port(port, process, log_path, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{process.args[0]} exited with {process.returncode}:\n{_log_tail(log_path)}")
        with socket.socket() as probe:
            probe.settimeout(0.5)
            if probe.connect_ex((HOST, port)) == 0:
                return
        time.sleep(0.1)
    raise RuntimeError(f"{process.args[0]} did not listen on {port} within {timeout} s:\n{_log_tail(log_path)}")


def _die_with_the_test_process():
    """In the child, before exec: Linux sends it SIGTERM when the test process dies, so a test run that
    is killed (a timeout, an xdist worker lost) leaves no server behind either."""
    import ctypes

    pr_set_pdeathsig = 1
    ctypes.CDLL(None, use_errno=True).prctl(pr_set_pdeathsig, signal.SIGTERM)


@contextlib.contextmanager
def running(args, log_path, env=None, cwd=ROOT, port=None, timeout=60):
    """Run ``args`` for the duration of the block; wait for ``port`` first if given."""
    log_path = Path(log_path)
    log_path.parent.mkdir(parents=True, exist_ok=True)
    with open(log_path, "ab") as log:
        process = subprocess.Popen(
            [str(a) for a in args],
            cwd=cwd,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            preexec_fn=_die_with_the_test_process if sys.platform == "linux" else None,
        )
    try:
        if port is not None:
            wait_for_port(port, process, log_path, timeout)
        yield process
    finally:
        stop(process)


def stop(process, timeout=20):
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=timeout)


# --- Local S3 --------------------------------------------------------------------------------

S3_ACCESS_KEY = "medborger-test"
S3_SECRET_KEY = "medborger-test-secret"  # noqa: S105 – moto accepts any credentials
S3_REGION = "eu-north-1"


@dataclass
class S3Server:
    endpoint_url: str

    def client(self):
        import boto3

        return boto3.client(
            "s3",
            endpoint_url=self.endpoint_url,
            aws_access_key_id=S3_ACCESS_KEY,
            aws_secret_access_key=S3_SECRET_KEY,
            region_name=S3_REGION,
        )

    def create_bucket(self, name):
        self.client().create_bucket(Bucket=name, CreateBucketConfiguration={"LocationConstraint": S3_REGION})
        return name

    def keys(self, bucket):
        listing = self.client().list_objects_v2(Bucket=bucket)
        return [item["Key"] for item in listing.get("Contents", [])]

    def environment(self, media_bucket="", private_bucket=""):
        """The app's environment variables for this server (README "Object storage")."""
        return {
            "S3_ENDPOINT_URL": self.endpoint_url,
            "S3_REGION": S3_REGION,
            "S3_ACCESS_KEY_ID": S3_ACCESS_KEY,
            "S3_SECRET_ACCESS_KEY": S3_SECRET_KEY,
            "S3_MEDIA_BUCKET": media_bucket,
            "S3_PRIVATE_BUCKET": private_bucket,
        }

    def storages(self, media_bucket, private_bucket):
        """A STORAGES setting for the test process with both kinds of file on this server – built by
        the same function as config/settings/base.py builds it from the S3_* variables."""
        from django.conf import settings

        from config.settings.base import s3_storage

        credentials = {
            "endpoint_url": self.endpoint_url,
            "region_name": S3_REGION,
            "access_key": S3_ACCESS_KEY,
            "secret_key": S3_SECRET_KEY,
        }
        private = s3_storage(private_bucket, location="private", **credentials)
        private["BACKEND"] = "core.s3.PrivateS3Storage"
        return {
            **settings.STORAGES,
            "default": s3_storage(media_bucket, location="media", **credentials),
            "private": private,
        }


@contextlib.contextmanager
def moto_s3(workdir):
    """moto's standalone server: a real S3 HTTP endpoint on loopback (not a mock of the client)."""
    port = free_port()
    args = [BIN / "moto_server", "-H", HOST, "-p", port]
    with running(args, Path(workdir) / "moto.log", env={**os.environ}, port=port):
        yield S3Server(endpoint_url=f"http://{HOST}:{port}")


# --- TLS certificate for nginx ---------------------------------------------------------------


def self_signed_certificate(directory):
    """A throw-away certificate for 127.0.0.1/localhost. Returns (certificate, key) paths."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    now = dt.datetime.now(dt.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address(HOST))]),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    directory = Path(directory)
    cert_path, key_path = directory / "tls.crt", directory / "tls.key"
    cert_path.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    return cert_path, key_path


# --- nginx -----------------------------------------------------------------------------------


def nginx_binary():
    path = shutil.which("nginx") or shutil.which("nginx", path="/usr/sbin:/usr/local/sbin")
    if not path:
        raise RuntimeError("The deployment tests need Debian's 'nginx-light' package: make test installs it.")
    return path


def render_nginx_site(**values):
    """deploy/nginx/medborger.conf with its {{PLACEHOLDERS}} filled in; refuses to leave one open."""
    text = NGINX_SITE.read_text()
    for name, value in values.items():
        text = text.replace("{{" + name + "}}", str(value))
    left = sorted(set(re.findall(r"{{(\w+)}}", text)))
    if left:
        raise ValueError(f"Placeholders without a value: {', '.join(left)}")
    return text


NGINX_MAIN = """\
# Test-only main file: what /etc/nginx/nginx.conf is in production, with every path in the work folder.
{user}
worker_processes 1;
daemon off;
pid {workdir}/nginx.pid;
error_log {workdir}/error.log warn;
events {{ worker_connections 256; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    access_log {workdir}/access.log;
    client_body_temp_path {workdir}/client_body;
    proxy_temp_path {workdir}/proxy;
    fastcgi_temp_path {workdir}/fastcgi;
    uwsgi_temp_path {workdir}/uwsgi;
    scgi_temp_path {workdir}/scgi;
    include {workdir}/medborger.conf;
}}
"""


@dataclass
class Nginx:
    http_port: int
    https_port: int
    certificate: Path
    workdir: Path

    @property
    def url(self):
        return f"https://{HOST}:{self.https_port}"

    @property
    def http_url(self):
        return f"http://{HOST}:{self.http_port}"

    def client(self, source_address=HOST):
        """An HTTP session to this nginx that trusts its certificate, from a loopback address."""
        session = client_from(source_address)
        session.verify = str(self.certificate)
        return session


@contextlib.contextmanager
def nginx(workdir, app_ports, static_root, media_root, server_name="localhost 127.0.0.1", ports=None, certificate=None):
    """nginx on loopback in front of the app servers on ``app_ports``, from the repository's site file.

    ``ports`` (http, https) and ``certificate`` (certificate, key) when the app servers must know
    them before nginx starts (they send it their page-cache purges)."""
    workdir = Path(workdir)
    workdir.mkdir(parents=True, exist_ok=True)
    certificate, key = certificate or self_signed_certificate(workdir)
    http_port, https_port = ports or (free_port(), free_port())
    site = render_nginx_site(
        SERVER_NAME=server_name,
        HTTP_LISTEN=f"{HOST}:{http_port}",
        HTTPS_LISTEN=f"{HOST}:{https_port} ssl",
        TLS_CERTIFICATE=certificate,
        TLS_CERTIFICATE_KEY=key,
        APP_SERVERS=" ".join(f"server {HOST}:{port};" for port in app_ports),
        STATIC_ROOT=Path(static_root).resolve(),
        MEDIA_ROOT=Path(media_root).resolve(),
        MAX_BODY="60m",
        PAGE_CACHE_DIR=workdir / "page-cache",
        PURGE_FROM=f"{HOST} 1;",  # the app servers run on this address
    )
    (workdir / "medborger.conf").write_text(site)
    # Root's nginx drops its workers to an unprivileged user who could not read the work folder.
    user = "user root;" if os.geteuid() == 0 else ""
    (workdir / "nginx.conf").write_text(NGINX_MAIN.format(workdir=workdir, user=user))
    args = [nginx_binary(), "-p", workdir, "-c", workdir / "nginx.conf", "-e", workdir / "error.log"]
    check = subprocess.run([*map(str, args), "-t"], capture_output=True, text=True)
    if check.returncode != 0:
        raise RuntimeError(f"nginx -t refused the configuration:\n{check.stderr}")
    with running(args, workdir / "nginx.out", port=https_port):
        yield Nginx(http_port=http_port, https_port=https_port, certificate=certificate, workdir=workdir)


# --- HTTP clients from a chosen loopback address ---------------------------------------------


class _SourceAddressAdapter(HTTPAdapter):
    def __init__(self, source_address, **kwargs):
        self.source_address = (source_address, 0)
        super().__init__(**kwargs)

    def init_poolmanager(self, *args, **kwargs):
        kwargs["source_address"] = self.source_address
        super().init_poolmanager(*args, **kwargs)


def client_from(source_address=HOST):
    """A requests session whose connections leave from ``source_address`` (any 127.x.y.z is loopback),
    so one machine can play several visitors with different addresses."""
    session = requests.Session()
    session.trust_env = False  # no proxy or CA bundle from the environment: loopback only
    adapter = _SourceAddressAdapter(source_address)
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    return session


CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def csrf_token(html):
    match = CSRF_INPUT.search(html)
    assert match, "the page has no CSRF token"
    return match.group(1)


SUBMISSION_KEY = re.compile(r'name="submission_key" value="([0-9a-f]{32})"')


def post_response(client, base_url, hearing, email, text, files=None):
    """Open the hearing page through ``base_url`` and post a private person's response to it as a
    browser would (the page's CSRF token and submission key); the answer, redirects not followed."""
    page = client.get(base_url + hearing.url)
    assert page.status_code == 200, page.status_code
    data = {
        "csrfmiddlewaretoken": csrf_token(page.text),
        "name": "Amira Hassan",
        "email": email,
        "postcode": "2500",
        "district": "valby",
        "respondent": "person",
        "text": text,
        "consent": "on",
        "website": "",
        "submission_key": SUBMISSION_KEY.search(page.text).group(1),
    }
    return client.post(base_url + hearing.url, data=data, files=files, allow_redirects=False)


# --- App servers and workers -----------------------------------------------------------------


def database_url(settings_dict):
    """A DATABASE_URL for the database the test process uses (pytest-django's test database)."""
    engine = settings_dict["ENGINE"]
    if engine.endswith("sqlite3"):
        return f"sqlite:///{settings_dict['NAME']}"
    user = settings_dict.get("USER") or ""
    password = f":{settings_dict['PASSWORD']}" if settings_dict.get("PASSWORD") else ""
    auth = f"{user}{password}@" if user else ""
    host = settings_dict.get("HOST") or HOST
    port = settings_dict.get("PORT") or 5432
    return f"postgres://{auth}{host}:{port}/{settings_dict['NAME']}"


def server_environment(database, workdir, **extra):
    """The environment of an app server or worker: production settings (tests/deploy/server_settings.py)
    with throw-away keys, its own local disk under ``workdir``, emails written to files."""
    workdir = Path(workdir)
    for folder in ("media", "private", "tmp", "mail"):
        (workdir / folder).mkdir(parents=True, exist_ok=True)
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "S3_", "REDIS_", "DATABASE_URL", "PYTEST_"))
    }
    env.update(
        DJANGO_SETTINGS_MODULE=SERVER_SETTINGS,
        DATABASE_URL=database,
        SECRET_KEY="deploy-test-secret-key-" + "x" * 40,
        VOTER_ID_HMAC_KEY="deploy-test-voter-id-key-" + "y" * 40,
        ALLOWED_HOSTS="127.0.0.1,localhost",
        BASE_URL="http://127.0.0.1",
        MEDIA_ROOT=str(workdir / "media"),
        PRIVATE_MEDIA_ROOT=str(workdir / "private"),
        TMPDIR=str(workdir / "tmp"),
        EMAIL_FILE_PATH=str(workdir / "mail"),
        PYTHONPATH=str(ROOT),
        PYTHONUNBUFFERED="1",  # logs reach the file as they happen
        DB_CONN_MAX_AGE="0",
    )
    env.update({key: str(value) for key, value in extra.items()})
    return env


@dataclass
class AppServer:
    port: int
    workdir: Path
    env: dict = field(repr=False)

    @property
    def url(self):
        return f"http://{HOST}:{self.port}"

    def requests_served(self, path):
        """How many requests for ``path`` this server's access log shows."""
        log = (self.workdir / "gunicorn.log").read_text(errors="replace")
        return len(re.findall(rf'"[A-Z]+ {re.escape(path)} HTTP/1\.[01]"', log))


@contextlib.contextmanager
def gunicorn(env, workdir, workers=1):
    """gunicorn serving config.wsgi on a free loopback port."""
    port = free_port()
    args = [
        BIN / "gunicorn",
        "config.wsgi",
        "--bind",
        f"{HOST}:{port}",
        "--workers",
        workers,
        "--timeout",
        60,
        "--graceful-timeout",
        5,
        "--log-level",
        "warning",
        "--access-logfile",
        "-",
    ]
    with running(args, Path(workdir) / "gunicorn.log", env=env, port=port):
        yield AppServer(port=port, workdir=Path(workdir), env=env)


def manage(env, *args, timeout=120):
    """Run a management command with the servers' settings; returns its stdout."""
    result = subprocess.run(
        [str(BIN / "python"), "manage.py", *map(str, args)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    if result.returncode != 0:
        raise RuntimeError(f"manage.py {' '.join(map(str, args))} failed:\n{result.stdout}\n{result.stderr}")
    return result.stdout


@contextlib.contextmanager
def db_worker(env, workdir, worker_id=None):
    """``manage.py db_worker`` – production's task worker – polling every 0.1 s."""
    worker_id = worker_id or f"test-{secrets.token_hex(4)}"
    args = [
        BIN / "python",
        "manage.py",
        "db_worker",
        "--interval",
        "0.1",
        "--no-startup-delay",
        "--no-reload",
        "--worker-id",
        worker_id,
    ]
    with running(args, Path(workdir) / f"worker-{worker_id}.log", env=env) as process:
        yield process


# --- Emails written by the file backend ------------------------------------------------------


def sent_emails(mail_dir):
    """Every message Django's file email backend wrote under ``mail_dir``, parsed."""
    messages = []
    for path in sorted(Path(mail_dir).glob("*.log")):
        for chunk in path.read_text().split("-" * 79):
            if chunk.strip():
                messages.append(message_from_string(chunk.strip() + "\n", policy=email_policy.default))
    return messages


def email_text(message):
    part = message.get_body(preferencelist=("plain",))
    return part.get_content() if part else ""


def wait_for(predicate, timeout=60, interval=0.2, what="the condition"):
    """Poll until ``predicate()`` is truthy (returns it) – bounded in time."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError(f"Timed out after {timeout} s waiting for {what}")
