"""`python -m veikart` and the `veikart` command.

The command's entry point is here, not in veikart.cli, so that a worker process started by
the spawn method (which imports the main script again) imports this small module only, not
the command line's libraries (about 0.2 s of CPU per worker)."""


def main() -> None:
    import gc
    import sys

    from veikart.opendata import builder

    # An export's builder starts first, importing Altair and numpy on another CPU while this
    # process loads the command line and the data (veikart/opendata/builder.py).
    if builder.wanted(sys.argv[1:]):
        builder.start()
    gc.disable()  # importing makes many objects and no garbage: collecting meanwhile costs 20 %
    try:
        from veikart.cli import main as cli_main
    finally:
        gc.freeze()  # what the imports made stays: later collections need not look at it again
        gc.enable()
    try:
        cli_main()
    finally:
        builder.stop()
        # The objects left are freed with the process; without this, the collector walks all
        # of them once more as Python exits (about 0.2 s once Altair is imported).
        gc.freeze()


if __name__ == "__main__":
    main()
