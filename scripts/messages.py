"""Refresh the one catalogue after changing or adding a sentence.

``uv run python scripts/messages.py`` runs Django's ``makemessages`` (which also
collects the rules' ``N_``-marked strings, see the project's own command), keeps
the translations already in ``django.po``, and compiles ``django.mo`` with polib
(no gettext ``msgfmt`` needed).  It then lists every message that still has no
translation: translators write those into ``src/kvisa/locale/<lang>/LC_MESSAGES/
django.po`` — the .po file is the translators' source, and the only place a
sentence is translated — and run this again.  A fuzzy guess from a similar old
text is worse than English, so fuzzy entries are emptied and listed.

Exit status 1 while anything is untranslated (``tests/test_catalogue.py`` holds
the committed files to the same).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent
LOCALES = ROOT / "src" / "kvisa" / "locale"


def main() -> int:
    languages = sorted(p.name for p in LOCALES.iterdir() if (p / "LC_MESSAGES").is_dir())
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "kvisa.site.settings"}
    command = [sys.executable, "-m", "django", "makemessages", "--no-obsolete"]
    for language in languages:
        command += ["-l", language]
    subprocess.run(command, cwd=ROOT / "src" / "kvisa", env=env, check=True)
    untranslated = 0
    for language in languages:
        folder = LOCALES / language / "LC_MESSAGES"
        po = polib.pofile(str(folder / "django.po"))
        for entry in po:
            if "fuzzy" in entry.flags:
                entry.flags.remove("fuzzy")
                entry.msgstr = ""
                entry.msgstr_plural = {k: "" for k in entry.msgstr_plural}
            done = entry.msgstr or any(entry.msgstr_plural.values())
            if not done:
                untranslated += 1
                print(f"{language}: untranslated: {entry.msgid[:100]}")
        po.save()
        po.save_as_mofile(str(folder / "django.mo"))
        print(f"{language}: {len(po)} messages, "
              f"{sum(1 for e in po if e.msgstr or any(e.msgstr_plural.values()))} translated")
    return 1 if untranslated else 0


if __name__ == "__main__":
    sys.exit(main())
