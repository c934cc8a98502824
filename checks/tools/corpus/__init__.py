"""The real-world corpus: public learners' repositories and the book's history, labelled (docs/corpus.md)."""
