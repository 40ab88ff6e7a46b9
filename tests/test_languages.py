"""Languages (issue 23): catalogs, the safety gate, and never a different answer in another language.

The catalogs are gettext files written by ``spotting i18n`` with Babel (spotting.catalogs); the
loader overlays a language's words on the reader-facing cells only (spotting.localise). These
tests hold the parts a translator or a content editor can break: the template matching data/,
an English edit turning a translation fuzzy, a broken message refused by check-data with its
language, context and line, and the same decisions in every language.
"""

from __future__ import annotations

import io
import json
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from babel.messages.pofile import read_po
from hypothesis import given, settings

from spotting import DISCLAIMER, AnswerError, explain, load_knowledge
from spotting.catalogs import _notes_and_previous, read_tables, status, template, template_path, ui_template, update
from spotting.cli import main
from spotting.explain import Explanation
from spotting.knowledge import DEFAULT_DATA_DIR, _load, available_languages
from spotting.localise import (
    LOCALE_DIR,
    SAFETY_COLUMNS,
    SOURCE_LANGUAGE,
    TRANSLATED_COLUMNS,
    catalog_path,
    catalog_problems,
    cells,
    forget_catalogs,
    languages,
    phrases,
    read_catalog,
    ui_entries,
)
from spotting.model import UNSET_REGION, Knowledge
from tests.strategies import answers, regions

ROOT = Path(__file__).resolve().parents[1]
SUITES = ("clinical_cases.json", "gp_review_cases.json")
CASES = [case for name in SUITES for case in json.loads((ROOT / "tests" / name).read_text())]
CATALOG_LANGUAGES = [code for code in languages() if code != SOURCE_LANGUAGE and catalog_path(code).is_file()]
"""Every language with a catalog, offered or not: a half-translated language must decide the same too."""


def in_language(language: str, region: str = UNSET_REGION) -> Knowledge:
    """A language's knowledge base even if it is not offered yet (load_knowledge would refuse it)."""
    return _load(DEFAULT_DATA_DIR.resolve(), region, language)


# -- the template --------------------------------------------------------------------------------


def test_the_template_matches_data() -> None:
    """data.pot is generated: after a change to data/, run `spotting i18n update` and commit it."""
    with template_path().open("rb") as handle:
        committed = {(m.context, m.id) for m in read_po(handle) if m.id}
    wanted = {(m.context, m.id) for m in template(read_tables(DEFAULT_DATA_DIR)) if m.id}
    assert committed == wanted, "spotting/locale/data.pot is out of date: run `spotting i18n update`"


def test_every_context_is_unique_and_every_column_exists() -> None:
    tables = read_tables(DEFAULT_DATA_DIR)
    contexts = [cell.context for cell in cells(tables)]
    assert len(contexts) == len(set(contexts))
    for name, columns in TRANSLATED_COLUMNS.items():
        assert set(columns) <= set(tables[name][0]), name
    for name, columns in SAFETY_COLUMNS.items():
        assert set(columns) <= set(TRANSLATED_COLUMNS[name])


def test_ids_and_conditions_are_never_messages() -> None:
    """Translating a condition or an id could change a decision; they are not offered to translators."""
    english = {cell.english for cell in cells(read_tables(DEFAULT_DATA_DIR))}
    tables = read_tables(DEFAULT_DATA_DIR)
    for row in tables["red_flags.csv"]:
        assert row["condition"] not in english and row["id"] not in english


# -- update: an English edit turns a translation fuzzy ----------------------------------------------



def _po(path: Path) -> Any:
    with path.open("rb") as handle:
        return read_po(handle)


def test_update_makes_an_edited_translation_fuzzy_and_keeps_the_old_english(data_copy: Path, locale_copy: Path) -> None:
    context = "red_flags:heavy_bleeding:message"
    before = _po(catalog_path("es", locale_dir=locale_copy)).get(
        "Heavy bleeding (soaking a pad in an hour or less, or large clots) needs help now.", context
    )
    assert before is not None and before.string and not before.fuzzy
    path = data_copy / "red_flags.csv"
    path.write_text(path.read_text().replace("or large clots) needs help now.", "or big clots) needs help now."))
    update(data_copy, locale_copy)
    after = {m.context: m for m in _po(catalog_path("es", locale_dir=locale_copy)) if m.id}[context]
    assert after.fuzzy and after.string == before.string
    assert "big clots" in after.id
    text = catalog_path("es", locale_dir=locale_copy).read_text()
    assert '#| msgid "Heavy bleeding (soaking a pad in an hour or less, or large clots) needs help now."' in text
    update(data_copy, locale_copy)  # a second run keeps the old English for the translator
    assert catalog_path("es", locale_dir=locale_copy).read_text() == text
    problems = catalog_problems(read_tables(data_copy), locale_copy)
    assert any(p.column == context and "[es]" in p.message and "fuzzy" in p.message for p in problems)
    assert all(p.row is not None for p in problems if p.column == context)


def test_a_long_earlier_english_survives_every_update(data_copy: Path, locale_copy: Path) -> None:
    """A fuzzy message whose earlier English is longer than a line: Babel 2.18 wrote it with its
    quotes broken across #| lines, and each update misread and worsened it."""
    catalog = _po(catalog_path("es", locale_dir=locale_copy))
    long = next(m for m in catalog if m.id and len(m.id) > 160 and '"' not in m.id and m.string and not m.fuzzy)
    table = data_copy / f"{str(long.context).split(':')[0]}.csv"
    text = table.read_text(encoding="utf-8")
    assert str(long.id) in text
    table.write_text(text.replace(str(long.id), str(long.id) + " Ask if unsure."), encoding="utf-8")
    update(data_copy, locale_copy)
    first = catalog_path("es", locale_dir=locale_copy).read_text()
    after = {m.context: m for m in _po(catalog_path("es", locale_dir=locale_copy)) if m.id}[long.context]
    assert after.fuzzy and after.string == long.string
    assert _notes_and_previous(after.user_comments)[1] == long.id  # the old English, whole
    update(data_copy, locale_copy)
    assert catalog_path("es", locale_dir=locale_copy).read_text() == first


