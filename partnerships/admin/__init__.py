"""Coordinators' admin of grants and partnerships, in Swedish: calls with their criteria and questions,
applications with their assessments (and the assessment and decision pages), decisions (announced by an
action with confirmation, exported and imported), follow-up reports (reviewed by actions) and the IOP
register. State changes go through the services."""

from . import applications, calls, decisions, iop, reports  # noqa: F401 (registers the admins)
