from datetime import datetime, timedelta

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import format_datetime
from flask_babel import gettext as _
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from trainer.activities import ical, rules, services
from trainer.activities.forms import (
    ActivityForm,
    AttendanceForm,
    CommentForm,
    DecisionForm,
    EvaluationFilterForm,
    EvaluationForm,
    ReflectionForm,
    WithdrawForm,
)
from trainer.activities.labels import AUDIENCE_LABELS, KIND_LABELS, STATE_LABELS
from trainer.applicants.forms import ConfirmForm
from trainer.errors import TrainerError
from trainer.extensions import db
from trainer.places import services as places
from trainer.places.labels import PLACE_KIND_LABELS
from trainer.timeutil import from_local, to_local, utcnow
from trainer.web import run_action
from trainer.workgroups import services as groups

bp = Blueprint("activities", __name__)

LABELS = {
    "kind_labels": KIND_LABELS,
    "state_labels": STATE_LABELS,
    "audience_labels": AUDIENCE_LABELS,
    "place_kind_labels": PLACE_KIND_LABELS,
}
FIELD_OF = {"place": "place_id", "district": "district_id"}


def _show(activity_id: int):
    return redirect(url_for("activities.show", activity_id=activity_id))


def _confirmed() -> None:
    if not ConfirmForm().validate_on_submit():
        abort(400)


# --- lists --------------------------------------------------------------------------------


@bp.route("/activities")
def index():
    return render_template(
        "activities/index.html", listing=services.listing(current_user, utcnow()), **LABELS
    )


# --- drafting and editing -----------------------------------------------------------------


def _fill_choices(form: ActivityForm, groups_allowed) -> None:
    form.workgroup_id.choices = [SelectChoice(grp.id, grp.name) for grp in groups_allowed]
    form.district_id.choices = [SelectChoice(0, _("Ingen särskild kommundel"))] + [
        SelectChoice(d.id, d.name) for d in places.districts()
    ]
    form.place_id.choices = [SelectChoice(0, _("Ingen plats ur registret"))] + [
        SelectChoice(p.id, f"{p.name} ({p.district.name})") for p in places.places()
    ]


def _input(form: ActivityForm) -> services.ActivityInput:
    day = form.date.data
    return services.ActivityInput(
        title=form.title.data or "",
        description=form.description.data or "",
        kind=form.kind.data,
        in_person=bool(form.in_person.data),
        district_id=form.district_id.data or None,
        place_id=form.place_id.data or None,
        starts_at=from_local(datetime.combine(day, form.start_time.data)),
        ends_at=from_local(datetime.combine(day, form.end_time.data)),
        min_volunteers=form.min_volunteers.data,
        max_volunteers=form.max_volunteers.data,
        audience=form.audience.data,
    )


def _save(form: ActivityForm, action) -> bool:
    """Run the service; a rule's problems go to their fields. Returns whether it saved."""
    try:
        action()
    except services.InvalidActivity as e:
        db.session.rollback()
        for name, message in e.problems:
            getattr(form, FIELD_OF.get(name, name)).errors.append(message)
        return False
    except TrainerError as e:
        db.session.rollback()
        flash(str(e), "error")
        return False
    db.session.commit()
    return True


@bp.route("/activities/new", methods=["GET", "POST"])
def new():
    allowed = groups.plannable(current_user, utcnow())
    form = ActivityForm()
    _fill_choices(form, allowed)
    if request.method == "GET":
        form.workgroup_id.data = request.args.get("group", type=int)
    elif not allowed:
        abort(400)  # the page offers no form to someone who may not plan
    if form.validate_on_submit():
        created = []
        if _save(
            form,
            lambda: created.append(
                services.create_activity(current_user, form.workgroup_id.data, _input(form))
            ),
        ):
            flash(_("Utkastet är sparat. Skicka det till styrelsen när det är klart."), "success")
            return _show(created[0].id)
    return render_template(
        "activities/edit.html",
        form=form,
        activity=None,
        allowed=allowed,
        safety_minimum=_safety_minimum(),
        **LABELS,
    ), (400 if form.errors else 200)


def _safety_minimum() -> int:
    return current_app.config["MIN_VOLUNTEERS_IN_PERSON"]


