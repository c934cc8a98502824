"""The checks library: what judges an implementation.

Named checks (`named/`), each declared once with `registry.check` (its cases, weight,
role and deviations), their case tables (`cases/`), the component table (`components`:
book name, chapter, section, homes, spellings, prerequisites, the book's signatures,
hints), calling a component as the book does (`calls`), the book's definitions the
checks compare with (`definitions`), the book's API not at stake (`book_api`), the one
gradient checker (`gradcheck`) and failure messages (`diagnosis`, `hints`). It depends
on nothing else in `checks`.
"""
