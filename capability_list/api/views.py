from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response

from accounts.selectors import district_by_code
from capability_list import selectors, services
from capability_list.api.serializers import (
    AgendaAddSerializer,
    AgendaRecordSerializer,
    EnquiryAnswerSerializer,
    EnquiryCreateSerializer,
    EnquiryRateSerializer,
    EnquirySerializer,
    EntrySerializer,
    EntryWriteSerializer,
    EventSerializer,
    IndustrySerializer,
    ReviewSerializer,
    StrategicAreaSerializer,
)
from capability_list.choices import EntryStatus
from capability_list.filters import EnquiryFilterSet, EntryFilterSet, EventFilterSet
from capability_list.models import CapabilityEntry, Enquiry, Industry, MatchmakingEvent, StrategicArea
from capability_list.permissions import (
    MaySeeEvents,
    can_answer,
    can_ask,
    can_file_entries,
    is_asker_of,
    is_association_member,
    is_operator,
)
from core.api.cached_lists import CachedPublicListMixin
from core.errors import PermissionDenied
from core.page_cache import cached_value
from core.permissions import require
from scenarios.selectors import scenario_for


def _split_payload(validated: dict) -> tuple[dict, list | None, dict]:
    """The entry's fields, its credentials (None: keep), and the company fields of an association."""
    data = dict(validated)
    credentials = data.pop("credentials", None)
    company = {key: data.pop(key) for key in ("company_credit_code", "company_name", "company_district") if key in data}
    return data, credentials, company


class EntryViewSet(
    CachedPublicListMixin, mixins.CreateModelMixin, mixins.UpdateModelMixin, viewsets.ReadOnlyModelViewSet
):
    """能力清单. Anyone reads listed entries; companies and associations write; operators review."""

    queryset = CapabilityEntry.objects.none()
    # The list without ?scope= holds listed entries only: the same for everyone (`editable` is false
    # for a listed entry, whoever asks — capability_list.permissions.can_edit_entry).
    public_list_scope = selectors.LISTED_ENTRIES
    filterset_class = EntryFilterSet
    ordering_fields = ["listed_at", "name"]

    def get_permissions(self):
        return [AllowAny()] if self.action in ("list", "retrieve") else [IsAuthenticated()]

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "scope",
                str,
                enum=["mine", "review"],
                description="mine: 本企业/本协会代报的条目；review: 待审核（运营）",
            )
        ]
    )
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    def get_queryset(self):
        if self.action == "list":
            scope = self.request.query_params.get("scope")
            if scope == "mine":
                return selectors.entries_managed_by(self.request.user).order_by("-updated_at")
            if scope == "review" and is_operator(self.request.user):
                return selectors.review_queue()
            return selectors.listed_entries()
        return selectors.entries_visible_to(self.request.user)

    def get_serializer_class(self):
        return EntryWriteSerializer if self.action in ("create", "update", "partial_update") else EntrySerializer

    def retrieve(self, request, *args, **kwargs):
        """A listed entry reads the same for everyone (anyone may see it, nobody may edit it): its data
        is stored with the list's and answered from the cache, whoever asks next. Anything else — a
        company's draft, an entry under review — is read and authorised afresh every time, as is an
        address with query parameters (the filters apply to the lookup)."""
        if request.query_params or request.accepted_renderer.format != "json":
            return super().retrieve(request, *args, **kwargs)
        data = cached_value(
            selectors.LISTED_ENTRIES,
            request,
            "api-entry",
            lambda: super(EntryViewSet, self).retrieve(request, *args, **kwargs).data,
            keep=lambda data: data["status"] == EntryStatus.LISTED,
        )
        return Response(data)

    def _read(self, entry):
        return EntrySerializer(
            selectors.entries_visible_to(self.request.user).get(pk=entry.pk), context=self.get_serializer_context()
        ).data

    @extend_schema(request=EntryWriteSerializer, responses={201: EntrySerializer})
    def create(self, request, *args, **kwargs):
        require(can_file_entries(request.user))  # companies and associations: the role before the payload
        serializer = EntryWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data, credentials, company_fields = _split_payload(serializer.validated_data)
        filing_company = None
        if is_association_member(request.user):
            district = district_by_code(company_fields.get("company_district", ""))
            if district is None:
                raise ValidationError({"company_district": ["请填写企业所在区域代码（如 yinzhou）。"]})
            filing_company = {
                "credit_code": company_fields.get("company_credit_code", ""),
                "name": company_fields.get("company_name", ""),
                "district": district,
            }
        elif request.user.organisation is None:
            raise ValidationError({"detail": ["只有企业本身或代报的行业协会可以登记能力清单。"]})
        entry = services.entry_save(
            actor=request.user, entry=None, data=data, credentials=credentials, filing_company=filing_company
        ).entry
        return Response(self._read(entry), status=status.HTTP_201_CREATED)

    @extend_schema(request=EntryWriteSerializer, responses=EntrySerializer)
    def update(self, request, *args, **kwargs):
        entry = self.get_object()
        serializer = EntryWriteSerializer(data=request.data, partial=kwargs.get("partial", False))
        serializer.is_valid(raise_exception=True)
        data, credentials, _company = _split_payload(serializer.validated_data)
        entry = services.entry_update(actor=request.user, entry=entry, data=data, credentials=credentials)
        return Response(self._read(entry))

    @extend_schema(request=None, responses=EntrySerializer)
    @action(detail=True, methods=["post"])
    def submit(self, request, *args, **kwargs):
        return Response(self._read(services.entry_submit(actor=request.user, entry=self.get_object())))

    @extend_schema(request=None, responses=EntrySerializer)
    @action(detail=True, methods=["post"])
    def withdraw(self, request, *args, **kwargs):
        return Response(self._read(services.entry_withdraw(actor=request.user, entry=self.get_object())))

    @extend_schema(request=ReviewSerializer, responses=EntrySerializer)
    @action(detail=True, methods=["post"])
    def review(self, request, *args, **kwargs):
        entry = self.get_object()  # a foreign entry is not found, whatever was sent
        if not is_operator(request.user):
            raise PermissionDenied(_("只有运营管理人员可以审核能力清单。"))
        serializer = ReviewSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        entry = services.entry_review(
            actor=request.user,
            entry=entry,
            approve=serializer.validated_data["approve"],
            note=serializer.validated_data["note"],
        )
        return Response(self._read(entry))


