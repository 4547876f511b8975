"""Lighthouse's mobile audit of the eleven main pages of a running demo.

    HUODONG_INSTANCE_PATH=/tmp/demo huodong demo --port 5077 &
    npm i -E lighthouse@12.2.3                 # Lighthouse 13 needs Node 22; 12.2.3 runs on Node 20
    python bench/lighthouse.py http://127.0.0.1:5077 [--lighthouse node_modules/.bin/lighthouse] [--json DIR]

Each page is opened as the demo person who uses it (the session cookie is sent as a header), with
Lighthouse's mobile defaults (a Moto G class phone, simulated slow 4G), in Debian's Chromium
(``HUODONG_CHROMIUM`` or ``/usr/bin/chromium``). It prints one row a page: the performance,
accessibility and best-practices scores, the bytes sent over the wire and the number of requests, and
the audits that did not pass. It is not part of ``bench/run.py``: it needs Node.js, Lighthouse and a
demo, and takes about 20 s a page. The exit code is 1 when a page scores below 100 in accessibility or
performance.
"""

from __future__ import annotations

import argparse
import http.cookiejar
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import urllib.parse
import urllib.request

PASSWORD = "huodong2024"  # the demo's
SIGN_IN_EVENT = "签到演示"  # the demo event with 48 registrations and a sign-in under way

# (who, path); {event} is the demo's sign-in event.
PAGES = [
    (None, "/login"),
    ("teacher", "/"),
    ("teacher", "/events/"),
    ("teacher", "/events/{event}"),
    ("teacher", "/registrations/mine"),
    ("teacher", "/calendar"),
    ("teacher", "/account"),
    ("organizer", "/events/month"),
    ("organizer", "/events/{event}/registrations"),
    ("organizer", "/checkin/events/{event}/live"),
    ("volunteer", "/checkin/events/{event}/scan"),
]

CHROME_FLAGS = ("--headless=new --no-sandbox --disable-gpu --disable-background-networking "
                "--disable-component-update --disable-sync --no-first-run --disable-quic")


def session_cookie(base: str, username: str) -> str:
    """Log in through the login form; the ``Cookie`` header of the session."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    form = opener.open(f"{base}/login").read().decode()
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', form).group(1)
    body = urllib.parse.urlencode({"csrf_token": token, "username": username, "password": PASSWORD})
    answer = opener.open(f"{base}/login", data=body.encode())
    if "/login" in answer.geturl():
        raise SystemExit(f"could not log in as {username}: is {base} the demo?")
    return "; ".join(f"{c.name}={c.value}" for c in jar)


def sign_in_event(base: str, cookie: str) -> int:
    for listing in ("/events/", "/events/?when=past"):  # it was held yesterday
        request = urllib.request.Request(base + listing, headers={"Cookie": cookie})
        html = urllib.request.urlopen(request).read().decode()
        found = re.search(r'href="/events/(\d+)"><strong>[^<]*' + SIGN_IN_EVENT, html)
        if found:
            return int(found.group(1))
    raise SystemExit(f"no event named …{SIGN_IN_EVENT}… on {base}/events/")


def audit(lighthouse: str, url: str, cookie: str | None, chromium: str, keep: str | None) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "report.json")
        command = [lighthouse, url, "--quiet", "--output=json", f"--output-path={out}",
                   "--only-categories=performance,accessibility,best-practices",
                   f"--chrome-flags={CHROME_FLAGS}"]
        if cookie:
            command.append("--extra-headers=" + json.dumps({"Cookie": cookie}))
        subprocess.run(command, check=True, env={**os.environ, "CHROME_PATH": chromium})
        report = json.load(open(out, encoding="utf-8"))
        if keep:
            name = re.sub(r"[^A-Za-z0-9]+", "_", urllib.parse.urlparse(url).path).strip("_") or "home"
            shutil.copy(out, os.path.join(keep, f"{name}.json"))
    return report


def failing(report: dict, category: str) -> list[str]:
    refs = report["categories"][category]["auditRefs"]
    return [ref["id"] for ref in refs if ref["weight"] > 0 and (report["audits"][ref["id"]]["score"] or 0) < 1]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("base", nargs="?", default="http://127.0.0.1:5077")
    parser.add_argument("--lighthouse", default=shutil.which("lighthouse") or "node_modules/.bin/lighthouse")
    parser.add_argument("--chromium", default=os.environ.get("HUODONG_CHROMIUM", "/usr/bin/chromium"))
    parser.add_argument("--json", metavar="DIR", help="keep each page's full report in DIR")
    args = parser.parse_args()
    base = args.base.rstrip("/")
    if args.json:
        os.makedirs(args.json, exist_ok=True)

    cookies = {who: session_cookie(base, who) for who in {w for w, _ in PAGES if w}}
    event = sign_in_event(base, cookies["organizer"])
    print(f"{'page':<40} {'as':<10} {'perf':>4} {'a11y':>4} {'bp':>4} {'KiB':>5} {'req':>3}  not passed")
    short = False
    for who, path in PAGES:
        path = path.format(event=event)
        report = audit(args.lighthouse, base + path, cookies.get(who), args.chromium, args.json)
        scores = {c: round(100 * (report["categories"][c]["score"] or 0))
                  for c in ("performance", "accessibility", "best-practices")}
        requests = report["audits"]["network-requests"]["details"]["items"]
        kib = sum(r.get("transferSize", 0) for r in requests) / 1024
        misses = failing(report, "accessibility") + failing(report, "best-practices")
        perf_misses = [a for a in failing(report, "performance") if scores["performance"] < 100]
        print(f"{path:<40} {who or '-':<10} {scores['performance']:>4} {scores['accessibility']:>4} "
              f"{scores['best-practices']:>4} {kib:>5.0f} {len(requests):>3}  {' '.join(misses + perf_misses)}",
              flush=True)
        short |= scores["accessibility"] < 100 or scores["performance"] < 100
    return 1 if short else 0


if __name__ == "__main__":
    sys.exit(main())
