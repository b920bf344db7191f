"""The one access policy (engine.directory.policy): what each role may open, in which regions.
The web pages' guards and navigation read these; tests/web/test_authorization_matrix.py proves
the pages still answer as before."""
from __future__ import annotations

import re

import pytest

from engine.calendar.regions import REGIONS
from engine.directory import policy
from engine.directory.access import Grant
from engine.directory.policy import Capabilities
from engine.directory.roles import MEMBERSHIP_ROLES
from tests.factories import ROOT

# Role → the capabilities it gives, as the pages and the navigation granted them before the
# policy existed (role lists in web/*.py decorators and in base.html / procedures/index.html).
EXPECTED = {
    "curator": {"may_register", "may_read_messages", "may_review_procedures", "may_view_reports", "may_view_heatmap"},
    "executor": {"may_read_messages"},
    "deputy_head": {"may_read_messages"},
    "reception": {"may_read_messages"},
    "supervisor": {"may_read_messages", "may_review_procedures", "may_view_reports", "may_view_heatmap",
                   "may_see_incidents"},
    "regulator": {"may_read_messages", "may_review_procedures", "may_view_reports", "may_view_heatmap"},
    "analyst": {"may_review_procedures", "may_deploy"},
    "admin": {"may_see_incidents", "may_administer"},
    # Told by notifications (engine.notifications): they open the case a notification links to; those
    # sent the summary on schedule (engine.reports.schedule) open the report it links to.
    **dict.fromkeys(("governor", "governor_office", "deputy_governor", "deputy_minister"),
                    {"may_read_messages", "may_view_reports"}),
    "agency_head": {"may_read_messages"},
}


def _granted(capabilities: Capabilities) -> set[str]:
    return {name for name in policy.CAPABILITIES if capabilities.allows(name)}


def test_every_membership_role_has_its_capabilities_listed() -> None:
    assert set(EXPECTED) == set(MEMBERSHIP_ROLES)


@pytest.mark.parametrize("role", sorted(EXPECTED))
def test_each_role_alone(role: str) -> None:
    assert _granted(Capabilities.of([role])) == EXPECTED[role]


def test_roles_add_up_and_nothing_allows_nothing() -> None:
    assert _granted(Capabilities.of(["analyst", "executor"])) == EXPECTED["analyst"] | EXPECTED["executor"]
    assert _granted(Capabilities.of([])) == set()
    assert _granted(policy.NOTHING) == set()
    # Task-only designations and unknown names give nothing.
    assert _granted(Capabilities.of(["last_executor", "citizen"])) == set()


def test_an_unknown_capability_is_a_programming_error() -> None:
    with pytest.raises(KeyError, match="may_fly"):
        Capabilities.of(["admin"]).allows("may_fly")


def _grant(role: str, region: str) -> Grant:
    return Grant(role, f"{region}_org", region)


def test_regions_of_procedures_reports_deploy_and_heatmap() -> None:
    granted = [_grant("curator", "orenburg"), _grant("analyst", "kaluga"), _grant("executor", "smolensk")]
    assert policy.procedure_regions(granted) == ["kaluga", "orenburg"]
    assert policy.report_regions(granted) == ["orenburg"]
    assert policy.heatmap_regions(granted) == ["orenburg"]
    assert policy.deploy_regions(granted) == ["kaluga"]
    assert policy.incident_regions(granted) == frozenset()


def test_the_regulator_oversees_every_region_s_procedures_but_reports_only_its_own() -> None:
    granted = [_grant("regulator", "orenburg")]
    assert policy.procedure_regions(granted) == sorted(REGIONS)
    assert policy.report_regions(granted) == ["orenburg"]


def test_incidents_supervisor_in_region_admin_everywhere() -> None:
    assert policy.incident_regions([_grant("supervisor", "kaluga"), _grant("curator", "orenburg")]) == {"kaluga"}
    assert policy.incident_regions([_grant("supervisor", "kaluga"), _grant("admin", "orenburg")]) is None


def test_substituted_grants_count_like_own() -> None:
    """Orenburg п. 5: standing in for an analyst lets the substitute deploy in that region."""
    standing_in = Grant("analyst", "orb_minpolicy", "orenburg", on_behalf_of="absent_analyst")
    assert policy.deploy_regions([standing_in]) == ["orenburg"]



def test_curators_register_and_release_claimed_tasks_in_their_region_only() -> None:
    granted = [_grant("curator", "orenburg"), _grant("supervisor", "kaluga")]
    assert policy.registration_regions(granted) == ["orenburg"]
    assert policy.may_unclaim_in(granted, "orenburg")
    assert not policy.may_unclaim_in(granted, "kaluga")
    standing_in = [Grant("curator", "orb_minpolicy", "orenburg", on_behalf_of="absent_curator")]
    assert policy.may_unclaim_in(standing_in, "orenburg")


def test_who_sees_every_message_of_a_region() -> None:
    """Executors, deputy heads and agency heads see their agency's messages (engine.views.registry), not
    the region's; those the acts order to be told of a region's cases (the Governor, his office, deputy
    governors, the deputy minister) open any case of it a notification links to."""
    assert set(policy.MESSAGE_REGION_WIDE) == {"curator", "supervisor", "regulator", "reception", "governor",
                                               "governor_office", "deputy_governor", "deputy_minister"}
    assert set(policy.MESSAGE_REGION_WIDE) <= set(policy.MESSAGE_READERS)


WEB = ROOT / "web"


def test_the_web_app_asks_capabilities_not_roles() -> None:
    """Pages and templates name capabilities; role lists live only in the policy (the admin page
    offers every MEMBERSHIP_ROLES to grant, which is the directory's list, not a rule)."""
    found = []
    for path in [*WEB.glob("*.py"), *WEB.rglob("*.html")]:
        text = path.read_text("utf-8")
        found += [f"{path.relative_to(ROOT)}: {m}" for m in re.findall(r"has_role\(|role_required\(|(?<!MEMBERSHIP)_ROLES\b|READERS", text)]
    assert not found, found
