"""The README's HTTPS recipe, run: docs/deploy/nginx.conf (only its name, certificate and ports changed)
in front of ``huodong serve`` with ``HUODONG_PROXY_COUNT=1``. Plain HTTP is sent to HTTPS; pages come
through; and the login limit per address counts the real client behind the proxy — two clients on
different loopback addresses are told apart, and a client that forges X-Forwarded-For gains nothing."""

from __future__ import annotations

import http.client
import re
import shutil
import ssl
import subprocess
import time
import urllib.parse
from pathlib import Path

import pytest

from tests.integration.conftest import START_TIMEOUT, Server, _free_port, server_env

ROOT = Path(__file__).resolve().parents[2]
NGINX = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)

pytestmark = pytest.mark.skipif(NGINX is None or shutil.which("openssl") is None,
                                reason="nginx or openssl is not installed (Debian: apt-get install nginx-light)")


def _site(app_port: int, http_port: int, https_port: int, folder: Path) -> str:
    text = (ROOT / "docs" / "deploy" / "nginx.conf").read_text()
    text = text.replace("huodong.example.edu.cn", "localhost")
    text = text.replace("/etc/letsencrypt/live/localhost/fullchain.pem", str(folder / "cert.pem"))
    text = text.replace("/etc/letsencrypt/live/localhost/privkey.pem", str(folder / "key.pem"))
    text = text.replace("server 127.0.0.1:8000;", f"server 127.0.0.1:{app_port};")
    text = text.replace("    listen 80;\n    listen [::]:80;", f"    listen 127.0.0.1:{http_port};")
    text = text.replace("    listen 443 ssl http2;\n    listen [::]:443 ssl http2;", f"    listen 127.0.0.1:{https_port} ssl;")
    text = text.replace("return 301 https://$host$request_uri;", f"return 301 https://$host:{https_port}$request_uri;")
    assert str(app_port) in text and str(https_port) in text
    return text


@pytest.fixture
def behind_nginx(app, tmp_path):
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=localhost",
                    "-keyout", str(tmp_path / "key.pem"), "-out", str(tmp_path / "cert.pem")],
                   check=True, capture_output=True)
    taken: set[int] = set()
    app_port, http_port, https_port = (_free_port(taken) for _ in range(3))
    env = server_env(app, tmp_path) | {"HUODONG_PROXY_COUNT": "1", "HUODONG_LOGIN_MAX_FAILURES_PER_ADDRESS": "3",
                                       "HUODONG_COMPRESS": "0"}
    server = Server(app_port, env, tmp_path / "serve.log")
    (tmp_path / "site.conf").write_text(_site(app_port, http_port, https_port, tmp_path))
    for name in ("body", "proxy", "logs"):
        (tmp_path / name).mkdir()
    (tmp_path / "nginx.conf").write_text(f"""
pid {tmp_path}/nginx.pid;
error_log {tmp_path}/logs/error.log;
events {{ worker_connections 64; }}
http {{
    access_log off;
    client_body_temp_path {tmp_path}/body;
    proxy_temp_path {tmp_path}/proxy;
    include {tmp_path}/site.conf;
}}
""")
    check = subprocess.run([NGINX, "-t", "-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf")],
                           capture_output=True, text=True)
    assert check.returncode == 0, check.stderr
    proxy = subprocess.Popen([NGINX, "-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf"), "-g", "daemon off;"],
                             stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
    try:
        server.wait_ready(time.monotonic() + START_TIMEOUT)
        yield {"http": http_port, "https": https_port, "server": server}
    finally:
        proxy.terminate()
        proxy.wait(10)
        server.stop()


def _ask(port: int, method: str, path: str, *, source: str = "127.0.0.1", body: dict | None = None,
         headers: dict | None = None, tls: bool = True) -> http.client.HTTPResponse:
    if tls:
        context = ssl.create_default_context()
        context.check_hostname, context.verify_mode = False, ssl.CERT_NONE
        connection = http.client.HTTPSConnection("localhost", port, source_address=(source, 0), context=context,
                                                 timeout=30)
    else:
        connection = http.client.HTTPConnection("localhost", port, source_address=(source, 0), timeout=30)
    data = urllib.parse.urlencode(body).encode() if body is not None else None
    all_headers = {"Content-Type": "application/x-www-form-urlencoded"} if data else {}
    connection.request(method, path, body=data, headers=all_headers | (headers or {}))
    response = connection.getresponse()
    response.text = response.read().decode(errors="replace")
    connection.close()
    return response


def _log_in(port: int, source: str, username: str, password: str, forwarded: str | None = None):
    """The login form as a browser at ``source`` fills it: its page (cookie and CSRF token), then the post."""
    page = _ask(port, "GET", "/login", source=source)
    cookie = page.getheader("Set-Cookie").split(";", 1)[0]
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page.text).group(1)
    # Over HTTPS the CSRF check also wants the page's own address as the referrer, as a browser sends it.
    headers = {"Cookie": cookie, "Referer": f"https://localhost:{port}/login"}
    headers |= {"X-Forwarded-For": forwarded} if forwarded else {}
    return _ask(port, "POST", "/login", source=source, headers=headers,
                body={"username": username, "password": password, "csrf_token": token})


def test_the_nginx_recipe_serves_over_https_and_counts_each_client(behind_nginx, factory):
    from tests.support import PASSWORD

    factory.account("teacher")
    ports = behind_nginx
    redirect = _ask(ports["http"], "GET", "/login", tls=False)
    assert redirect.status == 301 and redirect.getheader("Location") == f"https://localhost:{ports['https']}/login"
    assert _ask(ports["https"], "GET", "/healthz").status == 200
    assert _ask(ports["https"], "GET", "/login").status == 200

    # 127.0.0.2 guesses three times, changing the X-Forwarded-For it sends: the proxy's own header wins.
    for n in range(3):
        assert _log_in(ports["https"], "127.0.0.2", f"guess{n}", "x", forwarded=f"10.9.9.{n}").status == 200
    locked = _log_in(ports["https"], "127.0.0.2", "teacher", PASSWORD)
    assert locked.status == 429, behind_nginx["server"].output()
    # Another colleague, at another address behind the same proxy, logs in.
    assert _log_in(ports["https"], "127.0.0.3", "teacher", PASSWORD).status == 302
