"""Bilingual strings: the language choice, the message catalog and bilingual text values."""

from __future__ import annotations

import os
import re
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
        template = plural(MESSAGES[self.key][lang], self.params)
        params = {k: tr(v, lang) if isinstance(v, (Msg, dict)) else v for k, v in self.params.items()}
        return template.format(**params)

    def __repr__(self) -> str:
        return f"Msg({self.key!r}, {self.params!r})"


_PLURAL = re.compile(r"\{(\w+)\|([^{}|]*)\|([^{}|]*)\}")


def plural(template: str, params: Mapping[str, object]) -> str:
    """``{n|check|checks}`` becomes ``check`` when ``n`` is 1 and ``checks`` otherwise (English needs it)."""
    return _PLURAL.sub(lambda m: m.group(2) if params.get(m.group(1)) == 1 else m.group(3), template)


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
    "refused_files": {
        "ko": "제출물의 일반 파일이 아닌 항목(링크, 장치 파일 등)은 복사하지 않았습니다: {names}",
        "en": "Left out of the submission (not regular files: links, devices, …): {names}",
    },
    "unconfined_refused": {
        "ko": "이 컴퓨터에서는 학생 코드를 격리할 수 없습니다({missing}). 그래도 채점하려면 --allow-unconfined 옵션을 주세요.",
        "en": "Student code cannot be confined on this machine ({missing} missing). Pass --allow-unconfined to grade anyway.",
    },
    "backend_not_supported": {
        "ko": "이 연습은 {asked} 백엔드를 지원하지 않아 {used}에서 채점했습니다.",
        "en": "This exercise does not run on {asked}; it was graded on {used}.",
    },
    "out_of_gpu_memory": {
        "ko": "GPU 메모리 부족: 이 학생에게 허용된 GPU 메모리를 넘었습니다. 배치 크기나 모델 크기를 줄여 보세요.",
        "en": "Ran out of GPU memory: used more than this student's share. Try a smaller batch or model.",
    },
    "too_many_processes": {
        "ko": "프로세스가 너무 많습니다: 한 번에 {n}개까지만 만들 수 있습니다. fork나 subprocess를 반복해서 부르고 있지 않은지 확인하세요.",
        "en": "Too many processes: at most {n} may run at once. Look for fork() or subprocess calls in a loop.",
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
    "load_error_at": {
        "ko": "파일을 불러오다가 {where}에서 오류가 났습니다: {error}",
        "en": "Your file failed to load: {error} ({where})",
    },
    "where_line": {"ko": "{line}행", "en": "line {line}"},
    "where_cell": {"ko": "{cell}번째 셀 {line}행", "en": "cell {cell}, line {line}"},
    "not_run_load": {
        "ko": "실행 안 함: 파일을 불러오지 못했습니다(위의 오류 참고).",
        "en": "Not run: the file did not load (see above).",
    },
    "help_module_not_found": {
        "ko": "파이썬이 이 모듈을 찾지 못했습니다. import 줄의 철자를 확인하세요. 과제에는 수업에서 쓴 numpy와 TensorFlow/Keras만 있으면 됩니다.",
        "en": "Python cannot find this module. Check the spelling of the import; the exercises need only what the lesson uses (numpy, TensorFlow/Keras).",
    },
    "help_import_error": {
        "ko": "모듈에 그런 이름이 없습니다. 철자와 가져오는 위치를 확인하세요(예: from tensorflow import keras).",
        "en": "That module has no such name. Check the spelling and where the name comes from (e.g. from tensorflow import keras).",
    },
    "help_name_error": {
        "ko": "정의하기 전에 쓴 이름이 있거나 철자가 틀렸습니다. 함수 밖(파일의 맨 바깥)에 있는 코드는 파일을 불러올 때 바로 실행됩니다.",
        "en": "A name is used before it is defined, or it is misspelled. Code outside functions runs as soon as the file loads.",
    },
    "help_attribute_error_at_load": {
        "ko": "함수 밖에 있는 코드는 파일을 불러올 때 바로 실행되는데, 이 줄이 없는 속성을 씁니다. 철자를 확인하세요.",
        "en": "Code outside functions runs as soon as the file loads, and this line uses an attribute that does not exist. Check the spelling.",
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
        "ko": "파일에서 `{name}`의 정의를 찾지 못했습니다. 이름을 바꾸거나 지우지 않았는지 확인하세요.",
        "en": "`{name}` is missing from your file. Did you rename or delete it?",
    },
    "not_attempted": {
        "ko": "아직 시도하지 않았습니다: `{name}`의 # [[YOUR CODE]] 부분을 채우세요.",
        "en": "Not attempted yet: fill in the # [[YOUR CODE]] part of `{name}`.",
    },
    "returned_none": {
        "ko": "`{call}`의 반환값이 None입니다. return 문을 빠뜨리지 않았나요?",
        "en": "`{call}` returned None. Did you forget a return statement?",
    },
    "unsupported_value": {
        "ko": "`{call}`의 반환값({kind})은 채점기가 읽을 수 없습니다. 숫자, 배열, 리스트를 반환하세요.",
        "en": "`{call}` returned a value the grader cannot read ({kind}). Return numbers, arrays or lists.",
    },
    # comparisons
    "expected_got": {
        "ko": "이 검사가 기대하는 것은 {expected}인데, 지금 코드는 {got}입니다.",
        "en": "This check expects {expected}, but your code has {got}.",
    },
    "negative_probability": {
        "ko": "`{call}`에 음수({got:.3g})가 있습니다. 각 행은 0과 1 사이의 확률이고 합이 1이어야 합니다. 마지막 층에 activation='softmax'를 쓰세요.",
        "en": "`{call}` has a negative value ({got:.3g}). Each row must hold probabilities between 0 and 1 that add up to 1: give the last layer activation='softmax'.",
    },
    "wrong_value": {"ko": "`{call}`의 값이 틀렸습니다.", "en": "`{call}` returned a wrong value."},
    "wrong_value_hidden": {
        "ko": "숨겨진 입력에서 `{call}`의 값이 틀렸습니다 ({failed}/{total}개 틀림).",
        "en": "`{call}` is wrong on hidden inputs ({failed} of {total} wrong).",
    },
    "wrong_shape": {
        "ko": "`{call}`의 결과 모양이 {got}입니다. {expected}이어야 합니다.",
        "en": "`{call}` returned an array of shape {got}; it should have shape {expected}.",
    },
    "wrong_type": {
        "ko": "`{call}`의 결과 종류가 {got}입니다. {expected}이어야 합니다.",
        "en": "`{call}` returned a {got}; it should return {expected}.",
    },
    "not_finite": {
        "ko": "`{call}`의 결과에 inf 또는 nan이 있습니다. 0으로 나누기, log(0), 큰 수의 exp가 없는지 확인하세요.",
        "en": "`{call}` returned inf or nan. Look for a division by zero, log(0) or exp of a large number.",
    },
    "input_modified": {
        "ko": "`{call}`을 호출한 뒤 입력 배열이 바뀌어 있습니다. 반환하기 전에 원래 값으로 되돌리세요.",
        "en": "`{call}` changed its input array. Restore it before returning.",
    },
    "likely_mistake": {"ko": "흔한 실수: {explanation}", "en": "Common mistake: {explanation}"},
    "mistake_see_above": {
        "ko": "위에서 설명한 것과 같은 흔한 실수입니다.",
        "en": "The same common mistake as explained above.",
    },
    # models
    "not_a_model": {
        "ko": "`{call}`의 반환값이 Keras 모델이 아니라 {got}입니다.",
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
    "layers_differ_no_table": {
        "ko": "층 구성이 이 검사가 기대하는 것과 다릅니다.",
        "en": "The layers are not what this check expects.",
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
        "en": "Accuracy on held-out data (points the model never saw in training) is {got:.3f}; it must be at least {expected:.2f}.",
    },
    "train_accuracy_low": {
        "ko": "학습에 쓴 XOR 네 점에 대한 정확도가 {got:.2f}입니다. 네 점을 모두 맞혀야 합니다(정확도 {expected:.2f}).",
        "en": "Accuracy on the four XOR training points is {got:.2f}; all four must be right (accuracy {expected:.2f}).",
    },
    # report
    "score": {"ko": "점수", "en": "Score"},
    "check": {"ko": "검사", "en": "Check"},
    "points": {"ko": "점수", "en": "Points"},
    "result": {"ko": "결과", "en": "Result"},
    "passed": {"ko": "통과", "en": "passed"},
    "failed": {"ko": "미통과", "en": "failed"},
    "not_attempted_status": {"ko": "시도 안 함", "en": "not attempted"},
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
        "en": "{public} public {public|check|checks}, {hidden} hidden {hidden|check|checks}",
    },
    "hidden_not_run": {
        "ko": "숨겨진 검사는 강사 환경에서만 실행됩니다.",
        "en": "Hidden checks run only where the solutions are present.",
    },
    "student_output": {"ko": "학생 코드의 출력", "en": "Output of your code"},
    "truncated": {"ko": "... ({n}바이트 생략)", "en": "... ({n} {n|byte|bytes} cut)"},
    "training": {"ko": "학습 중", "en": "Training"},
    "starting": {"ko": "채점 준비 중", "en": "Preparing"},
    "grading": {"ko": "채점 중", "en": "Grading"},
    "run_with_seed": {"ko": "같은 입력으로 다시: --seed {seed}", "en": "Same inputs again: --seed {seed}"},
    "next_hint": {
        "ko": "막히면 `grade hint {id}`: 실행할 때마다 힌트를 하나씩 더 보여 줍니다(모두 {n}개).",
        "en": "Stuck? `grade hint {id}` shows one more hint each time ({n} in all).",
    },
    "next_hint_of": {
        "ko": "막히면 `grade hint {id}`: 힌트 {i}/{n}을 보여 줍니다(실행할 때마다 하나씩).",
        "en": "Stuck? `grade hint {id}` shows hint {i} of {n} (one more each time).",
    },
    "hints_all_seen": {
        "ko": "힌트 {n}개를 모두 보았습니다. `grade hint {id}`로 다시 볼 수 있습니다.",
        "en": "You have seen all {n} {n|hint|hints}; `grade hint {id}` shows {n|it|them} again.",
    },
    "nb_next_hint": {
        "ko": "막히면 셀에서 hint(\"{id}\")를 실행하세요: 실행할 때마다 힌트를 하나씩 더 보여 줍니다(모두 {n}개).",
        "en": "Stuck? Run hint(\"{id}\") in a cell: one more hint each time ({n} in all).",
    },
    "nb_run_with_seed": {
        "ko": "같은 입력으로 다시: check(\"{id}\", seed={seed})",
        "en": "Same inputs again: check(\"{id}\", seed={seed})",
    },
    "start_here": {
        "ko": "아직 시작하지 않았습니다. {statement} 파일을 읽고 {file} 파일의 # [[YOUR CODE]] 부분을 채운 뒤 다시 채점하세요: `grade {id}`",
        "en": "Not started yet: read {statement}, fill in the # [[YOUR CODE]] parts of {file}, then run `grade {id}` again.",
    },
    "nb_start_here": {
        "ko": "아직 시작하지 않았습니다. 위의 설명을 읽고 답안 셀의 # [[YOUR CODE]] 부분을 채운 뒤, 저장하고 다시 채점하세요: check(\"{id}\")",
        "en": "Not started yet: read the statement above, fill in the # [[YOUR CODE]] parts of the answer cell, save, then run check(\"{id}\") again.",
    },
    "fix_load_first": {
        "ko": "위에 표시한 문제를 고치고 저장한 뒤 다시 채점하세요: `grade {id}`. 파일을 불러올 수 있어야 검사가 실행됩니다.",
        "en": "Fix the problem shown above, save, and run `grade {id}` again: the checks run once the file loads.",
    },
    "nb_fix_load_first": {
        "ko": "위에 표시한 문제를 고치고 저장한 뒤 다시 채점하세요: check(\"{id}\"). 답안을 불러올 수 있어야 검사가 실행됩니다.",
        "en": "Fix the problem shown above, save, and run check(\"{id}\") again: the checks run once the answer loads.",
    },
    "all_passed": {"ko": "모든 검사를 통과했습니다!", "en": "All checks passed!"},
    # command line
    "unknown_exercise": {
        "ko": "'{name}'에 해당하는 연습 문제가 없습니다. `grade list`로 목록을 보세요.",
        "en": "No exercise called '{name}'. See `grade list`.",
    },
    "did_you_mean": {
        "ko": "'{name}'에 해당하는 연습 문제가 없습니다. 혹시 {suggestions}인가요? 전체 목록은 `grade list`로 볼 수 있습니다.",
        "en": "No exercise called '{name}'. Did you mean {suggestions}? See `grade list` for all of them.",
    },
    "or": {"ko": " 또는 ", "en": " or "},
    "nb_wrong_exercise": {
        "ko": "이 노트북은 {made_for} 문제용이라 {graded} 문제로 채점할 수 없습니다. {made_for_id} 문제로 채점하거나({command}), {graded_id} 문제의 노트북을 여세요.",
        "en": "This notebook was made for {made_for}, not {graded}. Grade it as {made_for_id} ({command}), or open the notebook of {graded_id}.",
    },
    "grading_item": {"ko": "{name} 채점 중 ({i}/{n})", "en": "Grading {name} ({i}/{n})"},
    "assignment_summary": {
        "ko": "합계 {score:g}/{max_score:g}점 ({percent:.1f}%): {total}개 중 {passed}개 통과.",
        "en": "Total {score:g}/{max_score:g} {max_score|point|points} ({percent:.1f}%): {passed} of {total} {total|item|items} passed.",
    },
    "written_to": {"ko": "전체 결과: {path}", "en": "Full results: {path}"},
    "watch_start": {
        "ko": "{path} 파일을 지켜봅니다. 저장할 때마다 {id} 문제를 다시 채점합니다. 멈추려면 Ctrl+C를 누르세요.",
        "en": "Watching {path}: {id} is graded again every time you save it. Ctrl+C stops.",
    },
    "watch_waiting": {
        "ko": "저장을 기다리는 중… (멈추려면 Ctrl+C)",
        "en": "Waiting for you to save… (Ctrl+C stops)",
    },
    "watch_passed": {
        "ko": "{id} 통과! 계속 지켜봅니다. 다음 문제: `grade watch {next}`",
        "en": "{id} passes! Still watching. Next exercise: `grade watch {next}`",
    },
    "watch_quiz": {
        "ko": "grade watch는 연습 문제(ex..)를 위한 명령입니다. 퀴즈는 이렇게 푸세요: grade {id}",
        "en": "grade watch is for exercises (ex..). Take a quiz with: grade {id}",
    },
    "watch_stopped": {"ko": "지켜보기를 멈췄습니다.", "en": "Stopped watching."},
    "watch_unavailable": {
        "ko": "grade watch에는 watchfiles 패키지가 필요합니다: pip install watchfiles",
        "en": "grade watch needs the watchfiles package: pip install watchfiles",
    },
    "next_exercise": {
        "ko": "다음 문제: {id} · {title}  →  `grade {id}` (막히면 `grade hint {id}`)",
        "en": "Next: {id} · {title}  →  `grade {id}` (stuck? `grade hint {id}`)",
    },
    "all_done": {
        "ko": "모든 문제를 통과했습니다. 수고했어요!",
        "en": "Every exercise passes. Well done!",
    },
    "ambiguous_exercise": {
        "ko": "'{name}'에 해당하는 연습 문제가 여러 개입니다: {matches}",
        "en": "'{name}' matches several exercises: {matches}",
    },
    "bad_zip": {
        "ko": "제출 파일을 열 수 없습니다({path}): {error}",
        "en": "Cannot open the submission {path}: {error}",
    },
    "file_not_submitted": {
        "ko": "제출물에 {file} 파일이 없습니다 (시도 안 함으로 처리).",
        "en": "{file} is not in the submission (counted as not attempted).",
    },
    "total": {"ko": "합계", "en": "Total"},
    "assignment_title": {"ko": "과제 전체 채점", "en": "Whole assignment"},
    "min_score_failed": {
        "ko": "점수 {percent:.1f}%가 최소 점수 {min:g}%보다 낮습니다.",
        "en": "Score {percent:.1f}% is below the minimum {min:g}%.",
    },
    "missing_file": {"ko": "파일이 없습니다: {path}", "en": "No such file: {path}"},
    "bad_exercise": {"ko": "연습 문제 설정 오류 ({path}): {error}", "en": "Broken exercise ({path}): {error}"},
    "no_gpu": {
        "ko": "--device gpu를 요청했지만 GPU가 보이지 않습니다.",
        "en": "--device gpu was asked for, but no GPU is visible.",
    },
    "status_not_attempted": {"ko": "시도 안 함", "en": "not attempted"},
    "status_failing": {"ko": "미통과", "en": "failing"},
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
        "ko": "힌트를 모두({n}개) 보았습니다. 다시 모아 보면:",
        "en": "You have seen all {n} {n|hint|hints}; here {n|it is|they are} again:",
    },
    "no_hints": {
        "ko": "{id}에는 힌트가 없습니다. 문제 설명과 검사 결과의 메시지를 다시 읽어 보세요.",
        "en": "{id} has no hints. Read the statement and the messages of the checks again.",
    },
    "hint_n": {"ko": "힌트 {i}/{n}", "en": "Hint {i}/{n}"},
    "hint_more": {
        "ko": "다음 힌트가 필요하면 한 번 더: {command}",
        "en": "For the next hint, run it again: {command}",
    },
    # notebooks
    "nb_invalid_json": {
        "ko": "노트북 파일 {path}의 내용이 올바른 JSON이 아닙니다({error}). 저장이 끝나지 않았거나 파일이 잘렸을 수 있습니다. Jupyter나 Colab에서 다시 저장(파일 → .ipynb 다운로드)하세요.",
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
        "en": "Left out {n} shell/magic {n|line|lines} that {n|is|are} not Python (cell: line): {lines}",
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
    "nb_install_course": {
        "ko": "강사가 알려 준 과제 저장소(git URL, `grade release`로 만든 학생용 과제) 또는 그 폴더",
        "en": "the course's student release (made by `grade release`): its git URL from your instructor, or its folder",
    },
    "nb_install_missing": {
        "ko": "채점기가 설치되어 있지 않고 COURSE도 비어 있어 아무것도 설치하지 않았습니다. 과제 폴더에서 Jupyter를 실행하거나(. .venv/bin/activate 후 jupyter lab), 강사에게 과제 저장소의 git URL을 받아 이 셀의 COURSE에 넣고 다시 실행하세요.",
        "en": "The grader is not installed here and COURSE is empty, so nothing was installed. Start Jupyter from the course folder (. .venv/bin/activate, then jupyter lab), or ask your instructor for the course's git URL, put it in COURSE in this cell and run it again.",
    },
    "nb_hint_comment": {
        "ko": "막히면: hint(\"{id}\", lang=\"{lang}\")를 실행할 때마다 힌트가 하나씩 더 나옵니다.",
        "en": "Stuck? Each run of hint(\"{id}\", lang=\"{lang}\") shows one more hint.",
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

# Quizzes (grader/quiz/).
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
        "en": "Partly right: {right} of {total} right picks; wrong picks: {wrong}.",
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
        "ko": "문항 {i}/{n} · {points} · {tries}",
        "en": "Question {i}/{n} · {points} · {tries}",
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
        "ko": "다시 해 보세요(남은 기회 {left}번).",
        "en": "Try again ({left} tries left).",
    },
    "quiz_view_try_again_one": {
        "ko": "다시 해 보세요(남은 기회 1번).",
        "en": "Try again (1 try left).",
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
        "ko": "중단했습니다. 지금까지의 답은 {path}에 저장되었습니다. `grade {id}`로 이어서 푸세요.",
        "en": "Stopped. Your answers so far are saved in {path}; `grade {id}` resumes the quiz.",
    },
    "quiz_view_intro": {
        "ko": "{n}문항 · 총 {points:g}점. 답을 입력하고 Enter를 누르세요. Ctrl+C로 중단해도 이어서 풀 수 있습니다.",
        "en": "{n} questions · {points:g} points. Type your answer and press Enter; Ctrl+C stops, and you can resume later.",
    },
    # the retry policy, the answers file, the hashed key (issue 9)
    "quiz_kind_single": {"ko": "객관식", "en": "single choice"},
    "quiz_kind_multiple": {"ko": "복수 선택", "en": "multiple choice"},
    "quiz_kind_numeric": {"ko": "수치", "en": "numeric"},
    "quiz_kind_text": {"ko": "단답형", "en": "short text"},
    "quiz_policy_intro": {
        "ko": "채점 방식(기회를 모두 쓰면 해설을 보여 줍니다):",
        "en": "Scoring (once your tries are used up, the explanation is shown):",
    },
    "quiz_policy_first_try": {
        "ko": "첫 번째 시도에서 맞혀야 점수를 받습니다. 두 번째 시도부터는 맞혀도 0점이지만 해설은 볼 수 있습니다.",
        "en": "full marks on the first try only; a later right answer scores 0 but still shows the explanation.",
    },
    "quiz_policy_halves": {
        "ko": "틀릴 때마다 받을 수 있는 점수가 절반으로 줄어듭니다.",
        "en": "each wrong try halves the points.",
    },
    "quiz_policy_free": {
        "ko": "다시 시도해도 감점이 없습니다.",
        "en": "retries cost nothing.",
    },
    "quiz_policy_factor": {
        "ko": "틀릴 때마다 받을 수 있는 점수에 {factor:g}을(를) 곱합니다.",
        "en": "each wrong try multiplies the points by {factor:g}.",
    },
    "quiz_retry_points": {
        "ko": "{tries}번째 시도에서 낸 답이라 {points:g}/{max:g}점입니다.",
        "en": "Given on try {tries}: {points:g} of {max:g} points.",
    },
    "quiz_retry_points_one": {
        "ko": "{tries}번째 시도에서 낸 답이라 {points:g}/1점입니다.",
        "en": "Given on try {tries}: {points:g} of 1 point.",
    },
    "quiz_points": {"ko": "{points:g}점", "en": "{points:g} points"},
    "quiz_points_one": {"ko": "1점", "en": "1 point"},
    "quiz_tries": {"ko": "기회 {n}번", "en": "{n} tries"},
    "quiz_tries_one": {"ko": "기회 1번", "en": "1 try"},
    "quiz_hint_missed": {
        "ko": "{i}번 문항({title})을 다시 살펴보세요. {hint}",
        "en": "Look again at question {i} ({title}). {hint}",
    },
    "quiz_hint_review": {
        "ko": "해설을 읽고 수업 자료에서 그 부분을 복습하세요.",
        "en": "Read its explanation and review that part of the lesson.",
    },
    "quiz_explanation_title": {"ko": "해설", "en": "Explanation"},
    "quiz_in_file": {"ko": "{path}", "en": "{path}"},
    "quiz_at_line": {"ko": "{path} {line}번째 줄", "en": "{path}, line {line}"},
    "quiz_on_question": {"ko": "(문항 '{qid}')", "en": "(question '{qid}')"},
    "quiz_bad_tries_table": {
        "ko": "[tries]는 `문항 id = 시도 번호` 꼴의 표여야 합니다.",
        "en": "[tries] must be a table of `question id = try number`.",
    },
    "quiz_bad_tries": {
        "ko": "문항 '{qid}'의 시도 번호 {raw}은(는) 1 이상의 정수여야 합니다.",
        "en": "question '{qid}': the try number {raw} must be a whole number of at least 1.",
    },
    "quiz_file_unreadable": {
        "ko": "답안 파일을 읽을 수 없어 채점하지 못했습니다: {problem}",
        "en": "The answers file could not be read, so this question was not graded: {problem}",
    },
    "quiz_fix_or_delete": {
        "ko": "파일을 고치거나, 처음부터 다시 풀려면 파일을 지운 뒤 `grade {id}`를 실행하세요.",
        "en": "Fix the file, or delete it and run `grade {id}` to start over.",
    },
    "quiz_key_damaged": {
        "ko": "해설을 열 수 없습니다. {path}이(가) 손상되었거나 바뀌었으니 원래 파일을 다시 받으세요.",
        "en": "The explanation cannot be opened: {path} is damaged or was changed; get the original file again.",
    },
    "quiz_view_saved_result": {
        "ko": "저장된 답({path})으로 채점한 결과입니다.",
        "en": "Your saved answers ({path}):",
    },
    "quiz_view_all_right": {
        "ko": "모든 문항을 맞혔습니다. 다시 풀 문항이 없습니다.",
        "en": "Every question is right: nothing to retake.",
    },
    "quiz_view_retake_note": {
        "ko": "다시 풀어도 시도 횟수는 이어서 세므로, 위의 채점 방식대로 점수가 줄어듭니다.",
        "en": "A retake keeps counting your tries, so the scoring rules above still apply.",
    },
    "quiz_view_retake": {
        "ko": "틀린 {n}문항을 다시 풀까요?",
        "en": "Retake the {n} questions you missed?",
    },
    "quiz_view_retake_one": {
        "ko": "틀린 1문항을 다시 풀까요?",
        "en": "Retake the question you missed?",
    },
    "quiz_view_not_saved": {
        "ko": "답을 {path}에 저장하지 못했습니다: {error}",
        "en": "Could not save your answers to {path}: {error}",
    },
})

