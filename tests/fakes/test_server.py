"""The loopback ASGI runner serves real HTTP."""

from __future__ import annotations

import httpx
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse
from starlette.routing import Route

from tests.fakes.server import serve_app


async def _echo(request: Request) -> PlainTextResponse:
    return PlainTextResponse(f"got {request.query_params.get('q', '')}")


async def test_serves_over_loopback() -> None:
    app = Starlette(routes=[Route("/echo", _echo)])
    async with serve_app(app) as base_url, httpx.AsyncClient() as client:
        response = await client.get(f"{base_url}/echo", params={"q": "hi"})
    assert base_url.startswith("http://127.0.0.1:")
    assert response.text == "got hi"
