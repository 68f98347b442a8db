"""The search index: one entry per clause, in its page's language, with the words a query can match.

MkDocs' search plugin indexes whole sections as flattened HTML, so a query lands on a heading and a
table or the glossary outranks the clause that says the thing. This index is made from the guide
itself instead: every clause is an entry pointing at its anchor, with its own text for the excerpt;
headings and pages are entries too; the comparison table, glossary and other pages are indexed by
their useful parts with a lower boost, so they rank below the clauses.

Chinese text is cut with jieba's search mode (`cut_for_search`), which also yields the shorter words
inside a long one (发明专利 -> 发明, 专利, 发明专利), so 专利 finds 发明专利. The browser's search
worker (assets/search.js) cuts a query with the same token pattern and matches it against these
words; the pattern travels in the index, so both sides use one definition.

The entries load only when a reader searches. Material's bundle fetches search/search_index.json on
every page load, parses it on the main thread and copies it into the search worker; so that file keeps
only Material's config (the highlighter needs its separator) and names each language's entries file,
which the worker fetches itself at the first query. (Parsing the whole index, copying it into the
worker and collecting the garbage cost a page load 60-100 ms of main-thread time under a phone's
4x CPU slowdown, and 57 KB of network while the page was loading.)

`index()` and `files()` are pure; `write_index()` replaces the search plugin's output in a built site.
"""

import json
import logging
import re
from pathlib import Path

from .guide import clause_labels
from .render import FACTS, page_path
from checker_py.strings import ENGINE, UI

# A word for search: a run of Han characters (cut further by jieba), a number, a Latin word, or %.
TOKEN = r"[\u3400-\u4dbf\u4e00-\u9fff]+|[0-9]+(?:\.[0-9]+)?|[a-z]+|%"
# Relative weights: the guide's clauses, headings and pages come first; pages that repeat the
# clauses' words (the comparison table, the glossary) or only describe the site come after them.
BOOST = {"guide": 1.0, "table": 0.3, "site": 0.2}
INDEX_PATH = Path("search") / "search_index.json"
LANGS = ("zh", "en")


def entries_key(lang, edition=None):
    """The key of one language's entries file in the config: `zh`, or `2022.zh` for an edition under its year."""
    return f"{edition}.{lang}" if edition else lang


def entries_path(lang, edition=None):
    """Site path of one language's entries file (the worker fetches it)."""
    return f"search/search_index.{entries_key(lang, edition)}.json"


def words(text, lang):
    """The searchable words of a text: lower case; Chinese cut by jieba's search mode."""
    text = text.lower()
    if lang == "zh" and re.search(r"[\u3400-\u9fff]", text):
        import jieba

        jieba.setLogLevel(logging.WARNING)
        pieces = jieba.cut_for_search(text)
    else:
        pieces = [text]
    return [word for piece in pieces for word in re.findall(TOKEN, piece)]


def _entry(lang, location, title, text, boost, context=None):
    """One index entry; `context` is the (location, title) shown above it in the results."""
    prefix = "en/" if lang == "en" else ""
    entry = {
        "location": prefix + location,
        "lang": lang,
        "title": title,
        "text": text,
        "boost": boost,
        "words": {"title": words(title, lang), "text": words(text, lang)},
    }
    if context:
        entry["context"] = {"location": prefix + context[0], "title": context[1]}
    return entry


def _guide_entries(guide, lang):
    """The notice and programme pages: the page, each heading, each clause."""
    labels = clause_labels(guide)
    for page_id, page in guide["pages"].items():
        path = page_path(page_id)
        title = page["title"][lang]
        yield _entry(lang, path, title, page["heading"][lang], BOOST["guide"])

        def walk(sections, parents):
            for section in sections:
                heading = section["heading"][lang]
                where = " › ".join([title, *parents, heading])
                here = f"{path}#{section['id']}"
                yield _entry(lang, here, heading, "", BOOST["guide"], (path, " › ".join([title, *parents])))
                for block in section.get("blocks") or []:
                    label = labels[f"{page_id}#{block['id']}"][lang]
                    yield _entry(lang, f"{path}#{block['id']}", label, block[lang], BOOST["guide"], (here, where))
                yield from walk(section.get("sections") or [], [*parents, heading])

        yield from walk(page["sections"], [])


