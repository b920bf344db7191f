"""Who the demo creates: for each of the five regions a curator organisation, agencies (or a
municipality's departments) and one official per role its procedure uses; and a village council
that adopted the municipal template (engine.demo.municipality), with no reception."""
from __future__ import annotations

# (key, name, kind, region, parent)
ORGANISATIONS = (
    ("orb_minpolicy", "Министерство региональной и информационной политики Оренбургской области", "curator", "orenburg", None),
    ("orb_health", "Министерство здравоохранения Оренбургской области", "agency", "orenburg", None),
    ("orb_housing", "Министерство строительства и жилищно-коммунального хозяйства Оренбургской области", "agency", "orenburg", None),
    ("orb_roads", "Министерство транспорта и дорожного хозяйства Оренбургской области", "agency", "orenburg", None),
    ("smo_dip", "Департамент Смоленской области по внутренней политике", "curator", "smolensk", None),
    ("smo_roads", "Министерство транспорта и дорожного хозяйства Смоленской области", "agency", "smolensk", None),
    ("smo_health", "Министерство здравоохранения Смоленской области", "agency", "smolensk", None),
    ("kuz_cur", "ЦУР Кузбасса", "curator", "kuzbass", None),
    ("kuz_roads", "Министерство транспорта Кузбасса", "agency", "kuzbass", None),
    ("kuz_health", "Министерство здравоохранения Кузбасса", "agency", "kuzbass", None),
    ("klg_admin", "Администрация Губернатора Калужской области", "curator", "kaluga", None),
    ("klg_roads", "Министерство дорожного хозяйства Калужской области", "agency", "kaluga", None),
    ("klg_health", "Министерство здравоохранения Калужской области", "agency", "kaluga", None),
    ("kal_admin", "Администрация Калманского района", "municipality", "kalmanka", None),
    ("kal_reception", "Приёмная администрации Калманского района", "reception", "kalmanka", "kal_admin"),
    ("kal_housing", "Комитет по ЖКХ администрации Калманского района", "department", "kalmanka", "kal_admin"),
    ("kal_roads", "Отдел по дорожной деятельности администрации Калманского района", "department", "kalmanka", "kal_admin"),
    ("ber_admin", "Администрация Берёзовского сельсовета", "municipality", "berezovka", None),
    ("ber_works", "Специалист по благоустройству Берёзовского сельсовета", "department", "berezovka", "ber_admin"),
    # Who the acts order to be told (engine.notifications): the Governors' offices, and the competent
    # state bodies Orenburg п. 17 forwards threats to, reached at their addresses (STATE_BODY_EMAILS).
    ("orb_governor", "Аппарат Губернатора Оренбургской области", "administration", "orenburg", None),
    ("orb_umvd", "УМВД России по Оренбургской области", "state_body", "orenburg", None),
    ("orb_prosecutor", "Прокуратура Оренбургской области", "state_body", "orenburg", None),
    ("smo_governor", "Аппарат Губернатора Смоленской области", "administration", "smolensk", None),
    ("kuz_governor", "Администрация Правительства Кузбасса", "administration", "kuzbass", None),
)

