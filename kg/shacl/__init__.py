"""The SHACL gate: nothing is published unless the mapped records satisfy ``shapes/`` (two engines, one interface)."""
