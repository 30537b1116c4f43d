"""The parameter documentation is generated from the registry and must never go stale."""

from pathlib import Path

from sim.params import parameter_document

DOC = Path(__file__).resolve().parents[1] / "docs" / "parameters.md"


def test_docs__parameter_table_matches_the_registry():
    assert DOC.read_text() == parameter_document(), "regenerate: python -m sim.params > docs/parameters.md"


def test_docs__every_footwear_key_is_listed_with_its_unit():
    from sim.params import FOOTWEAR_LAYER_KEYS

    text = DOC.read_text()
    for p in FOOTWEAR_LAYER_KEYS.values():
        assert f"| `{p.name}` | {p.unit} |" in text, p.name
