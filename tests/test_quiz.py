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
from grader.catalog import Catalog, CatalogError
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
    result = quiz.grade(qz.read_answers(quiz, _right_answers_toml(item)))
    assert result.passed and result.score == result.max_score == item.points


@pytest.mark.parametrize("item", QUIZZES, ids=lambda e: e.name)
def test_answers_file_with_no_answer_scores_zero(course, item):
    quiz = qz.load_quiz(Catalog(course).resolve(item.id))
    shipped = (quiz.exercise.folder / qz.ANSWERS_FILE).read_text(encoding="utf-8")
    for source in ("", shipped):
        result = quiz.grade(qz.read_answers(quiz, source))
        assert result.score == 0 and not result.passed


def test_answers_file_with_every_wrong_answer_scores_zero(quizzes):
    q01 = quizzes["q01"]
    wrong = {"dense_params": 1000, "binary_output_activation": "softmax", "compile_method": "fit",
             "integer_label_loss": "mse", "add_usage": "b", "flatten_layer": "dense", "image_activation": "tanh",
             "non_adaptive_optimizer": "adam"}
    result = q01.grade(qz.read_answers(q01, tomli_w.dumps(wrong)))
    assert result.score == 0 and all(c.status == "failed" for c in result.checks)
    assert not any("Explanation" in c.output("en") or "해설" in c.output("ko") for c in result.checks)


def test_answers_file_explanations_only_for_right_answers(quizzes):
    q01 = quizzes["q01"]
    result = q01.grade(qz.read_answers(q01, 'dense_params = 1010\nbinary_output_activation = "relu"\n'))
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


def test_public_key_explanation_unlocks_with_the_right_answer_or_after_the_tries(tmp_path):
    q01 = qz.load_quiz(Catalog(_course(tmp_path, public=True)).resolve("q01"))
    question = q01.question("dense_params")
    assert q01.judge(question, 1010.0).explanation["en"].startswith("Each neuron")
    assert q01.judge(question, 1000.0).explanation is None
    assert q01.reveal(question)["en"].startswith("Each neuron")  # the default policy: after the tries too


def test_public_key_built_without_reveal_keeps_explanations_locked_after_the_tries():
    from grader.quiz.public_key import HashedKey

    exact = qz.load_quiz(Catalog(ROOT).resolve("q01"))
    data = qz.hashed_key(exact, reveal_after_tries=False)
    assert not any("reveal" in record for record in data["questions"].values())
    public = qz.Quiz(exact.exercise, exact.questions, HashedKey(exact.name, data), exact.policy)
    assert public.reveal(public.question("dense_params")) is None


def test_public_key_can_reveal_after_tries_when_built_so():
    from grader.quiz.public_key import HashedKey

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


def _saved(root: Path, quiz: str = "q01_keras_basics") -> dict:
    import tomllib

    return tomllib.loads((root / "exercises" / quiz / qz.ANSWERS_FILE).read_text(encoding="utf-8"))


