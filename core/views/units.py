"""The union tree: list and add units."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _

from core.access import current_account, permission_required
from core.db import db
from core.forms import UnitForm
from core.models import Unit
from core.models.units import UNIT_KINDS
from core.services import audit

bp = Blueprint("units", __name__, url_prefix="/units")


@bp.route("/", methods=["GET", "POST"])
@permission_required("units.manage")
def index():
    units = list(Unit.select().order_by(Unit.path))
    form = UnitForm()
    form.kind.choices = list(UNIT_KINDS.items())
    form.parent.choices = [(0, _("（无，顶级）"))] + [(u.id, "　" * max(u.depth, 0) + u.name) for u in units]
    if form.validate_on_submit():
        parent = Unit.get_or_none(Unit.id == form.parent.data) if form.parent.data else None
        name = form.name.data.strip()
        if Unit.select().where(Unit.parent == parent, Unit.name == name).exists():
            form.name.errors.append(_("同一上级下已有同名单位"))
        else:
            with db.atomic():
                unit = Unit.create_child(name, parent, kind=form.kind.data)
                audit.record("unit.create", unit, after={"name": name, "parent": parent.id if parent else None},
                             account=current_account())
            flash(_("已添加：%(name)s", name=name), "success")
            return redirect(url_for("units.index"))
    return render_template("core/units.html", units=units, form=form)