# --- the instructor's guard rails: `grade release` / `grade autograder` refuse drafts (grader/instructor/release.py) ---
MESSAGES.update({
    "release_refused": {
        "ko": "학생용 배포본을 만들지 않았습니다. 검증을 통과하지 못한 연습 문제가 {n}개 있습니다:\n{problems}\n"
              "고친 뒤 `grade validate --static`으로 확인하세요. 초안인 채로 내보내려면 --allow-draft를 붙이세요.",
        "en": "The student release was not written: {n} {n|exercise fails|exercises fail} validation:\n{problems}\n"
              "Fix {n|it|them} and check with `grade validate --static`, or add --allow-draft to release "
              "{n|it as a draft|them as drafts}.",
    },
    "autograder_refused": {
        "ko": "오토그레이더를 만들지 않았습니다. 검증을 통과하지 못한 연습 문제가 {n}개 있습니다:\n{problems}\n"
              "고친 뒤 `grade validate --static`으로 확인하세요. 초안인 채로 포함하려면 --allow-draft를 붙이세요.",
        "en": "The autograder was not written: {n} {n|exercise fails|exercises fail} validation:\n{problems}\n"
              "Fix {n|it|them} and check with `grade validate --static`, or add --allow-draft to include "
              "{n|it as a draft|them as drafts}.",
    },
    "drafts_included": {
        "ko": "--allow-draft: 검증을 통과하지 못한 연습 문제도 포함했습니다: {names}",
        "en": "--allow-draft: included exercises that fail validation: {names}",
    },
})

