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


def test_the_scan_numbers_every_tag_of_a_large_text_by_its_own_line() -> None:
    # 2 MB, 60,000 tags: each line is counted once (it took minutes when every tag counted the
    # lines from the start); the numbers are those a person counts.
    lines = [f"line {i} {{{{ x }}}} {'.' * 20} {{% if a %}}" for i in range(60_000)]
    found = scan("\n".join(lines), first_line=7)
    assert len(found.outside) == 120_000
    assert found.outside[:3] == [(7, "{{ x }}"), (7, "{% if a %}"), (8, "{{ x }}")]
    assert found.outside[-1] == (60_006, "{% if a %}")
