"""Standing questions: watches kept in watches.sqlite, matched against each ingest's new passages."""
