"""A small, polite HTTP client for the public APIs of Bluesky and Mastodon, and its plain-words errors.

Polite: it names Canalyse in its User-Agent, pauses between requests, waits as long as a server
asks after an HTTP 429 (within bounds), gives up on a request after a timeout, and never follows a
redirect to another server. Every failure becomes a `FetchFailed` whose message the user can act on.
"""

from __future__ import annotations

import email.utils
import http.client
import json
import math
import re
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime

from canalyse import __version__
from canalyse.errors import CanalyseError

USER_AGENT = f"Canalyse/{__version__} (analyse locale de comptes publics)"
# A 429 is retried this many times, each wait as long as the server asks but at most MAX_WAIT.
MAX_RETRIES = 3
MAX_WAIT = 60.0
# When a 429 says nothing about when to come back.
DEFAULT_WAIT = 10.0
_NEXT_LINK = re.compile(r'<([^>]+)>\s*;[^,]*\brel="?next"?', re.IGNORECASE)


class FetchFailed(CanalyseError):
    """Reading an account's public posts failed; nothing was stored."""


class BadHandle(FetchFailed):
    """What was typed is not a handle of this network."""

    def __init__(self, network: str, handle: str) -> None:
        super().__init__(f"fetch.error.bad_handle.{network}", handle=handle)


class AccountNotFound(FetchFailed):
    """No account with this handle on the server."""

    def __init__(self, handle: str, server: str) -> None:
        super().__init__("fetch.error.not_found", handle=handle, server=server)


class AccountNotPublic(FetchFailed):
    """The account, or its server, shows nothing to people who are not logged in."""

    def __init__(self, handle: str, server: str) -> None:
        super().__init__("fetch.error.not_public", handle=handle, server=server)


class AccountSuspended(FetchFailed):
    """The account is suspended, taken down or deactivated."""

    def __init__(self, handle: str, server: str) -> None:
        super().__init__("fetch.error.suspended", handle=handle, server=server)


class ServerUnreachable(FetchFailed):
    """No connection could be made to the server."""

    def __init__(self, server: str) -> None:
        super().__init__("fetch.error.unreachable", server=server)


class ServerTimeout(FetchFailed):
    """The server did not answer in time."""

    def __init__(self, server: str, seconds: float) -> None:
        super().__init__("fetch.error.timeout", server=server, seconds=f"{seconds:g}")


class ServerError(FetchFailed):
    """The server answered with an HTTP 5xx error."""

    def __init__(self, server: str, status: int) -> None:
        super().__init__("fetch.error.server", server=server, status=status)


class RateLimited(FetchFailed):
    """The server asked to wait longer (or more often) than Canalyse waits."""

    def __init__(self, server: str, seconds: float) -> None:
        minutes = max(1, math.ceil(seconds / 60))
        super().__init__("fetch.error.rate_limited", server=server, count=minutes)


class NotJson(FetchFailed):
    """The server answered with something else than JSON (a web page)."""

    def __init__(self, server: str, status: int) -> None:
        super().__init__("fetch.error.not_json", server=server, status=status)


class Malformed(FetchFailed):
    """The server's JSON is broken or not shaped as documented."""

    def __init__(self, server: str, detail: str) -> None:
        super().__init__("fetch.error.malformed", server=server, detail=detail)


class Redirected(FetchFailed):
    """The server sent the request to another server, which Canalyse does not follow."""

    def __init__(self, server: str, target: str) -> None:
        super().__init__("fetch.error.redirected", server=server, target=target)


class Refused(FetchFailed):
    """The server refused the request with another HTTP 4xx error."""

    def __init__(self, server: str, status: int, detail: str) -> None:
        super().__init__("fetch.error.refused", server=server, status=status, detail=detail)


@dataclass
class Answer:
    """A server's answer that is not a failure of the server itself (2xx or 4xx other than 429)."""

    url: str
    status: int
    headers: Mapping[str, str]
    body: bytes

    @property
    def server(self) -> str:
        return server_of(self.url)

    def json(self) -> object:
        """The body as JSON; an HTML page or broken JSON is a `FetchFailed` naming the server."""
        content_type = (self.headers.get("Content-Type") or "").lower()
        text = self.body.decode("utf-8", errors="replace").strip()
        if "html" in content_type or text.startswith("<"):
            raise NotJson(self.server, self.status)
        try:
            return json.loads(text)
        except json.JSONDecodeError as exc:
            raise Malformed(self.server, f"JSON: {exc.msg} ({exc.pos})") from exc

    def error_text(self) -> str:
        """What a JSON error body says (`error`, then `message`), or "" when it says nothing readable."""
        try:
            data = json.loads(self.body.decode("utf-8", errors="replace"))
        except json.JSONDecodeError:
            return ""
        if not isinstance(data, dict):
            return ""
        parts = [str(data[k]) for k in ("error", "message") if isinstance(data.get(k), str)]
        return " — ".join(parts)[:200]

    def next_link(self) -> str | None:
        """The `rel="next"` URL of a Link header, only if it stays on the same server."""
        found = _NEXT_LINK.search(self.headers.get("Link") or "")
        if not found:
            return None
        target = urllib.parse.urljoin(self.url, found.group(1))
        return target if _origin(target) == _origin(self.url) else None