@bp.route("/activities/<int:activity_id>/edit", methods=["GET", "POST"])
def edit(activity_id: int):
    now = utcnow()
    activity = services.get_activity(activity_id)
    if not rules.may_edit(activity.state, services.actor_for(current_user, activity, now)):
        abort(403)
    form = ActivityForm(obj=activity)
    _fill_choices(form, [activity.workgroup])
    del form.workgroup_id  # an activity stays in its group
    if request.method == "GET":
        start, end = to_local(activity.starts_at), to_local(activity.ends_at)
        form.date.data, form.start_time.data, form.end_time.data = (
            start.date(),
            start.time(),
            end.time(),
        )
        form.district_id.data = activity.district_id or 0
        form.place_id.data = activity.place_id or 0
    elif form.validate_on_submit():
        was = activity.state
        if _save(form, lambda: services.update_activity(current_user, activity_id, _input(form))):
            if was == rules.APPROVED and activity.state == rules.SUBMITTED:
                flash(
                    _(
                        "Ändringen är sparad. Tiden eller platsen ändrades, så aktiviteten "
                        "behöver godkännas av styrelsen igen. De anmälda har fått besked."
                    ),
                    "info",
                )
            else:
                flash(_("Ändringen är sparad."), "success")
            return _show(activity_id)
    return render_template(
        "activities/edit.html",
        form=form,
        activity=activity,
        allowed=[activity.workgroup],
        safety_minimum=_safety_minimum(),
        **LABELS,
    ), (400 if form.errors else 200)


# --- one activity -------------------------------------------------------------------------


@bp.route("/activities/<int:activity_id>")
def show(activity_id: int):
    info = services.page(current_user, activity_id, utcnow())
    return render_template(
        "activities/show.html",
        info=info,
        activity=info.activity,
        form=ConfirmForm(),
        decision_form=DecisionForm(),
        comment_form=CommentForm(),
        withdraw_form=WithdrawForm(),
        reflection_form=ReflectionForm(text=info.mine.reflection if info.mine else ""),
        **LABELS,
    )


@bp.route("/activities/<int:activity_id>/submit", methods=["POST"])
def submit(activity_id: int):
    _confirmed()
    run_action(
        lambda: services.take_action(current_user, activity_id, "submit"),
        _("Aktiviteten är skickad till styrelsen för godkännande."),
    )
    return _show(activity_id)


@bp.route("/activities/<int:activity_id>/decide", methods=["POST"])
def decide(activity_id: int):
    form = DecisionForm()
    if not form.validate_on_submit():
        abort(400)
    message = {
        "approve": _("Aktiviteten är godkänd."),
        "request_changes": _("Gruppen har fått din begäran om ändringar."),
        "reject": _("Aktiviteten är inte godkänd. Gruppen har fått besked."),
    }[form.decision.data]
    run_action(
        lambda: services.take_action(
            current_user, activity_id, form.decision.data, form.comment.data or ""
        ),
        message,
    )
    if request.form.get("next") == "approvals":
        return redirect(url_for("activities.approvals"))
    if request.form.get("next") == "board":
        return redirect(url_for("board.overview") + "#dec-h")
    return _show(activity_id)


@bp.route("/activities/<int:activity_id>/cancel", methods=["POST"])
def cancel(activity_id: int):
    form = CommentForm()
    if not form.validate_on_submit():
        abort(400)
    run_action(
        lambda: services.take_action(current_user, activity_id, "cancel", form.comment.data or ""),
        _("Aktiviteten är inställd. Alla anmälda har fått besked."),
    )
    return _show(activity_id)


# --- sign-ups -----------------------------------------------------------------------------


@bp.route("/activities/<int:activity_id>/signup", methods=["POST"])
def signup(activity_id: int):
    _confirmed()
    try:
        result = services.sign_up(current_user, activity_id)
    except TrainerError as e:
        db.session.rollback()
        flash(str(e), "error")
        return _show(activity_id)
    db.session.commit()  # also when full: offers that ran out have been passed on
    if result.full:
        flash(_("Aktiviteten blev full. Du kan ställa dig på väntelistan."), "error")
        return _show(activity_id)
    flash(_("Du är anmäld. En bekräftelse kommer med e-post."), "success")
    for other in result.overlaps:
        flash(
            _(
                "Obs! Du är också anmäld till %(t)s, som är samtidigt (%(d)s).",
                t=other.title,
                d=format_datetime(to_local(other.starts_at), "d MMMM 'kl.' HH:mm"),
            ),
            "warning",
        )
    return _show(activity_id)


