"""Follow-up statistics for managers: counts only, of the cases their organisation
leads (access.policy.scope_statistics_cases), per programme and district, with
small-number suppression (followup.suppression) applied before anything leaves here.

Every number a view or export gets is a ``Cell`` display string (or a median of at
least five cases); raw counts never leave this package. Counting is done with GROUP BY
in SQL; only the durations of closed cases are read to compute medians.

A manager can ask for every year and for all years, and can combine what those pages
and exports show. Suppression is therefore decided once per data snapshot for every
table that any filter can show, as one linked family (followup.family, followup.linked),
so that no combination gives a hidden count away; which cells are hidden is cached under
a keyed hash of the counts (``protection``), and a request only counts in SQL, reads the
cache and cuts out the tables of its filter.

One module per subject, like ``cases/services/``:

* ``common``: the page model (``StatTable``, ``Statistics``) and the status and
  outcome columns the case tables share.
* ``case_counts``: the organisation's cases (and purged cases' anonymous rows) counted
  at the finest grain, the rows and years listed.
* ``protection``: which cells are hidden, decided once per data snapshot and cached.
* ``commitments``: commitments met on time, per committing organisation.
* ``chart_data``: the charts beside the tables.
* ``page``: ``statistics_for``, the page and its exports (audited).

Callers outside the app import this package (``from samverkan.followup import selectors``;
``selectors.statistics_for(...)``): it re-exports every public name below. The
counting functions (``case_counts``, ``commitments``) are for the modules of this
package only: raw counts stay inside it.
"""

from samverkan.followup.selectors.case_counts import PURGED_FIELDS
from samverkan.followup.selectors.common import NO_OUTCOME, STATUS_COLUMNS, Statistics, StatTable
from samverkan.followup.selectors.page import DAYS_PER_MONTH, statistics_for
from samverkan.followup.selectors.protection import (
    CACHE_SECONDS,
    PROTECTION_VERSION,
    protected_case_tables,
    protected_commitment_tables,
)

__all__ = [
    "CACHE_SECONDS",
    "DAYS_PER_MONTH",
    "NO_OUTCOME",
    "PROTECTION_VERSION",
    "PURGED_FIELDS",
    "STATUS_COLUMNS",
    "StatTable",
    "Statistics",
    "protected_case_tables",
    "protected_commitment_tables",
    "statistics_for",
]
