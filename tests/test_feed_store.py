"""feeds.sqlite: the feeds followed, their poll state, and the entries seen, kept across restarts."""

from datetime import UTC, datetime, timedelta

import pytest

from feeds.feed_settings import FeedSettings
from feeds.feed_store import FEEDS_FILE, FeedProblem, FeedStore, SeenEntry
from index.errors import DamagedIndex

T0 = datetime(2024, 3, 5, 8, 0, tzinfo=UTC)
RSS, ATOM = "https://gazette.example/rss.xml", "https://valley.example/atom.xml"


@pytest.fixture
def store(tmp_path):
    store = FeedStore(tmp_path / "index")
    yield store
    store.close()


def seen(feed_url: str, key: str, updated: str | None = None) -> SeenEntry:
    return SeenEntry(feed_url, key, updated, f"https://gazette.example/{key}", T0)


def test_a_feed_is_added_once_and_only_with_an_http_address(store, tmp_path):
    assert store.add(f"  {RSS} ", now=T0) is True
    assert store.add(RSS) is False
    for bad in ("ftp://gazette.example/rss", "gazette.example/rss", "https://", ""):
        with pytest.raises(FeedProblem, match="is not an http\\(s\\) address; give the feed's full URL"):
            store.add(bad)
    [feed] = store.feeds()
    assert (feed.url, feed.added_at, feed.failures, feed.entries_seen) == (RSS, T0, 0, 0)
    assert feed.is_due(T0) and feed.last_polled is None
    assert (tmp_path / "index" / FEEDS_FILE).is_file()


def test_a_successful_poll_keeps_the_validators_and_marks_entries_seen_once(store):
    store.add(RSS)
    store.record_fetched(RSS, "Harbour Gazette", '"v1"', None, T0, [seen(RSS, "a", "1"), seen(RSS, "b")])
    later = T0 + timedelta(hours=1)
    store.record_fetched(RSS, None, '"v2"', "Tue, 05 Mar 2024 09:00:00 GMT", later,
                         [SeenEntry(RSS, "a", "2", None, later)])
    feed = store.feed(RSS)
    assert (feed.title, feed.etag, feed.last_modified, feed.last_polled) == (
        "Harbour Gazette", '"v2"', "Tue, 05 Mar 2024 09:00:00 GMT", later)
    entries = store.seen_entries(RSS)
    assert set(entries) == {"a", "b"} and feed.entries_seen == 2
    assert entries["a"].updated == "2" and entries["a"].first_seen == T0
    assert entries["a"].article_url == "https://gazette.example/a"  # kept when a later read made none


def test_a_failed_feed_waits_for_its_next_try_and_a_success_clears_the_failure(store):
    store.add(RSS)
    store.record_failure(RSS, f"{RSS} answered HTTP 500", T0, 2, T0 + timedelta(minutes=10))
    feed = store.feed(RSS)
    assert not feed.is_due(T0 + timedelta(minutes=9)) and feed.is_due(T0 + timedelta(minutes=10))
    assert feed.summary().endswith(
        f"failed 2 times in a row: {RSS} answered HTTP 500; next try 2024-03-05 08:10 UTC")
    store.record_not_modified(RSS, T0 + timedelta(minutes=10))
    feed = store.feed(RSS)
    assert (feed.failures, feed.last_error, feed.next_try) == (0, None, None)
    assert feed.summary() == f"{RSS}  (no title yet)  last polled 2024-03-05 08:10 UTC, 0 entries seen"


def test_removing_a_feed_forgets_its_entries_only(store):
    store.add(RSS)
    store.add(ATOM)
    store.record_fetched(RSS, "Gazette", None, None, T0, [seen(RSS, "a"), seen(RSS, "b")])
    store.record_fetched(ATOM, "Times", None, None, T0, [seen(ATOM, "a")])
    assert store.remove(RSS) == 2
    assert [f.url for f in store.feeds()] == [ATOM] and store.seen_entries(RSS) == {}
    assert set(store.seen_entries(ATOM)) == {"a"}
    with pytest.raises(FeedProblem, match="no feed .* is followed; `python bot.py feeds list` shows them"):
        store.remove(RSS)
    store.record_fetched(RSS, "Gazette", None, None, T0, [seen(RSS, "c")])  # a poll that was under way
    assert store.seen_entries(RSS) == {}


def test_feeds_and_entries_survive_reopening(tmp_path):
    first = FeedStore(tmp_path / "index")
    first.add(RSS, now=T0)
    first.record_fetched(RSS, "Gazette", '"v1"', None, T0, [seen(RSS, "a", "1")])
    first.close()
    again = FeedStore(tmp_path / "index")
    assert again.feed(RSS).etag == '"v1"' and again.seen_entries(RSS)["a"].updated == "1"
    again.close()


def test_an_index_path_that_is_a_file_is_refused(tmp_path):
    (tmp_path / "index").write_text("not a folder")
    with pytest.raises(DamagedIndex, match="is a file, not an index folder"):
        FeedStore(tmp_path / "index")


def test_backoff_doubles_with_each_failure_up_to_its_cap():
    settings = FeedSettings(backoff_base_minutes=5, backoff_max_minutes=30)
    assert [settings.backoff(n) for n in (1, 2, 3, 4, 10_000)] == [
        timedelta(minutes=m) for m in (5, 10, 20, 30, 30)]
