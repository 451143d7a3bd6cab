"""Pure helpers of pronunciations and pauses: the spoken text, the written words' times, IPA for espeak."""

from __future__ import annotations

from claimreel.narration import pronounce
from claimreel.narration.base import Word
from claimreel.narration.ipa import to_espeak
from claimreel.narration.pauses import split_pauses, strip_pauses

ENTRIES = {"Wang Wenbin": "[[wˈɑːŋ wˈənbˈɪn]]", "Bachelet": "bah-shuh-let", "Uyghur": "[[wˈiːɡʊɹ]]"}


def test_entries_are_those_the_text_says_longest_first():
    text = "Wang Wenbin and the Uyghurs; Bachelet's report."
    assert [w for w, _ in pronounce.entries_for(text, ENTRIES)] == ["Wang Wenbin", "Bachelet", "Uyghur"]
    assert pronounce.entries_for("A bachelor party.", ENTRIES) == ()


def test_respelling_keeps_plurals_and_possessives_and_maps_the_written_tokens():
    text = "Wang Wenbin met Bachelet's Uyghurs."
    spoken, starts = pronounce.respell(text, pronounce.entries_for(text, ENTRIES))
    assert spoken == "[[wˈɑːŋ wˈənbˈɪn]] met bah-shuh-let's [[wˈiːɡʊɹz]]."
    assert starts == [0, None, spoken.index("met"), spoken.index("bah"), spoken.index("[[wˈiː")]


def test_the_written_words_get_the_spoken_words_times():
    text = "Wang Wenbin met Bachelet."
    spoken, starts = pronounce.respell(text, pronounce.entries_for(text, ENTRIES))
    said = [Word(t, 100 * i, 100 * i + 90) for i, t in enumerate(spoken.split())]
    words = pronounce.words_for(text, starts, spoken, said, 500)
    assert [w.text for w in words] == text.split()
    assert words[0].start_ms == 0 and words[2].start_ms == 200 and words[3].start_ms == 300
    assert 0 < words[1].start_ms < 200  # inside the replaced phrase: spread after its first word


def test_ipa_becomes_espeak_mnemonics_or_nothing():
    assert to_espeak("bˌɑːʃəlˈɛt") == "b,A:S@l'Et"
    assert to_espeak("ʃˈɪndʒjˈɑːŋ") == "S'IndZj'A:N"
    assert to_espeak("bɑ§") is None
    assert pronounce.for_espeak([("X", "[[bɑ§]]"), ("Y", "why")]) == (("Y", "why"),)


def test_pause_markers_split_the_text_and_leave_the_captions():
    text = "It is false. [pause 0.8] Here is why. [pause] Look. [PAUSE 9]"
    assert split_pauses(text) == [("It is false.", 0.8), ("Here is why.", 0.5), ("Look.", 5.0), ("", 0.0)]
    assert strip_pauses(text) == "It is false. Here is why. Look."
    assert strip_pauses("No markers  here") == "No markers  here"
