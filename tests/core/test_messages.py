"""Texts the portal keeps (站内消息, job titles, reference names, audit labels) read in each reader's
language, not in the language of whoever caused them."""

import re

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_noop

from accounts import services as account_services
from core import services as core_services
from core.messages import Message, label
from core.models import AuditRecord, Job, Notification
from tests.factories.accounts import DistrictFactory, OrganisationFactory, UserFactory, operator_user

pytestmark = pytest.mark.django_db

CHINESE = re.compile(r"[\u3400-\u9fff]")


def _in_english(client):
    client.cookies["django_language"] = "en"
    return client


def test_a_role_grant_message_reads_in_chinese_and_in_english_from_the_same_row(
    client, django_capture_on_commit_callbacks
):
    person = UserFactory(organisation=OrganisationFactory(), roles=[])
    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        # Granted by an operator who uses the English interface: the row keeps the message itself.
        admin = UserFactory(organisation=person.organisation, is_organisation_admin=True, roles=["company"])
        account_services.role_grant(actor=admin, user=person, role="company")
    notification = Notification.objects.get(recipient=person)
    assert notification.title == "您已获得“企业用户”角色"  # the text column: the portal's own language
    assert mail.outbox[-1].subject == "您已获得“企业用户”角色"
    client.force_login(person)
    assert "您已获得“企业用户”角色" in client.get(reverse("core:notifications")).content.decode()
    english = _in_english(client).get(reverse("core:notifications")).content.decode()
    assert "You have been granted the “Company member” role" in english
    assert "企业用户" not in english
    listed = client.get("/api/v1/notifications/").json()
    assert listed["results"][0]["title"] == "You have been granted the “Company member” role"


def test_plain_text_and_rows_written_before_messages_were_kept_read_as_stored(client):
    person = UserFactory()
    core_services.notify(recipients=[person], title="退回原因：材料不全", email=False)
    client.force_login(person)
    assert "退回原因：材料不全" in _in_english(client).get(reverse("core:notifications")).content.decode()


def test_a_message_parameter_may_itself_be_translated_and_dates_are_kept_as_iso():
    import datetime

    message = Message(
        gettext_noop("您已获得“%(role)s”角色"), role=label(gettext_noop("企业用户")), when=datetime.date(2026, 3, 1)
    )
    stored = message.as_json()
    assert stored["params"]["when"] == "2026-03-01"
    with translation.override("en"):
        assert Message.from_json(stored).render() == "You have been granted the “Company member” role"
    with translation.override("zh-hans"):
        assert Message.from_json(stored).render() == "您已获得“企业用户”角色"


def test_a_message_whose_parameters_do_not_fit_its_text_is_shown_not_raised():
    with translation.override("en"):
        assert Message(gettext_noop("任务已完成：%(title)s"), name="x").render() == "任务已完成：%(title)s"


def test_a_job_title_is_shown_in_the_readers_language(client):
    operator = operator_user()
    job = core_services.job_create(actor=operator, kind="accounts.organisation_directory", params={})
    assert job.title_message is not None and CHINESE.search(job.title)
    client.force_login(operator)
    page = _in_english(client).get(reverse("core:job-detail", args=[job.pk])).content.decode()
    heading = re.search(r"<h1>(.*?)</h1>", page).group(1)
    assert heading and not CHINESE.search(heading)
    assert Job.objects.get(pk=job.pk).title == job.title  # reading changes nothing


def test_reference_names_read_in_english_and_audit_labels_stay_in_chinese(client):
    district = DistrictFactory(code="beilun", name="北仑区", name_en="Beilun")
    with translation.override("en"):
        assert str(district) == "Beilun"
        organisation = OrganisationFactory(district=district)
        core_services.audit_record(actor=None, action="test.label", target=district)
    assert str(district) == "北仑区" and organisation.district.name_shown == "北仑区"
    assert AuditRecord.objects.get(action="test.label").object_label == "北仑区"
    page = _in_english(client).get(reverse("scenarios:catalogue")).content.decode()
    assert ">Beilun</option>" in page and ">北仑区</option>" not in page
