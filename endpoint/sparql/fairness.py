"""Fair use of the query workers: who a client is, what each may use, and who runs next.

A handful of worker processes answer every uncached query (:mod:`endpoint.sparql.worker_pool`).
Without rules, one client with two runaway queries holds both workers and everyone else waits
for the deadline. The rules here follow the Wikidata Query Service's:

* **Who is a client** (:func:`client_of`): the connecting address, or, when that address is a
  reverse proxy listed in ``KG_TRUSTED_PROXIES``, the address the proxy puts in ``Forwarded``
  or ``X-Forwarded-For`` (the right-most one that is not itself a trusted proxy: a client can
  prepend anything it likes to those headers, but not what the proxies append).
* **What each client may use** (:class:`ClientLedger`): at most
  ``KG_CLIENT_CONCURRENT_QUERIES`` uncached queries in flight (running or waiting), and
  ``KG_CLIENT_QUERY_SECONDS`` seconds of worker time per minute (a bucket that refills
  continuously; a query is charged the time it held a worker). Past either: ``429 Too Many
  Requests`` with ``Retry-After`` (:class:`~kg.errors.QueryLimited`).
* **Who runs next** (:class:`FairQueue`): waiting queries are served round-robin over clients,
  one query per client per turn, and the **last** ``KG_QUERY_RESERVE_WORKERS`` **idle workers
  are kept for clients that have nothing running** (the pool starts that many beside
  ``KG_QUERY_WORKERS``, so one client alone still has all of ``KG_QUERY_WORKERS``). So while one
  client's runaway queries run, another client's first query finds a worker at once; only as
  many clients as there are workers, each with a runaway query, can make others wait (then
  ``KG_QUEUE_TIMEOUT`` bounds the wait with a ``503`` and ``Retry-After``).

Cached answers and queries proven cheap (answered in the web process) use no worker and
count against no limit.

>>> ledger = ClientLedger(concurrent=2, seconds_per_minute=6.0, clock=lambda: 0.0)
>>> ledger.admit("a"); ledger.admit("a")
>>> ledger.admit("a")
Traceback (most recent call last):
...
kg.errors.QueryLimited: This client already has 2 queries running or waiting, the most allowed (KG_CLIENT_CONCURRENT_QUERIES). Wait for one to finish.
>>> ledger.finish("a", 9.0)  # 3 seconds over the budget of 6 per minute: 30 seconds to earn them back
>>> ledger.admit("a")
Traceback (most recent call last):
...
kg.errors.QueryLimited: This client used its 6 seconds of query time per minute (KG_CLIENT_QUERY_SECONDS). Try again in 30 seconds.
"""

from __future__ import annotations

import asyncio
import collections
import ipaddress
import math
import time
from typing import Callable, Generic, TypeVar

from starlette.types import Scope

from kg.errors import ConfigError, QueryLimited

__all__ = ["ClientLedger", "FairQueue", "Network", "client_of", "trusted_networks"]

Network = ipaddress.IPv4Network | ipaddress.IPv6Network
T = TypeVar("T")


def trusted_networks(setting: str) -> tuple[Network, ...]:
    """The networks of ``KG_TRUSTED_PROXIES``: addresses or CIDR blocks, separated by commas.

    >>> trusted_networks("127.0.0.1, 10.0.0.0/8")
    (IPv4Network('127.0.0.1/32'), IPv4Network('10.0.0.0/8'))
    >>> trusted_networks("proxy.local")
    Traceback (most recent call last):
    ...
    kg.errors.ConfigError: KG_TRUSTED_PROXIES: 'proxy.local' is not an IP address or network (e.g. 10.0.0.1 or 10.0.0.0/8).
    """
    networks = []
    for part in filter(None, (p.strip() for p in setting.split(","))):
        try:
            networks.append(ipaddress.ip_network(part, strict=False))
        except ValueError as exc:
            raise ConfigError(f"KG_TRUSTED_PROXIES: {part!r} is not an IP address or network (e.g. 10.0.0.1 or 10.0.0.0/8).") from exc
    return tuple(networks)


def _trusted(address: str, networks: tuple[Network, ...]) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in networks)


def _forwarded_chain(scope: Scope) -> list[str]:
    """The addresses the proxies recorded, first hop first: ``Forwarded: for=`` (RFC 7239), else ``X-Forwarded-For``."""
    forwarded: list[str] = []
    x_forwarded: list[str] = []
    for name, value in scope["headers"]:
        if name == b"forwarded":
            for element in value.decode("latin-1").split(","):
                for pair in element.split(";"):
                    key, _, val = pair.strip().partition("=")
                    if key.lower() == "for":
                        val = val.strip('"')
                        if val.startswith("["):  # [2001:db8::1]:port
                            val = val[1:].split("]", 1)[0]
                        elif val.count(":") == 1:  # 192.0.2.1:port
                            val = val.split(":", 1)[0]
                        forwarded.append(val)
        elif name == b"x-forwarded-for":
            x_forwarded += [a.strip() for a in value.decode("latin-1").split(",") if a.strip()]
    return forwarded or x_forwarded