# --- the instructor's tables: `grade validate` (grader/cli/instructor.py) and `grade batch` (grader/cli/classes.py);
#     a patch sample graded by `grade exNN --submission` (grader/cli/student.py) ---
MESSAGES.update({
    "validate_fixed": {
        "ko": "{name}: {file}의 지문을 {name}/stub.lock에 썼습니다",
        "en": "{name}: fingerprints of {file} written to {name}/stub.lock",
    },
    "validate_running": {"ko": "grade validate: 검증하는 중 ...", "en": "grade validate ..."},
    "validate_col_exercise": {"ko": "연습 문제", "en": "exercise"},
    "validate_col_what": {"ko": "검사 항목", "en": "what"},
    "validate_col_ok": {"ko": "결과", "en": "ok"},
    "validate_col_problem": {"ko": "문제점", "en": "problem"},
    "validate_what_metadata": {"ko": "메타데이터", "en": "metadata"},
    "validate_what_placeholders": {"ko": "남은 자리표시자", "en": "placeholders"},
    "validate_what_samples": {"ko": "예시 제출물", "en": "samples"},
    "validate_what_fingerprints": {"ko": "지문 (stub.lock)", "en": "fingerprints"},
    "validate_what_reference": {"ko": "정답을 제자리에 붙여 채점", "en": "reference in place"},
    "validate_what_stub": {"ko": "손대지 않은 stub", "en": "stub"},
    "validate_what_quiz": {"ko": "퀴즈", "en": "quiz"},
    "validate_what_questions": {"ko": "문항", "en": "questions"},
    "validate_what_key": {"ko": "정답 키", "en": "key"},
    "validate_what_answers_template": {"ko": "답안 양식", "en": "answers_template"},
    "validate_summary": {
        "ko": "{items}개 항목, 문제 {problems}개",
        "en": "{items} {items|item|items}, {problems} {problems|problem|problems}",
    },
    "batch_summary_title": {
        "ko": "학생 {students}명 · 평균 {mean:.2f} · 중앙값 {median:.2f} / {max_score:g}",
        "en": "{students} students · mean {mean:.2f} · median {median:.2f} / {max_score:g}",
    },
    "batch_col_passed": {"ko": "통과 비율", "en": "passed"},
    "patch_sample_graded": {
        "ko": "{path}는 '# patch: reference' 예시 제출물입니다: 정답({reference})에 이 패치를 적용해 채점합니다.",
        "en": "{path} is a '# patch: reference' sample: grading the reference ({reference}) with it applied.",
    },
    "batch_graded": {"ko": "{id} 채점 완료", "en": "graded {id}"},
    "batch_scheduler_failed": {
        "ko": "--scheduler {scheduler}: 클러스터에서 채점할 수 없습니다: {error}",
        "en": "--scheduler {scheduler}: {error}",
    },
})

