"""Quizzes: every question kind right, wrong, partly right and malformed; answers files; the public
hashed key; the interactive session through a pseudo-terminal; validation of the shipped quizzes."""

from __future__ import annotations

import json
import os
import shutil
import sys
from pathlib import Path

import pexpect
import pytest
import tomli_w
from typer.testing import CliRunner

from grader import quiz as qz
from grader.catalog import Catalog
from grader.i18n import LANGS
from tests.conftest import ROOT

QUIZZES = [e for e in Catalog(ROOT).items if e.kind == "quiz"]
GRADE = [sys.executable, "-m", "grader"]


def _course(tmp_path: Path, public: bool = False) -> Path:
    """A course folder with copies of the quizzes (and their keys, or only the public keys)."""
    root = tmp_path / "course"
    for item in QUIZZES:
        shutil.copytree(item.folder, root / "exercises" / item.name, ignore=shutil.ignore_patterns("__pycache__"))
        shutil.copytree(item.solution_folder, root / "solutions" / item.name)
    if public:
        for item in Catalog(root).items:
            key = qz.hashed_key(qz.load_quiz(item), secret="test")
            (item.folder / qz.PUBLIC_KEY_FILE).write_text(tomli_w.dumps(key), encoding="utf-8")
        shutil.rmtree(root / "solutions")
    return root


@pytest.fixture(params=["exact", "public"])
def course(request, tmp_path):
    return _course(tmp_path, public=request.param == "public")


@pytest.fixture
def quizzes(course):
    catalog = Catalog(course)
    return {item.id: qz.load_quiz(item) for item in catalog.items}


def _judge(quiz, qid, raw):
    question = quiz.question(qid)
    return quiz.judge(question, qz.parse_answer(question, raw))


def _cli(root: Path, *args: str, input: str | None = None):
    from grader.cli import app

    env = {"GRADE_ROOT": str(root), "NO_COLOR": "1", "COLUMNS": "120"}
    return CliRunner().invoke(app, list(args), input=input, env=env)


# --- the key in use: exact (solutions/) or public (key.public.toml) ---------------------------


def test_loader_uses_public_key_when_solutions_absent(tmp_path):
    exact = Catalog(_course(tmp_path / "a")).resolve("q01")
    public = Catalog(_course(tmp_path / "b", public=True)).resolve("q01")
    assert not qz.load_quiz(exact).key.public
    assert public.solution_folder is None and qz.load_quiz(public).key.public


# --- single choice -----------------------------------------------------------------------------


def test_single_choice_right_and_wrong(quizzes):
    q01 = quizzes["q01"]
    assert _judge(q01, "binary_output_activation", "sigmoid").right
    verdict = _judge(q01, "binary_output_activation", "softmax")
    assert verdict.status == "wrong" and verdict.fraction == 0 and verdict.explanation is None


def test_single_choice_accepts_the_choice_text_in_any_case(quizzes):
    assert _judge(quizzes["q01"], "flatten_layer", "FLATTEN").right
    assert _judge(quizzes["q01"], "non_adaptive_optimizer", "SGD").right


def test_single_choice_unknown_choice_or_list_is_malformed(quizzes):
    question = quizzes["q01"].question("binary_output_activation")
    with pytest.raises(qz.AnswerError, match="not one of the choices"):
        qz.parse_answer(question, "tanh")
    with pytest.raises(qz.AnswerError, match="expected one choice id"):
        qz.parse_answer(question, ["sigmoid"])


def test_choices_are_shuffled_per_seed_and_the_key_follows_ids(quizzes):
    question = quizzes["q01"].question("binary_output_activation")
    orders = {tuple(c.id for c in question.shuffled(seed)) for seed in range(20)}
    assert len(orders) > 1
    assert all(set(order) == set(question.choice_ids()) for order in orders)
    assert question.shuffled(7) == question.shuffled(7)


# --- multiple choice -----------------------------------------------------------------------------


def test_multiple_choice_all_right_picks_score_full(quizzes):
    verdict = _judge(quizzes["q02"], "adaptive_optimizers", ["adam", "rmsprop", "adagrad"])
    assert verdict.right and verdict.fraction == 1


