"""Line breaking: each Netflix/BBC rule has a case that a naive wrap gets wrong."""

from __future__ import annotations

import pytest

from claimreel.captions.linebreak import break_lines, gap_costs, is_sentence_end

NAMES = ("Wang Wenbin", "Michelle Bachelet")


def brk(text: str, width: int = 42, lines: int = 2) -> tuple[str, ...]:
    result = break_lines(text, width, lines, names=NAMES)
    assert result is not None
    assert all(len(line) <= width for line in result)
    assert " ".join(result) == " ".join(text.split())
    return result


def never_split(result: tuple[str, ...], phrase: str) -> bool:
    return any(phrase in line for line in result)


def test_short_text_stays_on_one_line() -> None:
    assert brk("The claim is false.") == ("The claim is false.",)


def test_breaks_after_clause_punctuation() -> None:
    assert brk("The ministry says the figure is wrong, but the report shows otherwise.") == (
        "The ministry says the figure is wrong,",
        "but the report shows otherwise.",
    )


def test_breaks_after_sentence_end() -> None:
    assert brk("He was wrong. The data came from the census in 2020.") == (
        "He was wrong.",
        "The data came from the census in 2020.",
    )


def test_article_and_noun_never_split() -> None:
    # A greedy wrap at 30 characters would end line one with "the".
    text = "Officials in the capital published the report late on Friday"
    result = brk(text, width=36)
    assert never_split(result, "the report")
    assert not any(line.endswith(" the") for line in result)


def test_first_and_last_name_never_split() -> None:
    text = "Foreign ministry spokesperson Wang Wenbin said the report was full of lies."
    result = brk(text)
    assert never_split(result, "Wang Wenbin")
    # Without the name list a greedy wrap at 36 splits it; with it, never.
    assert never_split(brk("A statement from spokesperson Wang Wenbin rejected the report", 36), "Wang Wenbin")


def test_name_from_the_list_beats_a_balanced_break() -> None:
    costs = gap_costs("said Michelle Bachelet today".split(), NAMES)
    assert costs[1] > max(costs[0], costs[2])


def test_number_and_unit_kept_together() -> None:
    result = brk("The rate was 243 per 100,000 people in 2019, compared with 32.1 in China.")
    assert never_split(result, "243 per 100,000")
    result = brk("Researchers said that at least 40 individuals were detained there", 40)
    assert never_split(result, "40 individuals")


def test_pronoun_and_verb_kept_together() -> None:
    costs = dict(zip(["they|said", "said|the"], gap_costs("they said the".split())))
    assert costs["they|said"] > costs["said|the"]
    result = brk("When the auditors looked at the accounts they found nothing wrong", 40)
    assert never_split(result, "they found")


def test_auxiliary_and_negation_kept_together() -> None:
    result = brk("The ministry of foreign affairs has not responded to our questions", 40)
    assert never_split(result, "has not responded")


def test_prefers_break_before_conjunction_or_preposition() -> None:
    result = brk("The data covers every province and every region of the country", 40)
    assert result[1].startswith(("and ", "of "))


def test_bottom_heavy_when_otherwise_equal() -> None:
    result = brk("aaaa bbbb cccc dddd eeee ffff ggg", 20)
    assert len(result[0]) <= len(result[1])


def test_three_lines_only_when_allowed() -> None:
    text = "The rate was 243 per 100,000 people in 2019, compared with 32.1 in China as a whole."
    assert break_lines(text, 30, 2) is None
    result = brk(text, 30, 3)
    assert len(result) == 3
    assert never_split(result, "243 per 100,000")


def test_cannot_fit_returns_none() -> None:
    assert break_lines("word " * 30, 42, 2) is None
    assert break_lines("", 42, 2) is None
    assert break_lines("x" * 50, 42, 2) is None  # a word longer than a line


def test_cjk_falls_back_to_characters() -> None:
    text = "中华人民共和国外交部发言人汪文斌在例行记者会上表示这份报告充满谎言"
    result = break_lines(text, 20, 2)
    assert result is not None and "".join(result) == text
    assert all(len(line) <= 20 for line in result)
    assert break_lines(text * 3, 20, 2) is None


@pytest.mark.parametrize(
    ("token", "expected"),
    [("wrong.", True), ('said."', True), ("why?", True), ("Mr.", False), ("U.S.", False), ("wrong,", False)],
)
def test_sentence_end(token: str, expected: bool) -> None:
    assert is_sentence_end(token) is expected
