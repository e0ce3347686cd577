"""The blog on disk and what is derived from it: posts, cache, defaults, drafts."""
