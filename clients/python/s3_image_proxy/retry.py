"""When and how long to wait before sending a request again."""

from __future__ import annotations

import email.utils
import math
import time
from dataclasses import dataclass
from typing import Callable, Optional

__all__ = ["RetryPolicy", "parse_retry_after", "Deadline"]


@dataclass(frozen=True)
class RetryPolicy:
    """Exponential back-off with full jitter, honouring ``Retry-After``.

    Retried: 429 ``THROTTLED``, 502/503 (``STORAGE_UNAVAILABLE``, ``SERVER_BUSY``,
    ``CDN_INVALIDATION_FAILED``) and failures with no answer (connection refused or reset,
    timeouts). Every route is safe to repeat: uploads are content-addressed (the same bytes
    give the same key), deletes answer 204 whether or not the object existed, and a repeated
    presign only signs another URL. Never retried: other 4xx and 5xx, and 429 ``QUOTA_EXCEEDED``.

    Attributes:
        max_attempts: attempts per request in all, the first included (1 = no retries).
        base_delay_seconds: the back-off cap of the first retry; it doubles per retry.
        max_delay_seconds: the largest back-off; a ``Retry-After`` longer than this is not
            waited for: the error is raised at once (carrying ``retry_after``) for the caller
            to decide.
    """

    max_attempts: int = 5
    base_delay_seconds: float = 0.5
    max_delay_seconds: float = 20.0

    def __post_init__(self) -> None:
        if self.max_attempts < 1:
            raise ValueError(f"max_attempts must be at least 1, got {self.max_attempts}")
        if not 0 <= self.base_delay_seconds <= self.max_delay_seconds:
            raise ValueError(
                "need 0 <= base_delay_seconds <= max_delay_seconds, got "
                f"{self.base_delay_seconds} and {self.max_delay_seconds}"
            )

    def backoff_seconds(self, retry: int, random: Callable[[], float]) -> float:
        """Full jitter: uniform in [0, min(max, base * 2**retry)) for the ``retry``-th retry (0-based)."""
        cap = min(self.max_delay_seconds, self.base_delay_seconds * math.pow(2, min(retry, 62)))
        return cap * random()

    def delay_seconds(
        self, retry: int, retry_after: Optional[float], random: Callable[[], float]
    ) -> float:
        """How long to wait before the ``retry``-th retry: never less than ``Retry-After``.

        The jittered back-off still applies above it, so clients told the same ``Retry-After``
        do not all come back in the same instant once the back-off has grown past it.
        """
        return max(retry_after or 0.0, self.backoff_seconds(retry, random))


def parse_retry_after(value: Optional[str], now: Callable[[], float] = time.time) -> Optional[float]:
    """Seconds to wait from ``Retry-After`` (seconds or an HTTP date); ``None`` if absent or unreadable."""
    if value is None:
        return None
    text = value.strip()
    if text.isdigit():
        return float(text)
    try:
        when = email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):  # Python 3.9 raises TypeError, later ones ValueError
        return None
    return max(0.0, when.timestamp() - now())


class Deadline:
    """The end of one operation's time budget, on a monotonic clock; no budget when ``seconds`` is None."""

    def __init__(self, seconds: Optional[float], clock: Callable[[], float]) -> None:
        if seconds is not None and seconds <= 0:
            raise ValueError(f"timeout must be a positive number of seconds, got {seconds}")
        self._clock = clock
        self._seconds = seconds
        self._end = None if seconds is None else clock() + seconds

    @property
    def seconds(self) -> Optional[float]:
        """The whole budget, as given."""
        return self._seconds

    def remaining(self) -> float:
        """Seconds left; ``math.inf`` without a budget."""
        return math.inf if self._end is None else self._end - self._clock()

    def capped(self, seconds: float) -> "Deadline":
        """A deadline at most ``seconds`` from now and never later than this one (which may have passed)."""
        inner = Deadline(seconds, self._clock)
        remaining = self.remaining()
        if remaining < seconds:
            inner._seconds = max(0.0, remaining)
            inner._end = self._clock() + inner._seconds
        return inner
