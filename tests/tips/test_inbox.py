"""The staff tip inbox: routing, personas, triage, forwarding, replies, audit, CSV."""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse

from samverkan.audit.models import AuditEvent
from samverkan.tips import selectors, services
from samverkan.tips.models import Tip, TipRecipient, TipStatus
from tests.tips.conftest import receipt_code, send_tip

pytestmark = pytest.mark.django_db

PAYLOAD = '<script>alert("x")</script><img src=x onerror=alert(1)>'


def _tip(world, **kwargs):
    tip, code = services.tip_submit(area_code=kwargs.pop("area", "husby"), topic=kwargs.pop("topic", "crime"),
                                    text=kwargs.pop("text", "Bilar kör för fort."), contact=kwargs.pop("contact", ""))
    return tip, code


# --- routing -------------------------------------------------------------------------------


def test_routing_rules_match_area_and_topic(world):
    tip, _ = _tip(world, topic="young_person")
    assert set(TipRecipient.objects.filter(tip=tip).values_list("organisation__short_code", flat=True)) == {
        "lpo-test", "sdf-test"}
    weapons, _ = _tip(world, topic="weapons")
    assert set(weapons.recipients.values_list("organisation__short_code", flat=True)) == {"lpo-test", "tull-test"}
    # Bredäng has no area rule: only the all-areas weapons rule applies.
    tip_b, _ = _tip(world, area="bredang", topic="weapons")
    assert set(tip_b.recipients.values_list("organisation__short_code", flat=True)) == {"tull-test"}


def test_routing_falls_back_to_police_area_and_district(world):
    from tests.factories import AreaFactory, DistrictFactory, OrganisationFactory

    police = OrganisationFactory(kind="police_area")
    admin = OrganisationFactory(kind="district_administration")
    area = AreaFactory(code="fallback", police_area=police, district=DistrictFactory(administration=admin))
    tip, _ = _tip(world, area=area.code, topic="drugs")
    assert set(tip.recipients.values_list("organisation_id", flat=True)) == {police.pk, admin.pk}


def test_routing_admin_screen(logged_in, world):
    admin = logged_in(world["admin"])
    response = admin.get(reverse("tips:routing"))
    assert response.status_code == 200
    response = admin.post(reverse("tips:routing"), {"area": world["bredang"].pk, "topic": "drugs",
                                                    "organisation": world["other"].pk})
    assert response.status_code == 302
    tip, _ = _tip(world, area="bredang", topic="drugs")
    assert world["other"].pk in tip.recipients.values_list("organisation_id", flat=True)
    assert AuditEvent.objects.filter(action="tip.routing_changed").exists()
    # Not for coordinators.
    assert logged_in(world["police_coordinator"]).get(reverse("tips:routing")).status_code == 403


def test_removing_a_routing_rule_asks_first_then_removes(logged_in, world):
    from samverkan.tips.models import RoutingRule

    rule = RoutingRule.objects.get(area=world["husby"], topic="young_person")
    url = reverse("tips:routing_delete", args=[rule.pk])
    assert logged_in(world["police_coordinator"]).post(url).status_code == 403
    admin = logged_in(world["admin"])
    first = admin.post(url)
    assert first.status_code == 200
    body = first.content.decode()
    assert "Remove the routing rule?" in body and "Yes, remove the rule" in body
    assert "no longer go to Stadsdelsförvaltning Test" in body and "Worry about a young person" in body
    assert "The removal cannot be undone" in body and "govuk-warning-text" in body
    assert 'type="hidden" name="confirmed" value="1"' in body
    assert f'href="{reverse("tips:routing")}"' in body  # Cancel: back to the routing table
    assert RoutingRule.objects.filter(pk=rule.pk).exists()
    assert not AuditEvent.objects.filter(action="tip.routing_changed").exists()
    # Going back: the routing table still lists the rule, with its Remove button.
    assert f'action="{url}"' in admin.get(reverse("tips:routing")).content.decode()

    assert admin.post(url, {"confirmed": "1"}).status_code == 302
    assert not RoutingRule.objects.filter(pk=rule.pk).exists()
    assert AuditEvent.objects.filter(action="tip.routing_changed", detail__contains="deleted").count() == 1


# --- personas ------------------------------------------------------------------------------


def test_routed_organisation_sees_the_tip(logged_in, world):
    tip, _ = _tip(world)
    client = logged_in(world["police_coordinator"])
    inbox = client.get(reverse("tips:inbox"))
    assert inbox.status_code == 200
    assert reverse("tips:detail", args=[tip.pk]) in inbox.content.decode()
    detail = client.get(reverse("tips:detail", args=[tip.pk]))
    assert detail.status_code == 200
    assert "Bilar kör för fort." in detail.content.decode()
    assert "no-store" in detail["Cache-Control"]
    assert AuditEvent.objects.filter(action="tip.viewed", subject_id=str(tip.pk),
                                     actor_id=world["police_coordinator"].pk).exists()
    assert AuditEvent.objects.filter(action="tip.inbox_viewed").exists()


def test_other_organisation_gets_404_and_an_empty_inbox(logged_in, world):
    tip, _ = _tip(world)
    client = logged_in(world["other_coordinator"])
    assert client.get(reverse("tips:detail", args=[tip.pk])).status_code == 404
    assert str(tip.pk) not in client.get(reverse("tips:inbox")).content.decode()
    assert client.post(reverse("tips:status", args=[tip.pk]), {"status": "closed"}).status_code == 404
    tip.refresh_from_db()
    assert tip.status == TipStatus.NEW
    # A tip id that does not exist answers the same.
    import uuid

    assert client.get(reverse("tips:detail", args=[uuid.uuid4()])).status_code == 404


