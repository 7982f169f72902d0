"""Question banks: what is in them, who sees them, and every way their content is written.

Every module that changes a bank's questions, quizzes or source parts builds the bank as the data
of a bank file and hands it to ``writing.store``, the one write path, which checks it with the bank
validator and writes it all or nothing.

- ``writing``: ``store(bank, document)``, the one write path for bank content, and its load report.
- ``documents``: a stored bank as the data of a bank file (``bank_document``, ``question_entry``).
- ``loading``: bank files on the server's disk, checked line by line and loaded together.
- ``visibility``: which banks a teacher may read (bundled, their own, shared with them) and change.
- ``sharing``: sharing a bank read-only with other teachers; copying a bank into one's own.
- ``managing``: renaming, deleting or archiving a bank; duplicating, tagging, deleting, finding questions.
- ``authoring``: writing, editing, archiving and previewing a question in the browser.
- ``quiz_builder``: building a bank's quizzes from picked or drawn questions.
- ``drafting``: banks of draft questions drafted from an article, reviewed, and re-imported.
- ``interchange``: export as YAML, GIFT, Aiken, Moodle XML or CSV; import from GIFT, Aiken, Moodle XML.
- ``linting``: item-writing warnings for bank files and stored banks (reads only).
"""
