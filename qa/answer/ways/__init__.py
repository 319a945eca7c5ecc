"""The ways of answering a question, each a module with one entry, `answer(asked) -> Reply | None`:
a reply, or None to leave the question to the next. They are tried in the order of WAYS; the span
reader, last, always replies. A new kind of question is a new module here and its place in WAYS.
"""

from qa.answer.ways import front_page, grade_table, reader, structure, ungraded, unknown_authority

WAYS = (unknown_authority.answer, grade_table.answer, front_page.answer, structure.answer, ungraded.answer,
        reader.answer)
