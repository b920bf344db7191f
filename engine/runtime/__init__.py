"""Running cases: start a procedure, complete and claim tasks, register messages and their attachments,
load/advance/save a case, the workflow cache, external-task topics, the timer worker and its
incidents (the audit log they write is `engine.db.audit`).
"""
