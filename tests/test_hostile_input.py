"""Hostile input, fuzzed: article files and feeds of random bytes and mangled structure,
questions full of control characters, invisible marks, emoji, markdown and mentions, config
values of every wrong type. The CLI never shows a traceback, the bot never replies with a
live mention or markdown that escapes its place, and nothing indexed is lost.

CI runs a fixed, bounded set of examples (`derandomize=True`); the soak runs many more,
fresh ones each time:

    HYPOTHESIS_PROFILE=soak python -m pytest -q tests/test_hostile_input.py
"""

import asyncio
import contextlib
import io
import json
import math
import os
import re
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

import bot
from discord_bot.client import APOLOGY
from discord_bot.replies import ReplyStyle, answer_embed, defuse, defuse_notice
from feeds.entry_articles import article_from_feed_text
from feeds.feed_entries import NotAFeed, parse_feed
from index.articles import Article, parse_articles
from index.errors import IndexingError, UnreadableInput
from index.library import Library
from index.passages import Citation
from retrieval.answer import Answer, FoundPassage
from retrieval.render import answer_to_json, render_text
from retrieval.search import Searcher, SearchSettings
from settings import _BOOLEANS, _COLOURS, _ID_LISTS, _LISTS, _PATHS, _RANGES, ConfigError, load_settings
from tests.conftest import ROOT, SAMPLE

SOAK = os.environ.get("HYPOTHESIS_PROFILE") == "soak"
_QUIET = [HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large,
          HealthCheck.filter_too_much]
settings.register_profile("ci", derandomize=True, database=None, deadline=None, print_blob=True,
                          suppress_health_check=_QUIET)
settings.register_profile("soak", derandomize=False, database=None, deadline=None, print_blob=True,
                          suppress_health_check=_QUIET)
_PROFILE = settings.get_profile("soak" if SOAK else "ci")


def examples(ci: int, soak: int):
    """This test's number of examples: `ci` in CI (fixed seed), `soak` in the soak."""
    return settings(_PROFILE, max_examples=soak if SOAK else ci)


# -- what hostile text is made of -----------------------------------------------------------

MENTIONS = ["@everyone", "@here", "<@123456789012345678>", "<@!123456789012345678>",
            "<@&234567890123456789>", "<#345678901234567890>", "</ask:1>", "<t:0:R>", "<:e:1>", "<a:e:1>"]
MARKDOWN = ["**", "*", "__", "_", "~~", "||", "`", "```", "> ", ">>> ", "# ", "## ", "-# ", "- ", "1. ",
            "[x](https://example.com)", "\\", "\\*", "]", "[", "(", ")", "<", ">", ":", "https://e.com/a_b*c"]
INVISIBLE = ["\u200b", "\u200c", "\u200d", "\u200e", "\u200f", "\u2060", "\ufeff", "\u202a", "\u202b",
             "\u202d", "\u202e", "\u2066", "\u2067", "\u2069", "\u00ad", "\u061c"]
CONTROL = [chr(c) for c in (*range(0, 32), 127)] + ["\x85", "\u2028", "\u2029"]
EMOJI = ["😀", "👍🏽", "👨‍👩‍👧", "🇺🇦", "❤️", "🏳️‍🌈", "🤷‍♀️", "１２３", "Ａ", "ﬁ", "ｅｖｅｒｙｏｎｅ"]
PIECES = MENTIONS + MARKDOWN + INVISIBLE + CONTROL + EMOJI

WORDS = ["ferry", "harbour", "Zhao Lijian", "said", " ", ". ", "\n", "\n\n"]
pieces = st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=6), st.sampled_from(WORDS)),
                  max_size=14).map("".join)


@st.composite
def with_everyone(draw, base=pieces):
    """`base` with "@everyone" (or "@here") at a position drawn anywhere in it: first, last,
    inside a word, after a backslash or a zero-width mark."""
    text = draw(base)
    at = draw(st.integers(min_value=0, max_value=len(text)))
    return text[:at] + draw(st.sampled_from(["@everyone", "@here"])) + text[at:]


