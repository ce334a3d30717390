"""The CP-SAT model of a scenario: its timeline, its variables, and one constraint module per rule."""
