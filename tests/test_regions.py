"""Regions: every reader is told the services of where they are, and the advice never changes.

The prose in data/ is written once with placeholders (spotting.regions); these tests render all of
it in every region and look for what a reader must never see: an unfilled ``{placeholder}``, or a
UK-only service in a region where it does not exist.
"""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import pytest
from test_knowledge import edit, edit_line, line_of

import spotting
from spotting import AnswerError, Knowledge, check_data, explain, load_knowledge
from spotting.cli import main
from spotting.regions import PLACEHOLDER, PROSE_COLUMNS

ROOT = Path(__file__).resolve().parents[1]
CASES = json.loads((ROOT / "tests" / "clinical_cases.json").read_text(encoding="utf-8"))
REGIONS = [None, *load_knowledge().regions]

UK_ONLY = {
    "999": r"(?<![\d-])999(?![\d-])",
    "111": r"(?<![\d-])111(?![\d-])",
    "A&E": r"A&E",
    "GP": r"\bGPs?\b",
    "SARC": r"\bSARCs?\b",
    "Childline": r"\bChildline\b",
    "NHS": r"\bNHS\b",
}
"""Words that name a UK service. Outside GB each is a defect, unless that region's own official
sources use it too (below)."""

ALSO_USED_IN = {
    "IE": {"999", "GP", "Childline"},  # HSE: "call 112 or 999"; Irish GPs; ISPCC Childline 1800 66 66 66
    "AU": {"GP"},  # healthdirect: "your GP"
    "NZ": {"GP", "111"},  # 111 is New Zealand's emergency number; Health NZ: "your GP"
}


UK_WORDING = {"coil": r"\bcoils?\b", "smear": r"\bsmears?\b"}
"""UK words for things every region has (the IUD, the cervical screening test): a region with its
own English (spotting/locale/en_US, en_CA, en_AU, en_NZ) says them its own way."""

OWN_ENGLISH = {"US", "CA", "AU", "NZ"}
"""The regions with a catalog of their own English wording."""


def uk_words_in(region: str | None, text: str) -> set[str]:
    """The UK-only services, and for a region with its own English the UK-only wording, in ``text``."""
    allowed = ALSO_USED_IN.get(region or "", set())
    found = {word for word, pattern in UK_ONLY.items() if word not in allowed and re.search(pattern, text)}
    if region in OWN_ENGLISH:
        found |= {word for word, pattern in UK_WORDING.items() if re.search(pattern, text, re.I)}
    return found


def prose(knowledge: Knowledge) -> list[tuple[str, int, str, str]]:
    """Every prose cell as the reader sees it: (table, line, column, text)."""
    cells = []
    for name, columns in PROSE_COLUMNS.items():
        for index, row in enumerate(knowledge.tables[name.removesuffix(".csv")]):
            cells += [(name, index + 2, column, row[column]) for column in columns if row.get(column)]
    return cells


@pytest.mark.parametrize("region", REGIONS)
def test_no_placeholder_is_left_unfilled(region: str | None) -> None:
    knowledge = load_knowledge(region=region)
    left = [(name, line, column) for name, line, column, text in prose(knowledge) if PLACEHOLDER.search(text)]
    assert not left, left
    for level in knowledge.levels.values():
        assert "{" not in level.heading + level.action


@pytest.mark.parametrize("region", [code for code in REGIONS if code != "GB"])
def test_no_uk_only_service_appears_outside_the_uk(region: str | None) -> None:
    knowledge = load_knowledge(region=region)
    found = [
        (name, line, column, words, text)
        for name, line, column, text in prose(knowledge)
        if (words := uk_words_in(region, text))
    ]
    assert not found, found


def test_the_uk_words_are_still_there_in_the_uk() -> None:
    """The checker above can fail: GB wording does name these services."""
    text = " ".join(cell[3] for cell in prose(load_knowledge(region="GB")))
    for word in ("999", "111", "A&E", "GP", "SARC", "Childline"):
        assert re.search(UK_ONLY[word], text), word


