"""Render the edition into Markdown pages, one tree per language. Pure: returns {path: text}."""

import datetime
import os
import re
from pathlib import Path

import jinja2

from .sheet_template import template_path
from .strings import ENGINE, PROCEDURE_WHO, UI

LANGS = ("zh", "en")
FACTS = (
    "applicants",
    "leader_title_degree",
    "leader_age",
    "high_tech",
    "min_total_investment",
    "self_funding_ratio",
    "funding_range",
    "funding_form",
)
_MD_SPECIAL = re.compile(r"([\\`*_\[\]#<>|])")


def page_path(page_id):
    """Site-relative directory of a page id: 'notice' -> 'notice/', 'major' -> 'programmes/major/'."""
    if page_id in ("index", ""):
        return ""
    if page_id in ("notice", "compare", "checker", "batch", "procedure", "glossary", "about"):
        return f"{page_id}/"
    if page_id.startswith("programmes/"):
        return f"{page_id}/"
    return f"programmes/{page_id}/"


def _env():
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(Path(__file__).parent / "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
    )
    # Headings are Markdown: escape the characters Markdown would interpret.
    env.filters["md"] = lambda s: jinja2.utils.markupsafe.Markup(_MD_SPECIAL.sub(r"\\\1", str(jinja2.utils.markupsafe.escape(s))))
    env.filters["yamlstr"] = lambda s: jinja2.utils.markupsafe.Markup(str(s).replace("\\", "\\\\").replace('"', '\\"'))
    return env


def _generated_date():
    """The build date, reproducible when SOURCE_DATE_EPOCH is set."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        return datetime.datetime.fromtimestamp(int(epoch), datetime.timezone.utc).date().isoformat()
    return datetime.date.today().isoformat()


def _find_section(sections, section_id):
    for sec in sections:
        if sec["id"] == section_id:
            return sec
        found = _find_section(sec.get("sections") or [], section_id)
        if found:
            return found
    return None


def render_pages(guide, compiled):
    """All Markdown pages of both languages, as {'zh/notice.md': text, ...}."""
    env = _env()
    checked = set((compiled or {}).get("checked_clauses", []))
    unmodelled = {
        item["clause"] for prog in (compiled or {}).get("programmes", {}).values() for item in prog.get("unmodelled", [])
    } - checked
    source_url = f"assets/source/guide-{guide['edition']}.txt"
    generated = _generated_date()
    pages = {}
    for lang in LANGS:
        ui = {key: value[lang] for key, value in {**ENGINE, **UI}.items()}

        def link(target, depth):
            return "../" * depth + page_path(target) if page_path(target) else ("../" * depth or "./")

        def clause_url(ref, depth):
            page_id, _, anchor = ref.partition("#")
            return link(page_id, depth) + (f"#{anchor}" if anchor else "")

        common = dict(
            lang=lang,
            ui=ui,
            meta=guide["meta"],
            groups=guide["groups"],
            programmes=guide["programmes"],
            notice=guide["notice"],
            compiled=compiled,
            checked=checked,
            unmodelled=unmodelled,
            link=link,
            clause_url=clause_url,
            root=lambda depth: "../" * (depth + (1 if lang != "zh" else 0)),
            programme=None,
            group=None,
        )

        def put(name, template, depth, **extra):
            pages[f"{lang}/{name}"] = env.get_template(template).render(common, depth=depth, **extra)

        put("index.md", "index.md.j2", 0)
        put("notice.md", "page.md.j2", 1, page=guide["notice"])
        for prog in guide["programmes"]:
            put(
                f"programmes/{prog['id']}.md",
                "page.md.j2",
                2,
                page=prog,
                programme=(compiled or {}).get("programmes", {}).get(prog["id"], {"checklist": [], "unmodelled": []}),
                group=guide["groups"].get(prog.get("group")),
            )
        if compiled:
            put("compare.md", "compare.md.j2", 1, facts=FACTS)
        procedure = _find_section(guide["notice"]["sections"], "procedure")
        steps = [dict(sec, who=PROCEDURE_WHO[sec["id"]]) for sec in procedure.get("sections") or []]
        put("procedure.md", "procedure.md.j2", 1, steps=steps, intro=procedure["blocks"][0])
        put("glossary.md", "glossary.md.j2", 1, terms=guide["glossary"])
        put("about.md", "about.md.j2", 1, source_url=source_url, generated=generated)
        put("checker.md", "checker.md.j2", 1)
        if compiled:
            templates = {ext: template_path(guide["edition"], lang, ext) for ext in ("xlsx", "csv")}
            put("batch.md", "batch.md.j2", 1, templates=templates)
    return pages


def nav(guide, compiled, lang):
    """The navigation of one language, mirroring the guide's structure."""
    ui = UI
    programmes = []
    grouped = {}
    for prog in guide["programmes"]:
        entry = {prog["title"][lang]: f"programmes/{prog['id']}.md"}
        group = prog.get("group")
        if group:
            if group not in grouped:
                grouped[group] = []
                programmes.append({guide["groups"][group]["title"][lang]: grouped[group]})
            grouped[group].append(entry)
        else:
            programmes.append(entry)
    items = [
        {ui["home"][lang]: "index.md"},
        {ui["notice"][lang]: "notice.md"},
        {ui["programmes"][lang]: programmes},
    ]
    if compiled:
        items.append({ui["compare"][lang]: "compare.md"})
    items += [
        {ui["checker"][lang]: "checker.md"},
        *([{ui["batch"][lang]: "batch.md"}] if compiled else []),
        {ui["procedure"][lang]: "procedure.md"},
        {ui["glossary"][lang]: "glossary.md"},
        {ui["about"][lang]: "about.md"},
    ]
    return items
