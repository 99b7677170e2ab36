// `npm run demo`: starts the demo dialogue process (seeds/demo/demo-process.json) on the app that `npm start` runs,
// with the coordinator API key from local.settings.json, and prints where to follow it.
"use strict";
const fs = require("node:fs");
const path = require("node:path");

const root = path.resolve(__dirname, "..");
const appUrl = process.env.DIALOOG_URL || "http://localhost:7071";

async function main() {
  const settingsFile = path.join(root, "local.settings.json");
  if (!fs.existsSync(settingsFile)) {
    throw new Error("local.settings.json is missing: run `npm start` first (it creates the file and starts the app).");
  }
  const apiKey = JSON.parse(fs.readFileSync(settingsFile, "utf8")).Values?.Api__CoordinatorApiKey;
  if (!apiKey) throw new Error("Api__CoordinatorApiKey is empty in local.settings.json.");

  const definition = JSON.parse(fs.readFileSync(path.join(root, "seeds", "demo", "demo-process.json"), "utf8"));
  let response;
  try {
    response = await fetch(`${appUrl}/api/processes`, {
      method: "POST",
      headers: { "Content-Type": "application/json", "X-Api-Key": apiKey },
      body: JSON.stringify({ definition }),
    });
  } catch {
    throw new Error(`The app does not answer on ${appUrl}. Start it with \`npm start\` (in another terminal).`);
  }
  const body = await response.json();
  if (response.status !== 202) {
    throw new Error(`The app refused the demo (${response.status}): ${JSON.stringify(body, null, 2)}`);
  }
  console.log(`Demo process started: ${body.id}`);
  console.log(`  Invitations:  http://localhost:1080 (MailDev); click the links in the e-mails to reply`);
  console.log(`  Status:       curl -H "X-Api-Key: <Api__CoordinatorApiKey>" ${appUrl}${body.statusUrl}`);
  console.log(`  The first session starts in 5 minutes; the reply deadline is in 3 minutes.`);
}

main().catch((error) => {
  console.error(`Error: ${error.message}`);
  process.exit(1);
});
