"""The Starlette app: webhooks, health, metrics, the simulator; and the server that runs it."""
