"""Threshold trustees without a dealer: Pedersen's DKG with Feldman commitments (Belenios' threshold mode).

n trustees, any t of them decrypt. Four messages, all passed through the server, none secret:

1. **key** — trustee i generates a long-term key k_i (kept in the key file it downloads) and
   publishes K_i = k_i·G with a Schnorr proof of possession bound to the setup and to i.
2. **dealing** — once all n keys are in, trustee i picks a random polynomial f_i of degree t−1
   (coefficients a_i0 … a_i,t−1), publishes the commitments C_ik = a_ik·G, a proof of knowledge
   of a_i0, and for every trustee j (itself included) f_i(j) encrypted to K_j (ElGamal key
   agreement + XChaCha20-Poly1305). The whole dealing is signed with k_i. The polynomial is
   then forgotten: it never leaves the browser and is never stored.
3. **confirmation** — trustee j decrypts the n shares addressed to it, checks each against the
   dealer's commitments (f_i(j)·G = Σ_k j^k·C_ik), and publishes its verification key
   VK_j = x_j·G for x_j = Σ_i f_i(j), with a proof of knowledge of x_j bound to the digest of
   all dealings. A share that fails the check stops the trustee with the dealer's number
   (a complaint); the setup is then run again without that dealer's trustee.
4. The election public key is Y = Σ_i C_i0; its secret Σ_i a_i0 is never held by anyone.

x_j is not stored either: the trustee re-derives it from its key file and the (public,
encrypted) dealings when it decrypts the totals.
"""

import os

from nacl import bindings as sodium
from nacl.exceptions import CryptoError

from . import encoding, proofs
from . import group as g

KEY_FORMAT = "medborger-trustee-key/1"
NONCE_BYTES = 24
SEALED_SHARE_BYTES = 32 + 16


class SetupError(ValueError):
    """A trustee message that is malformed or does not verify; ``trustee`` names whose message (1-based)."""

    def __init__(self, trustee, reason):
        super().__init__(f"trustee {trustee}: {reason}")
        self.trustee = trustee
        self.reason = reason


# --- the setup every message is bound to -----------------------------------------------------


def new_setup(election_id: str, threshold: int, trustees: int) -> dict:
    """The public description of one key ceremony: which election, t and n."""
    if not 1 <= threshold <= trustees:
        raise ValueError("the threshold must be between 1 and the number of trustees")
    return {"election": str(election_id), "threshold": threshold, "trustees": trustees}


def setup_context(setup) -> bytes:
    return bytes.fromhex(encoding.fingerprint(setup))


def _check_index(setup, index):
    if not isinstance(index, int) or isinstance(index, bool) or not 1 <= index <= setup["trustees"]:
        raise SetupError(index, "trustee number out of range")


# --- 1. long-term key ------------------------------------------------------------------------


def _key_context(setup, index):
    return [setup_context(setup), g.int_bytes(index)]


def generate_key(setup, index):
    """Trustee ``index``'s key file (secret: download it, never upload it) and its public key message."""
    _check_index(setup, index)
    secret = g.random_scalar()
    public = g.base_mul(secret)
    proof = proofs.sign("trustee-key", _key_context(setup, index), secret, public, b"possession")
    key_file = {
        "format": KEY_FORMAT,
        "setup": encoding.fingerprint(setup),
        "index": index,
        "secret": g.b64encode(secret),
        "public": g.b64encode(public),
    }
    message = {"index": index, "public": g.b64encode(public), "proof": proofs.encode_proof([proof])[0]}
    return key_file, message


def read_key_file(setup, key_file):
    """(index, secret, public) from a key file, checked against the setup."""
    if not isinstance(key_file, dict) or key_file.get("format") != KEY_FORMAT:
        raise SetupError(0, "not a trustee key file")
    if key_file.get("setup") != encoding.fingerprint(setup):
        raise SetupError(key_file.get("index", 0), "the key file belongs to another election or key ceremony")
    index = key_file.get("index")
    _check_index(setup, index)
    try:
        secret, public = g.decode_scalar(key_file.get("secret")), g.decode_point(key_file.get("public"))
    except g.InvalidEncoding as error:
        raise SetupError(index, f"key file: {error}") from error
    if g.base_mul(secret) != public:
        raise SetupError(index, "key file: the secret does not match the public key")
    return index, secret, public


