"""The few exceptions the library raises; the CLI and the web layer translate them once."""


class QAError(Exception):
    """Base class: a problem the user can act on, with a message meant for them."""


class ConfigError(QAError):
    """A setting is missing or out of range."""


class ReportError(QAError):
    """A report cannot be read or holds no text."""


class IndexMissingError(QAError):
    """No index has been built at the configured location."""


class IndexBuildingError(IndexMissingError):
    """The first index is being built and none of it is saved yet."""


class IndexMismatchError(QAError):
    """The index on disk was built with other settings than the current ones."""


class IndexDamagedError(QAError):
    """No generation of the index on disk loads: its files are truncated, changed or missing."""


class StorageError(QAError):
    """A write failed (the disk is full, most often); nothing was changed, and the last good
    index is still the one served."""


class NotFoundError(QAError):
    """No indexed report has that id."""


class QuestionError(QAError):
    """The question is empty, too long or otherwise unusable."""


class FilterError(QuestionError):
    """A filter on the reports asked is malformed."""
