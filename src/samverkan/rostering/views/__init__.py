"""Experts, rosters, exports, swaps, the capacity planner and the roster checker.

Reads go through rostering.selectors (policy-scoped); writes through services, which
check the actor again. Outside the actor's compartment the answer is 404.

One module per subject (``rostering/urls.py`` imports them): ``experts`` (experts,
leave, calendars), ``rosters`` (a group's roster, versions, re-planning, settings, on
duty), ``exports`` (CSV, XLSX, PDF), ``swaps``, ``uploads`` (the roster checker) and
``capacity`` (the capacity planner); ``common`` holds the helpers they share.
"""