@pytest.mark.parametrize(
    ("region", "threads", "screening"),
    [
        ("GB", "coil threads", "smear"),
        ("IE", "coil threads", "smear"),
        ("US", "IUD strings", "Pap"),
        ("CA", "IUD strings", "Pap"),
        ("AU", "IUD threads", "cervical screening test"),
        ("NZ", "IUD strings", "HPV test or cervical sample"),
        ("other", "coil threads", "smear"),
    ],
)
def test_the_region_picks_its_own_english(region: str, threads: str, screening: str) -> None:
    """A region with its own English (locale/en_<REGION>) reads it; the others read the UK English
    as written. The same answers and advice ids, only the words differ."""
    knowledge = load_knowledge(region=region)
    assert threads in knowledge.questions["coil_threads_not_felt"].label
    assert screening in knowledge.questions["screening"].label
    assert knowledge.language == "en" and not knowledge.in_english


def test_the_uk_wording_is_still_there_in_the_uk() -> None:
    """The wording checker can fail: the UK English does say coil and smear."""
    text = " ".join(cell[3] for cell in prose(load_knowledge(region="GB")))
    assert uk_words_in("US", text) >= {"coil", "smear"}


def test_with_no_region_every_emergency_number_is_listed() -> None:
    explanation = explain({"amount": "heavy"})
    assert explanation.to_dict()["region"] is None
    for number in ("999", "911", "112", "000", "111"):
        assert number in explanation.emergency
    assert "your emergency number" in explanation.advice.message


@pytest.mark.parametrize("region", [code for code in REGIONS if code])
def test_a_region_changes_the_words_never_the_advice(region: str) -> None:
    for case in CASES:
        here = explain(case["answers"], region=region).to_dict()
        neutral = explain(case["answers"]).to_dict()
        for key in ("urgency", "urgency_from_causes", "unanswered", "would_change"):
            assert here[key] == neutral[key], (case["id"], key)
        assert [f["id"] for f in here["red_flags"]] == [f["id"] for f in neutral["red_flags"]], case["id"]
        assert [(c["id"], c["fit"]) for c in here["causes"]] == [(c["id"], c["fit"]) for c in neutral["causes"]]


@pytest.mark.parametrize(("given", "code"), [("gb", "GB"), ("Us", "US"), (" nz ", "NZ"), ("OTHER", "other")])
def test_region_codes_are_case_insensitive(given: str, code: str) -> None:
    assert explain({"region": given}).to_dict()["region"] == code
    assert load_knowledge(region=given).region.code == code


@pytest.mark.parametrize("bad", ["FR", "UK", "", 44, ["GB"], "unset"])
def test_an_unknown_region_names_what_is_allowed(bad: object) -> None:
    with pytest.raises(AnswerError) as error:
        explain({"region": bad})
    assert error.value.field == "region"
    for code in ("GB", "IE", "US", "CA", "AU", "NZ", "other"):
        assert code in error.value.allowed


def test_two_different_regions_are_an_error_not_a_guess() -> None:
    with pytest.raises(AnswerError, match="two different regions"):
        explain({"region": "GB"}, region="US")
    assert explain({"region": "gb"}, region="GB").region.code == "GB"


