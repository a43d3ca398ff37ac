"""What federal law 8-FZ, art. 13, asks a municipality's site to publish, as one table.

Each category has a key (what a page's ``covers:`` field and a section's ``covers`` name),
the item of part 1 of art. 13 it comes from and its Russian name. The content check
(``ratusha.content_model``) lists every category no published page or section covers.
Items marked «при наличии» in the law (the media a body founded, 1 «е») are left out: a
municipality without them is not missing anything.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["CATEGORIES", "Category", "uncovered"]


@dataclass(frozen=True)
class Category:
    """One kind of information art. 13 of 8-FZ requires."""

    key: str
    item: str  # the item of part 1 of art. 13
    title: str  # in Russian, as the warning shows it


CATEGORIES: dict[str, Category] = {
    category.key: category
    for category in (
        Category("structure", "п. 1 «а»", "наименование и структура органа, почтовый адрес, электронная почта, телефоны справочных служб"),  # noqa: E501
        Category("powers", "п. 1 «б»", "полномочия органа, задачи и функции структурных подразделений, акты, которые их определяют"),  # noqa: E501
        Category("subordinate", "п. 1 «в»", "подведомственные организации: задачи, функции, адреса, телефоны, сайты"),
        Category("heads", "п. 1 «г»", "сведения о руководителях органа, его подразделений и подведомственных организаций"),  # noqa: E501
        Category("registries", "п. 1 «д»", "перечни информационных систем, банков данных, реестров и регистров"),
        Category("official_pages", "п. 1 «ж»", "официальные страницы органа в социальных сетях"),
        Category("public_discussion", "п. 1 «з»", "опросы, публичные обсуждения и их результаты"),
        Category("acts", "п. 2 «а»", "муниципальные правовые акты, их изменения, утрата силы, признание судом недействующими"),  # noqa: E501
        Category("drafts", "п. 2 «б»", "проекты муниципальных правовых актов"),
        Category("procurement", "п. 2 «в»", "закупки товаров, работ и услуг для муниципальных нужд"),
        Category("regulations", "п. 2 «г»", "административные регламенты и стандарты муниципальных услуг"),
        Category("forms", "п. 2 «д»", "установленные формы обращений, заявлений и иных документов"),
        Category("acts_appeal", "п. 2 «е»", "порядок обжалования муниципальных правовых актов"),
        Category("programmes", "п. 3", "участие в программах и международном сотрудничестве, мероприятия органа"),
        Category("emergency", "п. 4", "защита населения и территорий от чрезвычайных ситуаций"),
        Category("inspections", "п. 5", "результаты проверок, проведённых органом и в органе"),
        Category("speeches", "п. 6", "тексты официальных выступлений и заявлений руководителей"),
        Category("statistics", "п. 7 «а»", "статистические данные и показатели по сферам ведения органа"),
        Category("budget", "п. 7 «б»", "использование выделяемых бюджетных средств"),
        Category("benefits", "п. 7 «в»", "предоставленные льготы, отсрочки, рассрочки, списание задолженности"),
        Category("personnel", "п. 8", "кадровое обеспечение: поступление на муниципальную службу, вакансии, конкурсы"),
        Category("appeals", "п. 9 «а»", "порядок и время приёма граждан, порядок рассмотрения обращений"),
        Category("appeals_official", "п. 9 «б»", "должностное лицо, ответственное за приём и рассмотрение обращений, его телефон"),  # noqa: E501
        Category("appeals_reviews", "п. 9 «в»", "обзоры обращений и обобщённые результаты их рассмотрения"),
    )
}  # fmt: skip


def uncovered(covered: set[str]) -> list[Category]:
    """Return the categories not in ``covered``, in the order of the article."""
    return [category for key, category in CATEGORIES.items() if key not in covered]
