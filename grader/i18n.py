"""Bilingual strings: the language choice, the message catalog and bilingual text values."""

from __future__ import annotations

import functools
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
        return particles(template.format(**params))

    def __repr__(self) -> str:
        return f"Msg({self.key!r}, {self.params!r})"


_PLURAL = re.compile(r"\{(\w+)\|([^{}|]*)\|([^{}|]*)\}")


def plural(template: str, params: Mapping[str, object]) -> str:
    """``{n|check|checks}`` becomes ``check`` when ``n`` is 1 and ``checks`` otherwise (English needs it)."""
    return _PLURAL.sub(lambda m: m.group(2) if params.get(m.group(1)) == 1 else m.group(3), template)


# --- Korean particles after substituted values: `{call}`(을), {name}(이)라는, {dtype}(이)어야, {n}(으)로 ---------
#: A particle written with both forms, in the order tossi reads: (을) (이) (은) (과) (으)로 (이)라는 (이)어야 ...
#: (An older pair form after a non-Hangul character, ``'{raw}'은(는)``, is read the same way.)
_MARK = re.compile(r"(?:(?<![가-힣])[을를이가은는과와](?=\([을를이가은는과와]\)))?\((을|를|이|가|은|는|과|와|으)\)([가-힣]*)")
_ONE = {"을": "을", "를": "을", "이": "이", "가": "이", "은": "은", "는": "은", "과": "과", "와": "과", "으": "으"}
#: The last sound of an English letter's name as Koreans say it (에이, 비, 씨, ..., 엘, 엠, 엔, 알, ...).
_LETTER_CODA = {"l": "ㄹ", "r": "ㄹ", "m": "ㅁ", "n": "ㄴ"}
#: Words read against the spelling rules below (타입, not 타이프; 아웃풋).
_WORD_CODA = {"type": "ㅂ", "dtype": "ㅂ", "stub": "ㅂ", "init": "ㅅ", "fit": "ㅅ", "net": "ㅅ", "get": "ㅅ",
              "deep": "ㅂ",
              "keras": "", "numpy": "", "xor": "", "or": "", "and": "", "adam": "ㅁ", "none": "ㄴ",
              "bool": "ㄹ"}  # XOR 엑스오어, OR 오어, AND 앤드
_VOWELS = set("aeiou")
_ENDINGS = (("ng", "ㅇ"), ("me", "ㅁ"), ("ne", "ㄴ"), ("m", "ㅁ"), ("n", "ㄴ"), ("ck", "ㄱ"), ("ic", "ㄱ"), ("ut", "ㅅ"))


def particles(text: str) -> str:
    """Resolve each two-form particle mark by the sound just before it, as a Korean reader says it:
    ``build_model()`(을)`` → ``build_model()`을`` (모델), ``h(을)`` → ``h를`` (에이치), ``int32(이)어야`` →
    ``int32여야`` (삼십이), ``y.shape[0](으)로`` → ``y.shape[0]으로`` (영). Digits are read Sino-Korean and
    Hangul by its last syllable (both by ``tossi``); Latin letters by their English names; English words by how
    Korean writes them (model 모델, input 인풋, layer 레이어). Text without a mark is returned unchanged."""
    if "(" not in text or not _MARK.search(text):
        return text
    out, last = [], 0
    for match in _MARK.finditer(text):
        before = text[:match.start()]
        one, rest = _ONE[match.group(1)], match.group(2)
        morph = f"({one}){rest}" if rest and one in ("이", "으") else one + rest
        word = spoken(before)
        particle = _particle(word, morph) if word else match.group(0)
        out.append(text[last:match.start()] + particle)
        last = match.end()
    out.append(text[last:])
    return "".join(out)


@functools.lru_cache(maxsize=512)
def _particle(word: str, morph: str) -> str:
    """The form of ``morph`` (``(을)``, ``(으)로``, ...) that follows ``word``, by ``tossi``."""
    import tossi

    return tossi.postfix(word, morph)[len(word):]


