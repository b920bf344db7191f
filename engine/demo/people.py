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
)

# The regulator reviews every region (read-only): one membership per curator organisation.
EXTRA_MEMBERSHIPS = tuple(("regulator", org, "regulator")
                          for org in ("smo_dip", "kuz_cur", "klg_admin", "kal_admin", "ber_admin"))

SUBSTITUTIONS = (("exec_health", "deputy_health"),)  # (absent, substitute) for the current month
SUBSTITUTION_REGION = "orenburg"
