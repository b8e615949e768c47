"""Hostile input for every export, and reading what the exports made: a PDF as a person
(its text) and as a viewer program would (links, actions, embedded files), spreadsheet
cells as a spreadsheet program would (formulas)."""

from __future__ import annotations

import io
import re

from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject


def pdf_text(data: bytes) -> str:
    """The text of every page, with runs of white space (line breaks inside table
    cells included) folded to one space."""
    reader = PdfReader(io.BytesIO(data))
    text = " ".join(page.extract_text() or "" for page in reader.pages)
    return re.sub(r"\s+", " ", text)


def squash(text: str) -> str:
    """``text`` without white space: a narrow table cell may wrap a name anywhere."""
    return re.sub(r"\s+", "", text)


def pdf_pages(data: bytes) -> int:
    return len(PdfReader(io.BytesIO(data)).pages)


# What would make a viewer program act rather than show: link annotations, URI and
# launch actions, JavaScript, embedded files, forms, an action on opening.
ACTIVE_KEYS = {"/Annots", "/URI", "/Launch", "/JavaScript", "/JS", "/EmbeddedFile", "/EmbeddedFiles",
               "/AcroForm", "/OpenAction", "/AA"}
ACTIVE_TYPES = {"/Annot", "/Action", "/Filespec", "/EmbeddedFile"}


def active_content(data: bytes) -> set[str]:
    """Every active-content key or type reachable from the document catalogue (object
    streams included, which is why this walks the objects instead of grepping bytes)."""
    reader = PdfReader(io.BytesIO(data))
    found: set[str] = set()
    seen: set[tuple[int, int]] = set()
    stack: list = [reader.trailer["/Root"]]
    while stack:
        item = stack.pop()
        if isinstance(item, IndirectObject):
            key = (item.idnum, item.generation)
            if key in seen:
                continue
            seen.add(key)
            item = item.get_object()
        if isinstance(item, DictionaryObject):
            found |= ACTIVE_KEYS & set(item.keys())
            if item.get("/Type") in ACTIVE_TYPES:
                found.add(str(item["/Type"]))
            if item.get("/S") in ("/URI", "/Launch", "/JavaScript", "/GoToR"):
                found.add(str(item["/S"]))
            # Parent links lead back up the tree; the page tree is reached from /Pages.
            stack.extend(v for k, v in item.items() if k not in ("/Parent", "/P"))
        elif isinstance(item, ArrayObject):
            stack.extend(item)
    return found


# Names and texts that would be markup to an HTML/paragraph renderer...
HOSTILE_MARKUP = ('<img src="/etc/hostname"/>', '<a href="https://evil.example">x</a>', "Hedin <b>")
# ...and formulas to a spreadsheet program (OWASP CSV injection), one with leading spaces.
FORMULAS = ('=HYPERLINK("http://evil.example")', "+1+1", "@SUM(A1)", "-2+3", "  =1+1")


def assert_printed_literally(pdf: bytes, texts: tuple[str, ...] | list[str]) -> None:
    """Every text is in the PDF as the characters typed, and the PDF has no link,
    action or embedded file."""
    assert pdf.startswith(b"%PDF")
    printed = squash(pdf_text(pdf))
    for text in texts:
        assert squash(text) in printed, text
    assert active_content(pdf) == set()


def assert_cell_inert(value: object) -> None:
    """A spreadsheet cell that a spreadsheet program shows as text, not as a formula."""
    if isinstance(value, str) and value:
        assert value.lstrip(" ")[0] not in "=+-@\t\r\n", value


class StaticFetchSpy:
    """Records every URL a document asks WeasyPrint's fetcher for (install with
    ``spy_on_document_fetches(monkeypatch)``)."""

    def __init__(self) -> None:
        self.urls: list[str] = []

    def assert_only_static(self) -> None:
        from samverkan.lib.documents import DOCUMENT_STATIC_URL as prefix

        assert self.urls, "no document was rendered (the spy saw no fetch)"
        assert all(u.startswith(prefix) for u in self.urls), self.urls
        assert {u.removeprefix(prefix) for u in self.urls} == {"frontend/pdf/documents.css"}, self.urls


def spy_on_document_fetches(monkeypatch) -> StaticFetchSpy:
    from samverkan.lib import documents

    spy = StaticFetchSpy()
    real = documents.static_file

    def recording(url: str):
        spy.urls.append(url)
        return real(url)

    monkeypatch.setattr(documents, "static_file", recording)
    return spy
