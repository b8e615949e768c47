"""The case's own pages: my cases, look-up, the overview (which gathers consent and
journal notes), team, closure, consent and disclosures, guardians.

They ask the case decision (samverkan.caseaccess), which is computed from cases and
consent, so they sit above it rather than in those apps; their URL names stay in the
cases, consent and people namespaces (samverkan/urls.py composes them)."""
