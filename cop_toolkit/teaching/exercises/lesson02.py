"""Exercises for lesson 02, From survey to map (notebooks/02_from_survey_to_map.ipynb)."""

from __future__ import annotations

from cop_toolkit.teaching.exercises._data import survey
from cop_toolkit.teaching.exercises.exercise import Mistake
from cop_toolkit.teaching.exercises.kinds import (
    ChoiceExercise,
    DataFrameExercise,
    ValueExercise,
)
from cop_toolkit.teaching.exercises.registry import register

__all__ = ["q1", "q2", "q3", "q4", "q5", "EXERCISES"]

_NAME = "Name of your organisation or group"

q1 = ValueExercise(
    id="02.1",
    title="How many answers came in?",
    prompt="How many responses (rows) does the raw survey export have?",
    var="n_responses",
    setup=survey,
    solution="n_responses = len(survey)",
    hints=["One row of the survey table is one response.", "len(survey) counts the rows."],
    mistakes=[
        Mistake("len(survey.columns)", "That counts the questions (columns), not the responses (rows)."),
    ],
    units="responses",
    explanation="Each row is one form someone filled in — some organisations filled it in twice.",
)

q2 = ValueExercise(
    id="02.2",
    title="How many organisations, really?",
    prompt=(
        "After reconciling the names (the table `names`), how many different organisations "
        "answered the survey?"
    ),
    var="n_organisations",
    setup=survey,
    solution='n_organisations = names["canonical"].nunique()',
    hints=[
        "The 'canonical' column holds the tidied name for each raw name.",
        "Count the different tidied names: names['canonical'].nunique().",
    ],
    mistakes=[
        Mistake(
            f'survey["{_NAME}"].nunique()',
            "That counts every spelling as a different organisation ('Bow Carers Circle' and "
            "'bow carers' circle' count twice). Count the canonical names instead.",
        ),
        Mistake("len(names)", "That is one row per response. Some organisations answered twice: count the different canonical names."),
    ],
    units="organisations",
    explanation="Reconciling names stops one organisation turning into two dots on the map.",
)

q3 = DataFrameExercise(
    id="02.3",
    title="Which names were tidied?",
    prompt=(
        "Make a table of the rows of `names` whose method is not 'exact' — the names that were "
        "changed — keeping the columns raw, canonical and method."
    ),
    var="changed",
    setup=survey,
    solution='changed = names.loc[names["method"] != "exact", ["raw", "canonical", "method"]]',
    columns=["raw", "canonical", "method"],
    check_index=False,
    hints=[
        "names['method'] != 'exact' is True for every changed name.",
        "names.loc[names['method'] != 'exact', ['raw', 'canonical', 'method']]",
    ],
    mistakes=[
        Mistake(
            'names.loc[names["method"] == "fuzzy", ["raw", "canonical", "method"]]',
            "Those are only the fuzzy matches. Names that differed only in capitals, spaces or "
            "punctuation ('normalised') were changed too: keep every method except 'exact'.",
        ),
    ],
    explanation="Always read the changed names: a fuzzy match can join two organisations that are really different.",
)

q4 = ValueExercise(
    id="02.4",
    title="How big is the map from the survey?",
    prompt="How many elements does `survey_map` (made with cop.survey.survey_to_map) have?",
    var="n_survey_elements",
    setup=survey,
    solution="n_survey_elements = len(survey_map.elements)",
    hints=["survey_map is a map like m: its elements are in survey_map.elements.", "len(survey_map.elements)"],
    mistakes=[
        Mistake(
            "len(survey)",
            "That is the number of responses. The map has one element per organisation — double "
            "answers count once, and organisations that were named but did not answer are added.",
        ),
    ],
    units="elements",
    explanation="Organisations named in answers become elements even if they did not fill in the survey themselves.",
)

q5 = ChoiceExercise(
    id="02.5",
    title="When someone says no",
    prompt=(
        "A group answered the survey but ticked 'No' to having its name and answers shown on the "
        "map. What should happen?"
    ),
    var="consent_choice",
    options={
        "a": "publish it anyway: they filled in the survey",
        "b": "keep it out of any public version of the map, and keep their details private",
        "c": "delete the whole survey",
    },
    solution="consent_choice = 'b'",
    why_not={
        "a": "Filling in a form is not agreeing to be shown. Without consent, keep them out of anything public.",
        "c": "No need to throw everyone's answers away: keep that group out of the public map and protect their details.",
    },
    hints=[
        "Think about what the person agreed to — and what they did not.",
        "cop.public_map(m) leaves out elements without consent.",
    ],
    explanation="Consent is per organisation or person; a public version leaves out whoever did not agree.",
)

EXERCISES = register(q1, q2, q3, q4, q5)
