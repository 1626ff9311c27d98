"""The type stubs match the runtime module, and the package declares itself typed."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import ihuyi


def test_stubtest_passes(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "mypy.stubtest", "ihuyi"],
        capture_output=True,
        text=True,
        # Anywhere but the source tree, so `ihuyi` is the installed package.
        cwd=tmp_path,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_package_is_typed_and_installed() -> None:
    package = Path(ihuyi.__file__).parent
    assert (package / "py.typed").is_file()
    assert (package / "_native.pyi").is_file()
    assert "site-packages" in str(package)


def test_public_names_are_documented() -> None:
    for name in ihuyi.__all__:
        value = getattr(ihuyi, name)
        if callable(value):
            assert value.__doc__ and len(value.__doc__) > 20, name
    for cls in (ihuyi.Client, ihuyi.Sandbox, ihuyi.Receipt, ihuyi.SendResult, ihuyi.LoggedRequest):
        for attr, member in vars(cls).items():
            if not attr.startswith("_"):
                assert member.__doc__, f"{cls.__name__}.{attr}"
