"""axe-core, the accessibility engine, run in the page under test.

The engine (axe_playwright_python's copy of axe.min.js) is added to a document once, not on
every run, and only violations come back: axe's passes and inapplicable rules, with their
nodes, would be megabytes of JSON per run.
"""

from functools import cache
from pathlib import Path

import axe_playwright_python

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa", "best-practice"]
OPTIONS = {"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]}


@cache
def _source():
    return (Path(axe_playwright_python.__file__).parent / "axe.min.js").read_text()


def report(found, nodes=5):
    """A readable account of axe's violations: for each rule, the first `nodes` elements with
    their markup, axe's own summary of what failed and the checks' data (for target-size, the
    target's size and its nearest neighbour), so a failure seen once in CI explains itself."""
    lines = []
    for violation in found:
        lines.append(f"- {violation['id']} ({violation['impact']}): {violation['help']}")
        for node in violation["nodes"][:nodes]:
            lines.append(f"    {node['target'][0]}: {node['html'][:200]}")
            summary = (node.get("failureSummary") or "").replace("\n", " / ")
            if summary:
                lines.append(f"      {summary}")
            for check in node.get("any", []) + node.get("all", []) + node.get("none", []):
                related = "; ".join(r["target"][0] for r in check.get("relatedNodes", [])[:3])
                if check.get("data") or related:
                    lines.append(f"      {check['id']}: data={check.get('data')} related={related}")
    return "\n".join(lines)


def violations(page, within=None):
    """axe-core's violations of WCAG 2.2 A and AA and best practice on the page as it is, or
    only in the elements the CSS selector `within` finds."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(_source())
    context = {"include": [[within]]} if within else None
    return page.evaluate(
        "([context, options]) => axe.run(context || document, options)", [context, OPTIONS]
    )["violations"]