def test_interactive_quiz_through_a_pseudo_terminal_saves_each_answer_and_grade_all_rereads_it(tmp_path):
    root = _course(tmp_path)
    seed = 5
    q01 = qz.load_quiz(Catalog(root).resolve("q01"))
    child = _spawn(root, "q01", "--lang", "en", "--seed", str(seed))
    seen = []

    def answer(prompt: str, line: str) -> None:
        child.expect(prompt)
        seen.append(child.before)
        child.sendline(line)

    answer("Enter a number", "100")  # wrong, then right on the second try: half the point
    child.expect("Enter a number")
    seen.append(child.before)
    saved = _saved(root)  # written after the first answer, before the second prompt
    assert saved["dense_params"] == 100 and saved["tries"]["dense_params"] == 1
    child.sendline("1,010")
    child.expect("Enter the number")
    seen.append(child.before)
    assert _saved(root)["dense_params"] == 1010 and _saved(root)["tries"]["dense_params"] == 2
    child.sendline("9")  # out of range: asked again, no try used
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
    # the header states the retry policy; explanations never appear before their question is answered
    assert "full marks on the first try only" in seen[0] and "each wrong try halves the points" in seen[0]
    assert "100 × 10 + 10" not in seen[0] + seen[1] and "100 × 10 + 10" in seen[2]
    assert "Wrong." in seen[1] and "Try again (2 tries left)" in seen[1]
    assert "Given on try 2: 0.5 of 1 point" in seen[2]
    assert "Enter numbers from 1 to 4" in seen[3]
    assert "squashes" not in "".join(seen[:4]) and "squashes" in seen[4]
    assert "Try again (1 try left)" in seen[7]
    assert "returns None" not in "".join(seen[:8]) and "No tries left" in seen[8] and "returns None" in seen[8]
    assert "Score 6.5/8" in transcript
    assert "Look again at question 5" in transcript  # the hint names the question missed
    saved = _saved(root)
    assert saved["add_usage"] == "c" and saved["tries"]["add_usage"] == 2 and saved["compile_method"] == "model.compile()"
    assert "tries" not in saved["tries"] and saved["tries"].get("compile_method", 1) == 1
    state = json.loads((root / ".grade_state.json").read_text(encoding="utf-8"))["exercises"]["q01_keras_basics"]
    assert state["best"] == 6.5 and "quiz_session" not in state

    # `grade all` (and so CI, batch, the autograder) scores the saved answers with the same policy
    document = json.loads(_cli(root, "all", "--format", "json", "--lang", "en").stdout)
    assert document["exercises"]["q01_keras_basics"]["score"] == 6.5

    # again: the saved result, and an offer to practise the missed question: its tries are used up, so the
    # practice is never scored nor saved, and the tries never pass the limit
    child = _spawn(root, "q01", "--lang", "en", "--seed", str(seed))
    child.expect(r"Practise the question you missed\? \(y/N\)")
    assert "Your saved answers" in child.before and "Score 6.5/8" in child.before
    assert "practice only, neither scored nor saved" in child.before
    child.sendline("y")
    child.expect("Enter the number")
    assert "correctly adds a layer" in child.before and "Practice: not scored, not saved" in child.before
    child.sendline(_number(q01, "add_usage", "a", seed))
    child.expect(pexpect.EOF)
    child.close()
    assert "Right." in child.before and "Practice over" in child.before and "Score 6.5/8" in child.before
    assert _saved(root)["add_usage"] == "c" and _saved(root)["tries"]["add_usage"] == 2


def test_interrupted_interactive_quiz_resumes(tmp_path):
    root = _course(tmp_path)
    seed = 2
    q03 = qz.load_quiz(Catalog(root).resolve("q03"))
    child = _spawn(root, "q03", "--lang", "ko", "--seed", str(seed))
    child.expect("숫자를 입력하세요")
    assert "첫 번째 시도에서 맞혀야" in child.before and "절반으로" in child.before  # the policy, in Korean
    child.sendline("784")
    child.expect("숫자를 입력하세요")
    child.sendline("266,610")
    child.expect("숫자를 입력하세요")
    child.sendcontrol("c")
    child.expect(pexpect.EOF)
    child.close()
    assert "이어서" in child.before and "answers.toml" in child.before
    saved = _saved(root, "q03_shapes_and_counts")
    assert saved["flatten_size"] == 784 and saved["mnist_mlp_params"] == 266610 and saved["image_mlp_params"] == ""

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
    from grader.instructor.validate import check_metadata

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
    assert "키의 답 'nadam'이 보기에 없습니다" in findings["key"].detail.render("ko")  # 나담이: the particle resolved  # grade validate --lang ko


