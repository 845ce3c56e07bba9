"""The PolNeAR reader of the quotes benchmark (bench/quotes_polnear.py): brat attributions and
the form of a source, on an annotation written for the test."""

from bench.quotes_polnear import Token, attributions, paragraph_of, paragraph_starts, source_form

TEXT = "Harbour news.\n\n“We wait,” Marta Ilves said.\n\n“Not long,” she added."
ANNOTATION = """T1\tSource 26 37\tMarta Ilves
T2\tCue 38 42\tsaid
T3\tContent 15 24\t“We wait,”
T4\tAttribution 38 42\tsaid
E1\tAttribution:T4 Content:T3 Cue:T2 Source:T1
T5\tSource 57 60\tshe
T6\tContent 45 55;61 66\t“Not long,” added
E2\tContent:T6 Source:T5
#1\tAnnotatorNotes T1\ta note line without the usual fields
"""


def test_each_attribution_with_its_spans():
    found = attributions(ANNOTATION)
    assert found[0]["Source"] == [(26, 37)] and found[0]["Content"] == [(15, 24)]
    assert found[1]["Content"] == [(45, 55), (61, 66)]  # a broken span keeps its pieces
    assert TEXT[26:37] == "Marta Ilves" and TEXT[57:60] == "she"


def test_a_paragraph_is_found_by_its_offset():
    starts = paragraph_starts(TEXT)
    assert [paragraph_of(offset, starts) for offset in (0, 15, 45, 66)] == [0, 1, 2, 2]


def test_the_form_of_a_source_comes_from_its_tags():
    tokens = [Token(26, 31, "Marta", "NNP", "PERSON"), Token(32, 37, "Ilves", "NNP", "PERSON"),
              Token(57, 60, "she", "PRP", "O")]
    assert source_form([(26, 37)], tokens, TEXT) == ("named", "Marta Ilves")
    assert source_form([(57, 60)], tokens, TEXT) == ("pronoun", "she")
    untagged = [Token(26, 31, "Marta", "NNP", "ORGANIZATION"), Token(32, 37, "Ilves", "NNP", "O")]
    assert source_form([(26, 37)], untagged, TEXT) == ("named", "Marta Ilves")  # a name CoreNLP missed
    role = [Token(0, 7, "Harbour", "NN", "O"), Token(8, 12, "news", "NN", "O")]
    assert source_form([(0, 12)], role, TEXT) == ("role", "Harbour news")
