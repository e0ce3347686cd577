"""Everything studylog does with git, each command through `run.git`.

`repo` asks about a repository (status, HEAD, index, config) and `states` gives `list` each
post's state. `publish` ties together `plan` (the preflight checks; what to commit, with which
message, and where to push), `changes` (which paths go in and why), `promote` (a draft becoming a
dated post), `commit` (the commit, undone on failure) and `push` (never forced).
"""
