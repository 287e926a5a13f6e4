"""Input that has broken web applications before, in one place for every test that needs it.

VALUES go into one parameter or form field at a time; RAW_QUERY_STRINGS are sent exactly as
written (invalid percent-encoded UTF-8, repeated parameters), where a client would not encode
them. A page or endpoint may refuse any of these with a 4xx and a message; it must never fail
with a 5xx.
"""

VALUES = [
    # Numbers: negative, zero, past 32 and 64 bits, in exponent form, not a number at all.
    "-1",
    "0",
    "2147483648",
    "9223372036854775808",
    "-99999999999999999999999999999",
    "9" * 400,
    "1e21",
    "1e309",
    "NaN",
    "-inf",
    # Dates at and past the ends of what datetime can hold (and of what a year has).
    "9999-12-31",
    "0001-01-01",
    "10000-01-01",
    "9999-12-31T23:59:59Z",
    "0001-01-01T00:00:00+14:00",
    "2025-02-30",
    "9999-12",
    # Text PostgreSQL refuses (NUL), control and direction-override characters.
    "a\x00b",
    "\x00",
    "\x01\x08\x1b[31m\x7f",
    "\u202egnp.exe",
    # Long text: far beyond any field's limit.
    "x" * 10000,
]

RAW_QUERY_STRINGS = [
    "{name}=%ff%fe",
    "{name}=%00",
    "{name}=%c0%af%ed%a0%80",
    "{name}=1&{name}=2&{name}=%ff",
    "{name}[]=1&{name}[a]=2",
    "{name}",
]


def raw_queries(name):
    """The raw query strings for one parameter."""
    return [template.format(name=name) for template in RAW_QUERY_STRINGS]
