"""Render the edition into Markdown pages, one tree per language. Pure: returns {path: text}."""

import datetime
import functools
import os
import re
from pathlib import Path

import jinja2
from checker_sheets.template import template_name, template_path

from checker_py.strings import ENGINE, UI

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
# A search result shows about 160 Latin characters of a description; a Chinese character is about two.
DESCRIPTION_LIMIT = {"zh": 80, "en": 160}
_NUMBERING = re.compile(r"^[（(]?[一二三四五六七八九十]+[)）、]\s*|^\(?[IVX]+[.)]\s*")


def checklist_path(page_id):
    """Site-relative address of a programme's eligibility checklist (its `checklist` anchor, page.md.j2)."""
    return page_path(page_id) + "#checklist"


def page_path(page_id):
    """Site-relative directory of a page id: 'notice' -> 'notice/', 'major' -> 'programmes/major/'."""
    if page_id in ("index", ""):
        return ""
    if page_id in ("notice", "compare", "checker", "batch", "procedure", "glossary", "about", "changes"):
        return f"{page_id}/"
    if page_id.startswith("programmes/"):
        return f"{page_id}/"
    return f"programmes/{page_id}/"


@functools.lru_cache(maxsize=None)
def _env():
    """The page templates' environment, made once: every edition's pages use the same compiled templates."""
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


def _block(guide, ref):
    """The guide's block at a clause reference `page#anchor` ({id, zh, en})."""
    page_id, _, anchor = ref.partition("#")
    page = guide["notice"] if page_id == "notice" else next(p for p in guide["programmes"] if p["id"] == page_id)

    def walk(sections):
        for sec in sections:
            found = next((b for b in sec.get("blocks") or [] if b["id"] == anchor), None) or walk(sec.get("sections") or [])
            if found:
                return found
        return None

    return walk(page["sections"])


def _find_section(sections, section_id):
    for sec in sections:
        if sec["id"] == section_id:
            return sec
        found = _find_section(sec.get("sections") or [], section_id)
        if found:
            return found
    return None


