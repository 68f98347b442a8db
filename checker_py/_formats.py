"""One formatter per kind of quantity, used by the engine, the CLI and the site alike: money is
"3000 万元" in Chinese and "CNY 30 million" in English (never a bare 万 in English), dates as the
guide writes them.
"""

from decimal import ROUND_FLOOR, Decimal


def number(value):
    """A JSON number identical on every platform: ints stay ints, others floored to 2 decimals."""
    if isinstance(value, int):
        return value
    d = Decimal(str(value)).quantize(Decimal("0.01"), rounding=ROUND_FLOOR)
    return int(d) if d == d.to_integral_value() else float(d)


def plain(value):
    """A number as printed: 4000, 12.5 (at most 2 decimals, floored)."""
    return str(number(value))


def money(wan, lang):
    """An amount given in 万元: '3000 万元' / 'CNY 30 million', '20 万元' / 'CNY 200,000'."""
    if lang == "zh":
        return f"{plain(wan)} 万元"
    yuan = Decimal(str(wan)) * 10000
    millions = yuan / 1_000_000
    if millions >= 1 and millions == millions.quantize(Decimal("0.01")):
        return f"CNY {number(millions):,} million"
    return f"CNY {number(yuan):,}"


def money_range(low, high, lang):
    """A funding range: '200–1000 万元' / 'CNY 2–10 million', '20–50 万元' / 'CNY 200,000–500,000'."""
    if Decimal(str(low)) == Decimal(str(high)):
        return money(low, lang)  # a range closed to one amount
    if lang == "zh":
        return f"{plain(low)}–{plain(high)} 万元"
    low_m, high_m = Decimal(str(low)) / 100, Decimal(str(high)) / 100
    if high_m >= 1 and low_m == low_m.quantize(Decimal("0.01")) and high_m == high_m.quantize(Decimal("0.01")):
        return f"CNY {number(low_m):,}–{number(high_m):,} million"
    return f"{money(low, lang)}–{money(high, lang)[4:]}"


MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")


def date_text(iso, lang):
    """A date as the guide writes it: '1962 年 1 月 1 日' / '1 January 1962' (or a year or a month alone:
    '1961 年 12 月' / 'December 1961')."""
    parts = [int(part) for part in iso.split("-")]
    if lang == "zh":
        return " ".join(f"{part} {unit}" for part, unit in zip(parts, "年月日"))
    if len(parts) == 1:
        return str(parts[0])
    month = f"{MONTHS[parts[1] - 1]} {parts[0]}"
    return f"{parts[2]} {month}" if len(parts) == 3 else month


def phrase(text, **values):
    """A string-table text with its {slots} filled; a plural text ({"count": slot, "one": …, "other": …})
    takes the form that the number in its count slot calls for."""
    if isinstance(text, dict):
        text = text["one" if values[text["count"]] == 1 else "other"]
    return text.format(**values)


def percent(value):
    """A percentage as the guide writes it: '70%'."""
    return f"{plain(value)}%"


def param_text(param, lang):
    """A parameter's value as text in `lang`."""
    kind, value = param["type"], param["value"]
    if kind == "date":
        return date_text(value, lang)
    if kind == "money":
        return money(value, lang)
    if kind == "money_range":
        return money_range(value["min"], value["max"], lang)
    if kind == "percent":
        return percent(value)
    if kind == "count":
        return plain(value)
    return param["text"][lang]  # options: their words, made by the build from the field's labels


def one_line(text):
    """A message as one printable line: a field name from the input may hold a newline or a control."""
    return "".join(c if c.isprintable() else c.encode("unicode_escape").decode("ascii") for c in text)