def test_update_is_idempotent_and_keeps_translations(data_copy: Path, locale_copy: Path) -> None:
    update(data_copy, locale_copy)
    first = catalog_path("es", locale_dir=locale_copy).read_bytes()
    changed = update(data_copy, locale_copy)
    assert not any(flag for _, flag in changed)
    assert catalog_path("es", locale_dir=locale_copy).read_bytes() == first


def test_a_removed_row_becomes_obsolete_and_a_new_one_arrives_empty(data_copy: Path, locale_copy: Path) -> None:
    path = data_copy / "safety_nets.csv"
    lines = path.read_text().splitlines(keepends=True)
    gone = lines[1].split(",")[0]
    path.write_text(lines[0] + "".join(lines[2:]) + lines[1].replace(gone, "net_new", 1))
    update(data_copy, locale_copy)
    catalog = _po(catalog_path("es", locale_dir=locale_copy))
    by_context = {m.context: m for m in catalog if m.id}
    assert f"safety_nets:{gone}:text" not in by_context
    assert any(context == f"safety_nets:{gone}:text" for _, context in catalog.obsolete)
    assert by_context["safety_nets:net_new:text"].string == ""


# -- check-data refuses a broken catalog -------------------------------------------------------------


def _break(locale: Path, context: str, text: str) -> None:
    path = catalog_path("es", locale_dir=locale)
    catalog = _po(path)
    for message in catalog:
        if message.context == context:
            message.string = text
    from spotting.catalogs import _render

    path.write_bytes(_render(catalog))
    forget_catalogs()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Llama al 999 o ve a {emergency_department} ahora.", "placeholders differ"),
        ("Llama al {emergency_number} o ve a {urgencias} ahora.", "placeholders differ"),
        ("Llama al {emergency_number} o ve a <b>{emergency_department} ahora.", "markup is unbalanced"),
    ],
)
def test_check_data_names_language_context_and_line(locale_copy: Path, text: str, expected: str) -> None:
    context = "urgency_levels:emergency:action"
    _break(locale_copy, context, text)
    problems = catalog_problems(read_tables(DEFAULT_DATA_DIR), locale_copy)
    found = [p for p in problems if p.column == context and expected in p.message]
    assert found, problems
    assert found[0].message.startswith("[es]") and found[0].file.endswith("es/LC_MESSAGES/data.po")
    assert isinstance(found[0].row, int) and found[0].row > 1
    assert f"row {found[0].row}" in str(found[0]) and context in str(found[0])


def test_a_broken_safety_translation_is_never_shown(locale_copy: Path) -> None:
    """A reader never sees a translation whose placeholders are wrong; the language is not offered."""
    from spotting.localise import offered

    _break(locale_copy, "urgency_levels:emergency:action", "Llama al 999 ahora.")
    assert "es" not in offered(read_tables(DEFAULT_DATA_DIR), locale_copy)


def test_a_language_missing_a_line_of_the_safeguarding_script_is_not_offered(locale_copy: Path) -> None:
    """What to do when a learner discloses abuse is a safety string: with one line untranslated
    the language is not offered, while the answer bank (not safety) may fall back to English."""
    from spotting.localise import cells, offered

    tables = read_tables(DEFAULT_DATA_DIR)
    marked = {cell.context: cell.safety for cell in cells(tables)}
    assert marked["safeguarding:all/disclosure#3:text"] and marked["safeguarding:GB/law:text"]
    assert not marked["answer_bank:is_it_an_sti:answer"]
    _break(locale_copy, "answer_bank:is_it_an_sti:answer", "")
    assert "es" in offered(tables, locale_copy)
    _break(locale_copy, "safeguarding:all/disclosure#3:text", "")
    assert "es" not in offered(tables, locale_copy)


def test_a_language_marked_offered_needs_every_safety_string(locale_copy: Path) -> None:
    table = locale_copy / "languages.csv"
    table.write_text(table.read_text().replace(",ltr,no", ",ltr,yes").replace(",rtl,no", ",rtl,yes"))
    languages.cache_clear()
    problems = catalog_problems(read_tables(DEFAULT_DATA_DIR), locale_copy)
    for code in CATALOG_LANGUAGES:
        gaps = [p for p in problems if p.message.startswith(f"[{code}] safety string")]
        rows = next(row for row in status(DEFAULT_DATA_DIR, locale_copy) if row.language == code)
        assert len(gaps) == rows.safety - rows.safety_done


def test_the_shipped_catalogs_are_sound() -> None:
    assert catalog_problems(read_tables(DEFAULT_DATA_DIR)) == []


def test_catalog_headers_never_claim_a_clinical_review() -> None:
    """Until a native-speaking clinician has checked it, reviewed-by stays empty (the pages say so)."""
    for code in CATALOG_LANGUAGES:
        catalog = read_catalog(code)
        assert catalog is not None
        assert catalog.reviewed_by == "", f"{code}: only a clinician who reviewed it may fill reviewed-by"


# -- choosing a language ------------------------------------------------------------------------------