def test_content_counts_match_the_issue():
    counts = {item.id: len(qz.load_quiz(item).questions) for item in QUIZZES}
    assert counts["q01"] == 8 and counts["q02"] >= 12 and counts["q03"] >= 8
    q03 = qz.load_quiz(Catalog(ROOT).resolve("q03"))
    assert all(q.kind == "numeric" for q in q03.questions)
    kinds = {q.kind for item in QUIZZES for q in qz.load_quiz(item).questions}
    assert kinds == set(qz.KINDS)


def test_session_with_public_key_shows_the_explanation_after_the_tries(tmp_path):
    import io

    from rich.console import Console

    from grader.quiz.view import QuizSession

    q01 = qz.load_quiz(Catalog(_course(tmp_path, public=True)).resolve("q01"))
    q01.questions = [q01.question("add_usage"), q01.question("compile_method")]
    out = io.StringIO()
    lines = iter([_number(q01, "add_usage", "b", 4), _number(q01, "add_usage", "c", 4), "compile()"])
    path = tmp_path / "answers.toml"
    session = QuizSession(q01, Console(file=out, width=120), "en", path, seed=4, ask=lambda prompt: next(lines))
    result = session.run()
    text = out.getvalue()
    assert "returns None" in text and "unlocks once you answer correctly" not in text
    assert text.index("No tries left") < text.index("returns None")
    assert "sets how the model learns" in text
    assert result.score == 1 and result.max_score == 2
    assert 'add_usage = "c"' in path.read_text(encoding="utf-8")


def test_session_with_a_key_without_reveal_keeps_the_explanation_locked(tmp_path):
    import io

    from rich.console import Console

    from grader.quiz.public_key import HashedKey
    from grader.quiz.view import QuizSession

    exact = qz.load_quiz(Catalog(ROOT).resolve("q01"))
    public = qz.Quiz(exact.exercise, [exact.question("add_usage")],
                     HashedKey(exact.name, qz.hashed_key(exact, reveal_after_tries=False)), exact.policy)
    out = io.StringIO()
    lines = iter([_number(public, "add_usage", "b", 4), _number(public, "add_usage", "c", 4)])
    QuizSession(public, Console(file=out, width=120), "en", None, seed=4, ask=lambda prompt: next(lines)).run()
    assert "returns None" not in out.getvalue() and "unlocks once you answer correctly" in out.getvalue()


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


# --- the retry policy ----------------------------------------------------------------------------------


def _points(quiz, qid: str, raw, tries: int):
    question = quiz.question(qid)
    check = quiz.check_result(question, quiz.judge(question, qz.parse_answer(question, raw)), tries)
    return check


@pytest.mark.parametrize(
    "qid, raw, expected",
    [
        ("binary_output_activation", "sigmoid", [1, 0, 0]),  # single choice: the first try only
        ("dense_params", 1010, [1, 0.5, 0.25]),  # numeric: half per wrong try
        ("compile_method", "compile", [1, 0.5, 0.25]),  # text: half per wrong try
    ],
)
def test_retry_policy_scores_a_right_answer_by_the_try_it_came_on(quizzes, qid, raw, expected):
    q01 = quizzes["q01"]
    checks = [_points(q01, qid, raw, tries) for tries in (1, 2, 3)]
    assert [c.points for c in checks] == expected
    assert checks[0].status == "passed" and checks[1].status == "failed"
    assert f"Given on try 2: {expected[1]:g} of 1 point" in checks[1].output("en")
    assert "2번째 시도" in checks[1].output("ko")
    assert "Explanation" in checks[1].output("en")  # a right answer still shows its explanation


def test_retry_policy_for_multiple_choice_and_partial_credit(quizzes):
    q02 = quizzes["q02"]
    assert _points(q02, "adaptive_optimizers", ["adam", "rmsprop", "adagrad"], 1).points == 1
    assert _points(q02, "adaptive_optimizers", ["adam", "rmsprop", "adagrad"], 2).points == 0
    assert _points(q02, "adaptive_optimizers", ["adam", "rmsprop"], 1).points == pytest.approx(2 / 3, abs=1e-3)


