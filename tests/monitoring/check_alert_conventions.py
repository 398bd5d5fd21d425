"""Check the alerting rules against the conventions promtool does not check.

Every alert must start with DockerCompliance, carry a severity of critical,
warning or info, have summary, description and runbook_url annotations,
and link a runbook page that exists in the repository. The promtool unit
tests must evaluate every alert at least once expecting it to fire and once
expecting it not to fire.

Usage: python3 check_alert_conventions.py REPOSITORY_ROOT
Exits 1 and lists every violation when there is one.
"""

import pathlib
import sys

import yaml

ALERT_PREFIX = "DockerCompliance"
SEVERITIES = {"critical", "warning", "info"}
ANNOTATIONS = ("summary", "description", "runbook_url")


def load_alerts(rules_dir):
    alerts = []
    for path in sorted(rules_dir.glob("*.yml")):
        document = yaml.safe_load(path.read_text())
        for group in document.get("groups", []):
            for rule in group.get("rules", []):
                if "alert" in rule:
                    alerts.append(rule)
    return alerts


def check_alert(rule, root):
    name = rule["alert"]
    problems = []
    if not name.startswith(ALERT_PREFIX):
        problems.append(f"{name}: name does not start with {ALERT_PREFIX}")
    severity = rule.get("labels", {}).get("severity")
    if severity not in SEVERITIES:
        problems.append(
            f"{name}: severity is {severity!r}, expected one of "
            f"{sorted(SEVERITIES)}")
    annotations = rule.get("annotations", {})
    for key in ANNOTATIONS:
        if not annotations.get(key):
            problems.append(f"{name}: annotation {key} is missing or empty")
    runbook = annotations.get("runbook_url", "")
    if runbook and not (root / runbook).is_file():
        problems.append(f"{name}: runbook_url {runbook} is not a file in "
                        f"the repository")
    return problems


def collect_test_cases(tests_dir):
    """Return the alert names tested as firing and as not firing."""
    firing, silent = set(), set()
    for path in sorted(tests_dir.glob("*.yml")):
        document = yaml.safe_load(path.read_text())
        for test in document.get("tests", []):
            for case in test.get("alert_rule_test", []) or []:
                if case.get("exp_alerts"):
                    firing.add(case["alertname"])
                else:
                    silent.add(case["alertname"])
    return firing, silent


def main():
    if len(sys.argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    root = pathlib.Path(sys.argv[1])
    prometheus_dir = root / "deploy" / "prometheus"
    alerts = load_alerts(prometheus_dir / "rules")
    if not alerts:
        print(f"no alerting rules found in {prometheus_dir / 'rules'}",
              file=sys.stderr)
        return 1

    problems = []
    for rule in alerts:
        problems.extend(check_alert(rule, root))
    firing, silent = collect_test_cases(prometheus_dir / "tests")
    for rule in alerts:
        name = rule["alert"]
        if name not in firing:
            problems.append(f"{name}: no unit test expects it to fire")
        if name not in silent:
            problems.append(f"{name}: no unit test expects it not to fire")
    known = {rule["alert"] for rule in alerts}
    for name in sorted((firing | silent) - known):
        problems.append(f"unit tests name {name}, which no rule defines")

    for problem in problems:
        print(problem, file=sys.stderr)
    if problems:
        return 1
    print(f"{len(alerts)} alerts follow the conventions and have firing "
          f"and not firing unit tests")
    return 0


if __name__ == "__main__":
    sys.exit(main())