def test_spanish_is_offered_and_english_always() -> None:
    assert available_languages()[0] == "en"
    assert "es" in available_languages()


def test_an_unknown_language_is_refused_naming_it_and_listing_those_available() -> None:
    with pytest.raises(AnswerError) as error:
        load_knowledge(lang="xx")
    assert error.value.field == "lang" and "'xx'" in str(error.value)
    assert all(code in str(error.value) for code in available_languages())


def test_cli_lang(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["explain", "--lang", "es"], stdin=io.StringIO('{"amount": "heavy"}')) == 0
    output = json.loads(capsys.readouterr().out)
    assert output["lang"] == "es" and output["urgency"] == "emergency"
    assert output["advice"].startswith("Llama al")
    assert main(["explain", "--lang", "xx"], stdin=io.StringIO("{}")) == 2
    captured = capsys.readouterr()
    assert captured.out == "" and "unknown language" in captured.err and "'xx'" in captured.err
    assert "available: en" in captured.err


def test_region_codes_and_case_still_work_with_a_language() -> None:
    said = explain({"amount": "heavy"}, region="gb", lang="ES").to_dict()
    assert said["emergency"] == "En una emergencia, llama al 999." and said["region"] == "GB"


# -- never a different answer in another language ----------------------------------------------------


def decisions(explanation: Explanation) -> dict[str, Any]:
    data = explanation.to_dict()
    return {
        "urgency": data["urgency"],
        "red_flags": [(flag["id"], flag["urgency"], flag["because"]) for flag in data["red_flags"]],
        "causes": [(cause["id"], cause["fit"], cause["because"]) for cause in data["causes"]],
        "would_change": data["would_change"],
        "unanswered": data["unanswered"],
        "urgency_from_causes": data["urgency_from_causes"],
        "baseline": data["baseline"]["id"],
        "sources": [flag["sources"] for flag in data["red_flags"]] + [c["sources"] for c in data["causes"]],
    }


def texts(explanation: Explanation) -> list[str]:
    """Every reader-facing sentence of an explanation, in a fixed order."""
    data = explanation.to_dict()
    found = [data["advice"], data["emergency"], data["baseline"]["message"]]
    found += [flag["message"] for flag in data["red_flags"]]
    for cause in data["causes"]:
        found += [cause["name"], cause["summary"], cause["next_step"], cause["figure"]]
    return found


@pytest.mark.parametrize("language", CATALOG_LANGUAGES)
@pytest.mark.parametrize("case", CASES, ids=[case["id"] for case in CASES])
def test_every_clinical_case_decides_the_same_in_every_language(case: dict[str, Any], language: str) -> None:
    english = explain(case["answers"], in_language(SOURCE_LANGUAGE))
    local = in_language(language)
    translated = explain(case["answers"], local)
    assert decisions(translated) == decisions(english)
    assert translated.to_dict()["lang"] == language
    for mine, theirs in zip(texts(translated), texts(english), strict=True):
        if mine == theirs and any(ch.isalpha() for ch in mine):
            assert local.is_english(mine), f"{language}: left in English but not marked: {mine!r}"
    if language in available_languages():  # an offered language has its interface phrases too
        assert translated.disclaimer != english.disclaimer


@settings(max_examples=150, deadline=None)
@given(answers(), regions())
def test_random_answers_decide_the_same_in_every_language(given: dict[str, Any], region: str | None) -> None:
    code = region or UNSET_REGION
    english = decisions(explain(given, in_language(SOURCE_LANGUAGE, code)))
    for language in CATALOG_LANGUAGES:
        assert decisions(explain(given, in_language(language, code))) == english, language


@pytest.mark.parametrize("language", CATALOG_LANGUAGES)
def test_a_translated_safety_string_leaves_no_english_behind(language: str) -> None:
    """Where a safety string is translated, the page shows the translation, in every region, with
    that region's services in the same language (never an English sentence with a Spanish name)."""
    catalog = read_catalog(language)
    assert catalog is not None
    for region in [UNSET_REGION, *load_knowledge().regions]:
        english, local = in_language(SOURCE_LANGUAGE, region), in_language(language, region)
        for flag_en, flag in zip(english.red_flags, local.red_flags, strict=True):
            assert flag.id == flag_en.id and flag.condition == flag_en.condition
            if flag.message == flag_en.message:
                assert local.is_english(flag.message), f"{language}/{region}/{flag.id}"
            else:
                assert not local.is_english(flag.message)
        if language in available_languages():  # every service line is a safety string
            assert local.services["emergency_line"].text != english.services["emergency_line"].text


# -- interface phrases (ui.po) and the explorer -------------------------------------------------------

ONE_LITERAL = re.compile(r"""\b(?:phrase|say|N_)\(\s*(["'])([^"'\n]+)\1\s*\)""")
"""A phrase call with one plain string literal, wherever it is written (even inside an f-string)."""


def test_every_interface_phrase_is_in_the_template() -> None:
    """A phrase inside an f-string is invisible to Babel's extractor: keep each one a plain call."""
    with template_path(domain="ui").open("rb") as handle:
        committed = {m.id for m in read_po(handle) if m.id}
    assert committed == {m.id for m in ui_template() if m.id}, "ui.pot is out of date: run `spotting i18n update`"
    written = {
        match.group(2)
        for path in (ROOT / "spotting").rglob("*.py")
        for match in ONE_LITERAL.finditer(path.read_text())
        if "\\" not in match.group(2) and match.group(2) not in ("...", "…")  # docstrings' examples
    }
    assert len(committed) > 40 and written - committed == set(), "a phrase(...) Babel cannot see (in an f-string?)"