def test_multiple_choice_partly_right_gets_partial_credit(quizzes):
    q02 = quizzes["q02"]
    verdict = _judge(q02, "adaptive_optimizers", ["adam", "rmsprop"])
    assert verdict.status == "partial" and verdict.fraction == pytest.approx(2 / 3)
    assert verdict.explanation is None
    # three right picks and one of the two wrong ones: 1 - 1/2
    assert _judge(q02, "adaptive_optimizers", ["adam", "rmsprop", "adagrad", "sgd"]).fraction == pytest.approx(0.5)
    result = q02.grade({"adaptive_optimizers": ("adam", "rmsprop")})
    check = next(c for c in result.checks if c.name == "adaptive_optimizers")
    assert check.points == pytest.approx(2 / 3, abs=1e-3) and check.status == "failed"
    assert "2 of 3 right picks" in check.output("en")


def test_multiple_choice_never_scores_below_zero(quizzes):
    q02 = quizzes["q02"]
    assert _judge(q02, "adaptive_optimizers", ["sgd", "momentum"]).fraction == 0
    assert _judge(q02, "adaptive_optimizers", ["sgd", "momentum", "adam"]).fraction == 0
    assert _judge(q02, "adaptive_optimizers", ["sgd", "momentum", "adam", "rmsprop", "adagrad"]).fraction == 0


def test_multiple_choice_malformed_answers_are_rejected(quizzes):
    question = quizzes["q02"].question("adaptive_optimizers")
    with pytest.raises(qz.AnswerError, match="a list of choice ids"):
        qz.parse_answer(question, 3)
    with pytest.raises(qz.AnswerError, match="not one of the choices"):
        qz.parse_answer(question, ["adam", "nadam"])


# --- numeric -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("raw", [1010, "1010", "1,010", "1 010", "1.01e3", "1010.0", " 1_010 "])
def test_numeric_answer_accepts_thousands_separator_and_exponent(quizzes, raw):
    assert _judge(quizzes["q01"], "dense_params", raw).right


def test_numeric_answer_wrong_value(quizzes):
    for raw in (1000, "1,000", 110, 1011):
        assert _judge(quizzes["q01"], "dense_params", raw).status == "wrong"


def test_numeric_answer_absolute_tolerance(quizzes):
    q03 = quizzes["q03"]  # gd_step_x0 = -2.4 within 0.001
    for raw in (-2.4, "-2.4", "−2.4", -2.4009, -2.3991):
        assert _judge(q03, "gd_step_x0", raw).right, raw
    for raw in (2.4, -2.402, -2.398, -3):
        assert not _judge(q03, "gd_step_x0", raw).right, raw


def test_numeric_answer_relative_tolerance(quizzes):
    q03 = quizzes["q03"]  # cross-entropy -log(0.6) = 0.5108 within 1 %
    for raw in (0.51, "0.5108", 0.5115, 0.506):
        assert _judge(q03, "cross_entropy_value", raw).right, raw
    for raw in (0.6, 0.5, -0.51, 0.0, 0.517):
        assert not _judge(q03, "cross_entropy_value", raw).right, raw


def test_numeric_answer_tolerance_is_stated_in_the_question(quizzes):
    q03 = quizzes["q03"]
    assert "±0.001" in q03.question("gd_step_x0").full_prompt()["en"]
    assert "1%" in q03.question("cross_entropy_value").full_prompt()["ko"]
    assert "integer" in q03.question("flatten_size").full_prompt()["en"]


@pytest.mark.parametrize("raw", ["ten", "1,01", "1.2.3", True, [1010], "inf", {"a": 1}])
def test_numeric_answer_malformed_is_rejected(quizzes, raw):
    with pytest.raises(qz.AnswerError) as info:
        qz.parse_answer(quizzes["q01"].question("dense_params"), raw)
    assert "dense_params" in info.value.message["en"] and "dense_params" in info.value.message["ko"]


# --- short text ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("raw", ["compile", "compile()", "model.compile()", " Model.Compile ( ) ", "'compile'", "`model.compile`"])
def test_text_answer_normalises_case_spaces_quotes_and_parentheses(quizzes, raw):
    assert _judge(quizzes["q01"], "compile_method", raw).right


