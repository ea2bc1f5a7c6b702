"""Korean text reads as Korean: particles agree with the code, numbers and words before them, and spacing follows
Korean rules.

The rules every Korean text of the grader must follow (each message is rendered with typical values, twice: once
with values whose last sound has no final consonant and once with values that have one, so that a particle
written for one kind of value is caught):

1. Particles. After code, Latin letters or digits, a variable particle (을/를, 이/가, 은/는, 과/와, (으)로,
   (이)라는, (이)어야, (이)나, (이)라고, (이)며) agrees with the value as a Korean reader says it: digits by their
   Sino-Korean reading (``int32여야``, ``y.shape[0]으로``, ``0.01로``), Latin letters by their English names
   (``h를``, ``MSE와``), English words as Korean writes them (``build_model()``을 (모델), ``layer를``),
   a call without its arguments (```numerical_gradient(f, x)``를``). A message writes a particle that follows a
   substituted value with both forms, ``{name}(을)``, ``{call}`(이)라는``; :func:`grader.i18n.particles`
   picks one after substitution (``tossi``). No mark ``(을)`` and no pair ``을(를)`` is left in what is shown.
2. A number and its counter are written together: ``6명 · 문제 20개``, ``0.1초``, ``3번째``, ``검사 9개``
   (never ``(9 검사)``: the counter is ``개``, after the noun).
3. A verb made from code or an English word is written together: ``compile된``, ``return하기``
   (never ``compile 된``).
4. Words: a training step is a 스텝 (the lessons' word), never a 걸음.
"""

from __future__ import annotations

import re
import string

import pytest

from grader.i18n import Msg, all_messages, particles, spoken

#: Typical values by placeholder name: [no final consonant, a final consonant].
VALUES: dict[str, list[object]] = {
    "call": ["numerical_gradient(f, x)", "build_model()"],
    "name": ["softmax", "build_model"],
    "names": ["h, x", "x_train, y_train"],
    "error": ["NameError: name 'h' is not defined", "ValueError: bad shape (3, 4)"],
    "file": ["losses.py", "Makefile"],
    "path": ["exercises/ex05_losses/losses.py", "answers.toml"],
    "folder": ["submissions/kim", "submissions/lee_jun"],
    "id": ["ex05", "q03"], "qid": ["q02", "q03"], "ids": ["a, b", "a, b, c, d, e, f, g, h, i, j, k, l"],
    "graded_id": ["ex05", "ex01"], "made_for_id": ["ex02", "ex03"], "next": ["ex06", "ex10"],
    "exercise": ["ex05_losses", "ex03_functional"], "graded": ["ex05_losses", "ex03_functional"],
    "made_for": ["ex02_sequential", "ex01_tensors"],
    "expected": ["[6, 2]", "(None, 100, 100, 3)"], "got": ["[6, 2]", "(None, 100, 100, 3)"],
    "lang": ["ko", "en"], "langs": ["ko", "ko, en"],
    "where": ["exercises/ex05_losses", "tests/data"], "key": ["tries", "name"], "keys": ["id, title", "points, kind"],
    "title": ["교차 엔트로피", "층 구성"], "check": ["input_shape", "layer_stack"],
    "how": ["exit code 2", "signal 11"], "text": ["TODO", "TODO explain"], "raw": ["abc", "one"],
    "answer": ["abc", "10"], "right": ["b", "c"], "kind": ["Sequential", "Model"], "tag": ["answer", "solution"],
    "reference": ["solutions/ex05_losses/losses.py", "solutions/ex01_tensors/tensors.py"],
    "lock": ["stub.lock", "stub.lock.json"], "locked": ["losses.py", "model.py"], "version": [2, 3],
    "scheduler": ["slurm", "pbs"], "code": [2, 3], "command": ["grade hint ex05", "grade hint ex01"],
    "suggestions": ["ex05", "ex01"], "matches": ["ex01, ex02", "ex01, ex03"], "asked": ["jax", "torch"],
    "used": ["tensorflow", "torch"], "what": ["bytes", "items"], "state": ["(empty)", "(missing)"],
    "hint": ["", ""], "explanation": ["x", "y"], "problem": ["bad TOML", "missing quote"],
    "msg": ["invalid syntax", "unexpected indent"], "examples": ["2, 0.5", "3, 1e-7"],
    "seconds": [0.2, 0.1], "mb": [512, 256], "students": [2, 6], "tries": [2, 3], "done": [2, 3],
}
NUMBERS = [2, 3]  # any other placeholder: a count (2 이 / 3 삼)
FLOATS = [0.92, 0.9]


