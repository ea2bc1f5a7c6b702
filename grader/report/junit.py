"""JUnit XML: one testsuite per exercise, one testcase per check, failures with their message; always well-formed."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from grader.report.safe_text import xml_text
from grader.results import AssignmentResult
from grader.i18n import tr


def to_junit(result: AssignmentResult) -> str:
    lang = result.lang
    root = ET.Element("testsuites", name="grade", tests="0", failures="0", errors="0", skipped="0",
                      time=f"{result.seconds:.3f}")
    total = failures = 0
    for r in result.results:
        failed = sum(1 for c in r.checks if not c.passed)
        suite = ET.SubElement(root, "testsuite", name=r.exercise, tests=str(len(r.checks)), failures=str(failed),
                              errors="0", skipped="0", time=f"{r.seconds:.3f}")
        props = ET.SubElement(suite, "properties")
        for key, value in (("score", f"{r.score:g}"), ("max_score", f"{r.max_score:g}"), ("device", r.device),
                           ("seed", str(r.seed))):
            ET.SubElement(props, "property", name=key, value=value)
        for check in r.checks:
            case = ET.SubElement(suite, "testcase", classname=r.exercise, name=f"{check.name}: {tr(check.title, lang)}",
                                 time=f"{check.seconds:.3f}")
            if not check.passed:
                message = tr(check.message, lang) if check.message else check.status
                failure = ET.SubElement(case, "failure", message=message.splitlines()[0][:500] if message else "",
                                        type=check.status)
                failure.text = check.output(lang)
        total += len(r.checks)
        failures += failed
    root.set("tests", str(total))
    root.set("failures", str(failures))
    for element in root.iter():  # a student's text may hold characters XML cannot (0x01, 0x0b, ESC): shown, not written
        element.attrib.update({key: xml_text(value) for key, value in element.attrib.items()})
        if element.text:
            element.text = xml_text(element.text)
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
