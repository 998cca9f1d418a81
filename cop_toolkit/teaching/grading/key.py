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

from cop_toolkit.core.errors import MapError
from cop_toolkit.core.privacy import public_map
from cop_toolkit.core.text import normalise_name
from cop_toolkit.geo.boroughs import boroughs
from cop_toolkit.io import datasets
from cop_toolkit.teaching.coursework import FORMATS, FUNCTION_NAME, MAX_ITEMS, MAX_TEXT
from cop_toolkit.teaching.game import tiny_map
from cop_toolkit.teaching.grading.maps import SAMPLE, CourseworkMap
from cop_toolkit.teaching.grading.sandbox import FUNCTION_CASES

__all__ = ["FUNCTION_CASES", "QUESTIONS", "TOTAL", "Question", "describe", "function_cases", "mark_answers",
           "out_of", "plain_error", "question_title", "reference_answers"]

STALE_DAYS = 365
#: How many of the function's hidden cases are on the submission's own map (the rest are on the game's map).
OWN_CASES = 4


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


def _lookup(m) -> tuple[dict[str, str], dict[str, str]]:
    """How the map's elements can be named: exact (ID, then label) and folded (label, then ID)."""
    ids, labels = list(m.elements["ID"].astype(str)), list(m.elements["Label"].astype(str))
    exact: dict[str, str] = {}
    folded: dict[str, str] = {}
    for eid, label in [(i, i) for i in ids] + list(zip(ids, labels)):
        exact.setdefault(label, eid)
    for eid, label in list(zip(ids, labels)) + [(i, i) for i in ids]:
        if normalise_name(label):
            folded.setdefault(normalise_name(label), eid)
    return exact, folded


def _skip(what: str) -> str:
    return f"Skipped on this map: the map you were given has {what}, so this question does not count."


def _hub_refs(G: nx.Graph, order: list[str]) -> dict[str, Any]:
    """q2 (the highest betweenness, with or without tie strengths) and q3 (cut off when the hub goes)."""
    if G.number_of_edges() == 0:
        return {"hub_id": None, "skipped": {n: _skip("no connections") for n in ("q2_hub", "q3_cut_off")}}
    scores = {weight: nx.betweenness_centrality(G, weight=weight) for weight in ("distance", None)}
    tops = set()
    for bc in scores.values():
        best = max(bc.values())
        tops |= {v for v, x in bc.items() if math.isclose(x, best)}
    hub = max(scores["distance"].items(), key=lambda kv: (kv[1], kv[0]))[0]
    # q3 asks what the element of q2 cuts off: each accepted hub has its own answer
    by_hub = {top: _cut_off(G, top, order) for top in sorted(tops)}
    return {"q2_hub": tops, "hub_id": hub, "q3_cut_off": by_hub[hub], "q3_by_hub": by_hub, "skipped": {}}


def _main_part(G: nx.Graph, order: list[str]) -> set[str]:
    """The largest piece of the map (on a tie, the one holding the earliest element; none if all are single)."""
    first = {v: i for i, v in enumerate(order)}
    pieces = [c for c in nx.connected_components(G) if len(c) > 1]
    return max(pieces, key=lambda c: (len(c), -min(first.get(v, len(first)) for v in c)), default=set())


def _cut_off(G: nx.Graph, hub: str, order: list[str]) -> set[str]:
    """The elements in the main part of the map that are no longer in it once the hub goes (as ``cop.what_if``)."""
    before = _main_part(G, order)
    after = _main_part(G.subgraph(set(G) - {hub}), order)
    return before - after - {hub}


def _table_refs(m) -> dict[str, Any]:
    """q4 (the busiest borough), q5 (assets held once) and q6 (stale entries), or why the map cannot ask them."""
    ref: dict[str, Any] = {"skipped": {}}
    b = boroughs()
    column = m.elements["Borough"] if "Borough" in m.elements else pd.Series(dtype=object)
    counts = column.map(lambda t: _borough_code(t, b)).dropna().value_counts()
    if counts.empty:
        ref["skipped"]["q4_busiest_borough"] = _skip("no London boroughs in its Borough column")
    else:
        ref["q4_busiest_borough"] = {c for c, n in counts.items() if n == counts.max()}
    holders: dict[str, set[str]] = {}
    for eid, items in m.multi("Assets").items():
        for item in items:
            holders.setdefault(item.strip().lower(), set()).add(eid)
    if holders:
        ref["q5_sole_assets"] = {item for item, who in holders.items() if len(who) == 1}
    else:
        ref["skipped"]["q5_sole_assets"] = _skip("no assets in its Assets column")
    map_date = pd.to_datetime(m.metadata.get("date"), errors="coerce")
    column = m.elements["Last Verified"] if "Last Verified" in m.elements else pd.Series(dtype=object)
    verified = pd.to_datetime(column, errors="coerce")
    if pd.isna(map_date) or verified.isna().all():
        ref["skipped"]["q6_stale"] = _skip('no date (m.metadata["date"]) or no Last Verified dates')
    else:
        ref["q6_stale"] = set(m.elements.loc[(map_date - verified).dt.days > STALE_DAYS, "ID"])
    return ref


def _label_or_id(m, eid: str) -> str:
    """An element's label when the label names it alone (so hidden cases try labels too), else its ID."""
    label = m.label_of(eid)
    return label if label != eid and _lookup_one(m, label) == eid else eid


def _lookup_one(m, name: str) -> str | None:
    try:
        return m.resolve(name)
    except MapError:
        return None


