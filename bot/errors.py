"""The error tree. Every error says what the person reading it can do about it.

SwitchboardError
├── ConfigError          a setting is wrong; names the setting
├── ContentError         a flow, service or catalog file is wrong; carries file, line and problem
├── StoreError           the database could not be reached or migrated
└── SendError            a provider refused or failed to take a message
    ├── RetryableSendError   try again later (429, 5xx, time-outs); may carry retry_after seconds
    └── FinalSendError       do not retry; may mark the contact opted out or the address bad
"""

from __future__ import annotations

from dataclasses import dataclass


class SwitchboardError(Exception):
    """Base of every error this package raises on purpose."""


class ConfigError(SwitchboardError):
    """A setting is missing or wrong."""


@dataclass(frozen=True)
class Problem:
    """One problem found in content: where it is and what is wrong."""

    file: str
    line: int | None
    message: str
    severity: str = "error"  # "error" | "warning"

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}: {self.severity}: {self.message}"


class ContentError(SwitchboardError):
    """Content (flows, services, catalogs) failed validation."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


class StoreError(SwitchboardError):
    """The database could not be opened, migrated or queried."""


class SendError(SwitchboardError):
    """A provider did not take a message."""

    def __init__(self, message: str, *, code: str | None = None) -> None:
        super().__init__(message)
        self.code = code


class RetryableSendError(SendError):
    """Worth trying again later: rate limits, outages, time-outs."""

    def __init__(
        self, message: str, *, code: str | None = None, retry_after: float | None = None
    ) -> None:
        super().__init__(message, code=code)
        self.retry_after = retry_after


class FinalSendError(SendError):
    """Trying again will not help. ``opted_out`` / ``bad_address`` say what to record."""

    def __init__(
        self,
        message: str,
        *,
        code: str | None = None,
        opted_out: bool = False,
        bad_address: bool = False,
    ) -> None:
        super().__init__(message, code=code)
        self.opted_out = opted_out
        self.bad_address = bad_address
