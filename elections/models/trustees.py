"""The trustees (valgtillidsfolk) who hold the election key together; any ``threshold`` of them decrypt.

Each trustee's private key stays in a key file on their own computer; the server keeps only the
public messages of the key ceremony (key with proof of possession, dealing, confirmation) and,
after the close, the partial decryption of the totals with its proof (docs/election-protocol.md,
section 3 and 6). Every message is checked with ``elections.protocol`` before it is stored.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Trustee(models.Model):
    """Trustee number ``index`` (1 … n) of one election, identified by the email of their login."""

    election = models.ForeignKey("elections.ElectionPage", on_delete=models.CASCADE, related_name="trustees")
    index = models.PositiveSmallIntegerField(_("nummer"))
    name = models.CharField(_("navn"), max_length=200)
    email = models.EmailField(_("e-mailadresse"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    key_message = models.JSONField(null=True, blank=True)
    dealing = models.JSONField(null=True, blank=True)
    confirmation = models.JSONField(null=True, blank=True)
    partial_decryption = models.JSONField(null=True, blank=True)

    class Meta:
        verbose_name = _("valgtillidsperson")
        verbose_name_plural = _("valgtillidsfolk")
        ordering = ["election", "index"]
        constraints = [
            models.UniqueConstraint(fields=["election", "index"], name="unique_trustee_index"),
            models.UniqueConstraint(fields=["election", "email"], name="unique_trustee_email"),
        ]

    def __str__(self):
        return f"{self.index}. {self.name}"
