"""Helpers for the apps' idempotent demo content."""


def reporter(stdout):
    """``say(message)`` for an app's demo loader: written to ``stdout`` (the command's), or nowhere."""

    def say(message):
        if stdout is not None:
            stdout.write(message)

    return say


def get_or_create_child(parent, model, slug, **fields):
    """The child page of ``parent`` with this slug, made and published if it is missing."""
    existing = model.objects.child_of(parent).filter(slug=slug).first()
    if existing:
        return existing, False
    page = model(slug=slug, **fields)
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page, True
