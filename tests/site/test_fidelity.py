"""Every sentence of the official Chinese text appears on the built Chinese pages."""

import re

import pytest

from sitehtml import html_pages, parse

# Lines of the PDF text that are not part of the guide's content, with the reason.
NOT_CONTENT = {
    "（注：按住 ctrl 键，单击鼠标可激活链接，到达相应页面）": "an instruction for the PDF's links (Ctrl+click), meaningless on the web",
}
ENUMERATOR = re.compile(r"(?=[（(][一二三四五六七八九十\d]+[）)])|(?=[一二三四五六七八九十]+、)|(?<![\d.])(?=\d+[.、](?!\d))")


BODY_START = "2022 年度市级科技计划储备项目申报须知"


def seed_fragments(text):
    """The seed as whitespace-free fragments: split at sentence ends and before enumerators.

    The cover and the table of contents come first, one fragment per line (the title's two
    lines joined); the body starts at the notice's heading.
    """
    cover, body = text.split(BODY_START, 1)
    cover_lines = [re.sub(r"\s+", "", line) for line in cover.splitlines()]
    cover_lines = [re.sub(r"\.{5,}\d+$", "", line) for line in cover_lines if line and not line.isdigit()]
    cover_lines = [line for line in cover_lines if line not in {re.sub(r"\s+", "", n) for n in NOT_CONTENT}]
    fragments = [cover_lines[0] + cover_lines[1]] + cover_lines[2:]
    kept = []
    for line in (BODY_START + body).splitlines():
        stripped = line.strip()
        if not stripped or stripped.isdigit() or stripped in NOT_CONTENT:
            continue
        kept.append(stripped)
    joined = re.sub(r"\s+", "", "".join(kept))
    for sentence in re.split(r"(?<=[。；;])", joined):
        fragments += [f for f in ENUMERATOR.split(sentence) if len(f) > 1]
    return fragments


def site_text(site_dir, lang):
    """All article text of one language's pages, whitespace removed."""
    return "".join(re.sub(r"\s+", "", "".join(parse(p).parts)) for _, p in sorted(html_pages(site_dir, lang).items()))


@pytest.fixture(scope="module")
def zh_text(site_dir):
    return site_text(site_dir, "zh")


def test_every_sentence_of_the_seed_is_on_the_chinese_site(zh_text, source_text):
    fragments = seed_fragments(source_text)
    assert len(fragments) > 250, "the seed was not split into sentences"
    missing = [f for f in fragments if f not in zh_text]
    assert not missing, f"{len(missing)} of {len(fragments)} seed fragments missing, e.g. {missing[:5]}"


def test_the_fidelity_check_notices_a_changed_character(source_text):
    fragments = seed_fragments(source_text)
    text = "".join(fragments).replace("六十周岁以下", "六十周岁以上")
    assert [f for f in fragments if f not in text]


def test_the_source_document_is_published_verbatim(site_dir, source_text):
    published = list((site_dir / "assets" / "source").glob("guide-*.txt"))
    assert len(published) == 1
    assert published[0].read_text(encoding="utf-8") == source_text
