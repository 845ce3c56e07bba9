"""bot.py as a newcomer and other tools use it: exit codes, messages, the JSON-lines contract."""

import io
import json
import subprocess
import sys
from dataclasses import fields

import pytest

import bot
from retrieval.search import SearchSettings
from tests.conftest import FIXTURES, ROOT


@pytest.fixture(scope="module")
def index_dir(tmp_path_factory, minilm):
    """An index that the first `ask` built from data/articles, as on a fresh machine."""
    return tmp_path_factory.mktemp("cli") / "index"


def run(capsys, *argv, stdin: str | None = None, monkeypatch=None):
    if stdin is not None:
        monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    code = bot.main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_first_ask_builds_the_index_and_prints_the_quote_with_its_citation(capsys, index_dir):
    code, out, err = run(capsys, "ask", "What did Zhao Lijian say?", "--index", index_dir)
    assert code == 0
    assert "No index yet" in err and "1 added" in err
    assert "Biden and Xi to talk on phone as US presses China over Russia · ¶9–10 · " \
        "000_3cd0485b87778113.txt" in out
    assert "It is those countries that delude themselves" in out


def test_an_off_topic_question_says_it_is_not_in_the_articles(capsys, index_dir):
    code, out, _ = run(capsys, "ask", "What is the weather in Paris tomorrow?", "--index", index_dir)
    assert code == 0 and out.strip() == "That is not in the indexed articles."


def test_ask_json_prints_one_object_with_the_contract_fields(capsys, index_dir):
    code, out, _ = run(capsys, "ask", "What did Zhao Lijian say?", "--json", "--k", "3",
                       "--index", index_dir)
    record = json.loads(out)
    assert code == 0 and record["answered"] is True
    passage = next(p for p in record["passages"] if 10 in p["paragraphs"])
    assert set(passage) == {"rank", "score", "article", "title", "source", "paragraph", "paragraphs",
                            "text", "highlight", "speaker", "link", "also_in", "citation"}
    assert passage["speaker"] == "Zhao Lijian" and passage["citation"].endswith(" — Zhao Lijian")
    assert passage["source"].endswith("000_3cd0485b87778113.txt")
    assert passage["highlight"] in passage["text"]
    assert "¶9–10" in passage["citation"]


def test_ask_json_reads_one_question_per_line_and_answers_in_order(capsys, monkeypatch, index_dir):
    lines = [
        "What did Zhao Lijian say?",
        json.dumps({"question": "When will Biden and Xi talk?", "article": "000_3cd0485b87778113.txt"}),
        "What is the weather in Paris tomorrow?",
        "",
        json.dumps({"question": "Who reopened the bridge?", "article": "no-such-article"}),
    ]
    code, out, _ = run(capsys, "ask", "--json", "--index", index_dir,
                       stdin="\n".join(lines) + "\n", monkeypatch=monkeypatch)
    records = [json.loads(line) for line in out.splitlines()]
    assert [r["question"] for r in records] == [
        "What did Zhao Lijian say?", "When will Biden and Xi talk?",
        "What is the weather in Paris tomorrow?", "", "Who reopened the bridge?",
    ]
    assert [r["answered"] for r in records] == [True, True, False, False, False]
    assert 2 in records[1]["passages"][0]["paragraphs"]  # ¶2 says when, shown with ¶1
    assert records[2]["passages"] == [] and "error" not in records[2]
    assert "empty" in records[3]["error"] and "no indexed article matches" in records[4]["error"]
    assert code == 1  # some lines could not be asked


def test_index_sources_and_forget(capsys, tmp_path, minilm):
    index = tmp_path / "index"
    code, out, _ = run(capsys, "index", FIXTURES, "--index", index)
    assert code == 0 and "5 added" in out
    code, out, _ = run(capsys, "sources", "--index", index)
    assert "Harbour bridge reopens after two years of repairs  (4 paragraphs, harbour.txt)" in out
    assert "https://news.example.com/rail-strike" in out
    code, out, _ = run(capsys, "forget", "harbour.txt", "--index", index)
    assert code == 0 and out.startswith("forgot ") and "Harbour bridge" in out
    code, out, _ = run(capsys, "sources", "--index", index)
    assert "Harbour" not in out and len(out.splitlines()) == 4


