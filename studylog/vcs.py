"""git through one helper: argument lists, `-C repo`, timeouts, no prompts -> VcsError."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from studylog.errors import VcsError

TIMEOUT = 60.0


def git(
    repo: Path, *args: str, timeout: float = TIMEOUT, check: bool = True
) -> subprocess.CompletedProcess[str]:
    """Run `git -C repo ARGS` non-interactively; VcsError on failure, a missing git or a timeout."""
    env = {**os.environ, "GIT_TERMINAL_PROMPT": "0", "GIT_ASKPASS": "", "SSH_ASKPASS": ""}
    env.setdefault("GIT_SSH_COMMAND", "ssh -o BatchMode=yes")
    try:
        result = subprocess.run(
            ["git", "-C", str(repo), *args],
            check=False,
            capture_output=True,
            text=True,
            encoding="utf-8",
            errors="replace",
            env=env,
            timeout=timeout,
            stdin=subprocess.DEVNULL,
        )
    except FileNotFoundError as exc:
        raise VcsError("git is not installed: install git and try again") from exc
    except subprocess.TimeoutExpired as exc:
        raise VcsError(
            f"git {args[0]} did not finish within {timeout:.0f}s: try again later"
        ) from exc
    if check and result.returncode != 0:
        detail = (result.stderr or result.stdout).strip().splitlines()
        raise VcsError(
            f"git {args[0]} failed: {detail[-1] if detail else 'exit ' + str(result.returncode)}"
        )
    return result
