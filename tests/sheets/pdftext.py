"""The text of each page of a PDF that LibreOffice wrote: enough to see what a printed page shows.

LibreOffice embeds each font as simple TrueType subsets (one-byte codes) with a ToUnicode map, and draws
text with Tj/TJ in its content streams; this reads exactly that, and nothing of PDF in general.
"""

import re
import zlib

_OBJECT = re.compile(rb"(\d+) 0 obj(.*?)endobj", re.S)
_REF = rb"(\d+) 0 R"
_TOKEN = re.compile(rb"/(\w+)\s+[\d.]+\s+Tf|<([0-9A-Fa-f\s]*)>|\(((?:\\.|[^\\)])*)\)|(T[Jj]|'|\")|(\[|\])")


def _stream(body):
    """The decoded stream of an object's body."""
    raw = body.split(b"stream", 1)[1].split(b"endstream", 1)[0].strip(b"\r\n")
    return zlib.decompress(raw) if b"/FlateDecode" in body.split(b"stream", 1)[0] else raw


def _unicode_map(cmap):
    """{code: text} of a ToUnicode CMap (bfchar and bfrange entries)."""
    table = {}
    for block in re.findall(rb"beginbfchar(.*?)endbfchar", cmap, re.S):
        for code, text in re.findall(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block):
            table[int(code, 16)] = bytes.fromhex(text.decode()).decode("utf-16-be")
    for block in re.findall(rb"beginbfrange(.*?)endbfrange", cmap, re.S):
        for low, high, start in re.findall(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block):
            first = int(start, 16)
            for offset, code in enumerate(range(int(low, 16), int(high, 16) + 1)):
                table[code] = chr(first + offset)
    return table


def _literal(text):
    """The bytes of a PDF literal string (its escapes undone)."""
    out = bytearray()
    i = 0
    while i < len(text):
        if text[i:i + 1] == b"\\":
            nxt = text[i + 1:i + 2]
            octal = re.match(rb"[0-7]{1,3}", text[i + 1:i + 4])
            if octal:
                out.append(int(octal.group(), 8))
                i += 1 + len(octal.group())
                continue
            out += {b"n": b"\n", b"r": b"\r", b"t": b"\t", b"b": b"\b", b"f": b"\f"}.get(nxt, nxt)
            i += 2
            continue
        out += text[i:i + 1]
        i += 1
    return bytes(out)


def pages(pdf):
    """[(width, height, text)] of each page, in order."""
    objects = {int(number): body for number, body in _OBJECT.findall(pdf)}

    def resolve(body, key):
        """The body an entry of a dictionary points to (or holds)."""
        match = re.search(rb"/" + key + rb"\s*" + _REF, body)
        if match:
            return objects[int(match.group(1))]
        match = re.search(rb"/" + key + rb"\s*(<<.*?>>)", body, re.S)
        return match.group(1) if match else b""

    tree = next(body for body in objects.values() if re.search(rb"/Type\s*/Pages\b", body) and b"/Parent" not in body)
    order = []

    def walk(node):
        """The page objects under a page tree node, in order."""
        for number in re.findall(_REF, re.search(rb"/Kids\s*\[(.*?)\]", node, re.S).group(1)):
            body = objects[int(number)]
            if re.search(rb"/Type\s*/Pages\b", body):
                walk(body)
            else:
                order.append(body)

    walk(tree)
    out = []
    for page in order:
        box = [float(x) for x in re.search(rb"/MediaBox\s*\[([^\]]*)\]", page + tree).group(1).split()]
        fonts = {}
        for name, number in re.findall(rb"/(\w+)\s+" + _REF, resolve(resolve(page, b"Resources") or resolve(tree, b"Resources"), b"Font")):
            font = objects[int(number)]
            fonts[name] = _unicode_map(_stream(resolve(font, b"ToUnicode"))) if b"/ToUnicode" in font else {}
        contents = re.search(rb"/Contents\s*(\[[^\]]*\]|" + _REF + rb")", page).group(1)
        text, font = [], {}
        for number in re.findall(_REF, contents):
            for match in _TOKEN.finditer(_stream(objects[int(number)])):
                if match.group(1):
                    font = fonts.get(match.group(1), {})
                elif match.group(2) is not None:
                    text += [font.get(b, "") for b in bytes.fromhex(match.group(2).decode().replace(" ", "").replace("\n", ""))]
                elif match.group(3) is not None:
                    text += [font.get(b, "") for b in _literal(match.group(3))]
        out.append((box[2] - box[0], box[3] - box[1], "".join(text)))
    return out