def test_wrong_answer_shows_its_explanation_only_after_the_allowed_tries(quizzes):
    q01 = quizzes["q01"]
    question = q01.question("binary_output_activation")  # 2 tries
    assert "squashes" not in _points(q01, question.id, "relu", 1).output("en")
    assert "squashes" in _points(q01, question.id, "relu", 2).output("en")


def test_retry_policy_is_set_in_the_quiz_metadata_and_stated_in_both_languages(tmp_path):
    root = _course(tmp_path)
    meta = root / "exercises" / "q01_keras_basics" / "exercise.toml"
    meta.write_text(meta.read_text(encoding="utf-8").replace("single = 0.0", "single = 1.0").replace(
        "numeric = 0.5", "numeric = 0.25"), encoding="utf-8")
    q01 = qz.load_quiz(Catalog(root).resolve("q01"))
    assert _points(q01, "binary_output_activation", "sigmoid", 2).points == 1
    assert _points(q01, "dense_params", 1010, 2).points == 0.25
    header = q01.header()
    assert "single choice: retries cost nothing" in header["en"] and "0.25" in header["en"]
    assert "객관식: 다시 시도해도 감점이 없습니다" in header["ko"] and "0.25를 곱합니다" in header["ko"]  # 영점이오를
    assert "multiple choice, short text" not in header["en"]  # grouped by factor: multiple 0, text 0.5
    meta.write_text(meta.read_text(encoding="utf-8").replace("single = 1.0", "single = 2"), encoding="utf-8")
    with pytest.raises(CatalogError):
        qz.load_quiz(Catalog(root).resolve("q01"))


def test_default_policy_is_stated_in_the_shipped_answers_file():
    for item in QUIZZES:
        shipped = (item.folder / qz.ANSWERS_FILE).read_text(encoding="utf-8")
        assert "full marks on the first try only" in shipped and "첫 번째 시도에서 맞혀야" in shipped


def test_tries_in_the_answers_file_apply_the_policy_everywhere(course, tmp_path):
    path = tmp_path / "mine.toml"
    path.write_text('dense_params = 1010\nadd_usage = "a"\ncompile_method = "compile"\n\n'
                    '[tries]\ndense_params = 3\nadd_usage = 2\n', encoding="utf-8")
    document = json.loads(_cli(course, "q01", "--answers", str(path), "--format", "json", "--lang", "en").stdout)
    assert document["score"] == 1.25  # 0.25 + 0 + 1
    folder = course / "exercises" / "q01_keras_basics"
    shutil.copy(path, folder / qz.ANSWERS_FILE)
    document = json.loads(_cli(course, "all", "--format", "json", "--lang", "en").stdout)
    assert document["exercises"]["q01_keras_basics"]["score"] == 1.25
    path.write_text('dense_params = 1010\n\n[tries]\ndense_params = 0\n', encoding="utf-8")
    result = _cli(course, "q01", "--answers", str(path), "--lang", "en")
    assert result.exit_code == 2 and "line 4" in result.output and "dense_params" in result.output


def test_saved_answers_file_round_trips_every_kind(quizzes, tmp_path):
    q02 = quizzes["q02"]
    values = {"adaptive_optimizers": ("adam", "rmsprop"), "binary_loss": "binary_crossentropy"}
    tries = {"adaptive_optimizers": 2, "binary_loss": 1}
    path = tmp_path / "answers.toml"
    qz.save_answers(q02, path, values, tries)
    sheet = qz.read_answer_sheet(q02, path.read_text(encoding="utf-8"))
    assert sheet.values["adaptive_optimizers"] == ("adam", "rmsprop") and sheet.tries_of("adaptive_optimizers") == 2
    assert sheet.values["binary_loss"] == "binary_crossentropy" and sheet.tries_of("binary_loss") == 1
    assert not list(tmp_path.glob(".*.tmp"))  # written through a temporary file and os.replace


