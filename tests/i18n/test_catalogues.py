"""The staff catalogues: Swedish complete and compiled, English selectable.

The UI is Swedish by default (LANGUAGE_CODE = "sv"). Every string is written as an
English msgid, so a string without a Swedish msgstr shows up in English to Swedish
users. These tests make that a CI failure:

- the Swedish catalogue has no untranslated or fuzzy entries, and its placeholders
  match the msgids (a dropped ``%(name)s`` raises KeyError at render time);
- the compiled .mo says the same as the .po (someone forgot compilemessages);
- makemessages over the source finds no msgid that the committed .po lacks.

To fix a failure: ``make messages`` (makemessages + compilemessages), translate the
new entries in src/samverkan/locale/sv/LC_MESSAGES/django.po, run ``make messages``
again.

The public pages (samverkan/public) keep their own catalogue in public/locale; it is
maintained with the public pages and is not checked here.
"""

from __future__ import annotations

import gettext
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest

import samverkan

PACKAGE_DIR = Path(samverkan.__file__).resolve().parent
LOCALE_DIR = PACKAGE_DIR / "locale"
SV_PO = LOCALE_DIR / "sv" / "LC_MESSAGES" / "django.po"
SV_MO = LOCALE_DIR / "sv" / "LC_MESSAGES" / "django.mo"
EN_PO = LOCALE_DIR / "en" / "LC_MESSAGES" / "django.po"
EN_MO = LOCALE_DIR / "en" / "LC_MESSAGES" / "django.mo"

# Keep in step with the `messages` target in the Makefile.
MAKEMESSAGES_IGNORE = ("public", "static", "tests", "benchmarks", "node_modules", ".venv")

# %(name)s, %(n)d, %(mb).1f, %%, and a bare %s / %d.
PLACEHOLDER = re.compile(r"%\(\w+\)[-#0 +]*\d*(?:\.\d+)?[sdfi]|%%|%[sd]")


def _entries(po: polib.POFile) -> list[polib.POEntry]:
    return [e for e in po if not e.obsolete]


def _key(entry: polib.POEntry) -> tuple[str | None, str, str]:
    return (entry.msgctxt, entry.msgid, entry.msgid_plural or "")


def _placeholders(text: str) -> list[str]:
    return sorted(PLACEHOLDER.findall(text))


@pytest.fixture(scope="module")
def sv_po() -> polib.POFile:
    assert SV_PO.exists(), f"{SV_PO} is missing: run `make messages`"
    return polib.pofile(str(SV_PO))


def test_swedish_catalogue_is_marked_swedish_with_swedish_plurals(sv_po):
    assert sv_po.metadata.get("Language") == "sv"
    assert sv_po.metadata.get("Plural-Forms") == "nplurals=2; plural=(n != 1);"
    assert len(_entries(sv_po)) > 100  # the staff application, not an empty stub


def test_every_swedish_entry_is_translated_and_none_is_fuzzy(sv_po):
    untranslated = [e.msgid for e in sv_po.untranslated_entries()]
    # A plural entry with one form filled in counts as translated for polib; not for us.
    untranslated += [e.msgid for e in _entries(sv_po) if e.msgid_plural and not all(e.msgstr_plural.values())]
    fuzzy = [e.msgid for e in sv_po.fuzzy_entries()]
    assert not untranslated, f"{len(untranslated)} untranslated Swedish msgids, e.g. {untranslated[:5]}"
    assert not fuzzy, f"{len(fuzzy)} fuzzy Swedish entries, e.g. {fuzzy[:5]}"
    assert not sv_po.metadata_is_fuzzy


def test_swedish_translations_keep_the_placeholders(sv_po):
    problems = []
    for entry in _entries(sv_po):
        if entry.msgid_plural:
            # The singular may spell out "one" instead of using the number (it is not
            # required to), so it may use a subset of the plural's placeholders.
            singular, plural = entry.msgstr_plural.get(0, ""), entry.msgstr_plural.get(1, "")
            if _placeholders(plural) != _placeholders(entry.msgid_plural):
                problems.append(entry.msgid_plural)
            if not set(_placeholders(singular)) <= set(_placeholders(entry.msgid_plural)):
                problems.append(entry.msgid)
        elif _placeholders(entry.msgstr) != _placeholders(entry.msgid):
            problems.append(entry.msgid)
    assert not problems, f"placeholders differ from the msgid in: {problems[:10]}"


def test_placeholder_check_catches_a_dropped_placeholder():
    """The check above must be able to fail."""
    assert _placeholders("Hej %(name)s, %(n)d nya") != _placeholders("Hej, %(n)d nya")
    assert _placeholders("%(p)s %%") == _placeholders("Förlopp: %(p)s %%")


