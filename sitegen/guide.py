"""Load and validate one edition of the guide (guide_src/<edition>/)."""

import re
from pathlib import Path

from . import inputs
from .errors import BuildError, join_path
from .schema import BILINGUAL, boolean, check, ident, integer, iso_date, one_of, optional, text_str, year_month
from .yamlio import load_yaml

BLOCK = {"id": ident, "zh": text_str, "en": text_str, "note": optional(BILINGUAL)}
SECTION = {"id": ident, "heading": BILINGUAL, "note": optional(BILINGUAL), "blocks": optional([BLOCK])}
SECTION["sections"] = optional([SECTION])

NOTICE = {"id": ident, "title": BILINGUAL, "heading": BILINGUAL, "sections": [SECTION]}
PROGRAMME = dict(NOTICE, order=integer, group=optional(ident))

# A draft is being prepared from the previous edition: it is built under its year with a banner saying
# so, and never served as the current edition (sitegen/editions.py).
DRAFT = "draft"
STATUSES = ("open", "closed", DRAFT)
EDITION = {
    "edition": text_str,
    "title": BILINGUAL,
    "issuer": BILINGUAL,
    "call": {
        "status": one_of(*STATUSES),
        "published": year_month,
        "deadline": optional(iso_date),
        "notice": BILINGUAL,
    },
    "contents_heading": BILINGUAL,
    "groups": optional([{"id": ident, "title": BILINGUAL, "heading": BILINGUAL}]),
}
GLOSSARY = {
    "terms": [
        # `except`: Chinese contexts where the term's characters occur without being the term.
        # `gloss`: the English keeps the Chinese word (万元) and, where it explains it, explains it as `en`.
        # `avoid`: English renderings that drifted from `en` and that no English text may use.
        {"id": ident, "zh": text_str, "en": text_str, "note": optional(BILINGUAL), "except": optional([text_str]),
         "gloss": optional(boolean), "avoid": optional([text_str])}
    ]
}


def edition_years(root):
    """The edition folders under guide_src/ (folders named by year), oldest first."""
    years = sorted(p.name for p in Path(root).iterdir() if p.is_dir() and re.fullmatch(r"\d{4}", p.name))
    if not years:
        raise BuildError(root, "", "no edition folder (expected e.g. guide_src/2022/)")
    return years


def latest_edition(root):
    """The newest edition folder under guide_src/."""
    return edition_years(root)[-1]


def _load(path, schema, root):
    """One YAML file of guide_src/ (`root`), validated; (data, its name in messages)."""
    # guide_src/'s parent is the repository: messages name files from there, and no link below it is followed.
    repo = Path(root).absolute().parent
    display = inputs.shown(path, repo)
    return check(load_yaml(path, repo), schema, display), display


def _anchors(page, display):
    """Collect every section and block id of a page, refusing duplicates."""
    seen = {}

    def walk(sections, path):
        for i, section in enumerate(sections):
            spath = join_path(join_path(path, "sections") if path else "sections", i)
            _claim(seen, section["id"], join_path(spath, "id"), display)
            for j, block in enumerate(section.get("blocks") or []):
                _claim(seen, block["id"], join_path(join_path(join_path(spath, "blocks"), j), "id"), display)
            walk(section.get("sections") or [], spath)

    walk(page["sections"], "")
    return set(seen)


def _claim(seen, anchor, path, display):
    if anchor in seen:
        raise BuildError(display, path, f"duplicate id {anchor!r} (also at {seen[anchor]})")
    seen[anchor] = path


def load_edition(root, edition=None):
    """Load guide_src/<edition>: metadata, glossary, notice and programmes, all validated.

    Returns a plain dict; nothing is written. Raises BuildError on the first problem.
    """
    root = Path(root)
    edition = edition or latest_edition(root)
    folder = root / edition
    if not folder.is_dir():
        raise BuildError(folder, "", "edition folder not found")
    inputs.regular_files(folder, root.absolute().parent)  # no link, pipe or oversized file anywhere in it
    meta, meta_file = _load(folder / "edition.yaml", EDITION, root)
    if meta["edition"] != edition:
        raise BuildError(meta_file, "edition", f"says {meta['edition']!r} but the folder is {edition!r}")
    meta["call_notice"] = call_notice(meta, meta_file)
    meta["issued"] = {lang: format_month(meta["call"]["published"], lang) for lang in ("zh", "en")}
    deadline = meta["call"].get("deadline")
    meta["deadline"] = {lang: format_date(deadline, lang) for lang in ("zh", "en")} if deadline else None
    glossary, _ = _load(folder / "glossary.yaml", GLOSSARY, root)
    notice, notice_file = _load(folder / "notice.yaml", NOTICE, root)
    if notice["id"] != "notice":
        raise BuildError(notice_file, "id", "must be 'notice'")
    pages = {"notice": notice}
    anchors = {"notice": _anchors(notice, notice_file)}
    groups = {g["id"]: g for g in meta.get("groups") or []}
    programmes = []
    files = sorted((folder / "programmes").glob("*.yaml"))
    if not files:
        raise BuildError(folder / "programmes", "", "no programme files")
    for path in files:
        page, display = _load(path, PROGRAMME, root)
        if page["id"] != path.stem:
            raise BuildError(display, "id", f"{page['id']!r} must match the file name {path.stem!r}")
        if page.get("group") and page["group"] not in groups:
            raise BuildError(display, "group", f"unknown group {page['group']!r} (edition.yaml groups: {sorted(groups)})")
        anchors[page["id"]] = _anchors(page, display)
        pages[page["id"]] = page
        programmes.append(page)
    programmes.sort(key=lambda p: (p["order"], p["id"]))
    source = folder / "source.txt"
    return {
        "edition": edition,
        "folder": folder,
        "meta": meta,
        "groups": groups,
        "glossary": glossary["terms"],
        "notice": notice,
        "programmes": programmes,
        "pages": pages,
        "anchors": anchors,
        "source": source,
        # Read now, as every input is: the build publishes these bytes, and a link is refused.
        "source_bytes": inputs.read_bytes(source, root.absolute().parent),
    }


MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December")
# What a call's notice may name: the edition's own facts, so that each is written once.
NOTICE_FIELDS = ("edition", "title", "issuer", "published", "deadline")


def format_month(value, lang):
    """'2021-10' as the guide writes it: '2021 年 10 月' / 'October 2021'."""
    year, month = (int(part) for part in value.split("-"))
    return f"{year} 年 {month} 月" if lang == "zh" else f"{MONTHS[month - 1]} {year}"


def format_date(value, lang):
    """'2027-03-31' as '2027 年 3 月 31 日' / '31 March 2027'."""
    year, month, day = (int(part) for part in value.split("-"))
    return f"{year} 年 {month} 月 {day} 日" if lang == "zh" else f"{day} {MONTHS[month - 1]} {year}"


def call_notice(meta, display):
    """The notice every page shows, in both languages, with {edition}, {title}, {issuer}, {published}
    and {deadline} filled in. An open call must have a deadline, and its notice must show it."""
    call = meta["call"]
    if call["status"] == "open" and not call.get("deadline"):
        raise BuildError(display, "call.deadline", "missing: an open call needs its deadline")
    if call["status"] == "closed" and call.get("deadline"):
        raise BuildError(display, "call.deadline", "a closed call shows no deadline (remove it, or set status: open)")
    notices = {}
    for lang in ("zh", "en"):
        text = call["notice"][lang]
        for name in re.findall(r"\{(\w*)\}", text):
            if name not in NOTICE_FIELDS or (name == "deadline" and not call.get("deadline")):
                raise BuildError(display, f"call.notice.{lang}", f"unknown placeholder {{{name}}} (allowed: {', '.join(NOTICE_FIELDS[:-1])}, and deadline for an open call)")
        if call["status"] == "open" and "{deadline}" not in text:
            raise BuildError(display, f"call.notice.{lang}", "an open call's notice must show {deadline}")
        values = {
            "edition": meta["edition"],
            "title": meta["title"][lang],
            "issuer": meta["issuer"][lang],
            "published": format_month(call["published"], lang),
            "deadline": format_date(call["deadline"], lang) if call.get("deadline") else "",
        }
        notices[lang] = text.format(**values)
    return notices


_ENUM = {
    "zh": re.compile(r"^\s*([（(][一二三四五六七八九十\d]+[）)]|[一二三四五六七八九十]+、|\d+[.、．])"),
    "en": re.compile(r"^\s*(\([IVXLC\d]+\)|[IVXLC]+\.|\d+\.)"),
}


def clause_labels(guide):
    """A short human name for every anchor, as the guide numbers it: 'notice#basic-4' -> 一、（四） / I. (IV).

    The top section's enumerator, then the clause's own; a clause without one is named by its
    section's heading.
    """
    labels = {}

    def enum(text, lang):
        match = _ENUM[lang].match(text)
        return match.group(1) if match else ""

    def walk(page_id, sections, top):
        for section in sections:
            head = top or section["heading"]
            ref = f"{page_id}#{section['id']}"
            labels[ref] = {lang: section["heading"][lang] for lang in ("zh", "en")}
            for block in section.get("blocks") or []:
                label = {}
                for lang in ("zh", "en"):
                    own, outer = enum(block[lang], lang), enum(head[lang], lang)
                    joined = outer + ("" if lang == "zh" else " ") + own
                    label[lang] = joined if own and outer else (own or section["heading"][lang])
                labels[f"{page_id}#{block['id']}"] = label
            walk(page_id, section.get("sections") or [], head)

    for page_id, page in guide["pages"].items():
        walk(page_id, page["sections"], None)
    return labels