# --- hints ----------------------------------------------------------------------------------------------


def test_hint_after_a_quiz_names_a_question_the_student_missed(course, tmp_path):
    path = tmp_path / "mine.toml"
    path.write_text('dense_params = 1010\nflatten_layer = "dense"\n', encoding="utf-8")
    result = _cli(course, "q01", "--answers", str(path), "--lang", "en")
    assert "Look again at question 6 (The layer that flattens a 300×300 input)" in result.output
    ko = _cli(course, "q01", "--answers", str(path), "--lang", "ko").output
    assert "6번 문항(300×300 입력을 펼치는 층)을 다시 살펴보세요" in ko


# --- the public key: scrypt and AES-GCM ---------------------------------------------------------------


def _public(item_id: str, **kwargs):
    from grader.quiz.public_key import HashedKey

    exact = qz.load_quiz(Catalog(ROOT).resolve(item_id))
    data = qz.hashed_key(exact, **kwargs)
    return exact, data, qz.Quiz(exact.exercise, exact.questions, HashedKey(exact.name, data), exact.policy)


def test_public_key_uses_scrypt_and_aes_gcm_and_holds_no_plain_answer():
    import hashlib
    import time

    from grader.quiz.public_key import KDF

    for item in QUIZZES:
        exact, data, _ = _public(item.id)
        assert data["kdf"]["name"] == "scrypt" and data["kdf"]["n"] >= 2**13 and data["cipher"] == "AES-256-GCM"
        dumped = tomli_w.dumps(data)
        for question in exact.questions:
            entry = exact.key.entries[question.id]
            record = tomli_w.dumps(data["questions"][question.id])
            for lang in LANGS:
                assert entry["explanation"][lang][:12] not in dumped
            answers = entry["answer"] if isinstance(entry["answer"], list) else [entry["answer"]]
            for answer in answers:
                assert f'"{answer}"' not in record.replace("picks", "") or question.kind == "multiple"
                assert f"= {answer}\n" not in record
    started = time.perf_counter()
    hashlib.scrypt(b"sigmoid", salt=b"s" * 16, n=KDF["n"], r=KDF["r"], p=KDF["p"], dklen=32)
    assert 0.002 < time.perf_counter() - started < 0.5  # one try costs milliseconds, not microseconds


def test_public_key_rejects_tampered_ciphertext_and_old_formats():
    import base64

    from grader.quiz.public_key import HashedKey

    exact, data, _ = _public("q01", secret="t")
    record = data["questions"]["dense_params"]
    blob = bytearray(base64.b64decode(record["explanation"]))
    blob[20] ^= 1
    record["explanation"] = base64.b64encode(bytes(blob)).decode()
    tampered = qz.Quiz(exact.exercise, exact.questions, HashedKey(exact.name, data), exact.policy)
    question = tampered.question("dense_params")
    verdict = tampered.judge(question, 1010.0)
    assert verdict.right and "damaged" in verdict.explanation["en"] and "Each neuron" not in verdict.explanation["en"]
    assert "손상" in tampered.reveal(question)["ko"]
    wraps = data["questions"]["compile_method"]["wraps"]
    wraps[0] = base64.b64encode(bytes(48)).decode()
    assert "damaged" in tampered.judge(tampered.question("compile_method"), "compile").explanation["en"]
    with pytest.raises(CatalogError, match="grader-quiz-key/2"):
        HashedKey(exact.name, {**data, "format": "grader-quiz-key/1"})


def test_public_key_numeric_grid_matches_the_exact_tolerance():
    exact, _, public = _public("q03", secret="grid")
    for qid, values in (("gd_step_x0", (-2.4, -2.4009, -2.3991, -2.402, -2.398)),
                        ("cross_entropy_value", (0.5108, 0.506, 0.5155, 0.5, 0.517)),
                        ("flatten_size", (784, 784.0, 785))):
        question = exact.question(qid)
        for value in values:
            assert public.judge(question, float(value)).right == exact.judge(question, float(value)).right, (qid, value)


