"""What a `render_pdf` call did, for benchmarks and tests."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class RenderStats:
    """What the last `render_pdf` call did (for benchmarks and tests)."""

    parts: int = 0  # documents in the PDF: the slides (and the report head without a title slide)
    pages: int = 0
    #: parts laid out anew: slide ids, "(head)", "(footer 1-32)"...
    rendered: list[str] = field(default_factory=list)
    cached: int = 0  # parts found in the cache
    workers: int = 0  # processes that laid parts out (0: none needed, 1: this process)
    seconds: float = 0.0


#: The statistics of the last `render_pdf` call in this process.
last_stats = RenderStats()


def _set_last_stats(stats: RenderStats) -> None:
    global last_stats
    last_stats = stats
