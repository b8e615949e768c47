from django.urls import URLPattern, URLResolver, path

from samverkan.agreement.views import agreements, commitments, follow_up, forums, presence, promises

app_name = "agreement"

urlpatterns: list[URLPattern | URLResolver] = []

# Agreements, commitments, follow-up, presence, forums (views/*.py)
urlpatterns += [
    path("", agreements.agreement_list, name="list"),
    path("ny/", agreements.agreement_new, name="new"),
    path("<int:agreement_id>/", agreements.agreement_detail, name="detail"),
    path("<int:agreement_id>/andra/", agreements.agreement_edit, name="edit"),
    path("<int:agreement_id>/underteckna/", agreements.agreement_sign, name="sign"),
    path("<int:agreement_id>/avsluta/", agreements.agreement_end, name="end"),
    path("<int:agreement_id>/parter/ny/", agreements.party_new, name="party_new"),
    path("<int:agreement_id>/parter/<int:party_id>/ta-bort/", agreements.party_remove, name="party_remove"),
    path("<int:agreement_id>/undertecknare/ny/", agreements.signatory_new, name="signatory_new"),
    path("<int:agreement_id>/undertecknare/<int:signatory_id>/underteckna/", agreements.signatory_sign,
         name="signatory_sign"),
    path("<int:agreement_id>/undertecknare/<int:signatory_id>/ta-bort/", agreements.signatory_remove,
         name="signatory_remove"),
    path("<int:agreement_id>/ataganden/ny/", commitments.commitment_new, name="commitment_new"),
    path("<int:agreement_id>/ataganden/<int:commitment_id>/", commitments.commitment_edit, name="commitment_edit"),
    path("<int:agreement_id>/ataganden/<int:commitment_id>/ta-bort/", commitments.commitment_remove,
         name="commitment_remove"),
    path("<int:agreement_id>/uppfoljning/ny/", follow_up.follow_up_new, name="follow_up_new"),
    path("<int:agreement_id>/uppfoljning/<int:meeting_id>/", follow_up.follow_up, name="follow_up"),
    path("<int:agreement_id>/uppfoljning/<int:meeting_id>/stang/", follow_up.follow_up_close,
         name="follow_up_close"),
    path("<int:agreement_id>/rapport/", follow_up.report, name="report"),
    path("<int:agreement_id>/rapport.pdf", follow_up.report_pdf, name="report_pdf"),
    path("<int:agreement_id>/narvaro/ny/", presence.presence_new, name="presence_new"),
    path("<int:agreement_id>/narvaro/<int:promise_id>/ta-bort/", presence.presence_remove, name="presence_remove"),
    path("<int:agreement_id>/narvaro/<int:promise_id>/rapportera/", presence.presence_report,
         name="presence_report"),
    path("<int:agreement_id>/forum/ny/", forums.forum_new, name="forum_new"),
    path("<int:agreement_id>/forum/<int:forum_id>/", forums.forum_detail, name="forum"),
    path("<int:agreement_id>/forum/<int:forum_id>/andra/", forums.forum_edit, name="forum_edit"),
    path("<int:agreement_id>/forum/<int:forum_id>/moten/ny/", forums.session_new, name="forum_session_new"),
    path("<int:agreement_id>/forum/<int:forum_id>/moten/<int:session_id>/beslut/ny/", forums.decision_new,
         name="forum_decision_new"),
    path("<int:agreement_id>/forum/<int:forum_id>/beslut/<int:decision_id>/klart/", forums.decision_done,
         name="forum_decision_done"),
]

# Citizen promises and their progress (views/promises.py)

urlpatterns += [
    path("medborgarloften/", promises.promise_list, name="promise_list"),
    path("medborgarloften/ny/", promises.promise_new, name="promise_new"),
    path("medborgarloften/<int:pk>/", promises.promise_progress, name="promise_progress"),
    path("medborgarloften/<int:pk>/andra/", promises.promise_edit, name="promise_edit"),
    path("medborgarloften/<int:pk>/publicera/", promises.promise_publish, name="promise_publish"),
]
