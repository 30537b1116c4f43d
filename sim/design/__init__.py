"""Design search (DESIGN 7 `footsim design`): which values of some scenario keys (a shoe's,
typically) minimise a region's skin dose, under constraints, for one or more strike patterns.

- `problem`: the question, parsed from the command line and checked against the registry.
- `search`: differential evolution over an injectable evaluator, the Pareto front, robustness.
- `evaluate`: the evaluator on the sweep machinery (resumable, local pool or Dask).
"""
