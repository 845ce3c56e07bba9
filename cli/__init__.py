"""The command line's commands beyond asking and indexing, and how they open the index."""
