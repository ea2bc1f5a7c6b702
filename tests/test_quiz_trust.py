"""Quizzes a student can trust (issue 20): only what the screen shows is read, tries never pass the limit,
no error message shows an answer, a malformed answers file is reported; and the answers file is read in
linear time under a size cap (issue 21)."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys

import pytest
from rich.console import Console

from grader import quiz as qz
from grader.catalog import Catalog
from grader.quiz.view import QuizSession, displayed_choice
from tests.test_quiz import _course

GRADE = [sys.executable, "-m", "grader"]


def _session(quiz, lines, path=None, seed=4):
    out = io.StringIO()
    replies = iter(lines)
    session = QuizSession(quiz, Console(file=out, width=120), "en", path, seed=seed, ask=lambda prompt: next(replies))
    return session, out


def _run(root, *args, timeout=240):
    env = {**os.environ, "GRADE_ROOT": str(root), "NO_COLOR": "1", "COLUMNS": "160"}
    return subprocess.run([*GRADE, *args], env=env, cwd=str(root), capture_output=True, text=True, timeout=timeout)


@pytest.fixture(params=["exact", "public"])
def q01(request, tmp_path):
    return qz.load_quiz(Catalog(_course(tmp_path, public=request.param == "public")).resolve("q01"))


# --- (a) a letter names the choice shown at that place, never a hidden id --------------------------


def test_a_letter_names_the_choice_shown_at_that_place_not_the_hidden_id(q01):
    question = q01.question("add_usage")  # its choices' hidden ids are a, b, c, d; "a" is the right one
    seed = next(s for s in range(50) if question.shuffled(s)[0].id != "a")  # option 1 on screen is wrong
    shown = question.shuffled(seed)
    assert displayed_choice(question, shown, "a") == shown[0].id != "a"
    assert not q01.judge(question, qz.parse_answer(question, displayed_choice(question, shown, "a"))).right
    right_place = [c.id for c in shown].index("a")
    letter, number = "abcd"[right_place], str(right_place + 1)
    for typed in (letter, letter.upper(), number):  # honest answers, as the screen shows them, are right
        assert q01.judge(question, qz.parse_answer(question, displayed_choice(question, shown, typed))).right


def test_the_terminal_session_grades_a_letter_by_the_order_shown(q01):
    question = q01.question("add_usage")
    seed = next(s for s in range(50) if question.shuffled(s)[0].id != "a")
    q01.questions = [question]
    session, out = _session(q01, ["a", "a"], seed=seed)
    result = session.run()
    assert result.score == 0 and "Wrong." in out.getvalue() and "Right." not in out.getvalue()
    place = "abcd"[[c.id for c in question.shuffled(seed)].index("a")]
    session, out = _session(q01, [place], seed=seed)
    assert session.run().score == 1


def test_a_hidden_id_or_a_letter_past_the_choices_is_refused_with_what_the_screen_shows(q01):
    question = q01.question("binary_output_activation")  # ids: sigmoid, softmax, relu, linear
    shown = question.shuffled(1)
    with pytest.raises(qz.AnswerError) as info:
        displayed_choice(question, shown, "e")
    assert "1 to 4 (or letters a to d)" in info.value.message["en"] and "a부터 d까지" in info.value.message["ko"]
    assert displayed_choice(question, shown, "linear (no activation)") == "linear"  # the text shown is read


def test_several_choices_are_read_by_their_places_on_screen(tmp_path):
    q02 = qz.load_quiz(Catalog(_course(tmp_path)).resolve("q02"))
    question = q02.question("adaptive_optimizers")
    shown = question.shuffled(2)
    assert displayed_choice(question, shown, "a, c") == [shown[0].id, shown[2].id]
    assert displayed_choice(question, shown, "1 3") == [shown[0].id, shown[2].id]


def test_the_answers_file_names_choices_by_the_ids_it_lists_and_old_files_still_grade(q01, tmp_path):
    template = qz.answers_template(q01)
    assert '#    "a": model.add(keras.layers.Dense(10, activation="relu"))' in template  # the file lists ids
    path = tmp_path / "answers.toml"
    path.write_text('add_usage = "a"\nbinary_output_activation = "sigmoid"\n', encoding="utf-8")
    sheet = qz.read_answers_file(q01, path)
    assert sheet.values == {"add_usage": "a", "binary_output_activation": "sigmoid"} and not sheet.problems
    path.write_text('binary_output_activation = "a"\n', encoding="utf-8")  # not a listed id: refused, with the ids
    problem = qz.read_answers_file(q01, path).problems["binary_output_activation"]["en"]
    assert "line 1" in problem and "not one of the choices: sigmoid, softmax, relu, linear" in problem


# --- (b) tries never pass the limit; practice after the tries never scores ---------------------------


def test_an_answer_given_after_the_tries_allowed_never_scores(q01, tmp_path):
    path = tmp_path / "answers.toml"
    path.write_text('add_usage = "a"\ndense_params = 1010\n\n[tries]\nadd_usage = 3\ndense_params = 4\n',
                    encoding="utf-8")  # add_usage allows 2 tries, dense_params 3
    sheet = qz.read_answers_file(q01, path)
    result = q01.grade(sheet.values, tries=sheet.tries)
    by_name = {c.name: c for c in result.checks}
    assert by_name["add_usage"].points == 0 and by_name["dense_params"].points == 0
    assert "after the 2 tries allowed: not scored" in by_name["add_usage"].output("en")
    assert "기회 3번을 다 쓴 뒤" in by_name["dense_params"].output("ko")
    path.write_text('add_usage = "a"\ndense_params = 1010\n\n[tries]\ndense_params = 3\n', encoding="utf-8")
    honest = qz.read_answers_file(q01, path)
    points = {c.name: c.points for c in q01.grade(honest.values, tries=honest.tries).checks}
    assert points["add_usage"] == 1 and points["dense_params"] == 0.25  # within the tries: the policy


def test_a_question_whose_tries_are_used_up_is_never_asked_again_for_points(tmp_path):
    root = _course(tmp_path)
    q03 = qz.load_quiz(Catalog(root).resolve("q03"))
    q03.questions = [q03.question("flatten_size")]
    path = tmp_path / "answers.toml"
    session, out = _session(q03, ["1", "2", "3"], path)
    assert session.run().score == 0 and "No tries left" in out.getvalue()
    assert qz.read_answers_file(q03, path).tries["flatten_size"] == 3
    session, out = _session(q03, ["y", "784"], path)  # practise it: right, but never scored nor saved
    result = session.run()
    text = out.getvalue()
    assert "3 tries" not in text and "Practice: not scored, not saved" in text and "Right." in text
    assert result.score == 0 and "Score 0/1" in text
    sheet = qz.read_answers_file(q03, path)
    assert sheet.values["flatten_size"] == 3 and sheet.tries["flatten_size"] == 3


# --- (c) no example in a message is an answer -----------------------------------------------------------


def test_a_number_error_never_gives_an_answer_as_its_example(tmp_path):
    root = _course(tmp_path)
    for item in Catalog(root).items:
        quiz = qz.load_quiz(item)
        numeric = [q for q in quiz.questions if q.kind == "numeric"]
        examples = quiz.number_examples()
        values = [qz.answers.parse_number(part) for part in examples.split(", ")]
        assert values and not any(quiz.judge(q, v).right for q in numeric for v in values), (item.name, examples)
        for question in numeric:
            with pytest.raises(qz.AnswerError) as info:
                qz.parse_answer(question, "abc", quiz.number_examples)
            assert examples in info.value.message["en"] and examples in info.value.message["ko"]
    q01 = qz.load_quiz(Catalog(root).resolve("q01"))
    with pytest.raises(qz.AnswerError) as info:
        qz.parse_answer(q01.question("dense_params"), "abc", q01.number_examples)
    assert "1010" not in info.value.message["en"] and "1,010" not in info.value.message["en"]


def test_the_example_moves_on_when_a_quiz_answer_is_the_first_example(tmp_path):
    from grader.quiz.model import NUMBER_EXAMPLES

    root = _course(tmp_path)
    q01 = qz.load_quiz(Catalog(root).resolve("q01"))
    q01.key.entries["dense_params"]["answer"] = NUMBER_EXAMPLES[0][0]
    question = q01.question("dense_params")
    with pytest.raises(qz.AnswerError) as info:
        qz.parse_answer(question, "abc", q01.number_examples)
    assert NUMBER_EXAMPLES[0][1] not in info.value.message["en"] and NUMBER_EXAMPLES[1][1] in info.value.message["en"]


# --- (d) a malformed answers file is reported in `grade all` ----------------------------------------------


def test_grade_all_reports_a_missing_quote_with_its_line_and_a_misspelled_key_with_did_you_mean(tmp_path):
    root = _course(tmp_path)
    answers = root / "exercises" / "q01_keras_basics" / qz.ANSWERS_FILE
    answers.write_text('dense_params = 1010\nadd_usage = "a\n', encoding="utf-8")
    done = _run(root, "all", "--lang", "en")
    assert "Traceback" not in done.stderr
    shown = done.stdout + done.stderr
    assert "line 2" in shown and "add_usage" in shown and "closing quote" in shown, shown[-3000:]
    answers.write_text('dense_params = 1010\nflaten_layer = "flatten"\n', encoding="utf-8")
    done = _run(root, "all", "--lang", "en", "--format", "json")
    q01 = json.loads(done.stdout)["exercises"]["q01_keras_basics"]
    assert "did you mean 'flatten_layer'" in q01["problem"] and "line 2" in q01["problem"]
    assert q01["score"] == 1  # the honest answer beside it still scores
    done = _run(root, "all", "--lang", "en")
    assert "did you mean 'flatten_layer'" in done.stdout + done.stderr


# --- issue 21: the answers file is read in linear time, under a size cap ---------------------------------------


def _hostile(n_keys: int) -> str:
    return "dense_params = 1010\n" + "".join(f"k{i}=1\n" for i in range(n_keys))


def test_an_answers_file_of_tens_of_thousands_of_keys_is_graded_and_reported_briefly(tmp_path):
    root = _course(tmp_path)
    answers = root / "exercises" / "q01_keras_basics" / qz.ANSWERS_FILE
    source = _hostile(20_000)  # under the cap: every key is read, the quadratic line search would take minutes
    assert len(source) < qz.answers.MAX_ANSWERS_BYTES
    answers.write_text(source, encoding="utf-8")
    done = _run(root, "all", "--lang", "en", "--format", "json", timeout=120)  # a regression fails, never hangs
    q01 = json.loads(done.stdout)["exercises"]["q01_keras_basics"]
    assert q01["score"] == 1 and "more keys name no question" in q01["problem"]
    assert len(q01["problem"]) < 5000  # the first keys, then a count: not 20,000 lines in a report


def test_an_answers_file_over_the_cap_gets_a_verdict_naming_the_cap(tmp_path):
    root = _course(tmp_path)
    answers = root / "exercises" / "q01_keras_basics" / qz.ANSWERS_FILE
    answers.write_text(_hostile(60_000), encoding="utf-8")
    done = _run(root, "all", "--lang", "en", "--format", "json", timeout=120)
    q01 = json.loads(done.stdout)["exercises"]["q01_keras_basics"]
    assert q01["score"] == 0 and f"{qz.answers.MAX_ANSWERS_BYTES:,}-byte limit" in q01["problem"]
    done = _run(root, "q01", "--answers", str(answers), "--lang", "ko", timeout=120)
    assert done.returncode == 2 and f"{qz.answers.MAX_ANSWERS_BYTES:,}바이트" in done.stdout + done.stderr
    answers.write_text("dense_params = " + "[" * 50_000 + "]" * 50_000 + "\n", encoding="utf-8")  # nested deep
    done = _run(root, "q01", "--answers", str(answers), "--lang", "en", timeout=120)
    assert done.returncode == 2 and "Traceback" not in done.stderr and "nested too deeply" in done.stderr


def test_no_prompt_of_the_session_gives_an_example_that_could_be_an_answer():
    from grader.i18n import Msg
    from grader.quiz.view import ASK

    for key in ASK.values():
        for lang in ("en", "ko"):
            assert not any(ch.isdigit() for ch in Msg(key).render(lang)), (key, lang)  # e.g. "1,3" may be the answer