def test_explanation_unlocks_after_the_tries_in_a_release_copy(tmp_path):
    from grader.instructor.release import build_release

    from grader.instructor.release import PROJECT_FILES

    release = tmp_path / "release"
    course = _course(tmp_path)
    for name in PROJECT_FILES:
        shutil.copy(ROOT / name, course / name)
    build_release(Catalog(course), release)
    assert not (release / "solutions").exists()
    key = (release / "exercises" / "q01_keras_basics" / qz.PUBLIC_KEY_FILE).read_text(encoding="utf-8")
    assert "returns None" not in key and "reveal" in key
    seed = 3
    q01 = qz.load_quiz(Catalog(release).resolve("q01"))
    assert q01.key.public
    env = {k: v for k, v in os.environ.items() if k != "GRADE_ROOT"}
    env.update(PYTHONPATH=str(release), NO_COLOR="1", COLUMNS="120", TERM="dumb")
    child = pexpect.spawn(GRADE[0], [*GRADE[1:], "q01", "--lang", "en", "--seed", str(seed)], env=env,
                          cwd=str(release), encoding="utf-8", timeout=30, dimensions=(50, 120))
    for prompt, line in (("Enter a number", "1010"),
                         ("Enter the number", _number(q01, "binary_output_activation", "sigmoid", seed)),
                         ("Enter your answer", "compile"),
                         ("Enter the number", _number(q01, "integer_label_loss", "mse", seed))):
        child.expect(prompt)
        child.sendline(line)
    child.expect("Enter the number")
    assert "Try again (1 try left)" in child.before and "Explanation" not in child.before
    child.sendline(_number(q01, "integer_label_loss", "binary_crossentropy", seed))  # wrong twice
    child.expect("Enter the number")
    assert "No tries left" in child.before and "Explanation" in child.before
    assert _saved(release)["tries"]["integer_label_loss"] == 2  # recorded before the explanation was shown
    child.sendcontrol("c")
    child.expect(pexpect.EOF)
    child.close()


# --- malformed answers files in `grade all` and `grade batch` ---------------------------------------


def test_malformed_answers_file_is_reported_with_its_line_in_grade_all(course):
    folder = course / "exercises" / "q01_keras_basics"
    (folder / qz.ANSWERS_FILE).write_text('dense_params = 1010\nflatten_layer = Flatten\n', encoding="utf-8")
    document = json.loads(_cli(course, "all", "--format", "json", "--lang", "en").stdout)
    q01 = document["exercises"]["q01_keras_basics"]
    assert q01["status"] != "not_attempted" and q01["score"] == 0
    assert "line 2" in q01["problem"] and "flatten_layer" in q01["problem"]
    tests = [t for t in document["tests"] if t["tags"][0] == "q01_keras_basics"]
    assert all(t["tags"][2] == "failed" and "line 2" in t["output"] for t in tests)

    (folder / qz.ANSWERS_FILE).write_text('dense_params = 1010\n\nflatten_layer = 3\n', encoding="utf-8")
    document = json.loads(_cli(course, "all", "--format", "json", "--lang", "ko").stdout)
    q01 = document["exercises"]["q01_keras_basics"]
    assert q01["score"] == 1 and "3번째 줄" in q01["problem"] and "flatten_layer" in q01["problem"]
    statuses = {t["tags"][1]: t["tags"][2] for t in document["tests"] if t["tags"][0] == "q01_keras_basics"}
    assert statuses["flatten_layer"] == "failed" and statuses["dense_params"] == "passed"


