"""Fill empty Chinese translations (existing ones are kept) from a JSON file of {msgid: msgstr}:
   .venv/bin/python scripts/po_fill.py translations.json
A plural entry is keyed by its singular msgid; its msgstr is the one Chinese form."""
import json
import sys

from babel.messages.pofile import read_po, write_po

PATH = "translations/zh_Hans/LC_MESSAGES/messages.po"
new = json.load(open(sys.argv[1], encoding="utf-8"))
with open(PATH, "rb") as fh:
    catalog = read_po(fh)
for message in catalog:
    key = message.id[0] if isinstance(message.id, tuple) else message.id
    empty = not any(message.string) if isinstance(message.string, tuple) else not message.string
    if key in new and empty:
        message.string = (new[key],) if isinstance(message.id, tuple) else new[key]
        message.flags.discard("fuzzy")
with open(PATH, "wb") as fh:
    write_po(fh, catalog, sort_output=True, width=100)
