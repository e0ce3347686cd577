"""The command line: the only code that parses arguments, prompts or prints."""
