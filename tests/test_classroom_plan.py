"""The classroom's own data and the handouts of what was taught (issue 25, items 4 and 5)."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from test_reading_level import grade, sentences

from spotting import Knowledge, load_knowledge
from spotting.errors import DataError
from spotting.teaching.pages import (
    facilitator_handout_html,
    handout_html,
    help_page_html,
    myths_html,
    safeguarding_html,
    worksheet_html,
)
from spotting.teaching.plan import load_classroom
from spotting.teaching.quiz import myths_and_facts

REGION_CODES = [r for r in load_knowledge().regions]


def test_the_default_plan_is_the_guides_four_scenarios_and_three_warm_up_myths(knowledge: Knowledge) -> None:
    plan = load_classroom(knowledge).plan
    assert len(plan.scenario_ids) == 4 and len(plan.myth_ids) == 3
    warm = [m.id for m in knowledge.myths if m.warm_up]
    assert list(plan.myth_ids) == warm
    guide = Path(__file__).resolve().parents[1] / "docs" / "teaching-session.md"
    titles = {s.id: s.title for s in knowledge.scenarios}
    for scenario_id in plan.scenario_ids:
        assert titles[scenario_id].split(":")[0] in guide.read_text(encoding="utf-8")


def test_the_worksheet_holds_only_the_chosen_scenarios_and_myths(knowledge: Knowledge) -> None:
    plan = load_classroom(knowledge).plan
    html = worksheet_html(knowledge, scenario_ids=plan.scenario_ids, myth_ids=plan.myth_ids)
    shown = set(re.findall(r'id="scenario-([a-z0-9_]+)"', html))
    assert shown == set(plan.scenario_ids)
    claims = {m.id: m.claim for m in myths_and_facts(knowledge)}
    for myth_id, claim in claims.items():
        assert (claim in html) == (myth_id in plan.myth_ids)
    for verdict in ("Partly true.", "<strong>Myth.</strong>", "Teaching point"):
        assert verdict not in html  # still no answers on the learner's sheet


def test_the_handouts_follow_the_choice_too(knowledge: Knowledge) -> None:
    chosen = (["first_time_at_17"], ["thrush_smells"])
    answers = facilitator_handout_html(knowledge, scenario_ids=chosen[0], myth_ids=chosen[1])
    assert answers.count('class="handout-scenario card"') == 1 and answers.count('<li value="') == 1
    handout = handout_html([], knowledge, scenario_ids=chosen[0], myth_ids=chosen[1])
    assert handout.count('class="handout-scenario"') == 1 and handout.count('class="card myth"') == 1
    with pytest.raises(KeyError, match="nope"):
        worksheet_html(knowledge, myth_ids=["nope"])


@pytest.mark.parametrize("region", REGION_CODES)
def test_where_to_get_help_lists_the_regions_services_each_cited(region: str) -> None:
    knowledge = load_knowledge(region=region)
    html = help_page_html(knowledge)
    assert knowledge.region.where in html
    items = re.findall(r"<li>(.*?)</li>", html.split("<h3>Sources</h3>")[0])
    assert len(items) >= 3
    for item in items:
        assert re.search(r"\[S\d+[a-z]?(, S\d+[a-z]?)*\]", item), item
    emergency = knowledge.services["emergency_number"].tel
    if emergency:
        assert f'href="tel:{emergency}"' in html


def test_a_learners_myths_have_no_answer_until_the_facilitator_reveals_it(knowledge: Knowledge) -> None:
    plan = load_classroom(knowledge).plan
    facts = {m.id: m.fact for m in myths_and_facts(knowledge)}
    hidden = myths_html(knowledge, myth_ids=plan.myth_ids, answers=False)
    assert "<details" not in hidden
    assert not any(facts[i] in hidden for i in plan.myth_ids)
    first = plan.myth_ids[0]
    one = myths_html(knowledge, myth_ids=plan.myth_ids, answers=False, shown={first})
    assert facts[first] in one and not any(facts[i] in one for i in plan.myth_ids[1:])


@pytest.mark.parametrize("region", ["GB", "IE", "US", "CA", "AU", "NZ", "unset"])
def test_the_safeguarding_script_has_the_steps_the_law_here_and_helplines(region: str) -> None:
    knowledge = load_knowledge(region=None if region == "unset" else region)
    lines = load_classroom(knowledge).script_for(knowledge.region.code)
    html = safeguarding_html(lines, knowledge)
    for words in ("Do not promise to keep it secret", "Write down what they said", "Stay calm and listen"):
        assert words in html
    assert ("Who to tell" in html) == (region != "unset")
    if region != "unset":
        assert knowledge.services["child_helpline"].text.split(" ")[0] in html
    for line in lines:
        assert all(source in knowledge.sources for source in line.sources)


def test_the_classroom_words_read_at_about_age_11(knowledge: Knowledge) -> None:
    """Learners see the ground rules and the bank's answers on the projector: the reading-level gate."""
    classroom = load_classroom(knowledge)
    texts = [line.text for line in classroom.safeguarding if line.kind == "ground_rule"]
    texts += [answer.answer for answer in classroom.answers]
    scored = [grade(sentence) for text in texts for sentence in sentences(text)]
    assert max(scored) <= 9, [t for t in texts if any(grade(s) > 9 for s in sentences(t))]
    assert sum(scored) / len(scored) <= 6


def test_a_bad_classroom_row_names_its_file_row_and_column(knowledge: Knowledge, tmp_path: Path) -> None:
    copy = tmp_path / "data"
    shutil.copytree(knowledge.directory, copy)
    (copy / "safeguarding.csv").write_text(
        "region,kind,text,sources\nGB,rumour,Some words.,S999\nMars,ground_rule,,S800\n", encoding="utf-8"
    )
    (copy / "session_plan.csv").write_text("kind,id,order\nscenario,no_such_story,1\n", encoding="utf-8")
    with pytest.raises(DataError) as raised:
        load_classroom(load_knowledge(copy))
    found = {(p.file, p.row, p.column) for p in raised.value.problems}
    assert {
        ("safeguarding.csv", 2, "kind"),
        ("safeguarding.csv", 2, "sources"),
        ("safeguarding.csv", 3, "region"),
        ("safeguarding.csv", 3, "text"),
        ("session_plan.csv", 2, "id"),
    } <= found


def test_the_guide_carries_every_line_of_the_safeguarding_script(knowledge: Knowledge) -> None:
    """docs/teaching-session.md is what a facilitator reads the day before: it must say what the
    page says, word for word, with the same sources."""
    guide = (Path(__file__).resolve().parents[1] / "docs" / "teaching-session.md").read_text(encoding="utf-8")
    for line in load_classroom(knowledge).safeguarding:
        assert f"{line.text} [{', '.join(line.sources)}]" in guide, line.text


def test_the_facilitator_page_folds_the_script_and_the_handout_prints_it(knowledge: Knowledge) -> None:
    lines = load_classroom(knowledge).script_for("GB")
    gb = load_knowledge(region="GB")
    page = safeguarding_html(lines, gb)
    printed = safeguarding_html(lines, gb, folded=False)
    assert "<summary>For you: if a learner tells you about abuse</summary>" in page
    assert "<details" not in printed and "designated safeguarding lead" in printed