def run(argv: list[str], stdin: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    return main(argv, io.StringIO(stdin), out, err), out.getvalue(), err.getvalue()


def test_the_command_line_takes_a_region() -> None:
    status, out, _ = run(["explain", "--region", "us"], '{"amount": "heavy"}')
    result = json.loads(out)
    assert status == 0 and result["region"] == "US" and "911" in result["advice"]
    status, out, _ = run(["explain", "--format", "text"], '{"amount": "heavy", "region": "AU"}')
    assert status == 0 and "000" in out and "999" not in out


def test_an_unknown_region_on_the_command_line_exits_2_with_the_allowed_codes() -> None:
    status, out, err = run(["explain", "--region", "XX"], "{}")
    assert (status, out) == (2, "")
    assert "region" in err and "GB" in err and "Traceback" not in err


def test_the_care_card_call_link_has_a_number_in_every_chosen_country() -> None:
    for code in ("GB", "IE", "US", "CA", "AU", "NZ"):
        service = load_knowledge(region=code).services["emergency_number"]
        assert service.tel.isdigit() and service.call.startswith("Call"), code


def test_every_service_row_cites_a_public_source() -> None:
    knowledge = load_knowledge()
    for code in REGIONS:
        for service in load_knowledge(region=code).services.values():
            assert any(knowledge.sources[s].public for s in service.review.sources), (code, service.id)


# -- check-data catches what would reach a reader ---------------------------------------------------


def test_an_unknown_placeholder_is_located(data_copy: Path) -> None:
    path = data_copy / "advice.csv"
    row = line_of(path, "emergency,emergency,")
    edit_line(path, row, lambda line: line.replace("{emergency_number}", "{emergency_numbr}"))
    problems = check_data(data_copy)
    assert [(p.file, p.row, p.column) for p in problems] == [("advice.csv", row, "text")]
    assert "emergency_numbr" in problems[0].message and "emergency_number" in problems[0].message


def test_a_region_missing_a_service_that_advice_uses_is_reported(data_copy: Path) -> None:
    path = data_copy / "services.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    path.write_text("".join(line for line in lines if not line.startswith("NZ,doctor,")), encoding="utf-8")
    problems = check_data(data_copy)
    assert problems and all(p.file == "services.csv" for p in problems)
    assert any("NZ" in p.message and "doctor" in p.message for p in problems)


def test_a_placeholder_outside_prose_is_located(data_copy: Path) -> None:
    path = data_copy / "scenarios.csv"
    row = line_of(path, "first_time_at_17,")
    edit(path, ",teenager,", ",{doctor},")
    problems = check_data(data_copy)
    assert [(p.file, p.row, p.column) for p in problems] == [("scenarios.csv", row, "life_stage")]
    assert "prose" in problems[0].message


def test_the_public_api_documents_the_region_argument() -> None:
    assert "region" in (spotting.explain.__doc__ or "")


@pytest.mark.parametrize("region", [code for code in REGIONS if code != "GB"])
def test_what_a_reader_sees_names_no_uk_only_service_outside_the_uk(region: str | None) -> None:
    """The rendered pages, not only the data: every clinical case's result and summary, and every
    teaching scenario's card and reveal. Citations (the sources section) may name the NHS."""
    from spotting.explorer.results import render_results
    from spotting.explorer.summary import summary_html
    from spotting.teaching.pages import reveal_html, scenario_card_html

    knowledge = load_knowledge(region=region)
    pages = []
    for case in CASES:
        explanation = explain(case["answers"], knowledge)
        pages.append(render_results(explanation, knowledge))
        pages.append(summary_html(explanation, knowledge).split("<h2>Where this comes from")[0])
    for scenario in knowledge.scenarios:
        pages += [scenario_card_html(scenario, knowledge), reveal_html(scenario, knowledge)]
    found = set()
    for page in pages:
        words = re.sub(r'<section[^>]*data-section="sources".*?</section>', "", page, flags=re.S)
        words = re.sub(r"</?a\b[^>]*>", "", words)  # a tappable number is still the same words
        words = re.sub(r"<[^>]+>", " ", re.sub(r"<ul class=\"sources\">.*?</ul>", "", words, flags=re.S))
        words = words.replace(knowledge.services["emergency_line"].text, "")  # "999 in the UK, 911 in …"
        found |= uk_words_in(region, words)
    assert not found, found


def test_in_the_us_urgent_pregnancy_help_is_the_er_not_urgent_care() -> None:
    """Urgent care clinics usually cannot scan or run pregnancy blood tests the same day."""
    for answers in ({"pregnant": "yes", "weeks_pregnant": 6}, {"pregnant": "unsure", "tummy_pain": "mild"}):
        advice = explain(answers, region="US").advice.message
        assert "emergency room" in advice and "urgent care" not in advice, advice
