"""Realistic study-log blogs for the benchmarks: the user's format, written by studylog's render.

Deterministic: the same seed gives the same posts, byte for byte. Post i of every blog is the same
post, so the 300-post blog is the first 300 posts of the 5,000-post one.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from studylog.config import Settings
from studylog.post.model import QA, Entry, Topic
from studylog.post.render import render

SEED = 20210818
FIRST_DAY = dt.date(1990, 1, 1)  # a Monday; 10,000 weekdays reach 2028
NAMES = [
    "김민준", "이서연", "박지호", "최수아", "정도윤", "강하린", "조예준", "윤지우",
    "장시우", "임하은", "한주원", "오서윤", "서도현", "신지아", "권은우", "황수빈",
]  # fmt: skip
TOPICS = [
    "Transformer", "Multi Head Attention", "Positional Encoding", "BERT", "GPT-2",
    "Seq2Seq", "Beam Search", "BLEU", "RNN", "LSTM", "GRU", "Word2Vec", "GloVe",
    "CNN", "ResNet", "Batch Normalization", "Dropout", "Adam", "Learning Rate Scheduler",
    "Object Detection", "Semantic Segmentation", "GAN", "VAE", "Knowledge Distillation",
    "Pruning", "Quantization", "Hugging Face", "PyTorch Lightning", "Pandas", "NumPy",
]  # fmt: skip
TASKS = [
    "[필수 과제 {n}] Data Preprocessing",
    "[선택 과제 {n}] Positional Encoding 구현",
    "[필수 과제 {n}] Subword-level Language Model",
    "[선택 과제 {n}] BERT Fine-tuning with transformers",
]  # fmt: skip
SUBJECTS = [
    "Self-attention", "Layer normalization", "residual connection", "softmax", "gradient",
    "학습률", "배치 크기", "토크나이저", "임베딩 차원", "어텐션 마스크", "손실 함수", "검증 데이터",
    "데이터 증강", "앙상블", "하이퍼파라미터", "메모리 사용량", "추론 속도", "사전학습 모델",
]  # fmt: skip
CLAUSES = [
    "{s}에서 {t}를 쓰는 이유가 무엇인지 궁금합니다",
    "{s}를 바꾸면 {t}의 성능이 얼마나 달라지는지 실험해볼 수 있을까요",
    "{s}와 {t}의 차이를 코드로 확인해보면 좋을 것 같습니다",
    "{s} 대신 {t}를 사용하면 안 되는 이유가 있을까요",
    "강의에서 {s}가 {t}보다 낫다고 했는데 항상 그런가요",
]  # fmt: skip
ANSWERS = [
    "{s}의 분산이 커지면 softmax가 한쪽으로 쏠리기 때문에 스케일을 맞춰준다",
    "실험으로 확인해보니 {s}를 줄였을 때 {t}의 수렴이 더 안정적이었다",
    "논문 3.2절에 {s}에 대한 설명이 있고, {t}와 비교한 표도 있음",
    "{s}는 계산량이 늘어나는 대신 {t}의 표현력이 좋아진다는 의견이 있음",
    "정답은 없고 데이터 크기에 따라 {s}와 {t} 중 고르면 된다",
    "공식 문서의 예제를 따라해보면 {s}가 어떻게 동작하는지 바로 보인다",
]  # fmt: skip
MENTOR_QUESTIONS = [
    "대회를 준비하려면 무엇부터 보면 좋을지",
    "실무에서 {t}를 직접 구현하는 경우가 있는지",
    "논문은 어떤 순서로 읽으면 좋을지",
    "포트폴리오에는 무엇을 넣으면 좋을지",
    "{t} 공부는 어디까지 해야 하는지",
]  # fmt: skip
MENTOR_POINTS = [
    "튜토리얼을 먼저 끝까지 따라해보자.",
    "라이브러리를 쓰되 내부 구조는 알고 있어야 한다.",
    "점수에는 도움이 되지만 서비스에서는 속도 때문에 잘 안 쓴다.",
    "작은 데이터로 먼저 돌려보고 점점 키우는 것이 좋다.",
    "{t} 관련 코드를 직접 읽어보면 흐름이 잡힌다.",
    "기록을 꾸준히 남기는 것이 가장 큰 자산이 된다.",
]  # fmt: skip


def weekdays(start: dt.date = FIRST_DAY) -> Iterator[dt.date]:
    """Monday to Friday from `start` on: the course days of the default config."""
    day = start
    while True:
        if day.weekday() < 5:
            yield day
        day += dt.timedelta(days=1)


def _fill(rng: random.Random, pattern: str) -> str:
    return pattern.format(s=rng.choice(SUBJECTS), t=rng.choice(TOPICS), n=rng.randint(1, 6))


def _paragraph(rng: random.Random, patterns: list[str], sentences: int) -> str:
    return ". ".join(_fill(rng, rng.choice(patterns)) for _ in range(sentences)) + "."


def _qa(rng: random.Random, index: int) -> QA:
    question = _paragraph(rng, CLAUSES, rng.randint(1, 3))
    if rng.random() < 0.3:
        image = f"https://user-images.githubusercontent.com/00000000/{index:09d}-aaaa-bbbb.png"
        question += f"\n\n![image]({image})"
    lines = [_fill(rng, rng.choice(ANSWERS)) for _ in range(rng.randint(2, 5))]
    lines = [("- " if rng.random() < 0.5 else "→ ") + line for line in lines]
    return QA(question, "\n".join(lines))


def _mentoring(rng: random.Random) -> str:
    out = []
    for _ in range(rng.randint(2, 4)):
        out.append("- " + _fill(rng, rng.choice(MENTOR_QUESTIONS)))
        for _ in range(rng.randint(1, 3)):
            out.append("    - " + _fill(rng, rng.choice(MENTOR_POINTS)))
        if rng.random() < 0.3:
            out.append("        - [https://huggingface.co/course](https://huggingface.co/course)")
    return "\n".join(out)


def _topics(rng: random.Random) -> list[Topic]:
    topics = [
        Topic(t, f"https://example-blog.github.io/ai/{t.lower().replace(' ', '_')}")
        for t in rng.sample(TOPICS, rng.randint(2, 4))
    ]
    if rng.random() < 0.5:
        topics.append(Topic(_fill(rng, rng.choice(TASKS))))
    return topics


def entry(index: int, date: dt.date, seed: int = SEED) -> Entry:
    """The entry of post `index` (course day index + 1), the same for a given seed."""
    rng = random.Random(seed * 1_000_003 + index)
    people = rng.sample(NAMES, rng.randint(5, 7))
    return Entry(
        date=date,
        day=index + 1,
        title=f"[boostcourse] Day{index + 1} 학습기록",
        topics=_topics(rng),
        moderator=people[index % len(people)],
        participants=people,
        discussion=[_qa(rng, index * 10 + i) for i in range(rng.randint(4, 7))],
        mentoring=_mentoring(rng),
    )


def entry_fields(index: int, date: dt.date, seed: int = SEED) -> dict[str, Any]:
    """The entry of post `index` as `studylog new --from FILE` reads it (the README's format)."""
    record = entry(index, date, seed)
    return {
        "date": record.date.isoformat(),
        "day": record.day,
        "title": record.title,
        "topics": [{"label": t.label, **({"url": t.url} if t.url else {})} for t in record.topics],
        "moderator": record.moderator,
        "participants": list(record.participants),
        "discussion": [{"question": qa.question, "answer": qa.answer} for qa in record.discussion],
        "mentoring": record.mentoring,
    }


def file_name(index: int, date: dt.date) -> str:
    """The post's file name, as studylog names it: `YYYY-MM-DD-day<N>.md`."""
    return f"{date.isoformat()}-day{index + 1}.md"


def post(index: int, date: dt.date, seed: int = SEED, settings: Settings | None = None) -> str:
    """The text of post `index`, rendered by studylog."""
    return render(entry(index, date, seed), settings or Settings())


def write_posts(folder: Path, indexes: list[int], dates: list[dt.date], seed: int = SEED) -> int:
    """Write the posts `indexes` (dated `dates`) into `folder`; returns the bytes written."""
    settings = Settings()
    total = 0
    for index in indexes:
        data = post(index, dates[index], seed, settings).encode("utf-8")
        (folder / file_name(index, dates[index])).write_bytes(data)
        total += len(data)
    return total