def _compiled(mo_path: Path) -> gettext.GNUTranslations:
    assert mo_path.exists(), f"{mo_path} is missing: run `make messages` (compilemessages)"
    with mo_path.open("rb") as handle:
        return gettext.GNUTranslations(handle)


def _stale_compiled_entries(po: polib.POFile, compiled: gettext.GNUTranslations) -> list[str]:
    stale = []
    for entry in _entries(po):
        if entry.msgid_plural:
            for n, index in ((1, 0), (2, 1)):
                expected = entry.msgstr_plural.get(index) or (entry.msgid if n == 1 else entry.msgid_plural)
                if entry.msgctxt:
                    got = compiled.npgettext(entry.msgctxt, entry.msgid, entry.msgid_plural, n)
                else:
                    got = compiled.ngettext(entry.msgid, entry.msgid_plural, n)
                if got != expected:
                    stale.append(entry.msgid)
                    break
        else:
            expected = entry.msgstr or entry.msgid
            got = compiled.pgettext(entry.msgctxt, entry.msgid) if entry.msgctxt else compiled.gettext(entry.msgid)
            if got != expected:
                stale.append(entry.msgid)
    return stale


def test_compiled_swedish_catalogue_matches_the_po_file(sv_po):
    compiled = _compiled(SV_MO)
    assert compiled.info().get("language") == "sv"
    stale = _stale_compiled_entries(sv_po, compiled)
    assert not stale, f"django.mo differs from django.po for {len(stale)} msgids, e.g. {stale[:5]}: run `make messages`"


def test_stale_mo_is_detected(sv_po, tmp_path):
    """Compile a copy with one changed translation: the comparison must notice."""
    changed = polib.pofile(str(SV_PO))
    entry = next(e for e in _entries(changed) if e.msgstr and not e.msgid_plural)
    entry.msgstr = entry.msgstr + " (ändrad)"
    mo = tmp_path / "django.mo"
    changed.save_as_mofile(str(mo))
    assert _stale_compiled_entries(sv_po, _compiled(mo)) == [entry.msgid]


def test_english_catalogue_exists_with_the_same_msgids(sv_po):
    """English is selectable: its catalogue lists the same msgids (empty msgstr = the msgid)."""
    assert EN_PO.exists() and EN_MO.exists(), "the English catalogue is missing: run `make messages`"
    en_po = polib.pofile(str(EN_PO))
    assert {_key(e) for e in _entries(en_po)} == {_key(e) for e in _entries(sv_po)}
    assert not en_po.fuzzy_entries()
    _compiled(EN_MO)  # readable


def _copy_sources(destination: Path) -> None:
    """Copy only what makemessages reads (.py, .html, .txt), not static files or catalogues."""

    def ignore(directory: str, names: list[str]) -> set[str]:
        skipped = set()
        for name in names:
            path = Path(directory) / name
            if path.is_dir():
                if name in MAKEMESSAGES_IGNORE or name in {"__pycache__", "locale"}:
                    skipped.add(name)
            elif path.suffix not in {".py", ".html", ".txt"}:
                skipped.add(name)
        return skipped

    shutil.copytree(PACKAGE_DIR, destination, ignore=ignore)
    (destination / "locale").mkdir()


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="xgettext (GNU gettext) is not installed")
def test_makemessages_finds_no_msgid_missing_from_the_catalogue(sv_po, tmp_path):
    """Run makemessages over a copy of the source: a new English string without a
    Swedish translation fails here, before it reaches a Swedish user."""
    copy = tmp_path / "samverkan"
    _copy_sources(copy)
    env = dict(os.environ)
    env["DJANGO_SETTINGS_MODULE"] = "samverkan.settings.test"
    env["PYTHONPATH"] = os.pathsep.join([str(PACKAGE_DIR.parent), env.get("PYTHONPATH", "")])
    command = [sys.executable, "-m", "django", "makemessages", "-l", "sv", "--no-location"]
    command += [f"--ignore={pattern}" for pattern in MAKEMESSAGES_IGNORE]
    result = subprocess.run(command, cwd=copy, env=env, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-2000:]
    fresh = polib.pofile(str(copy / "locale" / "sv" / "LC_MESSAGES" / "django.po"))
    fresh_keys = {_key(e) for e in _entries(fresh)}
    assert len(fresh_keys) > 100, "makemessages found almost nothing: is the copy complete?"
    committed = {_key(e) for e in _entries(sv_po)}
    missing = sorted(msgid for _ctx, msgid, _plural in fresh_keys - committed)
    assert not missing, (
        f"{len(missing)} msgids in the source are not in {SV_PO.relative_to(PACKAGE_DIR.parent.parent)}: "
        f"{missing[:10]}. Run `make messages` and translate them."
    )
