"""The change log as a manager reads it: who changed which record, when, and each field's old and
new value; and the check that the log is intact and matches its last anchor outside the database."""