def value(field: str, spec: str, kind: int) -> object:
    if field in VALUES:
        v = VALUES[field][kind]
        if spec and isinstance(v, str):
            return [FLOATS, NUMBERS][spec in (",", "d")][kind]
        return v
    if spec and spec[-1] in "fgeE%":
        return FLOATS[kind]
    return NUMBERS[kind]


def rendered_korean() -> list[tuple[str, str]]:
    """Every registered message, rendered in Korean with both kinds of typical values."""
    out = []
    for key, texts in sorted(all_messages().items()):
        fields = {f: spec for _, f, spec, _ in string.Formatter().parse(texts["ko"]) if f}
        fields.update({f: spec for _, f, spec, _ in string.Formatter().parse(texts["en"]) if f and f not in fields})
        for kind in (0, 1):
            params = {f.split(".")[0].split("[")[0]: value(f, spec or "", kind) for f, spec in fields.items()}
            message = Msg(key)  # then its parameters (one of them may be called "key")
            message.params = params
            out.append((key, message.render("ko")))
    return out


_SITE = re.compile(r"(?<=[A-Za-z0-9_)\]`'\"%])(이라는|라는|이어야|여야|이라고|라고|이며|며|으로|로(?![가-힣])|이나(?![가-힣])|"
                   r"나(?![가-힣])|[을를이가은는과와](?![가-힣]))")
#: Each particle as a mark with both forms.
_MARKS = {"을": "(을)", "를": "(을)", "이": "(이)", "가": "(이)", "은": "(은)", "는": "(은)", "과": "(과)", "와": "(과)",
          "라는": "(이)라는", "이라는": "(이)라는", "이어야": "(이)어야", "여야": "(이)어야", "이라고": "(이)라고",
          "라고": "(이)라고", "이며": "(이)며", "며": "(이)며", "으로": "(으)로", "로": "(으)로", "이나": "(이)나", "나": "(이)나"}


def particle_problems(text: str) -> list[str]:
    """Particles after code, letters or digits that do not agree with how the text before them is read."""
    problems = []
    if re.search(r"\((을|를|이|가|은|는|과|와|으)\)", text):
        problems.append(f"an unresolved particle mark: {text!r}")
    for m in _SITE.finditer(text):
        got = m.group(1)
        if not spoken(text[:m.start()]):
            continue  # nothing a reader says there (`--reason "..."`): either form is read
        want = particles(text[:m.start()] + _MARKS[got])[m.start():]
        if want != got:
            problems.append(f"{text[max(0, m.start() - 30):m.end()]!r}: {got!r} should be {want!r}")
    return problems


COUNTERS = r"(개|명|초|분|번째|번|점|회|줄|행|바이트|걸음|스텝|단계|배|층|문항|검사|칸|자|글자|자리|차원|축|셀)(?![가-힣])"
_NUMBER_COUNTER = re.compile(r"(?<![A-Za-z_])\d[\d,.]*\s+" + COUNTERS)
_CODE_VERB = re.compile(r"[A-Za-z0-9_)\]`'\"]\s+(된|되지|되어|됩니다|되는|되면|하기|하세요|한다|합니다|하는|하면|하지|해야|했)(?![가-힣])")


def spacing_problems(text: str) -> list[str]:
    problems = [f"number and counter apart: {m.group(0)!r}" for m in _NUMBER_COUNTER.finditer(text)]
    problems += [f"code and its verb apart: {m.group(0)!r}" for m in _CODE_VERB.finditer(text)]
    problems += [f"say 스텝, not 걸음: {text!r}" for _ in re.finditer("걸음", text)]
    return problems