hostile = st.one_of(with_everyone(), pieces)
questions = st.one_of(
    hostile,
    st.sampled_from(["What did Zhao Lijian say?", "When will Biden and Xi speak?"]).flatmap(
        lambda q: with_everyone(st.just(q))),
    st.lists(st.sampled_from(PIECES), min_size=1, max_size=30).map(lambda t: f"What about {''.join(t)}?"),
    st.just("x" * 20_000), st.just("What did Zhao Lijian say? " * 800), st.just("\ud800 lone surrogate"),
)


# -- checks on what the bot sends --------------------------------------------------------------

LIVE_MENTION = re.compile(r"@(everyone|here)|<(@[!&]?\d|#\d|/\w|a?:\w+:\d|t:-?\d)")


def live_mentions(text: str) -> list[str]:
    return [m.group(0) for m in LIVE_MENTION.finditer(text)]


def _unescaped(line: str) -> str:
    """The line without backslash escapes (a backslash before punctuation is one)."""
    return re.sub(r"\\[^0-9A-Za-z\s]", "", line)


def markup_problems(text: str) -> list[str]:
    """Markdown in `text` beyond what the bot itself writes: whole-line italics (a scope
    line), bold pairs (a best sentence may run over a line break), a masked link [title](url)
    with an encoded URL, a rank label [1]."""
    problems, bold = [], 0
    for line in text.split("\n"):
        if re.fullmatch(r"\*[^*\\]*\*", line):  # "*Articles from 13–19 June 2022:*"
            continue
        if re.match(r"[^\S\n]*([#>\-]|\d+\.\s)", line) and not line.startswith("\\"):
            problems.append(f"line starts with markup: {line!r}")
        bare = _unescaped(line)
        bare = re.sub(r"\[[^\[\]]*\]\([^()\s]*\)", "", bare)  # the bot's masked links
        bare = re.sub(r"\*\*\[\d+\] ", "**", bare)  # and its rank labels, "**[1] Title"
        for mark in ("_", "`", "~", "|", "[", "]"):
            if mark in bare:
                problems.append(f"unescaped {mark!r} in {line!r}")
        if bare.replace("**", "").count("*"):
            problems.append(f"stray '*' in {line!r}")
        bold += bare.count("**")
    if bold % 2:
        problems.append("unbalanced '**'")
    return problems


def check_message(content: str | None, embeds: list[dict]) -> None:
    texts = [content or ""] + [e.get(k) or "" for e in embeds for k in ("title", "description")]
    texts += [f.get("value", "") for e in embeds for f in e.get("fields", [])]
    texts += [(e.get("footer") or {}).get("text", "") for e in embeds]
    for text in texts:
        assert not live_mentions(text), (live_mentions(text), text)
        assert not markup_problems(text), (markup_problems(text), text)


def check_embed(embed) -> None:
    check_message(None, [embed.to_dict()])


# -- defusing, alone and in an answer ----------------------------------------------------------


@examples(ci=400, soak=20_000)
@given(hostile)
@example("a *b")  # a lone "*" here and one in the next passage would make italics across both
@example("\\*x*")
@example("-# subtext\n> quote\n1. list\n# heading")
def test_defused_text_shows_as_written(text):
    shown = defuse(text)
    assert not live_mentions(shown) and not markup_problems(shown)
    unescaped = re.sub(r"\\([^0-9A-Za-z\s])", r"\1", shown).replace("@\u200b", "@").replace("<\u200b", "<")
    assert unescaped == text.replace("@\u200b", "@").replace("<\u200b", "<")
    notice = defuse_notice(f"no indexed article matches {text!r}; I only answer in <#42>", channels=(42,))
    assert live_mentions(notice) == ["<#4"] and not markup_problems(notice)


def found_passage(rank, text, title, source, url, published, speaker) -> FoundPassage:
    citation = Citation(f"id{rank}", title or "untitled", source or "x.txt", url, published, rank)
    start = len(text) // 3
    return FoundPassage(rank, 1.0, rank, citation, text or "text", (start, len(text)), speaker=speaker,
                        link=url)


