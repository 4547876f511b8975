"""Open the installed app's pages as the demo's organizer: the dashboard, the events list, every event's
page and every page those link to (one level). Any 5xx answer fails, and so does an app imported from
anywhere but an installed wheel. Settings come from HUODONG_* variables (the demo's database)."""

from __future__ import annotations

import re
import sys
from collections import Counter

import core
from core.app import create_app

LIMIT = 400
SKIP = re.compile(r"^/(logout|static/)|\.(ics|xlsx|png|svg|js|css)(\?|$)|^//")

if "site-packages" not in core.__file__:
    sys.exit(f"the app was imported from {core.__file__}, not from the installed wheel")
app = create_app()
client = app.test_client()
page = client.get("/login").get_data(as_text=True)
token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page) or re.search(r'value="([^"]+)"[^>]*name="csrf_token"', page)
answer = client.post("/login", data={"csrf_token": token.group(1) if token else "", "username": "organizer",
                                     "password": "huodong2024"})
if answer.status_code != 302:
    sys.exit(f"logging in as the demo's organizer answered {answer.status_code}")

seen: dict[str, int] = {}
failures = []


def visit(path: str) -> str:
    answer = client.get(path)
    seen[path] = answer.status_code
    if answer.status_code >= 500:
        failures.append(f"{path}: {answer.status_code}")
    return answer.get_data(as_text=True) if answer.mimetype == "text/html" else ""


def links(html: str) -> list[str]:
    return [h.replace("&amp;", "&") for h in re.findall(r'href="(/[^"#]*)"', html) if not SKIP.search(h)]


events = sorted(set(re.findall(r'href="(/events/\d+)"', visit("/") + visit("/events/"))))
if not events:
    sys.exit("the demo's events are not listed on /events/")
for event in events:
    for link in links(visit(event)):
        if link not in seen and len(seen) < LIMIT:
            visit(link)
print(f"{len(seen)} pages of {len(events)} events: " + ", ".join(f"{n}× {s}" for s, n in sorted(Counter(seen.values()).items())))
if failures:
    sys.exit("pages that failed:\n  " + "\n  ".join(failures))
