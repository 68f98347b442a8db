"""The procedure page: a real step-by-step page made from the same next steps the checker gives,
each with who acts and the guide's own words for that step."""

import html as htmllib
import re

import pytest

from sitehtml import parse
from support import SITE


@pytest.fixture(scope="module")
def procedure_steps():
    from engine_cases import compiled_rules
    return compiled_rules()["procedure_steps"]


def _blocks(guide_page):
    """Every block of a guide page by id."""
    out = {}

    def walk(sections):
        for sec in sections:
            for block in sec.get("blocks") or []:
                out[block["id"]] = block
            walk(sec.get("sections") or [])
    walk(guide_page["sections"])
    return out


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_procedure_page_lists_every_step_with_who_acts_and_the_guides_words(guide, procedure_steps, lang):
    page = SITE / ("" if lang == "zh" else "en") / "procedure" / "index.html"
    html = page.read_text(encoding="utf-8")
    text = "".join(parse(page).parts)
    blocks = _blocks(guide["notice"])
    items = re.findall(r'<li class="procedure-step" id="step-(\d+)">(.*?)</li>', html, re.S)
    assert [int(n) for n, _ in items] == list(range(1, len(procedure_steps) + 1))
    assert len(procedure_steps) >= 5
    for (_, item), step in zip(items, procedure_steps):
        item = htmllib.unescape(item)
        assert step["text"][lang] in item and step["who"][lang] in item
        anchor = step["clause"].split("#")[1]
        assert blocks[anchor][lang] in text, anchor
        assert f'notice/#{anchor}"' in item