passages = st.builds(
    found_passage, st.integers(1, 10), hostile, hostile, hostile,
    st.one_of(st.none(), hostile.map(lambda t: "https://example.com/" + t), hostile),
    st.one_of(st.none(), hostile), st.one_of(st.none(), hostile))


@examples(ci=150, soak=5_000)
@given(hostile, st.lists(passages, min_size=1, max_size=4))
@example("@everyone", [  # found by the soak profile
    found_passage(1, "@everyone", "@everyone", "@everyone", None, None, None),
    found_passage(1, "\n@everyone. Zhao Lijian", "@everyone", "", None, None, None)])
@example("", [found_passage(1, "1. 0@everyone", "@everyone", "", None, None, None)])  # and this
def test_an_answer_of_hostile_articles_pings_nobody_and_keeps_its_markdown(question, found):
    answer = Answer(question, tuple(dataclasses_replace_rank(found)))
    embed = answer_embed(answer, ReplyStyle())
    check_embed(embed)
    assert len(embed.title) <= 256 and len(embed.description) <= 4096
    for passage in answer.passages:  # each passage under its own citation line
        assert f"**[{passage.rank}] " in embed.description


def dataclasses_replace_rank(found):
    import dataclasses

    return [dataclasses.replace(p, rank=rank) for rank, p in enumerate(found, start=1)]


# -- article files and feeds -----------------------------------------------------------------

SUFFIXES = [".txt", ".md", ".html", ".jsonl"]
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | hostile,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3),
    max_leaves=8)


def check_articles(articles: list[Article]) -> None:
    """What parsing returns can be stored: strings without lone surrogates, an id, a hash."""
    for article in articles:
        for value in (article.title, article.source, *article.paragraphs):
            assert isinstance(value, str) and value.encode("utf-8")
        for value in (article.url, article.published, article.author):
            assert value is None or isinstance(value, str) and value.encode("utf-8")
        assert article.paragraphs and len(article.article_id) == 12 and article.content_hash


def parsed_or_refused(data: bytes, name: str) -> list[Article]:
    try:
        articles = parse_articles(data, name, f"upload: {name}")
    except UnreadableInput as error:
        assert "\n" not in str(error)
        return []
    check_articles(articles)
    return articles


@examples(ci=200, soak=10_000)
@given(st.binary(max_size=400), st.sampled_from(SUFFIXES))
@example(b"[" * 100_000, ".jsonl")  # nested deeper than the JSON parser goes
@example(b"\xef\xbb\xbf\x00\x00", ".txt")
def test_article_files_of_random_bytes_are_read_or_refused_in_one_line(data, suffix):
    parsed_or_refused(data, "random" + suffix)


@examples(ci=200, soak=10_000)
@given(st.lists(st.dictionaries(st.sampled_from(["title", "text", "url", "published", "author"]),
                                json_values | hostile, max_size=5), min_size=1, max_size=3))
@example([{"title": "t", "text": "hello \ud800 world, a paragraph long enough", "url": [None]}])
@example([{"title": "t", "text": "a paragraph", "published": 5}])
def test_jsonl_records_with_values_of_every_type(records):
    parsed_or_refused("\n".join(json.dumps(r) for r in records).encode(), "mangled.jsonl")


@st.composite
def markup_documents(draw):
    """Markdown and HTML with tags and headings opened, closed and nested at random."""
    tags = ["<p>", "</p>", "<h1>", "</h1>", "<article>", "</article>", "<script>", "</script>", "<title>",
            "</title>", "<br>", "<!--", "-->", "<![CDATA[", "]]>", "&amp;", "&#0;", "&#xD800;", "<meta ",
            "<html>", "<body>", "# ", "\n\n", "![i](x)", "[a](", "**"]
    words = st.sampled_from(["The harbour ferry returned on Tuesday after three years away.",
                             "Officials said the timetable adds two crossings.", "Zhao Lijian said"])
    parts = draw(st.lists(st.one_of(st.sampled_from(tags), words, hostile), max_size=25))
    return "".join(parts)


