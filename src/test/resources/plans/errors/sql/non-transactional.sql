-- statements that need a step with transaction false
CREATE TABLE notes (id int);
DROP INDEX CONCURRENTLY IF EXISTS notes_id;
REINDEX (VERBOSE) TABLE CONCURRENTLY notes;
REINDEX TABLE notes;