class IndustryViewSet(viewsets.ReadOnlyModelViewSet):
    """GB/T 4754-2017 sections and divisions."""

    queryset = Industry.objects.none()
    serializer_class = IndustrySerializer
    permission_classes = [AllowAny]
    pagination_class = None
    filter_backends = []
    lookup_field = "code"

    def get_queryset(self):
        return selectors.industries_all()


class StrategicAreaViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = StrategicArea.objects.none()
    serializer_class = StrategicAreaSerializer
    permission_classes = [AllowAny]
    pagination_class = None
    filter_backends = []
    lookup_field = "code"

    def get_queryset(self):
        return selectors.strategic_areas()


class EnquiryViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """咨询对接: one's company's enquiries and those addressed to one's organisation."""

    queryset = Enquiry.objects.none()
    serializer_class = EnquirySerializer
    filterset_class = EnquiryFilterSet
    ordering_fields = ["created_at", "due_date"]

    def get_queryset(self):
        return selectors.enquiries_visible_to(self.request.user)

    @extend_schema(request=EnquiryCreateSerializer, responses={201: EnquirySerializer})
    def create(self, request, *args, **kwargs):
        require(can_ask(request.user))  # companies ask: the role before the payload
        data = EnquiryCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        scenario = scenario_for(request.user, values["scenario"]) if values.get("scenario") else None
        department = selectors.government_department(values["department"]) if values.get("department") else None
        enquiry = services.enquiry_ask(
            actor=request.user,
            subject=values["subject"],
            question=values["question"],
            scenario=scenario,
            department=department,
        )
        return Response(EnquirySerializer(enquiry).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=EnquiryAnswerSerializer, responses=EnquirySerializer)
    @action(detail=True, methods=["post"])
    def answer(self, request, *args, **kwargs):
        enquiry = self.get_object()  # a foreign enquiry is not found, whatever was sent
        if not can_answer(request.user, enquiry):
            raise PermissionDenied(_("只有被咨询单位可以答复。"))
        data = EnquiryAnswerSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return Response(
            EnquirySerializer(
                services.enquiry_answer(actor=request.user, enquiry=enquiry, answer=data.validated_data["answer"])
            ).data
        )

    @extend_schema(request=EnquiryRateSerializer, responses=EnquirySerializer)
    @action(detail=True, methods=["post"])
    def rate(self, request, *args, **kwargs):
        enquiry = self.get_object()  # a foreign enquiry is not found, whatever was sent
        if not is_asker_of(request.user, enquiry):
            raise PermissionDenied(_("只有提问企业可以评价。"))
        data = EnquiryRateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        enquiry = services.enquiry_rate(
            actor=request.user,
            enquiry=enquiry,
            rating=data.validated_data["rating"],
            comment=data.validated_data["comment"],
        )
        return Response(EnquirySerializer(enquiry).data)


def _require_event_organiser(user) -> None:
    """Operators build agendas and record outcomes; a participant who sees the event gets 403 before
    the payload is read."""
    if not is_operator(user):
        raise PermissionDenied(_("只有运营管理人员可以组织对接活动。"))


class EventViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """论证会/对接会: operators create events and build agendas; participants read theirs."""

    queryset = MatchmakingEvent.objects.none()
    serializer_class = EventSerializer
    permission_classes = [MaySeeEvents]
    filterset_class = EventFilterSet
    ordering_fields = ["starts_at"]

    def get_queryset(self):
        return selectors.events_visible_to(self.request.user).prefetch_related("agenda__scenario", "agenda__entry")

    def create(self, request, *args, **kwargs):
        require(is_operator(request.user))  # operators create events: the role before the payload
        return super().create(request, *args, **kwargs)

    def perform_create(self, serializer):
        serializer.instance = services.event_create(actor=self.request.user, **serializer.validated_data)

    @extend_schema(request=AgendaAddSerializer, responses=EventSerializer)
    @action(detail=True, methods=["post"], url_path="agenda")
    def agenda_add(self, request, *args, **kwargs):
        event = self.get_object()
        _require_event_organiser(request.user)
        data = AgendaAddSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        scenario = scenario_for(request.user, data.validated_data["scenario"])
        entry = selectors.entry_for(request.user, data.validated_data["entry"])
        services.agenda_add(actor=request.user, event=event, scenario=scenario, entry=entry)
        return Response(EventSerializer(self.get_queryset().get(pk=event.pk)).data)

    @extend_schema(request=AgendaRecordSerializer, responses=EventSerializer)
    @action(detail=True, methods=["post"], url_path="outcome")
    def agenda_record(self, request, *args, **kwargs):
        event = self.get_object()
        _require_event_organiser(request.user)
        data = AgendaRecordSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        item = selectors.agenda_item_of(event, values["item"])
        services.agenda_record(
            actor=request.user,
            item=item,
            publisher_attended=values["publisher_attended"],
            company_attended=values["company_attended"],
            outcome=values["outcome"],
            note=values["note"],
        )
        return Response(EventSerializer(self.get_queryset().get(pk=event.pk)).data)
