"""Demo data for the individual track (SIG unga / SIG unga vuxna in Järva and
Skärholmen): fictitious participants and guardians, ~60 cases in every state, teams with
the demo personas, consents in every state, statutory disclosures, journal notes from
several organisations, action plans with commitments, meetings with minutes, closures
with outcomes — and a drawn log review for Järva.

Everything is written through the domain services (so it is audited and obeys the
access policy); afterwards, dates are moved back in time (received, decided, closed,
commitments completed) so that the statistics show plausible durations.

Fictitious by construction: names from Faker sv_SE with a fixed seed, identity numbers
from lib.identity_numbers.make_fictitious, every Person marked ``is_fictitious``.
Idempotent: a participant whose fixed identity number already exists is skipped, so
re-running ``make demo`` creates nothing twice. Birth dates are fixed relative to
ANCHOR (not to today), so the numbers stay the same from day to day; the one participant
who "turned 18 recently" is born relative to today and found again by its reserved
serial number.

One module per subject, like ``cases/services/``:

* ``common``: the seed and anchor, a participant's ``Spec``, the ``Loader`` the topics
  share (the day, the seeded generators, organisations, users, programmes).
* ``staff``: the extra Skärholmen demo staff.
* ``specs``: the participants of the story and whether one is loaded already.
* ``case_story``: one case from intake (with guardians), decision and team to closure,
  and its dates moved back; it calls the topics below.
* ``consents``: consents in every state and the statutory disclosures.
* ``notes``: journal notes from several organisations.
* ``action_plans``: goals and commitments, the due ones followed up.
* ``meetings``: a held meeting with minutes, and the next one.
* ``log_review``: a break-the-glass access and the drawn log review for Järva.
* ``load``: ``load_individual_track``, which ``demo.services.demo_load`` calls.

It re-exports every public name below (``from samverkan.demo.individual_track import
load_individual_track``).
"""

from samverkan.demo.individual_track.action_plans import COMMITMENTS, GOALS
from samverkan.demo.individual_track.common import ANCHOR, RECENT_ADULT_SERIAL, SEED, Spec
from samverkan.demo.individual_track.consents import CONSENT_CATEGORIES
from samverkan.demo.individual_track.load import load_individual_track
from samverkan.demo.individual_track.notes import NOTE_TEXTS
from samverkan.demo.individual_track.specs import CONSENT_STATES, OUTCOMES, PLAN
from samverkan.demo.individual_track.staff import EXTRA_STAFF

__all__ = [
    "ANCHOR",
    "COMMITMENTS",
    "CONSENT_CATEGORIES",
    "CONSENT_STATES",
    "EXTRA_STAFF",
    "GOALS",
    "NOTE_TEXTS",
    "OUTCOMES",
    "PLAN",
    "RECENT_ADULT_SERIAL",
    "SEED",
    "Spec",
    "load_individual_track",
]
