from __future__ import annotations

from urllib.parse import urlsplit

from flask import (
    Blueprint,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import confirm_login, current_user, login_user, logout_user

from trainer.auth import services
from trainer.auth.forms import (
    AccountForm,
    ChangePasswordForm,
    ConfirmForm,
    LoginForm,
    ResetRequestForm,
    SetPasswordForm,
)
from trainer.errors import TrainerError
from trainer.extensions import db
from trainer.mail import send_mail

bp = Blueprint("auth", __name__)


def safe_next(target: str | None) -> str | None:
    """Accept only a local path: one leading '/', no backslash, no scheme or host."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or any(ord(ch) < 32 for ch in target):
        return None
    return target


def home_for(user) -> str:
    if user.has_role("volunteer"):
        return url_for("learning.overview")
    if user.has_role("trainer"):
        return url_for("trainers.todo")
    if user.has_role("board"):
        return url_for("board.overview")
    if user.has_role("admin"):
        return url_for("admin.users")
    return url_for("auth.account")


def _start_session(user, remember: bool) -> None:
    user = getattr(user, "_get_current_object", lambda: user)()  # never store the proxy itself
    session.clear()  # a fresh session at login: nothing from before carries over
    login_user(user, remember=remember)
    if user.locale:
        session["lang"] = user.locale


@bp.route("/login", methods=["GET", "POST"])
def login():
    if current_user.is_authenticated:
        return redirect(home_for(current_user))
    form = LoginForm()
    status = 200
    if form.validate_on_submit():
        try:
            user = services.authenticate(
                form.email.data, form.password.data, request.remote_addr or "-"
            )
        except TrainerError as e:
            db.session.commit()  # keep the failure count
            flash(str(e), "error")
            status = e.status
        else:
            db.session.commit()
            _start_session(user, bool(form.remember.data))
            return redirect(safe_next(request.args.get("next")) or home_for(user))
    return render_template("auth/login.html", form=form), status


@bp.route("/login/confirm", methods=["GET", "POST"])
def confirm():
    """Ask for her password again when a session restored from the remember-me cookie
    reaches an export or a change to someone's account (security.md A8)."""
    form = ConfirmForm()
    status = 200
    target = safe_next(request.args.get("next")) or home_for(current_user)
    if form.validate_on_submit():
        try:
            services.authenticate(
                current_user.email, form.password.data, request.remote_addr or "-"
            )
        except TrainerError as e:
            db.session.commit()  # keep the failure count
            flash(str(e) if e.status == 429 else _("Fel lösenord."), "error")
            status = e.status
        else:
            db.session.commit()
            confirm_login()
            return redirect(target)
    return render_template("auth/confirm.html", form=form), status


@bp.route("/logout", methods=["POST"])
def logout():
    if current_user.is_authenticated:
        services.end_all_sessions(current_user)
        db.session.commit()
    logout_user()
    session.clear()
    flash(_("Du är utloggad."), "info")
    return redirect(url_for("public.index"))


@bp.route("/password/reset", methods=["GET", "POST"])
def reset_request():
    form = ResetRequestForm()
    if form.validate_on_submit():
        user = services.get_user_by_email(form.email.data)
        if user and user.active and user.password_hash:
            token = services.issue_token(user, "reset")
            db.session.commit()
            send_mail(
                user.email,
                _("Välj ett nytt lösenord"),
                "reset",
                user=user,
                link=url_for("auth.reset", token=token, _external=False),
            )
        # Same answer whether or not the address has an account.
        return render_template("auth/reset_sent.html")
    return render_template("auth/reset_request.html", form=form)


def _set_password_page(purpose: str, token: str, template: str):
    row = services.find_token(token, purpose)
    if row is None:
        return render_template("auth/token_invalid.html", purpose=purpose), 400
    form = SetPasswordForm()
    if form.validate_on_submit():
        try:
            user = services.use_token(token, purpose, form.password.data)
        except TrainerError as e:
            db.session.rollback()
            form.password.errors = [str(e)]
        else:
            db.session.commit()
            _start_session(user, remember=False)
            flash(_("Ditt lösenord är sparat. Välkommen!"), "success")
            return redirect(home_for(user))
    return render_template(template, form=form, user=row.user)


@bp.route("/password/reset/<token>", methods=["GET", "POST"])
def reset(token: str):
    return _set_password_page("reset", token, "auth/reset.html")


@bp.route("/invite/<token>", methods=["GET", "POST"])
def invite(token: str):
    return _set_password_page("invite", token, "auth/invite.html")


@bp.route("/account", methods=["GET", "POST"])
def account():
    form = AccountForm(obj=current_user)
    if form.validate_on_submit():
        current_user.full_name = form.full_name.data.strip()
        current_user.display_name = form.display_name.data.strip()
        current_user.phone = (form.phone.data or "").strip() or None
        current_user.locale = form.locale.data
        session["lang"] = form.locale.data
        db.session.commit()
        flash(_("Dina uppgifter är sparade."), "success")
        return redirect(url_for("auth.account"))
    return render_template("auth/account.html", form=form, password_form=ChangePasswordForm())


@bp.route("/account/password", methods=["POST"])
def change_password():
    form = ChangePasswordForm()
    if form.validate_on_submit():
        try:
            services.change_password(current_user, form.current.data, form.password.data)
        except TrainerError as e:
            db.session.rollback()
            form.password.errors = [str(e)]
        else:
            db.session.commit()
            # The password change ended every session, this one too: start a new one here.
            _start_session(current_user, remember=False)
            flash(_("Ditt lösenord är bytt. Du är utloggad på alla andra enheter."), "success")
            return redirect(url_for("auth.account"))
    return render_template(
        "auth/account.html", form=AccountForm(obj=current_user), password_form=form
    ), 400


@bp.route("/account/logout-everywhere", methods=["POST"])
def logout_everywhere():
    services.end_all_sessions(current_user)
    db.session.commit()
    logout_user()
    session.clear()
    flash(_("Du är utloggad på alla enheter."), "info")
    return redirect(url_for("auth.login"))
