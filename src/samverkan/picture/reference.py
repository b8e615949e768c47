"""The shipped incident categories (the EST catalogue); run by
`samverkan load_reference_data` and the demo. Only missing categories are created: one an
administrator renamed, recoloured or retired keeps the change."""

from __future__ import annotations

from samverkan.picture.models import Category

# What load() counts, for the command's summary line.
LOADED = "incident categories"

# (code, Swedish, English, colour). Places and events, never people.
DEFAULT_CATEGORIES: tuple[tuple[str, str, str, str], ...] = (
    ("vandalism", "Skadegörelse", "Vandalism", "#8c2d04"),
    ("graffiti", "Klotter", "Graffiti", "#6a51a3"),
    ("littering", "Nedskräpning", "Littering", "#637939"),
    ("fire", "Brand eller anlagd brand", "Fire or arson", "#d94801"),
    ("drug-dealing", "Öppen narkotikaförsäljning", "Open drug dealing", "#a50f15"),
    ("unsafe-gathering", "Samlingar som skapar otrygghet", "Gatherings that make people feel unsafe", "#08519c"),
    ("broken-lighting", "Trasig belysning", "Broken lighting", "#525252"),
    ("threat", "Hot eller trakasserier", "Threats or harassment", "#7a0177"),
    ("break-in", "Inbrott eller försök", "Break-in or attempt", "#005a32"),
    ("vehicle", "Fordon som stör eller är övergivna", "Disturbing or abandoned vehicles", "#3f007d"),
)


def load() -> int:
    created = 0
    for order, (code, name_sv, name_en, colour) in enumerate(DEFAULT_CATEGORIES, start=1):
        _category, made = Category.objects.get_or_create(
            code=code, defaults={"name_sv": name_sv, "name_en": name_en, "colour": colour, "order": order * 10}
        )
        created += int(made)
    return created
