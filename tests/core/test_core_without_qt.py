"""``core`` never imports PySide6, qasync or the editor: every module imports with them blocked."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

PROBE = textwrap.dedent(
    """
    import importlib
    import importlib.abc
    import pkgutil
    import sys

    BLOCKED = ("PySide6", "shiboken6", "qasync", "editor")

    class Refuse(importlib.abc.MetaPathFinder):
        def find_spec(self, name, path=None, target=None):
            if name.split(".")[0] in BLOCKED:
                raise ImportError(f"core must not import {name}")
            return None

    sys.meta_path.insert(0, Refuse())

    # The blocker works: PySide6 is installed in this venv, yet cannot be imported.
    try:
        import PySide6  # noqa: F401
    except ImportError as exc:
        assert "core must not import PySide6" in str(exc), exc
    else:
        raise SystemExit("the import blocker does not block")

    import core

    failures = []
    names = ["core"]
    for info in pkgutil.walk_packages(core.__path__, "core.", onerror=failures.append):
        names.append(info.name)
    for name in names:
        try:
            importlib.import_module(name)
        except Exception as exc:
            failures.append(f"{name}: {type(exc).__name__}: {exc}")
    leaked = sorted(m for m in sys.modules if m.split(".")[0] in BLOCKED)
    print(len(names), "modules")
    if failures or leaked:
        raise SystemExit("\\n".join(map(str, failures + leaked)))
    """
)


def test_every_core_module_imports_with_qt_blocked(repo_root):
    env = {**os.environ, "LITELLM_LOCAL_MODEL_COST_MAP": "True", "PYTHONPATH": str(repo_root)}
    result = subprocess.run(
        [sys.executable, "-c", PROBE],
        cwd=repo_root,
        capture_output=True,
        text=True,
        timeout=300,
        env=env,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    count = int(result.stdout.split()[0])
    assert count >= 30, f"only {count} modules found under core/: the walk is broken"