def spoken(before: str) -> str:
    """What a Korean reader says last in ``before`` (code, a number, a word), as text ``tossi`` can read: Hangul
    or digits as they are, an English word or letter as a Hangul syllable with the same final sound."""
    import unicodedata

    s = unicodedata.normalize("NFKC", before).rstrip("`'\"")  # β₂ᵗ reads as β2t
    while s.endswith(")"):  # a call's arguments are not read: `numerical_gradient(f, x)` ends in "gradient"
        depth, start = 0, -1
        for i in range(len(s) - 1, -1, -1):
            depth += {")": 1, "(": -1}.get(s[i], 0)
            if depth == 0:
                start = i
                break
        if start < 0:
            break
        head = s[:start]
        if not head or not (head[-1].isalnum() or head[-1] == "_"):  # a whole tuple: (None, 100, 3) ends in 3
            s = s[start + 1:-1].rstrip()
            continue
        s = head
    s = s.rstrip("`'\"]}>.,:;…_")
    if s.endswith("%"):
        return "트"  # 퍼센트
    tail = re.search(r"(?:[0-9][0-9,]*(?:\.[0-9]+)?|[A-Za-z]+|[가-힣]+)$", s)
    if not tail:
        return "각" if s.endswith("ε") else "가" if s[-1:].isalpha() else ""  # α 알파, σ 시그마; ε 엡실론
    word = tail.group(0)
    if word[0].isdigit():
        return word.replace(",", "")
    if "가" <= word[0] <= "힣":
        return word
    return {"": "가", "ㄹ": "갈"}.get(_english_coda(word), "각")


