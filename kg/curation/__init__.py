"""Curation: accounts, the edit form, record edits (issue #15). See docs/curation.md."""