def test_an_interface_phrase_with_a_wrong_placeholder_is_refused_and_never_shown(locale_copy: Path) -> None:
    path = catalog_path("es", "ui", locale_copy)
    catalog = _po(path)
    for message in catalog:
        if message.id == "Call {number} if:":
            message.string = "Llama al {numero} si:"
    from spotting.catalogs import _render

    path.write_bytes(_render(catalog))
    ui_entries.cache_clear()
    problems = catalog_problems(read_tables(DEFAULT_DATA_DIR), locale_copy)
    assert any(p.file.endswith("es/LC_MESSAGES/ui.po") and "placeholders differ" in p.message for p in problems)
    assert "Call {number} if:" not in phrases("es", locale_copy)
    ui_entries.cache_clear()


def test_the_disclaimer_is_in_the_language() -> None:
    assert explain({}, lang="es").to_dict()["disclaimer"].startswith("Esta herramienta es para aprender")
    assert explain({}).to_dict()["disclaimer"] == DISCLAIMER


def test_the_explorer_switches_language_without_a_new_kernel_and_keeps_the_answers() -> None:
    from spotting.explorer.app import App, language_from_address

    app = App()
    assert app.language.options[0] == ("English", "en") and ("Español", "es") in app.language.options
    assert app.container.children[1].children[0] is app.language  # at the top of the page
    assert app.notice.value == "" and app.notice_box.layout.display == "none"
    app.emergency_form.answers = {"amount": "heavy"}
    app.language.value = "es"  # what the dropdown does
    assert app.knowledge.language == "es"
    assert app.results.value.startswith('<section lang="es" dir="ltr"') and "Llama al" in app.results.value
    assert app.banner.value.startswith('<p lang="es" dir="ltr" class="sp-banner--')
    assert 'data-urgency="emergency"' in app.results.value
    assert 'lang="es"' in app.notice.value and 'lang="en"' in app.notice.value
    assert app.notice_box.layout.display == ""
    assert app.reset_button.description == "Empezar de nuevo" and app.routes.heading == "¿Por dónde quieres empezar?"
    app.read_in_english()
    assert app.knowledge.language == "en" and app.language.value == "en" and app.notice_box.layout.display == "none"
    assert 'data-urgency="emergency"' in app.results.value and "Call" in app.results.value
    assert language_from_address("lang=es") == "es" and language_from_address("lang=es-MX") == "es"
    assert language_from_address("lang=zz") is None and language_from_address("region=GB") is None


def test_the_review_shows_a_translation_status_table() -> None:
    from spotting.review.app import translations_table

    table = translations_table(load_knowledge())
    spanish = table[table["language"] == "Spanish (es)"].iloc[0]
    done, _, total = spanish["safety strings"].partition(" of ")
    assert spanish["offered"] == "yes" and done == total and int(total) > 250
    welsh = table[table["language"] == "Welsh (cy)"].iloc[0]
    done, _, total = welsh["safety strings"].partition(" of ")
    assert welsh["offered"] == "no" or done == total  # offered only when complete
    assert set(table["reviewed by"]) == {"not yet reviewed by a clinician"}
    assert list(table.columns) == [
        "language", "offered", "data messages", "translated", "fuzzy", "safety strings", "interface phrases",
        "reviewed by",
    ]  # fmt: skip


def test_the_appointment_summary_is_bilingual_with_the_same_advice() -> None:
    """The person's language first, then the same summary in English for the clinician."""
    from datetime import date

    from spotting.explorer.summary import FOR_THE_CLINICIAN, summary_html

    answers = {"amount": "light", "pregnant": "yes", "age": 30}
    spanish, english = load_knowledge(region="GB", lang="es"), load_knowledge(region="GB")
    page = summary_html(explain(answers, spanish), spanish, today=date(2026, 12, 6))
    assert page.startswith('<!DOCTYPE html><html lang="es" dir="ltr">') and "6 de diciembre de 2026" in page
    mine, _, theirs = page.partition(FOR_THE_CLINICIAN)
    assert theirs and '<section lang="en" dir="ltr">' in mine[-200:]
    assert spanish.levels[explain(answers, spanish).urgency].heading in mine
    assert english.levels[explain(answers, english).urgency].heading in theirs
    assert explain(answers, english).advice.message in theirs and "Notas" not in theirs
    only_english = summary_html(explain(answers, english), english, today=date(2026, 12, 6))
    assert FOR_THE_CLINICIAN not in only_english and '<html lang="en">' in only_english


def test_a_region_can_word_a_language_its_own_way(locale_copy: Path) -> None:
    """US English says "uterus" where the data says "womb": a catalog en_US with only the messages
    that differ, looked up before the language's own (gettext's en_US beside en)."""
    from babel.messages.catalog import Catalog

    from spotting.catalogs import _render
    from spotting.localise import translate

    tables = read_tables(DEFAULT_DATA_DIR)
    cell = next(c for c in cells(tables) if c.context == "sites:womb:name")
    variant = Catalog(locale="en_US", domain="data")
    variant.add(cell.english, "Uterus", context=cell.context)
    path = catalog_path("en_US", locale_dir=locale_copy)
    path.parent.mkdir(parents=True, exist_ok=True)  # the shipped en_US is replaced by this one message
    path.write_bytes(_render(variant))
    forget_catalogs()
    us = translate(tables, "en", locale_copy, region="US")
    assert us.tables["sites.csv"][cell.line - 2]["name"] == "Uterus" and not us.english
    assert translate(tables, "en", locale_copy, region="GB").tables["sites.csv"][cell.line - 2]["name"] == "Womb"
    spanish_us = translate(tables, "es", locale_copy, region="US")  # no es_US: Spanish as everywhere
    assert spanish_us.tables["sites.csv"][cell.line - 2]["name"] == "Útero"
    update(DEFAULT_DATA_DIR, locale_copy)  # kept in step with the template like any catalog
    kept = {m.context: m for m in _po(path) if m.id}
    assert kept[cell.context].string == "Uterus" and len(kept) == len(list(cells(tables)))
    forget_catalogs()


