"""Every table on a page sits in a scroll region of its own (the UI kit's ``.sv-scroll``,
on the residents' pages ``.table-scroll``): a focusable region (``tabindex="0"``,
``role="region"``) with a label, so a table wider than a phone scrolls inside it and
never makes the whole page scroll sideways (tests/browser/test_screen_sizes.py measures
the pages themselves). PDF templates are paper, not screens, and are left out."""

from __future__ import annotations

import re
from pathlib import Path

import samverkan

SRC = Path(samverkan.__file__).parent
REGION = re.compile(
    r'<div class="(?:sv-scroll(?: [\w-]+)*|table-scroll)" tabindex="0" role="region" '
    r'aria-(?:labelledby="(?P<ref>[^"]+)"|label="(?P<label>[^"]+)")>\s*$'
)


def _screen_templates() -> list[Path]:
    return sorted(p for p in SRC.glob("*/templates/**/*.html") if "pdf" not in p.relative_to(SRC).parts)


def _problems(text: str) -> list[str]:
    problems = []
    for match in re.finditer(r"<table\b", text):
        line = text.count("\n", 0, match.start()) + 1
        before = text[: match.start()].rstrip().rsplit("\n", 1)[-1]
        region = REGION.search(before)
        if region is None:
            problems.append(f"line {line}: the table is not directly in a labelled, focusable scroll region")
        elif (ref := region.group("ref")) and "{{" not in ref and f'id="{ref}"' not in text:
            problems.append(f"line {line}: the region's aria-labelledby={ref!r} names no element of this template")
    return problems


def test_every_table_on_a_screen_is_in_a_labelled_scroll_region():
    templates = _screen_templates()
    assert len(templates) > 100, "the app templates were found"
    problems = [
        f"{path.relative_to(SRC)} {problem}"
        for path in templates
        for problem in _problems(path.read_text(encoding="utf-8"))
    ]
    assert not problems, "\n".join(problems)


def test_the_check_catches_a_bare_table_and_a_dangling_label():
    assert _problems('<h2>Cases</h2>\n<table class="govuk-table"></table>')
    assert _problems(
        '<div class="sv-scroll" tabindex="0" role="region" aria-labelledby="x">\n'
        '<table class="govuk-table"><caption id="y">Cases</caption></table>\n</div>'
    )
    assert not _problems(
        '<div class="sv-scroll" tabindex="0" role="region" aria-labelledby="x">\n'
        '<table class="govuk-table"><caption id="x">Cases</caption></table>\n</div>'
    )
    assert not _problems(
        '<div class="sv-scroll" tabindex="0" role="region" aria-label="Cases">\n'
        '<table class="govuk-table"></table>\n</div>'
    )