def _point_and_proof(message, field, index, what):
    """The point in ``message[field]`` and the one signature proof in ``message["proof"]`` of trustee
    ``index``'s ``what`` (key message, confirmation); a bad encoding is a SetupError naming it."""
    try:
        point = g.decode_point(message[field])
        (pair,) = proofs.decode_proof([message["proof"]], 1)
    except (g.InvalidEncoding, proofs.ProofError) as error:
        raise SetupError(index, f"{what}: {error}") from error
    return point, pair


def check_key(setup, message, index):
    """Trustee ``index``'s public key K_i from its key message, after checking the proof of possession."""
    if not isinstance(message, dict) or message.get("index") != index or set(message) != {"index", "public", "proof"}:
        raise SetupError(index, "malformed key message")
    public, pair = _point_and_proof(message, "public", index, "key message")
    if not proofs.check_signature("trustee-key", _key_context(setup, index), public, b"possession", pair):
        raise SetupError(index, "proof of possession of the key invalid")
    return public


def check_keys(setup, messages):
    """[K_1 … K_n] from the n key messages in trustee order."""
    if not isinstance(messages, list) or len(messages) != setup["trustees"]:
        raise SetupError(0, f"expected {setup['trustees']} trustee keys")
    return [check_key(setup, message, i) for i, message in enumerate(messages, start=1)]


# --- 2. dealing: commitments and encrypted shares --------------------------------------------


def _evaluate(coefficients, x):
    """f(x) mod L for the polynomial with the given scalar coefficients (Horner)."""
    result = bytes(32)
    point = g.scalar_from_int(x)
    for coefficient in reversed(coefficients):
        result = g.scalar_add(g.scalar_mul(result, point), coefficient)
    return result


def _share_key(setup, dealer, recipient, ephemeral, recipient_key, shared):
    parts = [setup_context(setup), g.int_bytes(dealer), g.int_bytes(recipient), ephemeral, recipient_key, shared]
    return encoding.sha256_bytes(g.hash_input("share-key", parts))


def _share_ad(setup, dealer, recipient):
    return g.hash_input("share", [setup_context(setup), g.int_bytes(dealer), g.int_bytes(recipient)])


def seal_share(setup, dealer, recipient, recipient_key, share):
    """f_dealer(recipient) encrypted to the recipient's long-term key."""
    ephemeral_secret = g.random_scalar()
    ephemeral = g.base_mul(ephemeral_secret)
    key = _share_key(setup, dealer, recipient, ephemeral, recipient_key, g.mul(recipient_key, ephemeral_secret))
    nonce = os.urandom(NONCE_BYTES)
    sealed = sodium.crypto_aead_xchacha20poly1305_ietf_encrypt(share, _share_ad(setup, dealer, recipient), nonce, key)
    return {
        "to": recipient,
        "ephemeral": g.b64encode(ephemeral),
        "nonce": g.b64encode(nonce),
        "ciphertext": g.b64encode(sealed),
    }


def open_share(setup, dealer, recipient, secret, public, sealed):
    """The share scalar addressed to ``recipient``; SetupError (naming the dealer) if it does not open."""
    try:
        ephemeral = g.decode_point(sealed["ephemeral"])
        nonce = g.b64decode(sealed["nonce"], NONCE_BYTES)
        ciphertext = g.b64decode(sealed["ciphertext"], SEALED_SHARE_BYTES)
    except (g.InvalidEncoding, KeyError, TypeError) as error:
        raise SetupError(dealer, f"share for trustee {recipient} malformed") from error
    key = _share_key(setup, dealer, recipient, ephemeral, public, g.mul(ephemeral, secret))
    try:
        share = sodium.crypto_aead_xchacha20poly1305_ietf_decrypt(
            ciphertext, _share_ad(setup, dealer, recipient), nonce, key
        )
    except CryptoError as error:
        raise SetupError(dealer, f"share for trustee {recipient} does not decrypt") from error
    if not g.is_canonical_scalar(share):
        raise SetupError(dealer, f"share for trustee {recipient} is not a scalar")
    return share


