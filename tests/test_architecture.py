"""The import graph: layers (import-linter contracts in pyproject.toml) and no module-level cycles.

docs/architecture.md describes the layers; these tests keep the code to them:

* ``lint-imports`` checks the contracts: core < users < councils < consultations | elections
  < home < config (a lower layer never imports a higher one, consultations and elections never
  import each other), and ``elections.protocol`` imports nothing of the project or Django;
* no import cycle between project modules made of module-level imports (an import inside a
  function is not part of a cycle Python has to resolve at start-up, and is allowed only where
  Django requires it, e.g. ``AppConfig.ready``) — cycles inside one package count;
* the election protocol imports only the standard library, PyNaCl and itself.
"""

import ast
import sys
from pathlib import Path

import grimp
from importlinter.cli import lint_imports

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("core", "users", "councils", "consultations", "elections", "home", "config")


def _graph():
    return grimp.build_graph(*PACKAGES, cache_dir=None)


def _source(module):
    path = ROOT.joinpath(*module.split("."))
    file = path.with_suffix(".py")
    return file if file.exists() else path / "__init__.py"


def _module_level_import_lines(module):
    """Line numbers of the imports Python runs when the module is imported (not those in functions)."""
    lines = set()

    def walk(nodes):
        for node in nodes:
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
                continue
            if isinstance(node, ast.Import | ast.ImportFrom):
                lines.add(node.lineno)
            for child in ast.iter_child_nodes(node):
                if isinstance(child, ast.stmt | ast.ExceptHandler):
                    walk([child])

    walk(ast.parse(_source(module).read_text()).body)
    return lines


def module_level_edges(graph):
    edges = {}
    for module in graph.modules:
        if ".migrations" in module:
            continue
        lines = _module_level_import_lines(module)
        for imported in graph.find_modules_directly_imported_by(module):
            details = graph.get_import_details(importer=module, imported=imported)
            if any(detail["line_number"] in lines for detail in details):
                edges.setdefault(module, set()).add(imported)
    return edges


def cycles(edges):
    """Strongly connected components with more than one module (Tarjan, iterative)."""
    index, low, on_stack, stack, found = {}, {}, set(), [], []
    counter = 0
    for start in sorted(edges):
        if start in index:
            continue
        work = [(start, iter(sorted(edges.get(start, ()))))]
        index[start] = low[start] = counter
        counter += 1
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(edges.get(child, ())))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(sorted(component))
    return found


def test_import_contracts_hold():
    assert lint_imports(config_filename=str(ROOT / "pyproject.toml"), no_cache=True) == 0


def test_no_module_level_import_cycles():
    edges = module_level_edges(_graph())
    found = cycles(edges)
    described = [
        " -> ".join(component)
        + "  via "
        + ", ".join(f"{a}->{b}" for a in component for b in edges[a] if b in component)
        for component in found
    ]
    assert described == []


def test_cycle_finder_finds_a_cycle_inside_one_package():
    edges = {"a.x": {"a.y"}, "a.y": {"a.z"}, "a.z": {"a.x"}, "b": {"a.x"}}
    assert cycles(edges) == [["a.x", "a.y", "a.z"]]
    assert cycles({"a": {"b"}, "b": {"c"}}) == []


def test_function_level_imports_are_not_module_level(tmp_path, monkeypatch):
    source = "import os\nif os:\n    import json\nclass A:\n    import re\ndef f():\n    import sys\n"
    (tmp_path / "probe.py").write_text(source)
    monkeypatch.setattr(sys.modules[__name__], "ROOT", tmp_path)
    assert _module_level_import_lines("probe") == {1, 3, 5}


def test_election_protocol_imports_only_stdlib_nacl_and_itself():
    graph = grimp.build_graph("elections", "nacl", cache_dir=None, include_external_packages=True)
    outside = set()
    for module in graph.find_descendants("elections.protocol") | {"elections.protocol"}:
        for imported in graph.find_modules_directly_imported_by(module):
            top = imported.split(".")[0]
            if imported.startswith("elections.protocol") or top == "nacl" or top in sys.stdlib_module_names:
                continue
            outside.add(f"{module} -> {imported}")
    assert outside == set()
