"""Provider URLs may not make the server a proxy to what only it can reach (instance metadata).

Refused: schemes other than http(s), and any host that is, or resolves to, a link-local or
instance-metadata address (169.254.0.0/16, fe80::/10, fd00:ec2::/32, 100.100.100.200).
Loopback and private addresses stay allowed: local Ollama, LM Studio and vLLM live there.
"""

from __future__ import annotations

import ipaddress
import socket
from urllib.parse import urlsplit

from chalicelib.llm.errors import UnsafeUrl

METADATA_NETWORKS = (
    ipaddress.ip_network("169.254.0.0/16"),
    ipaddress.ip_network("fe80::/10"),
    ipaddress.ip_network("fd00:ec2::/32"),
    ipaddress.ip_network("100.100.100.200/32"),
)


def _forbidden(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        address = address.ipv4_mapped
    return address.is_link_local or any(address in network for network in METADATA_NETWORKS)


def _host(url: str) -> str:
    """The URL's host after checking its scheme; UnsafeUrl otherwise."""
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError on a malformed port
    except ValueError as error:
        raise UnsafeUrl(f"base_url {url!r} is not a valid URL") from error
    if parts.scheme not in ("http", "https"):
        raise UnsafeUrl(f"base_url must use http or https, not {parts.scheme or 'no scheme'!r}")
    if not parts.hostname:
        raise UnsafeUrl(f"base_url {url!r} has no host")
    return parts.hostname


def check_syntax(url: str) -> None:
    """Scheme and literal-address checks only (for validating stored config without DNS)."""
    host = _host(url)
    try:
        literal = ipaddress.ip_address(host)
    except ValueError:
        return
    if _forbidden(literal):
        raise UnsafeUrl(f"base_url may not point at link-local or metadata address {host}")


def check_resolved(url: str) -> None:
    """Every address the host resolves to must be allowed; UnsafeUrl otherwise, OSError when unresolvable."""
    check_syntax(url)
    host = _host(url)
    for *_, sockaddr in socket.getaddrinfo(host, None, proto=socket.IPPROTO_TCP):
        address = ipaddress.ip_address(str(sockaddr[0]).split("%", 1)[0])
        if _forbidden(address):
            raise UnsafeUrl(f"base_url host {host!r} resolves to link-local or metadata address {address}")
