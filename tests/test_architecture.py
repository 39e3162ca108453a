"""The shape of the code, checked: no import cycles between modules, no oversized modules.

``lint-imports`` (run by scripts/test) checks the contracts in ``.importlinter`` between
*packages and layers*; a cycle between two modules inside one package passes those
contracts. This file closes that gap with grimp, the graph library import-linter is built
on: it reads every import of ``kg`` and ``endpoint``, type-only ones (``if TYPE_CHECKING:``)
included, because a type-only import still ties two modules together for a reader.

It also keeps modules small enough to read in one sitting (issue #10: no module over
~400 lines without a stated reason). A module that must stay larger is named in
``LONG_MODULES`` with the reason; the list starts empty.
"""

from __future__ import annotations

import grimp

from kg.settings import PROJECT_ROOT

PACKAGES = ("kg", "endpoint")
MAX_LINES = 400

#: Modules allowed over ``MAX_LINES``: path relative to the repository → why it cannot be split.
LONG_MODULES: dict[str, str] = {}


def import_graph() -> grimp.ImportGraph:
    """Every module of the packages and their imports, type-only imports included (no cache
    file is written into the work tree)."""
    return grimp.build_graph(*PACKAGES, exclude_type_checking_imports=False, cache_dir=None)


def strongly_connected(graph: grimp.ImportGraph) -> list[list[str]]:
    """The groups of modules that reach each other through imports (Tarjan's algorithm,
    iterative); a group of more than one module, or a module importing itself, is a cycle."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    groups: list[list[str]] = []
    for root in sorted(graph.modules):
        if root in index:
            continue
        work = [(root, iter(sorted(graph.find_modules_directly_imported_by(root))))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            module, targets = work[-1]
            target = next(targets, None)
            if target is not None:
                if target not in index:
                    index[target] = low[target] = len(index)
                    stack.append(target)
                    on_stack.add(target)
                    work.append((target, iter(sorted(graph.find_modules_directly_imported_by(target)))))
                elif target in on_stack:
                    low[module] = min(low[module], index[target])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[module])
            if low[module] == index[module]:
                group = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    group.append(member)
                    if member == module:
                        break
                groups.append(sorted(group))
    return groups


def describe_cycle(graph: grimp.ImportGraph, group: list[str]) -> str:
    """One concrete cycle through the first module of a group, and every module in it."""
    first = group[0]
    members = set(group)
    for target in sorted(graph.find_modules_directly_imported_by(first)):
        if target in members:
            back = graph.find_shortest_chain(importer=target, imported=first) or ()
            chain = " -> ".join((first, *back))
            return f"{chain}\n    (all {len(group)} modules of this cycle: {', '.join(group)})"
    return ", ".join(group)


def test_every_folder_of_modules_is_a_package() -> None:
    # grimp and lint-imports skip a folder without __init__.py (a namespace package) in silence,
    # so its imports would escape both checks.
    folders = {path.parent for package in PACKAGES for path in (PROJECT_ROOT / package).rglob("*.py")}
    missing = sorted(str(folder.relative_to(PROJECT_ROOT)) for folder in folders if not (folder / "__init__.py").exists())
    assert not missing, "folders of modules without __init__.py (invisible to the import checks): " + ", ".join(missing)


def test_no_import_cycles_between_modules() -> None:
    graph = import_graph()
    cycles = [group for group in strongly_connected(graph)
              if len(group) > 1 or group[0] in graph.find_modules_directly_imported_by(group[0])]
    report = "\n".join(f"  {describe_cycle(graph, group)}" for group in cycles)
    print(f"{len(cycles)} import cycle(s) between modules of {', '.join(PACKAGES)}:\n{report}")
    assert not cycles, f"import cycles between modules (type-only imports included):\n{report}"


def test_no_module_over_the_line_limit_without_a_reason() -> None:
    sizes = {
        str(path.relative_to(PROJECT_ROOT)): len(path.read_text(encoding="utf-8").splitlines())
        for package in PACKAGES for path in sorted((PROJECT_ROOT / package).rglob("*.py"))
    }
    over = {name: lines for name, lines in sizes.items() if lines > MAX_LINES and name not in LONG_MODULES}
    report = "\n".join(f"  {name}: {lines} lines" for name, lines in sorted(over.items()))
    print(f"modules over {MAX_LINES} lines without a reason in LONG_MODULES:\n{report}")
    assert not over, f"modules over {MAX_LINES} lines (split them, or name them in LONG_MODULES with the reason):\n{report}"
    stale = sorted(name for name in LONG_MODULES if sizes.get(name, 0) <= MAX_LINES)
    assert not stale, f"LONG_MODULES names modules that are gone or short now: {stale}"
