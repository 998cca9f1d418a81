"""The key: reference answers computed from the data, and the hidden tests that mark each answer.

Only the grader's own process imports this module; a student's kernel cannot
(see :mod:`cop_toolkit.teaching.coursework`). Answers arrive already bounded
(at most a few hundred items of a few hundred characters) and are bounded
again here, so marking a hostile answer stays fast.
"""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import networkx as nx
import pandas as pd

from cop_toolkit.core.privacy import public_map
from cop_toolkit.core.text import normalise_name
from cop_toolkit.geo.boroughs import boroughs
from cop_toolkit.io import datasets
from cop_toolkit.teaching.coursework import FORMATS, FUNCTION_NAME, MAX_ITEMS, MAX_TEXT
from cop_toolkit.teaching.game import tiny_map
from cop_toolkit.teaching.grading.sandbox import FUNCTION_CASES

__all__ = ["FUNCTION_CASES", "QUESTIONS", "TOTAL", "Question", "describe", "mark_answers", "plain_error",
           "question_title", "reference_answers"]

DATASET = "coursework-2019"
STALE_DAYS = 365


# ------------------------------------------------------------------ references
def _load(name: str):
    return tiny_map() if name == "tiny" else datasets.load(name)


def _reach(m, name: str) -> int:
    G = m.to_networkx()
    return len(nx.single_source_shortest_path_length(G, m.resolve(name), cutoff=2)) - 1


def _borough_code(text: Any, table: pd.DataFrame) -> str | None:
    if not isinstance(text, str) or not text.strip():
        return None
    t = text.strip()[:MAX_TEXT]
    if t.upper() in table.index:
        return t.upper()
    folded = normalise_name(t)
    for code, name in table["name"].items():
        if normalise_name(name) in folded:
            return str(code)
    return None


@functools.cache
def _lookup() -> tuple[dict[str, str], dict[str, str]]:
    """How the coursework map's elements can be named: exact (ID, then label) and folded (label, then ID)."""
    m = _load(DATASET)
    ids, labels = list(m.elements["ID"].astype(str)), list(m.elements["Label"].astype(str))
    exact: dict[str, str] = {}
    folded: dict[str, str] = {}
    for eid, label in [(i, i) for i in ids] + list(zip(ids, labels)):
        exact.setdefault(label, eid)
    for eid, label in list(zip(ids, labels)) + [(i, i) for i in ids]:
        if normalise_name(label):
            folded.setdefault(normalise_name(label), eid)
    return exact, folded


@functools.cache
def reference_answers() -> dict[str, Any]:
    """Compute every automatically marked answer from the coursework map (in the grader's process only).

    Nothing is typed in: if the data changed, the references would follow.

    Examples
    --------
    >>> ref = reference_answers()                     # doctest: +SKIP
    >>> ref["q2_hub"]                                 # doctest: +SKIP
    {'slfha'}
    """
    m = _load(DATASET)
    G = m.to_networkx()
    ref: dict[str, Any] = {"q1_elements": len(m.elements), "q1_connections": len(m.connections)}
    # q2: highest betweenness; accept the top element with or without tie strengths
    tops = set()
    for weight in ("distance", None):
        bc = nx.betweenness_centrality(G, weight=weight)
        best = max(bc.values())
        tops |= {v for v, x in bc.items() if math.isclose(x, best)}
    ref["q2_hub"] = tops
    hub = max(nx.betweenness_centrality(G, weight="distance").items(), key=lambda kv: (kv[1], kv[0]))[0]
    ref["hub_id"] = hub
    H = G.subgraph(nx.node_connected_component(G, hub) - {hub})
    comps = sorted(nx.connected_components(H), key=len, reverse=True)
    ref["q3_cut_off"] = {v for c in comps[1:] for v in c}
    b = boroughs()
    codes = m.elements["Borough"].map(lambda t: _borough_code(t, b)).dropna()
    counts = codes.value_counts()
    ref["q4_busiest_borough"] = {c for c, n in counts.items() if n == counts.max()}
    holders: dict[str, set[str]] = {}
    for eid, items in m.multi("Assets").items():
        for item in items:
            holders.setdefault(item.strip().lower(), set()).add(eid)
    ref["q5_sole_assets"] = {item for item, who in holders.items() if len(who) == 1}
    map_date = pd.Timestamp(m.metadata.get("date") or "2019-10-31")
    verified = pd.to_datetime(m.elements["Last Verified"], errors="coerce")
    ref["q6_stale"] = set(m.elements.loc[(map_date - verified).dt.days > STALE_DAYS, "ID"])
    ref["q8_public_elements"] = len(public_map(m).elements)
    ref[FUNCTION_NAME] = [_reach(_load(d), name) for d, name in FUNCTION_CASES]
    return ref


