"""The questions of `studylog new`, driven through prompt_toolkit pipe input (no terminal)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import signal
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from prompt_toolkit.input import create_pipe_input
from prompt_toolkit.output import DummyOutput

from studylog.blog.defaults import Defaults
from studylog.cli import editor, prompts, questions
from studylog.config import Settings
from studylog.post.model import QA, Topic

ENTER, DONE, CLEAR, DOWN, SPACE = "\r", "\x1b\r", "\x15", "\x1b[B", " "
CTRL_C, CTRL_D = "\x03", "\x04"
NAMES = ["김민준", "이서연", "박지호", "최수아", "정도윤", "강하린"]
ROSTER = ["박지호", "김민준", "이서연", "최수아", "정도윤", "강하린"]
DEFAULTS = Defaults(
    date=dt.date(2021, 8, 24),
    day=17,
    title="[boostcourse] Day17 학습기록",
    moderator="김민준",
    participants=list(NAMES),
    roster=list(ROSTER),
)
# Enter on every question, Esc-Enter to finish the (multi-line) mentoring.
ALL_DEFAULTS = ENTER * 8 + DONE
FILLED: dict[str, Any] = {
    "date": DEFAULTS.date,
    "day": 17,
    "title": "T",
    "topics": [],
    "moderator": "김민준",
    "participants": NAMES,
    "discussion": [],
    "mentoring": "",
}


def all_but(*names: str) -> dict[str, Any]:
    """Every field given except `names`: only those are asked (keeps the tests quick)."""
    return {k: v for k, v in FILLED.items() if k not in names}


@pytest.fixture
def pipe() -> Iterator[Any]:
    with create_pipe_input() as pipe_input:
        yield pipe_input


def collect(pipe: Any, keys: str, **options: Any) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """Run `questions.collect` on typed keys; returns the fields and every draft saved."""
    saved: list[dict[str, Any]] = []
    pipe.send_text(keys)
    options.setdefault("settings", Settings())
    fields = questions.collect(
        options.pop("given", {}),
        options.pop("defaults", DEFAULTS),
        options.pop("settings"),
        on_answer=saved.append,
        input=pipe,
        output=DummyOutput(),
        **options,
    )
    return fields, saved


def test_enter_everywhere_takes_every_default(pipe: Any) -> None:
    fields, saved = collect(pipe, ALL_DEFAULTS)
    assert fields == {
        "date": dt.date(2021, 8, 24),
        "day": 17,
        "title": "[boostcourse] Day17 학습기록",
        "topics": [],
        "moderator": "김민준",
        "participants": NAMES,
        "discussion": [],
        "mentoring": "",
    }
    assert saved[-1] == fields and len(saved) == 8  # one save per answered question


def test_typed_values_and_loops(pipe: Any) -> None:
    keys = (
        CLEAR + "2021-08-25" + ENTER  # date
        + ENTER  # day: recomputed for the new date
        + CLEAR + "Day 18: CNN" + ENTER  # title
        + "CNN" + ENTER + "https://example-blog.github.io/ai/cnn" + ENTER
        + "[필수 과제 4] ResNet 구현" + ENTER + ENTER  # a topic without a link
        + ENTER  # study topics end
        + DOWN + ENTER  # moderator: the name after the default
        + ENTER  # participants as ticked
        + "Positional encoding을 더하는 이유?" + DONE
        + "첫 줄\r![image](https://example.com/a.png)\r\r- [링크](https://example.com)" + DONE
        + "두 번째 질문" + CTRL_D + "한 줄 답" + DONE
        + ENTER  # questions end
        + "- 질문\r    - 답\r        - 링크\r- 다음 질문" + DONE
    )  # fmt: skip
    days: list[dt.date] = []
    fields, saved = collect(pipe, keys, day_for=lambda d: days.append(d) or 18)
    assert days == [dt.date(2021, 8, 25)]
    assert (fields["date"], fields["day"], fields["title"]) == (
        dt.date(2021, 8, 25),
        18,
        "Day 18: CNN",
    )
    assert fields["topics"] == [
        Topic("CNN", "https://example-blog.github.io/ai/cnn"),
        Topic("[필수 과제 4] ResNet 구현"),
    ]
    assert fields["moderator"] == "이서연"
    assert fields["discussion"] == [
        QA(
            "Positional encoding을 더하는 이유?",
            "첫 줄\n![image](https://example.com/a.png)\n\n- [링크](https://example.com)",
        ),
        QA("두 번째 질문", "한 줄 답"),
    ]
    assert fields["mentoring"] == "- 질문\n    - 답\n        - 링크\n- 다음 질문"
    assert saved[-1] == fields


def test_the_title_follows_the_course_day(pipe: Any) -> None:
    fields, _ = collect(pipe, CLEAR + "20" + ENTER + ENTER, given=all_but("day", "title"))
    assert fields["day"] == 20 and fields["title"] == "[boostcourse] Day20 학습기록"


def test_given_fields_are_not_asked(pipe: Any) -> None:
    given = {"date": dt.date(2021, 8, 18), "day": 13, "title": "T", "moderator": "강하린"}
    fields, _ = collect(pipe, ENTER + ENTER + ENTER + DONE, given=given)
    assert {k: fields[k] for k in given} == given
    assert fields["topics"] == [] and fields["participants"] == NAMES


def test_a_bad_date_is_asked_again(pipe: Any) -> None:
    keys = CLEAR + "2021-13-45" + ENTER + CLEAR + "yesterday" + ENTER + CLEAR + "0x" + ENTER
    keys += CLEAR + "5" + ENTER
    fields, _ = collect(pipe, keys, given=all_but("date", "day"), day_for=lambda _d: 99)
    assert fields["date"] == dt.date.today() - dt.timedelta(days=1)
    assert fields["day"] == 5


def test_participants_are_pre_ticked_and_new_names_can_be_added(pipe: Any) -> None:
    # in the roster's order: untick the third name (이서연), tick "(add new names)" at the end
    keys = DOWN * 2 + SPACE + DOWN * 4 + SPACE + ENTER + "홍길동, 이몽룡" + ENTER
    fields, _ = collect(pipe, keys, given=all_but("participants"))
    assert fields["participants"] == [
        "김민준",
        "박지호",
        "최수아",
        "정도윤",
        "강하린",
        "홍길동",
        "이몽룡",
    ]


def test_a_new_moderator_name_can_be_typed(pipe: Any) -> None:
    keys = DOWN * 5 + ENTER + "홍길동" + ENTER
    fields, _ = collect(pipe, keys, given=all_but("moderator"))
    assert fields["moderator"] == "홍길동"


def test_names_with_commas_are_refused_inline(pipe: Any) -> None:
    keys = DOWN * 5 + ENTER + "a, b" + ENTER + CLEAR + "홍길동" + ENTER
    fields, _ = collect(pipe, keys, given=all_but("moderator"))
    assert fields["moderator"] == "홍길동"


def test_an_empty_roster_asks_for_names_and_the_moderator_is_a_participant(pipe: Any) -> None:
    empty = Defaults(DEFAULTS.date, 1, "Day1", moderator="", participants=[], roster=[])
    # the moderator typed is offered ticked; "(add new names)" below it asks for the others
    keys = "김민준" + ENTER + DOWN + SPACE + ENTER + "이서연" + ENTER
    fields, _ = collect(pipe, keys, defaults=empty, given=all_but("moderator", "participants"))
    assert fields["moderator"] == "김민준" and fields["participants"] == ["김민준", "이서연"]


def test_a_new_moderator_joins_the_roster_ticked_in_its_order(pipe: Any) -> None:
    # from 김민준 (second) down to "(type a new name)"; the list then offers seven, all ticked
    keys = DOWN * 5 + ENTER + "홍길동" + ENTER + ENTER
    fields, _ = collect(pipe, keys, given=all_but("moderator", "participants"))
    assert fields["moderator"] == "홍길동"
    assert fields["participants"] == [*NAMES, "홍길동"]


def test_the_moderator_is_ticked_even_when_the_last_post_left_them_out(pipe: Any) -> None:
    defaults = dataclasses.replace(DEFAULTS, participants=NAMES[1:])
    fields, _ = collect(
        pipe, ENTER + ENTER, defaults=defaults, given=all_but("moderator", "participants")
    )
    assert fields["moderator"] == "김민준"
    assert fields["participants"] == [*NAMES[1:], "김민준"]


def test_each_answer_is_saved_at_once_including_unfinished_loops(pipe: Any) -> None:
    keys = "CNN" + ENTER + "https://x.io" + ENTER + ENTER + "Q1" + DONE + "A1" + DONE + ENTER
    _, saved = collect(pipe, keys, given=all_but("topics", "discussion"))
    assert [(s["topics"], s.get("discussion")) for s in saved] == [
        ([Topic("CNN")], None),  # the label, before its link is asked
        ([Topic("CNN", "https://x.io")], None),
        ([Topic("CNN", "https://x.io")], None),  # the loop finished
        ([Topic("CNN", "https://x.io")], [QA("Q1", "")]),  # the question, before its answer
        ([Topic("CNN", "https://x.io")], [QA("Q1", "A1")]),
        ([Topic("CNN", "https://x.io")], [QA("Q1", "A1")]),
    ]


def test_previous_answers_are_offered_again(pipe: Any) -> None:
    previous = {
        "date": dt.date(2021, 8, 20),
        "day": 15,
        "title": "my title",
        "topics": [Topic("A", "https://a.io"), Topic("B")],
        "moderator": "홍길동",
        "participants": ["이서연", "홍길동"],
        "discussion": [QA("Q?", "line 1\nline 2")],
        "mentoring": "- a\n    - b",
    }
    keys = ENTER * 3 + ENTER * 4 + ENTER + ENTER + ENTER  # ... topics, then "end"
    keys += ENTER + ENTER + DONE + DONE + ENTER + DONE  # the question, multi-line, with Esc Enter
    fields, _ = collect(pipe, keys, previous=previous, day_for=lambda _d: 99)
    assert fields == previous


def test_a_shorter_loop_on_resume_keeps_the_rest_until_it_finishes(pipe: Any) -> None:
    previous = {"topics": [Topic("A"), Topic("B")]}
    keys = CLEAR + "A2" + ENTER + ENTER + CLEAR + ENTER  # replace A, then stop
    fields, saved = collect(pipe, keys, previous=previous, given=all_but("topics"))
    assert saved[0]["topics"] == [Topic("A2"), Topic("B")]  # while asking, B is still kept
    assert fields["topics"] == [Topic("A2")]


def test_ctrl_c_keeps_the_half_typed_answer(pipe: Any) -> None:
    keys = ENTER * 3 + "Q1" + DONE + "half an ans" + CTRL_C
    saved: list[dict[str, Any]] = []
    pipe.send_text(keys)
    with pytest.raises(prompts.Stopped) as stop:
        questions.collect(
            all_but("title", "moderator", "participants", "discussion"),
            DEFAULTS,
            Settings(),
            on_answer=saved.append,
            input=pipe,
            output=DummyOutput(),
        )
    assert stop.value.exit_code == 130 and stop.value.partial == "half an ans"
    assert saved[-1]["discussion"] == [QA("Q1", "half an ans")]
    assert saved[-1]["participants"] == NAMES


def test_ctrl_d_finishes_an_answer_with_text_and_stops_on_an_empty_one(pipe: Any) -> None:
    saved: list[dict[str, Any]] = []
    pipe.send_text(CTRL_D + "2" + CTRL_D + "x" + CTRL_D + CTRL_D)  # date, day, title, topic
    with pytest.raises(prompts.Stopped) as stop:
        questions.collect(
            {}, DEFAULTS, Settings(), on_answer=saved.append, input=pipe, output=DummyOutput()
        )
    assert stop.value.partial == "" and stop.value.exit_code == 130
    assert saved[-1] == {"date": dt.date(2021, 8, 24), "day": 2, "title": "x"}


def test_ctrl_d_finishes_a_multi_line_answer(pipe: Any) -> None:
    fields, _ = collect(
        pipe, "Q\rwith a shot" + CTRL_D + "A" + CTRL_D + ENTER, given=all_but("discussion")
    )
    assert fields["discussion"] == [QA("Q\nwith a shot", "A")]


def test_sigterm_during_a_prompt_stops_it(pipe: Any) -> None:
    timer = threading.Timer(0.3, os.kill, (os.getpid(), signal.SIGTERM))
    with prompts.stop_on_signals(), pytest.raises(prompts.Stopped) as stop:
        timer.start()
        questions.collect({}, DEFAULTS, Settings(), input=pipe, output=DummyOutput())
    timer.join()
    assert stop.value.exit_code == 128 + signal.SIGTERM
    assert "SIGTERM" in stop.value.message
    assert signal.getsignal(signal.SIGTERM) is signal.SIG_DFL


def test_a_signal_while_an_answer_is_saved_waits_until_it_is_saved(pipe: Any) -> None:
    saved: list[dict[str, Any]] = []

    def save_then_get_terminated(fields: dict[str, Any]) -> None:
        os.kill(os.getpid(), signal.SIGTERM)  # arrives in the middle of the save
        saved.append(fields)

    pipe.send_text(CLEAR + "My title" + ENTER)
    with prompts.stop_on_signals(), pytest.raises(prompts.Stopped) as stop:
        questions.collect(
            all_but("title"),
            DEFAULTS,
            Settings(),
            on_answer=save_then_get_terminated,
            input=pipe,
            output=DummyOutput(),
        )
    assert stop.value.exit_code == 128 + signal.SIGTERM
    assert saved == [{**all_but("title"), "title": "My title"}]


def test_confirm(pipe: Any) -> None:
    pipe.send_text(ENTER + "n")
    assert prompts.confirm("Write?", input=pipe, output=DummyOutput()) is True
    assert prompts.confirm("Write?", input=pipe, output=DummyOutput()) is False


@pytest.mark.parametrize(
    ("typed", "markdown"),
    [
        ("- a\n    - b\n        - c\n- d", "- a\n    - b\n        - c\n- d"),
        ("a\n  b\n  c\nd", "- a\n    - b\n    - c\n- d"),
        ("a\n\tb", "- a\n    - b"),
        ("a\n  b\n    c\n  d", "- a\n    - b\n        - c\n    - d"),
        ("#### Q & A\n\nQ: x\n\nA: y", "#### Q & A\n\n- Q: x\n- A: y"),
        (
            "a\n#### 색상 팔레트\n색상 팔레트 추천\n  seaborn의 palette\n#### 끝",
            "- a\n\n#### 색상 팔레트\n\n- 색상 팔레트 추천\n    - seaborn의 palette\n\n#### 끝",
        ),
        ("", ""),
    ],
)
def test_mentoring_markdown(typed: str, markdown: str) -> None:
    assert questions.mentoring_markdown(typed) == markdown
    assert questions.mentoring_markdown(markdown) == markdown  # offered again on resume


# --- the editor ---


def editor_script(tmp_path: Path, body: str) -> str:
    """An editor command: a Python script run on the file (`path` is its argument)."""
    script = tmp_path / "fake_editor.py"
    script.write_text("import sys\npath = sys.argv[1]\n" + body, encoding="utf-8")
    return f"{sys.executable} {script}"


def test_editor_command_precedence() -> None:
    env = {"VISUAL": "nano -w", "EDITOR": "emacs"}
    assert editor.command("code --wait", env) == ["code", "--wait"]
    assert editor.command("", env) == ["nano", "-w"]
    assert editor.command("", {"EDITOR": "emacs"}) == ["emacs"]
    assert editor.command("", {}) == ["vi"]


def test_colon_e_opens_the_editor_on_the_text_so_far(pipe: Any, tmp_path: Path) -> None:
    body = "text = open(path).read()\nopen(path, 'w').write(text + '\\nadded in the editor\\n')\n"
    settings = Settings(editor=editor_script(tmp_path, body))
    keys = "Q" + DONE + "typed first\r:e" + DONE + ENTER
    fields, _ = collect(pipe, keys, settings=settings, given=all_but("discussion"))
    assert fields["discussion"] == [QA("Q", "typed first\nadded in the editor")]
    assert not any((Path(os.environ["STUDYLOG_STATE_DIR"]) / "edits").iterdir())


def test_a_failing_editor_keeps_the_text_and_asks_again(
    pipe: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    body = "open(path, 'a').write(' and more')\nsys.exit(3)\n"
    settings = Settings(editor=editor_script(tmp_path, body))
    keys = "Q" + DONE + "my answer :e" + DONE + DONE + ENTER
    fields, _ = collect(pipe, keys, settings=settings, given=all_but("discussion"))
    assert fields["discussion"] == [QA("Q", "my answer and more")]  # offered again, accepted
    err = capsys.readouterr().err
    assert "exited with status 3" in err and "your text is kept in" in err
    kept = Path(err.split("your text is kept in ")[1].split()[0])
    assert kept.read_text("utf-8") == "my answer and more"


def test_an_editor_that_cannot_start_keeps_the_text(
    pipe: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    settings = Settings(editor="/nonexistent/editor")
    keys = "Q" + DONE + "draft text\n:e" + DONE + DONE + ENTER
    fields, _ = collect(pipe, keys, settings=settings, given=all_but("discussion"))
    assert fields["discussion"] == [QA("Q", "draft text")]
    assert "could not start" in capsys.readouterr().err


def test_an_empty_or_unchanged_buffer_asks_again(
    pipe: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    settings = Settings(editor=editor_script(tmp_path, "open(path, 'w').write('\\n')\n"))
    keys = ":e" + DONE + "typed instead" + DONE + "A" + DONE + ENTER
    fields, _ = collect(pipe, keys, settings=settings, given=all_but("discussion"))
    assert fields["discussion"] == [QA("typed instead", "A")]
    assert "empty or unchanged" in capsys.readouterr().err


def test_offered_free_form_mentoring_accepted_as_is_is_kept_verbatim(pipe: Any) -> None:
    # A post being edited (or a draft) offers its mentoring; Esc-Enter must not make it bullets.
    free_form = "Read the paper first.\n\nThen  try the code:\n  indented note"
    fields, _ = collect(pipe, DONE, given=all_but("mentoring"), previous={"mentoring": free_form})
    assert fields["mentoring"] == free_form


def test_offered_mentoring_changed_is_read_as_bullets(pipe: Any) -> None:
    fields, _ = collect(
        pipe, "\x1b[F\rnew" + DONE, given=all_but("mentoring"), previous={"mentoring": "- a"}
    )
    assert fields["mentoring"] == "- a\n- new"


@pytest.mark.parametrize(
    ("keys", "answer"),
    [
        ("2021-08-25" + ENTER, "2021-08-25"),  # the first key replaces the offered text
        (ENTER, "2021-08-24"),  # Enter takes it
        (CLEAR + "2021-08-26" + ENTER, "2021-08-26"),  # Ctrl-U clears it, as before
        ("\x1b[C" + "\x7f" * 2 + "30" + ENTER, "2021-08-30"),  # an arrow key keeps it to edit
    ],
    ids=["typed", "enter", "ctrl-u", "arrow"],
)
def test_typing_replaces_the_offered_date(pipe: Any, keys: str, answer: str) -> None:
    fields, _ = collect(pipe, keys, given=all_but("date"))
    assert fields["date"] == dt.date.fromisoformat(answer)


def test_a_mentoring_heading_keeps_the_other_lines_bullets(pipe: Any) -> None:
    keys = "#### 색상 팔레트\r색상 팔레트 추천\r    seaborn의 palette" + DONE
    fields, _ = collect(pipe, keys, given=all_but("mentoring"))
    assert fields["mentoring"] == "#### 색상 팔레트\n\n- 색상 팔레트 추천\n    - seaborn의 palette"


@pytest.mark.parametrize(("editable", "empty_ends"), [(False, False), (True, False), (True, True)])
def test_the_key_hints_fit_an_80_column_line(editable: bool, empty_ends: bool) -> None:
    hints = prompts._hints(True, editable, empty_ends)
    assert hints is not None and len(hints) < 80 and "  " not in hints


@pytest.mark.parametrize("link", ["cnn page", "example.com/cnn", "https://x.io/a b", "ftp:x"])
def test_a_topic_link_that_is_not_a_url_is_asked_again(pipe: Any, link: str) -> None:
    keys = "CNN" + ENTER + link + ENTER + CLEAR + "/ai/cnn" + ENTER + ENTER
    fields, _ = collect(pipe, keys, given=all_but("topics"))
    assert fields["topics"] == [Topic("CNN", "/ai/cnn")]
