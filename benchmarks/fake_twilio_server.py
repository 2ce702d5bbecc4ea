"""The tests' fake Twilio REST API as a process of its own, for benchmarks.
Run: ``python benchmarks/fake_twilio_server.py PORT``."""

from __future__ import annotations

import sys
from pathlib import Path

import uvicorn

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.fakes.twilio_api import FakeTwilioApi

if __name__ == "__main__":
    uvicorn.run(
        FakeTwilioApi().app,
        host="127.0.0.1",
        port=int(sys.argv[1]),
        log_level="warning",
        access_log=False,
    )
