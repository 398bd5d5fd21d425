"""Tests of the shipped Grafana dashboard, its provisioning files and of
the validator in dashboard.py, which must reject dashboards that break the
schema version they declare.

Usage: python3 dashboard_test.py [-v]
"""

import copy
import pathlib
import sys
import unittest

import yaml

sys.path.insert(0, str(pathlib.Path(__file__).parent))
import dashboard  # noqa: E402  pylint: disable=wrong-import-position

REPOSITORY_ROOT = pathlib.Path(__file__).resolve().parents[2]
GRAFANA_DIR = REPOSITORY_ROOT / "grafana"
DASHBOARD_PATH = GRAFANA_DIR / "dashboards" / "docker-compliance.json"


def load_yaml(path):
    with open(path, encoding="utf-8") as source:
        return yaml.safe_load(source)


class ShippedDashboardTest(unittest.TestCase):

    def setUp(self):
        self.dashboard = dashboard.load_dashboard(DASHBOARD_PATH)

    def expressions(self, panel_type=None):
        return [
            target["expr"]
            for panel in dashboard.content_panels(self.dashboard)
            if panel_type is None or panel["type"] == panel_type
            for target in panel["targets"]
        ]

    def test_follows_declared_schema(self):
        self.assertEqual(dashboard.validate(self.dashboard), [])

    def test_has_instance_and_check_variables(self):
        variables = {
            v["name"]: v for v in self.dashboard["templating"]["list"]
        }
        for name in ("instance", "check"):
            with self.subTest(variable=name):
                self.assertIn(name, variables)
                self.assertEqual(variables[name]["type"], "query")
                self.assertTrue(variables[name]["multi"])
                self.assertTrue(variables[name]["includeAll"])

    def test_every_query_filters_on_instance(self):
        for expr in self.expressions():
            with self.subTest(expr=expr):
                self.assertIn('instance=~"$instance"', expr)

    def test_shows_score_over_time(self):
        self.assertTrue(
            any("instance:docker_compliance_checks_passed:ratio" in expr
                for expr in self.expressions("timeseries")))

    def test_shows_failing_checks_by_container_and_check(self):
        expressions = "\n".join(self.expressions())
        self.assertIn(
            "instance_name:docker_compliance_container_checks_failing:sum",
            expressions)
        self.assertIn("instance_check:docker_compliance_containers_failing:sum",
                      expressions)
        self.assertIn('check=~"$check"', expressions)

    def test_shows_writable_privileged_and_waived(self):
        expressions = "\n".join(self.expressions())
        self.assertIn('check="rootfs_readonly"', expressions)
        self.assertIn('check="privileged"', expressions)
        self.assertIn("docker_compliance_container_check_waived", expressions)

    def test_shows_exporter_health(self):
        expressions = "\n".join(self.expressions())
        self.assertIn('up{job="docker_compliance"', expressions)
        self.assertIn("docker_compliance_up{", expressions)
        self.assertIn("docker_compliance_last_refresh_success_timestamp",
                      expressions)
        self.assertIn("docker_compliance_refresh_failures_total", expressions)


class ValidatorTest(unittest.TestCase):
    """Each test breaks one rule in a copy of the shipped dashboard."""

    def setUp(self):
        self.dashboard = copy.deepcopy(
            dashboard.load_dashboard(DASHBOARD_PATH))
        self.first = dashboard.content_panels(self.dashboard)[0]
        self.second = dashboard.content_panels(self.dashboard)[1]

    def assert_problem(self, text):
        problems = dashboard.validate(self.dashboard)
        self.assertTrue(any(text in problem for problem in problems),
                        f"no problem mentions {text!r}: {problems}")

    def test_rejects_other_schema_version(self):
        self.dashboard["schemaVersion"] = 38
        self.assert_problem("39 was expected")

    def test_rejects_datasource_name_string(self):
        self.first["datasource"] = "Prometheus"
        self.assert_problem("is not of type 'object'")

    def test_rejects_fixed_datasource_uid(self):
        self.first["targets"][0]["datasource"] = {
            "type": "prometheus",
            "uid": "prometheus"
        }
        self.assert_problem("is fixed")

    def test_rejects_boolean_legend(self):
        timeseries = next(p for p in self.dashboard["panels"]
                          if p["type"] == "timeseries")
        timeseries["options"]["legend"] = True
        self.assert_problem("is not of type 'object'")

    def test_rejects_table_display_mode(self):
        table = next(p for p in self.dashboard["panels"]
                     if p["type"] == "table")
        table["fieldConfig"]["defaults"]["custom"]["displayMode"] = "auto"
        self.assert_problem("fieldConfig/defaults/custom")

    def test_rejects_unknown_property(self):
        self.first["span"] = 6
        self.assert_problem("'span' was unexpected")

    def test_rejects_panel_past_last_column(self):
        self.first["gridPos"]["x"] = 22
        self.first["gridPos"]["w"] = 4
        self.assert_problem("more than 24 columns")

    def test_rejects_overlapping_panels(self):
        self.second["gridPos"] = dict(self.first["gridPos"])
        self.assert_problem("overlaps panel")

    def test_rejects_repeated_panel_id(self):
        self.second["id"] = self.first["id"]
        self.assert_problem(f"panel id {self.first['id']} is used more")

    def test_rejects_repeated_panel_title(self):
        self.second["title"] = self.first["title"]
        self.assert_problem(f"panel title '{self.first['title']}' is used")

    def test_rejects_undefined_variable(self):
        self.first["targets"][0]["expr"] = 'up{instance=~"$host"}'
        self.assert_problem("variable $host is not defined")

    def test_accepts_builtin_variable(self):
        self.first["targets"][0]["expr"] = (
            'rate(up{instance=~"$instance"}[$__rate_interval])')
        self.assertEqual(dashboard.validate(self.dashboard), [])


