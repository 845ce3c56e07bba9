"""Feeds in, articles out: RSS, Atom and JSON Feed polled, each new entry's page fetched and indexed."""
