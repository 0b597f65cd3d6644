#!/usr/bin/env bash
# Brings the catalogue up to date with the code: collects every marked text into
# socialbasis/locale/messages.pot and adds new ones (untranslated) to each language's .po.
# Translate the new entries in socialbasis/locale/<taal>/LC_MESSAGES/messages.po; the test
# suite fails while a text has no translation.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --dev >/dev/null
.venv/bin/pybabel extract --mapping-file babel.cfg --no-wrap --sort-by-file \
  --project "Sociale Basis Kaart" --copyright-holder "Sociale Basis Kaart" \
  --output-file socialbasis/locale/messages.pot socialbasis loaders dashboard cli
for po in socialbasis/locale/*/LC_MESSAGES/messages.po; do
  language=$(basename "$(dirname "$(dirname "$po")")")
  .venv/bin/pybabel update --input-file socialbasis/locale/messages.pot \
    --output-file "$po" --locale "$language" --no-wrap --ignore-obsolete
done
