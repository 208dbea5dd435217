// Verifies one webhook request with the Standard Webhooks specification's own JavaScript library
// (npm standardwebhooks), an implementation that shares nothing with Notify's signer.
// Reads JSON on stdin: {"secret": "whsec_...", "headers": {"webhook-id": ...}, "body": "<base64 of the raw body>"}.
// Exits 0 when Webhook.verify accepts the request; otherwise prints the library's reason and exits 1.
"use strict";
const { Webhook } = require("standardwebhooks");

let input = "";
process.stdin.setEncoding("utf8");
process.stdin.on("data", (chunk) => (input += chunk));
process.stdin.on("end", () => {
  const { secret, headers, body } = JSON.parse(input);
  try {
    new Webhook(secret).verify(Buffer.from(body, "base64"), headers);
    process.stdout.write("verified\n");
  } catch (error) {
    process.stdout.write(`refused: ${error.message}\n`);
    process.exitCode = 1;
  }
});
