#!/usr/bin/env python3
# Writes dashboards/graylight.ndjson (Kibana 7.17 saved objects); edit here, run, commit both.
# DashboardsTest checks the output against the index templates.
import json
KV = "7.17.29"
objs = []
def ip(id_, title):
    objs.append({"id": id_, "type": "index-pattern", "attributes": {"title": title, "timeFieldName": "@timestamp"},
                 "references": [], "migrationVersion": {"index-pattern": "7.11.0"}, "coreMigrationVersion": KV})
ip("graylight-metrics", "graylight-metrics-*")
ip("graylight-alerts", "graylight-alerts-*")
ip("graylight-anomalies", "graylight-anomalies-*")
ip("graylight-decisions", "graylight-decisions-*")
ip("graylight-dlq", "graylight-dlq-*")

COLORS = {"p50": "#54B399", "p90": "#6092C0", "p95": "#D36086", "p99": "#9170B8"}
DECISION_ANNOTATION = {"id": "decisions", "color": "#E7664C", "index_pattern": "graylight-decisions-*",
    "time_field": "@timestamp", "icon": "fa-flag", "fields": "release,action,canaryPercent,reason",
    "template": "{{release}} {{action}} to {{canaryPercent}} %: {{reason}}",
    "query_string": {"query": "", "language": "kuery"}, "ignore_global_filters": 1, "ignore_panel_filters": 1}

def series(sid, label, metrics, color, split=True, fmt="number", chart="line"):
    s = {"id": sid, "label": label, "color": color, "metrics": metrics, "chart_type": chart, "line_width": 2,
         "point_size": 2, "fill": 0, "stacked": "none", "axis_position": "right", "formatter": fmt,
         "separate_axis": 0, "split_color_mode": "kibana"}
    if split:
        s.update({"split_mode": "terms", "terms_field": "cohort", "terms_size": 2, "terms_order_by": "_key", "terms_direction": "asc"})
    else:
        s.update({"split_mode": "everything"})
    return s

def avg(mid, field):
    return {"id": mid, "type": "avg", "field": field}

def ratio(mid, num, den, extra_den=None):
    ms = [{"id": mid + "-n", "type": "sum", "field": num}, {"id": mid + "-d", "type": "sum", "field": den}]
    variables = [{"id": mid + "-vn", "name": "n", "field": mid + "-n"}, {"id": mid + "-vd", "name": "d", "field": mid + "-d"}]
    script = "params.n / params.d"
    if extra_den:
        ms.append({"id": mid + "-e", "type": "sum", "field": extra_den})
        variables.append({"id": mid + "-ve", "name": "e", "field": mid + "-e"})
        script = "params.n / (params.d + params.e)"
    ms.append({"id": mid, "type": "math", "variables": variables, "script": script})
    return ms

def tsvb(id_, title, index, series_list, annotations=True, time_field="@timestamp", description=""):
    params = {"id": id_, "type": "timeseries", "series": series_list, "time_field": time_field,
              "index_pattern": index, "interval": "", "axis_position": "left", "axis_formatter": "number",
              "axis_scale": "normal", "show_legend": 1, "show_grid": 1, "tooltip_mode": "show_all",
              "drop_last_bucket": 0, "isModelInvalid": False,
              "annotations": [DECISION_ANNOTATION] if annotations else []}
    vis = {"title": title, "type": "metrics", "aggs": [], "params": params}
    objs.append({"id": id_, "type": "visualization", "attributes": {
        "title": title, "description": description, "version": 1, "uiStateJSON": "{}",
        "visState": json.dumps(vis),
        "kibanaSavedObjectMeta": {"searchSourceJSON": json.dumps({"query": {"query": "", "language": "kuery"}, "filter": []})}},
        "references": [], "migrationVersion": {"visualization": "7.17.0"}, "coreMigrationVersion": KV})

M = "graylight-metrics-*"
tsvb("graylight-latency", "Graylight: latency percentiles by cohort (ms)", M,
     [series(p, "latency " + p, [avg("m-" + p, "latency" + p.upper())], COLORS[p]) for p in ("p50", "p95", "p99")],
     description="Mean over windows of each cohort's latency percentile; flags mark decisions.")
tsvb("graylight-ttft", "Graylight: time to first token by cohort (ms)", M,
     [series(p, "TTFT " + p, [avg("m-" + p, "ttft" + p.upper())], COLORS[p]) for p in ("p50", "p95")])
tsvb("graylight-error-rate", "Graylight: error and timeout rate by cohort", M,
     [series("errors", "error rate", ratio("err", "errors", "requests"), "#E7664C", fmt="percent"),
      series("timeouts", "timeout rate", ratio("tmo", "timeouts", "requests"), "#D6BF57", fmt="percent")],
     description="Errors (timeouts) over requests, summed over the windows of each bucket.")
tsvb("graylight-feedback", "Graylight: negative feedback rate by cohort", M,
     [series("neg", "thumbs-down share", ratio("neg", "feedbackDown", "feedbackUp", "feedbackDown"), "#CA8EAE", fmt="percent"),
      series("quality", "quality score (mean)", [avg("q", "qualityMean")], "#B9A888")])
tsvb("graylight-cost", "Graylight: cost per request by cohort (USD)", M,
     [series("cost", "cost per request", ratio("cpr", "costUsd", "requests"), "#AA6556")])
tsvb("graylight-requests", "Graylight: requests by cohort", M,
     [series("req", "requests", [{"id": "req-sum", "type": "sum", "field": "requests"}], "#6092C0", chart="bar")],
     description="The traffic split the router applies.")