def _dealing_body(dealing):
    return {key: dealing[key] for key in ("index", "commitments", "shares")}


def _dealing_digest(dealing):
    return bytes.fromhex(encoding.fingerprint(_dealing_body(dealing)))


def make_dealing(setup, key_file, key_messages):
    """Trustee's dealing (step 2): commitments, proof for a_0, a sealed share for every trustee, signed."""
    index, secret, public = read_key_file(setup, key_file)
    keys = check_keys(setup, key_messages)
    if keys[index - 1] != public:
        raise SetupError(index, "the key file does not match this trustee's published key")
    coefficients = [g.random_scalar() for _ in range(setup["threshold"])]
    dealing = {
        "index": index,
        "commitments": [g.b64encode(g.base_mul(a)) for a in coefficients],
        "shares": [seal_share(setup, index, j, key, _evaluate(coefficients, j)) for j, key in enumerate(keys, 1)],
    }
    digest, context = _dealing_digest(dealing), _key_context(setup, index)
    constant = g.base_mul(coefficients[0])
    dealing["constant_proof"] = proofs.encode_proof(
        [proofs.sign("dealing-constant", context, coefficients[0], constant, digest)]
    )[0]
    dealing["signature"] = proofs.encode_proof([proofs.sign("dealing", context, secret, public, digest)])[0]
    return dealing


def check_dealing(setup, keys, dealing, index):
    """The decoded commitments [C_0 … C_t−1] of trustee ``index``'s dealing, after checking its form and proofs."""
    members = {"index", "commitments", "shares", "constant_proof", "signature"}
    if not isinstance(dealing, dict) or set(dealing) != members or dealing["index"] != index:
        raise SetupError(index, "malformed dealing")
    commitments = dealing["commitments"]
    if not isinstance(commitments, list) or len(commitments) != setup["threshold"]:
        raise SetupError(index, f"a dealing has {setup['threshold']} commitments")
    shares = dealing["shares"]
    if not isinstance(shares, list) or [s.get("to") if isinstance(s, dict) else None for s in shares] != list(
        range(1, setup["trustees"] + 1)
    ):
        raise SetupError(index, "a dealing has one share for every trustee, in order")
    try:
        decoded = [g.decode_point(c) for c in commitments]
        (constant_pair, signature) = proofs.decode_proof([dealing["constant_proof"], dealing["signature"]], 2)
    except (g.InvalidEncoding, proofs.ProofError) as error:
        raise SetupError(index, f"dealing: {error}") from error
    digest, context = _dealing_digest(dealing), _key_context(setup, index)
    if not proofs.check_signature("dealing", context, keys[index - 1], digest, signature):
        raise SetupError(index, "dealing signature invalid")
    if not proofs.check_signature("dealing-constant", context, decoded[0], digest, constant_pair):
        raise SetupError(index, "proof of knowledge of the polynomial's constant term invalid")
    return decoded


def check_dealings(setup, keys, dealings):
    if not isinstance(dealings, list) or len(dealings) != setup["trustees"]:
        raise SetupError(0, f"expected {setup['trustees']} dealings")
    return [check_dealing(setup, keys, dealing, i) for i, dealing in enumerate(dealings, start=1)]


# --- 3. shares, verification keys and confirmation -------------------------------------------


def commitment_at(commitments, x):
    """Σ_k x^k·C_k: the point f(x)·G predicted by the commitments."""
    return g.point_sum(g.mul(c, g.scalar_from_int(pow(x, k, g.L))) for k, c in enumerate(commitments))


