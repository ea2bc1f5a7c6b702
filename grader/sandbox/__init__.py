"""The sandbox: student code runs in confined children of a warm worker; only plain data comes back."""

from grader.sandbox.session import (
    CapturedOutput,
    Limits,
    Missing,
    Session,
    SessionInfo,
    StudentRaised,
    Verdict,
)
from grader.sandbox.boundary import gpu_present



def probe_isolation(root=None) -> list[str]:
    """The layers a student's process gets on this machine (starts a numpy child and asks)."""
    session = Session(limits=Limits(seconds=30), root=root)
    try:
        session.start()
        session._await_ready()
        return list(session.info.isolation)
    except Verdict:
        return []
    finally:
        session.close()


__all__ = ["CapturedOutput", "Limits", "Missing", "Session", "SessionInfo", "StudentRaised", "Verdict", "gpu_present", "probe_isolation"]
