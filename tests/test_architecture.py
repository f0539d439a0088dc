"""The import graph: layers (import-linter contracts in pyproject.toml) and no import cycles at any depth.

docs/architecture.md describes the layers; these tests keep the code to them:

* ``lint-imports`` checks the contracts: core < users < councils < consultations | elections
  < home < config (a lower layer never imports a higher one, consultations and elections never
  import each other), and ``elections.protocol`` imports nothing of the project or Django;
* no import cycle between project modules, counting imports at any depth: an import inside a
  function only postpones a cycle to run time, it does not remove the dependency, so the
  graph is built from every ``import`` statement of every module (ast, all nesting levels).
  Cycles inside one app count, and so do cycles across apps and layers;
* imports inside functions only where Django requires them (``AppConfig.ready`` connecting
  receivers and checks) or for a named reason (listed in ``FUNCTION_LEVEL_IMPORTS_ALLOWED``);
* the election protocol imports only the standard library, PyNaCl and itself.
"""

import ast
import sys
from pathlib import Path

import grimp
from importlinter.cli import lint_imports

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("core", "users", "councils", "consultations", "elections", "home", "config")


def _source(module):
    path = ROOT.joinpath(*module.split("."))
    file = path.with_suffix(".py")
    return file if file.exists() else path / "__init__.py"


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


def _resolve(module, node):
    """The absolute module name(s) an import statement names (``from . import x`` gives the
    submodule ``pkg.x`` when it is one, else the package)."""
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    package = module if _source(module).name == "__init__.py" else module.rpartition(".")[0]
    if node.level:
        base = package.split(".")
        base = base[: len(base) - (node.level - 1)] if node.level > 1 else base
        base = ".".join(base)
        target = f"{base}.{node.module}" if node.module else base
    else:
        target = node.module
    names = []
    for alias in node.names:
        candidate = f"{target}.{alias.name}"
        names.append(candidate if _is_module(candidate) else target)
    return names


def _is_module(name):
    path = ROOT.joinpath(*name.split("."))
    return path.with_suffix(".py").exists() or (path / "__init__.py").exists()


def _project_modules():
    for package in PACKAGES:
        for file in sorted((ROOT / package).rglob("*.py")):
            relative = file.relative_to(ROOT).with_suffix("")
            parts = relative.parts[:-1] if relative.name == "__init__" else relative.parts
            module = ".".join(parts)
            if ".migrations" in module or ".tests" in module:
                continue
            yield module


def _owner(module, known):
    """The project module an imported name belongs to (``a.b.C`` -> ``a.b``), or None."""
    while module and module not in known:
        module = module.rpartition(".")[0]
    return module or None


def all_import_edges():
    """Every import between project modules, at any depth (module level, class body, function),
    with the line numbers, from the source text itself."""
    modules = set(_project_modules())
    edges = {}
    for module in modules:
        for node in ast.walk(ast.parse(_source(module).read_text())):
            if not isinstance(node, ast.Import | ast.ImportFrom):
                continue
            for name in _resolve(module, node):
                imported = _owner(name, modules)
                if imported and imported != module and not module.startswith(imported + "."):
                    lines = edges.setdefault(module, {}).setdefault(imported, [])
                    if node.lineno not in lines:
                        lines.append(node.lineno)
    return {
        module: {imported: sorted(lines) for imported, lines in targets.items()} for module, targets in edges.items()
    }


def _function_level_imports():
    """(module, line, imported name) for every import inside a function or method."""
    found = set()
    for module in _project_modules():
        tree = ast.parse(_source(module).read_text())
        for function in ast.walk(tree):
            if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            for node in ast.walk(function):
                if isinstance(node, ast.Import | ast.ImportFrom):
                    names = [alias.name for alias in node.names]
                    target = ("." * getattr(node, "level", 0)) + (getattr(node, "module", None) or "")
                    found.add((module, function.name, target or ",".join(names)))
    return sorted(found)


# Imports inside functions that stay: {(module, function, imported): reason}. Imports in
# ``AppConfig.ready`` are allowed without a reason; everything else is imported at the top of the
# module. Empty today: add an entry only with the reason Django (or the library) needs it.
FUNCTION_LEVEL_IMPORTS_ALLOWED = {}


def test_import_contracts_hold():
    assert lint_imports(config_filename=str(ROOT / "pyproject.toml"), no_cache=True) == 0


def test_no_import_cycles_through_function_level_imports():
    edges = all_import_edges()
    found = cycles({module: set(targets) for module, targets in edges.items()})
    described = [
        " -> ".join(component)
        + "  via "
        + ", ".join(
            f"{a}->{b} (line {','.join(map(str, edges[a][b]))})" for a in component for b in edges[a] if b in component
        )
        for component in found
    ]
    assert described == []


def test_function_level_imports_only_where_needed():
    unexplained = [
        entry
        for entry in _function_level_imports()
        if entry not in FUNCTION_LEVEL_IMPORTS_ALLOWED and entry[1] != "ready"
    ]
    assert unexplained == []


def test_all_import_edges_sees_imports_inside_functions(tmp_path, monkeypatch):
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "__init__.py").write_text("")
    (tmp_path / "pkg" / "a.py").write_text("from . import b\n")
    (tmp_path / "pkg" / "b.py").write_text("def f():\n    from .a import x\n    from pkg import c\n")
    (tmp_path / "pkg" / "c.py").write_text("class K:\n    def m(self):\n        import pkg.a\n")
    monkeypatch.setattr(sys.modules[__name__], "ROOT", tmp_path)
    monkeypatch.setattr(sys.modules[__name__], "PACKAGES", ("pkg",))
    edges = all_import_edges()
    assert edges == {"pkg.a": {"pkg.b": [1]}, "pkg.b": {"pkg.a": [2], "pkg.c": [3]}, "pkg.c": {"pkg.a": [3]}}
    assert cycles({m: set(t) for m, t in edges.items()}) == [["pkg.a", "pkg.b", "pkg.c"]]
    assert ("pkg.b", "f", ".a") in _function_level_imports()


def test_cycle_finder_finds_a_cycle_inside_one_package():
    edges = {"a.x": {"a.y"}, "a.y": {"a.z"}, "a.z": {"a.x"}, "b": {"a.x"}}
    assert cycles(edges) == [["a.x", "a.y", "a.z"]]
    assert cycles({"a": {"b"}, "b": {"c"}}) == []


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