def test_text_answer_wrong(quizzes):
    for raw in ("fit", "model.fit()", "compiler", "summary"):
        assert not _judge(quizzes["q01"], "compile_method", raw).right


def test_text_answer_accepts_the_class_name_variant(quizzes):
    assert _judge(quizzes["q02"], "binary_loss", "keras.losses.BinaryCrossentropy()").right
    assert _judge(quizzes["q02"], "binary_loss", '"binary_crossentropy"').right
    assert not _judge(quizzes["q02"], "binary_loss", "categorical_crossentropy").right


def test_text_answer_malformed_is_rejected(quizzes):
    with pytest.raises(qz.AnswerError, match="expected a string"):
        qz.parse_answer(quizzes["q01"].question("compile_method"), 3)


def test_blank_answers_are_unanswered_not_wrong(quizzes):
    q01 = quizzes["q01"]
    for qid, raw in (("dense_params", ""), ("compile_method", "  "), ("binary_output_activation", None)):
        assert qz.parse_answer(q01.question(qid), raw) is None
    result = q01.grade({})
    assert all(c.status == "not_attempted" for c in result.checks) and result.status == "not_attempted"


# --- answers files -------------------------------------------------------------------------------------


def _right_answers_toml(item) -> str:
    exact = qz.load_quiz(Catalog(ROOT).resolve(item.id))
    return tomli_w.dumps(qz.right_answers(exact))


@pytest.mark.parametrize("item", QUIZZES, ids=lambda e: e.name)
def test_answers_file_with_every_right_answer_scores_full_marks(course, item):
    quiz = qz.load_quiz(Catalog(course).resolve(item.id))
    result = quiz.grade(quiz.read_answers(_right_answers_toml(item)))
    assert result.passed and result.score == result.max_score == item.points


@pytest.mark.parametrize("item", QUIZZES, ids=lambda e: e.name)
def test_answers_file_with_no_answer_scores_zero(course, item):
    quiz = qz.load_quiz(Catalog(course).resolve(item.id))
    shipped = (quiz.exercise.folder / qz.ANSWERS_FILE).read_text(encoding="utf-8")
    for source in ("", shipped):
        result = quiz.grade(quiz.read_answers(source))
        assert result.score == 0 and not result.passed


def test_answers_file_with_every_wrong_answer_scores_zero(quizzes):
    q01 = quizzes["q01"]
    wrong = {"dense_params": 1000, "binary_output_activation": "softmax", "compile_method": "fit",
             "integer_label_loss": "mse", "add_usage": "b", "flatten_layer": "dense", "image_activation": "tanh",
             "non_adaptive_optimizer": "adam"}
    result = q01.grade(q01.read_answers(tomli_w.dumps(wrong)))
    assert result.score == 0 and all(c.status == "failed" for c in result.checks)
    assert not any("Explanation" in c.output("en") or "해설" in c.output("ko") for c in result.checks)


def test_answers_file_explanations_only_for_right_answers(quizzes):
    q01 = quizzes["q01"]
    result = q01.grade(q01.read_answers('dense_params = 1010\nbinary_output_activation = "relu"\n'))
    by_name = {c.name: c for c in result.checks}
    assert "100 × 10 + 10" in by_name["dense_params"].output("en")
    assert "해설" in by_name["dense_params"].output("ko")
    assert "squashes" not in by_name["binary_output_activation"].output("en")


def test_cli_answers_file_grades_and_exits_0_when_all_right(course, tmp_path):
    path = tmp_path / "mine.toml"
    path.write_text(_right_answers_toml(Catalog(ROOT).resolve("q03")), encoding="utf-8")
    result = _cli(course, "q03", "--answers", str(path), "--lang", "en")
    assert result.exit_code == 0, result.output
    assert "9/9" in result.output


def test_cli_json_gives_one_test_per_question(course, tmp_path):
    path = tmp_path / "mine.toml"
    path.write_text('dense_params = "1,010"\ncompile_method = "fit"\n', encoding="utf-8")
    result = _cli(course, "q01", "--answers", str(path), "--format", "json", "--lang", "en")
    assert result.exit_code == 1
    document = json.loads(result.stdout)
    assert document["max_score"] == 8 and document["score"] == 1
    assert len(document["tests"]) == 8
    statuses = {t["tags"][1]: t["tags"][2] for t in document["tests"]}
    assert statuses["dense_params"] == "passed" and statuses["compile_method"] == "failed"
    assert statuses["flatten_layer"] == "not_attempted"