@pytest.mark.parametrize("path", sorted(LOCALE_DIR.glob("*/LC_MESSAGES/*.po")), ids=lambda p: f"{p.parts[-3]}/{p.name}")
def test_the_run_time_reader_reads_every_catalog_exactly_as_babel_does(path: Path) -> None:
    """Kernels read catalogs without Babel (spotting.localise.read_messages); it must agree with
    Babel's reader on every message: context, English, translation, fuzzy flag and line."""
    from spotting.localise import read_messages

    header, ours = read_messages(path)
    theirs = _po(path)

    def babel(m: Any) -> tuple[object, ...]:  # a counted phrase: Babel gives (singular, plural) and every form
        if isinstance(m.id, tuple):
            return (str(m.context or ""), m.id, tuple(m.string), m.fuzzy, m.lineno)
        return (str(m.context or ""), m.id, m.string or "", m.fuzzy, m.lineno)

    assert [
        (e.context, (e.english, e.plural) if e.plural else e.english, e.forms or e.text, e.fuzzy, e.line)
        for e in ours
    ] == [babel(m) for m in theirs if m.id]
    assert "reviewed-by:" in header


def test_the_reader_handles_escapes_flags_continued_lines_and_obsolete_messages(tmp_path: Path) -> None:
    from spotting.localise import read_messages

    path = tmp_path / "x.po"
    path.write_text(
        '# reviewed-by:\nmsgid ""\nmsgstr ""\n"Language: es\\n"\n\n'
        '#. SAFETY\n#, fuzzy, python-brace-format\n#| msgid "old"\nmsgctxt "t:r:c"\nmsgid ""\n"Say \\"hi\\"\\n"\n'
        '"to {doctor}"\nmsgstr "Di \\"hola\\" a {doctor}"\n\n#~ msgctxt "gone"\n#~ msgid "Gone"\n#~ msgstr "Ido"\n',
        encoding="utf-8",
    )
    header, entries = read_messages(path)
    assert header == "# reviewed-by:"
    assert [(e.context, e.english, e.text, e.fuzzy, e.line) for e in entries] == [
        ("t:r:c", 'Say "hi"\nto {doctor}', 'Di "hola" a {doctor}', True, 10)
    ]
    assert [(m.context, m.id, m.string, m.fuzzy, m.lineno) for m in _po(path) if m.id] == [
        ("t:r:c", 'Say "hi"\nto {doctor}', 'Di "hola" a {doctor}', True, 10)
    ]


def test_a_catalog_that_is_not_valid_po_is_refused_with_its_line(locale_copy: Path) -> None:
    path = catalog_path("es", locale_dir=locale_copy)
    lines = path.read_text().splitlines()
    broken = next(i for i, line in enumerate(lines) if line.startswith("msgstr ") and i > 30)
    lines[broken] = 'msgstrr "Llama al {emergency_number}"'  # a keyword gettext does not have
    path.write_text("\n".join(lines) + "\n")
    forget_catalogs()
    problems = catalog_problems(read_tables(DEFAULT_DATA_DIR), locale_copy)
    assert problems[0].file.endswith("es/LC_MESSAGES/data.po") and "[es] is not valid PO" in problems[0].message
    assert problems[0].row == broken + 1
    forget_catalogs()


def _script_messages(name: str) -> dict[str, str]:
    """The English defaults of an asset script's ``MESSAGES`` (a string per key; "+"-joined lines)."""
    text = (ROOT / "spotting" / "assets" / name).read_text()
    block = text.split("const MESSAGES = {", 1)[1].split("\n};", 1)[0]
    parts = re.split(r"^\s+(\w+):", block, flags=re.M)[1:]
    pairs = zip(parts[::2], parts[1::2], strict=True)
    return {key: "".join(re.findall(r'"((?:[^"\\]|\\.)*)"', body)) for key, body in pairs}


def test_every_word_a_script_writes_comes_from_the_catalog() -> None:
    """The scripts' own words (a lost connection, the number hint, the summary buttons) are sent by
    the kernel in the reader's language; the script's English default is the catalog's English."""
    from spotting.explorer.form_widget import form_words
    from spotting.explorer.live import live_words, summary_words

    for script, words in (("form.js", form_words), ("live-region.js", live_words), ("summary.js", summary_words)):
        assert _script_messages(script) == words(str), script
        spanish = words(load_knowledge(lang="es").phrase)
        assert all(spanish[key] != english for key, english in words(str).items() if key != "errorPrefix"), script


