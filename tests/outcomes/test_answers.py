"""The answer rules (pure, no database): every question type, required only while shown, skip logic,
messages in Indonesian naming the question, and the check of a version's definition."""

from sinergi.outcomes import answers, tracer_default

Q = tracer_default.QUESTIONS
EMPLOYED = {
    "activity": "bekerja_penuh",
    "months_to_job": "2",
    "income_band": "3-5",
    "uses_skills": "sangat",
    "business": "tidak_ada",
    "satisfaction": "5",
}


def messages(problems):
    return [p.message for p in problems]


def test_the_default_tracer_is_a_valid_definition():
    assert answers.check_questions(Q) == []


def test_a_complete_answer_of_someone_employed_is_clean_and_typed():
    clean, problems = answers.validate(Q, EMPLOYED)
    assert problems == []
    assert clean["months_to_job"] == 2 and clean["satisfaction"] == 5 and clean["income_band"] == "3-5"
    assert "suggestion" not in clean  # optional and left empty


def test_questions_about_a_job_are_skipped_for_a_job_seeker_and_their_values_dropped():
    raw = {"activity": "mencari_kerja", "business": "tidak_ada", "satisfaction": "3", "income_band": "gt10"}
    clean, problems = answers.validate(Q, raw)
    assert problems == []
    assert "income_band" not in clean and "months_to_job" not in clean


def test_a_required_question_that_is_shown_must_be_answered_and_the_message_names_it():
    raw = {**EMPLOYED, "income_band": ""}
    _clean, problems = answers.validate(Q, raw)
    assert [p.question for p in problems] == ["income_band"]
    assert messages(problems) == [
        "Pertanyaan “Berapa rata-rata penghasilan Anda per bulan dari pekerjaan atau usaha itu?” "
        "wajib dijawab."
    ]


def test_nothing_answered_lists_every_required_question_asked():
    _clean, problems = answers.validate(Q, {})
    assert [p.question for p in problems] == ["activity", "business", "satisfaction"]


def test_bad_values_per_type_get_their_own_message():
    raw = {**EMPLOYED, "activity": "bekerja_penuh", "months_to_job": "dua", "satisfaction": "9"}
    _clean, problems = answers.validate(Q, raw)
    by_question = {p.question: p.message for p in problems}
    assert "isi dengan angka bulat" in by_question["months_to_job"]
    assert "pilih nilai 1 sampai 5" in by_question["satisfaction"]
    _clean, problems = answers.validate(Q, {**EMPLOYED, "months_to_job": "99"})
    assert problems[0].message.endswith("paling besar 60.")
    _clean, problems = answers.validate(Q, {**EMPLOYED, "activity": "astronaut"})
    assert problems[0].code == "choice" and "Apa kegiatan utama Anda saat ini?" in problems[0].message


QUESTIONS = [
    {
        "code": "channels",
        "type": "multiple",
        "label": "Saluran penjualan",
        "required": True,
        "options": [
            {"value": "wa", "label": "WhatsApp"},
            {"value": "shop", "label": "Marketplace"},
            {"value": "ig", "label": "Instagram"},
        ],
    },
    {
        "code": "omzet",
        "type": "money",
        "label": "Omzet per bulan",
        "show_if": {"question": "channels", "in": ["shop"]},
    },
    {"code": "since", "type": "date", "label": "Usaha berdiri sejak"},
    {"code": "note", "type": "text", "label": "Catatan"},
]


def test_multiple_choice_money_date_and_text():
    raw = {"channels": ["ig", "shop"], "omzet": "Rp 3.500.000", "since": "17-08-2025", "note": " laris "}
    clean, problems = answers.validate(QUESTIONS, raw)
    assert problems == []
    assert clean == {"channels": ["shop", "ig"], "omzet": 3_500_000, "since": "2025-08-17", "note": "laris"}
    assert answers.validate(QUESTIONS, {**raw, "since": "2025-08-17"})[0]["since"] == "2025-08-17"


def test_skip_logic_on_a_multiple_choice_question():
    clean, problems = answers.validate(QUESTIONS, {"channels": ["wa"], "omzet": "abc"})
    assert problems == [] and clean == {"channels": ["wa"]}


def test_bad_multiple_money_date_and_long_text():
    raw = {"channels": ["wa", "tv"], "since": "31-02-2025", "note": "x" * 1001}
    _clean, problems = answers.validate(QUESTIONS, raw)
    assert {p.question: p.code for p in problems} == {
        "channels": "choices",
        "since": "date",
        "note": "text_long",
    }
    assert "“tv” tidak tersedia" in problems[0].message
    _clean, problems = answers.validate(QUESTIONS, {"channels": ["shop"], "omzet": "tiga juta"})
    assert problems[0].code == "money" and "Omzet per bulan" in problems[0].message


def test_definition_problems_are_named_by_position_and_code():
    bad = [
        {"code": "a", "type": "single", "label": "A", "options": [{"value": "x", "label": "X"}]},
        {"code": "a", "type": "slider", "label": ""},
        {"code": "B!", "type": "text", "label": "B", "show_if": {"question": "zzz", "in": ["x"]}},
    ]
    codes = [p.code for p in answers.check_questions(bad)]
    assert codes == ["options", "duplicate", "type", "label", "code", "show_if"]
    assert answers.check_questions([])[0].message == "Survei harus memiliki sedikitnya satu pertanyaan."
