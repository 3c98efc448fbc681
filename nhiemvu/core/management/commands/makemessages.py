"""Django's makemessages without fuzzy matching: gettext's guesses ("Profile" → the
translation of "file") are wrong far more often than right for short interface words."""

from django.core.management.commands import makemessages


class Command(makemessages.Command):
    msgmerge_options = [*makemessages.Command.msgmerge_options, "--no-fuzzy-matching"]
