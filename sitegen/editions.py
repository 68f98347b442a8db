"""The site's editions: the newest published one at the site's root, every other under its year
(`2022/`, `en/2022/`), each complete; what changed from the edition before; what every page's header
needs to switch between them; and the new edition an editor starts with `build.py edition`.

`Site` is built from the loaded editions and writes nothing; `make_edition()` copies folders.
"""

import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from . import changes as changes_mod
from . import inputs
from .errors import BuildError
from .guide import DRAFT, edition_years
from checker_py.strings import UI

LANGS = ("zh", "en")


@dataclass
class Edition:
    """One edition of the site: its guide and rules, where it is served, and how it differs from the one before."""

    guide: dict
    compiled: dict  # None for an edition whose rules are not written yet
    prefix: str = ""  # its folder in the site ("" at the root, "2022/" under its year)
    current: bool = False
    changes: dict = None  # from the edition before, or None for the oldest
    pages: dict = field(default_factory=dict)  # the rendered Markdown, {"zh/2022/notice.md": text}

    @property
    def year(self):
        """The edition's year, as its folder is named."""
        return self.guide["edition"]

    @property
    def draft(self):
        """True while the edition is a draft: built under its year, never served as current."""
        return self.guide["meta"]["call"]["status"] == DRAFT

    def paths(self):
        """The site path of every page of the edition, within its folder ("", "notice/", "programmes/major/")."""
        folder = f"zh/{self.prefix}"  # both languages have the same pages
        names = [rel[len(folder): -len(".md")] for rel in self.pages if rel.startswith(folder)]
        return sorted("" if name == "index" else f"{name}/" for name in names)

    def summary(self):
        """What another edition's pages need of this one: its label, folder and pages."""
        label = {lang: UI["edition_label"][lang].format(edition=self.year)
                 + (UI["edition_current"][lang] if self.current else UI["edition_draft"][lang] if self.draft else "")
                 for lang in LANGS}
        return {"edition": self.year, "label": label, "prefix": self.prefix, "pages": self.paths(),
                "current": self.current, "draft": self.draft}


class Site:
    """Every edition of the guide, oldest first; the current one is the newest that is not a draft."""

    def __init__(self, loaded):
        """`loaded`: [(guide, compiled)] of every edition folder, oldest first."""
        self.editions = [Edition(guide, compiled) for guide, compiled in loaded]
        published = [e for e in self.editions if not e.draft]
        if not published:
            folder = self.editions[-1].guide["folder"]
            raise BuildError(inputs.shown(folder / "edition.yaml", folder.absolute().parent.parent), "call.status",
                             "every edition is a draft: the site needs one published edition (status: open or closed)")
        self.current = published[-1]
        for before, edition in zip([None, *self.editions], self.editions):
            edition.current = edition is self.current
            edition.prefix = "" if edition.current else f"{edition.year}/"
            if before is not None:
                edition.changes = changes_mod.compare(_sides(before), _sides(edition))

    def untranslated(self, repo):
        """Clauses whose Chinese changed while their English did not: an error in a published edition
        (raised), a warning in a draft (returned as lines)."""
        warnings = []
        for edition in self.editions:
            for file, path in changes_mod.untranslated(edition.changes) if edition.changes else ():
                problem = BuildError(inputs.shown(file, repo), f"{path}.en",
                                     f"needs translation: the Chinese changed since {self.before(edition).year}, the English did not")
                if not edition.draft:
                    raise problem
                warnings.append(f"warning: {problem.format()}")
        return warnings

    def older_than(self, edition):
        """The editions before `edition`, newest first."""
        return [e for e in reversed(self.editions) if e.year < edition.year]

    def template_extras(self, edition):
        """What an edition's pages read from `config.extra` about the editions: this one, all of them
        (newest first, for the switcher), and the current one when this is not (an older edition or a draft)."""
        return {
            "edition": edition.summary(),
            "editions": [e.summary() for e in reversed(self.editions)],
            # The current call, which an older edition's pages and a draft's name on every page.
            "newest": None if edition.current else self.current.summary(),
            # A share link from before links named their edition was made under the first edition.
            "unmarked": self.editions[0].year,
        }

    def changes_since(self, edition):
        """{older edition: the changes since then that a returning applicant may be told of}."""
        since = {}
        for older in self.older_than(edition):
            if older.compiled is None or edition.compiled is None:
                continue
            changes = edition.changes if older is self.before(edition) else changes_mod.compare(_sides(older), _sides(edition))
            since[older.year] = changes_mod.for_applicants(changes)
        return since

    def before(self, edition):
        """The edition just before `edition`, or None."""
        index = self.editions.index(edition)
        return self.editions[index - 1] if index else None


