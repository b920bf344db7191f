"""``otklik run-demo`` keeps its timer worker alive: a worker that dies is restarted after 1 s,
2 s, 4 s … (at most a minute; back to 1 s after a healthy run), the console says so, and a stop
ends it without a restart (issue 11, finding 3). Fake processes and a fake pause: no sleeping."""
from __future__ import annotations

import subprocess
import sys
import threading

from web.cli import HEALTHY_RUN, MAX_RESTART, WorkerSupervisor


class FakeClock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


class FakeProcess:
    """Exits with ``code`` after running ``seconds`` of fake time."""

    def __init__(self, pid: int, code: int, seconds: float, clock: FakeClock) -> None:
        self.pid, self.code, self.seconds, self.clock = pid, code, seconds, clock

    def wait(self, timeout: float | None = None) -> int:
        self.clock.now += self.seconds
        return self.code

    def poll(self) -> int | None:
        return self.code

    def terminate(self) -> None:
        pass

    def kill(self) -> None:
        pass


class Pauses:
    """Records each restart delay; asks to stop after ``stop_after`` of them."""

    def __init__(self, stop_after: int) -> None:
        self.calls: list[float] = []
        self.stop_after = stop_after

    def __call__(self, seconds: float) -> bool:
        self.calls.append(seconds)
        return len(self.calls) >= self.stop_after


def test_a_dying_worker_is_restarted_with_a_growing_delay_and_the_console_says_so() -> None:
    clock, lines, pauses = FakeClock(), [], Pauses(stop_after=9)
    pids = iter(range(100, 200))
    supervisor = WorkerSupervisor(lambda: FakeProcess(next(pids), 1, 0.5, clock), echo=lines.append,
                                  pause=pauses, monotonic=clock, grace=0)
    supervisor.launch()
    supervisor.watch()
    assert pauses.calls == [1, 2, 4, 8, 16, 32, MAX_RESTART, MAX_RESTART, MAX_RESTART]
    assert supervisor.restarts == 8
    assert lines[0] == "Timer worker (pid 100) exited with code 1; restarting in 1 s."
    assert lines[1] == "Timer worker restarted: pid 101."


def test_after_a_healthy_run_the_delay_starts_over() -> None:
    clock, pauses = FakeClock(), Pauses(stop_after=4)
    runs = iter([0.5, 0.5, HEALTHY_RUN + 1, 0.5])
    supervisor = WorkerSupervisor(lambda: FakeProcess(1, 1, next(runs), clock), echo=lambda _: None,
                                  pause=pauses, monotonic=clock, grace=0)
    supervisor.launch()
    supervisor.watch()
    assert pauses.calls == [1, 2, 1, 2]


def test_a_worker_that_cannot_be_started_is_tried_again() -> None:
    clock, lines, pauses = FakeClock(), [], Pauses(stop_after=3)
    attempts = iter([FakeProcess(1, 1, 0.5, clock), OSError("no such file"), FakeProcess(2, 1, 0.5, clock)])

    def start() -> FakeProcess:
        attempt = next(attempts)
        if isinstance(attempt, OSError):
            raise attempt
        return attempt

    supervisor = WorkerSupervisor(start, echo=lines.append, pause=pauses, monotonic=clock, grace=0)
    supervisor.launch()
    supervisor.watch()
    assert pauses.calls == [1, 2, 4]
    assert "Timer worker: no such file" in lines and "Timer worker could not be started; restarting in 2 s." in lines
    assert "Timer worker restarted: pid 2." in lines


def test_a_real_worker_process_that_exits_is_restarted() -> None:
    started: list[subprocess.Popen] = []  # type: ignore[type-arg]

    def start() -> subprocess.Popen:  # type: ignore[type-arg]
        started.append(subprocess.Popen([sys.executable, "-c", "raise SystemExit(3)"]))
        return started[-1]

    lines: list[str] = []
    supervisor = WorkerSupervisor(start, echo=lines.append, pause=Pauses(stop_after=2), grace=0)
    supervisor.launch()
    supervisor.watch()
    assert [p.returncode for p in started] == [3, 3]
    assert lines[0] == f"Timer worker (pid {started[0].pid}) exited with code 3; restarting in 1 s."
    assert lines[1] == f"Timer worker restarted: pid {started[1].pid}."


def test_stop_ends_the_worker_without_a_restart() -> None:
    started: list[subprocess.Popen] = []  # type: ignore[type-arg]

    def start() -> subprocess.Popen:  # type: ignore[type-arg]
        started.append(subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"]))
        return started[-1]

    supervisor = WorkerSupervisor(start, echo=lambda _: None)
    supervisor.launch()
    watcher = threading.Thread(target=supervisor.watch)
    watcher.start()
    supervisor.stop(timeout=10)
    watcher.join(timeout=10)
    assert not watcher.is_alive()
    assert len(started) == 1 and started[0].returncode is not None and supervisor.restarts == 0
