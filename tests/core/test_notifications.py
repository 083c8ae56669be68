import pytest
from django.core import mail
from django.urls import reverse

from core import services as core_services
from core.models import Notification
from tests.factories.accounts import UserFactory

pytestmark = pytest.mark.django_db


def test_notify_creates_one_message_per_person_and_emails_after_commit(
    company_member, django_capture_on_commit_callbacks
):
    colleague = UserFactory(organisation=company_member.organisation)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        core_services.notify(
            recipients=[company_member, colleague, company_member],
            title="场景已发布",
            body="您关注的场景已发布",
            link="/home/",
        )
    assert Notification.objects.count() == 2
    assert mail.outbox == []  # nothing is mailed before the transaction commits
    for callback in callbacks:
        callback()
    assert sorted(message.to[0] for message in mail.outbox) == sorted([company_member.email, colleague.email])
    assert "http://127.0.0.1:8000/home/" in mail.outbox[0].body


def test_unread_count_shows_in_the_header_and_clears_when_read(client, company_member):
    core_services.notify(recipients=[company_member], title="机构已通过认证", link="/organisation/", email=False)
    core_services.notify(recipients=[company_member], title="新的邀请", email=False)
    client.force_login(company_member)
    page = client.get(reverse("core:notifications")).content.decode()
    assert 'data-testid="unread-count">2<' in page

    first = Notification.objects.get(title="机构已通过认证")
    response = client.post(reverse("core:notification-open", args=[first.pk]))
    assert response.url == "/organisation/"
    page = client.get(reverse("core:notifications")).content.decode()
    assert 'data-testid="unread-count">1<' in page

    client.post(reverse("core:notifications-read-all"))
    page = client.get(reverse("core:notifications")).content.decode()
    assert 'data-testid="unread-count"' not in page


def test_someone_elses_notification_answers_404(client, company_member):
    stranger = UserFactory()
    notification = core_services.notify(recipients=[stranger], title="私人消息", email=False)[0]
    client.force_login(company_member)
    assert client.post(reverse("core:notification-open", args=[notification.pk])).status_code == 404
    notification.refresh_from_db()
    assert notification.read_at is None


def test_notification_links_never_leave_the_portal(client, company_member):
    notification = core_services.notify(
        recipients=[company_member], title="钓鱼", link="https://evil.example/", email=False
    )[0]
    client.force_login(company_member)
    response = client.post(reverse("core:notification-open", args=[notification.pk]))
    assert response.url == reverse("core:notifications")
