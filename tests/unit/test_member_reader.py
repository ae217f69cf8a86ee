"""The incremental reader of a streamed JSON answer (assistant/structured_stream.py): each
top-level member comes out as soon as its closing token has arrived, wherever the stream
splits the text."""

from __future__ import annotations

import json

import pytest

from assistant.structured_stream import Member, MemberReader

ANSWER = {
    "1": 'What does "on time" mean to you, {Sam}?',
    "title": 'A \\ backslash, a "quote" and a brace } in a string',
    "criteria": ["one, two", "three ] four", {"nested": {"deep": [1, 2, {"x": "}"}]}}],
    "counterpart": {"name": "Ana", "cares_about": ["quality", "time"]},
    "number": -12.5e3,
    "flag": True,
    "nothing": None,
    "dansk": "Hvordan går det med æblerne? ✓",
}


def read(pieces: list[str]) -> tuple[list[Member], MemberReader]:
    reader = MemberReader()
    found: list[Member] = []
    for piece in pieces:
        found += reader.feed(piece)
    return found, reader


@pytest.mark.parametrize("indent", [None, 2])
def test_split_at_every_boundary_gives_the_same_members(indent):
    text = json.dumps(ANSWER, ensure_ascii=False, indent=indent)
    whole, _ = read([text])
    assert [(m.name, m.value) for m in whole] == list(ANSWER.items())
    assert all(m.error is None for m in whole)
    for cut in range(len(text) + 1):
        members, reader = read([text[:cut], text[cut:]])
        assert members == whole, cut
        assert reader.closed and not reader.broken
    one_by_one, reader = read(list(text))
    assert one_by_one == whole and reader.closed


def test_each_member_comes_out_when_its_closing_token_arrives():
    text = json.dumps(ANSWER, ensure_ascii=False)
    reader = MemberReader()
    seen: list[str] = []
    for end, char in enumerate(text, start=1):
        for member in reader.feed(char):
            seen.append(member.name)
            # The member came out at the comma or brace right after its value, not later.
            assert char in ",}"
            prefix = text[: end - 1]
            assert prefix.rstrip().endswith(json.dumps(member.value, ensure_ascii=False)[-1])
    assert seen == list(ANSWER)


def test_a_value_that_is_not_json_comes_out_alone_with_an_error():
    text = '{"a": "fine", "b": tru, "c": [1, 2], "d": "also fine"}'
    members, reader = read([text])
    assert [m.name for m in members] == ["a", "b", "c", "d"]
    assert members[1].value is None and members[1].error
    assert members[0] == Member("a", "fine")
    assert members[2] == Member("c", [1, 2]) and members[3] == Member("d", "also fine")
    assert reader.closed


def test_an_answer_cut_off_mid_member_keeps_the_finished_ones():
    text = json.dumps({"1": "first?", "2": "second?", "3": "third is cut"})
    members, reader = read([text[: text.index("third") + 3]])
    assert [(m.name, m.value) for m in members] == [("1", "first?"), ("2", "second?")]
    assert not reader.closed and not reader.broken


@pytest.mark.parametrize(
    "text",
    ["Sure! Here are your questions: 1. What ...", '["a", "b"]', '{"a" "b"}', '{1: "x"}'],
)
def test_text_that_is_not_a_json_object_is_broken_and_yields_nothing(text):
    members, reader = read([text])
    assert members == []
    assert reader.broken and not reader.closed


def test_nothing_after_the_closing_brace_is_read():
    members, reader = read(['{"a": 1}  {"b": 2}'])
    assert members == [Member("a", 1)]
    assert reader.closed


def test_an_empty_object_is_closed_with_no_members():
    members, reader = read(["  {", "  }"])
    assert members == [] and reader.closed
