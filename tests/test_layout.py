"""The folder tree shows the architecture, and stays true: checked with ``ast`` over cop_toolkit/.

Layers, lowest first: core < io < geo < analysis < building < figures < reports < teaching.
A module may import its own layer and the layers below, never one above; there are no
import cycles (imports inside functions count; ``if TYPE_CHECKING:`` imports do not run
and do not count); no module imports a private (``_x``) name from another module; no
function is over 100 lines.
"""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "cop_toolkit"
LAYERS = ["core", "io", "geo", "analysis", "building", "figures", "reports", "teaching"]
#: modules outside the layer folders: the lazy top level and one-line re-exports of old paths
TOP_LEVEL = {"cop_toolkit", "cop_toolkit.exercises"}
MAX_FUNCTION_LINES = 100


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def modules() -> dict[str, Path]:
    return {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def is_type_checking_block(node: ast.AST) -> bool:
    return isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test)


def runtime_imports(tree: ast.AST, name: str, is_package: bool):
    """Yield (target module, imported names) for every import that can run, at any depth."""
    package = name if is_package else name.rpartition(".")[0]
    stack = [tree]
    while stack:
        node = stack.pop()
        if is_type_checking_block(node):
            stack.extend(node.orelse)
            continue
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            yield target, [a.name for a in node.names]
        elif isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, []
        stack.extend(ast.iter_child_nodes(node))


def import_graph() -> tuple[dict[str, set[str]], list[tuple[str, str, str]]]:
    mods = modules()
    edges: dict[str, set[str]] = defaultdict(set)
    private: list[tuple[str, str, str]] = []
    for name, path in mods.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for target, names in runtime_imports(tree, name, path.name == "__init__.py"):
            if not target.startswith("cop_toolkit"):
                continue
            if not names:
                edges[name].add(target)
            for imported in names:
                as_module = f"{target}.{imported}"
                if as_module in mods:
                    edges[name].add(as_module)
                    continue
                edges[name].add(target)
                if imported.startswith("_") and not imported.startswith("__") and target != name:
                    private.append((name, target, imported))
    return edges, private


def layer_of(module: str) -> int | None:
    parts = module.split(".")
    if len(parts) > 1 and parts[1] in LAYERS:
        return LAYERS.index(parts[1])
    return None


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in edges.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in list(edges):
        if v not in index:
            visit(v)
    return found


def test_every_module_lives_in_a_layer_folder():
    loose = sorted(m for m in modules() if layer_of(m) is None and m not in TOP_LEVEL)
    assert loose == [], f"modules outside the layer folders {LAYERS}: {loose}"


def test_there_are_no_import_cycles_counting_imports_inside_functions():
    edges, _ = import_graph()
    # a package importing its own submodules is how packages work; a submodule importing
    # its package's __init__ back is a cycle, and is counted
    assert cycles(edges) == []


def test_no_module_imports_a_private_name_from_another_module():
    _, private = import_graph()
    assert private == [], "make the name public in the lower module: " + "; ".join(
        f"{a} imports {t}.{n}" for a, t, n in private
    )


def test_no_layer_imports_a_layer_above_it():
    edges, _ = import_graph()
    upward = sorted(
        (src, dst)
        for src, targets in edges.items()
        for dst in targets
        if layer_of(src) is not None and layer_of(dst) is not None and layer_of(dst) > layer_of(src)
    )
    assert upward == []


def test_no_function_is_over_100_lines():
    long = []
    for name, path in modules().items():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                lines = node.end_lineno - node.lineno + 1
                if lines > MAX_FUNCTION_LINES:
                    long.append(f"{name}.{node.name} ({lines} lines)")
    assert long == []


@pytest.mark.parametrize("layer", LAYERS)
def test_each_layer_folder_says_what_it_is_for_and_what_it_may_import(layer):
    doc = ast.get_docstring(ast.parse((PACKAGE / layer / "__init__.py").read_text(encoding="utf-8")))
    assert doc and "May import" in doc


def test_the_checker_finds_a_planted_cycle_and_a_private_import(tmp_path):
    tree_a = ast.parse("from cop_toolkit.core.b import _hidden\n")
    tree_b = ast.parse("def f():\n    from cop_toolkit.core import a\n")
    found_a = list(runtime_imports(tree_a, "cop_toolkit.core.a", False))
    found_b = list(runtime_imports(tree_b, "cop_toolkit.core.b", False))
    assert found_a == [("cop_toolkit.core.b", ["_hidden"])]
    assert found_b == [("cop_toolkit.core", ["a"])]
    assert cycles({"x": {"y"}, "y": {"x"}}) == [["x", "y"]]
    assert list(runtime_imports(ast.parse("if TYPE_CHECKING:\n    import cop_toolkit.io\n"), "m", False)) == []
