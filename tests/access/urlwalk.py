"""Walk a URLconf: every route with its view, full name and dummy reverse arguments."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.converters import (
    IntConverter,
    PathConverter,
    SlugConverter,
    StringConverter,
    UUIDConverter,
)


@dataclass(frozen=True)
class Route:
    route: str  # the pattern text, e.g. "katalog/omraden/<int:pk>/"
    name: str | None  # "namespace:name" or None
    callback: Callable[..., Any]
    converters: dict[str, Any] = field(default_factory=dict)

    @property
    def dotted(self) -> str:
        return f"{self.callback.__module__}.{self.callback.__qualname__}"

    def dummy_kwargs(self) -> dict[str, Any]:
        return {key: dummy_value(conv) for key, conv in self.converters.items()}


def dummy_value(converter: Any) -> Any:
    if isinstance(converter, IntConverter):
        return 1
    if isinstance(converter, UUIDConverter):
        return uuid.UUID(int=1)
    if isinstance(converter, SlugConverter | StringConverter | PathConverter):
        return "x"
    raise AssertionError(
        f"no dummy value for converter {type(converter).__name__}; add one to tests/access/urlwalk.py"
    )


def walk(urlconf: str | None = None) -> Iterator[Route]:
    yield from _walk(get_resolver(urlconf).url_patterns, prefix="", namespace="", converters={})


def _walk(
    patterns: list[Any], *, prefix: str, namespace: str, converters: dict[str, Any]
) -> Iterator[Route]:
    for entry in patterns:
        route = prefix + str(entry.pattern)
        conv = {**converters, **getattr(entry.pattern, "converters", {})}
        if isinstance(entry, URLResolver):
            ns = namespace
            if entry.namespace:
                ns = f"{namespace}{entry.namespace}:"
            yield from _walk(entry.url_patterns, prefix=route, namespace=ns, converters=conv)
        elif isinstance(entry, URLPattern):
            name = f"{namespace}{entry.name}" if entry.name else None
            yield Route(route=route, name=name, callback=entry.callback, converters=conv)
        else:  # pragma: no cover - Django has only these two
            raise AssertionError(f"unknown URL entry {entry!r}")
