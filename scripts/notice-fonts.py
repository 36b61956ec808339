"""Writes the TrueType fonts the notice typesetter embeds, from the vendored WOFF2 files.

Typst reads TrueType/OpenType but not WOFF2, so the three faces the letters use are
unpacked once and committed (src/rathaus/notices/fonts/, with the OFL licence). Run it
again only after scripts/vendor-frontend.sh brought new Fira Sans files:

    .venv/bin/pip install fonttools==4.68.0 brotli==1.2.1
    .venv/bin/python scripts/notice-fonts.py
"""

import shutil
from pathlib import Path

from fontTools.ttLib import TTFont

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "src/rathaus/static/vendor/kern/fonts"
TARGET = ROOT / "src/rathaus/notices/fonts"
FACES = ("FiraSans-Regular", "FiraSans-Italic", "FiraSans-SemiBold")


def main() -> None:
    TARGET.mkdir(exist_ok=True)
    for face in FACES:
        font = TTFont(SOURCE / "fira-sans" / f"{face}.woff2")
        font.flavor = None  # plain sfnt, as in the original TTF
        font.save(TARGET / f"{face}.ttf", reorderTables=True)
    shutil.copyfile(SOURCE / "OFL.txt", TARGET / "OFL.txt")


if __name__ == "__main__":
    main()