@bp.route("/activities/<int:activity_id>/waitlist", methods=["POST"])
def waitlist(activity_id: int):
    _confirmed()
    run_action(
        lambda: services.join_waitlist(current_user, activity_id),
        _("Du står på väntelistan. Blir en plats ledig får du ett e-postmeddelande."),
    )
    return _show(activity_id)


@bp.route("/activities/<int:activity_id>/withdraw", methods=["POST"])
def withdraw(activity_id: int):
    form = WithdrawForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        outcome = services.withdraw(current_user, activity_id, form.message.data or "")
    except TrainerError as e:
        db.session.rollback()
        flash(str(e), "error")
        return _show(activity_id)
    db.session.commit()
    message = {
        services.WITHDRAW_CANCELLED: _("Du är avanmäld."),
        services.WITHDRAW_LEFT_WAITLIST: _("Du står inte längre på väntelistan."),
        services.WITHDRAW_MESSAGE_SENT: _(
            "Det är nära starten, så ditt återbud har skickats till gruppens "
            "sammankallande. Hon tar hand om din plats."
        ),
    }[outcome]
    flash(message, "success")
    return _show(activity_id)


@bp.route("/activities/<int:activity_id>/signups/<int:signup_id>/release", methods=["POST"])
def release(activity_id: int, signup_id: int):
    _confirmed()
    run_action(
        lambda: services.release(current_user, signup_id),
        _("Platsen är ledig. Står någon på väntelistan får hon den erbjuden."),
    )
    return _show(activity_id)


@bp.route("/activities/offers/<token>", methods=["GET", "POST"])
def claim(token: str):
    offer = services.find_offer(token)
    if offer is None or offer.signup.user_id != current_user.id:
        abort(404)
    form = ConfirmForm()
    if form.validate_on_submit():
        try:
            outcome, activity = services.claim_offer(current_user, token)
        except TrainerError as e:
            db.session.rollback()
            flash(str(e), "error")
            return _show(offer.signup.activity_id)
        db.session.commit()
        if outcome == services.CLAIMED:
            flash(_("Platsen är din. En bekräftelse kommer med e-post."), "success")
        else:
            flash(_("Tyvärr, erbjudandet hann gå ut och platsen gick vidare."), "error")
        return _show(activity.id)
    return render_template(
        "activities/claim.html",
        offer=offer,
        activity=offer.signup.activity,
        is_open=rules.offer_is_open(state=offer.state, expires_at=offer.expires_at, now=utcnow()),
        form=form,
        **LABELS,
    )


# --- afterwards ---------------------------------------------------------------------------


def _manage(activity_id: int):
    now = utcnow()
    activity = services.get_activity(activity_id)
    if not rules.may_act(rules.LEAD, services.actor_for(current_user, activity, now)):
        abort(403)
    return activity


@bp.route("/activities/<int:activity_id>/attendance", methods=["GET", "POST"])
def attendance(activity_id: int):
    activity = _manage(activity_id)
    signups = services.confirmed_signups(activity_id)
    form = AttendanceForm()
    rows = {
        s.id: groups.person_row(
            s.user,
            viewer=current_user,
            viewer_is_board=groups.is_board(current_user),
            viewer_is_lead=True,
            member_list=False,
        )
        for s in signups
    }
    form.attended.choices = [SelectChoice(s.id, rows[s.id].label) for s in signups]
    if request.method == "GET":
        form.attended.data = [s.id for s in signups if s.attended is not False]
    elif form.validate_on_submit():
        if run_action(
            lambda: services.record_attendance(
                current_user, activity_id, set(form.attended.data or [])
            ),
            _("Närvaron är sparad. Skriv gärna utvärderingen nu."),
        ):
            return redirect(url_for("activities.evaluation", activity_id=activity_id))
    elif request.method == "POST":
        abort(400)
    return render_template("activities/attendance.html", activity=activity, form=form, **LABELS)