@pytest.mark.parametrize("before, mark, shown", [
    ("h", "(을)", "h를"),  # 에이치
    ("`numerical_gradient(f, x)`", "(을)", "`numerical_gradient(f, x)`를"),  # 그래디언트: the arguments are not read
    ("'dense_param'", "(이)라는", "'dense_param'이라는"),  # 파람
    ("int32", "(이)어야", "int32여야"),  # 삼십이
    ("y.shape[0]", "(으)로", "y.shape[0]으로"),  # 영
    ("0.01", "(으)로", "0.01로"),  # 일: ㄹ takes 로
    ("`build_model()`", "(이)", "`build_model()`이"),  # 모델
    ("(None, 100, 100, 3)", "(이)어야", "(None, 100, 100, 3)이어야"),  # 삼
    ("MSE", "(과)", "MSE와"),  # 엠에스이
    ("Adam", "(은)", "Adam은"),  # 아담
    ("layer", "(을)", "layer를"),  # 레이어
    ("input", "(을)", "input을"),  # 인풋
    ("'abc'은(는)", "", "'abc'는"),  # the older pair form is read too
])
def test_particles_follow_how_koreans_read_code_digits_and_letters(before, mark, shown):
    assert particles(before + mark) == shown


def test_text_without_a_particle_mark_is_left_as_it_is():
    assert particles("사이(가) 좋다 (N = 3)") == "사이가 좋다 (N = 3)"
    assert particles("Accuracy (held-out)") == "Accuracy (held-out)"
    assert spoken("그래프") == "그래프"


def test_the_checker_catches_a_wrong_particle_and_a_counter_apart():
    # the rules below must be able to fail
    assert particle_problems("`numerical_gradient(f, x)`을 호출") and particle_problems("int32이어야")
    assert particle_problems("h을 바꾸세요") and particle_problems("x(을)")
    assert spacing_problems("(9 검사)") and spacing_problems("6 명 · 20 개 문제") and spacing_problems("0.1 초")
    assert spacing_problems("compile 된 모델") and spacing_problems("1024걸음 학습")
    assert not particle_problems("`build_model()`을 호출하고 h를 바꾸면 y.shape[0]으로 나눕니다")
    assert not spacing_problems("학생 6명 · 문제 20개 · 0.1초 · compile된 모델")


def test_every_message_reads_as_korean_with_typical_values():
    problems = []
    for key, text in rendered_korean():
        problems += [f"{key}: {p}" for p in particle_problems(text) + spacing_problems(text)]
    assert sorted(set(problems)) == []


def korean_course_texts() -> list[tuple[str, str]]:
    """The Korean texts of the course: the statements (by paragraph, code blocks left out), exercise.toml and
    questions.toml (every ``ko`` value), and every ``{"ko": ...}`` written in a check (an f-string's values read as
    typical numbers, both kinds)."""
    import ast
    import tomllib

    from tests.conftest import ROOT

    def walk(node: object, where: str):
        if isinstance(node, dict):
            for k, v in node.items():
                if k == "ko" and isinstance(v, str):
                    yield where, v
                else:
                    yield from walk(v, where)
        elif isinstance(node, list):
            for item in node:
                yield from walk(item, where)

    out: list[tuple[str, str]] = []
    for path in sorted((ROOT / "exercises").glob("*/statement.ko.md")):
        text = re.sub(r"^```.*?^```", "", path.read_text(encoding="utf-8"), flags=re.S | re.M)
        for paragraph in re.split(r"\n\s*\n", text):  # a wrapped line goes on its paragraph's line
            out.append((str(path.relative_to(ROOT)), re.sub(r"\n\s*(?=\()", "", paragraph).replace("\n", " ")))
    for path in sorted((ROOT / "exercises").glob("*/*.toml")):
        out += walk(tomllib.loads(path.read_text(encoding="utf-8")), str(path.relative_to(ROOT)))
    checks = [*sorted((ROOT / "exercises").glob("*/checks.py")), *sorted((ROOT / "solutions").glob("*/hidden_checks.py"))]
    for path in checks:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Dict):
                continue
            for key, text in zip(node.keys, node.values):
                if not (isinstance(key, ast.Constant) and key.value == "ko"):
                    continue
                where = f"{path.relative_to(ROOT)}:{text.lineno}"
                if isinstance(text, ast.Constant) and isinstance(text.value, str):
                    out.append((where, particles(text.value)))
                elif isinstance(text, ast.JoinedStr):
                    for typical in ("2", "3"):
                        parts = [p.value if isinstance(p, ast.Constant) else typical for p in text.values]
                        out.append((where, particles("".join(parts))))
    return out


def test_every_exercise_and_quiz_text_reads_as_korean():
    texts = korean_course_texts()
    assert len(texts) > 200, "the scan found the course's Korean texts"
    problems = [f"{where}: {p}" for where, text in texts for p in particle_problems(text) + spacing_problems(text)]
    assert sorted(set(problems)) == []


