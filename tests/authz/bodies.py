"""Everything a response could show, as text to search for markers: HTML, CSV, JSON,
streamed downloads, PDFs (every stream decoded, whatever its filters, and the drawn text)
and XLSX (every part of the zip)."""

from __future__ import annotations

import base64
import io
import re
import zipfile
import zlib
from typing import Any

_STREAM = re.compile(rb"<<(?P<dict>(?:(?!>>).)*?)>>\s*stream\r?\n(?P<data>.*?)\s*endstream", re.S)


def _decode_stream(head: bytes, data: bytes) -> bytes:
    filters = re.findall(rb"/(ASCII85Decode|A85|FlateDecode|Fl|ASCIIHexDecode|AHx)", head)
    for f in filters:
        if f in (b"ASCII85Decode", b"A85"):
            text = data.strip()
            text = text[2:] if text.startswith(b"<~") else text
            text = text[:-2] if text.endswith(b"~>") else text
            data = base64.a85decode(text, adobe=False, ignorechars=b" \t\r\n")
        elif f in (b"FlateDecode", b"Fl"):
            data = zlib.decompress(data)
        elif f in (b"ASCIIHexDecode", b"AHx"):
            data = bytes.fromhex(data.strip().rstrip(b">").decode())
    return data


def pdf_text(content: bytes) -> str:
    """The raw file, every stream decoded (metadata, object streams) and the text as a
    reader sees it: WeasyPrint draws glyph ids, so drawn text is found only through the
    fonts' Unicode maps (pypdf); markers are plain ASCII without spaces and never split."""
    from pypdf.errors import PyPdfError

    from tests.documents import pdf_text as drawn_text

    parts = [content]
    for m in _STREAM.finditer(content):
        try:
            parts.append(_decode_stream(m.group("dict"), m.group("data")))
        except (ValueError, zlib.error):
            parts.append(m.group("data"))
    try:
        drawn = drawn_text(content)
    except (PyPdfError, ValueError):
        drawn = ""  # a hand-made upload pypdf cannot read: its text is in the raw parts
    return b"\n".join(parts).decode("latin-1") + "\n" + drawn


def xlsx_text(content: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(content)) as z:
        return "\n".join(z.read(n).decode("utf-8", "replace") for n in z.namelist())


def response_bytes(response: Any) -> bytes:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)
    return bytes(response.content)


def response_text(response: Any) -> str:
    content = response_bytes(response)
    if content.startswith(b"%PDF"):
        return pdf_text(content)
    if content.startswith(b"PK\x03\x04"):
        return xlsx_text(content)
    return content.decode("utf-8", "replace")