def test_bad_files_are_reported_one_line_each_and_good_ones_still_indexed(capsys, tmp_path, minilm):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "good.txt").write_text("Good news\n\nThe harvest was the best in a decade.")
    (tmp_path / "in" / "binary.txt").write_bytes(b"\x00\x01\x02" * 50)
    (tmp_path / "in" / "empty.md").write_text("")
    code, out, err = run(capsys, "index", tmp_path / "in", tmp_path / "missing.html",
                         "--index", tmp_path / "index")
    errors = err.strip().splitlines()
    assert code == 1 and len(errors) == 3
    assert all(line.startswith("error: ") for line in errors)
    assert "1 added" in out and "3 file(s) skipped" in out


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["ask", ""], "error: the question is empty"),
        (["ask", "x" * 5000], "error: the question is 5,000 characters; keep it under 1,000"),
        (["ask", "Who?", "--article", "nope"], "error: no indexed article matches 'nope'"),
        (["forget", "nope"], "error: no indexed article matches 'nope'"),
        (["ask"], "error: give a question"),
    ],
)
def test_bad_input_exits_non_zero_with_one_line(capsys, index_dir, argv, message):
    code, out, err = run(capsys, *argv, "--index", index_dir)
    assert code == 1 and out == ""
    assert err.startswith(message) and err.count("\n") == 1


def test_a_corrupted_store_is_a_one_line_error(capsys, tmp_path):
    (tmp_path / "index").mkdir()
    (tmp_path / "index" / "store.sqlite").write_bytes(b"\x13" * 4096)
    code, _, err = run(capsys, "sources", "--index", tmp_path / "index")
    assert code == 1 and "store.sqlite is damaged" in err and err.count("\n") == 1


@pytest.mark.parametrize(
    ("toml", "message"),
    [
        ("[retrieval]\nk = 0\n", "config.toml: retrieval.k must be a whole number from 1 to 25, got 0"),
        ("[retrieval]\nmin_similarity = 2\n", "retrieval.min_similarity must be a number from 0 to 1"),
        ("[retrieval]\nkeyword_columns = [1, 2]\n", "retrieval.keyword_columns must be a list of 3"),
        ("[retrieval]\nkk = 3\n", "retrieval.kk is not a known setting"),
        ("[retreival]\nk = 3\n", "unknown section [retreival]"),
        ("k = = 3", "config.toml: not valid TOML"),
    ],
)
def test_a_bad_setting_names_the_key_and_the_allowed_range(capsys, tmp_path, toml, message):
    config = tmp_path / "config.toml"
    config.write_text(toml)
    code, _, err = run(capsys, "--config", config, "sources", "--index", tmp_path / "index")
    assert code == 1 and message in err and err.count("\n") == 1


def test_the_shipped_config_documents_every_setting_with_a_comment():
    text = (ROOT / "config.toml").read_text()
    for setting in fields(SearchSettings):
        assert f"\n{setting.name} = " in text, f"config.toml does not show retrieval.{setting.name}"
    lines = text.splitlines()
    for number, line in enumerate(lines):
        if "=" in line and not line.startswith("#"):
            assert lines[number - 1].startswith("#"), f"config.toml line {number + 1} has no comment"


def test_quick_start_ask_works_in_a_fresh_process(tmp_path):
    """The README's first command, as a newcomer runs it (with a private index folder)."""
    result = subprocess.run(
        [sys.executable, "bot.py", "ask", "What did Zhao Lijian say?", "--index", tmp_path / "idx"],
        cwd=ROOT, capture_output=True, text=True, timeout=300,
    )
    assert result.returncode == 0, result.stderr
    assert "¶9–10 · 000_3cd0485b87778113.txt" in result.stdout
    assert "they can lord it over the world" in result.stdout


def test_indexing_an_unchanged_folder_again_exits_cleanly(tmp_path):
    """Nothing to embed: the process ends while the model it started loading is still loading
    (it died with SIGABRT inside ONNX Runtime, so cron and feed jobs reported failure)."""
    command = [sys.executable, "bot.py", "index", "data/articles", "--index", str(tmp_path / "idx")]
    first = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=300)
    again = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert (first.returncode, again.returncode) == (0, 0), again.stderr
    assert "0 added, 0 replaced, 1 unchanged" in again.stdout


def test_chat_answers_each_line_like_the_bot_and_quits_on_an_empty_line(capsys, monkeypatch, index_dir):
    code, out, _ = run(capsys, "chat", "--index", index_dir, monkeypatch=monkeypatch,
                       stdin="What did Zhao Lijian say?\nWhat is the weather in Paris tomorrow?\n\n")
    assert code == 0
    replies = out.split("bot> ")[1:]
    assert len(replies) == 2
    assert replies[0].startswith("== What did Zhao Lijian say? ==")
    assert "Biden and Xi to talk on phone as US presses China over Russia · ¶9–10** · 000\\_3cd0" \
        in replies[0]
    assert "That is not in the indexed articles." in replies[1]
