"""Bilingual strings: the language choice, the message catalog and bilingual text values."""

from __future__ import annotations

import os
from typing import Mapping, Union

LANGS = ("ko", "en")

#: A bilingual text as written in exercise content: {"ko": "...", "en": "..."}.
Text = Mapping[str, str]
TextLike = Union[str, Text, "Msg"]


def default_lang(environ: Mapping[str, str] | None = None) -> str:
    """Korean when the locale (or GRADE_LANG) says Korean, English otherwise."""
    env = os.environ if environ is None else environ
    explicit = env.get("GRADE_LANG", "").strip().lower()
    if explicit in LANGS:
        return explicit
    for var in ("LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE"):
        value = env.get(var, "")
        if value:
            return "ko" if value.lower().startswith("ko") else "en"
    return "en"


class Msg:
    """A catalog message with parameters, rendered in a language only when shown."""

    __slots__ = ("key", "params")

    def __init__(self, key: str, **params: object) -> None:
        if key not in MESSAGES:
            raise KeyError(f"unknown message key {key!r}")
        self.key = key
        self.params = params

    def render(self, lang: str) -> str:
        template = MESSAGES[self.key][lang]
        params = {k: tr(v, lang) if isinstance(v, (Msg, dict)) else v for k, v in self.params.items()}
        return template.format(**params)

    def __repr__(self) -> str:
        return f"Msg({self.key!r}, {self.params!r})"


def tr(text: TextLike | None, lang: str) -> str:
    """Render a plain string, a bilingual dict or a catalog message in ``lang``."""
    if text is None:
        return ""
    if isinstance(text, str):
        return text
    if isinstance(text, Msg):
        return text.render(lang)
    return text.get(lang) or text.get("en") or next(iter(text.values()), "")


def both(text: TextLike) -> dict[str, str]:
    """The text in every language, for checks that every language is complete."""
    return {lang: tr(text, lang) for lang in LANGS}


