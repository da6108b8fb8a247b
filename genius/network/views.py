"""The network view: /network (tables, trend chart and, with JavaScript, the drawing) and its JSON."""

from __future__ import annotations

from flask import Blueprint, Response, abort, jsonify, render_template, request
from flask_login import current_user

from genius.core.pagecache import public_page
from genius.network import cache, pages, services
from genius.network.scope import ScopeError, parse_scope

bp = Blueprint("network", __name__)
cache.register_events()

MEASURES = {"active_people": "People taking part", "active_groups": "Active groups",
            "cross_group": "Cross-group collaborations"}


def _page_arg(name: str) -> int:
    value = request.args.get(name, "1")
    return int(value) if value.isdigit() and 0 < len(value) < 7 else 1


def _read_scope():
    return parse_scope(request.args.get("scope"), request.args.get("from"), request.args.get("to"),
                       request.args.get("challenges"))


@bp.get("/network/graph.json")
@public_page
def graph_json():
    try:
        scope = _read_scope()
    except ScopeError as error:
        return jsonify(error=error.message, field=error.field), 400
    try:
        network = services.network_for(current_user, scope)
    except services.ScopeNotFound:
        return jsonify(error="There is nothing to show for that scope: the challenge, group or person "
                             "does not exist, or is not shown in the network view."), 404
    response = Response(network.raw, mimetype="application/json")
    response.headers["Cache-Control"] = "private, no-cache"
    return response


@bp.get("/network")
@public_page
def index():
    raw = {"scope": request.args.get("scope", "site"), "from": request.args.get("from", ""),
           "to": request.args.get("to", ""), "challenges": request.args.get("challenges", "")}
    try:
        scope = _read_scope()
    except ScopeError as error:
        return render_template("network/index.html", raw=raw, errors={error.field: error.message},
                               scope=None, network=None), 400
    try:
        network = services.network_for(current_user, scope)
    except services.ScopeNotFound:
        abort(404)
    data = network.data
    sort = request.args.get("sort", "degree")
    if sort not in pages.SORTS:
        sort = "degree"
    by_id = {node["id"]: node for node in data["nodes"]}
    node_page = pages.page_of(pages.sorted_nodes(data["nodes"], sort), _page_arg("nodes_page"))
    link_page = pages.page_of(data["links"], _page_arg("links_page"))
    charts = {measure: pages.chart(data["trend"], measure) for measure in MEASURES}
    return render_template(
        "network/index.html", raw=raw, errors={}, scope=scope, network=data, by_id=by_id, node_page=node_page,
        link_page=link_page, sort=sort, sorts=pages.SORTS, charts=charts, measures=MEASURES, labels=pages,
        args=scope.query_args(),
    )
