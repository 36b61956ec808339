"""Hypothesis strategies for what an attacker or a broken client sends: unicode of
every kind, control characters, huge and odd numbers, markup and injection attempts,
nested JSON of the wrong types, files that are not what their names say."""

import json

from django.core.files.uploadedfile import SimpleUploadedFile
from hypothesis import strategies as st

SPECIMENS = [
    "", " ", "\x00", "a\x00b", "\r\n", "\t", "\u202e", "\ufeff", "\U0001f415", "ß" * 5,
    "0", "-1", "-0", "1e309", "NaN", "Infinity", "0x1F", "9" * 40, str(2**63), str(-(2**63) - 1),
    "1,2", "1.5", "31.02.2026", "2026-13-45", "00.00.0000",
    "<script>alert(1)</script>", "' OR 1=1 --", "\"; DROP TABLE x; --", "{{ 7*7 }}",
    "#{7*7}", "%00", "%", "../../etc/passwd", "//evil.example", "javascript:alert(1)",
    "a" * 5000, "null", "true", "[]", "{}", '{"a":', "[" * 100,
]

# Characters that break parsers: controls, the C1 block, surrogate-adjacent planes,
# right-to-left marks, and everything else.
_odd_characters = st.characters(codec="utf-8", categories=["Cc", "Cf", "Zs", "Zl", "Lo", "So"])

text = st.one_of(
    st.sampled_from(SPECIMENS),
    st.text(max_size=40),
    st.text(_odd_characters, max_size=40),
    st.integers().map(str),
    st.floats().map(repr),
    st.text(st.sampled_from("0123456789,.-+eE "), max_size=30),
)

# Form fields and query parameters: usually one value, sometimes several.
value = st.one_of(text, st.lists(text, min_size=2, max_size=3))

json_value = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | text,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(text, inner, max_size=4),
    max_leaves=15,
)


def parameters(names) -> st.SearchStrategy:
    """A dict of hostile values, mostly under the parameter names the view reads."""
    key = st.one_of(st.sampled_from(sorted(names)), text) if names else text
    return st.dictionaries(key, value, max_size=6)


def json_body(names) -> st.SearchStrategy:
    """A JSON body as bytes: an object of hostile values under the names the view reads,
    any JSON at all, or bytes that are no JSON."""
    keyed = st.dictionaries(st.one_of(st.sampled_from(sorted(names)), text), json_value,
                            max_size=6)
    as_json = st.one_of(keyed, json_value).map(
        lambda v: json.dumps(v, allow_nan=True).encode())
    return st.one_of(as_json, st.binary(max_size=200),
                     st.integers(1, 5000).map(lambda depth: b"[" * depth + b"]" * depth))


_file_starts = st.sampled_from([b"", b"%PDF-1.7\n", b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff",
                                b"PK\x03\x04", b"standort;lat;lon\n", b'{"type":'])


def upload() -> st.SearchStrategy:
    """A file whose name, type and content need not agree."""
    return st.builds(
        lambda name, start, rest, media_type: SimpleUploadedFile(
            name, start + rest, content_type=media_type),
        st.one_of(st.sampled_from(["a.pdf", "a.csv", "a.json", "a.geojson", "a.exe",
                                   "../../a.pdf", "ä ö.pdf", ".pdf", "x" * 300 + ".pdf"]),
                  st.text(st.characters(codec="utf-8", exclude_characters="\x00/\\"),
                          min_size=1, max_size=30)),
        _file_starts, st.binary(max_size=1500),
        st.sampled_from(["application/pdf", "text/csv", "application/json", "image/png",
                         "application/octet-stream", ""]),
    )
