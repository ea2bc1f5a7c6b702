"""Taking a quiz: the interactive session in a terminal (rich) and the answers-file mode.

``grade q01`` in a terminal asks one question at a time and checks each answer at once.  Every answer
is written to the quiz's answers file (``exercises/qNN_slug/answers.toml``, with the try it was given
on) atomically, before its verdict or explanation is shown, so an interrupted quiz resumes where it
stopped and ``grade all`` scores what was answered with the same retry policy.  Once every question is
done, ``grade q01`` shows the saved result and offers to retake the missed questions (their tries keep
counting).  Otherwise (``--answers FILE``, ``--format json``, no terminal) the answers come from a file
and nothing waits for input.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Any, Callable

from rich.console import Console
from rich.panel import Panel
from rich.text import Text

from grader.catalog import Catalog, Exercise
from grader.errors import AnswerError, AnswersFileError, CatalogError
from grader.i18n import LANGS, Msg, register, tr
from grader.quiz.answers import (
    AnswerSheet, normalise_text, parse_answer, read_answer_sheet, read_answers_file, read_answers_source, save_answers,
)
from grader.quiz.keys import load_quiz
from grader.quiz.model import ANSWERS_FILE, Question, QuestionVerdict, Quiz, one_or_many, text
from grader.report.console import make_console
from grader.results import ExerciseResult

# this module's messages, in Korean and English (grader.i18n keeps the shared ones)
register({
    "quiz_locked": {
        "ko": "해설은 정답을 맞히면 열립니다.",
        "en": "The explanation unlocks once you answer correctly.",
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
        "ko": "해당하는 번호를 모두 쉼표로 구분해 입력하세요",
        "en": "Enter every number that applies, separated by commas",
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
        "ko": "1부터 {n}까지의 번호(또는 a부터 {last}까지의 글자)를 위에 보이는 순서대로 입력하세요.",
        "en": "Enter numbers from 1 to {n} (or letters a to {last}), in the order shown above.",
    },
    "quiz_view_resuming": {
        "ko": "이어서 풉니다: {done}/{n}문항을 이미 답했습니다.",
        "en": "Resuming: {done} of {n} questions already answered.",
    },
    "quiz_view_saved": {
        "ko": "중단했습니다. 지금까지의 답은 {path}에 저장되었습니다. `grade {id}`(으)로 이어서 푸세요.",
        "en": "Stopped. Your answers so far are saved in {path}; `grade {id}` resumes the quiz.",
    },
    "quiz_view_intro": {
        "ko": "{n}문항 · 총 {points:g}점. 답을 입력하고 Enter를 누르세요. Ctrl+C로 중단해도 이어서 풀 수 있습니다.",
        "en": "{n} questions · {points:g} points. Type your answer and press Enter; Ctrl+C stops, and you can resume later.",
    },
    "quiz_points": {"ko": "{points:g}점", "en": "{points:g} points"},
    "quiz_points_one": {"ko": "1점", "en": "1 point"},
    "quiz_tries": {"ko": "기회 {n}번", "en": "{n} tries"},
    "quiz_tries_one": {"ko": "기회 1번", "en": "1 try"},
    "quiz_explanation_title": {"ko": "해설", "en": "Explanation"},
    "quiz_fix_or_delete": {
        "ko": "파일을 고치거나, 처음부터 다시 풀려면 파일을 지운 뒤 `grade {id}`(을) 실행하세요.",
        "en": "Fix the file, or delete it and run `grade {id}` to start over.",
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
        "ko": "기회를 모두 쓴 문항은 점수가 정해졌습니다. 다시 풀어 보는 것은 연습일 뿐, 점수에 들어가지 않고 저장되지도 않습니다.",
        "en": "Questions whose tries are used up keep their score: answering them again is practice only, neither scored nor saved.",
    },
    "quiz_view_retake": {
        "ko": "틀린 {n}문항을 연습으로 다시 풀어 볼까요?",
        "en": "Practise the {n} questions you missed?",
    },
    "quiz_view_retake_one": {
        "ko": "틀린 1문항을 연습으로 다시 풀어 볼까요?",
        "en": "Practise the question you missed?",
    },
    "quiz_view_practice": {
        "ko": "연습: 점수에 들어가지 않고 저장되지 않습니다.",
        "en": "Practice: not scored, not saved.",
    },
    "quiz_view_practice_done": {
        "ko": "연습이 끝났습니다. 점수는 저장된 답({path})의 점수 그대로 {score:g}/{max:g}점입니다.",
        "en": "Practice over. Your score is still that of your saved answers ({path}): Score {score:g}/{max:g}.",
    },
    "quiz_view_not_saved": {
        "ko": "답을 {path}에 저장하지 못했습니다: {error}",
        "en": "Could not save your answers to {path}: {error}",
    },
})

YES = ("y", "yes", "예", "네", "ㅇ", "응")


def _v(key: str, lang: str, **params: Any) -> str:
    """A message of the quiz session (its full key, e.g. ``quiz_view_saved``) in ``lang``."""
    return Msg(key, **params).render(lang)


#: The prompt for each kind of question.
ASK = {"single": "quiz_view_ask_single", "multiple": "quiz_view_ask_multiple", "numeric": "quiz_view_ask_numeric",
       "text": "quiz_view_ask_text"}


# ---------------------------------------------------------------------------------------------
# the interactive session


class QuizSession:
    """One interactive run of a quiz; ``ask`` reads a line (raises EOFError/KeyboardInterrupt to stop).

    ``path`` is the answers file the session resumes from and saves to after every answer (None: nothing
    is saved).  Raises AnswersFileError when that file cannot be read.
    """

    def __init__(self, quiz: Quiz, console: Console, lang: str, path: Path | None, seed: int,
                 ask: Callable[[str], str] | None = None) -> None:
        self.quiz = quiz
        self.console = console
        self.lang = lang
        self.path = path
        self.seed = seed
        self.ask = ask or (lambda prompt: console.input(prompt))
        sheet = read_answers_file(quiz, path) if path is not None else AnswerSheet()
        if sheet.problems:
            raise AnswersFileError(list(sheet.problems.values()))
        self.values: dict[str, Any] = dict(sheet.values)
        self.tries: dict[str, int] = {q.id: sheet.tries_of(q.id) for q in quiz.questions}
        self.verdicts: dict[str, QuestionVerdict] = {}
        self.shown = False  # the result was already printed (the saved result, before the offer to retake)
        self.save_failed = False

    def _verdict(self, question: Question) -> QuestionVerdict:
        if question.id not in self.verdicts:
            self.verdicts[question.id] = self.quiz.judge(question, self.values.get(question.id))
        return self.verdicts[question.id]

    def _limit(self, question: Question) -> int | None:
        """How many tries this question may reach (its limit); None when it is done: right, or its tries used up."""
        if self._verdict(question).right or self.tries.get(question.id, 0) >= question.tries:
            return None
        return question.tries

    def _save(self) -> None:
        if self.path is None:
            return
        try:
            save_answers(self.quiz, self.path, self.values, self.tries)
        except OSError as exc:
            if not self.save_failed:
                self.console.print(Text(_v("quiz_view_not_saved", self.lang, path=str(self.path), error=str(exc)), style="red"))
            self.save_failed = True

    def result(self, seconds: float = 0.0) -> ExerciseResult:
        return self.quiz.grade(self.values, tries=self.tries, seed=self.seed, lang=self.lang, seconds=seconds)

    def run(self) -> ExerciseResult | None:
        """The result, or None when the student stopped (every answer so far is saved)."""
        start = time.monotonic()
        lang, questions = self.lang, self.quiz.questions
        title = f"{self.quiz.exercise.id} · {tr(self.quiz.exercise.title, lang)}"
        total = sum(q.points for q in questions)
        intro = Text(_v("quiz_view_intro", lang, n=len(questions), points=total))
        intro.append("\n" + tr(self.quiz.header(), lang), style="dim")
        self.console.print(Panel(intro, title=title, title_align="left"))
        pending = {q.id: limit for q in questions if (limit := self._limit(q)) is not None}
        if not pending:
            self._offer_practice()
            return self.result(time.monotonic() - start)
        if len(pending) < len(questions):
            self.console.print(Text(_v("quiz_view_resuming", lang, done=len(questions) - len(pending), n=len(questions)), style="cyan"))
        for i, question in enumerate(questions, 1):
            if question.id not in pending:
                continue
            try:
                self._ask_question(i, question, pending[question.id])
            except (EOFError, KeyboardInterrupt):
                self.console.print()
                self.console.print(Text(_v("quiz_view_saved", lang, id=self.quiz.exercise.id, path=self._where()), style="yellow"))
                return None
        self.shown = False
        return self.result(time.monotonic() - start)

    def _where(self) -> str:
        if self.path is None:
            return "-"
        try:
            return str(self.path.relative_to(Path.cwd()))
        except ValueError:
            return str(self.path)

    def _offer_practice(self) -> None:
        """Every question is done: show the saved result, and offer to practise the missed ones (never scored)."""
        from grader.report.terminal import ExerciseView

        lang = self.lang
        result = self.result()
        self.console.print(Text(_v("quiz_view_saved_result", lang, path=self._where()), style="cyan"))
        self.console.print(ExerciseView(result, lang))
        self.shown = True
        missed = [q for q in self.quiz.questions if not self._verdict(q).right]
        if not missed:
            self.console.print(Text(_v("quiz_view_all_right", lang), style="bold green"))
            return
        self.console.print(Text(_v("quiz_view_retake_note", lang), style="dim"))
        try:
            retake = one_or_many("quiz_view_retake_one", "quiz_view_retake", len(missed))
            reply = self.ask(_v(retake, lang, n=len(missed)) + " (y/N) > ")
            if reply.strip().lower() not in YES:
                return
            for question in missed:
                self._ask_question(self.quiz.number(question), question, question.tries, practice=True)
        except (EOFError, KeyboardInterrupt):
            self.console.print()
        self.console.print(Text(_v("quiz_view_practice_done", lang, path=self._where(), score=result.score,
                                   max=result.max_score), style="cyan"))

    def _ask_question(self, i: int, question: Question, limit: int, practice: bool = False) -> None:
        """Ask ``question`` until it is right or its tries reach ``limit``; in practice, nothing is recorded."""
        lang = self.lang
        shown = question.shuffled(self.seed)
        body = Text(tr(question.full_prompt(), lang))
        for n, choice in enumerate(shown, 1):
            body.append(f"\n  {n}. {tr(choice.text, lang)}")
        tries = {question.id: 0} if practice else self.tries
        left = limit - tries.get(question.id, 0)
        header = _v("quiz_view_question", lang, i=i, n=len(self.quiz.questions),
                    points=tr(text(one_or_many("quiz_points_one", "quiz_points", question.points),
                                   points=question.points), lang),
                    tries=_v("quiz_view_practice", lang) if practice
                    else tr(text(one_or_many("quiz_tries_one", "quiz_tries", left), n=left), lang))
        self.console.print(Panel(body, title=header, title_align="left"))
        verdict: QuestionVerdict | None = None
        while tries.get(question.id, 0) < limit:
            raw = self.ask(f"{_v(ASK[question.kind], lang)} > ")
            if not raw.strip():
                continue
            try:
                value = parse_answer(question, displayed_choice(question, shown, raw), self.quiz.number_examples)
            except AnswerError as exc:
                self.console.print(Text(tr(exc.message, lang), style="red"))
                continue
            verdict = self.quiz.judge(question, value)
            tries[question.id] = tries.get(question.id, 0) + 1
            if not practice:
                self.values[question.id] = value
                self.verdicts[question.id] = verdict
                self._save()  # recorded before the verdict and any explanation are shown
            style = {"right": "bold green", "partial": "yellow"}.get(verdict.status, "bold red")
            self.console.print(Text(tr(verdict.message, lang), style=style))
            note = None if practice else self.quiz.retry_note(question, verdict, tries[question.id])
            if note:
                self.console.print(Text(tr(note, lang), style="yellow"))
            if verdict.right:
                break
            left = limit - tries[question.id]
            again = one_or_many("quiz_view_try_again_one", "quiz_view_try_again", left)
            self.console.print(Text(_v(again, lang, left=left) if left else _v("quiz_view_no_tries", lang), style="dim"))
        explanation = verdict.explanation if verdict is not None and verdict.right else self.quiz.reveal(question)
        if explanation:
            self.console.print(Panel(Text(tr(explanation, lang)), border_style="magenta", title_align="left",
                                     title=tr(text("quiz_explanation_title"), lang)))
        else:
            self.console.print(Text(tr(text("quiz_locked"), lang), style="dim"))



def _position(token: str) -> int | None:
    """The place a token names: ``3`` or ``c`` is the third choice shown; None for anything else."""
    if token.isdigit() and len(token) <= 3:
        return int(token)
    if len(token) == 1 and "a" <= token.lower() <= "z":
        return ord(token.lower()) - ord("a") + 1
    return None


def displayed_choice(question: Question, shown: list, raw: str) -> Any:
    """What was typed for a choice question, read against the screen: a number or a letter names the choice at
    that place in the order shown (``2`` and ``b``: the second one), else the text of a shown choice.  A choice's
    hidden id is never read (``a`` is the first choice shown, whatever choice has the id ``a``)."""
    if question.kind not in ("single", "multiple"):
        return raw
    out_of_range = {lang: _v("quiz_view_not_in_range", lang, n=len(shown), last=chr(ord("a") + len(shown) - 1))
                    for lang in LANGS}
    tokens = [t for t in raw.replace(",", " ").split() if t]
    places = [_position(t) for t in tokens]
    if tokens and all(p is not None for p in places):
        if not all(1 <= p <= len(shown) for p in places):  # type: ignore[operator]
            raise AnswerError(out_of_range)
        ids = [shown[p - 1].id for p in places]  # type: ignore[operator]
        if question.kind == "single":
            if len(ids) != 1:
                raise AnswerError({lang: _v("quiz_view_ask_single", lang) for lang in LANGS})
            return ids[0]
        return ids
    parts = [raw] if question.kind == "single" else [p for p in raw.split(",") if p.strip()]
    ids = []
    for part in parts:
        wanted = normalise_text(part)
        found = next((c.id for c in shown if any(wanted == normalise_text(t) for t in c.text.values())), None)
        if found is None:
            raise AnswerError(out_of_range)
        ids.append(found)
    return ids[0] if question.kind == "single" else ids


# ---------------------------------------------------------------------------------------------
# the command: `grade q01 [--answers FILE] [--format json]`


def _problem(console: Console, lines: list[str]) -> int:
    for line in lines:
        console.print(line, style="red", markup=False)
    return 2


def _grade_file(quiz: Quiz, path: Path, seed: int, lang: str) -> ExerciseResult:
    """Grade a TOML answers file; raises AnswersFileError (exit code 2) when it cannot be read."""
    start = time.monotonic()
    if path.suffix == ".ipynb":  # a quiz notebook: the answer cells, never executed
        from grader.notebooks.jupyter import grade_quiz_notebook

        return grade_quiz_notebook(quiz.exercise, path, lang, seed)
    try:
        source = read_answers_source(path)
    except FileNotFoundError:
        raise AnswersFileError([text("quiz_no_answers_file", path=str(path))]) from None
    sheet = read_answer_sheet(quiz, source, str(path))
    if sheet.problems:
        raise AnswersFileError(list(sheet.problems.values()))
    return quiz.grade(sheet.values, tries=sheet.tries, seed=seed, lang=lang, seconds=time.monotonic() - start)


def quiz_command(catalog: Catalog, item: Exercise, *, answers: Path | None, format: str, output: Path | None,
                 seed: int | None, lang: str, interactive: bool | None = None) -> int:
    """Run a quiz from the command line; the exit code: 0 all right, 1 otherwise, 2 bad input."""
    import secrets

    from grader.report.json_result import dumps, write_atomic
    from grader.report.terminal import ExerciseView
    from grader.report.gradescope import to_gradescope
    from grader.state import Progress

    errors = make_console(stderr=True)
    try:
        quiz = load_quiz(item)
    except CatalogError as exc:
        return _problem(errors, [tr(exc.message, lang)])
    if interactive is None:
        interactive = answers is None and format == "text" and sys.stdin.isatty() and sys.stdout.isatty()
    seed = seed if seed is not None else secrets.randbelow(1_000_000)
    console = make_console()
    shown = False
    if interactive:
        path = item.folder / ANSWERS_FILE
        try:
            session = QuizSession(quiz, console, lang, path, seed)
        except AnswersFileError as exc:
            head = tr(text("quiz_answers_problems", path=str(path)), lang)
            fix = tr(text("quiz_fix_or_delete", path=str(path), id=item.id), lang)
            return _problem(errors, [head] + ["  - " + tr(p, lang) for p in exc.problems] + [fix])
        result = session.run()
        if result is None:
            return 1
        shown = session.shown
    else:
        path = answers if answers is not None else item.folder / ANSWERS_FILE
        try:
            result = _grade_file(quiz, path, seed, lang)
        except AnswersFileError as exc:
            head = tr(text("quiz_answers_problems", path=str(path)), lang)
            return _problem(errors, [head] + ["  - " + tr(p, lang) for p in exc.problems])
    progress = Progress(catalog.root)
    progress.record(item.name, result.score, result.max_score, result.status)
    if format == "json":
        document = dumps(to_gradescope(result))
        if output is not None:
            write_atomic(output, document + "\n")
        else:
            sys.stdout.write(document + "\n")
    else:
        if not shown:
            console.print(ExerciseView(result, lang))
        if output is not None:
            file_console = make_console(open(output, "w", encoding="utf-8"))
            file_console.print(ExerciseView(result, lang))
            file_console.file.close()
    return 0 if result.passed else 1