@pytest.mark.parametrize(
    "source, expected",
    [
        ("dense_params = \n", "line 1"),
        ('compile_method = "compile"\nflatten_layer = Flatten\n', "line 2"),
        ("dense_parameters = 1010\n", "dense_parameters"),
        ('dense_params = [1010]\n', "dense_params"),
        ('binary_output_activation = 1\n', "binary_output_activation"),
        ('integer_label_loss = "hinge"\n', "integer_label_loss"),
    ],
)
def test_cli_malformed_answers_file_exits_2_with_a_clear_message(course, tmp_path, source, expected):
    path = tmp_path / "bad.toml"
    path.write_text(source, encoding="utf-8")
    for lang in LANGS:
        result = _cli(course, "q01", "--answers", str(path), "--lang", lang)
        assert result.exit_code == 2, result.output
        assert expected in result.output and "Traceback" not in result.output


def test_cli_missing_answers_file_exits_2(course, tmp_path):
    result = _cli(course, "q01", "--answers", str(tmp_path / "none.toml"), "--lang", "en")
    assert result.exit_code == 2 and "No answers file" in result.output


def test_cli_without_tty_reads_the_quiz_folder_answers_file(course):
    folder = course / "exercises" / "q01_keras_basics"
    (folder / "answers.toml").write_text('dense_params = 1010\nadd_usage = "a"\n', encoding="utf-8")
    result = _cli(course, "q01", "--lang", "en", input="")  # no TTY: never waits for input
    assert result.exit_code == 1
    assert "2/8" in result.output


def test_quizzes_show_in_progress_table_and_list(course, tmp_path):
    path = tmp_path / "mine.toml"
    path.write_text(_right_answers_toml(Catalog(ROOT).resolve("q01")), encoding="utf-8")
    assert _cli(course, "q01", "--answers", str(path)).exit_code == 0
    listing = _cli(course, "list", "--lang", "en").output
    assert all(name in listing for name in ("q01_keras_basics", "q02_concepts", "q03_shapes_and_counts"))
    table = _cli(course, "--lang", "en").output
    assert "q01" in table and "8/8" in table and "passed" in table and "q03" in table


# --- the public key -----------------------------------------------------------------------------------


def test_public_key_does_not_contain_answers_or_explanations():
    for item in QUIZZES:
        exact = qz.load_quiz(item)
        text = tomli_w.dumps(qz.hashed_key(exact))
        for question in exact.questions:
            entry = exact.key.entries[question.id]
            for lang in LANGS:
                assert entry["explanation"][lang][:20] not in text
            if question.kind in ("text", "numeric"):
                for answer in entry["answer"] if question.kind == "text" else [entry["answer"]]:
                    assert f'"{answer}"' not in text and f"= {answer}\n" not in text


def test_public_key_explanation_unlocks_only_with_the_right_answer(tmp_path):
    q01 = qz.load_quiz(Catalog(_course(tmp_path, public=True)).resolve("q01"))
    question = q01.question("dense_params")
    assert q01.judge(question, 1010.0).explanation["en"].startswith("Each neuron")
    assert q01.judge(question, 1000.0).explanation is None
    assert q01.reveal(question) is None  # locked after the tries too, unless the release asks otherwise


def test_public_key_can_reveal_after_tries_when_built_so():
    from grader.quiz_key import HashedKey

    exact = qz.load_quiz(Catalog(ROOT).resolve("q02"))
    public = qz.Quiz(exact.exercise, exact.questions, HashedKey(exact.name, qz.hashed_key(exact, reveal_after_tries=True)))
    question = public.question("perceptron_gate")
    assert "XOR" in public.reveal(question)["en"]


def test_public_key_is_reproducible_with_a_secret_and_salted_per_question():
    exact = qz.load_quiz(Catalog(ROOT).resolve("q01"))
    first, second = qz.hashed_key(exact, secret="s"), qz.hashed_key(exact, secret="s")
    assert first == second != qz.hashed_key(exact, secret="t")
    salts = [record["salt"] for record in first["questions"].values()]
    assert len(set(salts)) == len(salts)


