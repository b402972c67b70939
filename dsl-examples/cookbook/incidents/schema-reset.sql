-- The dev database of cookbook story 3 (schema-reset.groovy), after the team's reset.
-- Their old tool tracked migrations by version number. Two branches each added a version 3:
-- V3__labels.sql ran on the dev database first and recorded version 3, so V3__note_status.sql,
-- merged later, was taken for applied there and never ran. The labels branch was then abandoned
-- and its file deleted. To get note_status, the team reset the dev schema: they deleted the
-- history rows and dropped the tables the migration files create (notes, tags), then ran
-- everything again. What V3__labels.sql had made was in no file any more, so it stayed:
CREATE SCHEMA notes;
CREATE TYPE notes.label_color AS ENUM ('red', 'green', 'blue');
CREATE TABLE notes.labels (id bigint PRIMARY KEY, name text NOT NULL, color notes.label_color NOT NULL);
INSERT INTO notes.labels VALUES (1, 'urgent', 'red');
-- Every run "succeeded" after that, and code written on the dev database used notes.labels,
-- which no other database has.
