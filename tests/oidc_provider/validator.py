"""django-oauth-toolkit's validator with a broker's claims and, on demand, its misbehaviour."""

import base64
import json
import time

from jwcrypto import jwk
from jwcrypto import jwt as jwcrypto_jwt
from oauth2_provider.oauth2_validators import OAuth2Validator

from . import state

# A key the provider never publishes: what "bad_signature" signs with.
ROGUE_KEY = jwk.JWK.generate(kty="RSA", size=2048)


def _part(segment):
    return json.loads(base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4)))


class BrokerValidator(OAuth2Validator):
    # Every claim of the identity, whatever the scopes (a broker decides that by its contract).
    oidc_claim_scope = None

    def get_additional_claims(self, request):
        return dict(state.identities.get(request.user.get_username(), {}))

    def get_oidc_issuer_endpoint(self, request):
        issuer = super().get_oidc_issuer_endpoint(request)
        return f"{issuer}/en-anden-udsteder" if state.mode == "wrong_issuer" else issuer

    def get_id_token_dictionary(self, token, token_handler, request):
        claims, expiration_time = super().get_id_token_dictionary(token, token_handler, request)
        if state.mode == "expired":
            now = int(time.time())
            claims.update(iat=now - 900, exp=now - 600)
        return claims, expiration_time

    def finalize_id_token(self, id_token, token, token_handler, request):
        serialized = super().finalize_id_token(id_token, token, token_handler, request)
        if state.mode != "bad_signature":
            return serialized
        header, claims, _signature = serialized.split(".")
        forged = jwcrypto_jwt.JWT(header=json.dumps(_part(header)), claims=json.dumps(_part(claims)))
        forged.make_signed_token(ROGUE_KEY)  # same "kid" in the header, another key
        return forged.serialize()