@pytest.mark.parametrize("language", ["es", "cy", "ar"])
def test_the_explorer_opening_and_quick_exit_follow_the_language(language: str) -> None:
    """The notebook's English opening and the template's quick exit are replaced in the page by
    PageWords; every script message is in the language; English puts the notebook's words back."""
    from spotting.explorer.app import App
    from spotting.explorer.intro import EXIT_LABEL, TITLE, intro_html

    app = App()
    assert app.page_words.intro == "" and app.page_words.exit["label"] == "Exit this page"
    app.set_language(language)
    local = app.knowledge.phrase
    assert app.page_words.intro == intro_html(local) and local(TITLE) in app.page_words.intro
    assert TITLE not in app.page_words.intro and "Exit this page" not in app.page_words.intro
    assert app.page_words.exit["label"] == local(EXIT_LABEL) != EXIT_LABEL
    assert (app.page_words.lang, app.page_words.dir) == (language, languages()[language].direction)
    assert app.page_words.title == local(TITLE) != TITLE  # the browser tab's title (the notebook's is English)
    assert app.emergency_form.messages["numberRange"] != "Type a number from {minimum} to {maximum}."
    assert app.results.messages["lostHeading"] != "This page lost its connection"
    assert app.summary.messages["save"] != "Save the summary as a file"
    app.read_in_english()
    assert app.page_words.intro == "" and app.page_words.exit["label"] == "Exit this page"
    assert app.page_words.title == ""


def test_a_preheated_kernel_takes_the_language_the_browser_reads_in_the_address() -> None:
    """A preheated kernel never saw QUERY_STRING: the page sends ``?lang=`` (PageWords.address)."""
    from spotting.explorer.app import App

    app = App()
    app.emergency_form.answers = {"amount": "heavy"}
    app.page_words.address = "cy-GB"  # what page-words.js sends
    assert app.knowledge.language == "cy" and app.language.value == "cy" and 'lang="cy"' in app.results.value
    assert 'data-urgency="emergency"' in app.results.value  # the answer kept
    app.page_words.address = "zz"  # not offered: nothing changes, no error on the page
    assert app.knowledge.language == "cy"


UK_WORDS = {
    "US": re.compile(r"\b(?:womb|coils?|smears?|tummy|colour|coloured|oestrogen|gynaecologist|thrush)\b", re.I),
    "CA": re.compile(r"\b(?:womb|coils?|smears?|tummy|oestrogen|thrush)\b", re.I),  # Canada keeps colour
    "AU": re.compile(r"\b(?:coils?|smears?)\b", re.I),  # womb, GP, thrush and colour are Australian too
    "NZ": re.compile(r"\b(?:coils?|smears?)\b", re.I),  # and in New Zealand
}
"""The UK words a US, Canadian, Australian or New Zealand reader should not meet (services are
worded per region anyway)."""

REGIONAL_WORDS = {
    "US": ("Uterus", "IUD strings", "Pap test"),
    "CA": ("Uterus", "IUD strings", "Pap test"),
    "AU": ("Womb", "IUD threads", "cervical screening test"),
    "NZ": ("Womb", "IUD strings", "cervical screening test"),
}
"""What each region's English calls the womb, the coil's threads and the screening test."""


@pytest.mark.parametrize("region", list(UK_WORDS))
def test_a_regions_english_reads_its_own_words_with_the_same_structure(region: str) -> None:
    """The shipped en_US, en_CA, en_AU and en_NZ catalogs word the data the way that region's
    health services do (US and Canada: uterus, IUD strings, Pap test, yeast infection; US color;
    Australia and New Zealand: IUD, cervical screening test, with British spelling) and change
    nothing but reader-facing words: ids, conditions, urgency and sources are as written. (Their
    decisions are checked with every region by the clinical-case and random-answer tests above.)"""
    from spotting.localise import translate

    tables = read_tables(DEFAULT_DATA_DIR)
    us = translate(tables, SOURCE_LANGUAGE, region=region)
    assert not us.english  # English is never "left in English"
    words = {(c.file, c.line - 2, c.column) for c in cells(tables)}
    changed = 0
    for name, rows in tables.items():
        for index, (row, local) in enumerate(zip(rows, us.tables[name], strict=True)):
            for column, text in row.items():
                if (name, index, column) not in words:
                    assert local[column] == text, (name, index, column)  # never a decision
                else:  # every reader-facing cell, changed or not: a message left out keeps the UK word
                    changed += local[column] != text
                    said = local[column].replace("yeast infection (thrush)", "yeast infection")  # a myth names both
                    if not name.startswith("services"):
                        assert not UK_WORDS[region].search(said), (name, index, column, local[column])
    assert changed > 50
    knowledge = load_knowledge(region=region)
    womb, threads, screening = REGIONAL_WORDS[region]
    assert knowledge.sites["womb"].name == womb
    assert threads in knowledge.questions["coil_threads_not_felt"].label
    assert screening in next(s for s in knowledge.scenarios if s.id == "age_42_never_screened").story
    assert knowledge.questions["contraception"].choice_labels["copper_iud"] == "Copper IUD"
    uk = load_knowledge(region="GB")  # UK English as written
    assert uk.sites["womb"].name == "Womb" and "coil threads" in uk.questions["coil_threads_not_felt"].label


def test_check_data_checks_a_regional_catalog(locale_copy: Path) -> None:
    """A regional catalog is never offered on its own, but a broken placeholder in it is refused."""
    from spotting.catalogs import _render

    path = catalog_path("en_US", locale_dir=locale_copy)
    catalog = _po(path)
    message = next(m for m in catalog if m.id and "{doctor}" in m.string)
    message.string = message.string.replace("{doctor}", "{doc}")
    path.write_bytes(_render(catalog))
    forget_catalogs()
    problems = catalog_problems(read_tables(DEFAULT_DATA_DIR), locale_copy)
    forget_catalogs()
    assert any("en_US/LC_MESSAGES/data.po" in p.file and "placeholders differ" in p.message for p in problems)


# -- teaching pages ---------------------------------------------------------------------------