@examples(ci=120, soak=5_000)
@given(markup_documents(), st.sampled_from([".md", ".html", ".txt"]))
def test_markdown_and_html_of_mangled_structure(text, suffix):
    parsed_or_refused(text.encode("utf-8", "surrogatepass"), "mangled" + suffix)


def feed_articles_or_refused(body: bytes, content_type: str) -> None:
    url = "https://example.com/feed"
    try:
        feed = parse_feed(body, content_type, url)
    except NotAFeed as error:
        assert "\n" not in str(error)
        return
    for value in (feed.title or "", *(v or "" for e in feed.entries
                                      for v in (e.key, e.link, e.title, e.published, e.updated, e.text,
                                                e.author))):
        value.encode("utf-8")
    for entry in feed.entries:
        entry.day  # noqa: B018  (never raises: an unreadable date is no date)
        try:
            check_articles([article_from_feed_text(entry, url)])
        except UnreadableInput:
            pass


@st.composite
def rss_and_atom(draw):
    field = st.one_of(hostile, st.sampled_from(["", "&#xD800;", "&bogus;", "<![CDATA[<p>x</p>]]>",
                                                  "Tue, 05 Mar 2024 08:00:00 GMT", "not a date", "]]>"]))
    items = draw(st.lists(st.tuples(field, field, field, field, field), max_size=3))
    if draw(st.booleans()):
        body = "".join(f"<item><title>{a}</title><link>{b}</link><guid>{c}</guid><pubDate>{d}</pubDate>"
                       f"<description>{e}</description></item>" for a, b, c, d, e in items)
        return f"<?xml version='1.0'?><rss version='2.0'><channel><title>{draw(field)}</title>{body}"
    body = "".join(f"<entry><title>{a}</title><link href='{b}'/><id>{c}</id><updated>{d}</updated>"
                   f"<content type='html'>{e}</content></entry>" for a, b, c, d, e in items)
    return f"<feed xmlns='http://www.w3.org/2005/Atom'><title>{draw(field)}</title>{body}"


@examples(ci=100, soak=5_000)
@given(st.one_of(rss_and_atom().map(lambda t: t.encode("utf-8", "surrogatepass")), st.binary(max_size=300)),
       st.sampled_from(["application/rss+xml", "application/atom+xml", "text/xml", "text/html", ""]))
def test_rss_and_atom_feeds_of_mangled_structure(body, content_type):
    cut = len(body) * 3 // 4  # and cut short, as a dropped connection leaves it
    feed_articles_or_refused(body, content_type)
    feed_articles_or_refused(body[:cut], content_type)


item_keys = ["id", "url", "external_url", "title", "content_html", "content_text", "summary",
             "date_published", "date_modified", "author", "authors"]


@examples(ci=150, soak=5_000)
@given(st.dictionaries(st.sampled_from(["title", "items", "home_page_url"]), json_values),
       st.one_of(json_values, st.lists(st.dictionaries(st.sampled_from(item_keys), json_values | hostile),
                                       max_size=3)))
@example({}, [{"id": None, "url": None, "authors": 1}])
@example({}, [{"url": "http://[oops", "content_text": "a paragraph of the feed's own text"}])
def test_json_feeds_with_values_of_every_type(feed, items):
    body = json.dumps(dict(feed, version="https://jsonfeed.org/version/1.1", items=items)).encode()
    feed_articles_or_refused(body, "application/feed+json")
    feed_articles_or_refused(b'{"version": "https://jsonfeed.org/version/1.1", "items": ' + b"[" * 50_000,
                             "application/json")


# -- the CLI: hostile files and questions; nothing indexed is lost ----------------------------------


@pytest.fixture(scope="module")
def cli_index(tmp_path_factory, minilm):
    """An index holding the sample article, built by the CLI as a person would."""
    folder = tmp_path_factory.mktemp("hostile-cli") / "index"
    assert bot.main(["index", str(SAMPLE), "--index", str(folder)]) == 0
    return folder


