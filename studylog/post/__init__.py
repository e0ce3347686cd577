"""The post format: the entry, rendering, reading; pure functions, no I/O."""
