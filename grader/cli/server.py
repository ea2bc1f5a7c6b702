"""`grade server status` and `grade server stop`: the user's warm grading servers (grader.server)."""

from __future__ import annotations

import json
import sys
import time
from typing import Annotated

import typer

from grader.cli.app import LangOpt, _lang, app
from grader.i18n import Msg, register, tr
from grader.report.console import make_console

# this module's messages, in Korean and English (grader.i18n keeps the shared ones)
register({
    "server_none": {
        "ko": "실행 중인 채점 서버가 없습니다. 다음 `grade exNN`이 백그라운드에서 시작합니다.",
        "en": "No warm grading server is running. The next `grade exNN` starts one in the background.",
    },
    "server_off": {
        "ko": "이 환경에서는 채점 서버를 쓰지 않습니다({why}). 채점은 매번 새로 준비합니다.",
        "en": "The warm grading server is off here ({why}): every `grade` starts its own workers.",
    },
    "server_line": {
        "ko": "채점 서버 {pid}: {root} · {since}부터 실행 중({minutes}분) · 채점기 {grader} · 메모리 RSS {rss} MB / PSS {pss} MB",
        "en": "Grading server {pid}: {root} · running since {since} ({minutes} min) · grader {grader} · memory RSS {rss} MB / PSS {pss} MB",
    },
    "server_limits": {
        "ko": "  {idle}분 동안 쓰지 않거나 메모리가 {cap} MB를 넘으면 스스로 끝납니다. 지금 연결: {clients}",
        "en": "  Exits after {idle} idle minutes, or when its memory passes {cap} MB. Connected now: {clients}",
    },
    "server_worker": {
        "ko": "  - {kind} 작업자 {pid}{what}: {state} · {since}부터 · 학생 프로세스 {forks}개를 만듦 · RSS {rss} MB / PSS {pss} MB",
        "en": "  - {kind} worker {pid}{what}: {state} · since {since} · {forks} student processes forked · RSS {rss} MB / PSS {pss} MB",
    },
    "server_ready": {"ko": "준비됨", "en": "ready"},
    "server_starting": {"ko": "준비 중", "en": "starting"},
    "server_stopped": {
        "ko": "채점 서버 {pid}(을) 멈췄습니다({root}).",
        "en": "Stopped the grading server {pid} ({root}).",
    },
    "server_why_ci": {"ko": "CI=true", "en": "CI=true"},
    "server_why_env": {"ko": "GRADE_SERVER=0", "en": "GRADE_SERVER=0"},
    "server_why_platform": {"ko": "리눅스에서만 씁니다", "en": "Linux only"},
})

server_app = typer.Typer(help="The warm grading server that keeps TensorFlow started between `grade` runs (Linux).",
                         no_args_is_help=True, add_completion=False, rich_markup_mode=None)
app.add_typer(server_app, name="server")


def _clock(epoch: float) -> str:
    return time.strftime("%H:%M:%S", time.localtime(epoch))


def _why_off() -> Msg:
    import os

    if not sys.platform.startswith("linux"):
        return Msg("server_why_platform")
    if os.environ.get("GRADE_SERVER", "").strip().lower() in ("0", "off", "no", "false"):
        return Msg("server_why_env")
    return Msg("server_why_ci")


@server_app.command("status")
def status_command(
    as_json: Annotated[bool, typer.Option("--json", help="Print the servers' status as JSON.")] = False,
    lang: LangOpt = None,
) -> None:
    """What runs: each warm server of yours, since when, its workers and their memory (RSS/PSS)."""
    from grader.server import place
    from grader.server.talk import servers

    lang_code = _lang(lang)
    found = servers(place.folder())
    if as_json:
        sys.stdout.write(json.dumps({"enabled": place.enabled(), "folder": str(place.folder()), "servers": found},
                                    indent=2) + "\n")
        raise typer.Exit(0)
    console = make_console()
    if not place.enabled():
        console.print(tr(Msg("server_off", why=tr(_why_off(), lang_code)), lang_code), markup=False, soft_wrap=True)
    if not found:
        console.print(tr(Msg("server_none"), lang_code), markup=False, soft_wrap=True)
    now = time.time()
    for server in found:
        workers = server.get("workers") or []
        rss = int(server.get("rss_mb", 0)) + sum(int(w.get("rss_mb", 0)) for w in workers)
        pss = int(server.get("pss_mb", 0)) + sum(int(w.get("pss_mb", 0)) for w in workers)
        console.print(tr(Msg("server_line", pid=server.get("pid"), root=server.get("root"),
                             since=_clock(server.get("since", now)), minutes=int((now - server.get("since", now)) // 60),
                             grader=str(server.get("grader", ""))[:8], rss=rss, pss=pss), lang_code), markup=False, soft_wrap=True)
        console.print(tr(Msg("server_limits", idle=round(float(server.get("idle_seconds", 0)) / 60, 1),
                             cap=server.get("memory_cap_mb"), clients=server.get("clients", 0)), lang_code),
                      markup=False, soft_wrap=True)
        for worker in workers:
            what = f" ({worker.get('backend')}, {worker.get('device')})" if worker.get("backend") else ""
            state = Msg("server_ready") if worker.get("ready") else Msg("server_starting")
            console.print(tr(Msg("server_worker", kind=worker.get("kind"), pid=worker.get("pid"), what=what,
                                 state=tr(state, lang_code), since=_clock(worker.get("since", now)),
                                 forks=worker.get("forks", 0), rss=worker.get("rss_mb", 0),
                                 pss=worker.get("pss_mb", 0)), lang_code), markup=False, soft_wrap=True)
    raise typer.Exit(0)


@server_app.command("stop")
def stop_command(lang: LangOpt = None) -> None:
    """Stop your warm grading servers now (the next `grade` works without one, then starts a fresh one)."""
    from grader.server import place
    from grader.server.talk import ask, servers

    lang_code = _lang(lang)
    console = make_console()
    found = servers(place.folder())
    if not found:
        console.print(tr(Msg("server_none"), lang_code), markup=False, soft_wrap=True)
    for server in found:
        if ask(place.folder() / str(server.get("socket", "")).rsplit("/", 1)[-1], {"stop": True}, 5.0):
            console.print(tr(Msg("server_stopped", pid=server.get("pid"), root=server.get("root")), lang_code),
                          markup=False, soft_wrap=True)
    raise typer.Exit(0)
