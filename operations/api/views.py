from django.db.models import F
from drf_spectacular.utils import extend_schema
from rest_framework.decorators import action
from rest_framework.response import Response

from core.api.related import X, Y, related_json
from core.api.renderers import GEO_RENDERERS, Column
from core.api.viewsets import MissionReadOnlyViewSet, MissionViewSet
from hotspots.api.places import place_values

from .. import services
from ..filters import ContingentFilterSet, ReportFilterSet, TrainingFilterSet
from ..models import Contingent, OperationReport, TrainingRecord
from .contingents import contingents_json
from .serializers import ContingentSerializer, ReportSerializer, TrainingSerializer


def _split(validated: dict, *relations: str) -> tuple[dict, dict]:
    """The validated fields, and apart from them the many-to-many ones the service sets."""
    fields = dict(validated)
    return fields, {name: fields.pop(name) for name in relations if name in fields}


class ReportViewSet(MissionViewSet):
    """Operation reports. Staff create and change their own; approvers submit and approve.

    Partners see approved reports released to partners or the public.
    """

    queryset = OperationReport.objects.annotate(
        lon=X("location"),
        lat=Y("location"),
        places=related_json(OperationReport.hotspots.through, "operationreport", *place_values("hotspot")),
        contingent_codes=contingents_json(OperationReport.contingents.through, "operationreport"),
        author_name=F("author__username"),
        approver_name=F("approved_by__username"),
    )
    serializer_class = ReportSerializer
    filterset_class = ReportFilterSet
    partner_readable = True
    renderer_classes = GEO_RENDERERS
    export_columns = [
        Column("id", "#meta+id", "id"),
        Column("reference", "#meta+ref", "reference"),
        Column("started_at", "#date+start", "started_at"),
        Column("ended_at", "#date+end", "ended_at"),
        Column("title", "#description+title", "title"),
        Column("operation_kind", "#event+type", "operation_kind"),
        Column("hotspots", "#loc+name", "hotspots"),
        Column("lat", "#geo+lat", "geometry.coordinates.1"),
        Column("lon", "#geo+lon", "geometry.coordinates.0"),
        Column("department", "#adm1+name", "department"),
        Column("commune", "#adm2+name", "commune"),
        Column("contingents", "#org+contingent", "contingents"),
        Column("personnel_deployed", "#capacity+personnel+num", "personnel_deployed"),
        Column("arrests", "#indicator+arrests+num", "arrests"),
        Column("weapons_seized", "#indicator+weapons_seized+num", "weapons_seized"),
        Column("personnel_injured", "#affected+injured+personnel", "personnel_injured"),
        Column("personnel_killed", "#affected+killed+personnel", "personnel_killed"),
        Column("civilians_injured", "#affected+injured+civilians", "civilians_injured"),
        Column("civilians_killed", "#affected+killed+civilians", "civilians_killed"),
        Column("status", "#status", "status"),
        Column("releasability", "#meta+releasability", "releasability"),
        Column("updated_at", "#date+updated", "updated_at"),
    ]

    def perform_create(self, serializer):
        fields, relations = _split(serializer.validated_data, "hotspots", "contingents")
        report = services.report_save(report=OperationReport(**fields), user=self.request.user, **relations)
        serializer.instance = self.reread(report)

    def perform_update(self, serializer):
        fields, relations = _split(serializer.validated_data, "hotspots", "contingents")
        report = serializer.instance
        for name, value in fields.items():
            setattr(report, name, value)
        serializer.instance = self.reread(
            services.report_save(report=report, user=self.request.user, **relations)
        )

    @extend_schema(request=None, responses=ReportSerializer)
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        """A draft goes to the approvers (its author, or an approver)."""
        report = services.report_submit(report=self.get_object(), user=request.user)
        return Response(self.get_serializer(self.reread(report)).data)

    @extend_schema(request=None, responses=ReportSerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        """An approver approves a submitted report of someone else's."""
        report = services.report_approve(report=self.get_object(), user=request.user)
        return Response(self.get_serializer(self.reread(report)).data)


class TrainingViewSet(MissionViewSet):
    """HNP training records. Staff create and change their own (approvers, anyone's).

    Partners see the records released to partners or the public.
    """

    queryset = TrainingRecord.objects.annotate(
        lon=X("location"),
        lat=Y("location"),
        places=related_json(TrainingRecord, "pk", *place_values("hotspot")),
        contingent_codes=contingents_json(TrainingRecord.providing_contingents.through, "trainingrecord"),
        author_name=F("author__username"),
    )
    serializer_class = TrainingSerializer
    filterset_class = TrainingFilterSet
    partner_readable = True
    renderer_classes = GEO_RENDERERS
    export_columns = [
        Column("id", "#meta+id", "id"),
        Column("starts_on", "#date+start", "starts_on"),
        Column("ends_on", "#date+end", "ends_on"),
        Column("course", "#activity+name", "course"),
        Column("topic", "#activity+type", "topic"),
        Column("hotspot", "#loc+name", "hotspot"),
        Column("place_name", "#loc+name+alt", "place_name"),
        Column("lat", "#geo+lat", "geometry.coordinates.1"),
        Column("lon", "#geo+lon", "geometry.coordinates.0"),
        Column("department", "#adm1+name", "department"),
        Column("commune", "#adm2+name", "commune"),
        Column("providing_contingents", "#org+contingent", "providing_contingents"),
        Column("trainees_total", "#reached+trainees+num", "trainees_total"),
        Column("trainees_women", "#reached+trainees+f+num", "trainees_women"),
        Column("status", "#status", "status"),
        Column("releasability", "#meta+releasability", "releasability"),
        Column("updated_at", "#date+updated", "updated_at"),
    ]

    def perform_create(self, serializer):
        fields, relations = _split(serializer.validated_data, "providing_contingents")
        record = services.training_save(record=TrainingRecord(**fields), user=self.request.user, **relations)
        serializer.instance = self.reread(record)

    def perform_update(self, serializer):
        fields, relations = _split(serializer.validated_data, "providing_contingents")
        record = serializer.instance
        for name, value in fields.items():
            setattr(record, name, value)
        serializer.instance = self.reread(
            services.training_save(record=record, user=self.request.user, **relations)
        )


class ContingentViewSet(MissionReadOnlyViewSet):
    """The countries' contingents in the mission. Not paginated: there are a handful."""

    queryset = Contingent.objects.all()
    serializer_class = ContingentSerializer
    filterset_class = ContingentFilterSet
    partner_readable = True
    pagination_class = None
    lookup_field = "country_code"
    export_columns = [
        Column("country_code", "#country+code", "country_code"),
        Column("name", "#country+name", "name"),
        Column("name_fr", "#country+name+i_fr", "name_fr"),
        Column("is_active", "#status+active", "is_active"),
        Column("updated_at", "#date+updated", "updated_at"),
    ]