def shorten(text, lang):
    """`text` cut to the description length at a clause or word boundary, with an ellipsis when cut."""
    limit = DESCRIPTION_LIMIT[lang]
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    stops = "，；。、" if lang == "zh" else " "
    at = max(cut.rfind(ch) for ch in stops)
    return (cut[:at] if at > limit // 2 else cut).rstrip(" ,;:，；、") + "…"


def _first_text(sections, lang):
    """The first clause text of a page, depth first."""
    for sec in sections:
        for block in sec.get("blocks") or []:
            return block[lang]
        found = _first_text(sec.get("sections") or [], lang)
        if found:
            return found
    return ""


def descriptions(guide, steps, lang, changes=None):
    """Each page's meta description in `lang`, made from that page's own content: {page id: text}."""
    ui = {key: value[lang] for key, value in {**ENGINE, **UI}.items()}

    def headings(sections):
        """The sections' headings without their numbering, as one list."""
        return ui["list_separator"].join(_NUMBERING.sub("", sec["heading"][lang]) for sec in sections)

    notice = guide["notice"]
    out = {
        "index": guide["meta"]["title"][lang] + ui["colon"] + ui["home_intro"],
        "notice": notice["heading"][lang] + ui["colon"] + headings(notice["sections"]),
        "compare": ui["compare_intro"],
        "procedure": ui["procedure_intro"].rstrip(":：") + ui["colon"] + ui["list_separator"].join(s["text"][lang] for s in steps),
        "glossary": ui["glossary_intro"].rstrip("。.") + ui["colon"]
        + ui["list_separator"].join(f"{t['zh']} {t['en']}" for t in guide["glossary"]),
        "about": ui["prevails"],
        "checker": ui["check_now"] + ui["colon"]
        + ui["list_separator"].join(p["title"][lang] for p in guide["programmes"]) + ui["full_stop"] + ui["privacy"],
        "batch": ui["batch_intro"] + ui["batch_privacy"],
    }
    if changes:
        out["changes"] = ui["changes_intro"].format(old=changes["from"], new=changes["to"])
    for prog in guide["programmes"]:
        out[prog["id"]] = prog["title"][lang] + ui["colon"] + _first_text(prog["sections"], lang)
    return {page_id: shorten(text, lang) for page_id, text in out.items()}


def render_pages(guide, compiled, edition=None):
    """All Markdown pages of both languages, as {'zh/notice.md': text, ...}.

    `edition` places an edition in a site of several: its folder (`prefix`, "2022/" under its year),
    the changes from the edition before (`changes`) and that edition's folder (`before_prefix`).
    """
    edition = edition or {}
    prefix, changes = edition.get("prefix", ""), edition.get("changes")
    env = _env()
    checked = set((compiled or {}).get("checked_clauses", []))
    unmodelled = {
        item["clause"] for prog in (compiled or {}).get("programmes", {}).values() for item in prog.get("unmodelled", [])
    } - checked
    source_url = f"assets/source/guide-{guide['edition']}.txt"
    generated = _generated_date()
    procedure = _find_section(guide["notice"]["sections"], "procedure")
    steps = [dict(step, block=_block(guide, step["clause"])) for step in (compiled or {}).get("procedure_steps", [])]
    pages = {}
    for lang in LANGS:
        ui = {key: value[lang] for key, value in {**ENGINE, **UI}.items()}
        described = descriptions(guide, steps, lang, changes)
        lang_folder = "" if lang == "zh" else f"{lang}/"

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
            # The site's root, from a page `depth` folders into its edition's folder.
            root=lambda depth: "../" * (depth + (1 if lang != "zh" else 0) + prefix.count("/")),
            programme=None,
            group=None,
            changes=changes,
        )

        def before_url(ref, depth):
            """A clause of the edition before, from a page of this one."""
            page_id, _, anchor = ref.partition("#")
            return common["root"](depth) + lang_folder + edition.get("before_prefix", "") + page_path(page_id) + f"#{anchor}"

        def put(name, template, depth, page_id, **extra):
            """Render one page with its description."""
            pages[f"{lang}/{prefix}{name}"] = env.get_template(template).render(
                common, depth=depth, description=described[page_id], **extra
            )

        put("index.md", "index.md.j2", 0, "index")
        put("notice.md", "page.md.j2", 1, "notice", page=guide["notice"])
        for prog in guide["programmes"]:
            put(
                f"programmes/{prog['id']}.md",
                "page.md.j2",
                2,
                prog["id"],
                page=prog,
                programme=(compiled or {}).get("programmes", {}).get(prog["id"], {"checklist": [], "unmodelled": []}),
                group=guide["groups"].get(prog.get("group")),
            )
        if compiled:
            put("compare.md", "compare.md.j2", 1, "compare", facts=FACTS)
        put("procedure.md", "procedure.md.j2", 1, "procedure", steps=steps, intro=procedure["blocks"][0])
        put("glossary.md", "glossary.md.j2", 1, "glossary", terms=guide["glossary"])
        put("about.md", "about.md.j2", 1, "about", source_url=source_url, generated=generated)
        put("checker.md", "checker.md.j2", 1, "checker")
        if compiled:
            templates = {ext: {"path": template_path(guide["edition"], lang, ext), "name": template_name(guide["edition"], lang, ext)}
                         for ext in ("xlsx", "csv")}
            put("batch.md", "batch.md.j2", 1, "batch", templates=templates)
        if changes:
            put("changes.md", "changes.md.j2", 1, "changes", before_url=before_url)
    return pages


def nav(guide, compiled, lang, prefix="", changes=False):
    """The navigation of one language, mirroring the guide's structure; `prefix` is the edition's folder,
    and `changes` adds its "what changed" page."""
    ui = UI
    programmes = []
    grouped = {}
    for prog in guide["programmes"]:
        entry = {prog["title"][lang]: f"{prefix}programmes/{prog['id']}.md"}
        group = prog.get("group")
        if group:
            if group not in grouped:
                grouped[group] = []
                programmes.append({guide["groups"][group]["title"][lang]: grouped[group]})
            grouped[group].append(entry)
        else:
            programmes.append(entry)
    items = [
        {ui["home"][lang]: f"{prefix}index.md"},
        {ui["notice"][lang]: f"{prefix}notice.md"},
        {ui["programmes"][lang]: programmes},
    ]
    if compiled:
        items.append({ui["compare"][lang]: f"{prefix}compare.md"})
    items += [
        {ui["checker"][lang]: f"{prefix}checker.md"},
        *([{ui["batch"][lang]: f"{prefix}batch.md"}] if compiled else []),
        {ui["procedure"][lang]: f"{prefix}procedure.md"},
        *([{ui["changes"][lang]: f"{prefix}changes.md"}] if changes else []),
        {ui["glossary"][lang]: f"{prefix}glossary.md"},
        {ui["about"][lang]: f"{prefix}about.md"},
    ]
    return items
