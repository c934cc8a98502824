"""The checks library: what judges an implementation.

Named checks (`named/`), each declared once with `registry.check` (its cases, weight,
role and deviations), their case tables (`cases/`), the components and their
prerequisites (`components`), the one gradient checker (`gradcheck`) and failure
messages (`diagnosis`, `hints`). It depends on nothing else in `checks`.
"""
