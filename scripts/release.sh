#!/usr/bin/env bash
# Tags a release: scripts/release.sh X.Y.Z checks the version and dist/, then creates the tag vX.Y.Z and moves vX to it
# (locally; push both tags: git push origin vX.Y.Z && git push --force origin vX). Used by .github/workflows/release.yml.
set -euo pipefail
cd "$(dirname "$0")/.."
version="${1:-}"
if ! [[ "$version" =~ ^[0-9]+\.[0-9]+\.[0-9]+$ ]]; then
  echo "usage: scripts/release.sh X.Y.Z (got '${version}')" >&2
  exit 2
fi
if [ "$(node -p "require('./package.json').version")" != "$version" ]; then
  echo "package.json's version is not $version: set it (and CHANGELOG.md) in a commit first" >&2
  exit 1
fi
if ! grep -q "^## \[$version\]" CHANGELOG.md; then
  echo "CHANGELOG.md has no section '## [$version]'" >&2
  exit 1
fi
npm run --silent build
if [ -n "$(git status --porcelain -- dist)" ]; then
  echo "dist/ is not what the sources build: run 'npm run build' and commit dist/" >&2
  exit 1
fi
git tag -a "v$version" -m "v$version"
git tag -f -a "v${version%%.*}" -m "v$version"
echo "Tagged v$version and moved v${version%%.*}. Push: git push origin v$version && git push --force origin v${version%%.*}"