MESSAGES: dict[str, dict[str, str]] = {
    # verdicts of the sandbox
    "timeout": {
        "ko": "시간 초과: {seconds:g}초 안에 끝나지 않았습니다. 무한 루프가 있는지 확인하세요.",
        "en": "Timed out: did not finish within {seconds:g} s. Look for an infinite loop.",
    },
    "timeout_skipped": {
        "ko": "시간 제한({seconds:g}초)을 이미 넘겨 실행하지 않았습니다.",
        "en": "Not run: the time limit ({seconds:g} s) was already used up.",
    },
    "out_of_memory": {
        "ko": "메모리 부족: 제한({mb} MB)을 넘었습니다. 너무 큰 배열을 만들고 있지 않은지 확인하세요.",
        "en": "Ran out of memory: used more than the {mb} MB limit. Look for a huge array.",
    },
    "exited": {
        "ko": "학생 코드가 프로세스를 종료했습니다({how}). sys.exit()나 os._exit()를 지우세요.",
        "en": "Your code ended the process ({how}). Remove sys.exit() / os._exit().",
    },
    "crashed": {
        "ko": "학생 코드를 실행하던 프로세스가 비정상 종료했습니다({how}).",
        "en": "The process running your code crashed ({how}).",
    },
    "protocol": {
        "ko": "학생 코드 프로세스와의 통신이 깨졌습니다({how}).",
        "en": "Communication with the process running your code broke ({how}).",
    },
    "start_failed": {
        "ko": "채점용 프로세스를 시작하지 못했습니다: {how}",
        "en": "Could not start the grading process: {how}",
    },
    "check_error": {
        "ko": "검사 코드 자체에서 오류가 났습니다. 강사에게 알려 주세요: {error}",
        "en": "The check itself failed; please tell your instructor: {error}",
    },
    "syntax_error": {
        "ko": "문법 오류 ({line}행): {msg}",
        "en": "Syntax error (line {line}): {msg}",
    },
    "load_error": {
        "ko": "파일을 불러오는 중 오류가 났습니다: {error}",
        "en": "Your file failed to load: {error}",
    },
    "exit_at_import": {
        "ko": "파일을 불러오는 중 sys.exit({code})가 호출되었습니다.",
        "en": "Your file called sys.exit({code}) while loading.",
    },
    "raised": {
        "ko": "`{call}` 실행 중 예외가 발생했습니다: {error}",
        "en": "`{call}` raised an exception: {error}",
    },
    "missing_function": {
        "ko": "`{name}`이(가) 파일에 없습니다. 이름을 바꾸거나 지우지 않았는지 확인하세요.",
        "en": "`{name}` is missing from your file. Did you rename or delete it?",
    },
    "not_attempted": {
        "ko": "아직 시도하지 않았습니다: `{name}`의 # [[YOUR CODE]] 부분을 채우세요.",
        "en": "Not attempted yet: fill in the # [[YOUR CODE]] part of `{name}`.",
    },
    "returned_none": {
        "ko": "`{call}`이(가) None을 반환했습니다. return 문을 빠뜨리지 않았나요?",
        "en": "`{call}` returned None. Did you forget a return statement?",
    },
    "unsupported_value": {
        "ko": "`{call}`이(가) 채점기가 읽을 수 없는 값({kind})을 반환했습니다. 숫자, 배열, 리스트를 반환하세요.",
        "en": "`{call}` returned a value the grader cannot read ({kind}). Return numbers, arrays or lists.",
    },
    # comparisons
    "expected_got": {"ko": "기댓값 {expected}, 실제 값 {got}", "en": "expected {expected}, got {got}"},
    "wrong_value": {"ko": "`{call}`의 값이 틀렸습니다.", "en": "`{call}` returned a wrong value."},
    "wrong_value_hidden": {
        "ko": "숨겨진 입력에서 `{call}`의 값이 틀렸습니다 ({failed}/{total}개 틀림).",
        "en": "`{call}` is wrong on hidden inputs ({failed} of {total} wrong).",
    },
    "wrong_shape": {
        "ko": "`{call}`의 결과 모양이 {got}입니다. {expected}이어야 합니다.",
        "en": "`{call}` returned shape {got}; expected {expected}.",
    },
    "wrong_type": {
        "ko": "`{call}`의 결과 종류가 {got}입니다. {expected}이어야 합니다.",
        "en": "`{call}` returned a {got}; expected {expected}.",
    },
    "not_finite": {
        "ko": "`{call}`의 결과에 inf 또는 nan이 있습니다.",
        "en": "`{call}` returned inf or nan.",
    },
    "input_modified": {
        "ko": "`{call}`이(가) 입력 배열을 바꿔 놓았습니다. 원래 값으로 되돌리세요.",
        "en": "`{call}` changed its input array. Restore it before returning.",
    },
    "likely_mistake": {"ko": "흔한 실수: {explanation}", "en": "Common mistake: {explanation}"},
    # models
    "not_a_model": {
        "ko": "`{call}`이(가) Keras 모델이 아닌 {got}을(를) 반환했습니다.",
        "en": "`{call}` returned a {got}, not a Keras model.",
    },
    "wrong_api": {
        "ko": "{expected} API로 만들어야 하는데 {got} 모델입니다.",
        "en": "The model should use the {expected} API, but it is a {got} model.",
    },
    "layers_differ": {
        "ko": "층 구성이 기대와 다릅니다 (아래 표).",
        "en": "The layers differ from what was expected (table below).",
    },
    "param_count": {
        "ko": "전체 파라미터 수가 {got:,}입니다. {expected:,}이어야 합니다.",
        "en": "The model has {got:,} parameters; expected {expected:,}.",
    },
    "not_compiled": {
        "ko": "모델이 compile()되지 않았습니다.",
        "en": "The model was not compiled (call model.compile()).",
    },
    "training_failed": {
        "ko": "학습 중 오류가 났습니다: {error}",
        "en": "Training failed: {error}",
    },
    "accuracy_low": {
        "ko": "여러분의 코드가 보지 못한 정답으로 잰 정확도가 {got:.3f}입니다. {expected:.2f} 이상이어야 합니다.",
        "en": "Accuracy on held-out data is {got:.3f}; it must be at least {expected:.2f}.",
    },
    # report
    "score": {"ko": "점수", "en": "Score"},
    "check": {"ko": "검사", "en": "Check"},
    "points": {"ko": "점수", "en": "Points"},
    "result": {"ko": "결과", "en": "Result"},
    "passed": {"ko": "통과", "en": "passed"},
    "failed": {"ko": "실패", "en": "failed"},
    "not_attempted_status": {"ko": "미시도", "en": "not attempted"},
    "hidden": {"ko": "숨김", "en": "hidden"},
    "public": {"ko": "공개", "en": "public"},
    "time": {"ko": "시간", "en": "Time"},
    "device": {"ko": "장치", "en": "Device"},
    "seed": {"ko": "시드", "en": "Seed"},
    "hint": {"ko": "힌트", "en": "Hint"},
    "input": {"ko": "입력", "en": "input"},
    "expected": {"ko": "기댓값", "en": "expected"},
    "got": {"ko": "실제 값", "en": "got"},
    "yours": {"ko": "제출", "en": "yours"},
    "layer": {"ko": "층", "en": "layer"},
    "output_shape": {"ko": "출력 모양", "en": "output shape"},
    "params": {"ko": "파라미터", "en": "params"},
    "hidden_value": {"ko": "(숨김)", "en": "(hidden)"},
    "checks_summary": {
        "ko": "공개 검사 {public}개, 숨겨진 검사 {hidden}개",
        "en": "{public} public checks, {hidden} hidden checks",
    },
    "hidden_not_run": {
        "ko": "숨겨진 검사는 강사 환경에서만 실행됩니다.",
        "en": "Hidden checks run only where the solutions are present.",
    },
    "student_output": {"ko": "학생 코드의 출력", "en": "Output of your code"},
    "truncated": {"ko": "... ({n}바이트 생략)", "en": "... ({n} bytes cut)"},
    "training": {"ko": "학습 중", "en": "Training"},
    "starting": {"ko": "채점 준비 중", "en": "Preparing"},
    "grading": {"ko": "채점 중", "en": "Grading"},
    "run_with_seed": {"ko": "같은 입력으로 다시: --seed {seed}", "en": "Same inputs again: --seed {seed}"},
    "next_hint": {"ko": "힌트 보기: grade hint {id}", "en": "Get a hint: grade hint {id}"},
    "all_passed": {"ko": "모든 검사를 통과했습니다!", "en": "All checks passed!"},
    # command line
    "unknown_exercise": {
        "ko": "'{name}'이라는 연습 문제가 없습니다. `grade list`로 목록을 보세요.",
        "en": "No exercise called '{name}'. See `grade list`.",
    },
    "ambiguous_exercise": {
        "ko": "'{name}'에 해당하는 연습 문제가 여러 개입니다: {matches}",
        "en": "'{name}' matches several exercises: {matches}",
    },
    "bad_zip": {
        "ko": "제출 파일 {path}을(를) 열 수 없습니다: {error}",
        "en": "Cannot open the submission {path}: {error}",
    },
    "file_not_submitted": {
        "ko": "제출물에 {file} 파일이 없습니다 (미시도로 처리).",
        "en": "{file} is not in the submission (counted as not attempted).",
    },
    "total": {"ko": "합계", "en": "Total"},
    "assignment_title": {"ko": "과제 전체 채점", "en": "Whole assignment"},
    "min_score_failed": {
        "ko": "점수 {percent:.1f}% 가 최소 점수 {min:g}% 보다 낮습니다.",
        "en": "Score {percent:.1f}% is below the minimum {min:g}%.",
    },
    "missing_file": {"ko": "파일이 없습니다: {path}", "en": "No such file: {path}"},
    "bad_exercise": {"ko": "연습 문제 설정 오류 ({path}): {error}", "en": "Broken exercise ({path}): {error}"},
    "no_gpu": {
        "ko": "--device gpu를 요청했지만 GPU가 보이지 않습니다.",
        "en": "--device gpu was asked for, but no GPU is visible.",
    },
    "status_not_attempted": {"ko": "미시도", "en": "not attempted"},
    "status_failing": {"ko": "실패 중", "en": "failing"},
    "status_passed": {"ko": "통과", "en": "passed"},
    "col_exercise": {"ko": "문제", "en": "Exercise"},
    "col_title": {"ko": "제목", "en": "Title"},
    "col_status": {"ko": "상태", "en": "Status"},
    "col_best": {"ko": "최고 점수", "en": "Best"},
    "col_last": {"ko": "마지막 채점", "en": "Last graded"},
    "col_points": {"ko": "배점", "en": "Points"},
    "col_tf": {"ko": "TensorFlow", "en": "TensorFlow"},
    "progress_title": {"ko": "진행 상황", "en": "Progress"},
    "exercises_title": {"ko": "연습 문제", "en": "Exercises"},
    "no_more_hints": {
        "ko": "더 이상 힌트가 없습니다 ({n}개 모두 보았습니다).",
        "en": "No more hints (you have seen all {n}).",
    },
    "hint_n": {"ko": "힌트 {i}/{n}", "en": "Hint {i}/{n}"},
    # notebooks
    "nb_invalid_json": {
        "ko": "노트북 {path}이(가) 올바른 JSON이 아닙니다({error}). 저장이 끝나지 않았거나 파일이 잘렸을 수 있습니다. Jupyter나 Colab에서 다시 저장(파일 → .ipynb 다운로드)하세요.",
        "en": "The notebook {path} is not valid JSON ({error}). It may be cut short or half-saved; save it again from Jupyter or Colab (File → Download .ipynb).",
    },
    "nb_bad_version": {
        "ko": "노트북 {path}의 nbformat 버전이 {version}입니다. 채점기는 버전 4 노트북을 읽습니다. Jupyter나 Colab에서 열어 다시 저장하세요.",
        "en": "The notebook {path} has nbformat version {version}; the grader reads version 4 notebooks. Open it in Jupyter or Colab and save it again.",
    },
    "nb_unreadable": {
        "ko": "노트북 {path}의 구조를 읽을 수 없습니다: {error}",
        "en": "The notebook {path} has a structure the grader cannot read: {error}",
    },
    "nb_cell_syntax": {
        "ko": "{cell}번째 셀 {line}행에 문법 오류가 있습니다: {msg}",
        "en": "Syntax error in cell {cell}, line {line}: {msg}",
    },
    "nb_untagged": {
        "ko": "'{tag}' 태그가 붙은 답안 셀이 없어 모든 코드 셀을 채점했습니다. 제공된 노트북의 답안 셀에 답을 쓰면 더 정확하게 채점됩니다.",
        "en": "No answer cell tagged '{tag}' was found, so every code cell was graded. Writing in the answer cell of the provided notebook grades more reliably.",
    },
    "nb_magics_removed": {
        "ko": "파이썬이 아닌 셸/매직 줄 {n}개를 빼고 채점했습니다(셀 번호: 줄): {lines}",
        "en": "Left out {n} shell/magic line(s) that are not Python (cell: line): {lines}",
    },
    "nb_cells_skipped": {
        "ko": "이 문제는 함수만 채점하므로, 최상위에서 모델을 학습하거나 그래프를 그리는 셀(줄)은 실행하지 않았습니다: {cells}",
        "en": "This exercise grades functions only, so cells (or lines) that train a model or draw plots at top level were not run: {cells}",
    },
    "nb_not_saved": {
        "ko": "디스크에 저장된 노트북이 마지막으로 실행한 답안 셀과 다릅니다. 먼저 저장(Ctrl+S)한 뒤 다시 채점하세요. 아래 결과는 저장된 버전의 채점 결과입니다.",
        "en": "The notebook on disk differs from the answer cell you last ran. Save it first (Ctrl+S), then check again. The result below grades the saved version.",
    },
    "nb_not_found": {
        "ko": "{folder}에서 {exercise}의 노트북을 찾지 못했습니다. 경로를 직접 알려 주세요: check(\"{id}\", \"내_노트북.ipynb\")",
        "en": "Could not find the notebook of {exercise} in {folder}. Pass its path: check(\"{id}\", \"my_notebook.ipynb\")",
    },
    "nb_check_failed": {
        "ko": "채점기를 실행하지 못했습니다: {error}",
        "en": "The grader could not run: {error}",
    },
    "nb_answer_here": {
        "ko": "## 답안\n아래 셀(태그 `answer`)의 `# [[YOUR CODE]]` 부분을 채우세요. 채점기는 이 셀만 읽으므로, 답에 필요한 import와 도우미 함수도 이 셀에 두세요. 셀을 옮기거나 새 셀을 추가해도 괜찮습니다.",
        "en": "## Your answer\nFill in the `# [[YOUR CODE]]` parts of the cell below (tagged `answer`). The grader reads only this cell, so keep the imports and helper functions your answer needs in it. Moving cells or adding new ones is fine.",
    },
    "nb_scratch_here": {
        "ko": "## 연습 공간\n자유롭게 시험해 보세요. 이 셀은 채점하지 않습니다.",
        "en": "## Scratch space\nTry things out here. This cell is not graded.",
    },
    "nb_check_here": {
        "ko": "## 채점\n노트북을 먼저 저장(Ctrl+S)한 뒤 아래 셀을 실행하세요. 채점기는 디스크에 저장된 노트북의 답안 셀을 읽습니다.",
        "en": "## Check your answer\nSave the notebook first (Ctrl+S), then run the cell below. The grader reads the answer cells of the notebook saved on disk.",
    },
    "nb_install_comment": {
        "ko": "채점기(grader)가 없을 때만 설치합니다(예: Colab). 이미 설치되어 있으면 아무 일도 하지 않습니다.",
        "en": "Installs the grader only when it is missing (e.g. on Colab); does nothing when it is already installed.",
    },
    "nb_scratch_comment": {
        "ko": "연습 공간: 채점하지 않습니다.",
        "en": "Scratch space: not graded.",
    },
    "nb_quiz_not_literal": {
        "ko": "{cell}번째 셀(문항 {qid})의 answer는 계산식이 아닌 값(문자열, 숫자, 리스트)이어야 합니다. 답하지 않은 것으로 처리했습니다.",
        "en": "In cell {cell} (question {qid}), answer must be a plain value (a string, a number, a list), not an expression; it counts as unanswered.",
    },
    "nb_quiz_answer_here": {
        "ko": "아래 셀(태그 `answer`, `question:{qid}`)에 답을 쓰세요.",
        "en": "Write your answer in the cell below (tagged `answer`, `question:{qid}`).",
    },
}

