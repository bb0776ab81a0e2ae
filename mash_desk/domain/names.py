"""Finding the same child whatever the spelling: name normal forms, search keys and a ranking score.

Design. Each name word (token) gets a *sound code*: a consonant skeleton that spelling variants and
transliterations share (Mohammed, Muhammad, Mohamed → ``mhmd``; Aisha, Ayesha, Aishah → ``as``).
The code keeps the first sound (any first vowel is written ``a``), maps letters that sound alike to
one letter (c/k/q/ck/ch/kh → k, soft c/s/z/sh → s, ph/v → f, th → t, dj/soft g → j), drops h and w
unless a vowel follows, drops h after a consonant (the aspiration of bh/dh), treats y as a vowel
except a leading y before a vowel (x → ks), collapses doubled letters, drops the remaining vowels
and keeps at most 8 letters.

``name_keys`` gives a person's *pair keys*: the two sound codes of one given-name word and one
family-name word, sorted and joined by ``+`` ("al+mhmd"). Sorting makes "Mohammed Ali" and "Ali
Mohammed" share a key, and pairing every word makes "Smith-Jones" meet "Smith", "Jones" and "Jones
Smith". A pair is selective enough to look up by equality in an indexed key table; a name with only
one part known pairs the words within it, and a one-word name gives ``p:<code>``.

Forms. A word also stands for the forms ``domain.name_variants`` lists (Mohd for Muhammad, Tige for
Tadhg, Abdirahman and Abdul Rahman for one "abd" form, Kazlauskaitė for Kazlauskas), and a name part
of several words also stands for its words written as one ("Abdul Rahman" → "abdulrahman",
"O Neill" → "oneill"), so joined and split spellings meet; Arabic articles written as words of their
own (al-, bin) pair with nothing. Keys are made from every form, so a variant typed meets a variant
stored without either being rewritten.

Near keys. ``near_name_keys`` gives, for a *typed* name, the pair keys one sound-code edit away on
either side (a consonant dropped, added, swapped with its neighbour or mistyped), so a single
consonant slip still meets the stored exact key. The edits are made on the query only: stored keys
stay one or two a person, and the typed name costs a few hundred index probes.

``token_keys`` serves the word-by-word search table: ``n:<normalised word>`` for prefix search by
the store (someone types "moh") and ``p:<code>`` for equality on sound. ``similarity`` then ranks the
candidates that the keys found, so broad keys cost a few extra rows, never a missed child.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Sequence
from functools import lru_cache
from itertools import combinations

from mash_desk.domain.name_variants import ARTICLES, same_name, word_forms

MAX_CODE_LENGTH = 8
# the letters a sound code is made of after its first; "a" only ever starts one (any first vowel)
_CODE_LETTERS = "bdfghjklmnprstwy"
_CODE_HEADS = _CODE_LETTERS + "a"

_APOSTROPHES = frozenset("'’‘`´ʼʻ′")
# Letters that NFKD leaves whole but people type plain ASCII for.
_PLAIN_LETTERS = str.maketrans(
    {"ø": "o", "æ": "ae", "œ": "oe", "ł": "l", "đ": "d", "ð": "d", "þ": "th", "ı": "i", "ħ": "h", "ŧ": "t"}
)
_VOWELS = frozenset("aeiou")
_SOFTENING = frozenset("eiy")
_VOWEL = "*"  # marks a vowel sound while the code is built
# two letters read as one sound; a slip can make one (Andrei typed "Andjei") or break one
_DIGRAPHS = {"sh": "s", "ph": "f", "th": "t", "ch": "k", "kh": "k", "ck": "k", "dj": "j"}

# Similarity weights: a same-sound word counts nearly as much as the same word; a name with its parts
# swapped, or words moved between parts, ranks just below one in the right order.
_SAME_SOUND = 0.9
_UNKNOWN_PART = 0.5
_SWAPPED = 0.95
_SHUFFLED = 0.9
_SAME_NAME_FORM = 0.9  # one written as another form of it: Mohd/Muhammad, Tige/Tadhg, Biddy/Bridget
_NEAR_SOUND = 0.7  # sound codes one consonant apart: Shivaun/Siobhan, Neve/Niamh
_NOT_IDENTICAL_CAP = 0.99


@lru_cache(maxsize=16384)  # names recur across candidates and keystrokes
def normalise_name(text: str) -> str:
    """Lower-case words without accents or apostrophes, hyphens as spaces: "O'Brien-Núñez" → "obrien nunez"."""
    decomposed = unicodedata.normalize("NFKD", unicodedata.normalize("NFKD", text).casefold())
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).translate(_PLAIN_LETTERS)
    kept = "".join(ch if ch.isalnum() else " " for ch in plain if ch not in _APOSTROPHES)
    return " ".join(kept.split())


def _is_vowel(token: str, i: int) -> bool:
    char = token[i]
    if char == "y":
        return not (i == 0 and i + 1 < len(token) and token[i + 1] in _VOWELS)
    return char in _VOWELS


def _sounds(token: str) -> list[str]:
    """The sound symbols of one normalised word, vowels as ``_VOWEL``, silent letters left out."""
    out: list[str] = []
    i, n = 0, len(token)

    def vowel_follows(j: int) -> bool:
        return j < n and _is_vowel(token, j)

    while i < n:
        char, pair = token[i], token[i : i + 2]
        if token.startswith("sch", i):
            out.append("s")
            i += 3
            continue
        if i == 0 and pair in ("kn", "wr", "gn", "ps"):
            i += 1  # the first letter is silent
            continue
        if pair in _DIGRAPHS:
            out.append(_DIGRAPHS[pair])
            i += 2
            continue
        if pair == "gh":
            if vowel_follows(i + 2):
                out.append("g")  # Ghulam, Meghan; silent in Leigh, Hugh
            i += 2
            continue
        if pair == "wh":
            if vowel_follows(i + 2):
                out.append("w")
            i += 2
            continue
        if _is_vowel(token, i):
            out.append(_VOWEL)
        elif char == "y":
            out.append("y")
        elif char == "h":
            if (i == 0 or _is_vowel(token, i - 1)) and vowel_follows(i + 1):
                out.append("h")
        elif char == "w":
            if vowel_follows(i + 1):
                out.append("w")
        elif char == "c":
            out.append("s" if token[i + 1 : i + 2] in _SOFTENING else "k")
        elif char == "g":
            out.append("j" if token[i + 1 : i + 2] in _SOFTENING and i + 1 < n else "g")
        elif char == "x":
            out.extend(("k", "s"))
        else:
            out.append({"q": "k", "z": "s", "v": "f"}.get(char, char))
        i += 1
    return out


def sound_code(word: str) -> str:
    """The sound code of one name word ("Muhammad" → "mhmd"); "" if it has no letters or digits."""
    token = "".join(normalise_name(word).split())
    return _sound_code(token) if token else ""


@lru_cache(maxsize=16384)  # names recur across candidates and keystrokes
def _sound_code(token: str) -> str:
    symbols = _sounds(token)
    collapsed = [s for k, s in enumerate(symbols) if k == 0 or s != symbols[k - 1]]
    if not collapsed:
        return token[:1]  # a word of silent letters only ("h") still needs a code
    head = "a" if collapsed[0] == _VOWEL else collapsed[0]
    return (head + "".join(s for s in collapsed[1:] if s != _VOWEL))[:MAX_CODE_LENGTH]


def _pair_key(a: str, b: str) -> str:
    return "+".join(sorted((a, b)))


@lru_cache(maxsize=32768)
def _word_codes(word: str) -> frozenset[str]:
    """The sound codes of a normalised word and of every form it stands for."""
    return frozenset(code for code in (_sound_code(form) for form in word_forms(word)) if code)


def _typed_codes(word: str) -> frozenset[str]:
    """The sound code of a word as typed and, where it holds a digraph, the code read letter by letter:
    a slip that made the digraph ("dr" typed "dj") changes two letters of the code, one of these one."""
    codes = {_sound_code(word)}
    for i in range(len(word) - 1):
        if word[i : i + 2] in _DIGRAPHS:
            codes.add(_sound_code(f"{word[: i + 1]}a{word[i + 1 :]}"))
    return frozenset(code for code in codes if code)


@lru_cache(maxsize=16384)
def _part_slots(text: str, *, forms: bool = True) -> tuple[frozenset[str], ...]:
    """One set of sound codes per word of a name part, and one for its words written as one word;
    without ``forms``, only the codes of the words as written."""
    words = normalise_name(text).split()
    if not words:
        return ()
    slots: list[frozenset[str]] = []
    for word in words:
        if len(words) > 1 and (word in ARTICLES or len(word) < 2):
            continue  # "al", "bin", the O of "O Neill": part of the name only when joined
        slots.append(_word_codes(word) if forms else _typed_codes(word))
    if len(words) > 1:
        joined = "".join(words)
        slots.append(_word_codes(joined) if forms else _typed_codes(joined))
    return tuple(dict.fromkeys(slot for slot in slots if slot))


def _pairs(
    given: tuple[frozenset[str], ...], family: tuple[frozenset[str], ...]
) -> list[tuple[frozenset[str], frozenset[str]]]:
    """The slot pairs keys are made of: given × family, or within the one part that is known."""
    if given and family:
        return [(g, f) for g in given for f in family]
    return list(combinations(given or family, 2))


def name_keys(given_names: str, family_name: str) -> frozenset[str]:
    """Indexable keys for finding this person by name; spelling variants share at least one key.

    With both parts known: one key per (given word, family word) pair of sound codes, every form of
    each word counted. With one part known: pairs of its own words, or ``p:<code>`` for a single
    word. Empty only for an empty name.
    """
    given, family = _part_slots(given_names), _part_slots(family_name)
    slots = given + family
    if len(slots) == 1:
        return frozenset(f"p:{code}" for code in slots[0])
    return frozenset(_pair_key(a, b) for g, f in _pairs(given, family) for a in g for b in f)


@lru_cache(maxsize=4096)
def _one_edit(code: str) -> frozenset[str]:
    """Codes one edit from ``code`` (a letter dropped, added, changed, or swapped with the next)."""
    edits: set[str] = set()
    # a one-letter code ("Khaw") may have lost a letter; changed or dropped, it says almost nothing
    for i in range(len(code) if len(code) >= 2 else 0):
        edits.add(code[:i] + code[i + 1 :])
        if i + 1 < len(code):
            edits.add(code[:i] + code[i + 1] + code[i] + code[i + 2 :])
        for letter in _CODE_HEADS if i == 0 else _CODE_LETTERS:
            edits.add(code[:i] + letter + code[i + 1 :])
    for i in range(len(code) + 1):
        for letter in _CODE_HEADS if i == 0 else _CODE_LETTERS:
            edits.add((code[:i] + letter + code[i:])[:MAX_CODE_LENGTH])
    edits.discard(code)
    return frozenset(edit for edit in edits if edit)


def near_name_keys(given_names: str, family_name: str) -> frozenset[str]:
    """Keys of names one consonant slip away on one side of a pair: what a typed name is looked up by,
    beside its own ``name_keys`` (which the result leaves out). Only the words as typed are edited,
    not their other forms: a slip and a variant at once is one step too far for a key."""
    given, family = _part_slots(given_names, forms=False), _part_slots(family_name, forms=False)
    keys: set[str] = set()
    for g, f in _pairs(given, family):
        for a in g:
            for b in f:
                keys.update(_pair_key(edit, b) for edit in _one_edit(a))
                keys.update(_pair_key(a, edit) for edit in _one_edit(b))
    return frozenset(keys) - name_keys(given_names, family_name)


@lru_cache(maxsize=65536)
def _name_codes(given_names: str, family_name: str) -> frozenset[str]:
    return frozenset().union(*_part_slots(given_names), *_part_slots(family_name))


def word_matcher(typed_given: str, typed_family: str) -> Callable[[str, str], bool]:
    """A test of whether a recorded name has a word in common with the typed one: the same sound or
    form, sound codes of three or more letters one slip apart, or a typed word of two or more letters
    that begins one of the recorded words. Loose on purpose: for people a date of birth already
    picked. Made once per search, as it is asked of every person born on the dates searched."""
    typed = _name_codes(typed_given, typed_family)
    near = typed | frozenset(edit for code in typed if len(code) >= 3 for edit in _one_edit(code) if len(edit) >= 3)
    starts = tuple(start for start in normalise_name(f"{typed_given} {typed_family}").split() if len(start) >= 2)

    def matches(given_names: str, family_name: str) -> bool:
        if not near.isdisjoint(_name_codes(given_names, family_name)):
            return True
        words = normalise_name(f"{given_names} {family_name}").split()
        return any(word.startswith(starts) for word in words)

    return matches


def token_keys(text: str) -> frozenset[str]:
    """Keys for each word of one name part: ``n:<normalised word>`` (for prefix search) and ``p:<code>``."""
    tokens = normalise_name(text).split()
    return frozenset(f"n:{token}" for token in tokens) | frozenset(f"p:{_sound_code(token)}" for token in tokens)


@lru_cache(maxsize=16384)  # names recur across candidates and keystrokes
def _edit_distance(a: str, b: str) -> int:
    previous = list(range(len(b) + 1))
    for i, char_a in enumerate(a, start=1):
        current = [i]
        for j, char_b in enumerate(b, start=1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (char_a != char_b)))
        previous = current
    return previous[-1]


@lru_cache(maxsize=65536)  # the same pairs of words recur across candidates
def _word_similarity(a: str, b: str) -> float:
    if a == b:
        return 1.0
    score = 1.0 - _edit_distance(a, b) / max(len(a), len(b))
    code_a, code_b = _sound_code(a), _sound_code(b)
    if code_a == code_b:
        score = max(score, _SAME_SOUND)
    if same_name(a, b):
        score = max(score, _SAME_NAME_FORM)
    elif min(len(code_a), len(code_b)) >= 2 and _edit_distance(code_a, code_b) == 1:
        score = max(score, _NEAR_SOUND)
    return score


def _part_similarity(xs: Sequence[str], ys: Sequence[str]) -> float | None:
    """How alike two lists of words are (each word's best match, averaged both ways, or the words
    written as one when that is closer: Abdul Rahman/Abdulrahman); None if both empty."""
    if not xs and not ys:
        return None
    if not xs or not ys:
        return _UNKNOWN_PART
    forward = sum(max(_word_similarity(x, y) for y in ys) for x in xs) / len(xs)
    backward = sum(max(_word_similarity(x, y) for x in xs) for y in ys) / len(ys)
    score = (forward + backward) / 2
    if len(xs) > 1 or len(ys) > 1:
        score = max(score, _word_similarity("".join(xs), "".join(ys)))
    return score


def _mean_known(*scores: float | None) -> float:
    known = [score for score in scores if score is not None]
    return sum(known) / len(known) if known else 1.0


@lru_cache(maxsize=65536)  # look-alike candidates share names, and a search ranks hundreds
def similarity(a_given: str, a_family: str, b_given: str, b_family: str) -> float:
    """How likely two names are the same person's, from 0 (unrelated) to 1 (the same name).

    Only identical names (ignoring case, accents and punctuation) score 1.0; swapped given and family
    names score about 0.95; a name with one part unknown counts that part as half a match.
    """
    ag, af = normalise_name(a_given).split(), normalise_name(a_family).split()
    bg, bf = normalise_name(b_given).split(), normalise_name(b_family).split()
    if (ag, af) == (bg, bf):
        return 1.0
    aligned = _mean_known(_part_similarity(ag, bg), _part_similarity(af, bf))
    swapped = _SWAPPED * _mean_known(_part_similarity(ag, bf), _part_similarity(af, bg))
    shuffled = _SHUFFLED * _mean_known(_part_similarity(ag + af, bg + bf))
    return min(max(aligned, swapped, shuffled), _NOT_IDENTICAL_CAP)
