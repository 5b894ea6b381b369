#!/usr/bin/env python3
"""An alert delivered end to end by the real commands: a saved search with a webhook (signed) and an
e-mail address, `parley watch --once` over a folder of articles, and the alert its round sends.

    PYTHONPATH=src .venv/bin/python benchmarks/alert_delivery.py TEXTS_DIR [--type AGREE] [--out DIR]

A webhook receiver and an SMTP server that requires STARTTLS (aiosmtpd, a throwaway CA from
trustme: the `test` extra) run on 127.0.0.1. The script saves a search (`parley saved add`: events of
`--type`, with `--webhook`, `--secret` and `--email`), then runs `parley watch TEXTS_DIR --once` in
its own process with the mail server in `PARLEY_SMTP_*` (and the CA in `SSL_CERT_FILE`): the watch
stores the articles, and its after-round hook sends the alert. Then it runs the watch and
`parley alerts run` once more, which must send nothing. It checks the webhook's HMAC-SHA256
signature with the secret, the message's TLS and its two parts, writes what was received to
`--out` (webhook.json, alert.eml) and prints one JSON object of what it found.
"""

from __future__ import annotations

import argparse
import hashlib
import hmac
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from tests.alert_servers import smtp_server, webhook_receiver

SECRET = "a-shared-secret-for-the-demo"


def parley(*args: str, env: dict[str, str]) -> tuple[subprocess.CompletedProcess[str], float]:
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "parley.cli", *args], check=False, env=env,
                          capture_output=True, text=True)
    if done.returncode not in (0, 1):
        sys.exit(f"parley {' '.join(args)} failed ({done.returncode}):\n{done.stderr}")
    return done, round(time.perf_counter() - start, 1)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("texts", type=Path, help="a folder of articles to watch")
    ap.add_argument("--type", default="AGREE", help="the saved search's event type")
    ap.add_argument("--out", type=Path, default=Path(tempfile.gettempdir()) / "parley-alert")
    ap.add_argument("--db", help="store (default: a new SQLite file in --out)")
    a = ap.parse_args()
    a.out.mkdir(parents=True, exist_ok=True)
    db = a.db or str(a.out / "alerts.db")
    if not a.db and Path(db).exists():
        Path(db).unlink()
    with webhook_receiver() as hook, smtp_server() as box:
        ca = a.out / "ca.pem"
        ca.write_bytes(box.ca_pem)
        env = {**os.environ, "PARLEY_DB": db, "PARLEY_SMTP_HOST": box.host, "PARLEY_SMTP_PORT": str(box.port),
               "PARLEY_SMTP_FROM": "parley@example.org", "SSL_CERT_FILE": str(ca),
               "PARLEY_BASE_URL": "https://parley.example.org"}
        parley("saved", "add", "agreements", "--kind", "events", "--type", a.type, "--webhook", hook.url,
               "--secret", SECRET, "--email", "desk@example.org", env=env)
        watched, watch_s = parley("watch", str(a.texts), "--once", env=env)
        sent_webhooks, sent_mail = len(hook.requests), len(box.messages)
        again, _ = parley("watch", "--once", env=env)
        run, _ = parley("alerts", "run", env=env)
    if not hook.requests or not box.messages:
        sys.exit(f"no alert arrived (webhook {len(hook.requests)}, e-mail {len(box.messages)}):\n{watched.stderr}")
    request, message = hook.requests[0], box.messages[0]
    expected = "sha256=" + hmac.new(SECRET.encode(), request.body, hashlib.sha256).hexdigest()
    payload = request.payload
    (a.out / "webhook.json").write_bytes(request.body)
    (a.out / "alert.eml").write_bytes(bytes(message))
    parts = [p.get_content_type() for p in message.walk() if not p.is_multipart()]
    items = payload["items"]
    print(json.dumps({
        "articles_watched": len(list(a.texts.iterdir())), "watch_once_s": watch_s,
        "watch_summary": [line for line in watched.stderr.splitlines() if line.startswith("one round")],
        "webhook_posts": sent_webhooks, "webhook_items": len(items),
        "signature_verified": hmac.compare_digest(expected, request.headers.get("x-parley-signature", "")),
        "items_with_evidence": sum(1 for i in items if i.get("evidence")),
        "items_with_link": sum(1 for i in items if i.get("link", "").startswith("https://parley.example.org/")),
        "emails": sent_mail, "email_over_starttls": box.tls[0], "email_parts": parts,
        "email_subject": message["Subject"], "email_to": message["To"],
        "sent_again_by_watch_and_alerts_run": len(hook.requests) - sent_webhooks + len(box.messages) - sent_mail,
        "alerts_run_after": run.stderr.strip().splitlines()[-1:] if run.stderr.strip() else run.stdout.strip().splitlines()[-1:],
        "second_watch_exit": again.returncode, "files": sorted(p.name for p in a.out.iterdir()),
    }, indent=1))


if __name__ == "__main__":
    main()
