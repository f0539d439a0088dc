from django.shortcuts import render


def ratelimited(request, exception=None):
    """The page for a request refused by a rate limit (django-ratelimit's RATELIMIT_VIEW)."""
    return render(request, "429.html", status=429)
