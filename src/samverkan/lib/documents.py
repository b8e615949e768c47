"""The one way Samverkan makes a PDF: a Django template (autoescaped) laid out by WeasyPrint.

Names, notes and goals are typed by people, and a document must print them, never
interpret them. So documents are HTML templates rendered with Django's autoescaping
(a name such as ``<img src="/etc/hostname"/>`` is printed as those characters), and
WeasyPrint is given a URL fetcher that refuses everything except the app's own static
files (the shared print stylesheet): no network, no ``file://``, no ``data:`` URLs and
no path that climbs out of the static folders. A refused resource makes WeasyPrint log
and skip it; the document is still made.

WeasyPrint's own log lines are stripped of their arguments (a URL, a CSS snippet, an
exception text) before any handler sees them, so a document can never put personal data
in the log. Fonts are the system's (DejaVu Sans from Debian's fonts-dejavu-core), found
through fontconfig; no document loads a font over a URL.

Every document carries the organisation's letterhead (its name, contact details and
logo) when the setting SAMVERKAN_DOCUMENT_LETTERHEAD names a function that returns it
(``{"context": {...}, "images": {"logo.png": b"..."}}``; directory.selectors.
identity_letterhead). The images are served to WeasyPrint from memory at
DOCUMENT_IMAGES_URL + name: still nothing from the network or the disk.

This module is a pure helper: it knows template names only, never a domain app.
"""

from __future__ import annotations

import functools
import logging
import mimetypes
import posixpath
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.exceptions import ImproperlyConfigured
from django.template import engines
from django.utils import timezone, translation
from django.utils.module_loading import import_string

# The origin a document's relative URLs resolve against. ".invalid" can never resolve
# (RFC 6761), so even a fetcher that forgot a check would not reach a real host.
DOCUMENT_BASE_URL = "https://documents.samverkan.invalid/"
# A document names a static file as DOCUMENT_STATIC_URL + its path in the static folders.
# Independent of STATIC_URL (which may be a CDN) and of hashed names: the fetcher reads
# the file from disk.
DOCUMENT_STATIC_URL = DOCUMENT_BASE_URL + "static/"

# In-memory images of one document (the letterhead's logo) by name.
DOCUMENT_IMAGES_URL = DOCUMENT_BASE_URL + "images/"

# The shared print stylesheet (A4, running header, page numbers, repeated table heads).
PRINT_STYLESHEET = "frontend/pdf/documents.css"


class RefusedResource(ValueError):
    """A document asked for something that is not one of the app's static files."""


