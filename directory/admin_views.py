"""The "Import HSDS" pages of the Wagtail admin, for directory managers."""

from django import forms
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _

from directory.hsds.uploads import check_upload, max_upload_bytes, run_import
from directory.models import HSDSImport
from directory.permissions import can_edit_any

SHOWN_PROBLEMS = 500


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Feed file"),
        help_text=_(
            "An Open Referral HSDS 3.0 JSON feed (.json: a list of services) or a CSV "
            "datapackage (.zip). Services already here, matched by their id, are updated."
        ),
    )

    def clean_file(self):
        uploaded = self.cleaned_data["file"]
        self.format = check_upload(uploaded)
        return uploaded


def _require_manager(request):
    if not can_edit_any(request.user):
        raise PermissionDenied


def import_view(request):
    _require_manager(request)
    if request.method == "POST":
        form = ImportForm(request.POST, request.FILES)
        if form.is_valid():
            uploaded = form.cleaned_data["file"]
            upload = HSDSImport(
                original_name=uploaded.name[:255],
                format=form.format,
                created_by=request.user,
            )
            upload.file.save(f"{upload.pk}.{'zip' if form.format == 'csv' else 'json'}", uploaded)
            run_import.enqueue(str(upload.pk))
            return redirect("directory_hsds_import_result", upload.pk)
    else:
        form = ImportForm()
    imports = Paginator(HSDSImport.objects.select_related("created_by"), 20).get_page(
        request.GET.get("p")
    )
    return TemplateResponse(
        request,
        "directory/admin/import.html",
        {
            "form": form,
            "imports": imports,
            "max_mb": f"{max_upload_bytes() / 1e6:g}",
        },
    )


def import_result_view(request, pk):
    _require_manager(request)
    upload = get_object_or_404(HSDSImport.objects.select_related("created_by"), pk=pk)
    report = upload.report or {}
    return TemplateResponse(
        request,
        "directory/admin/import_result.html",
        {
            "upload": upload,
            "report": report,
            "errors": report.get("errors", [])[:SHOWN_PROBLEMS],
            "warnings": report.get("warnings", [])[:SHOWN_PROBLEMS],
            "shown": SHOWN_PROBLEMS,
            "pending": upload.status in (HSDSImport.Status.QUEUED, HSDSImport.Status.RUNNING),
        },
    )
