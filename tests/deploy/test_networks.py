"""The process property ``networks``: the sources the act lists (engine.bpmn.conventions), checked at
deployment naming the property (engine.deployment.contract) and enforced at registration
(engine.runtime.registration, tests/scenario/test_kuzbass_acts.py and test_smolensk_acts.py)."""
from __future__ import annotations

import pytest

from engine.bpmn.conventions import networks_in
from engine.bpmn.reader import read_diagram
from engine.deployment.deployer import Source, library_forms, plan
from engine.errors import DeploymentError, Problem
from engine.runtime.cases import NETWORKS
from engine.texts import language
from tests.factories import ROOT

KUZBASS = (ROOT / "bpmn/kuzbass.bpmn").read_text(encoding="utf-8")
DECLARED = '<camunda:property name="networks" value="ok vk blog" />'


def _problems(source: str) -> list[Problem]:
    with pytest.raises(DeploymentError) as refused:
        plan([Source("kuzbass.bpmn", source.encode("utf-8"))], library_forms())
    return refused.value.problems


def test_kuzbass_lists_odnoklassniki_vkontakte_and_blogs_as_its_act_does() -> None:
    assert KUZBASS.count(DECLARED) == 1
    assert networks_in(read_diagram(KUZBASS.encode()).properties) == ("ok", "vk", "blog")


@pytest.mark.parametrize("path, listed", [
    ("bpmn/kuzbass.bpmn", ("ok", "vk", "blog")),  # п. 4
    ("bpmn/smolensk.bpmn", ("ok", "vk", "facebook", "twitter", "instagram")),  # п. 1
    # Orenburg Положение п. 1: "в открытых источниках, в том числе в ... сети «Интернет»" (3.2: the agencies' own accounts)
    ("bpmn/orenburg.bpmn", NETWORKS),
    ("bpmn/kaluga.bpmn", NETWORKS),  # "в открытых источниках в ... сети «Интернет»": no closed list
    # п. 2: five social networks, "других сайтах" (and blogs), "сервисах для обмена мгновенными сообщениями"
    ("bpmn/kalmanka.bpmn", ("ok", "vk", "facebook", "twitter", "instagram", "site", "blog", "messenger", "telegram")),
    ("bpmn/templates/municipal.bpmn", ("ok", "vk", "facebook", "twitter", "instagram", "site", "blog", "messenger",
                                       "telegram")),
])
def test_each_act_s_networks_are_declared(path: str, listed: tuple[str, ...]) -> None:
    assert networks_in(read_diagram((ROOT / path).read_bytes()).properties) == listed


def test_an_unknown_network_is_refused_naming_the_property_and_the_keys() -> None:
    [problem] = _problems(KUZBASS.replace(DECLARED, DECLARED.replace("blog", "livejournal")))
    assert problem.element == "kuzbass"
    assert "'networks'" in problem.text and "'livejournal'" in problem.text and all(k in problem.text for k in NETWORKS)
    with language("ru"):
        assert "«networks»" in problem.text and "сеть «livejournal» неизвестна" in problem.text


def test_an_empty_list_is_refused_rather_than_read_as_no_network() -> None:
    [problem] = _problems(KUZBASS.replace(DECLARED, DECLARED.replace("ok vk blog", " ")))
    assert problem.element == "kuzbass" and "'networks'" in problem.text and "empty" in problem.text


def test_without_the_property_every_network_is_accepted() -> None:
    source = KUZBASS.replace(DECLARED, "")
    assert networks_in(read_diagram(source.encode()).properties) is None
    plan([Source("kuzbass.bpmn", source.encode("utf-8"))], library_forms())


def test_a_repeated_network_counts_once() -> None:
    source = KUZBASS.replace(DECLARED, DECLARED.replace("ok vk blog", "ok vk ok blog"))
    assert networks_in(read_diagram(source.encode()).properties) == ("ok", "vk", "blog")