class SubstitutionTest(unittest.TestCase):

    def test_substitutes_plain_and_braced_references(self):
        values = {"instance": "(a|b)", "__rate_interval": "15s"}
        self.assertEqual(
            dashboard.substitute('x{i=~"$instance"}[${__rate_interval}]',
                                 values), 'x{i=~"(a|b)"}[15s]')

    def test_escapes_regex_metacharacters_twice(self):
        self.assertEqual(dashboard.escape_regex_value("127.0.0.1:80"),
                         "127\\\\.0\\\\.0\\\\.1:80")
        self.assertEqual(dashboard.escape_regex_value("a(b)"),
                         "a\\\\(b\\\\)")

    def test_escapes_backslash_four_times(self):
        self.assertEqual(dashboard.escape_regex_value("a\\b"),
                         "a\\\\\\\\b")

    def test_keeps_unknown_references(self):
        self.assertEqual(dashboard.substitute("$other", {}), "$other")


class FakePrometheus:
    """Returns one instance and one check, and a fixed series count for
    every query except those that contain EMPTY_METRIC."""

    EMPTY_METRIC = "docker_compliance_container_check_waived"

    def __init__(self):
        self.queries = []

    def label_values(self, metric, label):
        del metric  # The fake returns the same values for every metric.
        return {"instance": ["host1:9795"], "check": ["privileged"]}[label]

    def series_count(self, expr, instant):
        self.queries.append((expr, instant))
        return 0 if self.EMPTY_METRIC in expr else 2


class RunQueriesTest(unittest.TestCase):

    def setUp(self):
        self.dashboard = dashboard.load_dashboard(DASHBOARD_PATH)
        self.prometheus = FakePrometheus()
        self.waiver_titles = [
            panel["title"] for panel in dashboard.content_panels(
                self.dashboard) if any(FakePrometheus.EMPTY_METRIC in
                                       target["expr"]
                                       for target in panel["targets"])
        ]

    def run_queries(self, allowed_empty):
        return dashboard.run_queries(self.dashboard, self.prometheus,
                                     allowed_empty, "15s")

    def test_passes_when_empty_panels_are_allowed(self):
        allowed = {title: "no waiver" for title in self.waiver_titles}
        self.assertEqual(self.run_queries(allowed), [])

    def test_substitutes_variables_in_every_query(self):
        self.run_queries({})
        for expr, _ in self.prometheus.queries:
            with self.subTest(expr=expr):
                self.assertNotIn("$", expr)
                self.assertIn('instance=~"host1:9795"', expr)

    def test_runs_instant_targets_as_instant_queries(self):
        self.run_queries({})
        instant = [instant for _, instant in self.prometheus.queries]
        self.assertIn(True, instant)
        self.assertIn(False, instant)

    def test_fails_for_empty_panel_not_allowed(self):
        problems = self.run_queries({})
        self.assertEqual(len(problems), len(self.waiver_titles))
        self.assertIn("returned no series", problems[0])

    def test_fails_for_allowed_panel_with_data(self):
        allowed = {title: "no waiver" for title in self.waiver_titles}
        allowed["Compliance score"] = "stale entry"
        problems = self.run_queries(allowed)
        self.assertEqual(len(problems), 1)
        self.assertIn("'Compliance score'", problems[0])
        self.assertIn("remove it", problems[0])

    def test_fails_for_unknown_allowed_title(self):
        allowed = {title: "no waiver" for title in self.waiver_titles}
        allowed["No such panel"] = "typo"
        problems = self.run_queries(allowed)
        self.assertEqual(len(problems), 1)
        self.assertIn("'No such panel'", problems[0])


class ProvisioningTest(unittest.TestCase):

    def test_datasource_is_prometheus(self):
        config = load_yaml(GRAFANA_DIR / "provisioning" / "datasources" /
                           "prometheus.yml")
        self.assertEqual(config["apiVersion"], 1)
        (datasource,) = config["datasources"]
        self.assertEqual(datasource["type"], "prometheus")
        self.assertEqual(datasource["access"], "proxy")
        self.assertTrue(datasource["url"].startswith("http"))

    def test_dashboard_provider_reads_files(self):
        config = load_yaml(GRAFANA_DIR / "provisioning" / "dashboards" /
                           "docker-compliance.yml")
        self.assertEqual(config["apiVersion"], 1)
        (provider,) = config["providers"]
        self.assertEqual(provider["type"], "file")
        self.assertTrue(provider["options"]["path"].startswith("/"))

    def test_datasource_variable_selects_prometheus(self):
        shipped = dashboard.load_dashboard(DASHBOARD_PATH)
        (variable,) = [
            v for v in shipped["templating"]["list"]
            if v["type"] == "datasource"
        ]
        self.assertEqual(variable["query"], "prometheus")


if __name__ == "__main__":
    unittest.main()
