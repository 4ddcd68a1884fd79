#!/usr/bin/env bash
# Extract translatable strings, merge them into the en and zh_Hans catalogues
# (existing translations are kept; no fuzzy guesses), then compile the .mo files.
# Run from anywhere: scripts/i18n.sh
set -euo pipefail

cd "$(dirname "$0")/.."
PYBABEL=".venv/bin/pybabel"

"$PYBABEL" extract -F babel.cfg -k _l -k lazy_gettext \
    --no-location --sort-output --project=Redress --version=1.0 \
    -o translations/messages.pot \
    --ignore-dirs='.venv tests bench-data' \
    .

"$PYBABEL" update -i translations/messages.pot -d translations \
    --no-fuzzy-matching

"$PYBABEL" compile -d translations -f