def server_of(url: str) -> str:
    """The host (and port) a URL points to, as shown to the user."""
    return urllib.parse.urlsplit(url).netloc or url


def _origin(url: str) -> tuple[str, str]:
    parts = urllib.parse.urlsplit(url)
    return parts.scheme.lower(), parts.netloc.lower()


def with_query(url: str, params: Mapping[str, object]) -> str:
    """`url?name=value&…`, values URL-encoded (booleans as true/false)."""
    encoded = {
        name: ("true" if value else "false") if isinstance(value, bool) else value
        for name, value in params.items()
        if value is not None
    }
    return f"{url}?{urllib.parse.urlencode(encoded)}" if encoded else url


def retry_wait(headers: Mapping[str, str], now: float) -> float | None:
    """Seconds a 429 asks us to wait: `Retry-After` (seconds or a date), else the reset time of
    Bluesky (`ratelimit-reset`, epoch seconds) or Mastodon (`X-RateLimit-Reset`, ISO 8601)."""
    retry_after = (headers.get("Retry-After") or "").strip()
    if retry_after:
        if retry_after.isdigit():
            return float(retry_after)
        try:
            return max(0.0, email.utils.parsedate_to_datetime(retry_after).timestamp() - now)
        except (TypeError, ValueError):
            pass
    reset = (headers.get("ratelimit-reset") or "").strip()
    if reset.isdigit():
        return max(0.0, float(reset) - now)
    reset = (headers.get("X-RateLimit-Reset") or "").strip()
    if reset:
        try:
            moment = datetime.fromisoformat(reset.replace("Z", "+00:00"))
            return max(0.0, moment.timestamp() - now)
        except ValueError:
            pass
    return None


class _SameServerRedirects(urllib.request.HTTPRedirectHandler):
    """Follow a redirect only within the same server: no request ever goes anywhere else."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        if _origin(newurl) != _origin(req.full_url):
            raise Redirected(server_of(req.full_url), server_of(newurl))
        return super().redirect_request(req, fp, code, msg, headers, newurl)


class PoliteClient:
    """GET requests with a clear User-Agent, a pause between requests, a timeout, 429s honoured."""

    def __init__(
        self,
        *,
        timeout: float = 20.0,
        pause: float = 1.0,
        max_retries: int = MAX_RETRIES,
        max_wait: float = MAX_WAIT,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.timeout = timeout
        self.pause = pause
        self.max_retries = max_retries
        self.max_wait = max_wait
        self._sleep = sleep
        self._clock = clock
        self._opener = urllib.request.build_opener(_SameServerRedirects)
        self._requests = 0

    def get(self, url: str) -> Answer:
        """One GET; a 5xx, a 429 past the bounds, a timeout or no connection raise `FetchFailed`."""
        server = server_of(url)
        for attempt in range(self.max_retries + 1):
            if self._requests and self.pause > 0:
                self._sleep(self.pause)
            self._requests += 1
            answer = self._send(url, server)
            if answer.status != 429:
                break
            wait = retry_wait(answer.headers, self._clock())
            wait = DEFAULT_WAIT if wait is None else wait
            if attempt == self.max_retries or wait > self.max_wait:
                raise RateLimited(server, wait)
            self._sleep(wait)
        if answer.status >= 500:
            raise ServerError(server, answer.status)
        if 300 <= answer.status < 400:
            raise Redirected(server, server_of(answer.headers.get("Location") or "?"))
        return answer

    def _send(self, url: str, server: str) -> Answer:
        request = urllib.request.Request(
            url, headers={"User-Agent": USER_AGENT, "Accept": "application/json"}
        )
        try:
            try:
                with self._opener.open(request, timeout=self.timeout) as response:
                    return Answer(response.url, response.status, response.headers, response.read())
            except urllib.error.HTTPError as exc:
                with exc:
                    return Answer(url, exc.code, exc.headers, exc.read())
        except FetchFailed:
            raise
        except TimeoutError as exc:
            raise ServerTimeout(server, self.timeout) from exc
        except urllib.error.URLError as exc:
            if isinstance(exc.reason, TimeoutError):
                raise ServerTimeout(server, self.timeout) from exc
            raise ServerUnreachable(server) from exc
        except (http.client.HTTPException, OSError) as exc:
            raise ServerUnreachable(server) from exc
