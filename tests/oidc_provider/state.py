"""What the tests set over /test/configure/: one provider process, shared by its request threads."""

MODES = ("normal", "wrong_issuer", "expired", "bad_signature")

mode = "normal"
identities = {}  # username -> the claims the broker sends for that person
