"""Maintainers' tools: stub generation, margins, benchmarks, the bug corpus."""
