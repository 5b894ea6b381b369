"""Who speaks: pronouns, descriptions, surnames and sources that are not named people (invented text)."""

from __future__ import annotations

from parley.document import Document, Entity

from .sentences import analyse


def speaker(doc: Document, needle: str) -> Entity | None:
    found = [q for q in doc.quotes if needle in q.text]
    assert len(found) == 1, [(q.text, q.speaker_text) for q in doc.quotes]
    return doc.entity(found[0].speaker)


def test_a_subject_pronoun_continues_the_speaker_not_a_later_name_in_the_sentence() -> None:
    doc = analyse("Maria Lopez said this at a lunch with John Carter and Peter Brown. "
                  "He said the port would open in June.")
    assert speaker(doc, "port would open").name == "Maria Lopez"


def test_a_pronoun_goes_to_the_latest_person_when_the_sentence_names_one() -> None:
    doc = analyse("Maria Lopez opened the forum. John Carter toured the port. He said the port would open in June.")
    assert speaker(doc, "port would open").name == "John Carter"


def test_a_pronoun_follows_a_chain_of_pronouns() -> None:
    doc = analyse("Maria Lopez, the transport minister, met John Carter. She said the port was ready. "
                  "She said that ships from Ruritania would come soon.")
    assert speaker(doc, "ships from Ruritania").name == "Maria Lopez"


def test_a_description_needs_every_title_word() -> None:
    doc = analyse("Prime Minister John Carter visited the plant. Chief Minister Maria Lopez opened it. "
                  "The port will grow, the chief minister said.")
    assert speaker(doc, "port will grow").name == "Maria Lopez"


def test_a_title_written_before_the_name_describes_the_person() -> None:
    doc = analyse("Ambassador John Carter arrived in Lagos on Monday. The Ambassador said the talks went well.")
    assert speaker(doc, "talks went well").name == "John Carter"


def test_a_surname_after_an_honorific_is_the_full_named_person() -> None:
    doc = analyse("Trade Minister Maria Lopez arrived on Monday. Ms Lopez said the port was ready.")
    assert speaker(doc, "port was ready").name == "Maria Lopez"


def test_a_document_speaks_as_a_source() -> None:
    doc = analyse("Ruritania signed a ferry deal with Freedonia, according to a press release. "
                  "The ferries will carry 300 cars, the release said.")
    first, second = speaker(doc, "signed a ferry deal"), speaker(doc, "300 cars")
    assert first is not None and first.type == "SOURCE" and first.name == "press release"
    assert second is first


def test_a_plural_of_people_speaks_as_a_group() -> None:
    doc = analyse("The port will reopen in June, ministry officials said. The work is done, officials said.")
    first, second = speaker(doc, "reopen in June"), speaker(doc, "work is done")
    assert first is not None and first.type == "GROUP" and first.name == "ministry officials"
    assert second is first


def test_a_named_person_is_no_source() -> None:
    doc = analyse("Maria Lopez said the port would reopen in June.")
    assert all(e.type != "SOURCE" for e in doc.entities)


def test_a_pronoun_inside_the_quotation_is_not_its_source() -> None:
    doc = analyse('"We want the plant open soon" and mentioned it to the board, Maria Lopez said.')
    assert speaker(doc, "We want").name == "Maria Lopez"


def test_a_surname_tagged_as_a_noun_still_finds_its_person() -> None:
    doc = analyse("Trade Minister Maria Lopez opened the port. \u201cIt is a proud day for the city,\u201d Lopez said.")
    assert speaker(doc, "proud day").name == "Maria Lopez"


def test_a_name_the_recogniser_missed_speaks_as_a_source() -> None:
    doc = analyse("BuildRU urges the government to cut tariffs on steel.")
    entity = speaker(doc, "cut tariffs")
    assert entity is not None and entity.name == "BuildRU"


def test_a_title_subject_with_the_name_in_apposition() -> None:
    doc = analyse("Trade Secretary, Maria Lopez has confirmed that the port will reopen in June.")
    assert speaker(doc, "port will reopen").name == "Maria Lopez"


def test_the_outermost_cue_owns_a_quoted_fragment() -> None:
    doc = analyse('Trade Minister Maria Lopez said the plan was meant to fix the '
                  '\u201coldest problem of the harbour and its ferries\u201d.')
    assert speaker(doc, "oldest problem").name == "Maria Lopez"


def test_a_description_names_the_person_with_every_title_word() -> None:
    doc = analyse("Prime Minister John Carter met Trade Minister Maria Lopez in Lagos. "
                  "The talks were useful, the prime minister said.")
    assert speaker(doc, "talks were useful").name == "John Carter"


def test_both_the_x_and_the_y_is_not_a_body_inside_the_phrase() -> None:
    doc = analyse("Ambassador John Carter met officials of the Ruritania Trade Board. "
                  "Both the Ambassador and the board chairman expressed support for a new ferry line.")
    entity = speaker(doc, "new ferry line")
    assert entity is None or entity.type == "PERSON"


def test_a_statement_from_a_body_speaks_as_that_statement() -> None:
    doc = analyse("A statement from the ministry said the port would reopen in June.")
    entity = speaker(doc, "port would reopen")
    assert entity is not None and entity.type == "SOURCE" and entity.name == "statement from the ministry"


def test_a_joint_statement_read() -> None:
    doc = analyse("The joint statement read: the two sides will cut tariffs on fish and steel.")
    entity = speaker(doc, "cut tariffs")
    assert entity is not None and entity.type == "SOURCE" and entity.name == "joint statement"


