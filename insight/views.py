"""The public "Our impact" page, its open-data downloads and the data dictionary.

Views parse the filters (`forms.FigureFilterForm`), read published figures (`report`,
`downloads`) and render; a filter that makes no sense gets a message, never an error page.
"""

from django.http import JsonResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control

from . import downloads
from .areas import AUTHORITY, DISTRICT
from .figures import area_choices, months_with_figures
from .forms import FigureFilterForm, months_between
from .measures import GROUPS, MEASURES
from .publish import DURATION_MIN_BASIS, HOURS_ROUND_TO, ROUND_TO, SHARE_MIN_BASIS, THRESHOLD
from .report import Report


def selection(request):
    """(form, report): the report is None when the filters need correcting."""
    known = {kind: area_choices(kind) for kind in (AUTHORITY, DISTRICT)}
    months = months_with_figures()
    latest = months[0] if months else None
    form = FigureFilterForm(request.GET or None, known_areas=known, latest=latest)
    if request.GET:
        if not form.is_valid():
            return form, None
        data = form.cleaned_data
    else:
        default = FigureFilterForm({}, known_areas=known, latest=latest)
        default.is_valid()
        data = default.cleaned_data
    return form, Report(data["months"], data["kind"], data["areas"])


def rule_context():
    return {
        "threshold": THRESHOLD,
        "round_to": ROUND_TO,
        "hours_round_to": HOURS_ROUND_TO,
        "share_min": SHARE_MIN_BASIS,
        "duration_min": DURATION_MIN_BASIS,
    }


def known_area_lists():
    return {"authorities": area_choices(AUTHORITY), "districts": area_choices(DISTRICT)}


@cache_control(public=True, max_age=300)
def impact(request):
    form, report = selection(request)
    status = 200 if report is not None else 400
    context = {
        "form": form,
        "report": report,
        "charts": report.charts(public=True) if report else [],
        "query": request.GET.urlencode(),
        **known_area_lists(),
        **rule_context(),
    }
    return render(request, "insight/impact.html", context, status=status)


def data_dictionary(request):
    groups = [(label, [m for m in MEASURES if m.group == code]) for code, label in GROUPS.items()]
    return render(
        request,
        "insight/data_dictionary.html",
        {"groups": groups, "licence": downloads.LICENCE, **rule_context()},
    )


def _bad_filters(form, as_json):
    errors = {field: [str(e) for e in errs] for field, errs in form.errors.items()}
    message = _("The filters need correcting.")
    if as_json:
        return JsonResponse({"error": message, "fields": errors}, status=400)
    text = message + "\n" + "\n".join(f"{k}: {' '.join(v)}" for k, v in errors.items()) + "\n"
    return StreamingHttpResponse([text], status=400, content_type="text/plain; charset=utf-8")


def _download_selection(request):
    known = {kind: area_choices(kind) for kind in (AUTHORITY, DISTRICT)}
    months = months_with_figures()
    form = FigureFilterForm(request.GET, known_areas=known, latest=months[0] if months else None)
    if not form.is_valid():
        return form, None
    data = form.cleaned_data
    if not request.GET.get("month_from") and not request.GET.get("month_to") and months:
        data["months"] = months_between(months[-1], months[0])
    kind = data["kind"] if request.GET.get("area_kind") else None
    return form, (data["months"], kind, data["areas"])


def download_csv(request):
    form, chosen = _download_selection(request)
    if chosen is None:
        return _bad_filters(form, as_json=False)
    response = StreamingHttpResponse(
        downloads.csv_lines(*chosen), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = 'attachment; filename="impact-figures.csv"'
    return response


def download_json(request):
    form, chosen = _download_selection(request)
    if chosen is None:
        return _bad_filters(form, as_json=True)
    response = StreamingHttpResponse(
        downloads.json_chunks(*chosen), content_type="application/json"
    )
    response["Content-Disposition"] = 'attachment; filename="impact-figures.json"'
    return response
