"""Forms of the tip channel. Everything a sender writes is plain text, rendered
escaped wherever it is shown (templates never mark it safe)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django import forms
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from samverkan.directory.models import Area, Organisation
from samverkan.frontend.forms import StyledFormMixin, model_choice_field
from samverkan.tips import abuse
from samverkan.tips.models import (
    MAX_CONTACT_CHARS,
    MAX_TEXT_CHARS,
    RoutingRule,
    TipStatus,
    TipTopic,
)

HONEYPOT = "website"

# The limiter's cache is unreachable (abuse.LimiterUnavailable): refuse, keep the text.
UNAVAILABLE = _(
    "The form cannot be sent just now because of a technical problem. What you wrote "
    "is still here. Please try again in a few minutes."
)

# What a sender sees when the bot checks refuse a form. None of them says the sender
# looks like a machine: a person who was quick, or whose browser filled in the hidden
# field, is simply asked to send it again (the page carries a fresh token).
SEND_AGAIN = _("Check what you wrote and send the form again.")

TOKEN_ERRORS = {
    "invalid": _("The form has expired. Please send it again."),
    "expired": _("The form has expired. Please send it again."),
    "too_fast": SEND_AGAIN,
    "honeypot": SEND_AGAIN,
    "used": _("This form has already been sent. Please fill in a new one."),
    "unavailable": UNAVAILABLE,
}


def rate_limited_error(ends_at: datetime) -> forms.ValidationError:
    """The error a sender over the rate limit sees: their text is kept, and they learn
    when they may send it (local time, to the minute, with the date if not today)."""
    local = timezone.localtime(ends_at)
    if local.second or local.microsecond:
        local = local.replace(second=0, microsecond=0) + timedelta(minutes=1)
    params = {"time": local.strftime("%H:%M"), "date": local.strftime("%Y-%m-%d")}
    if local.date() == timezone.localdate():
        message = _(
            "Many forms have been sent from your connection in a short time. What you "
            "wrote is still here: you can send it from %(time)s."
        )
    else:
        message = _(
            "Many forms have been sent from your connection in a short time. What you "
            "wrote is still here: you can send it on %(date)s from %(time)s."
        )
    return forms.ValidationError(message, code="rate_limited", params=params)


class PublicForm(forms.Form):
    """Plain public forms: no design-system widgets needed, labels and errors come
    from the template."""

    required_css_class = "required"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._describe()

    def full_clean(self) -> None:
        super().full_clean()
        self._describe()

    def _describe(self) -> None:
        """Tie hints and errors to their inputs for screen readers."""
        for name, field in self.fields.items():
            auto_id = self[name].auto_id
            described = [f"{auto_id}_hint"] if field.help_text else []
            errors = getattr(self, "_errors", None)
            if self.is_bound and errors is not None and name in errors:
                described.append(f"{auto_id}_error")
                field.widget.attrs["aria-invalid"] = "true"
            else:
                field.widget.attrs.pop("aria-invalid", None)
            if described and not isinstance(field.widget, forms.RadioSelect | forms.HiddenInput):
                field.widget.attrs["aria-describedby"] = " ".join(described)


class BotCheckedForm(PublicForm):
    """A public form that only people should send: a honeypot field and a signed,
    one-time form token (tips.abuse). Shared by the tip form and the residents' safety
    poll; a view accepts a valid one through ``admit_sender``."""

    # Honeypot: hidden from people (CSS and aria-hidden), filled in by naive bots.
    # No length limit: whatever a bot puts here is the honeypot's case, never a field error.
    website = forms.CharField(label=_("Leave this field empty"), required=False)
    # Never shown as a field error: a missing or broken token is the token check's case.
    token = forms.CharField(widget=forms.HiddenInput, max_length=500, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.token_nonce = ""

    def clean(self) -> dict[str, Any]:
        """The bot checks run only on a form a person filled in completely: someone who
        left a field empty or wrote too much sees what to fix in those fields, never a
        bot message (the form they get back carries a fresh token). A filled honeypot or
        a token sent back too fast asks the sender, politely, to send the form again; in
        either case nothing is stored and no budget is spent."""
        cleaned = super().clean() or {}
        if any(name in self.errors for name in self.fields if name not in (HONEYPOT, "token")):
            return cleaned
        if cleaned.get(HONEYPOT):
            raise forms.ValidationError(TOKEN_ERRORS["honeypot"], code="honeypot")
        try:
            check = abuse.check_token(self.data.get("token", "") if hasattr(self.data, "get") else "")
        except abuse.LimiterUnavailable:
            check = abuse.TokenCheck(ok=False, reason="unavailable")
        if not check.ok:
            raise forms.ValidationError(TOKEN_ERRORS[check.reason], code=check.reason)
        self.token_nonce = check.nonce
        return cleaned


def refuse_sender(form: PublicForm, *, unavailable: bool) -> int:
    """Put the refusal on the sender's own form, so what they wrote comes back with it:
    over the rate limit (429, with when they may send again) or the limiter's cache
    unreachable (503). Returns the status to answer with."""
    if unavailable:
        form.add_error(None, forms.ValidationError(UNAVAILABLE, code="unavailable"))
        return 503
    form.add_error(None, rate_limited_error(abuse.window_ends_at()))
    return 429


def admit_sender(request: HttpRequest, form: BotCheckedForm, *, scope: str) -> int | None:
    """For a valid ``form``: count the sender against the rate limit of ``scope`` and
    spend the form's token. None when the submission may be stored; otherwise the error
    is on the form (which keeps what was sent) and the status to answer with: 429 over
    the limit, 503 when the limiter's cache is unreachable, 200 for a token already used.

    Only a submission that passed the bot checks and is ready to be stored spends the
    sender's budget."""
    try:
        limited = abuse.rate_limit_hit(request, scope=scope)
        spent = not limited and abuse.spend_token(form.token_nonce)
    except abuse.LimiterUnavailable:
        return refuse_sender(form, unavailable=True)
    if limited:
        return refuse_sender(form, unavailable=False)
    if not spent:
        form.add_error(None, TOKEN_ERRORS["used"])
        return 200
    return None