# --- the problems `grade validate` reports (grader/instructor/validate.py: Problem) ---
MESSAGES.update({
    "validate_no_title": {"ko": "제목에 '{lang}'이 없습니다", "en": "title has no '{lang}'"},
    "validate_no_statement": {"ko": "statement.{lang}.md가 없거나 비어 있습니다", "en": "statement.{lang}.md is missing or empty"},
    "validate_few_hints": {"ko": "힌트가 {n}개입니다. 적어도 2개가 필요합니다", "en": "{n} {n|hint|hints}; at least 2 are needed"},
    "validate_hint_missing": {"ko": "힌트 {i}에 {langs}가 없습니다", "en": "hint {i} has no {langs}"},
    "validate_no_stub": {"ko": "stub 파일 {file}이 없습니다", "en": "stub {file} is missing"},
    "validate_no_reference": {"ko": "solutions/에 정답 코드가 없습니다", "en": "no reference solution in solutions/"},
    "validate_no_reference_short": {"ko": "정답 코드가 없습니다", "en": "no reference solution"},
    "validate_error": {"ko": "{error}", "en": "{error}"},
    "validate_no_hidden": {"ko": "solutions/에 숨겨진 검사가 없습니다", "en": "no hidden checks in solutions/"},
    "validate_check_no_title": {"ko": "검사 {check}에 {langs} 제목이 없습니다", "en": "check {check} has no title in {langs}"},
    "validate_points_differ": {
        "ko": "검사 점수의 합은 {total:g}점인데 exercise.toml에는 {points:g}점으로 적혀 있습니다",
        "en": "checks add up to {total:g} points, exercise.toml says {points:g}",
    },
    "validate_unreadable": {"ko": "{file}: {error}", "en": "{file}: {error}"},
    "validate_quiz_top_key": {
        "ko": "{where}:{line}: 알 수 없는 키 '{key}' ([[questions]] 표만 쓸 수 있습니다)",
        "en": "{where}:{line}: unknown key '{key}' (only [[questions]] tables)",
    },
    "validate_question_key": {
        "ko": "{where}:{line}: 문항 {n}: 알 수 없는 키 '{key}'{hint}",
        "en": "{where}:{line}: question {n}: unknown key '{key}'{hint}",
    },
    "validate_did_you_mean": {"ko": " (혹시 '{name}'인가요?)", "en": " (did you mean '{name}'?)"},
    "validate_choice_key": {
        "ko": "{where}: 문항 {n}: 선택지에 알 수 없는 키 '{key}'가 있습니다 (쓸 수 있는 키: {keys})",
        "en": "{where}: question {n}: a choice has the unknown key '{key}' (keys: {keys})",
    },
    "validate_placeholder_title": {"ko": "제목({lang})에 아직 {text}가 남아 있습니다", "en": "title ({lang}) still says {text}"},
    "validate_placeholder_statement": {
        "ko": "statement.{lang}.md에 아직 {text}가 남아 있습니다", "en": "statement.{lang}.md still says {text}",
    },
    "validate_placeholder_hint": {"ko": "힌트 {i}({lang})에 아직 {text}가 남아 있습니다", "en": "hint {i} ({lang}) still says {text}"},
    "validate_placeholder_file": {"ko": "{file}에 아직 {text}가 남아 있습니다", "en": "{file} still says {text}"},
    "validate_placeholder_sample": {"ko": "예시 제출물 {file}에 아직 {text}가 남아 있습니다", "en": "sample {file} still says {text}"},
    "validate_placeholder_stub": {"ko": "stub {file}에 아직 {text}가 남아 있습니다", "en": "stub {file} still says {text}"},
    "validate_placeholder_reference": {
        "ko": "정답 코드가 아직 `grade new`가 만든 그대로입니다 (NotImplementedError를 일으킵니다)",
        "en": "the reference solution is still the scaffold's (raises NotImplementedError)",
    },
    "validate_no_samples": {
        "ko": "예시 제출물이 없습니다: {where}/ {state} (wrong_* 예시가 적어도 {min}개, correct_* 예시가 1개 필요합니다. "
              "`grade new`가 하나씩 만들어 줍니다)",
        "en": "no sample submissions: {where}/ {state} (at least {min} wrong_* and 1 correct_* are needed; "
              "`grade new` writes one of each)",
    },
    "validate_samples_folder_empty": {"ko": "폴더에 correct_*나 wrong_* 파일이 없습니다", "en": "has no correct_* or wrong_* file"},
    "validate_samples_folder_missing": {"ko": "폴더가 없습니다", "en": "is missing"},
    "validate_few_wrong": {
        "ko": "{where}/에 wrong_* 예시가 {n}개입니다. 적어도 {min}개가 필요합니다",
        "en": "{n} wrong_* samples in {where}/; at least {min} are needed",
    },
    "validate_no_correct": {"ko": "{where}/에 correct_* 예시가 없습니다", "en": "no correct_* sample in {where}/"},
    "validate_no_lock": {
        "ko": "stub의 지문({lock})이 없어 제자리 채점에서 손대지 않은 함수를 알아볼 수 없습니다. `grade validate --fix`를 실행하세요",
        "en": "no fingerprints of the stub ({lock}): in-place grading cannot tell untouched functions; run `grade validate --fix`",
    },
    "validate_lock_other_file": {
        "ko": "{lock}은 {locked}의 지문인데 stub은 {file}입니다. `grade validate --fix`를 실행하세요",
        "en": "{lock} is for {locked}, the stub is {file}; run `grade validate --fix`",
    },
    "validate_stub_changed": {
        "ko": "stub이 {lock}의 지문과 다릅니다 ({names}). 일부러 stub을 고쳤다면 `grade validate --fix`를 실행하고, "
              "아니라면 되돌리세요 (`git diff`로 바뀐 곳을 볼 수 있습니다)",
        "en": "the stub differs from its fingerprints in {lock} ({names}): if you changed the stub on purpose run "
              "`grade validate --fix`, otherwise restore it (`git diff` shows what changed)",
    },
    "validate_check_raised": {
        "ko": "{exercise}: 검사 {check}에서 오류가 났습니다: {error}", "en": "{exercise}: check {check} raised {error}",
    },
    "validate_reference_is_stub": {
        "ko": "정답 코드를 아직 쓰지 않았습니다: stub의 지문과 같습니다",
        "en": "reference not written yet: it equals the stub's fingerprints",
    },
    "validate_reference_unwritten": {
        "ko": "정답 코드를 아직 쓰지 않았습니다 (여전히 NotImplementedError를 일으키거나 stub과 같습니다)",
        "en": "reference not written yet (it still raises NotImplementedError or equals the stub)",
    },
    "validate_reference_only_apart": {
        "ko": "정답 코드가 solutions/에서는 만점이지만 stub 자리에 붙여 넣으면 만점이 아닙니다: {failures}",
        "en": "the reference scores full marks from solutions/ but not pasted in place over the stub: {failures}",
    },
    "validate_reference_not_full": {"ko": "정답 코드가 만점을 받지 못합니다: {failures}", "en": "reference does not score full marks: {failures}"},
    "validate_stub_scores": {
        "ko": "손대지 않은 stub은 0점이어야 하고 모든 검사가 '시도 안 함'이어야 합니다: {checks}",
        "en": "stub should score 0 with every check 'not attempted': {checks}",
    },
    "validate_correct_fails": {"ko": "올바른 예시 제출물이 통과하지 못합니다: {failures}", "en": "correct submission fails: {failures}"},
    "validate_wrong_passes": {"ko": "틀린 예시 제출물이 모든 검사를 통과합니다", "en": "wrong submission passes every check"},
    "validate_unknown_expected": {
        "ko": "expect-fail에 없는 검사 이름이 있습니다: {names}", "en": "expect-fail names unknown checks: {names}",
    },
    "validate_expected_fail_passed": {
        "ko": "{names}에서 실패해야 하는데 통과했습니다", "en": "expected to fail {names}, which passed",
    },
    "validate_message_missing": {
        "ko": "실패한 검사 중 {text}라고 말하는 것이 없습니다", "en": "no failing check says {text}",
    },
    "validate_no_checks": {"ko": "검사가 없습니다", "en": "no checks"},
})
