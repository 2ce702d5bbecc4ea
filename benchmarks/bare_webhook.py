"""The baseline for the webhook benchmark: a bare Starlette endpoint that parses the same form and
answers empty TwiML, nothing else. Run: ``python benchmarks/bare_webhook.py PORT``."""

from __future__ import annotations

import sys

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route


async def inbound(request: Request) -> Response:
    form = await request.form()
    if not form.get("MessageSid") or not form.get("From"):
        return Response(status_code=400)
    return Response("<Response/>", media_type="text/xml")


app = Starlette(routes=[Route("/webhooks/twilio/sms", inbound, methods=["POST"])])

if __name__ == "__main__":
    uvicorn.run(app, host="127.0.0.1", port=int(sys.argv[1]), log_level="warning", access_log=False)