class TipForm(BotCheckedForm):
    # Each message names its field (the error summary lists them together).
    area = forms.ChoiceField(
        label=_("Which area is it about?"),
        choices=(),
        error_messages={
            "required": _("Choose which area it is about."),
            "invalid_choice": _("Choose an area from the list."),
        },
    )
    topic = forms.ChoiceField(
        label=_("What is it about?"),
        choices=TipTopic.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose what it is about."),
            "invalid_choice": _("Choose what it is about."),
        },
    )
    text = forms.CharField(
        label=_("What do you want to tell us?"),
        max_length=MAX_TEXT_CHARS,
        widget=forms.Textarea(attrs={"rows": 8}),
        error_messages={
            "required": _("Enter what you want to tell us."),
            "max_length": _(
                "What you want to tell us must be %(limit_value)d characters or fewer "
                "(it is %(show_value)d)."
            ),
        },
        help_text=_(
            "Write what happened, where and when. Do not write your name if you want to be anonymous."
        ),
    )
    contact = forms.CharField(
        label=_("Contact details (optional)"),
        max_length=MAX_CONTACT_CHARS,
        required=False,
        error_messages={
            "max_length": _(
                "Contact details must be %(limit_value)d characters or fewer (they are "
                "%(show_value)d)."
            )
        },
        help_text=_(
            "Only if you want us to be able to contact you, for example a telephone number."
        ),
    )

    field_order = ["area", "topic", "text", "contact", "website", "token"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        area_field = self.fields["area"]
        assert isinstance(area_field, forms.ChoiceField)
        area_field.choices = [
            ("", _("Choose an area")),
            *Area.objects.order_by("name").values_list("code", "name"),
        ]


class ReceiptForm(PublicForm):
    code = forms.CharField(
        label=_("Your receipt code"),
        max_length=40,
        strip=True,
        help_text=_("The code you got when you sent your tip, for example ABCD-EFGH-JKMN-PQRS."),
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}
        ),
    )


class AddInformationForm(ReceiptForm):
    text = forms.CharField(
        label=_("More information"),
        max_length=MAX_TEXT_CHARS,
        widget=forms.Textarea(attrs={"rows": 6}),
    )


# --- Staff forms ------------------------------------------------------------------------


class StatusForm(StyledFormMixin, forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[
            (TipStatus.ASSESSED, TipStatus.ASSESSED.label),
            (TipStatus.CLOSED, TipStatus.CLOSED.label),
            (TipStatus.NEW, TipStatus.NEW.label),
        ],
    )


class ForwardForm(StyledFormMixin, forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("Forward to"), queryset=Organisation.objects.none(),
        empty_label=_("Choose an organisation"),
    )
    legal_basis = forms.CharField(
        label=_("Legal basis for the disclosure"),
        max_length=300,
        help_text=_(
            "For example: OSL 10 kap. 2 § (necessary for the agency's own work) or OSL 10 kap. 24 §."
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["organisation"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Organisation.objects.filter(active=True).order_by("name")


class ReplyForm(StyledFormMixin, forms.Form):
    text = forms.CharField(
        label=_("Reply to the sender"),
        max_length=MAX_TEXT_CHARS,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_(
            "The sender reads it with their receipt code. Never write anything secret here."
        ),
    )


class RoutingRuleForm(StyledFormMixin, forms.ModelForm):
    area = model_choice_field(RoutingRule, "area", empty_label=_("Every area"))
    topic = model_choice_field(RoutingRule, "topic", empty_label=_("Every topic"))
    organisation = model_choice_field(RoutingRule, "organisation", empty_label=_("Choose an organisation"))

    class Meta:
        model = RoutingRule
        fields = ["area", "topic", "organisation"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        org = self.fields["organisation"]
        assert isinstance(org, forms.ModelChoiceField)
        org.queryset = Organisation.objects.filter(active=True).order_by("name")