def test_the_class_report_writes_numbers_and_counters_the_korean_way(tmp_path):
    # as an instructor runs it: grade two students' folders, then `grade report --lang ko`
    import shutil

    from tests.conftest import ROOT, run_grade

    samples = ROOT / "tests" / "submissions" / "ex05_losses"
    out = tmp_path / "results"
    out.mkdir()
    for student, sample in (("kim", "correct_loops.py"), ("lee", "wrong_mse_mean.py")):
        folder = tmp_path / "subs" / student / "ex05_losses"
        folder.mkdir(parents=True)
        shutil.copy(samples / sample, folder / "losses.py")
        proc = run_grade("all", "--submission", str(folder.parent), "--format", "json", "--output",
                         str(out / f"{student}.json"), "--seed", "7", "--lang", "ko", timeout=240)
        assert proc.returncode in (0, 1), proc.stderr[-2000:]
    assert run_grade("report", str(out), "--lang", "ko").returncode == 0
    def visible(page) -> str:
        """The text a reader sees: inline tags dropped, a cell or a block ends with a bar."""
        text = re.sub(r"<(script|style|svg)\b.*?</\1>", " | ", page.read_text(encoding="utf-8"), flags=re.S)
        text = re.sub(r"</?(b|small|span|a|i|em|strong|code)\b[^>]*>", "", text)
        return re.sub(r"<[^>]+>", " | ", text)

    for page in [out / "report.html", *sorted((out / "students").glob("*.html"))]:
        assert spacing_problems(visible(page)) == [], page.name
    report = visible(out / "report.html")
    assert re.search(r"· 2명 · 문제 \d+개", report) and re.search(r"검사 \d+개", report)


def test_a_right_answer_that_earns_less_than_full_marks_never_says_a_bare_right():
    # a red ✗ beside "정답입니다." reads as a contradiction: a right answer on a later try says why it is not full marks
    from grader import quiz as qz
    from grader.catalog import Catalog
    from grader.i18n import tr
    from tests.conftest import ROOT

    quiz = qz.load_quiz(Catalog(ROOT).resolve("q01"))
    question = quiz.questions[0]
    verdict = qz.QuestionVerdict(1.0, "right", {"ko": "정답입니다.", "en": "Right."}, None)
    first = quiz.check_result(question, verdict, tries=1)
    assert first.passed and tr(first.message, "ko").startswith("정답입니다.")
    late = quiz.check_result(question, verdict, tries=question.tries + 1)  # after the tries allowed: not scored
    assert not late.passed and late.points == 0
    for lang, bare in (("ko", "정답입니다."), ("en", "Right.")):
        assert not tr(late.message, lang).startswith(bare)
    assert tr(late.message, "ko").startswith("답은 맞았지만 만점은 아닙니다.")


def test_an_english_traceback_comes_after_a_korean_sentence_that_says_what_it_is(tmp_path):
    import json

    from tests.conftest import run_grade

    path = tmp_path / "losses.py"
    path.write_text("import numpy as np\n\ndef mean_squared_error(y, t):\n    return 0.5 * np.sum((y - tt) ** 2)\n",
                    encoding="utf-8")
    tests = json.loads(run_grade("ex05", "--submission", str(path), "--format", "json", "--lang", "ko").stdout)["tests"]
    raised = [t["output"] for t in tests if "NameError" in t["output"]]
    assert raised, "the student's NameError is reported"
    for output in raised:
        lead, traceback = output.index("파이썬이 알려 준 오류 위치"), output.index("line 4, in mean_squared_error")
        assert lead < traceback and "정의되지 않은 이름을 썼습니다" in output


def test_the_terminal_writes_seconds_the_korean_way(tmp_path):
    from tests.conftest import ROOT, run_grade

    sample = ROOT / "tests" / "submissions" / "ex05_losses" / "wrong_mse_mean.py"
    korean = run_grade("ex05", "--submission", str(sample), "--lang", "ko").stdout
    english = run_grade("ex05", "--submission", str(sample), "--lang", "en").stdout
    assert re.search(r"시간 \d+\.\d\d초", korean) and not re.search(r"\d s\b", korean)
    assert re.search(r"Time \d+\.\d\d s", english)
    assert spacing_problems(korean) == []
