"""Reply embeds: Discord's limits, citations never dropped, nothing cut mid-word, no pings."""

import re

from discord_bot.replies import (
    DESCRIPTION_LIMIT,
    EMBED_TOTAL_LIMIT,
    TITLE_LIMIT,
    ReplyStyle,
    answer_embed,
    context_embed,
    defuse,
    lines_embed,
)
from index.passages import Citation
from index.sentences import sentence_spans
from retrieval.answer import Answer, FoundPassage

STYLE = ReplyStyle()


def found(rank, text, best_sentence=0, url=None, published=None, title="A title"):
    spans = sentence_spans(text)
    citation = Citation("abc123", title, "/data/story.txt", url, published, rank + 4)
    return FoundPassage(rank, 1.0, rank, citation, text, spans[best_sentence])


def long_paragraph(marker: str, sentences: int = 40) -> str:
    sentence = "Sentence {} of {} says something about the harbour budget."
    return " ".join(sentence.format(i, marker) for i in range(sentences))


def embed_total(embed) -> int:
    data = embed.to_dict()
    return len(data.get("title", "")) + len(data.get("description", "")) + len(
        data.get("footer", {}).get("text", ""))


def test_many_long_passages_fit_discords_limits_with_every_citation_and_best_sentence():
    passages = tuple(found(r, long_paragraph(f"p{r}"), best_sentence=20) for r in range(1, 11))
    embed = answer_embed(Answer("Why did the budget grow?", passages), STYLE)
    text = embed.description
    assert len(text) <= DESCRIPTION_LIMIT and embed_total(embed) <= EMBED_TOTAL_LIMIT
    for rank in range(1, 11):
        assert f"**[{rank}] A title · ¶{rank + 4}** · story.txt" in text
        assert f"**Sentence 20 of p{rank} says something about the harbour budget.**" in text


def test_trimmed_passages_end_at_sentence_ends_and_mark_what_was_left_out():
    passages = tuple(found(r, long_paragraph(f"p{r}"), best_sentence=20) for r in range(1, 6))
    text = answer_embed(Answer("q", passages), STYLE).description
    for block in text.split("\n\n"):
        body = block.split("\n", 1)[1]
        assert body.startswith("… Sentence") and body.endswith("budget. …")


def test_a_sentence_longer_than_the_room_is_cut_between_words():
    giant = " ".join(["harbour"] * 2000) + "."
    embed = answer_embed(Answer("q", (found(1, giant),)), STYLE)
    assert len(embed.description) <= DESCRIPTION_LIMIT
    assert re.search(r"harbour…\*\*$", embed.description)


def test_a_long_question_title_is_shortened_between_words():
    question = "why " * 100
    title = answer_embed(Answer(question, ()), STYLE).title
    assert len(title) <= TITLE_LIMIT and title.endswith("why…")


def test_citations_link_to_the_source_url_and_show_the_published_date():
    passage = found(1, "The comet was found by a student.", url="https://news.example.com/comet",
                    published="2024-02-11")
    text = answer_embed(Answer("q", (passage,)), STYLE).description
    assert text.startswith("**[1] [A title](https://news.example.com/comet) · ¶5** · 2024-02-11\n")


def test_article_markdown_and_mentions_arrive_as_plain_text():
    passage = found(1, "Vote *now* @everyone, says <@&123456789012345678> in `code` ~~here~~.",
                    title="**Breaking** _news_")
    text = answer_embed(Answer("q", (passage,)), STYLE).description
    assert "\\*now\\*" in text and "\\`code\\`" in text and "\\~\\~here\\~\\~" in text
    assert "\\*\\*Breaking\\*\\* \\_news\\_" in text
    assert "@everyone" not in text and not re.search(r"<@[!&]?\d+>", text)
    assert defuse("@here") != "@here"


def test_no_answer_says_so():
    embed = answer_embed(Answer("What is the weather in Paris?", ()), STYLE)
    assert embed.description == "That is not in the indexed articles."


def test_context_shows_neighbours_in_order_with_the_passage_in_bold_within_limits():
    citations = [Citation("a", "T", "/s.txt", None, None, n) for n in (9, 10, 11)]
    neighbours = [(c, long_paragraph(f"¶{c.paragraph}", 60)) for c in citations]
    embed = context_embed(citations[1], neighbours, STYLE)
    text = embed.description
    assert len(text) <= DESCRIPTION_LIMIT and embed_total(embed) <= EMBED_TOTAL_LIMIT
    assert text.index("`¶9`") < text.index("`¶10` **") < text.index("`¶11`")


def test_a_long_list_fits_in_one_embed_and_counts_what_is_left_out():
    lines = [f"https://example.com/feed-{n}.xml  " + "a long title " * 80 for n in range(30)]
    embed = lines_embed("30 followed feed(s)", lines, STYLE)
    shown = embed.description.split("\n\n")
    assert len(embed.description) <= DESCRIPTION_LIMIT and len(embed) <= EMBED_TOTAL_LIMIT
    assert len(shown) > 2 and shown[-1] == f"… and {30 - (len(shown) - 1)} more"
    assert all(len(line) <= 600 for line in shown) and shown[0].startswith("https://example.com/feed-0.xml")
    short = lines_embed("2 followed feed(s)", ["one", "two"], STYLE)
    assert short.description == "one\n\ntwo"


def test_a_paragraph_other_outlets_ran_names_them_under_its_citation():
    import dataclasses

    from retrieval.copies import Copy

    copies = (Copy("Fire out", "gazette.example", "https://gazette.example/fire", "2022-06-14"),
              Copy("Fire out", "notes.txt", None, None))
    shown = dataclasses.replace(found(1, "The fire is out.", url="https://wire.example/fire"), also_in=copies)
    text = answer_embed(Answer("Is the fire out?", (shown,)), STYLE).description
    assert "\nalso in: [gazette.example](https://gazette.example/fire), notes.txt\n" in text
