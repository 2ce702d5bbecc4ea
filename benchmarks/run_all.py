"""``make bench``: every benchmark in turn, each printing its figures and its ratio to a baseline
measured in the same run."""

from __future__ import annotations

import runpy
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
BENCHMARKS = ["bench_core.py", "bench_language.py", "bench_webhooks.py", "bench_sender.py"]


def main() -> int:
    sys.path.insert(0, str(HERE.parent))
    for name in BENCHMARKS:
        path = HERE / name
        if not path.exists():
            continue
        print(f"\n######## {name}", flush=True)
        try:
            runpy.run_path(str(path), run_name="__main__")
        except SystemExit as done:
            if done.code not in (0, None):
                print(f"{name} exited with {done.code}")
                return int(done.code) if isinstance(done.code, int) else 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
