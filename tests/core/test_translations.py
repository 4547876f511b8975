"""Every message shown to users has an English text (``huodong translations`` lists the missing)."""

import pytest

from core import i18n_tools


@pytest.mark.parametrize("owner", sorted(i18n_tools.owners()))
def test_catalog_is_complete(owner):
    missing = i18n_tools.missing(owner)
    assert not missing, f"{len(missing)} messages of {owner} lack English (run `huodong translations`): {missing[:10]}"


@pytest.mark.parametrize("owner", sorted(i18n_tools.owners()))
def test_english_texts_survive_the_templates_formatting(owner):
    """Jinja's ``_()`` always applies ``%`` to the text: a lone ``%`` in an English text (``Achieved (%)``)
    breaks the page in English only. A message whose Chinese has a ``%`` is used from Python, where
    formatting only happens with arguments."""
    broken = []
    for message in i18n_tools.load(owner):
        if message.id and message.string and isinstance(message.id, str) and "%" not in message.id:
            try:
                message.string % {}
            except (ValueError, TypeError):
                broken.append(f"{message.id} → {message.string}")
    assert not broken, f"English texts of {owner} with a lone % (write it as a word or %%): {broken}"


def test_the_base_layouts_messages_are_extracted_with_the_cores():
    """templates/base.html belongs to no folder of templates: its messages (the menu's name, the skip link)
    are read into the core's catalog on their own."""
    found = i18n_tools.extract(i18n_tools.owners()["core"])
    assert {"跳到正文", "主菜单", "菜单"} <= set(found)
    assert any(place.startswith("base.html:") for place in found["跳到正文"])
