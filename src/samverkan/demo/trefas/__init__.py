"""Demo data for Trefas: the fictitious forum "Trefas Järva" (district social services,
the Rinkeby police area, frivården, the Täby prison and the city's coordinator against
lethal violence), its staff personas with jurists for the city and the police, about 40
invented people aged 15-25 on the list with their rating histories, two police-owned
groups in an active conflict, shares in every state with their rows in the disclosure
register, meetings every 21 days with signed minutes and actions, a shooting two days
ago with its checklist half done, a release in three weeks and an exit referral.

Rows are written directly with the models (no services, so no audit events: the demo's
data is not anyone's access to personal data). Fictitious by construction: names from
Faker sv_SE with a fixed seed, identity numbers from lib.identity_numbers.make_fictitious
with serials of their own (``common.SERIALS``), every Person marked ``is_fictitious``.
Idempotent: the staff are refreshed on every load; a forum already loaded (its short
code exists) is left as it is.

One module per topic:

* ``common``: the seed, the forum's code, the serials, the ``Loader`` the topics share.
* ``staff``: the demo staff personas of the forum.
* ``forum``: the forum, its member organisations and named members.
* ``people``: the listed people, their rating histories, the groups and the conflict.
* ``shares``: shares in every state and the disclosure register's Trefas rows.
* ``meetings``: held meetings with minutes, attendance, discussions and actions; the next one.
* ``incidents``: the shooting with its checklist and linked people; the release; the exit.
* ``load``: ``load_trefas``, which ``demo.services.demo_load`` calls.
"""

from samverkan.demo.trefas.common import FORUM_CODE, SEED, SERIALS
from samverkan.demo.trefas.load import load_trefas
from samverkan.demo.trefas.staff import TREFAS_STAFF

__all__ = ["FORUM_CODE", "SEED", "SERIALS", "TREFAS_STAFF", "load_trefas"]
