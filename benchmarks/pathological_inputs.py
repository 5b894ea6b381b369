#!/usr/bin/env python3
"""Time and peak memory of `parley analyze` on inputs made to hurt it (issue 13's red-team list).

    .venv/bin/python benchmarks/pathological_inputs.py [--only NAME ...] [--timeout S] [--json]

Each input is written to a temporary file and analysed by the real command in a process of its
own (`parley analyze FILE --json`: read, clean, analyse, print), so each figure is that process's
wall time and peak resident memory (from wait4), model loading included. The bounds are 30 s and
1 GB per article on the project's 2-core machine; an input that runs past --timeout is killed and
reported as such. A bare article is measured first, as the floor every other figure includes.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PARLEY = [sys.executable, "-m", "parley.cli"]
SECONDS_BOUND, RSS_BOUND_MB = 30.0, 1024
PROSE = "The Mayor of Lima, Ana Ruiz, met a trade delegation from Peru on Monday and said ties would deepen. "


def _repeat(unit: str, chars: int) -> str:
    return (unit * (chars // len(unit) + 1))[:chars]


def _names(n: int) -> str:
    first = ["Ana", "Bo", "Carla", "Dev", "Eli", "Femi", "Gus", "Hana", "Ivo", "Jun"]
    last = ["Ruiz", "Li", "Moreau", "Rao", "Kim", "Adeyemi", "Berg", "Sato", "Novak", "Park"]
    return "Present were " + ", ".join(f"{first[i % 10]} {last[(i // 10) % 10]}{i}" for i in range(n)) + "."


#: name -> (file suffix, content maker)
INPUTS: dict[str, tuple[str, Callable[[], str]]] = {
    "plain_article": (".txt", lambda: "Talks\n\n" + PROSE * 8),
    "quote_marks_16000": (".txt", lambda: "Talks\n\n" + '"' * 16_000),
    "quote_marks_100000": (".txt", lambda: "Talks\n\n" + '"' * 100_000),
    "quote_a_24000": (".txt", lambda: "Talks\n\n" + '"a ' * 24_000),  # just under the words-and-marks limit
    "quote_a_50000": (".txt", lambda: "Talks\n\n" + '"a ' * 50_000),  # over it: one skip line
    "prose_199k_chars": (".txt", lambda: "Talks\n\n" + _repeat(PROSE, 199_990)),  # just under the analysis limit
    "prose_999k_chars": (".txt", lambda: "Talks\n\n" + _repeat(PROSE, 999_000)),  # over it: one skip line
    "line_5mb_no_spaces": (".txt", lambda: "Talks\n\n" + "abcdefghij" * 500_000),
    "names_12000": (".txt", lambda: "Talks\n\n" + _names(12_000)),  # a list of names under the limits
    "names_20000": (".txt", lambda: "Talks\n\n" + _names(20_000)),
    "json_deep_nesting": (".jsonl", lambda: "[" * 100_000 + "]" * 100_000 + "\n"),
    "json_huge_integer": (".jsonl", lambda: '{"text": "x", "n": ' + "9" * 5000 + "}\n"),
    "json_lone_surrogate": (".jsonl", lambda: '{"title": "Talks", "text": "Ana Ruiz said \\ud800 it went well."}\n'),
}


def measure(path: Path, timeout: float) -> dict:
    """Run `parley analyze` on one file; its wall time, peak RSS, exit status and skip lines."""
    started = time.monotonic()
    proc = subprocess.Popen([*PARLEY, "analyze", str(path), "--json"], cwd=ROOT, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, start_new_session=True)
    deadline = started + timeout
    status = rusage = None
    while status is None:
        pid, raw_status, usage = os.wait4(proc.pid, os.WNOHANG)
        if pid:
            status, rusage = raw_status, usage
        elif time.monotonic() > deadline:
            os.killpg(proc.pid, signal.SIGKILL)
            _, status, rusage = os.wait4(proc.pid, 0)
            return {"seconds": round(time.monotonic() - started, 1), "peak_rss_mb": rusage.ru_maxrss // 1024,
                    "outcome": f"killed after {timeout:g} s"}
        else:
            time.sleep(0.05)
    seconds = time.monotonic() - started
    proc.returncode = os.waitstatus_to_exitcode(status)
    errors = (proc.stderr.read() if proc.stderr else b"").decode("utf-8", "replace")
    skips = [line for line in errors.splitlines() if line.startswith("skipped")]
    outcome = "analysed" if proc.returncode == 0 and not skips else (skips[0][:100] if skips else f"exit {proc.returncode}")
    return {"seconds": round(seconds, 1), "peak_rss_mb": rusage.ru_maxrss // 1024, "outcome": outcome}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--only", nargs="*", choices=sorted(INPUTS), help="inputs to run (default: all)")
    ap.add_argument("--timeout", type=float, default=300.0, help="seconds before an input's process is killed")
    ap.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = ap.parse_args()
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        for name in args.only or INPUTS:
            suffix, make = INPUTS[name]
            path = Path(tmp, name + suffix)
            path.write_text(make(), encoding="utf-8", errors="surrogatepass")
            results[name] = measure(path, args.timeout)
            results[name]["within_bounds"] = (results[name]["seconds"] <= SECONDS_BOUND
                                              and results[name]["peak_rss_mb"] <= RSS_BOUND_MB)
            if not args.json:
                r = results[name]
                print(f"{name:24} {r['seconds']:7.1f} s {r['peak_rss_mb']:6d} MB  "
                      f"{'ok ' if r['within_bounds'] else 'OVER'}  {r['outcome']}", flush=True)
    if args.json:
        print(json.dumps(results, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
