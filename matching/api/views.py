from drf_spectacular.utils import extend_schema
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from core.permissions import require
from matching import selectors, services
from matching.api.serializers import MatchAnswerSerializer, MatchSerializer
from matching.filters import MatchFilterSet
from matching.models import Match
from matching.permissions import side_of


class MatchViewSet(viewsets.ReadOnlyModelViewSet):
    """匹配结果: operators see all; a publisher its scenarios'; a company
    its entries'. Filters: scenario, entry, domain, district, min_score, answer, q. Either side
    accepts or declines a match (declining needs a reason code)."""

    queryset = Match.objects.none()
    serializer_class = MatchSerializer
    filterset_class = MatchFilterSet
    ordering_fields = ["score", "updated_at"]
    ordering = ["-score", "id"]

    def get_queryset(self):
        return selectors.matches_visible_to(self.request.user)

    @extend_schema(request=MatchAnswerSerializer, responses=MatchSerializer)
    @action(detail=True, methods=["post"])
    def answer(self, request, *args, **kwargs):
        match = self.get_object()
        require(side_of(request.user, match) is not None)  # an operator sees it, but answers for no side
        data = MatchAnswerSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.match_answer(
            actor=request.user,
            match=match,
            decision=data.validated_data["decision"],
            reason=data.validated_data["reason"],
        )
        return Response(MatchSerializer(self.get_queryset().get(pk=match.pk)).data)
