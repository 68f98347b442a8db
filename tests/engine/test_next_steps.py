"""What to do next: the steps an admitted applicant takes, from the notice's procedure and requirements.

They come from rules/ (`next_steps`) and are chosen by the engine for these answers: who recommends
follows the kind of unit, the technology contract and the evaluation report follow the achievements,
a review names who decides it, and the guide's silence on a deadline is said.
"""

import copy

import pytest

from checker_py import evaluate
from test_cases import PROFILES


def steps(profile, programme, lang="zh"):
    """{step id: text} of the programme's next steps, in order."""
    res = evaluate(profile, programme, lang)["results"][programme]
    return {step["id"]: step["text"] for step in res["next_steps"]}, res


def test_an_eligible_enterprise_registers_applies_signs_and_is_recommended_by_its_district():
    got, res = steps(PROFILES["key_rd_eligible"], "key_rd")
    assert res["verdict"] == "eligible"
    assert list(got) == ["register_unit", "leader_account", "fill_application", "integrity_pledges", "unit_review",
                         "recommended_by_district", "deadline"]
    assert "克拉玛依科技项目业务管理平台" in got["register_unit"] and "重点研发计划" in got["fill_application"]
    assert all(step["clause"] for step in res["next_steps"] if step["id"] != "deadline")


def test_a_public_institution_is_recommended_by_its_superior_department():
    institution = copy.deepcopy(PROFILES["soft_science_eligible"])
    institution["unit"]["kind"] = "institution"
    got, res = steps(institution, "soft_science")
    assert res["verdict"] == "eligible"
    assert "上级行业主管部门" in got["recommended_by_department"]
    assert "recommended_by_district" not in got and "recommendation" not in got


def test_the_procedure_page_has_the_steps_of_no_applicant_in_particular(compiled):
    """An empty profile: every step of the procedure, who recommends for either kind of unit, no
    programme's own paperwork."""
    steps_ = {step["id"]: step for step in compiled["procedure_steps"]}
    assert list(steps_) == ["register_unit", "leader_account", "fill_application", "integrity_pledges", "unit_review",
                            "recommendation"]
    assert "所要申报的项目类别" in steps_["fill_application"]["text"]["zh"]
    assert all(step["who"]["zh"] and step["who"]["en"] for step in steps_.values())


def test_a_transferred_achievement_needs_its_registered_contract_and_a_utility_model_its_evaluation_report():
    profile = copy.deepcopy(PROFILES["tech_innovation_eligible"])
    profile["project"]["achievements"].append({"kind": "utility_model", "date": "2019-01-01", "acquired": "transfer_registered",
                                               "evaluation_report": True})
    got, res = steps(profile, "tech_innovation", "en")
    assert res["verdict"] == "eligible"
    assert "technology contract" in got["technology_contract_tech_innovation"]
    assert "Patent Right Evaluation Report" in got["evaluation_report"]
    plain, _ = steps(PROFILES["tech_innovation_eligible"], "tech_innovation")
    assert "technology_contract_tech_innovation" not in plain and "evaluation_report" not in plain


def test_a_review_says_who_decides_it_and_names_the_conditions():
    profile = copy.deepcopy(PROFILES["key_rd_eligible"])
    profile["unit"]["high_tech_enterprise"] = False
    got, res = steps(profile, "key_rd")
    assert res["verdict"] == "review"
    assert "推荐单位" in got["review"] and "市科技局" in got["review"] and "国家高新技术企业" in got["review"]


@pytest.mark.parametrize("change", [{"leader": {"birth_date": "1950-01-01"}}, {"project": {"total_investment": None}}])
def test_a_programme_that_does_not_admit_the_applicant_lists_no_steps(change):
    profile = copy.deepcopy(PROFILES["key_rd_eligible"])
    for group, values in change.items():
        for key, value in values.items():
            if value is None:
                profile[group].pop(key, None)
            else:
                profile[group][key] = value
    got, res = steps(profile, "key_rd")
    assert res["verdict"] in ("ineligible", "incomplete") and got == {}
