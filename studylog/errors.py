"""One error type for everything a user can cause; each carries a message they can act on."""

from __future__ import annotations


class StudylogError(Exception):
    """A problem the user can fix; the CLI prints `message` on one line and exits `exit_code`."""

    exit_code = 1

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class UsageError(StudylogError):
    """The command line itself is wrong (exit 2)."""

    exit_code = 2


class ConfigError(StudylogError):
    """The configuration file cannot be used."""


class BlogError(StudylogError):
    """The blog directory or a post file cannot be used."""


class EntryError(StudylogError):
    """An entry (from --from, flags or a draft) is incomplete or invalid."""


class TemplateError(StudylogError):
    """The post template cannot be rendered."""


class VcsError(StudylogError):
    """git failed or the repository is not in a state to publish."""


class DraftError(StudylogError):
    """A draft of unfinished answers cannot be saved or read."""


class EditorError(StudylogError):
    """The editor could not start or exited with an error."""


class Interrupted(StudylogError):
    """The user interrupted a prompt (Ctrl-C, Ctrl-D or a signal); exit 130."""

    exit_code = 130


class PostError(BlogError):
    """One post cannot be read; `path` and `reason` let a list show it as a row."""

    def __init__(self, path: str, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason
