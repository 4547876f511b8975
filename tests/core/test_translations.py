"""Every message shown to users has an English text (``huodong translations`` lists the missing)."""

import pytest

from core import i18n_tools


@pytest.mark.parametrize("owner", sorted(i18n_tools.owners()))
def test_catalog_is_complete(owner):
    missing = i18n_tools.missing(owner)
    assert not missing, f"{len(missing)} messages of {owner} lack English (run `huodong translations`): {missing[:10]}"
