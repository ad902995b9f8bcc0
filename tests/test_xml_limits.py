"""``cartable.xml_limits``: the SACoche and LSU files are parsed with a bounded depth and only
the encodings such files have."""

import pytest

from cartable import xml_limits


def nested(depth: int) -> bytes:
    return b"<a>" * depth + b"</a>" * depth


def test_depth_up_to_the_limit_is_parsed_one_more_is_refused():
    root = xml_limits.fromstring(nested(xml_limits.MAX_DEPTH))
    assert root.tag == "a" and len(list(root.iter())) == xml_limits.MAX_DEPTH
    with pytest.raises(xml_limits.Refused, match="plus de 64 niveaux"):
        xml_limits.fromstring(nested(xml_limits.MAX_DEPTH + 1))


@pytest.mark.parametrize("encoding", ["UTF-8", "utf-8", "ISO-8859-1", "windows-1252"])
def test_the_encodings_of_real_files_are_read(encoding):
    data = f'<?xml version="1.0" encoding="{encoding}"?><a>élève</a>'.encode(
        "utf-8" if encoding.lower() == "utf-8" else "cp1252")
    assert xml_limits.fromstring(data).text == "élève"


@pytest.mark.parametrize("encoding", ["x-inconnu", "UTF-7", "rot13", "base64", "idna",
                                      "utf-16\x07"])
def test_other_declared_encodings_are_refused_in_french(encoding):
    data = f'<?xml version="1.0" encoding="{encoding}"?><a/>'.encode()
    with pytest.raises(xml_limits.Refused, match="il déclare l'encodage") as err:
        xml_limits.fromstring(data)
    assert "\x07" not in err.value.why


def test_a_dtd_is_still_defusedxmls_refusal():
    import defusedxml

    with pytest.raises(defusedxml.DefusedXmlException):
        xml_limits.fromstring(b'<!DOCTYPE a [<!ENTITY x "y">]><a>&x;</a>')
