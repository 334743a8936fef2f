# Types of the compiled module built from service/_wire.pyx (mypy reads this, Python the .so).

from collections.abc import Callable

def render(
    urls: list[str],
    by_host: dict[str, tuple[bytes, int] | None],
    learn: Callable[[str], tuple[bytes, int] | None],
    slow: Callable[[str], tuple[bytes, int]],
) -> tuple[bytes, int]: ...
def checked_urls(data: object, max_urls: int, max_length: int) -> list[str] | None: ...
