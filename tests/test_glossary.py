"""The field's jargon spelt out for search and reading, in one place."""

from qa.ofsted.glossary import TERMS, expand, is_term, terms_in


def test_terms_are_spelt_out_after_themselves():
    assert expand("What did Ofsted say about the LADO in Kent?") == \
        "What did Ofsted say about the LADO (local authority designated officer) in Kent?"
    assert expand("how are cls supported by PAs") == \
        "how are cls (care leavers) supported by PAs (personal advisers)"


def test_a_term_already_spelt_out_is_not_spelt_out_again():
    assert expand("care leavers (CLs)") == "care leavers (CLs)"


def test_lower_case_counts_only_where_it_is_no_english_word():
    assert terms_in("is the mash effective and what about ehcp timeliness") == ["MASH", "EHCP"]
    assert terms_in("When will they send the report? Put some pep in it.") == []
    assert terms_in("SEND inspection of the MASH") == ["SEND", "MASH"]
    assert is_term("lado") and not is_term("send")


def test_the_glossary_covers_the_common_initials():
    for term in ("LADO", "PLO", "MASH", "SGO", "CiC", "CLA", "CLs", "PA", "YPA", "IRO", "DCS", "ILACS", "JTAI",
                 "SEND", "EHCP", "UASC", "NEET", "PEP", "EET"):
        assert term in TERMS