def _english_coda(word: str) -> str:
    """The final consonant (Hangul jamo, "" for none) of an English word or letters as Korean writes them."""
    parts = re.findall(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+", word) or [word]
    last = parts[-1]
    if last.lower() in _WORD_CODA:
        return _WORD_CODA[last.lower()]
    if len(last) == 1 or last.isupper() or not _VOWELS & set(last.lower()):  # h, MSE, SGD, lr, np: letters
        return _LETTER_CODA.get(last[-1].lower(), "")
    w = last.lower()
    if w.endswith(("l", "le")):
        return "ㄹ"  # model 모델, table 테이블
    for ending, coda in _ENDINGS:  # training 트레이닝, sum 섬, mean 민, time 타임, stack 스택, static 스태틱, input 인풋
        if w.endswith(ending):
            return coda
    if len(w) > 2 and w[-1] in "kpb" and w[-2] in _VOWELS and w[-3] not in _VOWELS or w.endswith("ook"):
        return "ㄱ" if w[-1] == "k" else "ㅂ"  # step 스텝, lab 랩, notebook 노트북; shape 셰이프, help 헬프, loop 루프
    return ""  # layer 레이어, loss 로스, dense 덴스, gradient 그래디언트, relu 렐루, softmax 소프트맥스


def tr(text: TextLike | None, lang: str) -> str:
    """Render a plain string, a bilingual dict or a catalog message in ``lang``."""
    if text is None:
        return ""
    if isinstance(text, str):
        return text
    if isinstance(text, Msg):
        return text.render(lang)
    return particles(text.get(lang) or text.get("en") or next(iter(text.values()), ""))


def both(text: TextLike) -> dict[str, str]:
    """The text in every language, for checks that every language is complete."""
    return {lang: tr(text, lang) for lang in LANGS}


def register(entries: dict[str, dict[str, str]]) -> dict[str, dict[str, str]]:
    """Add a module's own messages to the catalog: each module keeps its messages beside the code that shows them,
    this module only the shared ones. A key is defined once (grep for it finds its one definition)."""
    for key, texts in entries.items():
        if key in MESSAGES and MESSAGES[key] != texts:
            raise KeyError(f"message key {key!r} is defined twice")
    MESSAGES.update(entries)
    return entries


def all_messages() -> dict[str, dict[str, str]]:
    """Every message of the grader: imports each grader module, so that each registers its own."""
    import importlib
    import pkgutil

    import grader

    for info in pkgutil.walk_packages(grader.__path__, "grader."):
        if info.name.endswith("__main__"):
            continue
        importlib.import_module(info.name)
    return MESSAGES


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
    "not_run_load": {
        "ko": "실행 안 함: 파일을 불러오지 못했습니다(위의 오류 참고).",
        "en": "Not run: the file did not load (see above).",
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
        "ko": "`{call}`의 결과 모양이 {got}입니다. {expected}(이)어야 합니다.",
        "en": "`{call}` returned an array of shape {got}; it should have shape {expected}.",
    },
    "wrong_type": {
        "ko": "`{call}`의 결과 종류가 {got}입니다. {expected}(이)어야 합니다.",
        "en": "`{call}` returned a {got}; it should return {expected}.",
    },
    "input_modified": {
        "ko": "`{call}`(을) 호출한 뒤 입력 배열이 바뀌어 있습니다. 반환하기 전에 원래 값으로 되돌리세요.",
        "en": "`{call}` changed its input array. Restore it before returning.",
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
    "not_compiled": {
        "ko": "모델이 compile()되지 않았습니다.",
        "en": "The model was not compiled (call model.compile()).",
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
    "all_passed": {"ko": "모든 검사를 통과했습니다!", "en": "All checks passed!"},
    "assignment_summary": {
        "ko": "합계 {score:g}/{max_score:g}점 ({percent:.1f}%): {total}개 중 {passed}개 통과.",
        "en": "Total {score:g}/{max_score:g} {max_score|point|points} ({percent:.1f}%): {passed} of {total} {total|item|items} passed.",
    },
    "file_not_submitted": {
        "ko": "제출물에 {file} 파일이 없습니다 (시도 안 함으로 처리).",
        "en": "{file} is not in the submission (counted as not attempted).",
    },
    "total": {"ko": "합계", "en": "Total"},
    "assignment_title": {"ko": "과제 전체 채점", "en": "Whole assignment"},
    "missing_file": {"ko": "파일이 없습니다: {path}", "en": "No such file: {path}"},
    "bad_exercise": {"ko": "연습 문제 설정 오류 ({path}): {error}", "en": "Broken exercise ({path}): {error}"},
    "status_not_attempted": {"ko": "시도 안 함", "en": "not attempted"},
    "status_failing": {"ko": "미통과", "en": "failing"},
    "status_passed": {"ko": "통과", "en": "passed"},
    "col_exercise": {"ko": "문제", "en": "Exercise"},
    "col_title": {"ko": "제목", "en": "Title"},
    "col_status": {"ko": "상태", "en": "Status"},
    "col_points": {"ko": "배점", "en": "Points"},
    "no_more_hints": {
        "ko": "힌트를 모두({n}개) 보았습니다. 다시 모아 보면:",
        "en": "You have seen all {n} {n|hint|hints}; here {n|it is|they are} again:",
    },
}

# Quizzes (grader/quiz/).
MESSAGES.update({
    "quiz_no_answers_file": {
        "ko": "답안 파일이 없습니다: {path}",
        "en": "No answers file: {path}",
    },
    "quiz_answers_problems": {
        "ko": "답안 파일 {path}에 문제가 있습니다:",
        "en": "The answers file {path} has problems:",
    },
})

# --- the instructor's guard rails: `grade release` / `grade autograder` refuse drafts (grader/instructor/release.py) ---
MESSAGES.update({
})

# --- the instructor's tables: `grade validate` (grader/cli/instructor.py) and `grade batch` (grader/cli/classes.py);
#     a patch sample graded by `grade exNN --submission` (grader/cli/student.py) ---
MESSAGES.update({
})

# --- the problems `grade validate` reports (grader/instructor/validate.py: Problem) ---
MESSAGES.update({
})
