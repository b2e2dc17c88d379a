"""``makemessages`` that also collects the messages of the layers without Django.

The rules, pathways and CLI mark their sentences with ``N_`` (``kvisa.i18n``'s
``gettext_noop``) and read them with ``translate``; xgettext only knows Django's
names, so they are added here, and one catalogue holds every sentence.
"""

from django.core.management.commands import makemessages


class Command(makemessages.Command):
    xgettext_options = [*makemessages.Command.xgettext_options, "--keyword=N_",
                        "--keyword=translate"]
