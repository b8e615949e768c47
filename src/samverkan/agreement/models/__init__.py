"""The agreement's tables by topic: the agreement and its commitments with follow-up,
the citizen promises with progress, the promised police presence, and the forums."""

from samverkan.agreement.models.agreements import (
    Agreement,
    AgreementKind,
    AgreementParty,
    AgreementStatus,
    Signatory,
)
from samverkan.agreement.models.commitments import (
    Commitment,
    CommitmentReview,
    CommitmentStatus,
    FollowUpMeeting,
)
from samverkan.agreement.models.forums import CollaborationForum, ForumDecision, ForumSession
from samverkan.agreement.models.presence import PresencePromise, PresenceReport
from samverkan.agreement.models.promises import CitizenPromise, PromiseProgress, PromiseState

__all__ = [
    "Agreement",
    "AgreementKind",
    "AgreementParty",
    "AgreementStatus",
    "CitizenPromise",
    "CollaborationForum",
    "Commitment",
    "CommitmentReview",
    "CommitmentStatus",
    "FollowUpMeeting",
    "ForumDecision",
    "ForumSession",
    "PresencePromise",
    "PresenceReport",
    "PromiseProgress",
    "PromiseState",
    "Signatory",
]