# (login, full name, organisation, role or None, who they are — printed beside the password)
OFFICIALS = (
    ("admin", "Администратор системы", "orb_minpolicy", "admin", "администратор"),
    ("curator", "Куратор Анна Сергеевна", "orb_minpolicy", "curator", "Оренбург: куратор (министерство)"),
    ("supervisor", "Руководитель Павел Иванович", "orb_minpolicy", "supervisor", "Оренбург: руководитель, контроль сроков"),
    ("regulator", "Проверяющий Олег Николаевич", "orb_minpolicy", "regulator", "надзор (все пять регионов)"),
    ("exec_health", "Исполнитель Минздрава Ирина Петровна", "orb_health", "executor", "Оренбург: исполнитель, Минздрав"),
    ("exec_housing", "Исполнитель Минстроя Сергей Андреевич", "orb_housing", "executor", "Оренбург: исполнитель, Минстрой ЖКХ"),
    ("exec_roads", "Исполнитель Минтранса Мария Викторовна", "orb_roads", "executor", "Оренбург: исполнитель, Минтранс"),
    # Orenburg п. 5: agencies name substitutes. No role of her own: she acts only for exec_health.
    ("deputy_health", "Заместитель исполнителя Минздрава Елена Юрьевна", "orb_health", None,
     "Оренбург: замещает exec_health в этом месяце"),
    ("analyst", "Аналитик Татьяна Викторовна", "orb_minpolicy", "analyst", "Оренбург: аналитик, развёртывает схемы"),
    ("smo_curator", "Куратор Департамента Ольга Викторовна", "smo_dip", "curator", "Смоленск: куратор (департамент)"),
    ("smo_supervisor", "Заместитель Губернатора Андрей Петрович", "smo_dip", "supervisor", "Смоленск: контроль сроков (п. 13)"),
    ("smo_exec_roads", "Заместитель министра транспорта Игорь Олегович", "smo_roads", "executor", "Смоленск: исполнитель, Минтранс"),
    ("smo_exec_health", "Заместитель министра здравоохранения Наталья Игоревна", "smo_health", "executor",
     "Смоленск: исполнитель, Минздрав"),
    ("smo_analyst", "Аналитик Департамента Кирилл Андреевич", "smo_dip", "analyst", "Смоленск: аналитик, развёртывает схемы"),
    ("kuz_curator", "Куратор ЦУР Дмитрий Алексеевич", "kuz_cur", "curator", "Кузбасс: куратор (ЦУР)"),
    ("kuz_supervisor", "Руководитель ЦУР Светлана Михайловна", "kuz_cur", "supervisor", "Кузбасс: контроль сроков"),
    ("kuz_exec_roads", "Исполнитель Минтранса Кузбасса Артём Сергеевич", "kuz_roads", "executor", "Кузбасс: исполнитель, Минтранс"),
    ("kuz_exec_health", "Исполнитель Минздрава Кузбасса Юлия Андреевна", "kuz_health", "executor", "Кузбасс: исполнитель, Минздрав"),
    ("kuz_analyst", "Аналитик ЦУР Евгений Викторович", "kuz_cur", "analyst", "Кузбасс: аналитик, развёртывает схемы"),
    ("klg_curator", "Куратор Администрации Губернатора Марина Олеговна", "klg_admin", "curator", "Калуга: координатор"),
    ("klg_supervisor", "Руководитель управления Виктор Павлович", "klg_admin", "supervisor", "Калуга: контроль сроков"),
    ("klg_exec_roads", "Сотрудник Миндорхоза Алексей Игоревич", "klg_roads", "executor", "Калуга: ответственный сотрудник"),
    ("klg_deputy_roads", "Заместитель министра дорожного хозяйства Татьяна Львовна", "klg_roads", "deputy_head",
     "Калуга: заместитель руководителя (п. 2.4)"),
    ("klg_exec_health", "Сотрудник Минздрава Калужской области Павел Андреевич", "klg_health", "executor",
     "Калуга: ответственный сотрудник"),
    ("klg_deputy_health", "Заместитель министра здравоохранения Ирина Сергеевна", "klg_health", "deputy_head",
     "Калуга: заместитель руководителя (п. 2.4)"),
    ("klg_analyst", "Аналитик Администрации Губернатора Денис Сергеевич", "klg_admin", "analyst",
     "Калуга: аналитик, развёртывает схемы"),
    ("kal_official", "Уполномоченное лицо Наталья Фёдоровна", "kal_admin", "curator", "Калманка: уполномоченное должностное лицо"),
    ("kal_supervisor", "Глава района Сергей Фёдорович", "kal_admin", "supervisor", "Калманка: контроль сроков"),
    ("kal_reception", "Специалист приёмной Галина Петровна", "kal_reception", "reception", "Калманка: приёмная"),
    ("kal_exec_housing", "Специалист комитета ЖКХ Владимир Иванович", "kal_housing", "executor", "Калманка: исполнитель, ЖКХ"),
    ("kal_exec_roads", "Специалист дорожного отдела Олег Николаевич", "kal_roads", "executor", "Калманка: исполнитель, дороги"),
    ("kal_analyst", "Специалист по цифровизации Анна Михайловна", "kal_admin", "analyst", "Калманка: аналитик, развёртывает схемы"),
    ("ber_official", "Глава сельсовета Николай Петрович", "ber_admin", "curator", "Берёзовка: уполномоченное лицо"),
    ("ber_supervisor", "Заместитель главы Людмила Ивановна", "ber_admin", "supervisor", "Берёзовка: контроль сроков"),
    ("ber_exec", "Специалист по благоустройству Иван Сергеевич", "ber_works", "executor", "Берёзовка: исполнитель"),
    ("ber_analyst", "Секретарь сельсовета Ольга Александровна", "ber_admin", "analyst",
     "Берёзовка: аналитик, принимает и обновляет шаблон"),
    # Recipients of notifications (engine.notifications.resolution): a Governor's office receives his.
    ("governor", "Губернатор Оренбургской области Денис Владимирович", "orb_governor", "governor",
     "Оренбург: Губернатор, получает социально значимые (п. 21)"),
    ("governor_office", "Помощник Губернатора Алла Викторовна", "orb_governor", "governor_office",
     "Оренбург: аппарат Губернатора, получает его уведомления"),
    ("deputy_minister", "Заместитель министра информационной политики Игорь Петрович", "orb_minpolicy",
     "deputy_minister", "Оренбург: заместитель министра (п. 20)"),
    ("head_health", "Министр здравоохранения Татьяна Сергеевна", "orb_health", "agency_head",
     "Оренбург: руководитель Минздрава, получает нарушения (п. 19)"),
    ("head_housing", "Министр строительства и ЖКХ Роман Алексеевич", "orb_housing", "agency_head",
     "Оренбург: руководитель Минстроя ЖКХ (п. 19)"),
    ("head_roads", "Министр транспорта Виталий Геннадьевич", "orb_roads", "agency_head",
     "Оренбург: руководитель Минтранса (п. 19)"),
    ("smo_governor", "Губернатор Смоленской области Василий Николаевич", "smo_governor", "governor",
     "Смоленск: Губернатор, получает остро значимые (п. 15)"),
    ("smo_dg_roads", "Заместитель Губернатора Михаил Юрьевич", "smo_roads", "deputy_governor",
     "Смоленск: заместитель Губернатора, курирует Минтранс (п. 13)"),
    ("smo_dg_health", "Заместитель Губернатора Елена Викторовна", "smo_health", "deputy_governor",
     "Смоленск: заместитель Губернатора, курирует Минздрав (п. 13)"),
    ("smo_head_roads", "Министр транспорта Смоленской области Павел Игоревич", "smo_roads", "agency_head",
     "Смоленск: руководитель Минтранса"),
    ("smo_dg_policy", "Заместитель Губернатора по информационной политике Ольга Сергеевна", "smo_dip", "deputy_governor",
     "Смоленск: заместитель Губернатора, курирует департамент, получает сводку (п. 14)"),
    ("kuz_governor", "Губернатор Кузбасса Илья Викторович", "kuz_governor", "governor", "Кузбасс: Губернатор"),
    ("kuz_dg", "Заместитель Губернатора по внутренней политике Алексей Андреевич", "kuz_roads", "deputy_governor",
     "Кузбасс: заместитель Губернатора, курирует Минтранс и Минздрав"),
    ("kuz_head_roads", "Министр транспорта Кузбасса Дмитрий Олегович", "kuz_roads", "agency_head",
     "Кузбасс: руководитель Минтранса"),
    ("klg_governor", "Губернатор Калужской области Владислав Валерьевич", "klg_admin", "governor",
     "Калуга: Губернатор"),
    ("klg_head_roads", "Министр дорожного хозяйства Калужской области Сергей Иванович", "klg_roads", "agency_head",
     "Калуга: руководитель Миндорхоза"),
)

# The regulator reviews every region (read-only): one membership per curator organisation.
EXTRA_MEMBERSHIPS = tuple(("regulator", org, "regulator")
                          for org in ("smo_dip", "kuz_cur", "klg_admin", "kal_admin", "ber_admin")) + (
    ("kuz_dg", "kuz_health", "deputy_governor"),  # one deputy governor supervising two agencies
    ("kuz_dg", "kuz_cur", "deputy_governor"),  # and ЦУР, which informs him monthly (п. 25, engine.reports.schedule)
)

# Demo e-mail addresses (the reserved .example domain: nothing leaves a test SMTP server): every
# official gets <login>@otklik.example; the state bodies their own contact.
EMAIL_DOMAIN = "otklik.example"
STATE_BODY_EMAILS = {"orb_umvd": "umvd@orenburg.otklik.example", "orb_prosecutor": "prokuratura@orenburg.otklik.example"}


def email_of(login: str) -> str:
    return f"{login}@{EMAIL_DOMAIN}"

SUBSTITUTIONS = (("exec_health", "deputy_health"),)  # (absent, substitute) for the current month
SUBSTITUTION_REGION = "orenburg"
