"""What one person may see and do in one case (docs/adr/0011-case-access-object.md).

Above cases and consent (it is computed from the team, emergency access, consent and
disclosures), below the apps that record entries in a case (journal, plans, meetings).
``CaseAccess`` (decision.py) is the object; caseaccess.selectors fetches a case with it
(404 outside the team), the cases a person may open, and entries across cases."""

from samverkan.cases.actions import CaseAction

__all__ = ["CaseAction"]