def verification_key(all_commitments, index):
    """VK_index = Σ_i f_i(index)·G, computable by anyone from the published commitments."""
    return g.point_sum(commitment_at(commitments, index) for commitments in all_commitments)


def all_dealings_digest(dealings):
    return bytes.fromhex(encoding.fingerprint(dealings))


def derive_share(setup, key_file, key_messages, dealings):
    """Trustee's secret share x_j = Σ_i f_i(j), after checking every share against its dealer's commitments."""
    index, secret, public = read_key_file(setup, key_file)
    keys = check_keys(setup, key_messages)
    all_commitments = check_dealings(setup, keys, dealings)
    total = bytes(32)
    for dealer, (dealing, commitments) in enumerate(zip(dealings, all_commitments, strict=True), start=1):
        share = open_share(setup, dealer, index, secret, public, dealing["shares"][index - 1])
        if g.base_mul(share) != commitment_at(commitments, index):
            raise SetupError(dealer, f"share for trustee {index} does not match the dealer's commitments")
        total = g.scalar_add(total, share)
    return index, total, all_commitments


def make_confirmation(setup, key_file, key_messages, dealings):
    """Step 3: the trustee's verification key with a proof that it holds the matching share."""
    index, share, all_commitments = derive_share(setup, key_file, key_messages, dealings)
    key = g.base_mul(share)
    if key != verification_key(all_commitments, index):
        raise SetupError(index, "derived share does not match the verification key")
    context = [*_key_context(setup, index), all_dealings_digest(dealings)]
    proof = proofs.sign("confirmation", context, share, key, b"shares-verified")
    return {"index": index, "verification_key": g.b64encode(key), "proof": proofs.encode_proof([proof])[0]}


def check_confirmation(setup, dealings, all_commitments, message, index):
    if (
        not isinstance(message, dict)
        or set(message) != {"index", "verification_key", "proof"}
        or message["index"] != index
    ):
        raise SetupError(index, "malformed confirmation")
    key, pair = _point_and_proof(message, "verification_key", index, "confirmation")
    if key != verification_key(all_commitments, index):
        raise SetupError(index, "verification key does not follow from the dealers' commitments")
    context = [*_key_context(setup, index), all_dealings_digest(dealings)]
    if not proofs.check_signature("confirmation", context, key, b"shares-verified", pair):
        raise SetupError(index, "confirmation proof invalid")
    return key


# --- 4. the election key -------------------------------------------------------------------


def public_key(all_commitments):
    return g.point_sum(commitments[0] for commitments in all_commitments)


def assemble(setup, key_messages, dealings, confirmations):
    """The trustees' public record (the election's ``trustees`` member) and the election public key (base64)."""
    record = {"setup": setup, "keys": key_messages, "dealings": dealings, "confirmations": confirmations}
    key, _verification_keys = check_record(record)
    return record, g.b64encode(key)


def check_record(record):
    """(Y, [VK_1 … VK_n]) from a trustees' record after checking every message in it."""
    if not isinstance(record, dict) or set(record) != {"setup", "keys", "dealings", "confirmations"}:
        raise SetupError(0, "malformed trustees record")
    setup = record["setup"]
    if (
        not isinstance(setup, dict)
        or set(setup) != {"election", "threshold", "trustees"}
        or not isinstance(setup["threshold"], int)
        or not isinstance(setup["trustees"], int)
        or not 1 <= setup["threshold"] <= setup["trustees"]
    ):
        raise SetupError(0, "malformed setup")
    keys = check_keys(setup, record["keys"])
    all_commitments = check_dealings(setup, keys, record["dealings"])
    confirmations = record["confirmations"]
    if not isinstance(confirmations, list) or len(confirmations) != setup["trustees"]:
        raise SetupError(0, "every trustee must confirm its shares")
    verification_keys = [
        check_confirmation(setup, record["dealings"], all_commitments, message, i)
        for i, message in enumerate(confirmations, start=1)
    ]
    return public_key(all_commitments), verification_keys
