"""The JSON log formatter used in production."""

import json
import logging

from django.test import RequestFactory

from mss_portal.logging import JsonFormatter


def _record(message="hello %s", args=("world",), exc_info=None, **extra):
    record = logging.LogRecord("mss.test", logging.ERROR, __file__, 10, message, args, exc_info)
    for key, value in extra.items():
        setattr(record, key, value)
    return record


def test_a_record_is_one_line_of_json():
    line = JsonFormatter().format(_record())
    assert "\n" not in line
    document = json.loads(line)
    assert document["message"] == "hello world"
    assert document["level"] == "ERROR"
    assert document["logger"] == "mss.test"
    assert document["time"].endswith("+00:00")


def test_an_exception_is_kept_as_one_field():
    try:
        raise ValueError("boom\nsecond line")
    except ValueError:
        import sys

        line = JsonFormatter().format(_record(exc_info=sys.exc_info()))
    assert "\n" not in line
    assert "ValueError: boom" in json.loads(line)["exc_info"]


def test_extra_fields_are_kept_and_a_request_is_reduced_to_method_and_path():
    request = RequestFactory().post("/admin/login/", {"password": "secret"}, HTTP_COOKIE="sessionid=abc")
    document = json.loads(JsonFormatter().format(_record(post_id=42, request=request, status_code=500)))
    assert document["post_id"] == 42
    assert document["status_code"] == 500
    assert document["request"] == {"method": "POST", "path": "/admin/login/"}
    assert "secret" not in json.dumps(document) and "abc" not in json.dumps(document)


def test_unserialisable_values_become_text():
    document = json.loads(JsonFormatter().format(_record(thing=object(), nested={"a": {1, 2}})))
    assert document["thing"].startswith("<object object")
    assert isinstance(document["nested"]["a"], str)
