"""A call as a plan of steps (sans-IO): written once, run by the blocking or the asyncio client.

Each call of the API is a generator that builds its requests and reads their answers, and
yields what it needs done: an :class:`Exchange` (one HTTP attempt; the answer is sent back in,
or a :class:`~s3_image_proxy.errors.TransportError` thrown in) or a :class:`Pause` (a back-off
or a poll's wait). Retries, time budgets, polling and typed errors live in the plan; only the
two runners below differ: :func:`run_blocking` sends on this thread and sleeps, :func:`run_async`
sends in a worker thread (the standard library has no async HTTP client) and awaits
``asyncio.sleep``, so the event loop is never blocked and a cancelled task stops at once.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import inspect
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Callable, Coroutine, Generator, Mapping, Optional, Tuple, TypeVar, Union, cast

from . import transport as _transport
from .errors import TransportError

if TYPE_CHECKING:
    from typing_extensions import Concatenate, ParamSpec

    P = ParamSpec("P")

__all__ = ["Exchange", "Pause", "Steps", "run_blocking", "run_async", "blocking", "awaitable", "in_worker_thread"]

T = TypeVar("T")
S = TypeVar("S")


@dataclass(frozen=True)
class Exchange:
    """One HTTP attempt: the plan gets its :class:`~s3_image_proxy.transport.HttpResponse` back."""

    method: str
    url: str
    headers: Mapping[str, str]
    body: _transport.Body
    timeout_seconds: float


@dataclass(frozen=True)
class Pause:
    """A wait between two attempts or two polls."""

    seconds: float


Step = Union[Exchange, Pause]
#: A call's plan: yields steps, is sent their outcomes, returns the call's answer.
Steps = Generator[Step, Any, T]


def _send(step: Exchange) -> _transport.HttpResponse:
    return _transport.send(step.method, step.url, step.headers, step.body, step.timeout_seconds)


def _advance(plan: "Steps[T]", outcome: Any, failure: Optional[TransportError]) -> Tuple[bool, Any]:
    """Hands the plan the last step's outcome; answers (True, its answer) once it returns."""
    try:
        return False, (plan.throw(failure) if failure is not None else plan.send(outcome))
    except StopIteration as done:
        return True, done.value


def run_blocking(plan: "Steps[T]", sleep: Callable[[float], None]) -> T:
    """Runs a plan on this thread: sends each exchange, sleeps each pause."""
    with contextlib.closing(plan):
        finished, step = _advance(plan, None, None)
        while not finished:
            outcome, failure = None, None
            if isinstance(step, Pause):
                sleep(step.seconds)
            else:
                try:
                    outcome = _send(step)
                except TransportError as err:
                    failure = err
            finished, step = _advance(plan, outcome, failure)
        return cast(T, step)


async def run_async(plan: "Steps[T]") -> T:
    """Runs a plan in ``asyncio``: each exchange in a worker thread, each pause as ``asyncio.sleep``."""
    with contextlib.closing(plan):
        finished, step = _advance(plan, None, None)
        while not finished:
            outcome, failure = None, None
            if isinstance(step, Pause):
                await asyncio.sleep(step.seconds)
            else:
                try:
                    outcome = await asyncio.to_thread(_send, step)
                except TransportError as err:
                    failure = err
            finished, step = _advance(plan, outcome, failure)
        return cast(T, step)


def _method_signature(call: Callable[..., Any]) -> inspect.Signature:
    """The call's signature as a method: ``self`` for the session, its answer for the plan."""
    signature = inspect.signature(call)
    answer = signature.return_annotation
    if isinstance(answer, str) and answer.startswith("Steps[") and answer.endswith("]"):
        answer = answer[len("Steps[") : -1]
    session, *rest = signature.parameters.values()
    own = session.replace(name="self", annotation=inspect.Parameter.empty)
    return signature.replace(parameters=[own, *rest], return_annotation=answer)


def blocking(call: "Callable[Concatenate[S, P], Steps[T]]") -> "Callable[Concatenate[S, P], T]":
    """The blocking method of a call: its plan, run on the client's thread with its ``sleep``."""

    @functools.wraps(call)
    def method(self: Any, *args: Any, **kwargs: Any) -> T:
        return run_blocking(call(self, *args, **kwargs), self._sleep)

    method.__signature__ = _method_signature(call)  # type: ignore[attr-defined]
    return method


def awaitable(
    call: "Callable[Concatenate[Any, P], Steps[T]]",
) -> "Callable[Concatenate[Any, P], Coroutine[Any, Any, T]]":
    """The coroutine method of a call: its plan over the wrapped client's settings (``self.sync``)."""

    @functools.wraps(call)
    async def method(self: Any, *args: Any, **kwargs: Any) -> T:
        return await run_async(call(self.sync, *args, **kwargs))

    method.__signature__ = _method_signature(call)  # type: ignore[attr-defined]
    return method


def in_worker_thread(function: "Callable[P, T]") -> "Callable[P, Coroutine[Any, Any, T]]":
    """A blocking function as a coroutine function (``<name>_async``, its signature), run in a worker thread."""

    @functools.wraps(function)
    async def in_thread(*args: Any, **kwargs: Any) -> T:
        return await asyncio.to_thread(function, *args, **kwargs)

    in_thread.__name__ = in_thread.__qualname__ = f"{function.__name__}_async"
    in_thread.__doc__ = (
        f":func:`{function.__name__}` for ``asyncio`` code: the same answer, without blocking the "
        "event loop (the whole call runs in a worker thread)."
    )
    return in_thread
