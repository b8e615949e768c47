"""Demo data for the local picture, crime prevention (lag 2023:196) and the city-police
agreement: a year of fictitious EST incident reports in the six listed areas with
seasonal patterns and a few clear hotspots, named places, weekly meeting records, a
decided lägesbild and åtgärdsplan with indicators that move, the city-police agreement
and Järva's local one with commitments, follow-up meetings, citizen promises, promised
and reported police presence and a forum, the coordinators and this year's cycle.

Everything is fictitious and marked so: organisations, document titles, signatories and
imported figures carry "(fiktiv)" (``common.FICTITIOUS``); incident texts describe places
and events, never people, and hold no names or numbers. Reports are drawn from a seeded
generator, so every load makes the same picture; they are written with bulk_create and
their weekly counts computed in memory. Rows are written directly with the models (no
services, so no audit events: loading the demo is not anyone's work).

Idempotent: the staff are refreshed on every load; the rest is loaded once (the decided
lägesbild ``common.SITUATION_TITLE`` marks a loaded demo).

One module per topic: ``common`` (seed, markers, the ``Loader``), ``staff`` (personas and
the fictitious reporting organisations), ``reports`` (places and the year of reports),
``meetings`` (weekly meetings), ``documents`` (lägesbild, åtgärdsplan, coordinators,
cycle), ``agreements`` (agreements, promises, presence, forum), ``load``.
"""

from samverkan.demo.localpicture.common import FICTITIOUS, SEED, SITUATION_TITLE
from samverkan.demo.localpicture.load import load_local_picture
from samverkan.demo.localpicture.staff import LOCAL_PICTURE_PERSONAS

__all__ = ["FICTITIOUS", "LOCAL_PICTURE_PERSONAS", "SEED", "SITUATION_TITLE", "load_local_picture"]