def _site_entries(guide, compiled, lang):
    """The other pages, by their useful parts: table rows, glossary terms, procedure steps, titles."""
    ui = {key: value[lang] for key, value in {**ENGINE, **UI}.items()}
    yield _entry(lang, "", ui["home"], guide["meta"]["title"][lang], BOOST["site"])
    if compiled:
        yield _entry(lang, "compare/", ui["compare"], ui["compare_intro"], BOOST["site"])
        for fact in FACTS:
            values = [p["facts"][fact][lang] for p in compiled["programmes"].values() if p["facts"].get(fact)]
            row = f"compare/#fact-{fact.replace('_', '-')}"
            yield _entry(lang, row, ui[f"fact_{fact}"], " · ".join(values), BOOST["table"], ("compare/", ui["compare"]))
    yield _entry(lang, "glossary/", ui["glossary"], ui["glossary_intro"], BOOST["site"])
    for term in guide["glossary"]:
        text = term["note"][lang] if term.get("note") else ""
        location = f"glossary/#term-{term['id'].replace('_', '-')}"
        yield _entry(lang, location, f"{term['zh']} · {term['en']}", text, BOOST["table"], ("glossary/", ui["glossary"]))
    yield _entry(lang, "procedure/", ui["procedure"], ui["procedure_intro"], BOOST["site"])
    for number, step in enumerate((compiled or {}).get("procedure_steps", []), 1):
        who = f"{ui['who']}{ui['colon']}{step['who'][lang]}"
        yield _entry(lang, f"procedure/#step-{number}", step["text"][lang], who, BOOST["site"], ("procedure/", ui["procedure"]))
    yield _entry(lang, "checker/", ui["checker"], ui["privacy"], BOOST["site"])
    yield _entry(lang, "about/", ui["about"], ui["prevails"], BOOST["site"])


def index(guide, compiled, config, folder=""):
    """The whole index for both languages; `config` is the search plugin's, kept for Material's UI;
    `folder` is the edition's in the site ("2022/" for an edition under its year)."""
    docs = []
    for lang in LANGS:
        docs += _guide_entries(guide, lang)
        docs += _site_entries(guide, compiled, lang)
    return {"config": dict(config, token=TOKEN), "docs": _moved(docs, folder) if folder else docs}


def _moved(docs, folder):
    """The entries of an edition served under its folder: `en/notice/` becomes `en/2022/notice/`."""
    for doc in docs:
        language = "en/" if doc["lang"] == "en" else ""
        for place in (doc, doc.get("context")):
            if place:
                place["location"] = language + folder + place["location"][len(language):]
    return docs


def files(wholes):
    """{site path: content} of the index: Material's file with the config and no entries (it names
    each language's entries file, relative to the site root), and one entries file per language and
    edition. `wholes`: {edition under its year, or None for the site's root: its whole index}."""
    config = dict(next(iter(wholes.values()))["config"],
                  entries={entries_key(lang, edition): entries_path(lang, edition) for edition in wholes for lang in LANGS})
    out = {INDEX_PATH.as_posix(): {"config": config, "docs": []}}
    for edition, whole in wholes.items():
        for lang in LANGS:
            out[entries_path(lang, edition)] = {"docs": [doc for doc in whole["docs"] if doc["lang"] == lang]}
    return out


def write_index(site_dir, editions):
    """Replace the search plugin's index in a built site by these files (same config); `editions` is
    [(guide, compiled, folder)], the site's root edition with folder ""."""
    config = json.loads((Path(site_dir) / INDEX_PATH).read_text(encoding="utf-8"))["config"]
    wholes = {(guide["edition"] if folder else None): index(guide, compiled, config, folder) for guide, compiled, folder in editions}
    for rel, content in files(wholes).items():
        text = json.dumps(content, ensure_ascii=False, separators=(",", ":"))
        (Path(site_dir) / rel).write_text(text, encoding="utf-8")
