"""Errors the index raises. Each message is one line that says what to do next."""


class IndexingError(Exception):
    """Base class: a problem the user can fix; the message is shown as is."""


class UnreadableInput(IndexingError):
    """A file or page that cannot be turned into an article."""


class NoArticleText(UnreadableInput):
    """A page whose text is all site or news chrome (a video page, say)."""


class DamagedIndex(IndexingError):
    """The index directory exists but cannot be read."""


class ModelMismatch(IndexingError):
    """The index was built with a different embedding model than this run uses."""


class UnknownArticle(IndexingError):
    """No indexed article matches the reference the user gave."""


class DiskFull(IndexingError):
    """The disk holding the index folder has no room left (index/disk_space.py)."""
