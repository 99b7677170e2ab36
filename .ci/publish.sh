#!/usr/bin/env bash
# Builds the two deployable packages:
#   artifacts/dialoog-functions.zip  the Functions app (isolated worker): app, functions.metadata, extensions.json,
#                                    .azurefunctions/ and host.json at its root, for Flex Consumption one deploy
#                                    (`az functionapp deployment source config-zip`)
#   artifacts/dialoog-web.zip        the web app, for App Service (`az webapp deploy --type zip`)
# Usage: .ci/publish.sh [output folder]   (default artifacts/)
set -euo pipefail

cd "$(dirname "$0")/.."
root="$PWD"
out="${1:-artifacts}"
[[ "$out" = /* ]] || out="$root/$out"

if ! command -v zip >/dev/null; then
  echo "'zip' is required (apt-get install zip)." >&2
  exit 1
fi

package() {
  local project="$1" name="$2"; shift 2
  local folder="$out/$name"
  rm -rf "$folder" "$out/$name.zip"
  mkdir -p "$folder"
  # Framework-dependent: both App Service and Flex Consumption run .NET 10 themselves.
  dotnet publish "$project" -c Release -o "$folder" --nologo
  # Settings come from app settings in Azure; a local.settings.json must never travel with a package.
  rm -f "$folder/local.settings.json" "$folder/appsettings.Development.json"
  for required in "$@"; do
    if [[ ! -e "$folder/$required" ]]; then
      echo "The $name package misses '$required'." >&2
      exit 1
    fi
  done
  (cd "$folder" && zip -q -r -X "$out/$name.zip" .)
  echo "Package: $out/$name.zip ($(du -h "$out/$name.zip" | cut -f1))"
}

package functions/Dialoog.Functions/Dialoog.Functions.csproj dialoog-functions \
  Dialoog.Functions.dll host.json functions.metadata extensions.json .azurefunctions seeds/templates
package functions/Dialoog.Web/Dialoog.Web.csproj dialoog-web \
  Dialoog.Web.dll seeds/templates
