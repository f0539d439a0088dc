"""Admin viewsets whose single-object views refuse (404) an object outside the user's scope.

A viewset's listing shows only what its index view's ``get_base_queryset`` returns; a typed URL
(``…/edit/<pk>/``) must not reach another council's object either. ``ScopedViewSetMixin`` wraps
each of the viewset's single-object views (edit, delete, history, usage, inspect, copy) so that
``get_object`` answers 404 unless ``object_allowed(user, obj)``. Used by councils (memberships,
hearing lists) and consultations (responses, required-consultee rules).
"""

from django.http import Http404


class ScopedObjectMixin:
    """Single-object admin view: the object must pass ``allowed(user, obj)``, else 404."""

    allowed = None  # (user, obj) -> bool

    def get_object(self, *args, **kwargs):
        obj = super().get_object(*args, **kwargs)
        if obj is not None and not type(self).allowed(self.request.user, obj):
            raise Http404
        return obj


def in_scope(scope):
    """``allowed`` for a function ``scope(user) -> queryset``: the object is in that queryset."""

    def allowed(user, obj):
        return scope(user).filter(pk=obj.pk).exists()

    return allowed


def scoped(view_class, allowed):
    return type(f"Scoped{view_class.__name__}", (ScopedObjectMixin, view_class), {"allowed": staticmethod(allowed)})


class ScopedViewSetMixin:
    """Mixed in before ``ModelViewSet``/``SnippetViewSet``: every view named in ``scoped_views``
    (``<name>_view_class``, the viewset's own or Wagtail's default) is wrapped in
    ``ScopedObjectMixin`` with the viewset's ``object_allowed``."""

    scoped_views = ("edit", "delete", "history", "usage", "inspect", "copy")
    object_allowed = None  # (user, obj) -> bool; in_scope(f) for a queryset function f

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        allowed = cls.object_allowed  # a plain function: read on the class, it is not bound
        for name in cls.scoped_views:
            attribute = f"{name}_view_class"
            view_class = getattr(cls, attribute)
            if not issubclass(view_class, ScopedObjectMixin):
                setattr(cls, attribute, scoped(view_class, allowed))
