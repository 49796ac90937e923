"""The package's layers: each module imports only its own layer and those below, and no import cycles.

Every import counts, at the top of a module or inside a function (an import put in a function to dodge a
cycle is still a cycle). The layers, bottom to top, are the subpackages in the order of the data flow.
"""
from __future__ import annotations

import ast
from pathlib import Path

import networkx as nx
import pytest

PKG = Path(__file__).resolve().parent.parent / "citegraph"

#: bottom to top; a module not in a subpackage is the top layer (corpus, cli, spacy_component, synth, the API)
LAYERS = ("text", "io", "extraction", "graph", "rdf", "outputs")
TOP = len(LAYERS)


def _module(path: Path) -> str:
    parts = path.relative_to(PKG.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _layer(module: str) -> int:
    parts = module.split(".")
    return LAYERS.index(parts[1]) if len(parts) > 1 and parts[1] in LAYERS else TOP


def _imports(path: Path) -> set[str]:
    """The citegraph modules a file imports, wherever the import stands (a package counts as its __init__)."""
    me = _module(path)
    out: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            out |= {a.name for a in node.names if a.name.split(".")[0] == "citegraph"}
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = me.split(".")[: len(me.split(".")) - node.level + (path.name == "__init__.py")]
                name = ".".join(base + ([node.module] if node.module else []))
            else:
                name = node.module or ""
            if name.split(".")[0] != "citegraph":
                continue
            for a in node.names:  # ``from citegraph.io import read`` imports the module citegraph.io.read
                sub = f"{name}.{a.name}"
                out.add(sub if _exists(sub) else name)
    out.discard(me)
    return out


def _exists(module: str) -> bool:
    p = PKG.parent / module.replace(".", "/")
    return p.with_suffix(".py").exists() or (p / "__init__.py").exists()


FILES = sorted(PKG.rglob("*.py"))
GRAPH = nx.DiGraph()
for f in FILES:
    GRAPH.add_node(_module(f))
    GRAPH.add_edges_from((_module(f), m) for m in _imports(f))


def test_the_package_has_its_layers_and_few_top_level_modules() -> None:
    assert {p.name for p in PKG.iterdir() if (p / "__init__.py").exists() and p.name != "ontology"} == set(LAYERS)
    assert len([p for p in PKG.glob("*.py")]) <= 10


@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(PKG)))
def test_imports_only_its_layer_and_below(path: Path) -> None:
    me = _module(path)
    above = sorted(m for m in _imports(path) if _layer(m) > _layer(me) and m != "citegraph.ontology")
    assert not above, f"{me} (layer {_layer(me)}) imports from layers above it: {above}"


def test_no_import_cycles() -> None:
    # the package's __init__ re-exports the API: it may import anything, and nothing may import it
    g = GRAPH.copy()
    importers_of_api = sorted(m for m in g.predecessors("citegraph") if m not in ("citegraph.cli",))
    assert not importers_of_api, f"modules below the top import the package's API: {importers_of_api}"
    g.remove_node("citegraph")
    cycles = list(nx.simple_cycles(g))
    assert not cycles, f"import cycles: {cycles[:5]}"


def test_no_type_checks_by_name() -> None:
    """``type(x).__name__ == "Document"`` is how a cycle hides: check the type itself."""
    found = []
    for f in FILES:
        for node in ast.walk(ast.parse(f.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Compare) and any(
                    isinstance(n, ast.Attribute) and n.attr == "__name__" and not
                    (isinstance(n.value, ast.Name) and n.value.id == "__name__") for n in ast.walk(node.left)):
                found.append(f"{f.relative_to(PKG)}:{node.lineno}")
    assert not found, f"type checks by name: {found}"


def test_the_checker_sees_a_violation(tmp_path: Path) -> None:
    """The checker itself: an upward import inside a function is found."""
    f = PKG / "text" / "_probe_for_test.py"
    f.write_text("def f():\n    from citegraph.graph.queries import grounds\n", encoding="utf-8")
    try:
        assert "citegraph.graph.queries" in _imports(f)
        assert _layer("citegraph.graph.queries") > _layer(_module(f))
    finally:
        f.unlink()


def test_every_public_name_resolves() -> None:
    import citegraph

    missing = [n for n in citegraph.__all__ if getattr(citegraph, n, None) is None]
    assert not missing, f"names in citegraph.__all__ that do not resolve: {missing}"
