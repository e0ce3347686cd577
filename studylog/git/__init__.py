"""git through one helper: repository state, publishing, pushing."""