def _sides(edition):
    """An edition as changes.compare reads it."""
    return {"guide": edition.guide, "compiled": edition.compiled}


# ------------------------------------------------------------------ a new edition from the last one


STEPS = """\
Made edition {new} (a draft) from {old}:
  guide_src/{new}/   copied from guide_src/{old}/ (status: draft)
  rules/{new}/       copied from rules/{old}/

What is left, in order (an afternoon for a call that keeps its structure):
  1. Replace guide_src/{new}/source.txt with the official text of the {new} call, and edition.yaml's
     title and `published` month with the new guide's.
  2. In rules/{new}/parameters.yaml, change every value that moved together with its `quote`, the
     clause's words as the new source.txt writes them; the build refuses a value its quote does not state.
  3. In guide_src/{new}/, change every clause whose Chinese changed (its id stays), and its English; the
     build lists each clause whose English is still {old}'s ("needs translation").
  4. `make site`, then read the draft at {new}/ and its "what changed" page ({new}/changes/).
  5. To publish: in guide_src/{new}/edition.yaml set call.status to open with its deadline (or closed)
     and a notice; `make test`. The root then shows {new}, and {old} stays under {old}/.
"""


def make_edition(guide_root, rules_root, new, old=None):
    """Copy the guide and rules of edition `old` (default: the newest) to `new`, as a draft; return the steps left."""
    guide_root, rules_root = Path(guide_root), Path(rules_root)
    if not re.fullmatch(r"\d{4}", str(new)):
        raise BuildError(guide_root, "", f"the new edition is a year (e.g. 2023), got {new!r}")
    old = old or edition_years(guide_root)[-1]
    for root in (guide_root, rules_root):
        if not (root / old).is_dir():
            raise BuildError(root / old, "", "edition folder not found")
        if (root / new).exists():
            raise BuildError(root / new, "", "exists already: the new edition's folders must not")
    repo = guide_root.absolute().parent
    for root in (guide_root, rules_root):
        inputs.regular_files(root / old, repo)  # no link or special file is copied
    try:
        shutil.copytree(guide_root / old, guide_root / new)
        shutil.copytree(rules_root / old, rules_root / new)
        _edit(guide_root / new / "edition.yaml", [
            (r'^edition: "?\d{4}"?$', f'edition: "{new}"'),
            (r"^(  status: )\w+$", rf"\g<1>{DRAFT}"),
            (r"^  deadline: .*\n", ""),
        ])
        _edit(rules_root / new / "common.yaml", [(r'^edition: "?\d{4}"?$', f'edition: "{new}"')])
        _edit(guide_root / new / "edition.yaml", [(rf"(?<!\d){old}(?!\d)", new)], only="title")
    except BaseException:
        shutil.rmtree(guide_root / new, ignore_errors=True)
        shutil.rmtree(rules_root / new, ignore_errors=True)
        raise
    return STEPS.format(new=new, old=old)


def _edit(path, replacements, only=None):
    """Apply (pattern, replacement) to a file's lines, keeping its comments and layout; with `only`,
    within that top-level key's block alone."""
    text = path.read_text(encoding="utf-8")
    if only:
        match = re.search(rf"^{only}:\n(?:[ #].*\n)*", text, re.M)
        if match is None:
            return
        block = match.group(0)
        for pattern, replacement in replacements:
            block = re.sub(pattern, replacement, block)
        text = text[: match.start()] + block + text[match.end():]
    else:
        for pattern, replacement in replacements:
            text = re.sub(pattern, replacement, text, flags=re.M)
    path.write_text(text, encoding="utf-8")
