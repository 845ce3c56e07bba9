"""Fetching a page or a feed (for `/ingest url:` and the feed polls), refusing addresses
inside the network; a conditional GET is answered "not modified" without a body.

The address check happens in the resolver that aiohttp connects through, so a redirect
or a DNS answer pointing at a private address is refused the same way as a typed one.
"""

import asyncio
import ipaddress
import re
import socket
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import urlsplit

import aiohttp
from aiohttp.abc import AbstractResolver, ResolveResult
from yarl import URL

from feeds.feed_settings import FetchLimits
from index.errors import IndexingError

__all__ = ["FetchLimits", "FetchRefused", "FetchedPage", "fetch_page", "is_internal"]

MAX_REDIRECTS = 5
NOT_MODIFIED = 304


class FetchRefused(IndexingError):
    """A URL the bot will not or could not fetch; the message says why."""


@dataclass(frozen=True)
class FetchedPage:
    url: str  # after redirects
    body: bytes  # empty when not modified
    content_type: str
    charset: str | None = None
    status: int = 200
    etag: str | None = None
    last_modified: str | None = None

    @property
    def not_modified(self) -> bool:
        return self.status == NOT_MODIFIED

    @property
    def text(self) -> str:
        try:
            return self.body.decode(self.charset or "utf-8", errors="replace")
        except LookupError:  # a charset Python does not know
            return self.body.decode("utf-8", errors="replace")


def is_internal(address: str) -> bool:
    ip = ipaddress.ip_address(address.strip("[]").split("%")[0])
    if isinstance(ip, ipaddress.IPv6Address):
        # an IPv4 address inside an IPv6 one: mapped (::ffff:a.b.c.d), 6to4 (2002:ab:cd::)
        embedded = ip.ipv4_mapped or ip.sixtofour
        if embedded is not None:
            ip = embedded
    return (
        not ip.is_global  # also shared address space (100.64.0.0/10, carrier-grade NAT)
        or ip.is_private or ip.is_loopback or ip.is_link_local or ip.is_reserved
        or ip.is_multicast or ip.is_unspecified
    )


class _GuardedResolver(AbstractResolver):
    def __init__(self, allow_internal: bool):
        self._allow_internal = allow_internal

    async def resolve(self, host: str, port: int = 0, family: int = socket.AF_INET) -> list[ResolveResult]:
        try:
            infos = await asyncio.get_running_loop().getaddrinfo(
                host, port, type=socket.SOCK_STREAM, family=family
            )
        except socket.gaierror:
            raise FetchRefused(f"cannot resolve {host}: check the address") from None
        results = []
        for family_, _, proto, _, sockaddr in infos:
            address = sockaddr[0]
            if not self._allow_internal:
                _refuse_internal(host, address)
            results.append(ResolveResult(hostname=host, host=address, port=sockaddr[1],
                                         family=family_, proto=proto, flags=socket.AI_NUMERICHOST))
        return results

    async def close(self) -> None:
        return None


async def fetch_page(url: str, limits: FetchLimits, headers: Mapping[str, str] | None = None) -> FetchedPage:
    """The page within the size and time limits, or FetchRefused with a reason. `headers`
    are added to the request: If-None-Match or If-Modified-Since make it conditional."""
    connector = aiohttp.TCPConnector(resolver=_GuardedResolver(limits.allow_private_addresses))
    timeout = aiohttp.ClientTimeout(total=limits.timeout_seconds)
    request_headers = {"User-Agent": "news-passage-bot", **(headers or {})}
    try:
        async with aiohttp.ClientSession(connector=connector, timeout=timeout) as session:
            for _ in range(MAX_REDIRECTS + 1):
                _check_link(url, limits)
                async with session.get(url, allow_redirects=False, headers=request_headers) as response:
                    if response.status in (301, 302, 303, 307, 308) and "Location" in response.headers:
                        url = str(response.url.join(URL(response.headers["Location"])))
                        continue
                    return await _read_page(response, url, limits)
            raise FetchRefused(f"{url} redirects more than {MAX_REDIRECTS} times")
    except TimeoutError:
        raise FetchRefused(f"{url} took longer than {limits.timeout_seconds:g} s") from None
    except aiohttp.ClientConnectorError as error:
        if isinstance(error.os_error, FetchRefused):
            raise error.os_error from None
        raise FetchRefused(f"cannot connect to {urlsplit(url).hostname}") from None
    except aiohttp.ClientError as error:
        raise FetchRefused(f"fetching {url} failed ({type(error).__name__})") from None


def _check_link(url: str, limits: FetchLimits) -> None:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise FetchRefused(f"{url!r} is not an http(s) link")
    try:
        # the host aiohttp connects to: yarl normalises it (IDNA), so "１２７.0.0.1" or
        # "127。0。0。1" is 127.0.0.1, which urlsplit does not see
        host = URL(url).raw_host
    except (ValueError, TypeError):
        raise FetchRefused(f"{url!r} is not a valid link") from None
    if not host:
        raise FetchRefused(f"{url!r} is not an http(s) link")
    address = _ip_literal(host)
    if address is not None and not limits.allow_private_addresses:
        _refuse_internal(host, address)  # aiohttp does not resolve IP literals


async def _read_page(response: aiohttp.ClientResponse, url: str, limits: FetchLimits) -> FetchedPage:
    if response.status >= 400:
        raise FetchRefused(f"{url} answered HTTP {response.status}")
    if response.status != NOT_MODIFIED and (response.content_length or 0) > limits.max_bytes:
        raise FetchRefused(_too_big(url, limits))
    body = bytearray()
    if response.status != NOT_MODIFIED:
        async for chunk in response.content.iter_chunked(65536):
            body += chunk
            if len(body) > limits.max_bytes:
                raise FetchRefused(_too_big(url, limits))
    return FetchedPage(
        url=str(response.url), body=bytes(body), content_type=response.content_type,
        charset=response.charset, status=response.status,
        etag=response.headers.get("ETag"), last_modified=response.headers.get("Last-Modified"),
    )


def _refuse_internal(host: str, address: str) -> None:
    if is_internal(address):
        raise FetchRefused(
            f"{host} is a private, loopback or link-local address ({address}); "
            "only public pages can be ingested"
        )


def _ip_literal(host: str) -> str | None:
    """The address an IP literal names, None for a host name. The old IPv4 forms that
    inet_aton reads ("2130706433", "0177.0.0.1", "0x7f.1", "127.1") count as literals:
    a resolver would turn them into 127.0.0.1."""
    try:
        return str(ipaddress.ip_address(host.strip("[]").split("%")[0]))
    except ValueError:
        pass
    if _LEGACY_IPV4.fullmatch(host):
        try:
            return str(ipaddress.IPv4Address(socket.inet_aton(host)))
        except OSError:
            return None
    return None


_LEGACY_IPV4 = re.compile(r"(0x[0-9a-f]*|[0-9]+)(\.(0x[0-9a-f]*|[0-9]+)){0,3}\.?", re.IGNORECASE)


def _too_big(url: str, limits: FetchLimits) -> str:
    return f"{url} is larger than the {limits.max_bytes // 1000:,} kB limit"
