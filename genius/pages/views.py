from __future__ import annotations

from flask import Blueprint, jsonify, render_template
from sqlalchemy import text

from genius.extensions import db, limiter

bp = Blueprint("pages", __name__)


@bp.get("/")
def home():
    return render_template("pages/home.html")


@bp.get("/accessibility")
def accessibility():
    return render_template("pages/accessibility.html")


@bp.get("/privacy")
def privacy():
    return render_template("pages/privacy.html")


@bp.get("/terms")
def terms():
    return render_template("pages/terms.html")


@bp.get("/healthz")
@limiter.exempt
def health():
    """For load balancers: 200 when the database answers, 503 when it does not."""
    db.session.execute(text("SELECT 1"))
    return jsonify(status="ok")
