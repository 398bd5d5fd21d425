"""Validate the Grafana dashboard and run its queries against Prometheus.

validate DASHBOARD
    Checks the dashboard against grafana_dashboard_v39.schema.json, the
    schema of the version it declares, and against what the schema cannot
    express: unique panel ids, titles and refIds, panels that fit the 24 columns
    without overlapping, data source references that name a data source
    variable, and template variables in queries that are defined.

query DASHBOARD PROMETHEUS_URL [--allow-empty TITLE=REASON]...
    Resolves the template variables as Grafana does with "All" selected
    and runs every panel query against Prometheus. Instant targets run as
    instant queries, the others as range queries over the last 30 s. A
    query fails when it returns an error, or no series unless its panel is
    listed with --allow-empty. A listed panel that returns data fails too,
    so the list stays current.

Both exit with status 1 and print each problem on stderr when there is one.
"""

import argparse
import json
import pathlib
import re
import sys
import time
import urllib.error
import urllib.parse
import urllib.request

import jsonschema

SCHEMA_PATH = pathlib.Path(__file__).with_name(
    "grafana_dashboard_v39.schema.json")
GRID_COLUMNS = 24
# Grafana's global variables that Prometheus queries may use.
BUILTIN_VARIABLES = {
    "__interval", "__interval_ms", "__rate_interval", "__range",
    "__range_s", "__range_ms", "__dashboard", "__org", "__user"
}
VARIABLE_REFERENCE = re.compile(
    r"\$(?:\{(?P<braced>\w+)(?::\w+)?\}|(?P<plain>\w+))")
LABEL_VALUES = re.compile(r"^label_values\((?P<metric>[^,]+),\s*"
                          r"(?P<label>\w+)\)$")
RANGE_SECONDS = 30
REGEX_METACHARACTERS = re.compile(r"[$^*{}\[\]'+?.()|]")


def load_dashboard(path):
    with open(path, encoding="utf-8") as source:
        return json.load(source)


def content_panels(dashboard):
    return [p for p in dashboard.get("panels", []) if p.get("type") != "row"]


def variable_names(dashboard):
    return {v["name"] for v in dashboard.get("templating", {}).get("list", [])}


def referenced_variables(text):
    for match in VARIABLE_REFERENCE.finditer(text):
        yield match.group("braced") or match.group("plain")


def schema_problems(dashboard):
    with open(SCHEMA_PATH, encoding="utf-8") as source:
        schema = json.load(source)
    validator = jsonschema.Draft7Validator(schema)
    problems = []
    for error in sorted(validator.iter_errors(dashboard), key=str):
        location = "/".join(str(part) for part in error.absolute_path)
        problems.append(f"schema: at /{location}: {error.message}")
    return problems


def layout_problems(panels):
    problems = []
    cells = {}
    for panel in panels:
        grid = panel["gridPos"]
        title = panel["title"]
        if grid["x"] + grid["w"] > GRID_COLUMNS:
            problems.append(f"panel '{title}': x + w is "
                            f"{grid['x'] + grid['w']}, more than "
                            f"{GRID_COLUMNS} columns")
        for row in range(grid["y"], grid["y"] + grid["h"]):
            for column in range(grid["x"], grid["x"] + grid["w"]):
                other = cells.setdefault((row, column), title)
                if other != title:
                    problems.append(f"panel '{title}' overlaps panel "
                                    f"'{other}' at row {row}, column "
                                    f"{column}")
                    return problems
    return problems


def reference_problems(dashboard):
    problems = []
    variables = {v["name"]: v for v in dashboard["templating"]["list"]}

    def check_datasource(where, reference):
        uid = reference.get("uid", "")
        names = list(referenced_variables(uid))
        if not names:
            problems.append(f"{where}: data source uid '{uid}' is fixed; "
                            f"use a data source variable such as "
                            f"${{datasource}}")
            return
        for name in names:
            if variables.get(name, {}).get("type") != "datasource":
                problems.append(f"{where}: data source uid '{uid}' does "
                                f"not name a data source variable")

    for variable in variables.values():
        if "datasource" in variable:
            check_datasource(f"variable {variable['name']}",
                             variable["datasource"])
    for panel in content_panels(dashboard):
        title = panel["title"]
        check_datasource(f"panel '{title}'", panel["datasource"])
        ref_ids = [target["refId"] for target in panel["targets"]]
        if len(ref_ids) != len(set(ref_ids)):
            problems.append(f"panel '{title}': refIds {ref_ids} repeat")
        for target in panel["targets"]:
            check_datasource(f"panel '{title}' query {target['refId']}",
                             target["datasource"])
            for name in referenced_variables(target["expr"]):
                if name not in variables and name not in BUILTIN_VARIABLES:
                    problems.append(f"panel '{title}' query "
                                    f"{target['refId']}: variable ${name} "
                                    f"is not defined")
    return problems


def validate(dashboard):
    """Return the problems found in DASHBOARD, an empty list if none."""
    problems = schema_problems(dashboard)
    if problems:
        # The checks below assume the structure that the schema enforces.
        return problems
    ids = [panel["id"] for panel in dashboard["panels"]]
    for panel_id in sorted({i for i in ids if ids.count(i) > 1}):
        problems.append(f"panel id {panel_id} is used more than once")
    # Titles identify panels in messages and in `query --allow-empty`.
    titles = [panel["title"] for panel in dashboard["panels"]]
    for title in sorted({t for t in titles if titles.count(t) > 1}):
        problems.append(f"panel title '{title}' is used more than once")
    problems.extend(layout_problems(dashboard["panels"]))
    problems.extend(reference_problems(dashboard))
    return problems


