import pytest

from rathaus.request_json import MAX_DEPTH, JsonRefused, loads


def test_nesting_up_to_the_limit_is_read_and_brackets_in_strings_do_not_count():
    assert loads("[" * MAX_DEPTH + "]" * MAX_DEPTH) is not None
    assert loads('{"q": "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[\\"{{"}') == {
        "q": "[" * 40 + '"{{'}


@pytest.mark.parametrize("text", [
    "[" * (MAX_DEPTH + 1) + "]" * (MAX_DEPTH + 1),
    "[" * 100_000,
    b'{"q": "' + b"x" * 3_000_000 + b'"}',
    b"\xff",
    "{",
], ids=["one-too-deep", "very-deep", "too-large", "not-utf-8", "not-json"])
def test_what_a_request_may_not_send_is_refused_as_a_value_error(text):
    with pytest.raises(JsonRefused) as refused:
        loads(text)
    assert isinstance(refused.value, ValueError)
