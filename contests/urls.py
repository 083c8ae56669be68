from django.urls import path

from contests import operator_views, publisher_views, views

app_name = "contests"

urlpatterns = [
    path("contests/", views.contest_list, name="list"),
    path("challenges/", views.open_challenges, name="open-challenges"),
    path("contests/my-entries/", views.my_entries, name="my-entries"),
    path("contests/<int:pk>/", views.contest_detail, name="detail"),
    path("contests/<int:pk>/eligibility-rules/", views.eligibility_rules, name="eligibility-rules"),
    path("contests/<int:pk>/challenges/new/", views.challenge_create, name="challenge-create"),
    path("challenges/<int:pk>/enter/", views.entry_create, name="entry-create"),
    path("challenges/<int:pk>/panel/", views.panel, name="panel"),
    path("challenges/<int:pk>/running-order/", views.running_order, name="running-order"),
    path("challenges/<int:pk>/follow/", publisher_views.challenge_follow, name="challenge-follow"),
    path("entries/<int:pk>/", views.entry_detail, name="entry-detail"),
    path("entries/<int:pk>/attachments/", views.entry_attachment, name="entry-attachment"),
    path(
        "entries/<int:pk>/attachments/<int:attachment_pk>/", views.attachment_download, name="entry-attachment-download"
    ),
    path("judging/", views.judge_home, name="judge-home"),
    path("judging/profile/", views.judge_profile, name="judge-profile"),
    path("contests/<int:pk>/rubric/", views.rubric, name="rubric"),
]

urlpatterns += [
    path("judging/entries/<int:pk>/score/", views.score_sheet, name="score-sheet"),
    path("challenges/<int:pk>/ranking/", views.ranking, name="ranking"),
    path("contests/<int:pk>/live/", views.live_screen, name="live"),
    path("contests/<int:pk>/notice/", views.notice, name="notice"),
    path("contests/<int:pk>/awards/", views.awards, name="awards"),
    path("entries/<int:pk>/cooperation/", views.cooperation, name="cooperation"),
]

# The operators' pages (contests.operator_views).
urlpatterns += [
    path("contests/new/", operator_views.contest_create, name="create"),
    path("contests/<int:pk>/schedule/", operator_views.contest_reschedule, name="reschedule"),
    path("contests/eligibility/", operator_views.eligibility_queue, name="eligibility-queue"),
    path("entries/<int:pk>/eligibility/", operator_views.entry_eligibility, name="entry-eligibility"),
]