def test_caseworker_without_permission_gets_403(logged_in, world):
    tip, _ = _tip(world)
    client = logged_in(world["police_caseworker"])
    assert client.get(reverse("tips:inbox")).status_code == 403
    assert client.get(reverse("tips:detail", args=[tip.pk])).status_code == 403
    assert client.get(reverse("tips:export")).status_code == 403


def test_anonymous_staff_urls_redirect_to_login(client, world):
    tip, _ = _tip(world)
    response = client.get(reverse("tips:detail", args=[tip.pk]))
    assert response.status_code == 302 and "/konto/logga-in/" in response["Location"]


def test_policy_scope_is_the_only_way_in(world):
    tip, _ = _tip(world)
    assert list(selectors.inbox_for_user(actor=world["police_coordinator"])) == [tip]
    assert list(selectors.inbox_for_user(actor=world["other_coordinator"])) == []
    assert list(selectors.inbox_for_user(actor=world["police_caseworker"])) == []


# --- triage, forwarding, replies -------------------------------------------------------------


def test_triage_and_forwarding_under_a_legal_basis(logged_in, world):
    tip, _ = _tip(world)
    police = logged_in(world["police_coordinator"])
    assert police.post(reverse("tips:status", args=[tip.pk]), {"status": "assessed"}).status_code == 302
    tip.refresh_from_db()
    assert tip.status == TipStatus.ASSESSED
    # Forwarding needs a legal basis.
    response = police.post(reverse("tips:forward", args=[tip.pk]), {"organisation": world["other"].pk,
                                                                    "legal_basis": ""})
    assert response.status_code == 400
    other = logged_in(world["other_coordinator"])
    assert other.get(reverse("tips:detail", args=[tip.pk])).status_code == 404
    response = police.post(reverse("tips:forward", args=[tip.pk]), {"organisation": world["other"].pk,
                                                                    "legal_basis": "OSL 10 kap. 24 §"})
    assert response.status_code == 302
    tip.refresh_from_db()
    assert tip.status == TipStatus.FORWARDED
    forwarding = tip.forwardings.get()
    assert forwarding.legal_basis == "OSL 10 kap. 24 §"
    assert forwarding.forwarded_by == world["police_coordinator"]
    assert forwarding.receiving_organisation == world["other"]
    assert forwarding.forwarded_at is not None
    event = AuditEvent.objects.get(action="tip.forwarded")
    assert event.legal_basis == "OSL 10 kap. 24 §" and event.subject_organisation_id == world["other"].pk
    # Now the receiving organisation can read it.
    assert other.get(reverse("tips:detail", args=[tip.pk])).status_code == 200
    assert police.post(reverse("tips:status", args=[tip.pk]), {"status": "closed"}).status_code == 302
    tip.refresh_from_db()
    assert tip.status == TipStatus.CLOSED


def test_reply_reaches_the_sender(logged_in, client, world):
    code = receipt_code(send_tip(client))
    tip = Tip.objects.get()
    staff = logged_in(world["police_coordinator"])
    assert staff.post(reverse("tips:reply", args=[tip.pk]), {"text": "Vi har skickat en patrull."}).status_code == 302
    assert AuditEvent.objects.filter(action="tip.replied").exists()
    assert "Vi har skickat en patrull." in client.post("/tipsa/kvitto/", {"code": code}).content.decode()


def test_state_changes_are_post_only(logged_in, world):
    tip, _ = _tip(world)
    client = logged_in(world["police_coordinator"])
    for name in ("tips:status", "tips:forward", "tips:reply"):
        assert client.get(reverse(name, args=[tip.pk])).status_code == 405


# --- injection rendered inert -------------------------------------------------------------


def test_script_and_html_injection_are_inert_everywhere(logged_in, client, world):
    code = receipt_code(send_tip(client, text=PAYLOAD, contact=PAYLOAD))
    tip = Tip.objects.get()
    client.post("/tipsa/kvitto/", {"code": code, "text": PAYLOAD})
    staff = logged_in(world["police_coordinator"])
    pages = [
        client.post("/tipsa/kvitto/", {"code": code}),
        staff.get(reverse("tips:detail", args=[tip.pk])),
        staff.get(reverse("tips:inbox")),
    ]
    for response in pages:
        html = response.content.decode()
        assert response.status_code == 200
        assert "<script>alert" not in html
        assert "<img src=x" not in html
        assert "&lt;script&gt;" in html or "&lt;img" in html


def test_csv_export_neutralises_formulas(logged_in, world):
    _tip(world, text='=HYPERLINK("http://evil.example","click")', contact="+46 70 123 45 67")
    _tip(world, text="@SUM(1+1)")
    response = logged_in(world["police_coordinator"]).get(reverse("tips:export"))
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    cells = [cell for row in rows[1:] for cell in row]
    assert "'=HYPERLINK(\"http://evil.example\",\"click\")" in cells
    assert "'+46 70 123 45 67" in cells
    assert "'@SUM(1+1)" in cells
    assert not any(c.startswith(("=", "+", "@", "-")) for c in cells)
    assert AuditEvent.objects.filter(action="tip.exported").exists()


def test_csv_export_neutralises_formulas_after_spaces_and_line_breaks(logged_in, world):
    """Before the shared helper the tips export let "  =1+1" and a leading line break
    through (a spreadsheet program skips the blanks and reads a formula)."""
    from tests.documents import FORMULAS, assert_cell_inert

    texts = [*FORMULAS, "\n=1+1 Bilar kör för fort."]
    for text in texts:
        _tip(world, text=text, contact=text)
    response = logged_in(world["police_coordinator"]).get(reverse("tips:export"))
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    cells = [cell for row in rows[1:] for cell in row]
    for text in texts:
        assert "'" + text in cells, text
    for cell in cells:
        assert_cell_inert(cell)