class Prometheus:
    """Client for the parts of Prometheus' HTTP API that the queries use."""

    def __init__(self, url):
        self.url = url.rstrip("/")

    def get(self, path, params):
        query = urllib.parse.urlencode(params, doseq=True)
        try:
            with urllib.request.urlopen(f"{self.url}{path}?{query}",
                                        timeout=10) as response:
                body = json.load(response)
        except urllib.error.HTTPError as error:
            # Prometheus explains a rejected query in the JSON body.
            raise RuntimeError(f"HTTP {error.code}: "
                               f"{error.read().decode(errors='replace')}"
                              ) from error
        if body.get("status") != "success":
            raise RuntimeError(f"{path} returned {body}")
        return body["data"]

    def label_values(self, metric, label):
        return self.get(f"/api/v1/label/{label}/values", {"match[]": metric})

    def series_count(self, expr, instant):
        """Run EXPR and return the number of series it returns."""
        now = time.time()
        if instant:
            data = self.get("/api/v1/query", {"query": expr, "time": now})
        else:
            data = self.get("/api/v1/query_range", {
                "query": expr,
                "start": now - RANGE_SECONDS,
                "end": now,
                "step": 1,
            })
        if data["resultType"] in ("scalar", "string"):
            return 1
        return len(data["result"])


def resolve_variables(dashboard, prometheus, rate_interval):
    """Return the text that replaces each variable, "All" selected."""
    values = {
        "__rate_interval": rate_interval,
        "__interval": rate_interval,
        "__range": f"{RANGE_SECONDS}s",
    }
    for variable in dashboard["templating"]["list"]:
        if variable["type"] != "query":
            continue
        definition = variable["query"]
        if isinstance(definition, dict):
            definition = definition["query"]
        match = LABEL_VALUES.match(definition.strip())
        if not match:
            raise ValueError(f"variable {variable['name']}: only "
                             f"label_values(METRIC, LABEL) is supported, "
                             f"got {definition!r}")
        found = prometheus.label_values(match["metric"].strip(),
                                        match["label"])
        if not found:
            raise ValueError(f"variable {variable['name']}: "
                             f"{definition} returns no values")
        escaped = [escape_regex_value(value) for value in found]
        values[variable["name"]] = (escaped[0] if len(escaped) == 1 else
                                    "(" + "|".join(escaped) + ")")
    return values


def escape_regex_value(value):
    """Escape VALUE as Grafana does for a regex matcher in a PromQL string.

    Each regex metacharacter gets two backslashes: the PromQL string turns
    them into one, which the regex engine then reads as an escape. A
    backslash becomes four, which the regex engine reads as one literal
    backslash.
    """
    value = value.replace("\\", "\\" * 4)
    return REGEX_METACHARACTERS.sub(r"\\\\\g<0>", value)


def substitute(expr, values):

    def replace(match):
        name = match.group("braced") or match.group("plain")
        return values.get(name, match.group(0))

    return VARIABLE_REFERENCE.sub(replace, expr)


def run_queries(dashboard, prometheus, allowed_empty, rate_interval):
    """Run every panel query and return the problems found."""
    problems = []
    values = resolve_variables(dashboard, prometheus, rate_interval)
    titles = {panel["title"] for panel in content_panels(dashboard)}
    for title in sorted(set(allowed_empty) - titles):
        problems.append(f"--allow-empty names panel '{title}', which the "
                        f"dashboard does not have")
    for panel in content_panels(dashboard):
        title = panel["title"]
        for target in panel["targets"]:
            expr = substitute(target["expr"], values)
            where = f"panel '{title}' query {target['refId']}"
            try:
                count = prometheus.series_count(expr,
                                                target.get("instant", False))
            except (OSError, RuntimeError) as error:
                problems.append(f"{where}: {expr} failed: {error}")
                continue
            if count and title in allowed_empty:
                problems.append(f"{where} returned {count} series but is "
                                f"listed with --allow-empty; remove it")
            elif count:
                print(f"ok: {where} returns {count} series")
            elif title in allowed_empty:
                print(f"ok: {where} is empty, as allowed: "
                      f"{allowed_empty[title]}")
            else:
                problems.append(f"{where} returned no series: {expr}")
    return problems


def parse_allow_empty(entries):
    allowed = {}
    for entry in entries:
        title, separator, reason = entry.partition("=")
        if not separator or not reason:
            raise SystemExit(f"--allow-empty {entry!r}: expected "
                             f"TITLE=REASON")
        allowed[title] = reason
    return allowed


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)
    validate_parser = commands.add_parser("validate")
    validate_parser.add_argument("dashboard")
    query_parser = commands.add_parser("query")
    query_parser.add_argument("dashboard")
    query_parser.add_argument("prometheus_url")
    query_parser.add_argument("--allow-empty", action="append", default=[],
                              metavar="TITLE=REASON")
    query_parser.add_argument("--rate-interval", default="15s",
                              help="value of $__rate_interval and "
                              "$__interval (default 15s)")
    arguments = parser.parse_args()

    dashboard = load_dashboard(arguments.dashboard)
    problems = validate(dashboard)
    if not problems and arguments.command == "query":
        problems = run_queries(dashboard,
                               Prometheus(arguments.prometheus_url),
                               parse_allow_empty(arguments.allow_empty),
                               arguments.rate_interval)
    for problem in problems:
        print(f"{arguments.dashboard}: {problem}", file=sys.stderr)
    if problems:
        return 1
    if arguments.command == "validate":
        print(f"{arguments.dashboard} follows schemaVersion "
              f"{dashboard['schemaVersion']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
