"""The printed report: one or two A4 pages, whatever was answered, in both languages.

Printed by Chromium itself (page.pdf, A4) from a share link, for one programme and for all five,
with a full profile that fails some conditions and with a barely started one. The report holds the
answers by question, the questions still open, each programme's verdict and failing reasons with
absolute clause addresses, the date, the edition and the link that restores the answers.
"""

import copy
import json
import re
import zlib

import pytest

import support
from checker_py import evaluate, normalise
from test_checker import READY_TIMEOUT, _profiles, assert_local_and_clean, form_fields  # noqa: F401 (a fixture)


def printed_profiles():
    """A long report (every question answered, three achievements, several failing conditions) and
    a short one (only the unit's questions answered, so nearly everything is still open)."""
    base = _profiles()["major_eligible"]
    long = copy.deepcopy(base)
    first = long["project"]["achievements"][0]
    long["project"]["achievements"] = [first, dict(first, kind="invention_patent"), dict(first, date="2015-01-01")]
    long["leader"]["birth_date"] = "1960-01-01"
    long["unit"]["credit_rating"] = "C"
    return {"long": long, "started": {"unit": copy.deepcopy(base["unit"])}}


# The bytes a QR code holds at error correction M, by version (1 to 40; ISO/IEC 18004, table 7).
QR_M_BYTES = [None, 14, 26, 42, 62, 84, 106, 122, 152, 180, 213, 251, 287, 331, 362, 412, 450, 504, 560, 624, 666,
              711, 779, 857, 911, 997, 1059, 1125, 1190, 1264, 1370, 1452, 1538, 1628, 1722, 1809, 1911, 1989, 2099, 2213, 2331]


def item_answer_words(field, value, lang):
    """What a printed item line says of one of its answers: an option's wording, a date as given, or
    the question of a yes or no."""
    if field["type"] == "bool":
        return field["label"][lang]
    return next((o["label"][lang] for o in field.get("options", []) if o["value"] == value), str(value))


COLON = {"zh": "：", "en": ": "}


def cli_answers(profile, programme, lang):
    """The "answers given" lines of `python -m checker_py check` for the profile (without their items)."""
    import subprocess
    import sys
    import tempfile

    with tempfile.NamedTemporaryFile("w", suffix=".json", encoding="utf-8") as file:
        json.dump(profile, file)
        file.flush()
        out = subprocess.run([sys.executable, "-m", "checker_py", "check", file.name, "--lang", lang]
                             + (["--programme", programme] if programme else []),
                             capture_output=True, text=True, cwd=support.ROOT, check=False).stdout
    heading = {"zh": "所填答案：", "en": "Answers given:"}[lang]
    lines = out.split(heading + "\n", 1)[1].splitlines()
    return [line[2:] for line in lines if line.startswith("  ") and not line.startswith("    ")]


def pdf_pages(pdf):
    """The number of pages of a PDF Chromium wrote."""
    return len(re.findall(rb"/Type\s*/Page(?![s\w])", pdf))


def _pdf_objects(pdf):
    """A PDF's objects by number (their bodies, streams still encoded)."""
    return {int(m.group(1)): m.group(2) for m in re.finditer(rb"(\d+) 0 obj\s*(.*?)endobj", pdf, re.S)}


def _pdf_stream(body):
    """An object's stream, inflated when it is Flate-encoded (as Chromium's Skia writes them)."""
    m = re.search(rb"stream\r?\n(.*?)\r?\nendstream", body, re.S)
    return zlib.decompress(m.group(1)) if b"FlateDecode" in body[:m.start()] else m.group(1)


def _times(m, n):
    """The product of two PDF matrices [a b c d e f]."""
    a, b, c, d, e, f = m
    A, B, C, D, E, F = n
    return (a * A + b * C, a * B + b * D, c * A + d * C, c * B + d * D, e * A + f * C + E, e * B + f * D + F)


def text_extents(pdf):
    """Per page in order: (lowest, highest) baseline of the text drawn on it, in points from the page's
    foot (A4 is 842 pt high), or None for a page without text. Follows the content stream's matrices
    (q, Q, cm) and text positions (Tm, Td)."""
    objects = _pdf_objects(pdf)
    root = next(body for body in objects.values() if re.search(rb"/Type\s*/Pages\b", body) and b"/Parent" not in body)
    pages = [int(n) for n in re.findall(rb"(\d+) 0 R", re.search(rb"/Kids\s*\[(.*?)\]", root, re.S).group(1))]
    out = []
    for number in pages:
        content = _pdf_stream(objects[int(re.search(rb"/Contents\s+(\d+)", objects[number]).group(1))])
        ctm, stack, operands, ys, tm = (1, 0, 0, 1, 0, 0), [], [], [], None
        for token in re.findall(rb"\[[^\]]*\]|\((?:\\.|[^\\)])*\)|<[^>]*>|/[^\s/\[\]()<>]+|[^\s/\[\]()<>]+", content):
            try:
                operands.append(float(token))
                continue
            except ValueError:
                pass
            if token == b"q":
                stack.append(ctm)
            elif token == b"Q":
                ctm = stack.pop()
            elif token == b"cm":
                ctm = _times(tuple(operands[-6:]), ctm)
            elif token == b"Tm":
                tm = tuple(operands[-6:])
                ys.append(_times(tm, ctm)[5])
            elif token == b"Td" and tm:
                tm = _times((1, 0, 0, 1, operands[-2], operands[-1]), tm)
                ys.append(_times(tm, ctm)[5])
            operands = []
        out.append((min(ys), max(ys)) if ys else None)
    return out


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_printed_report_fits_on_one_or_two_a4_pages_and_holds_what_a_reader_needs(page, server, form_fields, lang):
    prefix = "" if lang == "zh" else "en/"
    page.goto(server.url + prefix + "checker/")
    page.evaluate("window.checker.ready")
    for name, profile in printed_profiles().items():
        for programme in (None, "major"):
            assert_printed_report(page, server, form_fields, lang, profile, programme)
    assert_local_and_clean(page, server)


