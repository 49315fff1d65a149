"""One module per pipeline phase's work. Each exposes `run(ctx: PhaseContext) -> PhaseOutcome`."""