def run_cli(capsys, argv: list[str], stdin: str | None = None) -> tuple[int, str, str]:
    """bot.main as the command line runs it: an exception escaping it is a traceback."""
    saved = sys.stdin
    if stdin is not None:
        sys.stdin = io.StringIO(stdin)
    try:
        code = bot.main(argv)
    except SystemExit as exit_:  # argparse's usage errors: exit code 2 and one message
        code = exit_.code
    finally:
        sys.stdin = saved
    out, err = capsys.readouterr()
    assert "Traceback" not in err and "Traceback" not in out
    return code, out, err


def indexed(capsys, folder: Path) -> list[str]:
    code, out, _ = run_cli(capsys, ["sources", "--index", str(folder)])
    assert code == 0
    return sorted(out.splitlines())


file_contents = st.one_of(st.binary(max_size=300), markup_documents().map(str.encode),
                          st.lists(st.dictionaries(st.sampled_from(["title", "text", "url", "published"]),
                                                   json_values | hostile, max_size=4), max_size=3)
                          .map(lambda rs: "\n".join(json.dumps(r) for r in rs).encode()))


@examples(ci=10, soak=300)
@given(st.lists(st.tuples(st.sampled_from(SUFFIXES), file_contents), min_size=1, max_size=6))
def test_indexing_hostile_files_with_the_cli_loses_nothing(capsys, cli_index, tmp_path_factory, files):
    folder = tmp_path_factory.mktemp("files")
    for number, (suffix, data) in enumerate(files):
        (folder / f"hostile{number}{suffix}").write_bytes(data)
    before = indexed(capsys, cli_index)
    sample = next(line for line in before if "Biden and Xi" in line)
    code, out, err = run_cli(capsys, ["index", str(folder), "--index", str(cli_index)])
    assert code in (0, 1) and "articles:" in out
    assert all(line.startswith("error: ") or "indexing" in line for line in err.splitlines() if line.strip())
    after = indexed(capsys, cli_index)
    assert sample in after and set(before) - set(after) <= set()  # nothing already indexed went


@examples(ci=10, soak=300)
@given(st.lists(questions, min_size=1, max_size=6))
@example(batch=["\x85", "a\u2028b"])  # line breaks to str.splitlines(), left raw by json.dumps (the soak's)
def test_hostile_questions_get_one_json_line_each_from_the_cli(capsys, cli_index, batch):
    lines = [json.dumps({"question": q}) for q in batch] + ["What did Zhao Lijian say?"]
    code, out, err = run_cli(capsys, ["ask", "--json", "--index", str(cli_index)],
                             stdin="\n".join(lines) + "\n")
    records = [json.loads(line) for line in out.splitlines()]
    assert len(records) == len(lines) and code in (0, 1)
    assert records[-1]["answered"] and "¶9–10" in records[-1]["passages"][0]["citation"]
    assert code == (1 if any("error" in r for r in records) else 0)
    assert all("\n" not in r.get("error", "") for r in records)


def test_a_question_of_invalid_utf8_and_control_characters_is_no_traceback(cli_index):
    """The command line as a shell passes it: bytes that are not UTF-8 become lone surrogates."""
    env = dict(os.environ, PYTHONIOENCODING="utf-8")
    for extra in ([], ["--json"]):
        question = b"What did Zhao Lijian say \xff\xfe \x1b[31m @everyone \xe2\x80\xae?"
        result = subprocess.run([sys.executable.encode(), b"bot.py", b"ask", question, b"--index",
                                 str(cli_index).encode(), *[e.encode() for e in extra]],
                                cwd=ROOT, capture_output=True, env=env, timeout=120)
        assert b"Traceback" not in result.stderr, result.stderr.decode(errors="replace")
        assert result.returncode == 0 and result.stdout.strip(), result.stderr
        if extra:
            assert json.loads(result.stdout)["question"].startswith("What did Zhao Lijian say \ufffd")


@pytest.fixture(scope="module")
def searcher(sample_library):
    return Searcher(sample_library, SearchSettings())