def assert_printed_report(page, server, form_fields, lang, profile, programme):
    """Open the share link of (profile, programme), print it, and check the report."""
    page.evaluate("(hash) => { location.hash = hash; }", support.share_fragment(profile, programme))
    support.poll(page, f"document.querySelector('#ck-programme').value === {json.dumps(programme or '')}", 30)
    shown = normalise(page.evaluate("window.checker.currentProfile()"))  # as typed until the engine has read it
    judged = support.judged_profile(shown, programme)
    result = evaluate(judged, programme, lang=lang)["results"]
    verdicts = json.dumps({pid: res["verdict"] for pid, res in result.items()})
    support.poll(page, f"""JSON.stringify(Object.fromEntries([...document.querySelectorAll('.ck-programme[data-verdict]')]
        .map((s) => [s.dataset.programme, s.dataset.verdict]))) === JSON.stringify({verdicts})""", 30)
    page.evaluate("window.dispatchEvent(new Event('beforeprint'))")

    pdf = page.pdf(format="A4")
    pages = pdf_pages(pdf)
    assert 1 <= pages <= 2, f"{pages} pages"
    # Page 1 is full when the report runs on: its text reaches the last tenth of the page's text area
    # (A4 842 pt, 14 mm margins), no block having jumped to page 2 and left a gap.
    extents = text_extents(pdf)
    assert len(extents) == pages and all(extents)
    margin = 14 / 25.4 * 72
    if pages == 2:
        assert extents[0][0] < margin + 0.1 * (842 - 2 * margin), f"page 1's text ends {extents[0][0]:.0f} pt above the foot"

    page.emulate_media(media="print")  # for the checks below; page.pdf prints with print media anyway
    assert not page.locator(".ck-form").is_visible()
    # The date, the edition and the link that restores exactly these answers.
    meta = page.locator(".ck-print-meta").inner_text()
    assert evaluate(judged, programme, lang=lang)["judged_on"]["text"] in meta and "2022" in meta
    # The link that restores exactly these answers is in the QR code (which links it on screen).
    qr = page.locator(".ck-print-meta .ck-qr")
    assert qr.is_visible()
    link = page.locator(".ck-print-qr").get_attribute("href")
    assert link.startswith(server.url) and link.split("#")[0] in meta
    # A QR code of version v has 17 + 4v modules a side and holds at most so many bytes (level M).
    assert len(link.encode()) <= QR_M_BYTES[(int(qr.get_attribute("data-modules")) - 17) // 4]
    assert qr.bounding_box()["width"] >= 100  # about 32 mm: a phone reads it from the paper
    # No wall of link text: no printed word is longer than a clause's address.
    words = page.evaluate("document.body.innerText").split()
    assert max(len(w) for w in words) < 120, max(words, key=len)
    linked_programme, linked = support.read_share_fragment(link.split("#", 1)[1])
    assert (linked_programme, normalise(linked)) == (programme, shown)
    # Every answer judged, worded as the engine words it: the same lines as the CLI's report.
    answers = evaluate(judged, programme, lang=lang)["answers"]
    labels = {f["path"]: f["label"][lang] for f in form_fields}
    assert [a["path"] for a in answers] == [path for path in labels if support.value_at(judged, path) is not None]
    assert page.locator(".ck-print-dl dt").all_inner_texts() == [labels[a["path"]] for a in answers]
    assert page.locator(".ck-print-dl dd:not(.ck-print-items)").all_inner_texts() == [a["text"] for a in answers]
    cli = cli_answers(judged, programme, lang)
    assert cli == [f"{a['question']}{COLON[lang]}{a['text']}" for a in answers]
    # A list's items, one line each, with the wording of every answer the item holds.
    for answer in answers:
        if answer.get("items"):
            lines = page.locator(".ck-print-list").filter(has_text=answer["question"]).locator(".ck-items-given li").all_inner_texts()
            assert lines == answer["items"]
            item = support.value_at(judged, answer["path"])[0]
            field = next(f for f in form_fields if f["path"] == answer["path"])
            for sub in field["item_fields"]:
                if sub["path"] in item and sub["type"] != "date":
                    assert item_answer_words(sub, item[sub["path"]], lang) in lines[0], (sub["path"], lines[0])
    # The questions still open for a programme not ruled out, each once, by wording.
    still_open = {labels.get(path, path) for res in result.values() if res["verdict"] != "ineligible"
                  for path in res["missing"]}
    assert sorted(page.locator(".ck-print-open li").all_inner_texts()) == sorted(still_open)
    # Each programme's verdict, and its failing reasons with the clause's absolute address.
    for pid, res in result.items():
        section = page.locator(f'.ck-programme[data-programme="{pid}"]')
        assert section.get_attribute("data-verdict") == res["verdict"]
        failing = [r["id"] for r in res["rules"] if r["status"] in ("fail", "review")]
        for rule_id in failing:
            rule = section.locator(f'.ck-rule[data-rule="{rule_id}"]')
            assert rule.is_visible(), rule_id
            assert rule.locator("a.ck-clause").get_attribute("data-abs").startswith(server.url)
        # An undecided condition is not printed as a reason: its question is in the open list.
        assert not any(unknown.is_visible() for unknown in section.locator(".ck-rule-unknown").all())
    if "project" in profile:
        assert any(r["status"] == "fail" for res in result.values() for r in res["rules"])
    page.emulate_media(media=None)

