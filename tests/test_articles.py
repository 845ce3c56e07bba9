"""Reading articles: each format, site chrome dropped, paragraphs numbered, bad files refused."""

import os

import pytest

from index.articles import find_article_files, read_articles
from index.errors import UnreadableInput
from tests.conftest import FIXTURES, SAMPLE


def test_plain_text_takes_first_line_as_title_and_blank_lines_as_paragraph_breaks():
    [article] = read_articles(SAMPLE)
    assert article.title == "Biden and Xi to talk on phone as US presses China over Russia"
    assert len(article.paragraphs) == 13
    assert article.paragraphs[0].startswith("United States President Joe Biden")
    assert article.paragraphs[9].startswith("“It is those countries that delude themselves")


def test_sample_footer_junk_is_dropped():
    [article] = read_articles(SAMPLE)
    body = "\n".join(article.paragraphs)
    for junk in ("Leave a Reply", "Your email address will not be published", "Back to top"):
        assert junk not in body
    assert article.paragraphs[-1].endswith("The two have met more than 30 times since 2013.")


def test_share_prompts_and_comment_boxes_are_dropped_from_text_files():
    [article] = read_articles(FIXTURES / "harbour.txt")
    assert len(article.paragraphs) == 4
    assert not any("Share this" in p or "Required fields" in p for p in article.paragraphs)


def test_markdown_heading_is_the_title_and_inner_headings_and_markup_are_not_text():
    [article] = read_articles(FIXTURES / "orchard.md")
    assert article.title == "Apple growers brace for a late frost"
    assert article.paragraphs == (
        "Growers in the Vale of Tamsin expect a late frost to damage up to a third of the "
        "blossom this week.",
        "Many orchards have hired wind machines, and some are lighting smudge pots between "
        "the rows.",
        "The cooperative's chair, Bram Olesen, said insurance would cover most of the losses.",
    )


def test_html_main_text_title_and_date_are_extracted_without_navigation_or_footer():
    [article] = read_articles(FIXTURES / "observatory.html")
    assert article.title == "Mountain observatory spots a new comet"
    assert article.published == "2024-02-11"
    assert len(article.paragraphs) == 3
    assert article.paragraphs[1].startswith("The comet, named C/2024 B1")
    text = " ".join(article.paragraphs)
    assert "Home" not in text and "All rights reserved" not in text and "Back to top" not in text


def test_jsonl_gives_one_article_per_line_with_url_and_date():
    first, second = read_articles(FIXTURES / "wires.jsonl")
    assert first.title == "Rail strike suspended after overnight talks"
    assert first.url == "https://news.example.com/rail-strike"
    assert first.published == "2024-03-02"
    assert first.paragraphs[1] == "The union said the new offer included a pay rise of four percent."
    assert second.url is None and second.source.endswith("wires.jsonl#2")
    assert first.article_id != second.article_id


def test_folders_are_searched_for_supported_files_only(tmp_path):
    (tmp_path / "a.txt").write_text("T\n\nBody text here.")
    (tmp_path / "notes.pdf").write_bytes(b"%PDF")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "b.md").write_text("# T\n\nBody.")
    assert [p.name for p in find_article_files([tmp_path])] == ["a.txt", "b.md"]


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("empty.txt", b"", "the file is empty"),
        ("blank.txt", b"  \n\n ", "the file is empty"),
        ("image.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary content"),
        ("latin1.txt", "Caf\xe9 news\n\nIt opened.".encode("latin-1"), "not UTF-8"),
        ("slides.pptx", b"PK\x03\x04", "unsupported file type .pptx"),
        ("only-chrome.txt", b"Title\n\nLeave a Reply\n\nBack to top button", "no article text"),
        ("menu.html", b"<html><body><nav><a href='/'>Home</a></nav></body></html>", "no article text"),
        ("broken.html", b"<html><body><div><p>", "no article text"),
        ("bad.jsonl", b'{"title": "ok", "text": "fine"}\n{"title": oops}\n', "bad.jsonl:2: not valid JSON"),
        ("notext.jsonl", b'{"title": "no text field"}\n', 'needs a "title" and a "text"'),
    ],
)
def test_bad_files_get_a_one_line_reason(tmp_path, name, content, message):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(UnreadableInput) as caught:
        read_articles(path)
    assert message in str(caught.value)
    assert "\n" not in str(caught.value)


def test_missing_and_unreadable_paths_get_a_one_line_reason(tmp_path):
    with pytest.raises(UnreadableInput, match="no such file"):
        read_articles(tmp_path / "nowhere.txt")
    locked = tmp_path / "locked.txt"
    locked.write_text("T\n\nBody.")
    locked.chmod(0)
    try:
        if os.access(locked, os.R_OK):
            pytest.skip("running as a user who can read any file")
        with pytest.raises(UnreadableInput, match="permission denied"):
            read_articles(locked)
    finally:
        locked.chmod(0o644)


def test_a_folder_named_like_an_article_gets_a_one_line_reason(tmp_path):
    (tmp_path / "looks-like.txt").mkdir()
    with pytest.raises(UnreadableInput, match="is a folder"):
        read_articles(tmp_path / "looks-like.txt")


def test_a_jsonl_line_that_is_all_chrome_is_skipped_and_the_others_kept(tmp_path, caplog):
    path = tmp_path / "mixed.jsonl"
    path.write_text('{"title": "Video", "text": "1. How relevant is this ad to you?"}\n'
                    '{"title": "Harbour", "text": "The harbour wall was finished on Monday."}\n')
    [article] = read_articles(path)
    assert article.title == "Harbour"
    assert "mixed.jsonl:1: no article text left" in caplog.text
