"""Taking a quiz: the interactive session in a terminal (rich) and the answers-file mode.

``grade q01`` in a terminal asks one question at a time, checks each answer at once and shows the
explanation after a right answer or after the allowed tries; the answers given so far are kept in
the progress file, so an interrupted quiz resumes where it stopped.  Otherwise (``--answers FILE``,
``--format json``, no terminal) the answers come from a TOML file and nothing waits for input.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Any, Callable

from rich.console import Console
from rich.panel import Panel
from rich.text import Text

from grader.catalog import Catalog, CatalogError, Exercise
from grader.i18n import Msg, tr
from grader.quiz import (
    ANSWERS_FILE, AnswerError, AnswersFileError, Question, Quiz, Verdict, load_quiz, parse_answer, text,
)
from grader.report.console import make_console
from grader.results import ExerciseResult

SESSION = "quiz_session"  # the key of the unfinished session in the progress entry

def _v(key: str, lang: str, **params: Any) -> str:
    return Msg("quiz_view_" + key, **params).render(lang)


# ---------------------------------------------------------------------------------------------
# the interactive session


class QuizSession:
    """One interactive run of a quiz; ``ask`` reads a line (raises EOFError/KeyboardInterrupt to stop)."""

    def __init__(self, quiz: Quiz, console: Console, lang: str, progress: Any, seed: int,
                 ask: Callable[[str], str] | None = None) -> None:
        self.quiz = quiz
        self.console = console
        self.lang = lang
        self.progress = progress
        self.ask = ask or (lambda prompt: console.input(prompt))
        entry = progress.entry(quiz.name) if progress is not None else {}
        state = entry.get(SESSION)
        if not isinstance(state, dict) or not isinstance(state.get("answers"), dict):
            state = {"seed": seed, "answers": {}}
        self.state = state
        self.seed = int(state.get("seed", seed))

    def _save(self) -> None:
        if self.progress is None:
            return
        entry = dict(self.progress.entry(self.quiz.name))
        entry[SESSION] = self.state
        self.progress.data["exercises"][self.quiz.name] = entry
        self.progress.save()

    def _clear(self) -> None:
        if self.progress is None:
            return
        entry = dict(self.progress.entry(self.quiz.name))
        entry.pop(SESSION, None)
        self.progress.data["exercises"][self.quiz.name] = entry
        self.progress.save()

    def run(self) -> ExerciseResult | None:
        """The result, or None when the student stopped (the answers so far are saved)."""
        start = time.monotonic()
        lang, questions = self.lang, self.quiz.questions
        answers: dict[str, Any] = self.state["answers"]
        done = sum(1 for q in questions if answers.get(q.id, {}).get("done"))
        title = f"{self.quiz.exercise.id} · {tr(self.quiz.exercise.title, lang)}"
        total = sum(q.points for q in questions)
        self.console.print(Panel(Text(_v("intro", lang, n=len(questions), points=total)), title=title, title_align="left"))
        if done:
            self.console.print(Text(_v("resuming", lang, done=done, n=len(questions)), style="cyan"))
        for i, question in enumerate(questions, 1):
            record = answers.setdefault(question.id, {"tries": 0, "done": False})
            if record.get("done"):
                continue
            try:
                self._ask_question(i, question, record)
            except (EOFError, KeyboardInterrupt):
                self._save()
                self.console.print()
                self.console.print(Text(_v("saved", lang, id=self.quiz.exercise.id), style="yellow"))
                return None
            self._save()
        values = {qid: _from_json(self.quiz.question(qid), r.get("value")) for qid, r in answers.items() if qid in
                  {q.id for q in questions}}
        result = self.quiz.grade(values, seed=self.seed, lang=lang, seconds=time.monotonic() - start)
        self._clear()
        return result

    def _ask_question(self, i: int, question: Question, record: dict[str, Any]) -> None:
        lang = self.lang
        shown = question.shuffled(self.seed)
        body = Text(tr(question.full_prompt(), lang))
        for n, choice in enumerate(shown, 1):
            body.append(f"\n  {n}. {tr(choice.text, lang)}")
        header = _v("question", lang, i=i, n=len(self.quiz.questions), points=question.points)
        self.console.print(Panel(body, title=header, title_align="left"))
        best: Verdict | None = None
        while record["tries"] < question.tries:
            raw = self.ask(f"{_v('ask_' + question.kind, lang)} > ")
            if not raw.strip():
                continue
            try:
                value = parse_answer(question, self._positions(question, shown, raw))
            except AnswerError as exc:
                self.console.print(Text(tr(exc.message, lang), style="red"))
                continue
            verdict = self.quiz.judge(question, value)
            record["tries"] += 1
            if best is None or verdict.fraction > best.fraction:
                best = verdict
                record["value"] = _to_json(value)
            style = {"right": "bold green", "partial": "yellow"}.get(verdict.status, "bold red")
            self.console.print(Text(tr(verdict.message, lang), style=style))
            if verdict.right:
                break
            left = question.tries - record["tries"]
            self.console.print(Text(_v("try_again", lang, left=left) if left else _v("no_tries", lang), style="dim"))
            self._save()
        record["done"] = True
        explanation = best.explanation if best is not None and best.right else self.quiz.reveal(question)
        if explanation:
            self.console.print(Panel(Text(tr(explanation, lang)), border_style="magenta", title_align="left",
                                     title={"ko": "해설", "en": "Explanation"}[lang]))
        else:
            self.console.print(Text(tr(text("locked"), lang), style="dim"))

    def _positions(self, question: Question, shown: list, raw: str) -> Any:
        """Numbers typed for choice questions become choice ids (the order shown is shuffled)."""
        if question.kind not in ("single", "multiple"):
            return raw
        tokens = [t for t in raw.replace(",", " ").split() if t]
        if not tokens or not all(t.isdigit() for t in tokens):
            return raw if question.kind == "single" else tokens
        if not all(1 <= int(t) <= len(shown) for t in tokens):
            raise AnswerError({lang: _v("not_in_range", lang, n=len(shown)) for lang in ("ko", "en")})
        ids = [shown[int(t) - 1].id for t in tokens]
        if question.kind == "single":
            if len(ids) != 1:
                raise AnswerError({lang: _v("ask_single", lang) for lang in ("ko", "en")})
            return ids[0]
        return ids


def _to_json(value: Any) -> Any:
    return list(value) if isinstance(value, tuple) else value


def _from_json(question: Question, value: Any) -> Any:
    if value is None:
        return None
    try:
        return parse_answer(question, value)
    except AnswerError:
        return None


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
        from grader.notebook import grade_quiz_notebook

        return grade_quiz_notebook(quiz.exercise, path, lang, seed)
    try:
        source = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        raise AnswersFileError([text("no_answers_file", path=str(path))]) from None
    answers = quiz.read_answers(source, str(path))
    return quiz.grade(answers, seed=seed, lang=lang, seconds=time.monotonic() - start)


def quiz_command(catalog: Catalog, item: Exercise, *, answers: Path | None, format: str, output: Path | None,
                 seed: int | None, lang: str, interactive: bool | None = None) -> int:
    """Run a quiz from the command line; the exit code: 0 all right, 1 otherwise, 2 bad input."""
    import secrets

    from grader.report.json_result import dumps, write_atomic
    from grader.report.terminal import ExerciseView
    from grader.results import to_gradescope
    from grader.state import Progress

    errors = make_console(stderr=True)
    try:
        quiz = load_quiz(item)
    except CatalogError as exc:
        return _problem(errors, [tr(exc.message, lang)])
    if interactive is None:
        interactive = answers is None and format == "text" and sys.stdin.isatty() and sys.stdout.isatty()
    seed = seed if seed is not None else secrets.randbelow(1_000_000)
    progress = Progress(catalog.root)
    console = make_console()
    if interactive:
        result = QuizSession(quiz, console, lang, progress, seed).run()
        if result is None:
            return 1
    else:
        path = answers if answers is not None else item.folder / ANSWERS_FILE
        try:
            result = _grade_file(quiz, path, seed, lang)
        except AnswersFileError as exc:
            head = tr(text("answers_problems", path=str(path)), lang)
            return _problem(errors, [head] + ["  - " + tr(p, lang) for p in exc.problems])
    progress = Progress(catalog.root)  # re-read: the session may have written it
    progress.record(item.name, result.score, result.max_score, result.status)
    if format == "json":
        document = dumps(to_gradescope(result))
        if output is not None:
            write_atomic(output, document + "\n")
        else:
            sys.stdout.write(document + "\n")
    else:
        console.print(ExerciseView(result, lang))
        if output is not None:
            file_console = make_console(open(output, "w", encoding="utf-8"))
            file_console.print(ExerciseView(result, lang))
            file_console.file.close()
    return 0 if result.passed else 1