class _NoArguments(logging.Filter):
    """Keeps WeasyPrint's log lines to their fixed wording: the arguments (URLs, CSS,
    exception texts) and tracebacks are dropped before any handler formats them."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.args = ()
        record.exc_info = None
        record.exc_text = None
        record.stack_info = None
        return True


_NO_ARGUMENTS = _NoArguments()


def _quiet_weasyprint_logs() -> None:
    """Installed before WeasyPrint is first imported (it logs while loading its own
    stylesheets). Its progress lines (a dozen per document) say nothing an operator
    needs, so only their warnings pass."""
    for name in ("weasyprint", "weasyprint.progress"):
        logger = logging.getLogger(name)
        if _NO_ARGUMENTS not in logger.filters:
            logger.addFilter(_NO_ARGUMENTS)
    logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)


def _relative_static_path(url: str) -> str:
    """The path below STATIC_URL that ``url`` names, or RefusedResource."""
    prefix = DOCUMENT_STATIC_URL
    parts = urlsplit(url)
    bare = f"{parts.scheme}://{parts.netloc}{parts.path}"
    if parts.scheme != "https" or not bare.startswith(prefix):
        raise RefusedResource("only the app's own static files may be used in a document")
    relative = unquote(bare[len(prefix) :])
    segments = relative.split("/")
    if (
        not relative
        or "\\" in relative
        or "\x00" in relative
        or any(s in ("", ".", "..") for s in segments)
        or posixpath.normpath(relative) != relative
    ):
        raise RefusedResource("not a static file path")
    return relative


def _inside(path: Path, root: Path) -> bool:
    try:
        path.resolve(strict=True).relative_to(root.resolve(strict=True))
    except (OSError, ValueError):
        return False
    return True


def static_file(url: str) -> Path:
    """The file on disk behind ``url`` (DOCUMENT_STATIC_URL + a static path), found by
    the staticfiles finders (the apps' static folders) or else in STATIC_ROOT (the
    collected files); RefusedResource for anything else."""
    relative = _relative_static_path(url)
    found = finders.find(relative)
    candidates = [Path(found)] if isinstance(found, str) else []
    if settings.STATIC_ROOT:
        candidates.append(Path(settings.STATIC_ROOT) / relative)
    roots = [Path(p) for p in _static_roots()]
    for candidate in candidates:
        # A symbolic link out of the static folders is refused like a "../".
        if candidate.is_file() and any(_inside(candidate, root) for root in roots):
            return candidate
    raise RefusedResource("no such static file")


def _static_roots() -> list[str]:
    roots: list[str] = []
    for finder in finders.get_finders():
        for storage in getattr(finder, "storages", {}).values():
            location = getattr(storage, "location", None)
            if location and location not in roots:
                roots.append(location)
    if settings.STATIC_ROOT:
        roots.append(str(settings.STATIC_ROOT))
    return roots


@functools.cache
def _fetcher_class() -> type:
    _quiet_weasyprint_logs()
    from weasyprint.urls import (  # deferred: WeasyPrint and its Pango libraries load only when a document is made
        URLFetcher,
        URLFetcherResponse,
    )

    class StaticOnlyFetcher(URLFetcher):
        """WeasyPrint's fetcher, narrowed to the app's static files read from disk and
        the document's own in-memory images."""

        def __init__(self, images: dict[str, bytes] | None = None) -> None:
            super().__init__(allow_redirects=False)
            self.images = dict(images or {})

        def fetch(self, url: str, headers: Any = None) -> Any:
            if url.startswith(DOCUMENT_IMAGES_URL):
                name = url[len(DOCUMENT_IMAGES_URL) :]
                if name not in self.images:
                    raise RefusedResource("no such document image")
                mime = mimetypes.guess_type(name)[0] or "application/octet-stream"
                return URLFetcherResponse(url, body=self.images[name], headers={"Content-Type": mime})
            path = static_file(url)
            mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            return URLFetcherResponse(url, body=path.read_bytes(), headers={"Content-Type": mime})

    return StaticOnlyFetcher


def url_fetcher(images: dict[str, bytes] | None = None) -> Any:
    """A fresh fetcher for one document (WeasyPrint keeps per-request state on it)."""
    return _fetcher_class()(images)


def letterhead() -> dict[str, Any]:
    """The letterhead the setting SAMVERKAN_DOCUMENT_LETTERHEAD provides (empty when unset)."""
    dotted = getattr(settings, "SAMVERKAN_DOCUMENT_LETTERHEAD", "")
    if not dotted:
        return {}
    result = import_string(dotted)()
    return result if isinstance(result, dict) else {}


def render_pdf(*, template_name: str, title: str, context: dict[str, Any]) -> bytes:
    """Render ``template_name`` with ``context`` (Django templates, autoescape on) and
    lay it out as a PDF titled ``title`` (the document's metadata and running header;
    keep personal data out of it). The template extends ``frontend/pdf/base.html``,
    which links the shared print stylesheet. Day and month names follow the active
    language. Text in the result is extractable (the fonts carry a ToUnicode map) and
    the PDF is tagged for screen readers."""
    _quiet_weasyprint_logs()
    from weasyprint import HTML  # deferred: WeasyPrint and its Pango libraries load only when a document is made

    engine = engines["django"]
    if not getattr(engine, "engine", None) or not engine.engine.autoescape:  # type: ignore[attr-defined]
        # Fail closed: without autoescaping, names would be markup again.
        raise ImproperlyConfigured("Documents need the Django template engine with autoescape on.")
    head = letterhead()
    html = engine.get_template(template_name).render(
        {
            **head.get("context", {}),
            **context,
            "document_images_url": DOCUMENT_IMAGES_URL,
            "document_title": title,
            "document_date": timezone.localdate(),
            "document_language": (translation.get_language() or settings.LANGUAGE_CODE).split("-")[0],
            "print_stylesheet_url": DOCUMENT_STATIC_URL + PRINT_STYLESHEET,
        }
    )
    document = HTML(
        string=html, base_url=DOCUMENT_BASE_URL, url_fetcher=url_fetcher(head.get("images"))
    )
    pdf = document.write_pdf(pdf_tags=True)
    assert isinstance(pdf, bytes)
    return pdf
