"""The ``sdc`` command: one group whose subcommands live in their own modules.

Subcommands are imported lazily (``sdc check`` does not import Scrapy), and
every user error ends the same way: exit code 2 and one line on stderr; a bug
of ours is one line and exit 1 (``SDC_DEBUG=1`` shows its traceback).
"""

from __future__ import annotations

import importlib
import importlib.util
import os
import sys
from typing import Any

import click
from pydantic import ValidationError

from service.settings import Settings

#: command name -> "module:attribute"
COMMANDS: dict[str, str] = {
    "check": "sdc.cli.check:check",
    "sources": "sdc.cli.registry:sources",
    "curators": "sdc.cli.curators:curators",
    "index": "sdc.cli.indexing:index",
    "search": "sdc.cli.indexing:search",
    "crawl": "sdc.cli.crawling:crawl",
    "farm": "sdc.cli.crawling:farm",
    "serve": "sdc.cli.serving:serve",
    "policies": "sdc.cli.policies:policies",
    "extension": "sdc.cli.browser_extension:extension",
    "run": "sdc.cli.run:run",
    "annuaire": "sdc.cli.annuaire:annuaire",
}

#: base classes of the errors a user can cause; each becomes exit 2 + one line
USER_ERROR_BASES = (
    "sources.errors:SourcesError",
    "index.errors:SearchIndexError",
    "crawler.errors:CrawlerError",
    "ranking.errors:RankingError",
)


class LazyGroup(click.Group):
    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        target = COMMANDS.get(cmd_name)
        if target is None:
            return None
        module, _, attribute = target.partition(":")
        # A broken import must fail loudly, never pass for an unknown command.
        command: click.Command = getattr(importlib.import_module(module), attribute)
        return command


@click.group(cls=LazyGroup)
@click.pass_context
def cli(ctx: click.Context) -> None:
    """Sources de Confiance: trusted public sources, their index and their search."""
    try:
        ctx.obj = Settings()
    except ValidationError as exc:
        problems = "; ".join(
            f"SDC_{'_'.join(str(p) for p in error['loc']).upper()}: {error['msg']}" for error in exc.errors()
        )
        raise click.UsageError(f"invalid setting: {problems}") from None


def settings_of(ctx: click.Context) -> Settings:
    settings = ctx.find_root().obj
    assert isinstance(settings, Settings)
    return settings


def load_classifier(settings: Settings) -> Any:
    """The registry under ``settings`` compiled into a ``sources.Classifier``."""
    from sources import Registry  # commands import what they use, when they run

    with Registry(settings.registry_dir) as registry:
        return registry.classifier()


def _user_errors() -> tuple[type[BaseException], ...]:
    found: list[type[BaseException]] = [OSError]
    for target in USER_ERROR_BASES:
        module, _, attribute = target.partition(":")
        if module in sys.modules or importlib.util.find_spec(module) is not None:
            try:
                found.append(getattr(importlib.import_module(module), attribute))
            except (ImportError, AttributeError):
                continue
    return tuple(found)


#: errors that only input can cause (undecodable bytes, nesting past the stack, numbers out of
#: range): still the user's, exit 2, even when a command did not foresee them
INPUT_ERRORS: tuple[type[BaseException], ...] = (UnicodeError, RecursionError, OverflowError,
                                                 MemoryError, ValueError)
MAX_MESSAGE = 500


def fail(message: str, status: int = 2) -> None:
    """Print one line on stderr and exit 2 (the CLI's contract for bad input)."""
    line = " ".join(str(message).split())
    if len(line) > MAX_MESSAGE:
        line = line[:MAX_MESSAGE] + "..."
    click.echo(f"sdc: error: {line}", err=True)
    sys.exit(status)


def main(argv: list[str] | None = None) -> Any:
    try:
        return cli.main(args=argv, prog_name="sdc", standalone_mode=False)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except click.exceptions.Abort:
        click.echo("sdc: interrupted", err=True)
        sys.exit(130)
    except click.ClickException as exc:
        fail(exc.format_message())
    except KeyboardInterrupt:
        click.echo("sdc: interrupted", err=True)
        sys.exit(130)
    except BrokenPipeError:
        sys.exit(0)
    except Exception as exc:
        if isinstance(exc, _user_errors()):
            fail(str(exc))
        if isinstance(exc, INPUT_ERRORS):
            fail(f"invalid input ({type(exc).__name__}): {exc}")
        if os.environ.get("SDC_DEBUG"):
            raise
        # a bug of ours: one line all the same, the traceback on demand
        fail(f"internal error ({type(exc).__name__}: {exc}); run again with SDC_DEBUG=1 for "
             "the traceback and report it", status=1)
