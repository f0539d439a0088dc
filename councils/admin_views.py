"""Admin views for importing and exporting a hearing list's parties as CSV."""

from django import forms
from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from core.tabular import csv_response, read_upload

from .hearing_csv import MAX_BYTES, ImportRejected, export_rows, import_parties
from .permissions import hearing_lists_for_user


class PartyImportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("CSV-fil med parter"),
        help_text=gettext_lazy(
            "Kolonner: navn, type, e-mail, råd (valgfri), aktiv (ja/nej, valgfri), sprog for invitationer "
            "(fx so eller somali, valgfri; ellers dansk). Første linje er overskrifter. Adskil med semikolon "
            "eller komma."
        ),
    )


class HearingListImportView(WagtailAdminTemplateMixin, FormView):
    template_name = "councils/admin/hearing_list_import.html"
    form_class = PartyImportForm
    header_icon = "upload"

    def dispatch(self, request, *args, **kwargs):
        self.hearing_list = get_object_or_404(hearing_lists_for_user(request.user), pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self):
        return _("Importér parter til %(name)s") % {"name": self.hearing_list.name}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["hearing_list"] = self.hearing_list
        context.setdefault("import_errors", [])
        return context

    def form_valid(self, form):
        try:
            count = import_parties(self.hearing_list, read_upload(form.cleaned_data["file"], MAX_BYTES))
        except ImportRejected as rejected:
            messages.error(self.request, _("Filen blev ikke importeret. Ret fejlene nedenfor, og prøv igen."))
            return self.render_to_response(self.get_context_data(form=form, import_errors=rejected.errors))
        messages.success(
            self.request,
            _("%(count)s parter er importeret til %(name)s.") % {"count": count, "name": self.hearing_list.name},
        )
        return redirect(self.hearing_list.snippet_viewset.get_url_name("edit"), self.hearing_list.pk)


def hearing_list_export(request, pk):
    hearing_list = get_object_or_404(hearing_lists_for_user(request.user), pk=pk)
    return csv_response(export_rows(hearing_list), f"{slugify(hearing_list.name) or 'hoeringsliste'}.csv")