# ------------------------------------------------------------------ the questions
@dataclass
class Question:
    """One automatically marked question: the variable, its marks, its format and its hidden test.

    Examples
    --------
    >>> q = QUESTION_BY_NAME["q2_hub"]
    >>> q.marks, question_title(q.name)
    (2, 'Question 2 (q2_hub)')
    """

    name: str
    marks: float
    format: str
    test: Callable[[Any, dict[str, Any]], tuple[float, str]]
    kind: str = "value"


def question_title(name: str) -> str:
    """How feedback names a question: its number in the notebook and its variable.

    Examples
    --------
    >>> question_title("reach_within_two")
    'Question 7 (reach_within_two)'
    """
    number = 7 if name == FUNCTION_NAME else name[1:].split("_")[0]
    return f"Question {number} ({name})"


def plain_error(text: str) -> str:
    """An error as a learner can read it: no temporary file names, no internal names for the blank.

    Examples
    --------
    >>> plain_error("SyntaxError: invalid syntax (2996195325.py, line 1)")
    'SyntaxError: invalid syntax on line 1'
    >>> plain_error("TypeError: object of type '_Blank' has no len()")
    "TypeError: object of type '____' (the blank) has no len()"
    """
    text = re.sub(r"\s*\((?:\d+|<[^>]+>)\.py, line (\d+)\)", r" on line \1", text)
    return re.sub(r"'?\b_Blank\b'?", "'____' (the blank)", text)


def describe(value: Any) -> str:
    """What a collected answer is, in plain words, for feedback ("the text '97'", "a list of 3 values").

    Examples
    --------
    >>> describe("97"), describe(96.5), describe(1234567.25), describe([1, 2]), describe(True)
    ("the text '97'", 'the number 96.5', 'the number 1,234,567.25', 'a list of 2 values', 'True')
    """
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, str):
        return f"the text {value[:60]!r}"
    if isinstance(value, (int, float)):
        return "the number " + (f"{value:,.4f}".rstrip("0").rstrip(".") if isinstance(value, float) else f"{value:,}")
    if isinstance(value, list):
        return f"a list of {len(value)} value{'s' * (len(value) != 1)}"
    return "something else"


def _names_to_ids(answer: list[Any]) -> tuple[set[str], list[str]]:
    exact, folded = _lookup()
    ids, unknown = set(), []
    for a in answer[:MAX_ITEMS]:
        text = str(a)[:MAX_TEXT]
        eid = exact.get(text) or folded.get(normalise_name(text))
        if eid:
            ids.add(eid)
        else:
            unknown.append(text)
    return ids, unknown


def _set_score(ids: set[str], truth: set[str], marks: float, unknown: list[str], what: str,
               given: int) -> tuple[float, str]:
    right = len(ids & truth)
    wrong = len(ids - truth) + len(unknown) + max(0, given - MAX_ITEMS)
    missed = len(truth - ids)
    if right == len(truth) and not wrong:
        return marks, f"Right: all {len(truth)} {what}."
    share = max(0.0, (right - wrong) / len(truth)) if truth else 0.0
    score = math.floor(share * marks * 2) / 2
    if given == 0:
        return 0, f"Not right: your list is empty; {len(truth)} {'is' if len(truth) == 1 else 'are'} missing."
    one = right == 1 or (right == 0 and right + wrong == 1)
    you_gave = f"{'none' if not right else right} of the {right + wrong} you gave {'is' if one else 'are'} right"
    parts = [you_gave[0].upper() + you_gave[1:]]
    if missed:
        parts.append(f"{missed} {'is' if missed == 1 else 'are'} missing")
    if wrong:
        parts.append(f"{wrong} should not be there")
    if unknown:
        parts.append("not on the map: " + ", ".join(repr(u[:60]) for u in unknown[:3]))
    return score, ("Partly right. " if score else "Not right. ") + "; ".join(parts) + "."


