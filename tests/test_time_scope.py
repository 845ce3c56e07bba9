"""Calendar expressions in questions, resolved against the day the question was asked."""

from datetime import date

import pytest

from retrieval.time_scope import TimeScope, find_time_scope

FRIDAY = date(2022, 6, 17)


@pytest.mark.parametrize("question, start, end, rest", [
    ("What happened today?", date(2022, 6, 17), date(2022, 6, 17), "What happened?"),
    ("What did Biden say yesterday?", date(2022, 6, 16), date(2022, 6, 16), "What did Biden say?"),
    ("What happened this week in Kyiv?", date(2022, 6, 13), date(2022, 6, 19), "What happened in Kyiv?"),
    ("What happened last week?", date(2022, 6, 6), date(2022, 6, 12), "What happened?"),
    ("Any news this month?", date(2022, 6, 1), date(2022, 6, 30), "Any news?"),
    ("What happened last month?", date(2022, 5, 1), date(2022, 5, 31), "What happened?"),
    ("What happened in June?", date(2022, 6, 1), date(2022, 6, 30), "What happened?"),
    ("What happened in July?", date(2021, 7, 1), date(2021, 7, 31), "What happened?"),  # not yet this year
    ("What happened in June 2021 in Kyiv?", date(2021, 6, 1), date(2021, 6, 30), "What happened in Kyiv?"),
    ("What happened on 3 March?", date(2022, 3, 3), date(2022, 3, 3), "What happened?"),
    ("What happened on March 3rd, 2021?", date(2021, 3, 3), date(2021, 3, 3), "What happened?"),
    ("What has happened since Monday?", date(2022, 6, 13), date(2022, 6, 17), "What has happened?"),
    ("What happened between 1 and 15 March?", date(2022, 3, 1), date(2022, 3, 15), "What happened?"),
    ("Fires between 28 December and 3 January", date(2021, 12, 28), date(2022, 1, 3), "Fires"),
    ("What happened in 2021?", date(2021, 1, 1), date(2021, 12, 31), "What happened?"),
])
def test_each_expression_is_a_range_of_days_and_leaves_the_question(question, start, end, rest):
    scope, remaining = find_time_scope(question, FRIDAY)
    assert (scope.start, scope.end, remaining) == (start, end, rest)


@pytest.mark.parametrize("question", [
    "What were the Black Friday sales?", "Who won the 2021 election?", "What did Biden say?",
    "How many people attended the May Day march?",
])
def test_a_question_without_a_calendar_expression_is_left_alone(question):
    assert find_time_scope(question, FRIDAY) == (None, question)


@pytest.mark.parametrize("start, end, label", [
    (date(2022, 6, 13), date(2022, 6, 19), "13–19 June 2022"),
    (date(2022, 6, 12), date(2022, 6, 12), "12 June 2022"),
    (date(2022, 6, 1), date(2022, 6, 30), "June 2022"),
    (date(2021, 1, 1), date(2021, 12, 31), "2021"),
    (date(2022, 5, 28), date(2022, 6, 3), "28 May – 3 June 2022"),
    (date(2021, 12, 28), date(2022, 1, 3), "28 December 2021 – 3 January 2022"),
])
def test_the_range_reads_as_a_person_would_write_it(start, end, label):
    assert TimeScope(start, end, "").label == label