@examples(ci=40, soak=2_000)
@given(questions)
def test_hostile_questions_are_answered_or_refused_in_one_line(searcher, question):
    try:
        answer = searcher.ask(question, 3)
    except IndexingError as error:
        assert "\n" not in str(error)
        return
    check_embed(answer_embed(answer, ReplyStyle()))
    json.dumps(answer_to_json(answer), ensure_ascii=False).encode("utf-8")
    render_text(answer).encode("utf-8")


# -- config values of every wrong type -------------------------------------------------------------

KEYS = sorted({*_RANGES, *_BOOLEANS, *_COLOURS, *_ID_LISTS, *_PATHS, *_LISTS})


def toml_float(value: float) -> str:
    if math.isnan(value):
        return "nan"
    return {math.inf: "inf", -math.inf: "-inf"}.get(value, repr(value))


toml_scalars = st.one_of(
    st.integers(-(2**63), 2**63 - 1).map(str), st.floats().map(toml_float),
    st.booleans().map(lambda b: "true" if b else "false"),
    hostile.map(lambda t: json.dumps(t.encode("utf-8", "replace").decode("utf-8"))),
    st.sampled_from(["1979-05-27", "1979-05-27T07:32:00Z", "07:32:00", "0x10", "0o17", "-0", "+inf", "''",
                     "'''x'''", '"#2b6cb0"', '"#zzzzzz"', '"."', '"/"', '"   "']))
toml_values = st.recursive(
    toml_scalars,
    lambda inner: st.lists(inner, max_size=7).map(lambda xs: "[" + ", ".join(xs) + "]")
    | st.lists(inner, max_size=3).map(lambda xs: "{" + ", ".join(f"k{i} = {x}" for i, x in enumerate(xs))
                                      + "}"),
    max_leaves=8)


def config_text(pairs) -> str:
    sections: dict[str, list[str]] = {}
    for (section, key), value in pairs:
        sections.setdefault(section, []).append(f"{key} = {value}")
    return "\n".join(f"[{section}]\n" + "\n".join(lines) for section, lines in sections.items())


@examples(ci=300, soak=20_000)
@given(st.lists(st.tuples(st.sampled_from(KEYS), toml_values), min_size=1, max_size=4,
                unique_by=lambda pair: pair[0]))
def test_config_values_of_every_wrong_type_are_one_line_errors(tmp_path_factory, pairs):
    path = tmp_path_factory.mktemp("config") / "config.toml"
    path.write_text(config_text(pairs), encoding="utf-8")
    try:
        load_settings(path)
    except ConfigError as error:
        assert "\n" not in str(error)
        named = [f"{section}.{key}" for (section, key), _ in pairs]
        assert any(name in str(error) for name in named) or "TOML" in str(error) or "backoff" in str(error)


@pytest.mark.parametrize("content", [
    b"[index]\nbatch_size = \xff\n",  # not UTF-8
    b"[discord]\nchannels = [1, \"2\"]\n", b"[discord]\nembed_colour = 0x2b6cb0\n",
    b"[retrieval]\nk = nan\n", b"[feeds]\nbackoff_base_minutes = 100\nbackoff_max_minutes = 10\n",
    b"discord = 5\n", b"[index]\ndir = []\n", b"[[index]]\ndir = \"x\"\n", b"\x00\x01\x02",
])
def test_a_bad_config_file_is_one_line_on_stderr_through_the_cli(tmp_path, capsys, content):
    path = tmp_path / "config.toml"
    path.write_bytes(content)
    code, out, err = run_cli(capsys, ["--config", str(path), "sources", "--index", str(tmp_path / "i")])
    assert code == 1 and out == "" and err.startswith("error: ") and err.count("\n") == 1, err


def test_a_config_that_is_a_folder_is_one_line_on_stderr(tmp_path, capsys):
    code, _, err = run_cli(capsys, ["--config", str(tmp_path), "sources"])
    assert code == 1 and err.startswith("error: ") and err.count("\n") == 1, err