# --- the interactive session ------------------------------------------------------------------------


def _number(quiz, qid: str, choice: str, seed: int) -> str:
    return str([c.id for c in quiz.question(qid).shuffled(seed)].index(choice) + 1)


def _spawn(root: Path, *args: str):
    env = {**os.environ, "GRADE_ROOT": str(root), "NO_COLOR": "1", "COLUMNS": "120", "TERM": "dumb"}
    return pexpect.spawn(GRADE[0], [*GRADE[1:], *args], env=env, cwd=str(root), encoding="utf-8", timeout=30,
                         dimensions=(50, 120))


def test_interactive_quiz_through_a_pseudo_terminal(tmp_path):
    root = _course(tmp_path)
    seed = 5
    q01 = qz.load_quiz(Catalog(root).resolve("q01"))
    child = _spawn(root, "q01", "--lang", "en", "--seed", str(seed))
    seen = []

    def answer(prompt: str, line: str) -> None:
        child.expect(prompt)
        seen.append(child.before)
        child.sendline(line)

    answer("Enter a number", "100")  # wrong, then right
    answer("Enter a number", "1,010")
    answer("Enter the number", "9")  # out of range: asked again, no try used
    answer("Enter the number", _number(q01, "binary_output_activation", "sigmoid", seed))
    answer("Enter your answer", "model.compile()")
    answer("Enter the number", _number(q01, "integer_label_loss", "sparse_categorical_crossentropy", seed))
    answer("Enter the number", _number(q01, "add_usage", "b", seed))  # wrong twice: the tries run out
    answer("Enter the number", _number(q01, "add_usage", "c", seed))
    answer("Enter the number", _number(q01, "flatten_layer", "flatten", seed))
    answer("Enter the number", _number(q01, "image_activation", "relu", seed))
    answer("Enter the number", _number(q01, "non_adaptive_optimizer", "sgd", seed))
    child.expect(pexpect.EOF)
    seen.append(child.before)
    child.close()
    assert child.exitstatus == 1
    transcript = "".join(seen)
    # explanations never appear before their question is answered
    assert "100 × 10 + 10" not in seen[0] + seen[1] and "100 × 10 + 10" in seen[2]
    assert "Wrong." in seen[1] and "Try again (2 tries left)" in seen[1]
    assert "Enter numbers from 1 to 4" in seen[3]
    assert "squashes" not in "".join(seen[:4]) and "squashes" in seen[4]
    assert "returns None" not in "".join(seen[:8]) and "No tries left" in seen[8] and "returns None" in seen[8]
    assert "Score 7/8" in transcript
    state = json.loads((root / ".grade_state.json").read_text(encoding="utf-8"))["exercises"]["q01_keras_basics"]
    assert state["best"] == 7 and "quiz_session" not in state


def test_interrupted_interactive_quiz_resumes(tmp_path):
    root = _course(tmp_path)
    seed = 2
    q03 = qz.load_quiz(Catalog(root).resolve("q03"))
    child = _spawn(root, "q03", "--lang", "ko", "--seed", str(seed))
    child.expect("숫자를 입력하세요")
    child.sendline("784")
    child.expect("숫자를 입력하세요")
    child.sendline("266,610")
    child.expect("숫자를 입력하세요")
    child.sendcontrol("c")
    child.expect(pexpect.EOF)
    child.close()
    assert "이어서" in child.before
    saved = json.loads((root / ".grade_state.json").read_text(encoding="utf-8"))
    assert saved["exercises"]["q03_shapes_and_counts"]["quiz_session"]["answers"]["flatten_size"]["done"]

    child = _spawn(root, "q03", "--lang", "en")
    child.expect("Resuming: 2 of 9")
    answers = ["12100700", "1207", "0.51", "0.0975", "-2.4", "3.2", "3"]
    for line in answers:
        child.expect("Enter a number")
        assert "Parameters of the 28" not in child.before  # answered questions are not asked again
        child.sendline(line)
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0 and "Score 9/9" in child.before
    assert len(q03.questions) == 9


