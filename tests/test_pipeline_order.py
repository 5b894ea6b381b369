"""The analysis steps declare what they read and write, and a wrong order is refused at load."""

from __future__ import annotations

import pytest

from parley.analysis import pipeline
from parley.errors import ModelError, PipelineError


def _step(name: str, reads: tuple[str, ...] = (), writes: tuple[str, ...] = ()) -> pipeline.Step:
    return pipeline.Step(name, lambda doc, document: None, requires=(), reads=reads, writes=writes)


def test_the_shipped_order_is_consistent() -> None:
    pipeline.check_order(pipeline.STEPS)


def test_a_reader_before_a_later_writer_is_refused() -> None:
    steps = [
        _step("make", writes=("entities", "entities.type")),
        _step("countries", reads=("entities", "entities.type"), writes=("entities.country",)),
        _step("late-entities", reads=("entities",), writes=("entities",)),
    ]
    with pytest.raises(PipelineError, match="'countries' reads entities.*'late-entities'"):
        pipeline.check_order(steps)


def test_builders_of_one_field_may_follow_each_other() -> None:
    steps = [
        _step("names", reads=("article.text",), writes=("entities", "entities.type")),
        _step("groups", reads=("entities", "entities.type"), writes=("entities", "entities.type")),
        _step("countries", reads=("entities", "entities.type"), writes=("entities.country",)),
    ]
    pipeline.check_order(steps)


def test_appending_complete_items_and_growing_mentions_are_allowed() -> None:
    steps = [
        _step("names", writes=("entities", "entities.mentions")),
        _step("countries", reads=("entities", "entities.mentions"), writes=("entities.country",)),
        _step("events", reads=("entities",), writes=("events", "entities+", "entities.mentions")),
    ]
    pipeline.check_order(steps)


def test_load_model_checks_the_order(monkeypatch: pytest.MonkeyPatch) -> None:
    pipeline.load_model.cache_clear()
    actors = next(s for s in pipeline.STEPS if s.name == "actors")
    moved = tuple(s for s in pipeline.STEPS if s.name != "actors")
    moved = (actors,) + moved
    monkeypatch.setattr(pipeline, "STEPS", moved)
    try:
        with pytest.raises(ModelError, match="actors"):
            pipeline.load_model()
    finally:
        pipeline.load_model.cache_clear()


def test_a_field_no_earlier_step_writes_is_refused() -> None:
    steps = [
        _step("countries", reads=("entities",), writes=("entities.country",)),
        _step("names", reads=("article.text",), writes=("entities",)),
    ]
    with pytest.raises(PipelineError, match="'countries' reads entities, which no earlier step writes"):
        pipeline.check_order(steps)


def test_every_step_declares_what_it_writes() -> None:
    assert all(step.writes for step in pipeline.STEPS)