@bp.route("/activities/<int:activity_id>/evaluation", methods=["GET", "POST"])
def evaluation(activity_id: int):
    activity = _manage(activity_id)
    existing = services.get_evaluation(activity_id)
    form = EvaluationForm(obj=existing)
    if form.validate_on_submit():
        data = services.EvaluationInput(
            people_reached=form.people_reached.data,
            target_group=form.target_group.data or "",
            went_well=form.went_well.data or "",
            to_improve=form.to_improve.data or "",
            incidents=form.incidents.data or "",
        )
        if run_action(
            lambda: services.save_evaluation(current_user, activity_id, data),
            _("Utvärderingen är sparad. Tack!"),
        ):
            return _show(activity_id)
    return render_template("activities/evaluation.html", activity=activity, form=form, **LABELS), (
        400 if form.errors else 200
    )


@bp.route("/activities/<int:activity_id>/reflection", methods=["POST"])
def reflection(activity_id: int):
    form = ReflectionForm()
    if not form.validate_on_submit():
        abort(400)
    run_action(
        lambda: services.save_reflection(current_user, activity_id, form.text.data),
        _("Din reflektion är sparad. Tack!"),
    )
    return _show(activity_id)


# --- the board ----------------------------------------------------------------------------


@bp.route("/board/approvals")
def approvals():
    now = utcnow()
    queue = services.approval_queue()
    return render_template(
        "activities/approvals.html",
        queue=queue,
        counts=services.counts_for([a.id for a in queue], now),
        changed=services.previously_approved([a.id for a in queue]),
        decision_form=DecisionForm(),
        **LABELS,
    )


@bp.route("/board/evaluations")
def evaluations():
    form = EvaluationFilterForm(request.args)
    form.group.choices = [SelectChoice(0, _("Alla grupper"))] + [
        SelectChoice(s.group.id, s.group.name) for s in groups.overview(current_user)
    ]
    if not form.validate():
        abort(400)
    today = to_local(utcnow()).date()
    start = form.start.data or today.replace(month=1, day=1)
    end = form.end.data or today
    rows = services.evaluations(
        workgroup_id=form.group.data or None,
        start=from_local(datetime.combine(start, datetime.min.time())),
        end=from_local(datetime.combine(end + timedelta(days=1), datetime.min.time())),
    )
    return render_template(
        "activities/evaluations.html",
        form=form,
        rows=rows,
        start=start,
        end=end,
        reached=sum(r.evaluation.people_reached for r in rows),
        **LABELS,
    )


# --- calendar -----------------------------------------------------------------------------


@bp.route("/activities/<int:activity_id>.ics")
def ics(activity_id: int):
    info = services.page(current_user, activity_id, utcnow())
    return Response(
        ical.activity_file(info.activity),
        mimetype="text/calendar",
        headers={"Content-Disposition": f'attachment; filename="aktivitet-{activity_id}.ics"'},
    )


@bp.route("/calendar")
def calendar():
    return render_template(
        "activities/calendar.html",
        token=ical.token_of(current_user),
        address=None,
        form=ConfirmForm(),
    )


@bp.route("/calendar/new", methods=["POST"])
def calendar_new():
    _confirmed()
    token = ical.new_token(current_user)
    db.session.commit()
    # Shown once, in this response only: it is not stored and never put in the session.
    address = current_app.config["BASE_URL"].rstrip("/") + url_for("activities.feed", token=token)
    return render_template(
        "activities/calendar.html",
        token=ical.token_of(current_user),
        address=address,
        form=ConfirmForm(),
    )


@bp.route("/calendar/revoke", methods=["POST"])
def calendar_revoke():
    _confirmed()
    ical.revoke(current_user)
    db.session.commit()
    flash(_("Kalenderadressen är avstängd. Den gamla adressen fungerar inte längre."), "success")
    return redirect(url_for("activities.calendar"))


@bp.route("/calendar/<token>.ics")
def feed(token: str):
    g.private = True  # no-store, though nobody is logged in
    person = ical.user_for(token)
    if person is None:
        abort(404)
    return Response(
        ical.feed(person, utcnow(), _("Jourens aktiviteter")),
        mimetype="text/calendar",
    )
