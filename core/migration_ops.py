"""Migration operations shared by the apps.

``remap_choices`` renames stored choice values (e.g. Danish "aaben" to English "open"): in the
rows, and for page models also in the page revisions (a revision is the page's fields as JSON;
publishing an old revision must not bring an old value back). Reversible: backwards maps the
new values to the old ones.
"""

from django.db import migrations


def _remap_revisions(apps, page, field, mapping, relation):
    content_type_model = apps.get_model("contenttypes", "ContentType")
    revision_model = apps.get_model("wagtailcore", "Revision")
    app_label, model_name = page
    try:
        content_type = content_type_model.objects.get(app_label=app_label, model=model_name)
    except content_type_model.DoesNotExist:  # a fresh database: no page of this type yet
        return
    for revision in revision_model.objects.filter(content_type=content_type).iterator():
        content = revision.content
        items = (content.get(relation) or []) if relation else [content]
        changed = False
        for item in items:
            if isinstance(item, dict) and item.get(field) in mapping:
                item[field] = mapping[item[field]]
                changed = True
        if changed:
            revision_model.objects.filter(pk=revision.pk).update(content=content)


def _remap(app_label, model_name, field, mapping, page, relation):
    def run(apps, schema_editor):
        model = apps.get_model(app_label, model_name)
        for old, new in mapping.items():
            model.objects.filter(**{field: old}).update(**{field: new})
        if page:
            _remap_revisions(apps, page, field, mapping, relation)

    return run


def remap_choices(app_label, model_name, field, mapping, page=None, relation=None):
    """A reversible RunPython that maps ``field``'s stored values old -> new.

    ``page=(app_label, model_name)`` also rewrites the revisions of that page model: the field
    itself when ``relation`` is None, else the field of each item of the child relation
    ``relation`` (an inline panel's ParentalKey children) stored in the revision.
    """
    backwards = {new: old for old, new in mapping.items()}
    return migrations.RunPython(
        _remap(app_label, model_name, field, mapping, page, relation),
        _remap(app_label, model_name, field, backwards, page, relation),
    )
