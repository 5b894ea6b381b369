#!/usr/bin/env python3
"""Start to first row of the query commands: a fresh `python -m parley.cli COMMAND --db STORE --limit 3
--csv` process, timed from its start until it exits, because a user waits on the interpreter, the imports
and the query together. The target (issue 15) is under 1 s on a small store.

    .venv/bin/python benchmarks/query_start.py --db STORE [--repeat 5] [--command events ...]

Prints each command's median, fastest and slowest seconds, and the heavy modules it imported (none
is expected: spaCy, datasketch and scipy are for ingest, not for reading).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
COMMANDS = (["events"], ["quotes"], ["articles"], ["entities"], ["search", "trade"], ["events", "--type", "CONSULT"])
HEAVY = ("spacy", "datasketch", "scipy")
PROBE = ("import runpy, sys\nsys.argv = ['parley', *sys.argv[1:]]\ntry:\n    runpy.run_module('parley.cli', "
         "run_name='__main__')\nexcept SystemExit:\n    pass\nsys.stderr.write(repr(sorted(m for m in {heavy!r} "
         "if m in sys.modules)) + '\\n')\n")


def _once(command: list[str], db: str) -> tuple[float, str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", PROBE.format(heavy=HEAVY), *command, "--db", db, "--limit", "3",
                           "--csv"], capture_output=True, text=True, env=env, check=True)
    return time.perf_counter() - start, done.stderr.strip().splitlines()[-1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", required=True, help="a store made with `parley ingest`")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--command", nargs="+", help="one command and its options (default: a set of six)")
    args = parser.parse_args()
    for command in [args.command] if args.command else COMMANDS:
        _once(command, args.db)  # a warm file cache, as for a user's second command
        runs = [_once(command, args.db) for _ in range(args.repeat)]
        seconds = [s for s, _ in runs]
        print(f"{' '.join(command):28} median {statistics.median(seconds):.2f} s  fastest {min(seconds):.2f}  "
              f"slowest {max(seconds):.2f}  heavy imports {runs[-1][1]}")
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")


if __name__ == "__main__":
    main()