def test_malformed_answers_file_is_in_the_batch_csv_note(tmp_path):
    import csv
    import io
    import subprocess

    root = _course(tmp_path)
    subs = tmp_path / "subs"
    for student, source in (("alice", 'dense_params = 1010\nadd_usage = "z"\n'), ("bob", "dense_params = = 1\n"),
                            ("carol", 'dense_params = 1010\n')):
        (subs / student / "q01_keras_basics").mkdir(parents=True)
        (subs / student / "q01_keras_basics" / qz.ANSWERS_FILE).write_text(source, encoding="utf-8")
    env = {**os.environ, "GRADE_ROOT": str(root), "NO_COLOR": "1"}
    proc = subprocess.run([*GRADE, "batch", str(subs), "--out", str(tmp_path / "out"), "--jobs", "2", "--lang", "en"],
                          env=env, cwd=str(root), capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-2000:]
    rows = {r[0]: r for r in csv.reader(io.StringIO((tmp_path / "out" / "grades.csv").read_text(encoding="utf-8")))}
    note = rows["alice"][-1]
    assert "q01_keras_basics" in note and "line 2" in note and "add_usage" in note
    assert "line 1" in rows["bob"][-1] and "dense_params" in rows["bob"][-1]
    assert rows["carol"][-1] == ""
    # the class report's Note column shows the same notes (`grade report` over the batch's results)
    proc = subprocess.run([*GRADE, "report", str(tmp_path / "out"), "--lang", "en"], env=env, cwd=str(root),
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-2000:]
    import html5lib

    document = html5lib.parse((tmp_path / "out" / "report.html").read_text(encoding="utf-8"), namespaceHTMLElements=False)
    table = document.find(".//table[@id='student-table']")
    head = [("".join(th.itertext())).strip() for th in table.find("thead").iter("th")]
    cells = {"".join(tr.find("td").itertext()).strip(): tr.findall("td") for tr in table.find("tbody").iter("tr")}
    shown = {student: "".join(tds[head.index("Note")].itertext()) for student, tds in cells.items()}
    assert "q01_keras_basics" in shown["alice"] and "line 2" in shown["alice"] and "add_usage" in shown["alice"]
    assert "line 1" in shown["bob"] and shown["carol"].strip() == ""


def test_interactive_quiz_with_a_malformed_answers_file_says_where_and_how_to_start_over(tmp_path, capsys):
    from grader.quiz.view import quiz_command

    root = _course(tmp_path)
    catalog = Catalog(root)
    item = catalog.resolve("q01")
    (item.folder / qz.ANSWERS_FILE).write_text('dense_params = 1010\nadd_usage = "z"\n', encoding="utf-8")
    code = quiz_command(catalog, item, answers=None, format="text", output=None, seed=1, lang="en", interactive=True)
    err = capsys.readouterr().err
    assert code == 2 and "line 2" in err and "add_usage" in err and "delete it and run `grade q01`" in err


def test_public_key_with_a_damaged_record_or_cost_is_refused_at_load():
    from grader.quiz.public_key import HashedKey

    exact, data, _ = _public("q01", secret="d")
    with pytest.raises(CatalogError, match="out of range"):
        HashedKey(exact.name, {**data, "kdf": {**data["kdf"], "n": 2**30}})
    data["questions"]["dense_params"]["salt"] = "not base64!"
    with pytest.raises(CatalogError, match="dense_params"):
        HashedKey(exact.name, data)


def test_explain_after_tries_can_be_turned_off_in_the_quiz_metadata(tmp_path):
    root = _course(tmp_path)
    meta = root / "exercises" / "q01_keras_basics" / "exercise.toml"
    meta.write_text(meta.read_text(encoding="utf-8").replace("explain_after_tries = true", "explain_after_tries = false"),
                    encoding="utf-8")
    q01 = qz.load_quiz(Catalog(root).resolve("q01"))
    assert q01.reveal(q01.question("add_usage")) is None
    assert "squashes" not in _points(q01, "binary_output_activation", "relu", 2).output("en")
    assert not any("reveal" in r for r in qz.hashed_key(q01)["questions"].values())
