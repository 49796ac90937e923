"""Optional packages: the core works without them, and each use of one names the extra that installs it.

Absence is simulated in this process: with ``sys.modules[name] = None`` an ``import name`` fails as if the
package were not installed. tests/test_install.py checks a real core install in a fresh environment.
"""
from __future__ import annotations

import configparser
import importlib
import re
import sys
from pathlib import Path
from typing import Any, Callable

import networkx as nx
import pytest

import citegraph
from citegraph.text.optional import EXTRAS, MissingExtra, require

ROOT = Path(__file__).resolve().parent.parent
SEEDS = sorted(str(p) for p in (ROOT / "corpus").glob("*.txt"))


@pytest.fixture
def hide(monkeypatch: pytest.MonkeyPatch) -> Callable[..., None]:
    """``hide("pyvis", ...)``: those packages (and their loaded submodules) cannot be imported until the test ends."""
    def _hide(*names: str) -> None:
        for name in names:
            for m in [m for m in sys.modules if m == name or m.startswith(name + ".")]:
                monkeypatch.delitem(sys.modules, m)
            monkeypatch.setitem(sys.modules, name, None)
    return _hide


def _spacy_component() -> Any:
    sys.modules.pop("citegraph.spacy_component", None)
    return importlib.import_module("citegraph.spacy_component")


def _validate() -> Any:
    from citegraph.rdf.triples import to_rdf, validate

    return validate(to_rdf(nx.MultiDiGraph()))


def _to_dataframe() -> Any:
    from citegraph.graph.queries import toy_graph

    return citegraph.to_dataframe(toy_graph(), "documents")


CASES = [
    ("pyvis", lambda: citegraph.to_pyvis(nx.MultiDiGraph()),
     "citegraph.to_pyvis needs pyvis: pip install 'citegraph[notebooks]'"),
    ("pandas", _to_dataframe, "citegraph.to_dataframe needs pandas: pip install 'citegraph[notebooks]'"),
    ("IPython", lambda: citegraph.show(nx.MultiDiGraph()),
     "citegraph.show needs ipython: pip install 'citegraph[notebooks]'"),
    ("pyshacl", _validate, "SHACL validation needs pyshacl: pip install 'citegraph[shacl]'"),
    ("spacy", _spacy_component, "citegraph.spacy_component needs spacy: pip install 'citegraph[spacy]'"),
]


@pytest.mark.parametrize("package,use,message", CASES, ids=[c[0] for c in CASES])
def test_each_use_of_an_optional_package_names_its_extra(hide: Callable[..., None], monkeypatch: pytest.MonkeyPatch,
                                                         package: str, use: Callable[[], Any], message: str) -> None:
    pytest.importorskip(package)  # installed here (the test extra has them all): hiding it is what is tested
    # the spaCy component module is imported again under the hidden spacy; put the real one back afterwards
    monkeypatch.setitem(sys.modules, "citegraph.spacy_component", sys.modules.get("citegraph.spacy_component"))
    use()  # works while the package is there
    hide(package)
    with pytest.raises(MissingExtra) as e:
        use()
    assert str(e.value) == message and isinstance(e.value, ImportError) and e.value.name == package


def test_a_broken_dependency_of_an_installed_package_is_not_reported_as_a_missing_extra(
        hide: Callable[..., None]) -> None:
    pytest.importorskip("pyvis")
    hide("jinja2", "pyvis")  # pyvis imports jinja2: its error is jinja2's own, not "install citegraph[notebooks]"
    sys.modules.pop("pyvis")  # the loaded pyvis is forgotten and can be imported again; jinja2 cannot
    with pytest.raises(ImportError) as e:
        require("pyvis.network", "citegraph.to_pyvis")
    assert not isinstance(e.value, MissingExtra) and e.value.name == "jinja2"


def test_the_core_builds_and_draws_with_no_optional_package(hide: Callable[..., None], tmp_path: Path) -> None:
    """Extraction, the graph, RDF and the offline page need none of them (the page never needed pyvis)."""
    hide(*EXTRAS)
    G = citegraph.build(SEEDS)
    html = citegraph.to_html(G, tmp_path / "g.html").read_text(encoding="utf-8")
    assert "<canvas" in html and not re.search(r"<script[^>]+src=", html)
    assert len(G.rdf) > 0 and G.nx.number_of_nodes() > 0


def _requirement_names(lines: str) -> dict[str, set[str]]:
    """``{"dask": {"distributed"}, "pyshacl": set()}`` from setup.cfg requirement lines (name → its extras)."""
    out: dict[str, set[str]] = {}
    for line in lines.split():
        m = re.match(r"([A-Za-z0-9_.\-]+)(?:\[([^\]]*)\])?", line)
        if m:
            out[m.group(1).lower()] = {x.strip() for x in (m.group(2) or "").split(",") if x.strip()}
    return out


def test_the_extras_of_setup_cfg_install_what_the_errors_say() -> None:
    cfg = configparser.ConfigParser()
    cfg.read(ROOT / "setup.cfg", encoding="utf-8")
    extras = {k: _requirement_names(v) for k, v in cfg["options.extras_require"].items()}
    core = _requirement_names(cfg["options"]["install_requires"])

    def closure(extra: str) -> dict[str, set[str]]:  # with the extras it names of citegraph itself
        reqs = dict(extras[extra])
        for sub in reqs.pop("citegraph", set()):
            reqs.update(closure(sub))
        return reqs

    for module, (extra, package) in EXTRAS.items():
        assert extra in extras, (module, extra)
        reqs = closure(extra)
        assert package.lower() in reqs or any(package in x for x in reqs.values()) or package == "ipython", module
        assert package.lower() not in core, f"{package} is optional but in install_requires"
        assert set(closure("all")) >= set(reqs) and set(closure("test")) >= set(reqs)
    assert "ipykernel" in closure("notebooks")  # brings IPython, for citegraph.show and the notebooks
