"""`python -m veikart` and the `veikart` command.

The command's entry point is here, not in veikart.cli, so that a worker process started by
the spawn method (which imports the main script again) imports this small module only, not
the command line's libraries (about 0.2 s of CPU per worker)."""


def main() -> None:
    from veikart.cli import main as cli_main

    cli_main()


if __name__ == "__main__":
    main()
