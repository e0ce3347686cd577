"""The first run outside a blog: ask once which blog to use, and keep the answer (`blog`)."""

from __future__ import annotations

from pathlib import Path

from studylog.blog.site import is_jekyll_site
from studylog.cli import prompts
from studylog.cli.commands import default_blog
from studylog.cli.commands.config import save_setting
from studylog.cli.output import echo

QUESTION = "Which blog should studylog write to?"
ELSEWHERE = "My blog (a Jekyll site): type its folder"
CREATE = "Create a new blog at {path}"
NOT_A_SITE = "not a Jekyll site (no _config.yml or _posts/): type your blog's folder"


def ask_blog(default: Path) -> Path:
    """Ask for the blog's folder, or create the default one; saved as the config's `blog`."""
    echo("You are not in a Jekyll site, and no blog is set.", err=True)
    create = CREATE.format(path=default)
    picked = prompts.select(QUESTION, [create], default=create, other=ELSEWHERE)
    if picked:
        blog = default_blog(default)
    else:
        blog = site_path(prompts.text("Your blog's folder:", validate=check_site))
    saved = save_setting("blog", str(blog))
    echo(f"Saved in {saved}: blog = {blog} (`studylog config set blog PATH` changes it)", err=True)
    return blog


def site_path(typed: str) -> Path:
    """A typed or dragged folder (quotes around it dropped) as an absolute path."""
    return Path(typed.strip().strip("'\"")).expanduser().resolve()


def check_site(typed: str) -> bool | str:
    """True for the folder of a Jekyll site, else what is wrong."""
    return True if typed.strip() and is_jekyll_site(site_path(typed)) else NOT_A_SITE
