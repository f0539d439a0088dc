/*
 * Medborger's election protocol in the browser: the same bytes as elections/protocol (Python).
 *
 * Group arithmetic is libsodium's (libsodium-wrappers-sumo): this file writes the protocol only.
 * Specification: docs/election-protocol.md. Load, as plain static files, in this order:
 *   libsodium/libsodium-sumo.js, libsodium/libsodium-wrappers.js, elections/js/election-protocol.js
 * then `await MedborgerElection.ready()`. In Node: require() this file (tests).
 *
 * No UI here; election-ballot.js and election-trustee.js use it.
 */
(function (root, factory) {
  "use strict";
  if (typeof module === "object" && module.exports) {
    module.exports = factory(require("libsodium-wrappers-sumo"));
  } else {
    root.MedborgerElection = factory(root.sodium);
  }
})(typeof self !== "undefined" ? self : this, function (sodium) {
  "use strict";

  var L = (1n << 252n) + 27742317777372353535851937790883648493n;
  var DOMAIN = "medborger/election/v1";
  var ELECTION_FORMAT = "medborger-election/1";
  var KEY_FORMAT = "medborger-trustee-key/1";
  var TRACKER_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789";
  var CHOICE_VALUES = [0, 1];
  var IDENTITY = new Uint8Array(32);
  IDENTITY[0] = 1;
  var ZERO = new Uint8Array(32);
  var encoder = new TextEncoder();

  /** A refusal with a stable code (the page shows a translated message for it). */
  function ProtocolError(code, reason) {
    var error = new Error(reason);
    error.code = code;
    error.reason = reason;
    return error;
  }

  // --- bytes and encodings ----------------------------------------------------------------

  function equal(a, b) {
    if (a.length !== b.length) return false;
    var diff = 0;
    for (var i = 0; i < a.length; i++) diff |= a[i] ^ b[i];
    return diff === 0;
  }

  function concat(parts) {
    var length = parts.reduce(function (n, p) { return n + p.length; }, 0);
    var out = new Uint8Array(length);
    var offset = 0;
    parts.forEach(function (p) { out.set(p, offset); offset += p.length; });
    return out;
  }

  function b64encode(bytes) {
    return sodium.to_base64(bytes, sodium.base64_variants.URLSAFE_NO_PADDING);
  }

  function b64decode(text, length) {
    var expected = Math.floor((4 * length + 2) / 3);
    if (typeof text !== "string" || text.length !== expected || !/^[A-Za-z0-9_-]*$/.test(text)) {
      throw ProtocolError("encoding", "not " + expected + " characters of base64url");
    }
    var bytes = sodium.from_base64(text, sodium.base64_variants.URLSAFE_NO_PADDING);
    if (bytes.length !== length || b64encode(bytes) !== text) {
      throw ProtocolError("encoding", "non-canonical base64url (stray low bits)");
    }
    return bytes;
  }

  function hex(bytes) { return sodium.to_hex(bytes); }
  function fromHex(text) { return sodium.from_hex(text); }

  /** Canonical JSON: sorted keys, no whitespace, integers only — the bytes Python's canonical_json writes. */
  function canonicalJson(value) {
    if (value === null || typeof value === "boolean" || typeof value === "string") return JSON.stringify(value);
    if (typeof value === "number") {
      if (!Number.isSafeInteger(value)) throw ProtocolError("format", "only safe integers have a canonical form");
      return JSON.stringify(value);
    }
    if (Array.isArray(value)) return "[" + value.map(canonicalJson).join(",") + "]";
    if (typeof value === "object") {
      return "{" + Object.keys(value).sort().map(function (key) {
        return JSON.stringify(key) + ":" + canonicalJson(value[key]);
      }).join(",") + "}";
    }
    throw ProtocolError("format", typeof value + " has no canonical JSON form");
  }

  function canonicalBytes(value) { return encoder.encode(canonicalJson(value)); }
  function fingerprint(value) { return hex(sodium.crypto_hash_sha256(canonicalBytes(value))); }

  function trackerFromHash(ballotHash) {
    var number = BigInt("0x" + ballotHash.slice(0, 16));
    var chars = [];
    for (var i = 0; i < 10; i++) {
      chars.push(TRACKER_ALPHABET[Number(number % 31n)]);
      number /= 31n;
    }
    return chars.slice(0, 5).join("") + "-" + chars.slice(5).join("");
  }

  // --- scalars and points (each a libsodium call) -------------------------------------------

  function scalarFromInt(value) {
    var n = ((BigInt(value) % L) + L) % L;
    var out = new Uint8Array(32);
    for (var i = 0; i < 32; i++) { out[i] = Number(n & 255n); n >>= 8n; }
    return out;
  }

  function scalarToBigInt(bytes) {
    var n = 0n;
    for (var i = 31; i >= 0; i--) n = (n << 8n) | BigInt(bytes[i]);
    return n;
  }

  function decodeScalar(text) {
    var bytes = b64decode(text, 32);
    if (scalarToBigInt(bytes) >= L) throw ProtocolError("encoding", "scalar not below the group order");
    return bytes;
  }

  function randomScalar() {
    for (;;) {
      var s = sodium.crypto_core_ed25519_scalar_random();
      if (!equal(s, ZERO)) return s;
    }
  }

  var scalarAdd = function (a, b) { return sodium.crypto_core_ed25519_scalar_add(a, b); };
  var scalarSub = function (a, b) { return sodium.crypto_core_ed25519_scalar_sub(a, b); };
  var scalarMul = function (a, b) { return sodium.crypto_core_ed25519_scalar_mul(a, b); };

  function scalarSum(scalars) { return scalars.reduce(scalarAdd, new Uint8Array(32)); }

  function isValidPoint(p) { return p.length === 32 && sodium.crypto_core_ed25519_is_valid_point(p); }

  function decodePoint(text) {
    var point = b64decode(text, 32);
    if (!isValidPoint(point)) throw ProtocolError("encoding", "not a point of the prime-order subgroup");
    return point;
  }

  function baseMul(s) {
    return equal(s, ZERO) ? IDENTITY : sodium.crypto_scalarmult_ed25519_base_noclamp(s);
  }

  function mul(p, s) {
    if (equal(p, IDENTITY) || equal(s, ZERO)) return IDENTITY;
    return sodium.crypto_scalarmult_ed25519_noclamp(s, p);
  }

  var add = function (p, q) { return sodium.crypto_core_ed25519_add(p, q); };
  var sub = function (p, q) { return sodium.crypto_core_ed25519_sub(p, q); };
  function pointSum(points) { return points.reduce(add, IDENTITY); }
  function smallMultiple(n) { return baseMul(scalarFromInt(n)); }

  // --- hashing ---------------------------------------------------------------------------------

  function lengthPrefixed(bytes) {
    var out = new Uint8Array(4 + bytes.length);
    new DataView(out.buffer).setUint32(0, bytes.length, false);
    out.set(bytes, 4);
    return out;
  }

  function hashInput(tag, parts) {
    var chunks = [lengthPrefixed(encoder.encode(DOMAIN)), lengthPrefixed(encoder.encode(tag))];
    parts.forEach(function (p) { chunks.push(lengthPrefixed(p)); });
    return concat(chunks);
  }

  function hashToScalar(tag, parts) {
    return sodium.crypto_core_ed25519_scalar_reduce(sodium.crypto_hash_sha512(hashInput(tag, parts)));
  }

  function intBytes(value) {
    var out = new Uint8Array(8);
    new DataView(out.buffer).setBigUint64(0, BigInt(value), false);
    return out;
  }

  // --- proofs (see proofs.py) -------------------------------------------------------------------

  function encodeProof(pairs) { return pairs.map(function (p) { return [b64encode(p[0]), b64encode(p[1])]; }); }

  function decodeProof(proof, branches) {
    if (!Array.isArray(proof) || proof.length !== branches) {
      throw ProtocolError("encoding", "expected " + branches + " challenge/response pairs");
    }
    return proof.map(function (pair) {
      if (!Array.isArray(pair) || pair.length !== 2) throw ProtocolError("encoding", "a proof entry is not a pair");
      try {
        return [decodeScalar(pair[0]), decodeScalar(pair[1])];
      } catch (error) {
        throw ProtocolError("encoding", "proof scalar: " + error.reason);
      }
    });
  }

  function branchCommitments(alpha, beta, publicKey, value, challenge, response) {
    var shifted = value ? sub(beta, smallMultiple(value)) : beta;
    return [add(baseMul(response), mul(alpha, challenge)), add(mul(publicKey, response), mul(shifted, challenge))];
  }

  function statementHash(tag, context, alpha, beta, commitments) {
    var parts = context.concat([alpha, beta]);
    commitments.forEach(function (c) { parts.push(c[0], c[1]); });
    return hashToScalar(tag, parts);
  }

  function proveEncryptsOneOf(tag, context, alpha, beta, publicKey, randomness, values, actual) {
    var real = values.indexOf(actual);
    var pairs = [], commitments = [], others = [];
    values.forEach(function (value, j) {
      if (j === real) return;
      pairs[j] = [randomScalar(), randomScalar()];
      others.push(pairs[j][0]);
      commitments[j] = branchCommitments(alpha, beta, publicKey, value, pairs[j][0], pairs[j][1]);
    });
    var nonce = randomScalar();
    commitments[real] = [baseMul(nonce), mul(publicKey, nonce)];
    var challenge = scalarSub(statementHash(tag, context, alpha, beta, commitments), scalarSum(others));
    pairs[real] = [challenge, scalarSub(nonce, scalarMul(challenge, randomness))];
    return pairs;
  }

  function checkEncryptsOneOf(tag, context, alpha, beta, publicKey, values, pairs) {
    var commitments = values.map(function (value, j) {
      return branchCommitments(alpha, beta, publicKey, value, pairs[j][0], pairs[j][1]);
    });
    var total = statementHash(tag, context, alpha, beta, commitments);
    return equal(scalarSum(pairs.map(function (p) { return p[0]; })), total);
  }

  function sign(tag, context, secret, publicKey, message) {
    var nonce = randomScalar();
    var challenge = hashToScalar(tag, context.concat([publicKey, message, baseMul(nonce)]));
    return [challenge, scalarSub(nonce, scalarMul(challenge, secret))];
  }

  function checkSignature(tag, context, publicKey, message, pair) {
    var commitment = add(baseMul(pair[1]), mul(publicKey, pair[0]));
    return equal(pair[0], hashToScalar(tag, context.concat([publicKey, message, commitment])));
  }

  function proveDecryption(context, secret, verificationKey, alpha, factor) {
    var nonce = randomScalar();
    var challenge = hashToScalar("decryption", context.concat([verificationKey, alpha, factor, baseMul(nonce), mul(alpha, nonce)]));
    return [challenge, scalarSub(nonce, scalarMul(challenge, secret))];
  }

  function checkDecryption(context, verificationKey, alpha, factor, pair) {
    var a = add(baseMul(pair[1]), mul(verificationKey, pair[0]));
    var b = add(mul(alpha, pair[1]), mul(factor, pair[0]));
    return equal(pair[0], hashToScalar("decryption", context.concat([verificationKey, alpha, factor, a, b])));
  }

  // --- election and ballots (see election.py, ballot.py) -----------------------------------------

  function prepare(params) {
    if (params && params.fingerprintBytes) return params;
    if (!params || params.format !== ELECTION_FORMAT || !Array.isArray(params.candidates)) {
      throw ProtocolError("election", "not " + ELECTION_FORMAT + " parameters");
    }
    var digest = fingerprint(params);
    return {
      params: params,
      fingerprint: digest,
      fingerprintBytes: fromHex(digest),
      publicKey: decodePoint(params.public_key),
      candidates: params.candidates.length,
      min: params.min,
      max: params.max,
      overallValues: Array.from({ length: params.max - params.min + 1 }, function (_v, i) { return params.min + i; }),
    };
  }

  function choiceContext(election, index) {
    return [election.fingerprintBytes, election.publicKey, intBytes(index)];
  }

  function overallContext(election, ciphertexts) {
    return [election.fingerprintBytes, election.publicKey, concat([].concat.apply([], ciphertexts))];
  }

  function ballotHash(ballot) { return hex(sodium.crypto_hash_sha256(canonicalBytes(ballot))); }
  function tracker(ballot) { return trackerFromHash(ballotHash(ballot)); }

  /** Encrypt one 0/1 per candidate: {ballot, randomness}. Keep randomness only for an audit, then discard. */
  function encryptBallot(params, choices) {
    var election = prepare(params);
    if (choices.length !== election.candidates || choices.some(function (c) { return c !== 0 && c !== 1; })) {
      throw ProtocolError("choices", "one choice of 0 or 1 per candidate");
    }
    var count = choices.reduce(function (a, b) { return a + b; }, 0);
    if (count < election.min || count > election.max) throw ProtocolError("choices", "number of choices out of range");
    var randomness = choices.map(randomScalar);
    var ciphertexts = [], encoded = [];
    choices.forEach(function (choice, i) {
      var r = randomness[i];
      var alpha = baseMul(r);
      var beta = add(smallMultiple(choice), mul(election.publicKey, r));
      var pairs = proveEncryptsOneOf("choice", choiceContext(election, i), alpha, beta, election.publicKey, r, CHOICE_VALUES, choice);
      ciphertexts.push([alpha, beta]);
      encoded.push({ alpha: b64encode(alpha), beta: b64encode(beta), proof: encodeProof(pairs) });
    });
    var overall = proveEncryptsOneOf(
      "overall", overallContext(election, ciphertexts),
      pointSum(ciphertexts.map(function (c) { return c[0]; })), pointSum(ciphertexts.map(function (c) { return c[1]; })),
      election.publicKey, scalarSum(randomness), election.overallValues, count
    );
    return {
      ballot: { election: election.fingerprint, choices: encoded, overall: encodeProof(overall) },
      randomness: randomness.map(b64encode),
    };
  }

  function sameKeys(object, keys) {
    return object && typeof object === "object" && !Array.isArray(object) &&
      Object.keys(object).sort().join(",") === keys.slice().sort().join(",");
  }

  /** Throw a ProtocolError naming the first failing part unless every proof of the ballot verifies. */
  function checkBallot(params, ballot) {
    var election = prepare(params);
    if (!sameKeys(ballot, ["election", "choices", "overall"])) {
      throw ProtocolError("format", "a ballot has exactly the members election, choices and overall");
    }
    if (ballot.election !== election.fingerprint) {
      throw ProtocolError("election", "the ballot was made for another election (fingerprint differs)");
    }
    if (!Array.isArray(ballot.choices) || ballot.choices.length !== election.candidates) {
      throw ProtocolError("choice_count", "the ballot must hold exactly " + election.candidates + " choices");
    }
    var decoded = ballot.choices.map(function (choice, i) {
      if (!sameKeys(choice, ["alpha", "beta", "proof"])) {
        throw ProtocolError("format", "choice " + (i + 1) + ": members must be alpha, beta and proof");
      }
      try {
        return [decodePoint(choice.alpha), decodePoint(choice.beta), decodeProof(choice.proof, 2)];
      } catch (error) {
        throw ProtocolError("encoding", "choice " + (i + 1) + ": " + error.reason);
      }
    });
    decoded.forEach(function (d, i) {
      if (!checkEncryptsOneOf("choice", choiceContext(election, i), d[0], d[1], election.publicKey, CHOICE_VALUES, d[2])) {
        throw ProtocolError("choice_proof", "proof of choice " + (i + 1) + " invalid: it is not shown to be 0 or 1");
      }
    });
    var overall;
    try {
      overall = decodeProof(ballot.overall, election.overallValues.length);
    } catch (error) {
      throw ProtocolError("encoding", "overall proof: " + error.reason);
    }
    var ciphertexts = decoded.map(function (d) { return [d[0], d[1]]; });
    var ok = checkEncryptsOneOf(
      "overall", overallContext(election, ciphertexts),
      pointSum(decoded.map(function (d) { return d[0]; })), pointSum(decoded.map(function (d) { return d[1]; })),
      election.publicKey, election.overallValues, overall
    );
    if (!ok) {
      var values = election.overallValues;
      var span = values.length === 1 ? "exactly " + values[0] : values[0] + " to " + values[values.length - 1];
      throw ProtocolError("overall_proof", "overall proof invalid: the ballot is not shown to choose " + span);
    }
  }

  /** {ok, code, reason, ballotHash, tracker}: never throws for a bad ballot. */
  function verifyBallot(params, ballot) {
    try {
      checkBallot(params, ballot);
    } catch (error) {
      if (!error.code) throw error;
      return { ok: false, code: error.code, reason: error.reason };
    }
    var digest = ballotHash(ballot);
    return { ok: true, code: "", reason: "", ballotHash: digest, tracker: trackerFromHash(digest) };
  }

  /** Benaloh audit: the 0/1 per candidate that the ballot encodes, given its revealed randomness. */
  function auditBallot(params, ballot, randomness) {
    var election = prepare(params);
    checkBallot(election, ballot);
    if (!Array.isArray(randomness) || randomness.length !== election.candidates) {
      throw ProtocolError("audit", "one randomness value per candidate is needed");
    }
    var one = smallMultiple(1);
    return ballot.choices.map(function (choice, i) {
      var r = decodeScalar(randomness[i]);
      if (!equal(baseMul(r), decodePoint(choice.alpha))) {
        throw ProtocolError("audit", "choice " + (i + 1) + ": the randomness does not match the ciphertext");
      }
      var plain = sub(decodePoint(choice.beta), mul(election.publicKey, r));
      if (equal(plain, IDENTITY)) return 0;
      if (equal(plain, one)) return 1;
      throw ProtocolError("audit", "choice " + (i + 1) + ": encodes neither 0 nor 1");
    });
  }

  // --- trustees (see trustees.py) ----------------------------------------------------------------

  function setupContext(setup) { return fromHex(fingerprint(setup)); }
  function keyContext(setup, index) { return [setupContext(setup), intBytes(index)]; }

  function setupError(trustee, reason) {
    var error = ProtocolError("trustee", "trustee " + trustee + ": " + reason);
    error.trustee = trustee;
    return error;
  }

  /** Step 1: {keyFile, message}. The key file is the trustee's secret: offer it as a download, never upload it. */
  function generateKey(setup, index) {
    var secret = randomScalar();
    var publicKey = baseMul(secret);
    var proof = sign("trustee-key", keyContext(setup, index), secret, publicKey, encoder.encode("possession"));
    return {
      keyFile: { format: KEY_FORMAT, setup: fingerprint(setup), index: index, secret: b64encode(secret), public: b64encode(publicKey) },
      message: { index: index, public: b64encode(publicKey), proof: encodeProof([proof])[0] },
    };
  }

  function readKeyFile(setup, keyFile) {
    if (!keyFile || keyFile.format !== KEY_FORMAT) throw setupError(0, "not a trustee key file");
    if (keyFile.setup !== fingerprint(setup)) {
      throw setupError(keyFile.index, "the key file belongs to another election or key ceremony");
    }
    var secret = decodeScalar(keyFile.secret);
    var publicKey = decodePoint(keyFile.public);
    if (!equal(baseMul(secret), publicKey)) throw setupError(keyFile.index, "key file: the secret does not match the public key");
    return { index: keyFile.index, secret: secret, publicKey: publicKey };
  }

  function checkKeys(setup, messages) {
    if (!Array.isArray(messages) || messages.length !== setup.trustees) throw setupError(0, "expected " + setup.trustees + " trustee keys");
    return messages.map(function (message, i) {
      var index = i + 1;
      if (!sameKeys(message, ["index", "public", "proof"]) || message.index !== index) throw setupError(index, "malformed key message");
      var publicKey = decodePoint(message.public);
      var pair = decodeProof([message.proof], 1)[0];
      if (!checkSignature("trustee-key", keyContext(setup, index), publicKey, encoder.encode("possession"), pair)) {
        throw setupError(index, "proof of possession of the key invalid");
      }
      return publicKey;
    });
  }

  function evaluate(coefficients, x) {
    var point = scalarFromInt(x);
    return coefficients.slice().reverse().reduce(function (acc, c) { return scalarAdd(scalarMul(acc, point), c); }, new Uint8Array(32));
  }

  function shareKey(setup, dealer, recipient, ephemeral, recipientKey, shared) {
    var parts = [setupContext(setup), intBytes(dealer), intBytes(recipient), ephemeral, recipientKey, shared];
    return sodium.crypto_hash_sha256(hashInput("share-key", parts));
  }

  function shareAd(setup, dealer, recipient) {
    return hashInput("share", [setupContext(setup), intBytes(dealer), intBytes(recipient)]);
  }

  function sealShare(setup, dealer, recipient, recipientKey, share) {
    var e = randomScalar();
    var ephemeral = baseMul(e);
    var key = shareKey(setup, dealer, recipient, ephemeral, recipientKey, mul(recipientKey, e));
    var nonce = sodium.randombytes_buf(24);
    var sealed = sodium.crypto_aead_xchacha20poly1305_ietf_encrypt(share, shareAd(setup, dealer, recipient), null, nonce, key);
    return { to: recipient, ephemeral: b64encode(ephemeral), nonce: b64encode(nonce), ciphertext: b64encode(sealed) };
  }

  function openShare(setup, dealer, recipient, secret, publicKey, sealed) {
    var ephemeral, nonce, ciphertext, share;
    try {
      ephemeral = decodePoint(sealed.ephemeral);
      nonce = b64decode(sealed.nonce, 24);
      ciphertext = b64decode(sealed.ciphertext, 48);
    } catch (error) {
      throw setupError(dealer, "share for trustee " + recipient + " malformed");
    }
    var key = shareKey(setup, dealer, recipient, ephemeral, publicKey, mul(ephemeral, secret));
    try {
      share = sodium.crypto_aead_xchacha20poly1305_ietf_decrypt(null, ciphertext, shareAd(setup, dealer, recipient), nonce, key);
    } catch (error) {
      throw setupError(dealer, "share for trustee " + recipient + " does not decrypt");
    }
    if (scalarToBigInt(share) >= L) throw setupError(dealer, "share for trustee " + recipient + " is not a scalar");
    return share;
  }

  function dealingDigest(dealing) {
    return fromHex(fingerprint({ index: dealing.index, commitments: dealing.commitments, shares: dealing.shares }));
  }

  /** Step 2: commitments and a sealed share for every trustee, signed. The polynomial is forgotten on return. */
  function makeDealing(setup, keyFile, keyMessages) {
    var me = readKeyFile(setup, keyFile);
    var keys = checkKeys(setup, keyMessages);
    if (!equal(keys[me.index - 1], me.publicKey)) throw setupError(me.index, "the key file does not match this trustee's published key");
    var coefficients = Array.from({ length: setup.threshold }, randomScalar);
    var dealing = {
      index: me.index,
      commitments: coefficients.map(function (a) { return b64encode(baseMul(a)); }),
      shares: keys.map(function (key, i) { return sealShare(setup, me.index, i + 1, key, evaluate(coefficients, i + 1)); }),
    };
    var digest = dealingDigest(dealing), context = keyContext(setup, me.index);
    dealing.constant_proof = encodeProof([sign("dealing-constant", context, coefficients[0], baseMul(coefficients[0]), digest)])[0];
    dealing.signature = encodeProof([sign("dealing", context, me.secret, me.publicKey, digest)])[0];
    coefficients.forEach(function (c) { sodium.memzero(c); });
    return dealing;
  }

  function checkDealing(setup, keys, dealing, index) {
    if (!sameKeys(dealing, ["index", "commitments", "shares", "constant_proof", "signature"]) || dealing.index !== index) {
      throw setupError(index, "malformed dealing");
    }
    if (!Array.isArray(dealing.commitments) || dealing.commitments.length !== setup.threshold) {
      throw setupError(index, "a dealing has " + setup.threshold + " commitments");
    }
    if (!Array.isArray(dealing.shares) || dealing.shares.length !== setup.trustees ||
        dealing.shares.some(function (s, i) { return !s || s.to !== i + 1; })) {
      throw setupError(index, "a dealing has one share for every trustee, in order");
    }
    var commitments = dealing.commitments.map(decodePoint);
    var proofsPair = decodeProof([dealing.constant_proof, dealing.signature], 2);
    var digest = dealingDigest(dealing), context = keyContext(setup, index);
    if (!checkSignature("dealing", context, keys[index - 1], digest, proofsPair[1])) throw setupError(index, "dealing signature invalid");
    if (!checkSignature("dealing-constant", context, commitments[0], digest, proofsPair[0])) {
      throw setupError(index, "proof of knowledge of the polynomial's constant term invalid");
    }
    return commitments;
  }

  function commitmentAt(commitments, x) {
    return pointSum(commitments.map(function (c, k) { return mul(c, scalarFromInt(BigInt(x) ** BigInt(k) % L)); }));
  }

  function verificationKey(allCommitments, index) {
    return pointSum(allCommitments.map(function (commitments) { return commitmentAt(commitments, index); }));
  }

  /** The trustee's share x_j, after checking every received share against its dealer's commitments. */
  function deriveShare(setup, keyFile, keyMessages, dealings) {
    var me = readKeyFile(setup, keyFile);
    var keys = checkKeys(setup, keyMessages);
    if (!Array.isArray(dealings) || dealings.length !== setup.trustees) throw setupError(0, "expected " + setup.trustees + " dealings");
    var allCommitments = dealings.map(function (d, i) { return checkDealing(setup, keys, d, i + 1); });
    var total = new Uint8Array(32);
    dealings.forEach(function (dealing, i) {
      var share = openShare(setup, i + 1, me.index, me.secret, me.publicKey, dealing.shares[me.index - 1]);
      if (!equal(baseMul(share), commitmentAt(allCommitments[i], me.index))) {
        throw setupError(i + 1, "share for trustee " + me.index + " does not match the dealer's commitments");
      }
      total = scalarAdd(total, share);
    });
    return { index: me.index, share: total, allCommitments: allCommitments };
  }

  /** Step 3: verify the received shares and confirm with the verification key and a proof of the share. */
  function makeConfirmation(setup, keyFile, keyMessages, dealings) {
    var derived = deriveShare(setup, keyFile, keyMessages, dealings);
    var key = baseMul(derived.share);
    var context = keyContext(setup, derived.index).concat([fromHex(fingerprint(dealings))]);
    var proof = sign("confirmation", context, derived.share, key, encoder.encode("shares-verified"));
    sodium.memzero(derived.share);
    return { index: derived.index, verification_key: b64encode(key), proof: encodeProof([proof])[0] };
  }

  /** The public key and verification keys of a complete trustees' record, after checking every message. */
  function checkRecord(record) {
    var setup = record.setup;
    var keys = checkKeys(setup, record.keys);
    if (!Array.isArray(record.dealings) || record.dealings.length !== setup.trustees) throw setupError(0, "expected " + setup.trustees + " dealings");
    var allCommitments = record.dealings.map(function (d, i) { return checkDealing(setup, keys, d, i + 1); });
    var digest = fromHex(fingerprint(record.dealings));
    var verificationKeys = record.confirmations.map(function (message, i) {
      var index = i + 1;
      if (!sameKeys(message, ["index", "verification_key", "proof"]) || message.index !== index) throw setupError(index, "malformed confirmation");
      var key = decodePoint(message.verification_key);
      if (!equal(key, verificationKey(allCommitments, index))) throw setupError(index, "verification key does not follow from the dealers' commitments");
      var pair = decodeProof([message.proof], 1)[0];
      if (!checkSignature("confirmation", keyContext(setup, index).concat([digest]), key, encoder.encode("shares-verified"), pair)) {
        throw setupError(index, "confirmation proof invalid");
      }
      return key;
    });
    if (verificationKeys.length !== setup.trustees) throw setupError(0, "every trustee must confirm its shares");
    return { publicKey: pointSum(allCommitments.map(function (c) { return c[0]; })), verificationKeys: verificationKeys };
  }

  // --- partial decryption of the totals (see decryption.py) --------------------------------------

  function totalPoint(text) {
    var point = b64decode(text, 32);
    if (!equal(point, IDENTITY) && !isValidPoint(point)) throw ProtocolError("encoding", "total is not a point of the prime-order subgroup");
    return point;
  }

  function decodeTotals(totals) {
    return totals.map(function (t) { return [totalPoint(t.alpha), totalPoint(t.beta)]; });
  }

  function decryptionContext(election, trustee, candidate) {
    return [election.fingerprintBytes, intBytes(trustee), intBytes(candidate)];
  }

  /** At the count: the trustee's partial decryption of the published totals, from its key file (read locally). */
  function partialDecryption(params, keyFile, encodedTotals) {
    var election = prepare(params);
    var record = election.params.trustees;
    var derived = deriveShare(record.setup, keyFile, record.keys, record.dealings);
    var key = verificationKey(derived.allCommitments, derived.index);
    var totals = decodeTotals(encodedTotals);
    var factors = [], pairs = [];
    totals.forEach(function (total, candidate) {
      var factor = mul(total[0], derived.share);
      factors.push(b64encode(factor));
      pairs.push(proveDecryption(decryptionContext(election, derived.index, candidate), derived.share, key, total[0], factor));
    });
    sodium.memzero(derived.share);
    return { index: derived.index, factors: factors, proofs: encodeProof(pairs) };
  }

  function checkPartialDecryption(params, encodedTotals, message) {
    var election = prepare(params);
    var keys = checkRecord(election.params.trustees).verificationKeys;
    var totals = decodeTotals(encodedTotals);
    var index = message.index;
    if (!Number.isInteger(index) || index < 1 || index > keys.length) throw ProtocolError("decryption", "unknown trustee");
    var pairs = decodeProof(message.proofs, totals.length);
    totals.forEach(function (total, candidate) {
      var factor = totalPoint(message.factors[candidate]);
      if (!checkDecryption(decryptionContext(election, index, candidate), keys[index - 1], total[0], factor, pairs[candidate])) {
        throw ProtocolError("decryption", "partial decryption of trustee " + index + ": proof of correct decryption for candidate " + (candidate + 1) + " invalid");
      }
    });
    return true;
  }

  function ready() { return sodium.ready.then(function () { return api; }); }

  var api = {
    ready: ready,
    ProtocolError: ProtocolError,
    canonicalJson: canonicalJson,
    fingerprint: fingerprint,
    prepare: prepare,
    encryptBallot: encryptBallot,
    verifyBallot: verifyBallot,
    auditBallot: auditBallot,
    ballotHash: ballotHash,
    tracker: tracker,
    trackerFromHash: trackerFromHash,
    generateKey: generateKey,
    makeDealing: makeDealing,
    makeConfirmation: makeConfirmation,
    checkRecord: checkRecord,
    partialDecryption: partialDecryption,
    checkPartialDecryption: checkPartialDecryption,
  };
  return api;
});
