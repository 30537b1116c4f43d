"""One module per `footsim` subcommand: `add_arguments(parser)` and `run(args) -> int`."""