class _Sentences(HTMLParser):
    """The words of a page outside ``<style>`` and outside any element marked ``lang="en"``
    (records kept in English on purpose: source titles, the English half of the notice)."""

    VOID = frozenset({"meta", "link", "br", "img", "input", "hr", "source", "area", "col", "wbr"})

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[tuple[str, bool]] = []
        self.words: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.VOID:
            return
        english = dict(attrs).get("lang") == "en" or tag in ("style", "script")
        self.stack.append((tag, english or any(flag for _, flag in self.stack)))

    def handle_endtag(self, tag: str) -> None:
        while self.stack:
            if self.stack.pop()[0] == tag:
                break

    def handle_data(self, data: str) -> None:
        if not (self.stack and self.stack[-1][1]):
            self.words.append(data)


def page_sentences(html: str) -> set[str]:
    parser = _Sentences()
    parser.feed(html)
    text = " ".join(" ".join(parser.words).split())
    return {s.strip() for s in re.split(r"(?<=[.!?:;])\s+|\n", text) if len(re.findall(r"[^\W\d_]{2,}", s)) >= 3}


@pytest.mark.parametrize("language", ["es", "cy", "ar"])
def test_the_session_handout_and_worksheet_are_in_the_language_with_no_english_sentence_left(language: str) -> None:
    """The printed session handout (scenarios, the learner's feedback, the tool's answers, myths,
    the charts, where to get help) in the language: the page's lang and dir, the unreviewed
    notice, and no sentence of the English handout left outside what is marked lang="en" (source
    titles, the notice's English half)."""
    from datetime import date

    from spotting.teaching.charts import charts_html
    from spotting.teaching.pages import facilitator_handout_html, handout_html, safeguarding_html, worksheet_html
    from spotting.teaching.plan import load_classroom
    from spotting.teaching.quiz import Attempt
    from spotting.urgency import Urgency

    made = date(2026, 12, 7)
    knowledge = load_knowledge()
    causes = [cause.id for cause in knowledge.causes]
    attempts = [  # every kind of feedback: no level, lower, the same, higher; causes listed and not
        Attempt(scenario.id, level, tuple(causes[index : index + 3]))
        for index, (scenario, level) in enumerate(
            zip(knowledge.scenarios, [None, *Urgency] * 3, strict=False)
        )
    ]

    def handout(k: Knowledge) -> str:
        return handout_html(attempts, k, charts_html=charts_html(k), made_on=made)

    def worksheet(k: Knowledge) -> str:
        return worksheet_html(k, made_on=made)

    def answer_sheet(k: Knowledge) -> str:
        """The facilitator's answer sheet with the safeguarding script, as the page prints it."""
        script = safeguarding_html(load_classroom(k).script_for(k.region.code), k, folded=False)
        return facilitator_handout_html(k, made_on=made, safeguarding=script)

    pages = [("GB", handout), ("US", handout), ("GB", worksheet), ("IE", worksheet)]
    pages += [("GB", answer_sheet), ("US", answer_sheet), ("NZ", answer_sheet)]
    for region, page in pages:
        english = page(load_knowledge(region=region))
        local = page(load_knowledge(region=region, lang=language))
        direction = languages()[language].direction
        assert f'<html lang="{language}" dir="{direction}">' in local and 'class="sp-notice"' in local
        left = page_sentences(local) & page_sentences(english)
        assert not left, f"{language}/{region}: English left: {sorted(left)[:5]}"
    assert 'class="sp-notice"' not in english and '<html lang="en-GB">' in english


def test_the_facilitator_prints_the_worksheet_and_handouts_in_a_chosen_language() -> None:
    """The facilitator's page stays English; what learners take home, and the facilitator's answer
    sheet, can be in their language, with the same scenarios, the session's region and the same
    expected levels."""
    import base64
    from html import escape as html_escape

    from spotting.teaching.app import TeachingApp
    from spotting.teaching.plan import load_classroom

    app = TeachingApp(load_knowledge(region="GB"), mode="facilitator")
    assert ("Cymraeg", "cy") in app.print_language.options and app.print_language.value == "en"

    def offered() -> str:
        encoded = app.handout_link.value.split("base64,", 1)[1].split('"', 1)[0]
        return base64.b64decode(encoded).decode("utf-8")

    app.worksheet_button.click()
    assert offered().startswith('<!DOCTYPE html><html lang="en-GB">')
    app.print_language.value = "cy"
    welsh = load_knowledge(region="GB", lang="cy")
    app.worksheet_button.click()
    page = offered()
    assert page.startswith('<!DOCTYPE html><html lang="cy" dir="ltr">') and welsh.phrase("Write the level.") in page
    assert welsh.services["emergency_line"].text in page  # the session's region, in Welsh
    app.handout_button.click()
    assert offered().startswith('<!DOCTYPE html><html lang="cy" dir="ltr">')
    app.answers_button.click()  # the answer sheet too, with the region's safeguarding script
    sheet = offered()
    assert sheet.startswith('<!DOCTYPE html><html lang="cy" dir="ltr">') and 'class="sp-notice"' in sheet
    script = load_classroom(welsh).script_for("GB")
    assert script and all(html_escape(line.text) in sheet for line in script)
    assert app.knowledge.language == "en"  # the page itself did not change language


