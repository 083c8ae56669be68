from django import forms
from django.contrib.auth import authenticate
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from accounts.choices import INVITABLE_ROLES, OPERATOR_CREATED_ROLES, OrganisationKind, Role
from accounts.models import District, Organisation
from accounts.sign_in import locked_message, sign_in_locked_until
from accounts.validators import validate_credit_code
from core.request_context import current_origin

USERNAME_HELP = _("字母、数字或 @/./+/-/_，不超过 150 个字符。")


class NewPasswordMixin(forms.Form):
    """A password typed twice, shown last; the service checks its strength."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.order_fields(
            [name for name in self.fields if name not in ("password1", "password2")] + ["password1", "password2"]
        )

    password1 = forms.CharField(label=_("密码"), widget=forms.PasswordInput, strip=False, max_length=128)
    password2 = forms.CharField(label=_("确认密码"), widget=forms.PasswordInput, strip=False, max_length=128)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("password1") and cleaned.get("password2") and cleaned["password1"] != cleaned["password2"]:
            self.add_error("password2", _("两次输入的密码不一致。"))
        return cleaned


class RegistrationForm(NewPasswordMixin):
    # The field a service's refusal concerns, by its code (core.actions.page_action reads this).
    error_fields = {
        "credit_code": "credit_code",
        "organisation_exists": "credit_code",
        "username_taken": "username",
        "email_taken": "email",
        "user_exists": "username",
        "weak_password": "password1",
        "kind_not_allowed": "kind",
    }

    kind = forms.ChoiceField(
        label=_("机构类型"),
        choices=[
            (OrganisationKind.COMPANY, OrganisationKind.COMPANY.label),
            (OrganisationKind.ASSOCIATION, OrganisationKind.ASSOCIATION.label),
        ],
        widget=forms.RadioSelect,
        initial=OrganisationKind.COMPANY,
    )
    name = forms.CharField(label=_("机构名称"), max_length=100)
    credit_code = forms.CharField(
        label=_("统一社会信用代码"),
        max_length=30,
        strip=False,
        help_text=_("18 位，见营业执照。"),
        validators=[validate_credit_code],
    )
    district = forms.ModelChoiceField(
        label=_("所在区域"), queryset=District.objects.filter(is_active=True), empty_label=_("请选择")
    )
    address = forms.CharField(label=_("地址"), max_length=200, required=False)
    is_high_growth = forms.BooleanField(label=_("高成长性科技企业"), required=False)
    is_specialised = forms.BooleanField(label=_("专精特新企业"), required=False)
    is_high_tech = forms.BooleanField(label=_("高新技术企业"), required=False)
    is_sme = forms.BooleanField(label=_("科技型中小企业"), required=False)
    display_name = forms.CharField(label=_("联系人姓名"), max_length=50)
    phone = forms.RegexField(
        label=_("手机号"), regex=r"^1\d{10}$", max_length=11, error_messages={"invalid": _("请输入 11 位手机号。")}
    )
    email = forms.EmailField(label=_("邮箱"), help_text=_("用于接收确认邮件和通知。"))
    username = forms.RegexField(
        label=_("用户名"),
        regex=r"^[\w.@+-]+\Z",
        max_length=150,
        help_text=USERNAME_HELP,
        error_messages={"invalid": USERNAME_HELP},
    )


class RejectForm(forms.Form):
    reason = forms.CharField(label=_("原因"), max_length=500, widget=forms.Textarea(attrs={"rows": 3}))


class InvitationForm(forms.Form):
    error_fields = {
        "email_taken": "email",
        "invitation_pending": "email",
        "roles_required": "roles",
        "role_not_allowed": "roles",
    }

    email = forms.EmailField(label=_("同事邮箱"))
    roles = forms.MultipleChoiceField(label=_("角色"), widget=forms.CheckboxSelectMultiple, choices=())

    def __init__(self, *args, organisation: Organisation, **kwargs):
        super().__init__(*args, **kwargs)
        allowed = INVITABLE_ROLES.get(organisation.kind, [])
        self.fields["roles"].choices = [(role.value, role.label) for role in allowed]
        if len(allowed) == 1:
            self.fields["roles"].initial = [allowed[0].value]


class InvitationAcceptForm(NewPasswordMixin):
    error_fields = {"username_taken": "username", "user_exists": "username", "weak_password": "password1"}

    display_name = forms.CharField(label=_("姓名"), max_length=50)
    phone = forms.RegexField(
        label=_("手机号"),
        regex=r"^1\d{10}$",
        max_length=11,
        required=False,
        error_messages={"invalid": _("请输入 11 位手机号。")},
    )
    username = forms.RegexField(
        label=_("用户名"),
        regex=r"^[\w.@+-]+\Z",
        max_length=150,
        help_text=USERNAME_HELP,
        error_messages={"invalid": USERNAME_HELP},
    )


class OperatorAccountForm(forms.Form):
    error_fields = {
        "username_taken": "username",
        "user_exists": "username",
        "email_taken": "email",
        "role_organisation_mismatch": "organisation",
    }

    role = forms.ChoiceField(
        label=_("账号类型"),
        choices=[(role.value, role.label) for role in OPERATOR_CREATED_ROLES],
        widget=forms.RadioSelect,
        initial=Role.JUDGE,
    )
    display_name = forms.CharField(label=_("姓名"), max_length=50)
    email = forms.EmailField(label=_("邮箱"))
    phone = forms.RegexField(
        label=_("手机号"),
        regex=r"^1\d{10}$",
        max_length=11,
        required=False,
        error_messages={"invalid": _("请输入 11 位手机号。")},
    )
    username = forms.RegexField(
        label=_("用户名"),
        regex=r"^[\w.@+-]+\Z",
        max_length=150,
        help_text=USERNAME_HELP,
        error_messages={"invalid": USERNAME_HELP},
    )
    organisation = forms.ModelChoiceField(
        label=_("所属机构"),
        queryset=Organisation.objects.order_by("kind", "name"),
        required=False,
        empty_label=_("（无）"),
        help_text=_("评审专家填写工作单位；领导/部门账号只能属于政府部门或不填。"),
    )


class OrganisationExportForm(forms.Form):
    """The filters of the organisation list, carried into the export job's parameters."""

    kind = forms.ChoiceField(choices=[("", "")] + list(OrganisationKind.choices), required=False)
    district = forms.CharField(max_length=32, required=False)
    verification_status = forms.CharField(max_length=16, required=False)
    q = forms.CharField(max_length=100, required=False)


