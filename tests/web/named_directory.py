"""The test directory (tests.factories names people and organisations by login and key) given the
names people read, so a page test can assert that no login or key shows (tests.pagetext)."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.models import Organisation, User

PEOPLE = {"curator": "Куратор Анна Сергеевна", "supervisor": "Руководитель Павел Иванович",
          "exec_orb_roads": "Исполнитель Минтранса Мария Викторовна",
          "exec_orb_housing": "Исполнитель Минстроя Сергей Андреевич",
          "exec_orb_health": "Исполнитель Минздрава Ирина Петровна"}
ORGANISATIONS = {"orb_minpolicy": "Министерство региональной и информационной политики Оренбургской области",
                 "orb_roads": "Министерство транспорта и дорожного хозяйства Оренбургской области",
                 "orb_housing": "Министерство строительства и жилищно-коммунального хозяйства Оренбургской области",
                 "orb_health": "Министерство здравоохранения Оренбургской области",
                 "smo_dip": "Департамент Смоленской области по внутренней политике"}
# The test directory's logins and keys, which the demo's list (tests.pagetext) does not all hold.
TEST_WORDS = ("exec_orb_roads", "exec_orb_housing", "exec_orb_health", "orb_roads", "orb_housing", "orb_health",
              "orb_minpolicy", "roads_transport")


def give_names(session: Session) -> None:
    for user in session.scalars(select(User)):
        user.full_name = PEOPLE.get(user.login, user.full_name)
    for org in session.scalars(select(Organisation)):
        org.name = ORGANISATIONS.get(org.key, org.name)
