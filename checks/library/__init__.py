"""The checks library: what judges an implementation.

Named checks (`named/`), their case tables (`cases/`), the one gradient checker
(`gradcheck`), failure messages (`diagnosis`, `hints`), declared deviations and the
registry that pairs checks with cases. It depends on nothing else in `checks`.
"""
