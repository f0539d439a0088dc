// Test harness: runs election-protocol.js under Node for the cross-language tests.
// stdin: a JSON list of [operation, ...arguments]; stdout: a JSON list of {ok, value} or {ok: false, code, reason}.
"use strict";
const path = require("path");
const protocol = require(path.join(__dirname, "../../../elections/static/elections/js/election-protocol.js"));

function sodiumB64(bytes) {
  return Buffer.from(bytes).toString("base64url");
}

const operations = {
  canonical: (value) => protocol.canonicalJson(value),
  fingerprint: (value) => protocol.fingerprint(value),
  encrypt: (params, choices) => protocol.encryptBallot(params, choices),
  verify: (params, ballot) => protocol.verifyBallot(params, ballot),
  audit: (params, ballot, randomness) => protocol.auditBallot(params, ballot, randomness),
  tracker: (ballot) => protocol.tracker(ballot),
  generateKey: (setup, index) => protocol.generateKey(setup, index),
  dealing: (setup, keyFile, keys) => protocol.makeDealing(setup, keyFile, keys),
  confirmation: (setup, keyFile, keys, dealings) => protocol.makeConfirmation(setup, keyFile, keys, dealings),
  checkRecord: (record) => {
    const result = protocol.checkRecord(record);
    return { publicKey: sodiumB64(result.publicKey), verificationKeys: result.verificationKeys.map(sodiumB64) };
  },
  partial: (params, keyFile, totals) => protocol.partialDecryption(params, keyFile, totals),
  checkPartial: (params, totals, message) => protocol.checkPartialDecryption(params, totals, message),
};

async function main() {
  await protocol.ready();
  const chunks = [];
  for await (const chunk of process.stdin) chunks.push(chunk);
  const requests = JSON.parse(Buffer.concat(chunks).toString("utf8"));
  const answers = requests.map(([operation, ...args]) => {
    try {
      return { ok: true, value: operations[operation](...args) };
    } catch (error) {
      if (!error.code) throw error;
      return { ok: false, code: error.code, reason: error.reason };
    }
  });
  process.stdout.write(JSON.stringify(answers));
}

main().catch((error) => {
  process.stderr.write(String(error.stack || error));
  process.exit(1);
});