def function_cases(given: CourseworkMap = SAMPLE) -> list[tuple[str, str]]:
    """The hidden cases for the student's function: (map name as the notebook opens it, element).

    On the sample they are :data:`FUNCTION_CASES`. On any other map they are
    chosen from that map: its top broker (by ID), the best-connected other
    element (by label), the least-connected one (by ID) and the middle
    element by ID (by label), then the game's map as on the sample.

    Examples
    --------
    >>> function_cases() == FUNCTION_CASES
    True
    """
    return list(FUNCTION_CASES) if given == SAMPLE else list(reference_answers(given)["cases"])


def _own_cases(m, G: nx.Graph, name: str, hub: str | None) -> list[tuple[str, str]]:
    """The hidden cases on a map that is not the sample (see :func:`function_cases`)."""
    ids = sorted(m.elements["ID"].astype(str))
    if not ids:
        return [c for c in FUNCTION_CASES if c[0] == "tiny"]
    degree = dict(G.degree)
    hub = hub or ids[0]
    busiest = max((i for i in ids if i != hub), key=lambda i: (degree.get(i, 0), i), default=hub)
    quiet = min(ids, key=lambda i: (degree.get(i, 0), i))
    picks = [hub, _label_or_id(m, busiest), quiet, _label_or_id(m, ids[len(ids) // 2])][:OWN_CASES]
    return [(name, p) for p in picks] + [c for c in FUNCTION_CASES if c[0] == "tiny"]


def reference_answers(given: CourseworkMap = SAMPLE) -> dict[str, Any]:
    """Compute every automatically marked answer from the map ``given`` (in the grader's process only).

    Nothing is typed in: the references follow the data, so each group's map
    has its own. ``skipped`` holds the questions the map cannot ask (with the
    feedback line); ``names`` is how its elements may be named.

    Examples
    --------
    >>> ref = reference_answers()                     # doctest: +SKIP
    >>> ref["q2_hub"], ref["skipped"]                 # doctest: +SKIP
    ({'slfha'}, {})
    """
    return _references(given)


@functools.cache
def _references(given: CourseworkMap) -> dict[str, Any]:
    m = given.load()
    G = m.to_networkx()
    ref: dict[str, Any] = {"q1_elements": len(m.elements), "q1_connections": len(m.connections)}
    hubs, tables = _hub_refs(G, list(m.elements["ID"].astype(str))), _table_refs(m)
    ref.update(hubs)
    ref.update(tables)
    ref["skipped"] = {**hubs["skipped"], **tables["skipped"]}
    ref["q8_public_elements"] = len(public_map(m).elements)
    ref["cases"] = list(FUNCTION_CASES) if given == SAMPLE else _own_cases(m, G, given.name, hubs["hub_id"])
    ref[FUNCTION_NAME] = [_reach(m if d == given.name else _load(d), name) for d, name in ref["cases"]]
    ref["names"] = _lookup(m)
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


def _names_to_ids(answer: list[Any], ref: dict[str, Any]) -> tuple[set[str], list[str]]:
    exact, folded = ref["names"]
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
        return marks, f"Right: all {len(truth)} {what}." if truth else f"Right: there are no {what} on this map."
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
    ids, unknown = _names_to_ids([answer], ref)
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
    ids, unknown = _names_to_ids(answer, ref)
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
    ids, unknown = _names_to_ids(answer, ref)
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


def _for_their_hub(ref: dict[str, Any], hub_answer: Any) -> dict[str, Any]:
    """The references with q3 worked out for the hub the student named in q2, when that hub is accepted."""
    if isinstance(hub_answer, list) and len(hub_answer) == 1:
        hub_answer = hub_answer[0]
    if "q2_hub" not in ref or not isinstance(hub_answer, str):
        return ref
    ids, _unknown = _names_to_ids([hub_answer], ref)
    mine = sorted(ids & ref["q2_hub"])
    return {**ref, "q3_cut_off": ref["q3_by_hub"][mine[0]]} if mine else ref


def mark_answers(answers: dict[str, Any], given: CourseworkMap = SAMPLE) -> dict[str, tuple[float, str]]:
    """Mark collected answers with the hidden tests, against the references of the map ``given``.

    Returns {question: (marks, comment)}. ``answers`` is what the hidden cell
    collected (missing names are absent, unreadable ones hold ``{"error": ...}``).
    Each question is marked on its own: a problem with one never costs another
    its marks. Question 3 is marked for the hub the student named in question 2
    when that hub is accepted. A question the map cannot ask is skipped (0, and
    a line saying it does not count: see :func:`out_of`).

    Examples
    --------
    >>> marks = mark_answers({"q1_elements": 97, "q2_hub": None})
    >>> marks["q1_elements"], marks["q2_hub"]
    ((1, 'Right: the map has 97 elements.'), (0, 'Not answered yet.'))
    """
    ref = _for_their_hub(reference_answers(given), answers.get("q2_hub"))
    out: dict[str, tuple[float, str]] = {}
    for q in QUESTIONS:
        if q.name in ref["skipped"]:
            out[q.name] = (0, ref["skipped"][q.name])
        elif q.name not in answers:
            missing = f"Not answered: no {q.name} was made when the notebook ran (its cell is missing or failed)."
            out[q.name] = (0, missing)
        else:
            out[q.name] = _mark_one(q, answers[q.name], ref)
    return out


def out_of(given: CourseworkMap = SAMPLE) -> float:
    """The automatic marks a submission on the map ``given`` can get: :data:`TOTAL` less its skipped questions.

    Examples
    --------
    >>> out_of() == TOTAL
    True
    """
    skipped = reference_answers(given)["skipped"]
    return TOTAL - sum(q.marks for q in QUESTIONS if q.name in skipped)