# --- validation of the shipped quizzes --------------------------------------------------------------


@pytest.mark.parametrize("item", QUIZZES, ids=lambda e: e.name)
def test_quiz_validates_with_both_languages_complete(item):
    findings = qz.validate_quiz(Catalog(ROOT), item, seed=11)
    assert [f for f in findings if not f.ok] == []
    assert {f.what for f in findings} >= {"questions", "key", "all_right_exact", "empty_exact", "all_right_public"}


@pytest.mark.parametrize("item", QUIZZES, ids=lambda e: e.name)
def test_quiz_metadata_and_shipped_answers_template_are_current(item):
    from grader.validate import check_metadata

    assert check_metadata(item) == []
    quiz = qz.load_quiz(item)
    shipped = (item.folder / qz.ANSWERS_FILE).read_text(encoding="utf-8")
    assert shipped == qz.answers_template(quiz), "regenerate answers.toml with grader.quiz.answers_template"


def test_validate_reports_missing_language_and_bad_key(tmp_path):
    root = _course(tmp_path)
    item = Catalog(root).resolve("q01")
    questions = item.folder / qz.QUESTIONS_FILE
    questions.write_text(questions.read_text(encoding="utf-8").replace(
        'prompt.en = "Which activation function does', 'prompt.fr = "Which activation function does'), encoding="utf-8")
    key = item.solution_folder / qz.KEY_FILE
    key.write_text(key.read_text(encoding="utf-8").replace('answer = "sgd"', 'answer = "nadam"'), encoding="utf-8")
    findings = {f.what: f for f in qz.validate_quiz(Catalog(root), Catalog(root).resolve("q01"))}
    assert not findings["questions"].ok and "binary_output_activation: prompt has no en" in findings["questions"].detail
    assert not findings["key"].ok and "'nadam' is not a choice" in findings["key"].detail


def test_content_counts_match_the_issue():
    counts = {item.id: len(qz.load_quiz(item).questions) for item in QUIZZES}
    assert counts["q01"] == 8 and counts["q02"] >= 12 and counts["q03"] >= 8
    q03 = qz.load_quiz(Catalog(ROOT).resolve("q03"))
    assert all(q.kind == "numeric" for q in q03.questions)
    kinds = {q.kind for item in QUIZZES for q in qz.load_quiz(item).questions}
    assert kinds == set(qz.KINDS)


def test_session_with_public_key_keeps_explanation_locked_after_the_tries(tmp_path):
    import io

    from rich.console import Console

    from grader.quiz_view import QuizSession

    q01 = qz.load_quiz(Catalog(_course(tmp_path, public=True)).resolve("q01"))
    q01.questions = [q01.question("add_usage"), q01.question("compile_method")]
    out = io.StringIO()
    lines = iter([_number(q01, "add_usage", "b", 4), _number(q01, "add_usage", "c", 4), "compile()"])
    session = QuizSession(q01, Console(file=out, width=120), "en", None, seed=4, ask=lambda prompt: next(lines))
    result = session.run()
    text = out.getvalue()
    assert "returns None" not in text and "unlocks once you answer correctly" in text
    assert "sets how the model learns" in text
    assert result.score == 1 and result.max_score == 2


def test_assignment_api_grades_answers_file_and_missing_quiz(tmp_path):
    from grader.judge import Options

    root = _course(tmp_path)
    item = Catalog(root).resolve("q01")
    path = tmp_path / "answers.toml"
    path.write_text('dense_params = "1,010"\nflatten_layer = 3\nnot_a_question = 1\n', encoding="utf-8")
    result = qz.grade_answers_file(item, path, Options(lang="en", seed=3))
    by_name = {c.name: c for c in result.checks}
    assert by_name["dense_params"].passed and by_name["flatten_layer"].status == "failed"
    assert "expected one choice id" in by_name["flatten_layer"].output("en") and result.problem is not None
    path.write_text("dense_params = = 3", encoding="utf-8")
    broken = qz.grade_answers_file(item, path, Options(lang="en", seed=3))
    assert broken.score == 0 and "TOML" in broken.problem["en"]
    missing = qz.grade_missing(item, Options(lang="ko", seed=3))
    assert missing.status == "not_attempted" and missing.max_score == 8