DEC = "graylight-decisions-*"
s = series("canary", "canary percent", [{"id": "cp", "type": "max", "field": "canaryPercent"}], "#D36086", split=False)
s.update({"split_mode": "terms", "terms_field": "release", "terms_size": 10, "chart_type": "line", "steps": 1})
tsvb("graylight-canary-percent", "Graylight: canary percent after each decision", DEC, [s],
     description="Each decision's canary share, per release; flags carry the action and the reason.")
AL = "graylight-alerts-*"
s = series("alerts", "alerts", [{"id": "alert-count", "type": "count"}], "#E7664C", split=False, chart="bar")
s.update({"split_mode": "terms", "terms_field": "severity", "terms_size": 3, "stacked": "stacked"})
tsvb("graylight-alert-counts", "Graylight: CEP alerts by severity", AL, [s], annotations=False)
an = series("anomalies", "anomaly alerts", [{"id": "anomaly-count", "type": "count"}], "#9170B8", split=False, chart="bar")
an.update({"split_mode": "terms", "terms_field": "scope", "terms_size": 3, "stacked": "stacked"})
tsvb("graylight-anomaly-counts", "Graylight: anomaly alerts by scope", "graylight-anomalies-*", [an], annotations=False)
dl = series("dlq", "dead letters", [{"id": "dlq-sum", "type": "sum", "field": "count"}], "#B9A888", split=False, chart="bar")
dl.update({"split_mode": "terms", "terms_field": "reason", "terms_size": 10, "stacked": "stacked"})
tsvb("graylight-dlq", "Graylight: dead letters per minute by reason", "graylight-dlq-*", [dl], annotations=False)

def search(id_, title, pattern_id, columns):
    objs.append({"id": id_, "type": "search", "attributes": {
        "title": title, "description": "", "hits": 0, "columns": columns, "sort": [["@timestamp", "desc"]], "version": 1,
        "kibanaSavedObjectMeta": {"searchSourceJSON": json.dumps({"query": {"query": "", "language": "kuery"}, "filter": [],
            "highlightAll": True, "indexRefName": "kibanaSavedObjectMeta.searchSourceJSON.index"})}},
        "references": [{"name": "kibanaSavedObjectMeta.searchSourceJSON.index", "type": "index-pattern", "id": pattern_id}],
        "migrationVersion": {"search": "7.9.3"}, "coreMigrationVersion": KV})
search("graylight-decisions-timeline", "Graylight: decisions timeline", "graylight-decisions",
       ["release", "seq", "action", "stage", "canaryPercent", "reason"])
search("graylight-alerts-list", "Graylight: alerts", "graylight-alerts",
       ["release", "severity", "effect", "scope", "rule", "message", "dryRun"])
search("graylight-anomalies-list", "Graylight: anomaly alerts", "graylight-anomalies",
       ["release", "severity", "effect", "scope", "rule", "score", "message"])

panels, refs = [], []
layout = [("graylight-canary-percent", "visualization", 0, 0, 24, 12), ("graylight-decisions-timeline", "search", 24, 0, 24, 12),
          ("graylight-latency", "visualization", 0, 12, 24, 14), ("graylight-ttft", "visualization", 24, 12, 24, 14),
          ("graylight-error-rate", "visualization", 0, 26, 24, 14), ("graylight-feedback", "visualization", 24, 26, 24, 14),
          ("graylight-cost", "visualization", 0, 40, 24, 12), ("graylight-requests", "visualization", 24, 40, 24, 12),
          ("graylight-alert-counts", "visualization", 0, 52, 16, 12), ("graylight-anomaly-counts", "visualization", 16, 52, 16, 12),
          ("graylight-dlq", "visualization", 32, 52, 16, 12),
          ("graylight-alerts-list", "search", 0, 64, 24, 14), ("graylight-anomalies-list", "search", 24, 64, 24, 14)]
for i, (oid, otype, x, y, w, h) in enumerate(layout):
    ref = "panel_%d" % i
    panels.append({"version": KV, "type": otype, "gridData": {"x": x, "y": y, "w": w, "h": h, "i": str(i + 1)},
                   "panelIndex": str(i + 1), "embeddableConfig": {"enhancements": {}}, "panelRefName": ref})
    refs.append({"name": ref, "type": otype, "id": oid})
objs.append({"id": "graylight-rollout", "type": "dashboard", "attributes": {
    "title": "Graylight: canary vs baseline", "hits": 0, "version": 1, "timeRestore": True,
    "timeFrom": "now-1h", "timeTo": "now", "refreshInterval": {"pause": False, "value": 10000},
    "description": "Cohort comparison (latency and TTFT percentiles, error, feedback and cost), the decisions and the alerts of Graylight rollouts.",
    "optionsJSON": json.dumps({"useMargins": True, "syncColors": False, "hidePanelTitles": False}),
    "panelsJSON": json.dumps(panels),
    "kibanaSavedObjectMeta": {"searchSourceJSON": json.dumps({"query": {"query": "", "language": "kuery"}, "filter": []})}},
    "references": refs, "migrationVersion": {"dashboard": "7.17.0"}, "coreMigrationVersion": KV})
with open(__import__("os").path.join(__import__("os").path.dirname(__file__), "graylight.ndjson"), "w") as f:
    for o in objs:
        f.write(json.dumps(o, separators=(",", ":")) + "\n")
print(len(objs))
