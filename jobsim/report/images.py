"""Images for the documentation: a figure's PNG copied at the width a page shows it."""

from __future__ import annotations

from pathlib import Path

from PIL import Image

from ..runner.files import write_with


def downscale_png(source: str | Path, target: str | Path, width: int = 900) -> Path:
    """Copy a PNG, scaled to ``width`` pixels wide (for docs/img: about 90 dpi from a 150 dpi figure)."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    with Image.open(source) as img:
        if img.width > width:
            img = img.resize((width, round(img.height * width / img.width)), Image.LANCZOS)
        write_with(target, lambda tmp: img.save(tmp, format="PNG", optimize=True, dpi=(90, 90)))
    return target
