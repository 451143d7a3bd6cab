"""Mapping engine word marks onto the text's tokens."""

from __future__ import annotations

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from claimreel.narration.base import Word
from claimreel.narration.timing import Token, place_words, tokenize, voiced_end_ms


def test_tokens_keep_punctuation_and_character_spans() -> None:
    assert tokenize("  “illegal,” null\tand\nvoid. ") == (
        Token("“illegal,”", 2, 12),
        Token("null", 13, 17),
        Token("and", 18, 21),
        Token("void.", 22, 27),
    )


def test_one_mark_per_token_gives_starts_and_next_start_ends() -> None:
    tokens = tokenize("The claim is false.")
    words, marked = place_words(tokens, [(0, 0), (4, 150), (10, 500), (13, 700)], 1200)
    assert marked == 4
    assert words == (
        Word("The", 0, 150),
        Word("claim", 150, 500),
        Word("is", 500, 700),
        Word("false.", 700, 1200),
    )


def test_extra_marks_inside_a_number_count_once() -> None:
    tokens = tokenize("243 per 100,000")
    marks = [(0, 0), (1, 640), (1, 980), (4, 1200), (8, 1350), (9, 2000)]
    words, _ = place_words(tokens, marks, 3000)
    assert [w.start_ms for w in words] == [0, 1200, 1350]


def test_mark_on_whitespace_or_opening_quote_goes_to_the_next_token() -> None:
    tokens = tokenize("so “assessment” is")
    words, _ = place_words(tokens, [(0, 0), (2, 300), (4, 900)], 1500)
    assert [w.text for w in words] == ["so", "“assessment”", "is"]
    # "is" has no mark of its own: it is placed by length between 300 ms and the end.
    assert [w.start_ms for w in words] == [0, 300, 1275]


def test_unmarked_tokens_are_spread_by_length() -> None:
    tokens = tokenize("aa U.N. bbbbbbb cc")
    words, marked = place_words(tokens, [(0, 0), (16, 1200)], 1500)
    assert marked == 2
    # "U.N." (weight 5) and "bbbbbbb" (weight 8) share 0..1200 after "aa" (weight 3).
    assert [w.start_ms for w in words] == [0, 225, 600, 1200]
    assert words[-1].end_ms == 1500


def test_no_marks_spreads_everything_over_the_audio() -> None:
    words, marked = place_words(tokenize("one two"), [], 800)
    assert marked == 0
    assert words == (Word("one", 0, 400), Word("two", 400, 800))


def test_marks_going_backwards_are_ignored() -> None:
    words, marked = place_words(tokenize("a b c"), [(0, 0), (2, 500), (4, 300)], 900)
    assert marked == 2
    assert [w.start_ms for w in words] == [0, 500, 700]


@given(
    st.lists(st.text(alphabet="ab.,“” ", min_size=1, max_size=6), min_size=1, max_size=12),
    st.lists(st.tuples(st.integers(-5, 80), st.integers(-100, 5000)), max_size=20),
    st.integers(0, 6000),
)
def test_always_one_increasing_word_per_token(pieces, marks, end_ms) -> None:
    text = " ".join(pieces)
    tokens = tokenize(text)
    words, _ = place_words(tokens, marks, end_ms)
    assert [w.text for w in words] == [t.text for t in tokens]
    for a, b in zip(words, words[1:]):
        assert a.start_ms < b.start_ms
        assert a.end_ms == b.start_ms
    for w in words:
        assert w.start_ms >= 0 and w.end_ms > w.start_ms


def test_voiced_end_finds_last_loud_window() -> None:
    rate = 1000
    samples = np.zeros(1000, dtype=np.float32)
    samples[100:455] = 0.5
    samples[900] = 0.001  # below the threshold
    assert voiced_end_ms(samples, rate) == 460
    assert voiced_end_ms(np.zeros(50, dtype=np.float32), rate) == 0