class SignInForm(AuthenticationForm):
    """The login form, saying plainly when sign-in is locked after repeated failures, and until when
    (the same words whether the name typed is an account's or not)."""

    def clean(self):
        username = self.cleaned_data.get("username", "")
        until = sign_in_locked_until(username, current_origin().ip_address)
        if until is None:
            return super().clean()
        # authenticate() refuses without checking the password, and records the attempt as failed.
        authenticate(self.request, username=username, password=self.cleaned_data.get("password", ""))
        until = sign_in_locked_until(username, current_origin().ip_address) or until
        raise forms.ValidationError(locked_message(until), code="locked")


class SecondFactorForm(forms.Form):
    code = forms.CharField(
        label=_("验证码"),
        max_length=20,
        help_text=_("验证器应用中当前显示的 6 位数字；手机不在身边时，可输入一个恢复码。"),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "text", "autofocus": True}),
    )


class TotpConfirmForm(forms.Form):
    error_fields = {"wrong_code": "code", "no_pending_secret": "code"}

    code = forms.CharField(
        label=_("验证码"),
        max_length=10,
        help_text=_("添加到验证器应用后，输入应用中当前显示的 6 位数字。"),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


class PasswordChangeForm(forms.Form):
    error_fields = {"wrong_password": "old_password", "weak_password": "new_password1"}

    old_password = forms.CharField(
        label=_("当前密码"),
        strip=False,
        max_length=128,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    new_password1 = forms.CharField(
        label=_("新密码"),
        strip=False,
        max_length=128,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_(
            "至少 10 个字符，包含大写字母、小写字母、数字和符号中的至少 3 类；不能与最近 5 次使用过的密码相同。"
        ),
    )
    new_password2 = forms.CharField(
        label=_("确认新密码"),
        strip=False,
        max_length=128,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("new_password1") and cleaned.get("new_password2") != cleaned["new_password1"]:
            self.add_error("new_password2", _("两次输入的密码不一致。"))
        return cleaned


class NewPasswordForm(PasswordChangeForm):
    """Setting a password from an e-mailed link (Django's reset view passes the person as `user`);
    the service checks its strength and history."""

    def __init__(self, user, *args, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)
        del self.fields["old_password"]


class UnlockForm(forms.Form):
    reason = forms.CharField(label=_("解锁原因"), max_length=500)


class VerificationEvidenceForm(forms.Form):
    # The service's refusal of the file is shown on the file field.
    error_fields = {"file_refused": "file", "forbidden": "file"}

    file = forms.FileField(label=_("认证材料（PDF、JPG、PNG，不超过 10 MB）"), help_text=_("如营业执照、法人授权书。"))
