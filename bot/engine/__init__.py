"""The pure conversation engine: flows, step types, matching, language choice. No I/O, no clock."""
