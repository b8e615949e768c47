"""URL patterns of the case pages, one list per namespace they keep: samverkan/urls.py
adds them to the cases, consent and people patterns (same names as before the move)."""

from django.urls import path

from samverkan.casepages.views import closure, consent, guardians, overview, team

cases_urlpatterns = [
    path("", overview.my_cases, name="list"),
    path("sok/", overview.lookup, name="lookup"),
    path("<uuid:public_id>/", overview.detail, name="detail"),
    path("<uuid:public_id>/beslut/", overview.decide, name="decide"),
    path("<uuid:public_id>/team/", team.team, name="team"),
    path("<uuid:public_id>/team/<int:member_id>/ta-bort/", team.team_remove, name="team_remove"),
    path("<uuid:public_id>/byt-program/", overview.transfer, name="transfer"),
    path("<uuid:public_id>/avslut/", closure.closure, name="closure"),
    path("<uuid:public_id>/avslut/stang/", closure.close, name="close"),
    path("<uuid:public_id>/avslut/uppfoljning/<int:pk>/", closure.follow_up, name="follow_up"),
    path("<uuid:public_id>/avslut/rattslig-kvarhallning/", closure.legal_hold, name="legal_hold"),
]

consent_urlpatterns = [
    path("<uuid:public_id>/samtycken/", consent.consent_list, name="list"),
    path("<uuid:public_id>/samtycken/nytt/", consent.consent_record, name="record"),
    path(
        "<uuid:public_id>/samtycken/<int:consent_id>/aterkalla/",
        consent.consent_withdraw,
        name="withdraw",
    ),
    path(
        "<uuid:public_id>/samtycken/<int:consent_id>/blankett/",
        consent.consent_document,
        name="document",
    ),
    path("<uuid:public_id>/utlamnanden/", consent.disclosure_list, name="disclosures"),
    path("<uuid:public_id>/utlamnanden/nytt/", consent.disclosure_record, name="disclosure_record"),
]

people_urlpatterns = [
    path("<uuid:public_id>/vardnadshavare/", guardians.guardians, name="guardians"),
]
