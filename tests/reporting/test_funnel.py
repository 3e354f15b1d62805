import pytest
from tests.factories import national_admin, provider_staff, regional_admin
from tests.reporting.worlds import build_world

from sinergi.accounts.models import Role
from sinergi.reporting import selectors
from sinergi.reporting.funnel import STAGES, age_band
from sinergi.reporting.selectors import Filters

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return build_world()


def counts(steps):
    return {s.stage: s.count for s in steps}


def test_national_funnel_counts_every_stage_of_both_regions(world):
    steps = selectors.funnel(national_admin(), Filters())
    assert counts(steps) | {} == {
        "registered": 19,
        "eligible": 19,
        "offered": 12,
        "accepted": 12,
        "attended": 10,
        "completed": 9,
        "certified": 7,
        "responded": 5,
        "employed": 3,
        "business": 2,
    }
    assert steps[2].share_of_previous == pytest.approx(63.2)


def test_tracer_steps_count_graduates_by_their_latest_answer_as_shares_of_respondents(world):
    steps = {s.stage: s for s in selectors.funnel(national_admin(), Filters())}
    # Of the 5 who answered: employed at their latest round 3 (the one who lost the job is not).
    assert steps["employed"].share_of_previous == pytest.approx(60.0)
    assert steps["employed"].note == "60,0% dari yang menjawab tracer"
    assert steps["business"].share_of_previous == pytest.approx(40.0)


def test_tracer_steps_say_so_when_nobody_has_answered(world):
    samarinda = regional_admin("64.72")
    steps = {s.stage: s for s in selectors.funnel(samarinda, Filters())}
    assert steps["responded"].count == 0 and steps["employed"].count == 0
    assert steps["employed"].note == "belum ada jawaban tracer"


def test_tracer_stages_break_down_like_the_others(world):
    by_sex = {r.value: r.counts["employed"] for r in selectors.breakdown(national_admin(), Filters(), "sex")}
    assert sum(by_sex.values()) == 3
    by_region = {
        r.value: r.counts["responded"] for r in selectors.breakdown(national_admin(), Filters(), "region")
    }
    assert by_region == {"16.71": 5, "64.72": 0}


def test_samarinda_admin_never_sees_palembang_numbers(world):
    samarinda = regional_admin("64.72")
    assert counts(selectors.funnel(samarinda, Filters()))["registered"] == 7
    # Asking for Palembang's batch or region by URL gives Samarinda's own view, not Palembang's.
    filters = selectors.parse_filters(
        samarinda, {"batch": str(world["palembang"]["batch"].pk), "region": "16.71"}
    )
    assert filters == Filters()
    for dimension in selectors.BREAKDOWNS:
        rows = selectors.breakdown(samarinda, filters, dimension)
        assert sum(r.counts["registered"] for r in rows) == 7, dimension
    rates = selectors.regions_per_100k(samarinda, Filters())
    assert [r.code for r in rates] == ["64.72"]


def test_palembang_admin_sees_palembang_only(world):
    palembang = regional_admin("16.71")
    assert counts(selectors.funnel(palembang, Filters()))["certified"] == 6


def test_provider_staff_and_participants_get_no_funnel_rows(world):
    from tests.factories import UserFactory

    for user in (provider_staff("16.71"), UserFactory(role=Role.PARTICIPANT)):
        assert all(not s.count for s in selectors.funnel(user, Filters()))


def test_breakdowns_split_the_same_totals(world):
    admin = national_admin()
    by_sex = {r.value: r.counts["registered"] for r in selectors.breakdown(admin, Filters(), "sex")}
    assert by_sex == {"L": 10, "P": 9}
    by_region = {r.value: r.counts["completed"] for r in selectors.breakdown(admin, Filters(), "region")}
    assert by_region == {"16.71": 7, "64.72": 2}
    by_age = selectors.breakdown(admin, Filters(), "age_band")
    assert sum(r.counts["registered"] for r in by_age) == 19
    assert {r.value for r in selectors.breakdown(admin, Filters(), "level")} == {"dasar"}


def test_programme_filter_and_time_series(world):
    admin = national_admin()
    program = world["palembang"]["program"]
    filters = selectors.parse_filters(admin, {"program": str(program.pk)})
    assert counts(selectors.funnel(admin, filters))["registered"] == 12
    series = selectors.time_series(admin, Filters())
    assert sum(n for _, n in series) == 19


def test_regions_per_100k_use_the_population_with_its_source(world):
    rates = {r.code: r for r in selectors.regions_per_100k(national_admin(), Filters())}
    assert set(rates) == {"16", "64"}
    assert rates["16"].per_100k("registered") == round(12 * 100_000 / 8_837_000, 1)
    assert "BPS" in rates["16"].source


@pytest.mark.parametrize(
    ("age", "band"), [(17, "<20"), (20, "20–24"), (29, "25–29"), (45, "40–49"), (61, "50+")]
)
def test_age_bands(age, band):
    assert age_band(age) == band


def test_stage_order_is_the_results_chain():
    assert STAGES[0] == "registered" and STAGES[-1] == "business"


def test_tracer_response_is_a_share_of_the_graduates(world):
    steps = {s.stage: s for s in selectors.funnel(regional_admin("16.71"), Filters())}
    assert steps["responded"].share_of_previous == pytest.approx(round(100 * 5 / 7, 1))
    assert steps["responded"].note == "71,4% dari lulusan"
