"""/timeline and `bot.py timeline`: the best passage of each story about a topic, oldest first."""

import json

import pytest

import bot
from index.library import Library
from retrieval.search import Searcher, SearchSettings
from tests.test_discord_bot import QUICK, bot_on_standin, button_ids, description

STRIKE = [  # (day, title, text): seven reports of one ferry strike, each in its own words
    ("2022-06-01", "Ferry crews vote to strike",
     "Ferry crews on the Tallinn to Helsinki route voted to strike over pay, their union said on Wednesday."),
    ("2022-06-03", "Ferry strike begins",
     "The ferry strike began at dawn on Friday and left thousands of passengers stranded in both harbours."),
    ("2022-06-06", "Strike talks fail",
     "Talks between the shipping line and the seamen's union broke down on Monday without a new date."),
    ("2022-06-09", "Tourism hit by the ferry walkout",
     "Hotels in the old town reported cancellations as the ferry workers' walkout entered its second week."),
    ("2022-06-13", "Mediator called in",
     "The state mediator summoned the ferry operator and the striking sailors to talks in Helsinki."),
    ("2022-06-16", "Ferry strike ends",
     "The ferry strike ended on Thursday after the crews accepted a raise of four percent over two years."),
    ("2022-07-02", "Ferries full again",
     "Summer ferries between the two capitals sailed fully booked, weeks after the strike ended."),
]
OTHER = ("2022-06-10", "Library opens new wing",
         "The city library opened a new children's wing with a reading garden and a puppet theatre.")


def _write(tmp_path, with_copy: bool = True):
    records = [{"title": title, "text": text, "published": day, "url": f"https://news{n}.example/{day}"}
               for n, (day, title, text) in enumerate([*STRIKE, OTHER])]
    if with_copy:  # the end of the strike, run by a second outlet a day later
        records.append({"title": "Strike over", "text": STRIKE[5][2] + " Ferries sail again on Friday.",
                        "published": "2022-06-17", "url": "https://wire.example/strike-over"})
    path = tmp_path / "strike.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in records) + "\n")
    return path


@pytest.fixture(scope="module")
def strike_library(tmp_path_factory, minilm):
    folder = tmp_path_factory.mktemp("timeline")
    library = Library(folder / "index", minilm)
    library.ingest([_write(folder)])
    return library


def test_each_story_once_in_date_order_and_nothing_off_topic(strike_library):
    timeline = Searcher(strike_library, SearchSettings()).timeline("the ferry strike")
    days = [p.citation.published for p in timeline.passages]
    assert days == sorted(days) and len(days) >= 6
    assert [p.rank for p in timeline.passages] == list(range(1, len(days) + 1))
    assert not any("library" in p.text for p in timeline.passages)
    [end] = [p for p in timeline.passages if "accepted a raise" in p.text]  # one story, two outlets
    assert end.citation.published == "2022-06-16" and [c.outlet for c in end.also_in] == ["wire.example"]


def test_a_time_expression_in_the_topic_keeps_those_days(strike_library):
    searcher = Searcher(strike_library, SearchSettings())
    timeline = searcher.timeline("ferry strike in July 2022")
    assert timeline.time_scope is not None and timeline.time_scope.label == "July 2022"
    assert [p.citation.published for p in timeline.passages] == ["2022-07-02"]
    assert not searcher.timeline("ferry strike in 2019").passages


def test_the_command_line_prints_the_timeline_as_text_and_json(tmp_path, capsys):
    path = _write(tmp_path, with_copy=False)
    assert bot.main(["index", str(path), "--index", str(tmp_path / "index")]) == 0
    capsys.readouterr()
    assert bot.main(["timeline", "ferry strike", "--index", str(tmp_path / "index")]) == 0
    text = capsys.readouterr().out
    assert text.startswith("Timeline: ferry strike") and text.index("2022-06-01") < text.index("2022-06-16")
    assert bot.main(["timeline", "ferry strike", "--json", "--index", str(tmp_path / "index")]) == 0
    record = json.loads(capsys.readouterr().out)
    assert record["topic"] == "ferry strike"
    assert [e["published"] for e in record["entries"]] == sorted(e["published"] for e in record["entries"])
    assert bot.main(["timeline", "volcanic eruption in Iceland", "--index", str(tmp_path / "index")]) == 0
    assert capsys.readouterr().out.startswith("Nothing in the indexed articles is about that")


async def test_slash_timeline_pages_through_the_stories_with_buttons(strike_library):
    async with bot_on_standin(strike_library, QUICK) as (standin, _):
        record = await standin.slash_command("timeline", {"topic": "the ferry strike"}, user=standin.member,
                                             channel_id=standin.channel("general").id)
        first = (await standin.wait_for_response(record, timeout=30)).reply
        assert first.embeds[0]["title"] == "Timeline: the ferry strike (1/2)"
        assert "2022-06-01" in description(first) and "2022-07-02" not in description(first)
        earlier, later = button_ids(first)
        assert earlier.endswith(":-1") and later.endswith(":1")
        turned = await standin.wait_for_response(
            await standin.click_button(first, later, user=standin.member), timeout=30)
        second = turned.reply
        assert second.id == first.id  # the same message, now showing the later stories
        assert second.embeds[0]["title"] == "Timeline: the ferry strike (2/2)"
        assert "2022-07-02" in description(second) and "2022-06-01" not in description(second)