def client_of(scope: Scope, networks: tuple[Network, ...]) -> str:
    """The client a request counts against (see the module docstring).

    >>> scope = {"client": ("127.0.0.1", 5000), "headers": [(b"x-forwarded-for", b"6.6.6.6, 203.0.113.9")]}
    >>> client_of(scope, ()), client_of(scope, trusted_networks("127.0.0.1"))
    ('127.0.0.1', '203.0.113.9')
    >>> client_of({"client": ("10.1.1.1", 1), "headers": [(b"forwarded", b'for="[2001:db8::7]:4711"')]}, trusted_networks("10.0.0.0/8"))
    '2001:db8::7'
    """
    peer = scope.get("client")
    address = peer[0] if peer else ""
    if not networks or not _trusted(address, networks):
        return address
    chain = _forwarded_chain(scope)
    for hop in reversed(chain):
        if not _trusted(hop, networks):
            return hop
    return chain[0] if chain else address


class ClientLedger:
    """Per client: the uncached queries in flight, and a bucket of query seconds refilled per minute."""

    def __init__(self, concurrent: int, seconds_per_minute: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.concurrent = concurrent
        self.budget = seconds_per_minute
        self._clock = clock
        self.in_flight: collections.Counter[str] = collections.Counter()
        self._buckets: dict[str, tuple[float, float]] = {}  # client → (seconds left, when)

    def _level(self, client: str) -> float:
        if client not in self._buckets:
            return self.budget
        level, when = self._buckets[client]
        return min(self.budget, level + (self._clock() - when) * self.budget / 60.0)

    def admit(self, client: str) -> None:
        """Count a query in, or refuse it with a 429 naming the limit."""
        if self.in_flight[client] >= self.concurrent:
            raise QueryLimited(
                f"This client already has {self.concurrent} queries running or waiting, the most allowed "
                "(KG_CLIENT_CONCURRENT_QUERIES). Wait for one to finish.", retry_after=1)
        level = self._level(client)
        if level < 0:
            wait = math.ceil(-level * 60.0 / self.budget)
            raise QueryLimited(
                f"This client used its {self.budget:g} seconds of query time per minute (KG_CLIENT_QUERY_SECONDS). "
                f"Try again in {wait} seconds.", retry_after=wait)
        self.in_flight[client] += 1

    def finish(self, client: str, seconds: float) -> None:
        """Count a query out, charging the seconds it held a worker."""
        self.in_flight[client] -= 1
        if self.in_flight[client] <= 0:
            del self.in_flight[client]
        level = self._level(client) - seconds
        if level >= self.budget and client not in self.in_flight:
            self._buckets.pop(client, None)  # nothing to remember: the table stays small
        else:
            self._buckets[client] = (level, self._clock())
        if len(self._buckets) > 10_000:  # forget clients whose bucket is full again
            for key in [k for k in self._buckets if self._level(k) >= self.budget]:
                del self._buckets[key]


class FairQueue(Generic[T]):
    """Waiting queries per client, served round-robin; and how many workers each client holds.

    >>> loop = asyncio.new_event_loop()
    >>> queue: FairQueue[str] = FairQueue(reserve=1)
    >>> waits = {name: loop.create_future() for name in ("a1", "a2", "b1")}
    >>> for name, future in waits.items(): queue.push(name[0], future)
    >>> queue.running["a"] = 1  # a holds a worker already
    >>> queue.next(idle=1)[0]  # the last idle worker: only for a client with nothing running
    'b'
    >>> queue.next(idle=2)[0]
    'a'
    >>> loop.close()
    """

    def __init__(self, reserve: int) -> None:
        self.reserve = reserve
        self._waiting: collections.OrderedDict[str, collections.deque[asyncio.Future[T]]] = collections.OrderedDict()
        self.running: collections.Counter[str] = collections.Counter()

    def may_take(self, client: str, idle: int) -> bool:
        """May ``client`` take one of ``idle`` idle workers? Not one of the last ``reserve`` while it holds another."""
        return idle > self.reserve or (idle > 0 and self.running[client] == 0)

    def push(self, client: str, waiter: asyncio.Future[T]) -> None:
        self._waiting.setdefault(client, collections.deque()).append(waiter)

    def next(self, idle: int) -> tuple[str, asyncio.Future[T]] | None:
        """The next waiter to hand one of ``idle`` workers to: the first client in turn that may take one."""
        for client in list(self._waiting):
            queue = self._waiting[client]
            while queue and queue[0].done():  # gave up (queue timeout) or went away
                queue.popleft()
            if not queue:
                del self._waiting[client]
                continue
            if not self.may_take(client, idle):
                continue
            waiter = queue.popleft()
            if queue:
                self._waiting.move_to_end(client)  # its next query waits for everyone else's turn
            else:
                del self._waiting[client]
            return client, waiter
        return None

    def took(self, client: str) -> None:
        self.running[client] += 1

    def gave_back(self, client: str) -> None:
        self.running[client] -= 1
        if self.running[client] <= 0:
            del self.running[client]