def widget_text(widget: Any) -> str:
    """Every word a widget tree shows or speaks, as HTML: HTML values, and each description,
    tooltip, placeholder and option label as a sentence of its own (so two labels never join)."""
    from html import escape as html_escape

    parts = []
    value = getattr(widget, "value", None)
    shows_html = "HTML" in str(getattr(widget, "_view_name", "") or "") or type(widget).__name__ == "LiveStatus"
    if isinstance(value, str) and shows_html:
        parts.append(value)
    labels = [getattr(widget, name, "") for name in ("description", "tooltip", "placeholder")]
    labels += [str(option[0]) for option in getattr(widget, "options", ()) if isinstance(option, tuple)]
    parts += [f"<p>{html_escape(label)}.</p>" for label in labels if isinstance(label, str) and label]
    parts += [widget_text(child) for child in getattr(widget, "children", ())]
    return "\n".join(parts)


@pytest.mark.parametrize("language", ["es", "cy", "ar"])
def test_the_learner_page_is_in_the_language_with_no_english_sentence_left(language: str, tmp_path: Path) -> None:
    """The learner page (issue 23): every control, hint, the live vote, the tally and the question
    box in the reader's language, with no sentence of the English page left outside what is marked
    lang="en" (the notice's English half, source titles); the menu switches back to English."""
    from spotting.markup import LANGUAGE_LABEL, READ_IN_ENGLISH
    from spotting.teaching.app import TeachingApp
    from spotting.teaching.intro import intro_html
    from spotting.teaching.room import FacilitatorRoom, LearnerRoom
    from spotting.teaching.store import ClassroomStore

    store = ClassroomStore(tmp_path / "live")
    facilitator = TeachingApp(load_knowledge(region="GB"), mode="facilitator", store=store)
    pages = {code: TeachingApp(load_knowledge(lang=code), store=store) for code in ("en", language)}
    assert isinstance(facilitator.room, FacilitatorRoom)
    live = facilitator.room

    def seen(app: TeachingApp) -> set[str]:
        assert isinstance(app.room, LearnerRoom)
        app.room.poll()
        return page_sentences(widget_text(app.container) + app.page_words.intro)

    meant = {f"{LANGUAGE_LABEL}.", f"{READ_IN_ENGLISH}."}  # every language at once; the way back to English

    def compare(step: str) -> None:
        left = seen(pages[language]) & seen(pages["en"]) - meant
        assert not left, f"{language}, {step}: English left: {sorted(left)[:5]}"

    local = pages[language]
    assert local.page_words.lang == language and local.page_words.dir == languages()[language].direction
    assert local.page_words.intro == intro_html(local.knowledge.phrase) and 'class="sp-notice"' in local.notice.value
    assert f"sp-dir-{languages()[language].direction}" in local.container._dom_classes
    local.reveal_button.click()  # the hint: choose a level first
    compare("hint")
    live.start_button.click()
    live.current.value = "myth:rare_spotting_normal"
    facilitator.room.poll()
    compare("a live myth vote")
    for app in pages.values():
        assert isinstance(app.room, LearnerRoom)
        app.room.poll()
        app.room.buttons.children[0].click()
        app.room.ask_text.value = ""
        app.room.ask()  # "Type a question first."
    compare("voted, and an empty question")
    live.reveal_button.click()
    compare("the tally")
    for app in pages.values():
        app.level.value = app.knowledge.scenarios[0].expected_urgency.id
        app.reveal_button.click()
        app.section.value = "handout"
        app.handout_button.click()
    compare("revealed, and the handout offered")
    assert local.knowledge.region.code == "GB"  # the session's region, in the language
    local.english_button.click()
    assert local.knowledge.language == "en" and local.language.value == "en" and local.notice.value == ""
    assert local.level.value == local.knowledge.scenarios[0].expected_urgency.id  # the choice kept
    assert local.page_words.intro == "" and local.reveal_button.description == "Reveal the answer"


@pytest.mark.parametrize("language", ["es", "cy", "ar"])
def test_the_facilitator_page_leaves_no_english_sentence_but_source_titles(
    language: str, tmp_path: Path
) -> None:
    """What a projector shows from the facilitator page (controls, live vote, count, tally, the
    handout controls, the facilitator notes, the safeguarding script and the answer bank) is in the
    language; only the source titles stay English, each marked lang="en"."""
    from spotting.markup import LANGUAGE_LABEL, READ_IN_ENGLISH
    from spotting.teaching.app import TeachingApp
    from spotting.teaching.room import FacilitatorRoom
    from spotting.teaching.store import ClassroomStore

    pages = {
        code: TeachingApp(
            load_knowledge(region="GB", lang=code), mode="facilitator", store=ClassroomStore(tmp_path / code)
        )
        for code in ("en", language)
    }
    meant = {f"{LANGUAGE_LABEL}.", f"{READ_IN_ENGLISH}."}
    local = pages[language]
    assert 'lang="en"' not in local.notes.value
    script = local.safeguarding.value
    assert 'lang="en"' not in script[: script.rindex("<h3>")], "only the script's source titles may stay English"

    def compare(step: str) -> None:
        seen = {code: page_sentences(widget_text(app.container)) for code, app in pages.items()}
        left = seen[language] & seen["en"] - meant
        assert not left, f"{language}, {step}: English left: {sorted(left)[:5]}"

    compare("opened")
    for app in pages.values():
        assert isinstance(app.room, FacilitatorRoom)
        app.room.start_button.click()
        app.room.current.value = "myth:rare_spotting_normal"
        app.room.reveal_button.click()
        app.reveal_button.click()
        app.worksheet_button.click()
    compare("a live vote revealed, a scenario revealed, the worksheet offered")
    for app in pages.values():
        app.room.bank.value = "is_it_an_sti"
        app.room.bank_button.click()
    assert pages[language].classroom.answers[2].answer in widget_text(pages[language].room.shown)
    compare("an answer from the bank on every screen")