# -- the bot, live on the Discord stand-in -------------------------------------------------------


class LiveBot:
    """The real bot on the stand-in, on its own event loop in a thread, shared by the examples."""

    def __init__(self, library):
        from tests.test_discord_bot import bot_on_standin

        self.loop = asyncio.new_event_loop()
        self._ready = threading.Event()
        self._failure: BaseException | None = None

        async def serve():
            self._stop = asyncio.Event()
            try:
                async with bot_on_standin(library) as (self.standin, self.bot):
                    self._ready.set()
                    await self._stop.wait()
            except BaseException as failure:  # reported by close()
                self._failure = failure
                self._ready.set()

        self._thread = threading.Thread(target=self.loop.run_until_complete, args=(serve(),), daemon=True)
        self._thread.start()
        assert self._ready.wait(60) and self._failure is None, self._failure

    def run(self, make_coroutine, timeout=60):
        return asyncio.run_coroutine_threadsafe(make_coroutine(self.standin), self.loop).result(timeout)

    def close(self):
        self.loop.call_soon_threadsafe(self._stop.set)
        self._thread.join(60)
        if self._failure is not None:
            raise self._failure


@pytest.fixture(scope="module")
def live_bot(tmp_path_factory, minilm):
    folder = tmp_path_factory.mktemp("hostile-bot")
    hostile_article = folder / "hostile_town_hall.txt"
    hostile_article.write_text(
        "Town hall @everyone **meeting** moved <@&123456789012345678>\n\n"
        "@here the town hall meeting about the ferry timetable moved to Thursday, said <@234567890123456789>"
        " in a post with ||spoilers|| and `code` and a * lone star.\n\n"
        "# Not a heading\n\n> not a quote, 1. not a list, -# not small text, [a](https://e.com) no link\n",
        encoding="utf-8")
    library = Library(folder / "index", minilm)
    library.ingest([SAMPLE, hostile_article])
    running = LiveBot(library)
    yield running
    running.close()
    library.close()


def everything_sent(standin) -> list:
    return [m for m in standin.world.messages.values() if m.author.id == standin.bot.id]


@examples(ci=12, soak=500)
@given(questions, st.sampled_from(["slash", "mention", "dm", "article", "quotes"]))
@example("When is the town hall meeting about the ferry timetable?", "slash")
@example("@everyone", "article")
@example("<@&234567890123456789> **x**", "quotes")
def test_the_live_bot_never_pings_or_breaks_its_markdown_whatever_is_asked(live_bot, question, way):
    question = question[:6000]  # Discord's own limit on an option; the bot refuses past 1000

    async def ask(standin):
        general = standin.channel("general").id
        mark = standin.checkpoint()
        if way in ("slash", "article", "quotes"):
            name, options = {
                "slash": ("ask", {"question": question or "?"}),
                "article": ("ask", {"question": "What happened?", "article": question or "?"}),
                "quotes": ("quotes", {"person": question or "?"}),
            }[way]
            record = await standin.slash_command(name, options, user=standin.member, channel_id=general)
            return (await standin.wait_for_response(record, timeout=30)).reply
        channel = standin.dm_channel(standin.member).id if way == "dm" else general
        text = question if way == "dm" else f"<@{standin.bot.id}> {question}"
        if not text.strip():
            return None
        await standin.send_message(channel, standin.member, text[:2000])
        with contextlib.suppress(Exception):  # a blank question after the mention gets no answer
            return await standin.wait_for_message(channel, after=mark, timeout=30)
        return None

    reply = live_bot.run(ask)
    if question.startswith("When is the town hall meeting"):  # the hostile article's own answer
        shown = reply.embeds[0]["description"]
        assert "@\u200beveryone" in shown and "\\|\\|spoilers\\|\\|" in shown, shown
    if reply is not None:
        check_message(reply.content, reply.embeds)
        assert reply.content != APOLOGY
    for message in everything_sent(live_bot.standin):
        rules = message.allowed_mentions or {}
        assert rules.get("parse") == [] and not rules.get("users") and not rules.get("roles")
