from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.utils.translation import gettext_lazy as _


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)


class User(AbstractUser):
    """A person with an account. Email is the login; there is no username."""

    username = None
    email = models.EmailField(_("e-mailadresse"), unique=True)
    daily_response_notice = models.BooleanField(
        _("daglig mail om nye høringssvar"),
        default=False,
        help_text=_("Hver morgen en mail med de høringssvar, der er kommet det seneste døgn til dine råds høringer."),
    )

    objects = UserManager()

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = []

    class Meta:
        verbose_name = _("bruger")
        verbose_name_plural = _("brugere")

    def __str__(self):
        return self.get_full_name() or self.email

    @property
    def has_verified_email(self):
        # allauth's EmailAddress, through its foreign key to the user (no import of allauth's models here).
        return self.emailaddress_set.filter(email__iexact=self.email, verified=True).exists()

    @property
    def has_mfa(self):
        # allauth's mfa Authenticator, through its foreign key to the user; "totp" is Authenticator.Type.TOTP.
        return self.authenticator_set.filter(type="totp").exists()


class MitIDLevel(models.TextChoices):
    """The assurance level (NSIS sikringsniveau) a MitID broker reports for a login."""

    LOW = "low", _("lav")
    SUBSTANTIAL = "substantial", _("betydelig")
    HIGH = "high", _("høj")
    UNSPECIFIED = "unspecified", _("ikke oplyst")
