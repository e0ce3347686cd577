"""The first run outside a blog: ask once which blog to use, and keep the answer (`blog`)."""

from __future__ import annotations

from pathlib import Path

from studylog.blog.site import is_jekyll_site
from studylog.cli import prompts
from studylog.cli.commands.config import save_setting
from studylog.cli.output import echo

QUESTION = "Which blog should studylog write to?"
ELSEWHERE = "My blog (a Jekyll site): type its folder"
CREATE = "Create a new blog at {path}"
NOT_A_SITE = "not a Jekyll site (no _config.yml or _posts/): type your blog's folder"


def ask_blog(default: Path) -> Path | None:
    """Ask for the blog's folder: the folder typed, or None to create the default one."""
    echo("You are not in a Jekyll site, and no blog is set.", err=True)
    create = CREATE.format(path=default)
    if prompts.select(QUESTION, [create], default=create, other=ELSEWHERE):
        return None
    return site_path(prompts.text("Your blog's folder:", validate=check_site))


def keep(blog: Path) -> None:
    """Save the blog chosen as the config's `blog`, and say so."""
    saved = save_setting("blog", str(blog))
    echo(f"Saved in {saved}: blog = {blog} (`studylog config set blog PATH` changes it)", err=True)


def site_path(typed: str) -> Path:
    """A typed or dragged folder (quotes around it dropped) as an absolute path."""
    return Path(typed.strip().strip("'\"")).expanduser().resolve()


def check_site(typed: str) -> bool | str:
    """True for the folder of a Jekyll site, else what is wrong."""
    return True if typed.strip() and is_jekyll_site(site_path(typed)) else NOT_A_SITE
