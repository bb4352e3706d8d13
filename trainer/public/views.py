from flask import Blueprint, redirect, render_template, request, session, url_for
from flask_login import current_user

from trainer.auth.views import home_for, safe_next

bp = Blueprint("public", __name__)


@bp.route("/")
def index():
    if current_user.is_authenticated:
        return redirect(home_for(current_user))
    return render_template("public/index.html")


@bp.route("/privacy")
def privacy():
    return render_template("public/privacy.html")


@bp.route("/language", methods=["POST"])
def language():
    lang = request.form.get("lang")
    if lang in ("sv", "en"):
        session["lang"] = lang
        if current_user.is_authenticated:
            from trainer.extensions import db

            current_user.locale = lang
            db.session.commit()
    return redirect(safe_next(request.form.get("next")) or url_for("public.index"))