def _int_test(key: str, right: str, wrong: str) -> Callable[[Any, dict[str, Any]], tuple[float, str]]:
    """A test for a whole-number question; ``right`` is formatted with the reference answer as ``n``."""
    def test(answer: Any, ref: dict[str, Any]) -> tuple[float, str]:
        q = QUESTION_BY_NAME[key]
        if isinstance(answer, bool) or not isinstance(answer, (int, float)) or answer != int(answer):
            hint = " (write the number without quotes)" if isinstance(answer, str) and answer.strip().isdigit() else ""
            return 0, f"Not marked: {key} should be a whole number, but it is {describe(answer)}{hint}."
        if int(answer) == ref[key]:
            return q.marks, "Right: " + right.format(n=ref[key])
        return 0, "Not right: " + wrong
    return test


def _test_hub(answer: Any, ref: dict[str, Any]) -> tuple[float, str]:
    if isinstance(answer, list) and len(answer) == 1 and isinstance(answer[0], str):
        answer = answer[0]
    if not isinstance(answer, str):
        series = " (if you have a Series of scores, the IDs are in its index)" if isinstance(answer, (list, float)) else ""
        return 0, f"Not marked: q2_hub should be one element's ID or label (text), but it is {describe(answer)}{series}."
    ids, unknown = _names_to_ids([answer])
    if unknown:
        return 0, f"Not marked: {str(answer)[:60]!r} is not an element on the map."
    if ids & ref["q2_hub"]:
        return 2, "Right: that is the element with the highest betweenness."
    return 0, "Not right: look for the highest betweenness, not the most connections."


def _not_text(key: str, answer: list[Any]) -> tuple[float, str] | None:
    """Feedback for a list of names that holds numbers or True/False values (a Series' values), or None."""
    if all(isinstance(a, str) for a in answer):
        return None
    return 0, (f"Not marked: {key} should hold names (text), but it holds numbers or True/False values; "
               "if you have a Series, the names are in its index (list(s.index)).")


def _test_cut_off(answer: Any, ref: dict[str, Any]) -> tuple[float, str]:
    if (problem := _not_text("q3_cut_off", answer)) is not None:
        return problem
    ids, unknown = _names_to_ids(answer)
    return _set_score(ids, ref["q3_cut_off"], 3, unknown, "elements cut off", len(answer))


def _test_borough(answer: Any, ref: dict[str, Any]) -> tuple[float, str]:
    code = _borough_code(str(answer), boroughs())
    if code is None:
        return 0, f"Not marked: {str(answer)[:60]!r} is not a London borough name or code."
    if code in ref["q4_busiest_borough"]:
        return 2, "Right: that borough has the most elements."
    return 0, "Not right: remember that some boroughs are written as names, not codes."


def _test_assets(answer: Any, ref: dict[str, Any]) -> tuple[float, str]:
    if (problem := _not_text("q5_sole_assets", answer)) is not None:
        return problem
    given = {str(a)[:MAX_TEXT].strip().lower() for a in answer[:MAX_ITEMS]}
    return _set_score(given, ref["q5_sole_assets"], 2, [], "assets held by one organisation only", len(answer))


def _test_stale(answer: Any, ref: dict[str, Any]) -> tuple[float, str]:
    if (problem := _not_text("q6_stale", answer)) is not None:
        return problem
    ids, unknown = _names_to_ids(answer)
    return _set_score(ids, ref["q6_stale"], 2, unknown, "stale elements", len(answer))


