from __future__ import annotations

from flask import Blueprint, jsonify, render_template
from sqlalchemy import text

from genius.core.pagecache import public_page
from genius.extensions import db, limiter

bp = Blueprint("pages", __name__)


@bp.get("/")
@public_page
def home():
    return render_template("pages/home.html")


@bp.get("/accessibility")
@public_page
def accessibility():
    return render_template("pages/accessibility.html")


@bp.get("/privacy")
@public_page
def privacy():
    return render_template("pages/privacy.html")


@bp.get("/terms")
@public_page
def terms():
    return render_template("pages/terms.html")


@bp.get("/healthz")
@limiter.exempt
def health():
    """For load balancers: 200 when the database answers, 503 when it does not."""
    db.session.execute(text("SELECT 1"))
    return jsonify(status="ok")
