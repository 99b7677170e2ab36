#!/usr/bin/env bash
# `npm start`: everything a newcomer needs on one machine, no Azure account.
#   - installs Azurite and MailDev (npm ci) when node_modules is missing
#   - creates local.settings.json from local.settings.sample.json with fresh random keys
#   - starts Azurite (storage, 127.0.0.1:10000-10002, data in .azurite/) and MailDev (SMTP 1025, inbox 1080),
#     unless they already run there
#   - builds and starts the app on http://localhost:7071 and waits until /health answers
# Ctrl+C (or SIGTERM) stops exactly the processes this script started.
set -euo pipefail

cd "$(dirname "$0")/.."
root="$PWD"

app_url="http://localhost:7071"
app_port=7071
azurite_ports=(10000 10001 10002)
smtp_port=1025
maildev_port=1080
data_dir="$root/.azurite"

started_pids=()
app_pid=""
sleeper_pid=""

say() { printf '%s\n' "$*"; }
fail() { printf 'Error: %s\n' "$*" >&2; exit 1; }
probe() { node "$root/.ci/probe.cjs" "$@"; }

stop_started() {
  trap - EXIT INT TERM
  if [[ -n "$sleeper_pid" ]]; then kill "$sleeper_pid" 2>/dev/null || true; fi
  if (( ${#started_pids[@]} > 0 )); then
    say "Stopping what npm start started (PIDs ${started_pids[*]})..."
    # The app first, while storage still answers: its engine hands its partitions back and finishes running steps.
    if [[ -n "$app_pid" ]] && kill -0 "$app_pid" 2>/dev/null; then
      kill "$app_pid" 2>/dev/null || true
      for _ in $(seq 1 300); do kill -0 "$app_pid" 2>/dev/null || break; sleep 0.1; done
    fi
    kill "${started_pids[@]}" 2>/dev/null || true
    wait "${started_pids[@]}" 2>/dev/null || true
  fi
}
trap stop_started EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# Polls a probe until it succeeds; gives up after $1 seconds or as soon as process $2 has died.
wait_for() {
  local seconds=$1 pid=$2 what=$3
  shift 3
  local deadline=$((SECONDS + seconds))
  until "$@" 2>/dev/null; do
    kill -0 "$pid" 2>/dev/null || fail "$what stopped while starting; see its log above or in .azurite/."
    (( SECONDS < deadline )) || fail "$what did not answer within $seconds s."
    sleep 0.5
  done
}

# --- Tools and packages -----------------------------------------------------------------------------------------
command -v node >/dev/null || fail "Node.js is required (20 or later): https://nodejs.org"
command -v dotnet >/dev/null || fail ".NET SDK is required (version in global.json): https://dot.net"
if [[ ! -d node_modules/azurite || ! -d node_modules/maildev ]]; then
  say "Installing Azurite and MailDev (npm ci)..."
  npm ci --no-audit --no-fund
fi

# --- Settings -----------------------------------------------------------------------------------------------------
random_key() { node -e 'process.stdout.write(require("node:crypto").randomBytes(32).toString("base64"))'; }
random_password() { node -e 'process.stdout.write(require("node:crypto").randomBytes(12).toString("base64url"))'; }
if [[ ! -f local.settings.json ]]; then
  say "Creating local.settings.json from local.settings.sample.json with fresh random keys."
  SIGNING_KEY="$(random_key)" API_KEY="$(random_key)" node -e '
    const fs = require("node:fs");
    const settings = JSON.parse(fs.readFileSync("local.settings.sample.json", "utf8"));
    settings.Values.Links__SigningKey = process.env.SIGNING_KEY;
    settings.Values.Api__CoordinatorApiKey = process.env.API_KEY;
    fs.writeFileSync("local.settings.json", JSON.stringify(settings, null, 2) + "\n");'
fi
# Settings added to the sample since local.settings.json was made are copied in (existing values win). The one shared
# password of older versions is dropped: each coordinator has their own password hash now (set below).
node -e '
  const fs = require("node:fs");
  const sample = JSON.parse(fs.readFileSync("local.settings.sample.json", "utf8"));
  const settings = JSON.parse(fs.readFileSync("local.settings.json", "utf8"));
  settings.Values = { ...sample.Values, ...settings.Values };
  delete settings.Values.Auth__LocalPassword;
  fs.writeFileSync("local.settings.json", JSON.stringify(settings, null, 2) + "\n");'
coordinator_email="$(node -e 'process.stdout.write(JSON.parse(require("node:fs").readFileSync("local.settings.json","utf8")).Values.Auth__LocalCoordinators__0__Email || "")')"

mkdir -p "$data_dir"

# --- Azurite ------------------------------------------------------------------------------------------------------
# Each port is free, held by Azurite (reuse it) or held by something else (stop: we would talk to the wrong thing).
azurite_running=0
for port in "${azurite_ports[@]}"; do
  if probe azurite "$port"; then
    azurite_running=$((azurite_running + 1))
  elif probe port "$port"; then
    fail "port $port is in use by something that is not Azurite. Stop it, or stop the other Azurite, and try again."
  fi
done
if (( azurite_running == ${#azurite_ports[@]} )); then
  say "Azurite already runs on ports ${azurite_ports[*]}; using it."
elif (( azurite_running > 0 )); then
  fail "Azurite answers on only some of ports ${azurite_ports[*]}. Stop it and try again."
else
  say "Starting Azurite (log: .azurite/azurite.log)..."
  node node_modules/azurite/dist/src/azurite.js \
    --blobHost 127.0.0.1 --blobPort "${azurite_ports[0]}" \
    --queueHost 127.0.0.1 --queuePort "${azurite_ports[1]}" \
    --tableHost 127.0.0.1 --tablePort "${azurite_ports[2]}" \
    --location "$data_dir" --skipApiVersionCheck --disableTelemetry --loose \
    >"$data_dir/azurite.log" 2>&1 </dev/null &
  started_pids+=($!)
  for port in "${azurite_ports[@]}"; do
    wait_for 30 "${started_pids[-1]}" "Azurite" probe azurite "$port"
  done
fi

# --- MailDev ------------------------------------------------------------------------------------------------------
if probe maildev "$maildev_port"; then
  probe port "$smtp_port" || fail "MailDev answers on $maildev_port but nothing listens on SMTP port $smtp_port."
  say "MailDev already runs on ports $smtp_port and $maildev_port; using it."
else
  probe port "$maildev_port" && fail "port $maildev_port is in use by something that is not MailDev."
  probe port "$smtp_port" && fail "port $smtp_port is in use by something that is not MailDev."
  say "Starting MailDev (log: .azurite/maildev.log)..."
  node node_modules/maildev/dist/bin/maildev.js \
    --smtp "$smtp_port" --web "$maildev_port" --ip 127.0.0.1 --web-ip 127.0.0.1 \
    >"$data_dir/maildev.log" 2>&1 </dev/null &
  started_pids+=($!)
  wait_for 30 "${started_pids[-1]}" "MailDev" probe maildev "$maildev_port"
fi

# --- The app ------------------------------------------------------------------------------------------------------
probe port "$app_port" && fail "port $app_port is in use; is Dialoog (or another Functions app) already running?"
say "Building the app..."
dotnet build functions/Dialoog.Web -c Debug --nologo -v quiet
app_dll=functions/Dialoog.Web/bin/Debug/net10.0/Dialoog.Web.dll

# The first coordinator gets a generated password; only its hash goes into local.settings.json, the password itself
# stays in .azurite (not in git) so every start can print it.
password_file="$data_dir/coordinator-password"
has_hash="$(node -e 'process.stdout.write(JSON.parse(require("node:fs").readFileSync("local.settings.json","utf8")).Values.Auth__LocalCoordinators__0__PasswordHash ? "yes" : "")')"
if [[ -n "$coordinator_email" && ( ! -s "$password_file" || -z "$has_hash" ) ]]; then
  say "Making a new sign-in password for $coordinator_email."
  (umask 077 && random_password >"$password_file")
  PASSWORD_HASH="$(dotnet "$app_dll" --hash-password <"$password_file")" node -e '
    const fs = require("node:fs");
    const settings = JSON.parse(fs.readFileSync("local.settings.json", "utf8"));
    settings.Values.Auth__LocalCoordinators__0__PasswordHash = process.env.PASSWORD_HASH;
    fs.writeFileSync("local.settings.json", JSON.stringify(settings, null, 2) + "\n");'
fi
coordinator_password="$(cat "$password_file" 2>/dev/null || true)"
# Run the built dll from the repository root: that is the content root, where host.json and local.settings.json
# live (as in a Functions app), and the PID we record is the app itself, not a `dotnet run` wrapper.
DOTNET_ENVIRONMENT="${DOTNET_ENVIRONMENT:-Development}" \
  dotnet "$app_dll" --urls "$app_url" </dev/null &
app_pid=$!
started_pids+=("$app_pid")
wait_for 60 "$app_pid" "The app" probe http "$app_url/health"

cat <<URLS

Dialoog is running.
  App:      $app_url   (readiness: $app_url/health/ready)
  Sign in:  $coordinator_email / $coordinator_password   (the password is in $password_file; its hash in local.settings.json)
  API:      $app_url/openapi/v1.json   (key: Api__CoordinatorApiKey in local.settings.json)
  MailDev:  http://localhost:$maildev_port   (all e-mail the app sends lands here)
  Azurite:  blob http://127.0.0.1:${azurite_ports[0]}/devstoreaccount1
            queue http://127.0.0.1:${azurite_ports[1]}/devstoreaccount1
            table http://127.0.0.1:${azurite_ports[2]}/devstoreaccount1
Start the demo dialogue process from another terminal: npm run demo
Press Ctrl+C to stop.

URLS

# Stay in the foreground until the app exits or we are told to stop (the traps then clean up). npm passes SIGTERM
# only to its `sh -c` wrapper, which dies without passing it on; so also stop when our parent is gone.
parent_pid=$PPID
while kill -0 "$app_pid" 2>/dev/null; do
  kill -0 "$parent_pid" 2>/dev/null || exit 143
  sleep 1 &
  sleeper_pid=$!
  wait "$sleeper_pid" || true
done
wait "$app_pid"