def test_the_ministry_is_the_ministry_named_before() -> None:
    doc = analyse("The Ruritanian Ministry of Trade hosted the envoys on Monday. "
                  "The ministry said the talks would continue in May.")
    entity = speaker(doc, "talks would continue")
    assert entity is not None and entity.type == "ORG" and "Ministry of Trade" in entity.name


def test_the_envoys_speak_as_a_group() -> None:
    doc = analyse("The tour improved their knowledge of the region, the envoys said.")
    entity = speaker(doc, "improved their knowledge")
    assert entity is not None and entity.type == "GROUP"


def test_who_reports_what_others_will_be_told_is_the_speaker() -> None:
    doc = analyse("Maria Lopez said the envoys would be told that the port will reopen in June.")
    assert speaker(doc, "port will reopen").name == "Maria Lopez"


def test_an_unrecognised_plain_name_is_not_made_a_source() -> None:
    doc = analyse("Ana Ruiz hoped to visit Freedonia next year.")
    assert all(e.type != "SOURCE" for e in doc.entities)


def test_a_name_that_reported_is_a_source() -> None:
    doc = analyse("The minister opened the pavilion in Lagos, Ruritania Daily Net reported.")
    entity = speaker(doc, "opened the pavilion")
    assert entity is not None and entity.type in {"SOURCE", "ORG"} and "Ruritania Daily Net" in entity.name


def test_the_company_is_the_company_that_spoke_before() -> None:
    doc = analyse("Acme Freight Corp, a ferry operator, said it had bought ten ferries from Zenda Yards. "
                  "The company said its old ships were too slow.")
    entity = speaker(doc, "too slow")
    assert entity is not None and "Acme" in entity.name


def test_the_company_is_nobody_when_no_company_was_a_subject() -> None:
    doc = analyse("Ana Ruiz bought ten ships from Acme Freight Corp. The company said it needed more capacity.")
    entity = speaker(doc, "needed more capacity")
    assert entity is None  # an object is no antecedent for a speaking "the company"


def test_a_source_has_the_country_it_names_and_only_one() -> None:
    one = speaker(analyse("The port will reopen in June, Nigerian officials said."), "port will reopen")
    two = speaker(analyse("The port will reopen in June, Nigerian and Chilean officials said."), "port will reopen")
    assert one is not None and one.country == "NGA"
    assert two is not None and two.country is None


def test_a_pronoun_skips_a_person_of_the_other_gender() -> None:
    doc = analyse("Ms Maria Lopez met John Carter in Lagos. She thanked the hosts. "
                  "Ms Lopez then visited the port with John Carter, and he said the port would open in June.")
    assert speaker(doc, "port would open").name == "John Carter"


def test_a_pronoun_of_the_same_gender_keeps_the_subject() -> None:
    doc = analyse("Ms Maria Lopez met John Carter in Lagos. She said the port would open in June.")
    assert speaker(doc, "port would open").name == "Maria Lopez"


def test_a_source_noun_followed_by_its_name_is_that_name() -> None:
    doc = analyse("The ministers met in Lagos, according to the official news agency Rurinews.")
    entity = speaker(doc, "ministers met")
    assert entity is not None and entity.name == "Rurinews"


def test_a_statement_from_a_body_and_the_body_are_two_sources() -> None:
    doc = analyse("A statement from the ministry said the port would reopen. "
                  "The talks went well, the release said.")
    first, second = speaker(doc, "port would reopen"), speaker(doc, "talks went well")
    assert first is not None and second is not None and first is not second


def test_the_news_agency_is_the_agency_that_reported_before() -> None:
    doc = analyse("Ruritania will open two ferry lines, RuriPress reports. "
                  "The official news agency says the two ministers met in Lagos.")
    entity = speaker(doc, "ministers met")
    assert entity is not None and entity.name == "RuriPress"


def test_a_source_opening_a_sentence_is_named_in_lower_case() -> None:
    entity = speaker(analyse("Senior sources said the deal was near."), "deal was near")
    assert entity is not None and entity.name == "senior sources"


def test_a_heading_in_capitals_is_no_source() -> None:
    doc = analyse("EVEN THE COACH SAYS THE SEASON IS OVER.")
    assert all(e.type != "SOURCE" for e in doc.entities)


def test_the_chamber_is_no_statement_that_spoke_before() -> None:
    doc = analyse("The port will reopen in June, a statement said on Friday. "
                  "The chamber praised the plan of both countries to build ships together.")
    entity = speaker(doc, "build ships")
    assert entity is None or entity.type != "SOURCE"


def test_the_one_quoted_as_saying_speaks() -> None:
    # passive, and the content before the quoting verb (also when the parser makes it a conjunct)
    doc = analyse("Governor Ana Ruiz was quoted as saying the province wants more flights to Lima.")
    assert speaker(doc, "more flights").name == "Ana Ruiz"
    doc = analyse("Peru looks forward to closer cooperation with Chile in fighting floods, and to greater "
                  "engagement in trade and culture, the ministry statement quotes Mr Luis Vega as saying.")
    assert speaker(doc, "closer cooperation").name == "Luis Vega"


def test_a_report_quoting_figures_quotes_no_one_as_saying() -> None:
    # contrast: no "as saying": the clause before is not given to the object of "quoted"
    doc = analyse("Exports to Chile rose sharply, the ministry report quoted Luis Vega and other officials.")
    assert not [q for q in doc.quotes if "Exports to Chile" in q.text and q.speaker
                and doc.entity(q.speaker) and doc.entity(q.speaker).name == "Luis Vega"]
