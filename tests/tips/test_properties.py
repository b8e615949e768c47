"""Property-based: whatever is posted to the tip form, the answer is a clean
validation error or a stored tip — never a server error."""

from __future__ import annotations

from django.core.cache import cache
from django.test import override_settings
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from samverkan.tips import abuse
from samverkan.tips.models import Tip, TipTopic
from tests.factories import AreaFactory

AREAS = ["husby", "bredang"]
text = st.text(max_size=6000)
area = st.one_of(st.sampled_from(AREAS), st.text(max_size=60))
topic = st.one_of(st.sampled_from(TipTopic.values), st.text(max_size=30))


@override_settings(TIPS_MIN_FILL_SECONDS=0, TIPS_RATE_LIMIT=10**9, PUBLIC_PAGE_CACHE_SECONDS=0)
class TipFormProperties(TestCase):
    @classmethod
    def setUpTestData(cls):
        for code in AREAS:
            AreaFactory(code=code)

    @given(area=area, topic=topic, body=text, contact=st.text(max_size=400), website=st.sampled_from(["", "x"]))
    def test_any_input_is_stored_or_cleanly_refused(self, area, topic, body, contact, website):
        cache.clear()
        before = Tip.objects.count()
        response = self.client.post("/tipsa/", {"area": area, "topic": topic, "text": body, "contact": contact,
                                                "website": website, "token": abuse.issue_token()})
        self.assertEqual(response.status_code, 200)
        stored = Tip.objects.count() - before
        html = response.content.decode()
        should_store = (
            area in AREAS and topic in TipTopic.values and website == ""
            and 0 < len(body.strip()) <= 5000 and len(contact.strip()) <= 300
            and "\x00" not in body and "\x00" not in contact
        )
        if stored:
            self.assertTrue(should_store, (area, topic, body[:50]))
            self.assertIn('class="code"', html)
            tip = Tip.objects.order_by("-received_on").filter(text=body.strip()).first()
            self.assertIsNotNone(tip)
        else:
            self.assertFalse(should_store, (area, topic, body[:50], contact[:50]))
            self.assertIn("error-summary", html)

    @given(code=st.text(max_size=80), body=st.one_of(st.none(), text))
    def test_any_receipt_lookup_is_answered_cleanly(self, code, body):
        cache.clear()
        data = {"code": code} if body is None else {"code": code, "text": body}
        response = self.client.post("/tipsa/kvitto/", data)
        self.assertEqual(response.status_code, 200)
