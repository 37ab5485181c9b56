"""The package is built in floors (README, "How the code is organised"): each folder imports only from the floors
below it, never sideways or up, and no module imports another module's private (underscored) names."""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "jobsim"

#: Folder -> its floor, as README's table says: a folder may import from a lower floor only. ``calibrate`` sits
#: beside ``runner``, ``validation`` beside ``studies``: on one floor, neither imports the other.
FLOORS = {"model": 0, "runner": 1, "calibrate": 1, "report": 2, "gsa": 3, "studies": 4, "validation": 4, "fit": 5,
          "cli": 6}
#: Modules every floor may import: the package itself (``__version__``, lazily loaded names) and its errors.
GROUND = {"jobsim", "jobsim.errors"}


def modules() -> list[tuple[str, Path, ast.Module]]:
    """``(dotted name, path, tree)`` of every module of the package."""
    out = []
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = list(path.relative_to(ROOT).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        out.append((".".join(parts), path, ast.parse(path.read_text(encoding="utf-8"))))
    return out


def imports(name: str, path: Path, tree: ast.Module) -> list[tuple[int, str, list[str]]]:
    """``(line, module, names)`` of every import of jobsim in ``tree`` (in functions too), made absolute."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out += [(node.lineno, alias.name, []) for alias in node.names if alias.name.split(".")[0] == "jobsim"]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[:len(package.split(".")) - node.level + 1]
                module = ".".join([*base, *([node.module] if node.module else [])])
            else:
                module = node.module or ""
            if module.split(".")[0] == "jobsim":
                out.append((node.lineno, module, [alias.name for alias in node.names]))
    return out


def floor_of(module: str) -> str | None:
    """The folder (floor) a dotted module name belongs to, or None for the package's top-level modules."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[1] in FLOORS else None


def test_every_folder_imports_only_from_the_floors_below_it():
    wrong = []
    for name, path, tree in modules():
        here = floor_of(name)
        if here is None:
            continue
        for line, module, names in imports(name, path, tree):
            # `from jobsim import runner` reaches a floor, `from jobsim import __version__` the ground
            targets = [f"jobsim.{n}" for n in names if n in FLOORS] if module == "jobsim" else [module]
            for target in targets:
                there = floor_of(target)
                if target in GROUND or there == here:
                    continue
                if there is None or FLOORS[there] >= FLOORS[here]:
                    wrong.append(f"{path.relative_to(ROOT)}:{line} ({here}) imports {target}")
    assert wrong == []


def test_no_module_imports_a_private_name_of_another():
    wrong = [f"{path.relative_to(ROOT)}:{line} imports {n} from {module}"
             for name, path, tree in modules() for line, module, names in imports(name, path, tree)
             for n in names if n.startswith("_") and n != "__version__"]
    assert wrong == []


def test_the_readme_table_has_a_row_for_every_folder():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## How the code is organised", 1)[1].split("\n## ", 1)[0]
    rows = re.findall(r"^\| `jobsim/(\w+)/` \|", section, flags=re.MULTILINE)
    folders = sorted(p.name for p in PACKAGE.iterdir() if (p / "__init__.py").is_file())
    assert set(folders) <= set(rows)  # (the table also has a row for the scenarios' data folder)
    assert sorted(FLOORS) == folders
