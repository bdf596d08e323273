"""The payer profile: careless, bad faith or unknown, with the reasons shown."""

from __future__ import annotations

from relance.domain.profile import Classification, PayerFacts, Profile, classify, effective_profile


def test_too_little_history_is_unknown() -> None:
    assert classify(PayerFacts(paid_invoices=1)) == Classification(
        Profile.UNKNOWN, ("too little history: 1 paid invoices",)
    )


def test_pays_after_a_reminder_and_rarely_late_is_careless() -> None:
    result = classify(PayerFacts(paid_invoices=4, paid_late=1, paid_after_reminder=1))
    assert result.profile is Profile.CARELESS
    assert result.reasons == ("late on 1 of 4 paid invoices", "paid once after a reminder")
    # One payment after a reminder is enough history on its own.
    assert classify(PayerFacts(paid_invoices=1, paid_after_reminder=1)).profile is Profile.CARELESS


def test_each_sign_of_bad_faith_is_a_reason() -> None:
    cases = {
        PayerFacts(broken_promises=2): "broke 2 promises to pay",
        PayerFacts(written_reminders=5): "ignored 5 written reminders",
        PayerFacts(paid_invoices=3, paid_long_late=2): "paid 2 invoices over 60 days late",
        PayerFacts(refusals=1): "refused to pay once",
        PayerFacts(paid_after_formal_notice=2): "paid only after a formal notice twice",
    }
    for facts, reason in cases.items():
        assert classify(facts) == Classification(Profile.BAD_FAITH, (reason,))


def test_one_slip_is_not_bad_faith() -> None:
    facts = PayerFacts(paid_invoices=5, broken_promises=1, paid_long_late=1, paid_after_reminder=1)
    assert classify(facts).profile is Profile.CARELESS


def test_all_signs_are_listed() -> None:
    facts = PayerFacts(broken_promises=3, refusals=2, paid_after_formal_notice=1)
    assert classify(facts).reasons == (
        "broke 3 promises to pay",
        "refused to pay twice",
        "paid only after a formal notice once",
    )


def test_the_override_wins() -> None:
    assert effective_profile("careless", "bad-faith") == "bad-faith"
    assert effective_profile("bad-faith", None) == "bad-faith"
    assert Profile.BAD_FAITH.label == "bad faith"