# Quizzes (grader/quiz.py, grader/quiz_view.py).
MESSAGES.update({
    "quiz_right": {
        "ko": "정답입니다.",
        "en": "Right.",
    },
    "quiz_wrong": {
        "ko": "틀렸습니다.",
        "en": "Wrong.",
    },
    "quiz_partial": {
        "ko": "부분 정답: 맞게 고른 것 {right}/{total}개, 잘못 고른 것 {wrong}개.",
        "en": "Partly right: {right} of {total} right picks, {wrong} wrong pick(s).",
    },
    "quiz_unanswered": {
        "ko": "답하지 않았습니다.",
        "en": "Not answered.",
    },
    "quiz_explanation": {
        "ko": "해설: {text}",
        "en": "Explanation: {text}",
    },
    "quiz_locked": {
        "ko": "해설은 정답을 맞히면 열립니다.",
        "en": "The explanation unlocks once you answer correctly.",
    },
    "quiz_tol_abs": {
        "ko": "(허용 오차 ±{tol:g})",
        "en": "(tolerance ±{tol:g})",
    },
    "quiz_tol_rel": {
        "ko": "(상대 오차 {pct:g}% 이내)",
        "en": "(within {pct:g}% relative error)",
    },
    "quiz_tol_int": {
        "ko": "(정수로 답하세요)",
        "en": "(answer with an integer)",
    },
    "quiz_tol_exact": {
        "ko": "(정확한 값)",
        "en": "(exact value)",
    },
    "quiz_not_number": {
        "ko": "문항 '{qid}': '{raw}'은(는) 숫자로 읽을 수 없습니다 (예: 1010, 1,010, 1.01e3).",
        "en": "question '{qid}': cannot read '{raw}' as a number (e.g. 1010, 1,010, 1.01e3).",
    },
    "quiz_not_choice": {
        "ko": "문항 '{qid}': '{raw}'은(는) 보기에 없습니다. 보기: {ids}",
        "en": "question '{qid}': '{raw}' is not one of the choices: {ids}",
    },
    "quiz_bad_type": {
        "ko": "문항 '{qid}': {expected}이(가) 필요한데 {got}이(가) 주어졌습니다.",
        "en": "question '{qid}': expected {expected}, got {got}.",
    },
    "quiz_unknown_question": {
        "ko": "'{qid}'라는 문항이 없습니다. 문항: {ids}",
        "en": "there is no question '{qid}'. Questions: {ids}",
    },
    "quiz_bad_toml": {
        "ko": "TOML 문법 오류: {error}",
        "en": "not valid TOML: {error}",
    },
    "quiz_no_answers_file": {
        "ko": "답안 파일이 없습니다: {path}",
        "en": "No answers file: {path}",
    },
    "quiz_answers_problems": {
        "ko": "답안 파일 {path}에 문제가 있습니다:",
        "en": "The answers file {path} has problems:",
    },
    "quiz_expected_single": {
        "ko": "보기 id 하나(문자열)",
        "en": "one choice id (a string)",
    },
    "quiz_expected_multiple": {
        "ko": "보기 id의 리스트",
        "en": "a list of choice ids",
    },
    "quiz_expected_numeric": {
        "ko": "숫자",
        "en": "a number",
    },
    "quiz_expected_text": {
        "ko": "문자열",
        "en": "a string",
    },
    "quiz_view_question": {
        "ko": "문항 {i}/{n} · {points:g}점",
        "en": "Question {i}/{n} · {points:g} point(s)",
    },
    "quiz_view_ask_single": {
        "ko": "번호를 입력하세요",
        "en": "Enter the number",
    },
    "quiz_view_ask_multiple": {
        "ko": "해당하는 번호를 모두 입력하세요 (예: 1,3)",
        "en": "Enter every number that applies (e.g. 1,3)",
    },
    "quiz_view_ask_numeric": {
        "ko": "숫자를 입력하세요",
        "en": "Enter a number",
    },
    "quiz_view_ask_text": {
        "ko": "답을 입력하세요",
        "en": "Enter your answer",
    },
    "quiz_view_try_again": {
        "ko": "다시 해 보세요 (남은 기회 {left}번).",
        "en": "Try again ({left} tries left).",
    },
    "quiz_view_no_tries": {
        "ko": "기회를 모두 썼습니다.",
        "en": "No tries left.",
    },
    "quiz_view_not_in_range": {
        "ko": "1부터 {n}까지의 번호를 입력하세요.",
        "en": "Enter numbers from 1 to {n}.",
    },
    "quiz_view_resuming": {
        "ko": "이어서 풉니다: {done}/{n}문항을 이미 답했습니다.",
        "en": "Resuming: {done} of {n} questions already answered.",
    },
    "quiz_view_saved": {
        "ko": "중단했습니다. 지금까지의 답은 저장되었습니다. `grade {id}`로 이어서 푸세요.",
        "en": "Stopped. Your answers so far are saved; `grade {id}` resumes the quiz.",
    },
    "quiz_view_intro": {
        "ko": "{n}문항 · 총 {points:g}점. 답을 입력하고 Enter를 누르세요. Ctrl+C로 중단해도 이어서 풀 수 있습니다.",
        "en": "{n} questions · {points:g} points. Type your answer and press Enter; Ctrl+C stops, and you can resume later.",
    },
})
