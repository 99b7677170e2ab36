#!/usr/bin/env bash
# Builds the deployable Azure Functions package: a self-contained linux-x64 publish of the app with host.json and
# the function folders (functions/app/*/function.json) at its root, zipped for `az functionapp deployment source
# config-zip` (or Flex Consumption one deploy). Usage: .ci/publish.sh [output.zip]   (default artifacts/dialoog.zip)
set -euo pipefail

cd "$(dirname "$0")/.."
root="$PWD"
zip_path="${1:-artifacts/dialoog.zip}"
[[ "$zip_path" = /* ]] || zip_path="$root/$zip_path"
package="$root/artifacts/package"

if ! command -v zip >/dev/null; then
  echo "'zip' is required (apt-get install zip): it keeps the executable bit the Functions host needs." >&2
  exit 1
fi

rm -rf "$package" "$zip_path"
mkdir -p "$package" "$(dirname "$zip_path")"

# Self-contained: the Functions custom-handler image has no .NET 10 runtime of its own.
dotnet publish functions/Dialoog.Functions/Dialoog.Functions.csproj -c Release -r linux-x64 --self-contained true \
  -p:PublishSingleFile=false -o "$package" --nologo

cp host.json "$package/"
for function in functions/app/*/; do
  name="$(basename "$function")"
  mkdir -p "$package/$name"
  cp "$function/function.json" "$package/$name/"
done

# Settings come from app settings in Azure; a local.settings.json must never travel with the package.
rm -f "$package/local.settings.json" "$package/appsettings.Development.json"

for required in Dialoog.Functions host.json seeds/templates; do
  if [[ ! -e "$package/$required" ]]; then
    echo "The package misses '$required'." >&2
    exit 1
  fi
done
chmod +x "$package/Dialoog.Functions"

(cd "$package" && zip -q -r -X "$zip_path" .)
echo "Package: $zip_path ($(du -h "$zip_path" | cut -f1))"
