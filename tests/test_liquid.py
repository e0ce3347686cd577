"""The Liquid scan mirrors Liquid's tokenizer: what studylog wraps, Liquid never runs."""

from __future__ import annotations

from hypothesis import example, given
from hypothesis import strategies as st

from studylog.post.liquid import liquid_safe, scan

liquidish = st.lists(
    st.sampled_from(["{", "}", "%", "-", " ", "endraw", "raw", "comment", "x", "\n", '"'])
).map("".join)


@given(text=liquidish)
@example(text="a {% endraw %} b")
@example(text="{{ {%endraw%}")
@example(text="{%- endraw -%}{% comment %}")
def test_wrapped_text_holds_no_liquid_that_jekyll_would_run(text: str) -> None:
    found = scan(liquid_safe(text))
    assert (found.outside, found.unclosed, found.stray_end) == ([], None, None)


def test_the_scan_reports_lines_and_blocks() -> None:
    found = scan("a\n{{ x }}\n{% raw %}{{ y }}{% endraw %}\n{% comment %}\n{% z %}", first_line=5)
    assert found.outside == [(6, "{{ x }}")] and found.unclosed == (8, "comment")