def _test_function(answer: Any, ref: dict[str, Any]) -> tuple[float, str]:
    if not isinstance(answer, list):
        return 0, f"Not marked: there is no function called {FUNCTION_NAME} in the notebook."
    truth = ref[FUNCTION_NAME]
    errors = [str(a["error"]) for a in answer if isinstance(a, dict) and "error" in a]
    if all(a is None or (isinstance(a, dict) and "_Blank" in str(a.get("error"))) for a in answer):
        return 0, (f"Not answered yet: {FUNCTION_NAME} does not return a number yet; "
                   "replace the ____ after return with your code.")
    right = sum(1 for a, t in zip(answer, truth) if a == t)
    score = math.floor(3 * right / len(truth) * 2) / 2
    if right == len(truth):
        return 3, f"Right on all {len(truth)} hidden cases, including a different map."
    verdict = f"Partly right: right on {right} of {len(truth)}" if score else f"Not right on {right or 'any'} of the {len(truth)}"
    return score, f"{verdict} hidden cases. " + _function_hint(answer, errors)


def _function_hint(answer: list[Any], errors: list[str]) -> str:
    """What most likely went wrong in the student's function, in plain words."""
    if errors:
        hint = (f"On {len(errors)} of them it stopped with an error ({plain_error(errors[0])[:160]})")
        if errors[0].startswith(("KeyError", "NodeNotFound", "NetworkXError")):
            hint += ("; some hidden cases give a label rather than an ID, and m.resolve(name) "
                     "turns either into the element's ID")
        return hint + "."
    if any(isinstance(a, list) for a in answer):
        return "It returns a list; it should return how many elements there are (a whole number)."
    return "Check that you count each element once, leave out the element itself, and use the map you are given."


_TESTS: dict[str, Callable[[Any, dict[str, Any]], tuple[float, str]]] = {
    "q1_elements": _int_test("q1_elements", "the map has {n} elements.", "count the elements again."),
    "q1_connections": _int_test("q1_connections", "the map has {n} connections.", "count the connections again."),
    "q2_hub": _test_hub,
    "q3_cut_off": _test_cut_off,
    "q4_busiest_borough": _test_borough,
    "q5_sole_assets": _test_assets,
    "q6_stale": _test_stale,
    FUNCTION_NAME: _test_function,
    "q8_public_elements": _int_test("q8_public_elements", "the public version has {n} elements.",
                                    "a public version leaves out private elements and people who have not "
                                    "agreed to be shown."),
}
QUESTIONS: list[Question] = [Question(f.name, f.marks, f.format, _TESTS[f.name], f.kind) for f in FORMATS]
QUESTION_BY_NAME = {q.name: q for q in QUESTIONS}
TOTAL = sum(q.marks for q in QUESTIONS)


def _mark_one(q: Question, value: Any, ref: dict[str, Any]) -> tuple[float, str]:
    if isinstance(value, dict) and "error" in value:
        return 0, f"Not marked: {q.name} could not be marked because {plain_error(str(value['error'])[:200])}."
    if value is None or (isinstance(value, str) and value.strip().strip("_") == "" and q.kind != "function"):
        return 0, "Not answered yet."
    if q.kind == "names" and isinstance(value, list) and value and all(
            isinstance(v, str) and v.strip().strip("_") == "" for v in value):
        return 0, "Not answered yet: the list holds only ____."
    if q.kind == "names" and not isinstance(value, list):
        return 0, f"Not marked: {q.name} should be {q.format}, but it is {describe(value)}."
    try:
        return q.test(value, ref)
    except Exception:  # noqa: BLE001 - a marking bug must not stop the run
        return 0, f"Not marked: {q.name} could not be marked here; please ask your lecturer."


def mark_answers(answers: dict[str, Any]) -> dict[str, tuple[float, str]]:
    """Mark collected answers with the hidden tests: {question: (marks, comment)}.

    ``answers`` is what the hidden cell collected (missing names are absent,
    unreadable ones hold ``{"error": ...}``). Each question is marked on its
    own: a problem with one never costs another its marks.

    Examples
    --------
    >>> marks = mark_answers({"q1_elements": 97, "q2_hub": None})
    >>> marks["q1_elements"], marks["q2_hub"]
    ((1, 'Right: the map has 97 elements.'), (0, 'Not answered yet.'))
    """
    ref = reference_answers()
    out: dict[str, tuple[float, str]] = {}
    for q in QUESTIONS:
        if q.name not in answers:
            missing = f"Not answered: no {q.name} was made when the notebook ran (its cell is missing or failed)."
            out[q.name] = (0, missing)
        else:
            out[q.name] = _mark_one(q, answers[q.name], ref)
    return out
